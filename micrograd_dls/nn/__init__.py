"""Neural networks the course's way, on ``Tensor``: layers in the course's orientation
(``Z = W A + b``, one example per column), logistic regression and the L-layer
network, costs, optimisers, the training loop and model files; plus scalar
networks on ``Value`` in :mod:`micrograd_dls.nn.scalar`."""

from . import init, scalar
from .layers import (
    ACTIVATIONS,
    Activation,
    Identity,
    LeakyReLU,
    Linear,
    ReLU,
    Sequential,
    Sigmoid,
    Tanh,
    activation,
)
from .losses import LOSSES, bce_with_logits, mean_squared_error
from .models import MLP, LogisticRegression, load
from .module import Module
from .optim import OPTIMIZERS, Adam, GradientDescent, Momentum, Optimizer
from .scalar import Layer, Neuron
from .train import History, fit

__all__ = [
    "ACTIVATIONS",
    "LOSSES",
    "MLP",
    "OPTIMIZERS",
    "Activation",
    "Adam",
    "GradientDescent",
    "History",
    "Identity",
    "Layer",
    "LeakyReLU",
    "Linear",
    "LogisticRegression",
    "Module",
    "Momentum",
    "Neuron",
    "Optimizer",
    "ReLU",
    "Sequential",
    "Sigmoid",
    "Tanh",
    "activation",
    "bce_with_logits",
    "fit",
    "init",
    "load",
    "mean_squared_error",
    "scalar",
]
