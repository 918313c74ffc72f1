"""Tensor operations written as functions: ``linear`` (the course's
``linear_forward`` as one node), softmax and its relatives, and the costs."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..checks import quote
from .node import Tensor, _axes, _check_matmul, _labels, _name, _result, _tensor
from .rules import (
    BCE,
    BCE_LOGITS,
    CROSS_ENTROPY,
    LINEAR,
    LOG_SOFTMAX,
    LOGSUMEXP,
    SOFTMAX,
)

__all__ = [
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "cross_entropy",
    "linear",
    "log_softmax",
    "logsumexp",
    "softmax",
]


def linear(W: Any, A: Any, b: Any) -> Tensor:
    """Z = W A + b as one node (the course's linear_forward);  dW = dZ·Aᵀ, dA = Wᵀ·dZ,
    db = sum(dZ, axis=1, keepdims=True).

    The same numbers and gradients as ``W @ A + b``, and the picture the
    lecture draws (one node z[l] = W[l] a[l-1] + b[l]); one array instead of
    two, since the product needs no node of its own to show. ``b`` is the
    column (n, 1) -- or a number, like logistic regression's b; a rank-1 b is
    refused, since numpy would broadcast it along the examples.
    """
    W, A, b = _tensor(W, "linear"), _tensor(A, "linear"), _tensor(b, "linear")
    w, a = W._data, A._data
    if not (w.ndim == 2 and a.ndim == 2 and w.shape[1] == a.shape[0]):
        _check_matmul(W, A, "linear(W, A, b)", vectors=False)
    if b._data.ndim not in (0, 2):
        n = w.shape[0]
        raise ValueError(
            f"linear(W, A, b): b has shape {b._data.shape}{_labels(b)}; give it the shape "
            f"({n}, 1), one bias per row of W"
            + (f": b.reshape({n}, 1)" if b._data.shape == (n,) else "")
            + " -- a rank-1 b would broadcast along the examples instead"
        )
    z = w @ a
    try:
        z += b._data  # z is ours: add the bias in place
    except ValueError:
        raise ValueError(
            f"linear(W, A, b): b of shape {b._data.shape}{_labels(b)} does not broadcast to "
            f"W A of shape {z.shape}; give b the shape ({z.shape[0]}, 1)"
        ) from None
    return _result(z, (W, A, b), LINEAR, (w, a), "linear")


# --- the course's cost ------------------------------------------------------------------


def _cost_operands(a: Any, y: Any, what: str, first: str) -> tuple[Tensor, Tensor, int]:
    a, y = _tensor(a, what), _tensor(y, what)
    for t, name in ((a, first), (y, "Y")):
        if t._data.ndim != 2:
            shape = t._data.shape
            fix = f"reshape(1, {shape[0]})" if t._data.ndim == 1 else "reshape(1, m)"
            raise ValueError(
                f"{what}: {name} has shape {shape}; it must be a row (1, m) -- one column per "
                f"example. A rank-1 array breeds broadcasting bugs: use {name}.{fix}"
            )
    if a._data.shape != y._data.shape:
        raise ValueError(
            f"{what}: {first} has shape {a._data.shape} but Y has shape {y._data.shape}; they "
            "must be equal (one prediction per label)"
        )
    return a, y, a._data.shape[1]


def binary_cross_entropy(A: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ (Y log A + (1-Y) log(1-A));  dA = (1/m)(A - Y) / (A(1 - A)).

    ``A`` are probabilities (e.g. σ(Z)) of shape (1, m), ``Y`` the labels. Each
    log is floored at -100 (as PyTorch's BCELoss): J stays finite when A is
    exactly 0 or 1, and 0·log 0 counts as 0. From logits prefer
    :func:`binary_cross_entropy_with_logits`.
    """
    A, Y, m = _cost_operands(A, Y, "binary_cross_entropy(A, Y)", "A")
    a, y = A._data, Y._data
    if not ((a >= 0.0) & (a <= 1.0)).all():  # NaN included, as PyTorch's BCELoss
        bad = tuple(int(i) for i in np.argwhere(~((a >= 0.0) & (a <= 1.0)))[0])
        raise ValueError(
            f"binary_cross_entropy(A, Y): A must be probabilities in [0, 1], but A{list(bad)} "
            f"= {a[bad]}; σ(Z) always is, so check the forward pass -- or from the logits Z use "
            "binary_cross_entropy_with_logits(Z, Y)"
        )
    log_a = np.maximum(np.log(a, out=np.full_like(a, -100.0), where=a > 0), -100.0)
    b = 1.0 - a
    log_1ma = np.maximum(np.log(b, out=np.full_like(b, -100.0), where=b > 0), -100.0)
    J = -(y * log_a + (1.0 - y) * log_1ma).sum() / m
    return _result(J, (A, Y), BCE, (a, y, m), "BCE")


def binary_cross_entropy_with_logits(Z: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ (Y log σ(Z) + (1-Y) log(1-σ(Z)));  dZ = (1/m)(σ(Z) - Y).

    The course's cost computed from the logits ``Z`` of shape (1, m) without
    forming σ(Z): J = (1/m) Σ (softplus(Z) - Y·Z), finite for any finite Z. The
    gradient is the course's dZ[L] = A[L] - Y (divided by m, the mean). At
    Z = ±inf each term is its limit: 0 where the label agrees (Y = 1 at +inf,
    Y = 0 at -inf), +inf where it does not -- PyTorch's formula gives NaN for
    the 0·inf there; the gradient is PyTorch's, (σ(±inf) - Y)/m.
    """
    Z, Y, m = _cost_operands(Z, Y, "binary_cross_entropy_with_logits(Z, Y)", "Z")
    z, y = Z._data, Y._data
    # inf - inf where some Z = ±inf: redone below; a sum past 1.8e308 is J = inf, as PyTorch
    with np.errstate(invalid="ignore", over="ignore"):
        softplus = np.logaddexp(0.0, z)
        J = (softplus - y * z).sum() / m
    if not math.isfinite(J):  # rarely: Z = ±inf or NaN; each term at its limit
        softplus = None
        J = _cost_at_odd_logits(z, y, ~np.isfinite(z)) / m
    return _result(J, (Z, Y), BCE_LOGITS, (z, y, softplus, m), "BCE")


def _cost_at_odd_logits(z: np.ndarray, y: np.ndarray, odd: np.ndarray) -> float:
    """Σ (softplus(Z) - Y Z) where some Z are not finite: a term at Z = ±inf is its
    limit, (1 - Y)·inf at +inf and Y·inf at -inf with 0·inf counted as 0; NaN stays NaN."""
    finite_z = np.where(odd, 0.0, z)
    terms = np.logaddexp(0.0, finite_z) - y * finite_z
    wrong = np.where(z > 0, 1.0 - y, y)  # the weight of the label that disagrees
    limit = np.where(wrong > 0, np.inf, np.where(wrong < 0, -np.inf, 0.0))
    terms = np.where(odd, np.where(np.isnan(z), np.nan, limit), terms)
    with np.errstate(over="ignore", invalid="ignore"):  # huge finite terms: a sum of inf
        return float(terms.sum())


# --- softmax over the classes: Z of shape (K, m), one column per example ------------------


def _one_axis(t: Tensor, axis: Any, what: str) -> int:
    ax = _axes(t, axis, what)
    if ax is None or len(ax) != 1:
        raise TypeError(f"{what}(axis={quote(axis)}): give one axis (0: the classes of Z (K, m))")
    return ax[0]


def _shifted(z: np.ndarray, axis: Any) -> tuple[np.ndarray, np.ndarray]:
    """z - max z (so exp never overflows) and Σ exp of it, both keeping ``axis``; an all
    -inf slice is shifted by 0, and a slice holding +inf or NaN is NaN throughout, as
    PyTorch's softmax gives it (inf - inf, silently)."""
    top = z.max(axis=axis, keepdims=True)
    top = np.where(top == -np.inf, 0.0, top)
    with np.errstate(invalid="ignore"):
        shifted = z - top
    return shifted, np.exp(shifted).sum(axis=axis, keepdims=True)


def softmax(Z: Any, axis: int = 0) -> Tensor:
    """s = exp(z) / Σ exp(z) over ``axis``;  dz = s (ds - Σ ds s).

    The course's layout puts the K classes in the rows of Z (K, m), so ``axis``
    is 0 by default -- PyTorch's ``dim=1`` for its (m, K) rows. Computed from
    z - max z: no overflow at z = ±1000.
    """
    Z = _tensor(Z, "softmax")
    ax = _one_axis(Z, axis, "softmax")
    shifted, total = _shifted(Z._data, ax)
    s = np.exp(shifted) / total
    return _result(s, (Z,), SOFTMAX, (s, ax), "softmax")


def log_softmax(Z: Any, axis: int = 0) -> Tensor:
    """out = z - log Σ exp(z) over ``axis`` (0: the classes of Z (K, m));
    dz = dout - softmax(z) Σ dout."""
    Z = _tensor(Z, "log_softmax")
    ax = _one_axis(Z, axis, "log_softmax")
    shifted, total = _shifted(Z._data, ax)
    ls = shifted - np.log(total)
    return _result(ls, (Z,), LOG_SOFTMAX, (ls, ax), "log_softmax")


def logsumexp(Z: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """out = log Σ exp(z) over ``axis`` (all entries by default), without overflow;
    dz = dout · softmax(z)."""
    Z = _tensor(Z, "logsumexp")
    ax = _axes(Z, axis, "logsumexp")
    z = Z._data
    if z.size == 0:
        raise ValueError(f"logsumexp() of {_name(Z)}: it is empty")
    top = z.max(axis=ax, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):  # log 0 = -inf for an all -inf slice, as numpy gives
        out = np.log(np.exp(z - top).sum(axis=ax, keepdims=True)) + top
    keep = out if keepdims else out.reshape(
        [n for i, n in enumerate(z.shape) if ax is not None and i not in ax]
    )
    return _result(keep, (Z,), LOGSUMEXP, (z, keep, ax, keepdims), "logsumexp")


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
    Z, Y = _tensor(Z, what), _tensor(Y, what)
    z, y = Z._data, Y._data
    if z.ndim != 2 or z.shape[0] < 2:
        raise ValueError(
            f"{what}: Z has shape {z.shape}; it must be (K, m) with K >= 2 classes in the rows "
            "and one column per example (for two classes, binary_cross_entropy_with_logits "
            "takes Z of shape (1, m))"
        )
    K, m = z.shape
    if y.shape == (1, m) and K > 1:  # class indices: one-hot them
        labels = y[0]
        if not (np.all(labels == np.round(labels)) and np.all((labels >= 0) & (labels < K))):
            raise ValueError(
                f"{what}: Y of shape (1, {m}) holds class indices, which must be whole numbers "
                f"0..{K - 1}"
            )
        Y = Tensor((np.arange(K)[:, None] == labels[None, :]).astype(z.dtype))
        y = Y._data
    if y.shape != z.shape:
        raise ValueError(
            f"{what}: Z has shape {z.shape} but Y has shape {y.shape}; Y must be one-hot "
            f"({K}, {m}) or the class indices as a row (1, {m})"
        )
    shifted, total = _shifted(z, 0)
    ls = shifted - np.log(total)
    # 0·log 0 counts as 0: a class with no weight in Y adds nothing even where its
    # log-probability is -inf (PyTorch's class-index form); a sum past 1.8e308 is inf.
    with np.errstate(invalid="ignore", over="ignore"):
        J = -np.where(y != 0.0, y * ls, 0.0).sum() / m
    return _result(J, (Z, Y), CROSS_ENTROPY, (ls, y, m), "cross_entropy")
