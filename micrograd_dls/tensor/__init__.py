"""``Tensor``: a numpy array as a node of the computation graph.

The course's second lesson is vectorization: ``Z = W @ X + b`` over all ``m``
examples at once. A ``Tensor`` records each operation like a ``Value`` does,
and the shared core (:mod:`micrograd_dls.graph`) backpropagates through both.

The engine is a small package, one job per file, each importing only the
ones listed before it:

* :mod:`.rule` -- how an operation is written down (:class:`~.rule.Rule`:
  forward, vector-Jacobian products and their text) and the one
  :func:`unbroadcast` that undoes broadcasting for all of them;
* :mod:`.operands` -- numbers, axes, and the errors that name a tensor;
* the operations, each once, grouped by kind: :mod:`.elementwise`
  (arithmetic, activations, ``maximum``, ``where``), :mod:`.products`
  (``@`` and ``linear``), :mod:`.reductions`, :mod:`.shapes` (reshaping,
  indexing, joining), :mod:`.costs` (the course's cost, softmax);
* :mod:`.versions` -- in-place changes, counted so that backward never uses
  an array changed behind its back;
* :mod:`.methods` and :mod:`.conversions` -- the Tensor methods that apply
  the rules, and what a tensor gives that is not a node (numbers, shapes,
  comparisons);
* :mod:`.tensor` -- the :class:`Tensor` class and the chain rule's
  bookkeeping: leaves, results, receiving and passing on gradients;
* :mod:`.functions` -- the operations as functions with numpy's and
  PyTorch's names (``maximum``, ``var``, ``cat``, ``linear``, the costs);
* :mod:`.creation` -- new tensors: ``zeros``, ``ones``, ``randn``, ``eye``, ...;
* :mod:`.protocols` -- numpy's protocols (``__array__``,
  ``__array_function__``, ``__array_ufunc__``) mapped onto the same rules.

Speed comes from doing less: an input that does not require a gradient (the
data ``X``, the labels ``Y``) is kept in the graph for the picture but gets no
gradient computed; the engine's own arrays are never copied (an array the
caller still holds is copied once, as ``torch.tensor`` does); a gradient
passes through unchanged when the shapes already match.
"""

import threading as _threading

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
    argmax,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    cat,
    concatenate,
    cross_entropy,
    expand_dims,
    flatten,
    linear,
    log1p,
    log_softmax,
    logsumexp,
    maximum,
    min,  # PyTorch's name (torch.min); shadows the builtin in this module only
    minimum,
    norm,
    sign,
    softmax,
    squeeze,
    stack,
    std,
    unsqueeze,
    var,
    where,
)
from .rule import unbroadcast
from .tensor import Tensor

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
# numpy keeps its error state per thread, and so does this stack of saved states.
_numpy_errors = _threading.local()


def _quiet_numpy_in_anomaly_mode(on: bool) -> None:
    saved = _numpy_errors.__dict__.setdefault("stack", [])
    if on:
        saved.append(_np.seterr(all="ignore"))
    elif saved:
        _np.seterr(**saved.pop())


_on_anomaly_mode(_quiet_numpy_in_anomaly_mode, per_thread=True)
