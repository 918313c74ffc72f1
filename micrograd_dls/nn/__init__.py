"""Neural networks the course's way: initialisers, and scalar networks on ``Value``."""

from . import init
from .module import Module
from .scalar import Layer, Neuron

__all__ = ["Layer", "Module", "Neuron", "init"]
