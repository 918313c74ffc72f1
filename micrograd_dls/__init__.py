"""micrograd_dls: autograd on scalars (Value) and numpy arrays (Tensor), built to make
the course "Neural Networks and Deep Learning" runnable and visible."""

from .graph import (
    AnomalyError,
    backward,
    detect_anomaly,
    gc_paused,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    zero_grad,
)
from .tensor import Tensor, binary_cross_entropy, binary_cross_entropy_with_logits
from .value import Value

__all__ = [
    "AnomalyError",
    "Tensor",
    "Value",
    "backward",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "detect_anomaly",
    "gc_paused",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "zero_grad",
]

__version__ = "0.1.0"
