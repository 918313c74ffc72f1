"""The Tensor operations written as functions, with numpy's and PyTorch's names:
``maximum``, ``where``, ``var``, ``squeeze``, ``cat``, ``stack``, ``linear``, the costs,
``softmax``, ...

Each applies the one rule of its operation (in the module of its kind), as
the Tensor method of the same name does; an array or number argument
becomes a constant. numpy's ``np.maximum``, ``np.var``, ``np.concatenate``
reach the same functions through :mod:`.protocols`. This module adds no
mathematics of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..checks import quote
from .costs import BCE, BCE_LOGITS, CROSS_ENTROPY, class_indices_one_hot
from .elementwise import WHERE
from .operands import describe
from .products import LINEAR
from .record import apply
from .reductions import NORM, argmax_of
from .shapes import join_rule
from .tensor import Tensor, as_tensor, leaf, operands

__all__ = [
    "argmax",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cat",
    "concatenate",
    "copy",
    "cross_entropy",
    "expand_dims",
    "flatten",
    "linear",
    "log1p",
    "log_softmax",
    "logsumexp",
    "maximum",
    "min",
    "minimum",
    "norm",
    "sign",
    "softmax",
    "squeeze",
    "stack",
    "std",
    "unsqueeze",
    "var",
    "where",
]

# --- elementwise --------------------------------------------------------------------------


def maximum(x: Any, y: Any) -> Tensor:
    """out = max(x, y) elementwise (broadcast);  dx = dout where x > y, dy = dout where y > x,
    half each at a tie of two tensors (PyTorch's rule). A number wins its tie:
    ``maximum(0, Z)`` is the ReLU with relu'(0) = 0, as the course's relu_backward."""
    if isinstance(x, Tensor):
        return x.maximum(y)
    if isinstance(y, Tensor):
        return y._extremum(x, np.maximum, "maximum", swapped=True)
    return as_tensor(x, "maximum").maximum(y)


def minimum(x: Any, y: Any) -> Tensor:
    """out = min(x, y) elementwise (broadcast);  dx = dout where x < y, half at a tie of two
    tensors, 0 at a tie with a number."""
    if isinstance(x, Tensor):
        return x.minimum(y)
    if isinstance(y, Tensor):
        return y._extremum(x, np.minimum, "minimum", swapped=True)
    return as_tensor(x, "minimum").minimum(y)


def where(condition: Any, x: Any, y: Any) -> Tensor:
    """out = x where condition else y (broadcast);  dx = dout · cond, dy = dout · (1 - cond).

    ``condition`` is an array of booleans (``Z > 0``), not differentiated, and
    copied: a later change to it cannot move the gradient. The leaky ReLU is
    ``where(Z > 0, Z, 0.01 * Z)``.
    """
    if isinstance(condition, Tensor):
        condition = condition._data
    cond = np.array(condition, dtype=bool)
    x, y = operands(x, y, "where")
    try:
        return apply(WHERE, (x, y), cond)
    except ValueError:
        raise ValueError(
            f"where(condition, x, y): the condition of shape {cond.shape}, {describe(x)} and "
            f"{describe(y)} do not broadcast -- aligned from the right, each axis must match "
            "or be 1"
        ) from None


def log1p(x: Any) -> Tensor:
    """a = log(1 + x), exact for small x;  dx = dout / (1 + x)."""
    return as_tensor(x, "log1p").log1p()


def sign(x: Any) -> Tensor:
    """a = sign(x) in {-1, 0, 1};  dx = 0 (as PyTorch)."""
    return as_tensor(x, "sign").sign()


def copy(x: Any) -> Tensor:
    """out = x, a new array in the graph;  dx = dout."""
    return as_tensor(x, "copy").copy()


# --- reductions -----------------------------------------------------------------------------


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """out = min x over ``axis``;  dx = dout at the minimum (shared equally by ties)."""
    return as_tensor(x, "min").min(axis, keepdims)


def var(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """out = (1/(n - ddof)) Σ (x - μ)² over ``axis``;  dx = dout · 2(x - μ)/(n - ddof)."""
    return as_tensor(x, "var").var(axis, ddof, keepdims)


def std(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """out = √var(x) over ``axis``;  dx = dout · (x - μ)/((n - ddof) out), 0 where out = 0."""
    return as_tensor(x, "std").std(axis, ddof, keepdims)


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    """out = ‖x‖ = √(Σ x²) over ``axis`` (the 2-norm of a vector, Frobenius of a matrix);
    dx = dout · x / out, 0 where out = 0.

    The other norms (``ord=1``, ``np.inf``, the spectral norm) are refused:
    write them with ``abs``, ``sum`` and ``max``.
    """
    return apply(NORM, (as_tensor(x, "norm"),), ord, axis, keepdims)


def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> np.ndarray:
    """The index of the largest entry (along ``axis``): plain integers, with no gradient."""
    return argmax_of(as_tensor(x, "argmax"), axis, keepdims)


def logsumexp(Z: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """out = log Σ exp(z) over ``axis`` (all entries by default), without overflow;
    dz = dout · softmax(z)."""
    return as_tensor(Z, "logsumexp").logsumexp(axis, keepdims)


# --- shapes ---------------------------------------------------------------------------------


def squeeze(x: Any, axis: Any = None) -> Tensor:
    """out = x without its axes of size 1 (or only ``axis``);  dx = dout reshaped back.

    ``squeeze(cost)`` turns the cost of shape (1, 1) into a number, as the course does.
    """
    return as_tensor(x, "squeeze").squeeze(axis)


def expand_dims(x: Any, axis: Any) -> Tensor:
    """out = x with new axes of size 1 at ``axis``;  dx = dout reshaped back."""
    return as_tensor(x, "expand_dims").expand_dims(axis)


def unsqueeze(x: Any, dim: int) -> Tensor:
    """out = x with a new axis of size 1 at ``dim`` (PyTorch's name);  dx = dout reshaped back."""
    return as_tensor(x, "unsqueeze").unsqueeze(dim)


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """out = x with the axes start_dim..end_dim merged into one;  dx = dout reshaped back."""
    return as_tensor(x, "flatten").flatten(start_dim, end_dim)


def _join(tensors: Sequence[Any], axis: Any, stacked: bool, op: str) -> Tensor:
    if isinstance(tensors, (Tensor, np.ndarray)) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}(tensors, axis): give a list or tuple of tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise ValueError(f"{op}(): needs at least one tensor")
    ts = tuple(as_tensor(t, op) for t in tensors)
    if not (isinstance(axis, (int, np.integer)) and not isinstance(axis, (bool, np.bool_))):
        raise TypeError(f"{op}(axis={quote(axis)}): axis must be an int (flatten first for None)")
    return apply(join_rule(len(ts), stacked), ts, int(axis), stacked, op, op=(op, None))


def cat(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """out = [x₀, x₁, ...] joined along ``axis``;  dxᵢ = dout's part that came from xᵢ."""
    return _join(tensors, axis, False, "cat")


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """out = [x₀, x₁, ...] joined along ``axis`` (numpy's name for :func:`cat`)."""
    return _join(tensors, axis, False, "concatenate")


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """out[..., i, ...] = xᵢ along a new ``axis``;  dxᵢ = dout[..., i, ...]."""
    return _join(tensors, axis, True, "stack")


# --- the course's layer and costs -------------------------------------------------------------


def linear(W: Any, A: Any, b: Any) -> Tensor:
    """Z = W A + b as one node (the course's linear_forward);  dW = dZ·Aᵀ, dA = Wᵀ·dZ,
    db = sum(dZ, axis=1, keepdims=True).

    The same numbers and gradients as ``W @ A + b``, and the picture the
    lecture draws (one node z[l] = W[l] a[l-1] + b[l]); one array instead of
    two, since the product needs no node of its own to show. ``b`` is the
    column (n, 1) -- or a number, like logistic regression's b; a rank-1 b is
    refused, since numpy would broadcast it along the examples.
    """
    return apply(LINEAR, (as_tensor(W, "linear"), as_tensor(A, "linear"), as_tensor(b, "linear")))


def binary_cross_entropy(A: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ (Y log A + (1-Y) log(1-A));  dA = (1/m)(A - Y) / (A(1 - A)).

    ``A`` are probabilities (e.g. σ(Z)) of shape (1, m), ``Y`` the labels. Each
    log is floored at -100 (as PyTorch's BCELoss): J stays finite when A is
    exactly 0 or 1, and 0·log 0 counts as 0. From logits prefer
    :func:`binary_cross_entropy_with_logits`.
    """
    what = "binary_cross_entropy(A, Y)"
    return apply(BCE, (as_tensor(A, what), as_tensor(Y, what)))


def binary_cross_entropy_with_logits(Z: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ (Y log σ(Z) + (1-Y) log(1-σ(Z)));  dZ = (1/m)(σ(Z) - Y).

    The course's cost computed from the logits ``Z`` of shape (1, m) without
    forming σ(Z): J = (1/m) Σ (softplus(Z) - Y·Z), finite for any finite Z. The
    gradient is the course's dZ[L] = A[L] - Y (divided by m, the mean). At
    Z = ±inf each term is its limit: 0 where the label agrees (Y = 1 at +inf,
    Y = 0 at -inf), +inf where it does not -- PyTorch's formula gives NaN for
    the 0·inf there; the gradient is PyTorch's, (σ(±inf) - Y)/m.
    """
    what = "binary_cross_entropy_with_logits(Z, Y)"
    return apply(BCE_LOGITS, (as_tensor(Z, what), as_tensor(Y, what)))


def softmax(Z: Any, axis: int = 0) -> Tensor:
    """s = exp(z) / Σ exp(z) over ``axis``;  dz = s (ds - Σ ds s).

    The course's layout puts the K classes in the rows of Z (K, m), so ``axis``
    is 0 by default -- PyTorch's ``dim=1`` for its (m, K) rows. Computed from
    z - max z: no overflow at z = ±1000.
    """
    return as_tensor(Z, "softmax").softmax(axis)


def log_softmax(Z: Any, axis: int = 0) -> Tensor:
    """out = z - log Σ exp(z) over ``axis`` (0: the classes of Z (K, m));
    dz = dout - softmax(z) Σ dout."""
    return as_tensor(Z, "log_softmax").log_softmax(axis)


def cross_entropy(Z: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ Y log softmax(Z), softmax over the K classes;  dZ = (1/m)(softmax(Z) - Y).

    The cost for K > 2 classes from the logits, stable for any Z. In the
    course's layout: ``Z`` of shape (K, m), one column of class scores per
    example, and ``Y`` one-hot of shape (K, m) (or probabilities that sum to 1
    per column), or the class indices as a row (1, m) of integers 0..K-1.
    PyTorch's ``cross_entropy`` takes the transpose, (m, K), with the mean
    over examples as here.
    """
    what = "cross_entropy(Z, Y)"
    Z, Y = as_tensor(Z, what), as_tensor(Y, what)
    z = Z._data
    if z.ndim != 2 or z.shape[0] < 2:
        raise ValueError(
            f"{what}: Z has shape {z.shape}; it must be (K, m) with K >= 2 classes in the rows "
            "and one column per example (for two classes, binary_cross_entropy_with_logits "
            "takes Z of shape (1, m))"
        )
    one_hot = class_indices_one_hot(z, Y._data, what)
    if one_hot is not None:
        Y = leaf(one_hot, False, None)
    return apply(CROSS_ENTROPY, (Z, Y))
