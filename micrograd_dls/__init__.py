"""micrograd_dls: autograd on scalars (Value) and numpy arrays (Tensor), built to make
the course "Neural Networks and Deep Learning" runnable and visible."""

from .anomaly import AnomalyError, detect_anomaly
from .graph import (
    backward,
    gc_paused,
    is_grad_enabled,
    no_grad,
    set_grad_enabled,
    zero_grad,
)
from .tensor import (
    Tensor,
    arange,
    argmax,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cat,
    concatenate,
    cross_entropy,
    eye,
    flatten,
    from_numpy,
    full_like,
    log_softmax,
    logsumexp,
    maximum,
    minimum,
    norm,
    ones,
    ones_like,
    randn,
    randn_like,
    softmax,
    squeeze,
    stack,
    std,
    unsqueeze,
    var,
    where,
    zeros,
    zeros_like,
)
from .value import Value

__all__ = [
    "AnomalyError",
    "Tensor",
    "Value",
    "arange",
    "argmax",
    "backward",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cat",
    "concatenate",
    "cross_entropy",
    "detect_anomaly",
    "eye",
    "from_numpy",
    "flatten",
    "full_like",
    "gc_paused",
    "is_grad_enabled",
    "log_softmax",
    "logsumexp",
    "maximum",
    "minimum",
    "no_grad",
    "norm",
    "ones",
    "ones_like",
    "randn",
    "randn_like",
    "set_grad_enabled",
    "softmax",
    "squeeze",
    "stack",
    "std",
    "unsqueeze",
    "var",
    "where",
    "zero_grad",
    "zeros",
    "zeros_like",
]


def __getattr__(name: str) -> str:
    # The version is written once, in setup.cfg; the installed metadata carries it.
    # Looked up on first use so that importing the package stays light.
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("micrograd_dls")
        except PackageNotFoundError:  # a source tree on sys.path that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
