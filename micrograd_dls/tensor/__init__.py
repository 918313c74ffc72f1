"""``Tensor``: a numpy array as a node of the computation graph.

The course's second lesson is vectorization: ``Z = W @ X + b`` over all ``m``
examples at once. A ``Tensor`` records each operation like a ``Value`` does,
and the shared core (:mod:`micrograd_dls.graph`) backpropagates through both.

The engine is a small package, one job per file:

* :mod:`.rules` -- the table of vector-Jacobian rules and the one
  :func:`unbroadcast` that undoes broadcasting for all of them;
* :mod:`.node` -- the :class:`Tensor` class: its operations, the chain rule's
  bookkeeping, and the operand checks and error messages;
* :mod:`.functions` -- operations written as functions: ``linear``, softmax
  and its relatives, and the costs;
* :mod:`.ops` -- the other operations with numpy's and PyTorch's names
  (``maximum``, ``where``, ``var``, ``cat``, ...), each forward once;
* :mod:`.creation` -- new tensors: ``zeros``, ``ones``, ``randn``, ``eye``, ...;
* :mod:`.protocols` -- numpy's protocols (``__array__``,
  ``__array_function__``, ``__array_ufunc__``) mapped onto the same rules.

Speed comes from doing less: an input that does not require a gradient (the
data ``X``, the labels ``Y``) is kept in the graph for the picture but gets no
gradient computed; the engine's own arrays are never copied (an array the
caller still holds is copied once, as ``torch.tensor`` does); a gradient
passes through unchanged when the shapes already match.
"""

import numpy as _np

from ..graph import on_anomaly_mode as _on_anomaly_mode
from . import protocols as _protocols  # noqa: F401  (installs numpy's protocols on Tensor)
from .creation import (
    arange,
    eye,
    from_numpy,
    full_like,
    ones,
    ones_like,
    randn,
    randn_like,
    zeros,
    zeros_like,
)
from .functions import (
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cross_entropy,
    linear,
    log_softmax,
    logsumexp,
    softmax,
)
from .node import Tensor
from .ops import (
    argmax,
    cat,
    concatenate,
    expand_dims,
    flatten,
    log1p,
    maximum,
    min,  # PyTorch's name (torch.min); shadows the builtin in this module only
    minimum,
    norm,
    sign,
    squeeze,
    stack,
    std,
    unsqueeze,
    var,
    where,
)
from .rules import unbroadcast

__all__ = [
    "Tensor",
    "arange",
    "argmax",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cat",
    "concatenate",
    "cross_entropy",
    "expand_dims",
    "eye",
    "flatten",
    "from_numpy",
    "full_like",
    "linear",
    "log1p",
    "log_softmax",
    "logsumexp",
    "maximum",
    "min",
    "minimum",
    "norm",
    "ones",
    "ones_like",
    "randn",
    "randn_like",
    "sign",
    "softmax",
    "squeeze",
    "stack",
    "std",
    "unbroadcast",
    "unsqueeze",
    "var",
    "where",
    "zeros",
    "zeros_like",
]


# In anomaly mode every Tensor operation whose result is not finite raises an
# AnomalyError naming it, the user's line and the likely cause; numpy's own
# RuntimeWarning for the same number ("divide by zero encountered in log") would
# come first and, where warnings are errors (pytest), take the explanation's place.
# So numpy's floating-point warnings are off inside the block, as PyTorch has none.
_numpy_errors: list[dict] = []


def _quiet_numpy_in_anomaly_mode(on: bool) -> None:
    if on:
        _numpy_errors.append(_np.seterr(all="ignore"))
    elif _numpy_errors:
        _np.seterr(**_numpy_errors.pop())


_on_anomaly_mode(_quiet_numpy_in_anomaly_mode)
