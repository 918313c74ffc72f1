"""Tensor operations written as functions: ``linear`` (the course's
``linear_forward`` as one node) and the course's cost."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .node import Tensor, _check_matmul, _labels, _result, _tensor
from .rules import BCE, BCE_LOGITS, LINEAR

__all__ = ["binary_cross_entropy", "binary_cross_entropy_with_logits", "linear"]


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
    w, a = W.data, A.data
    if not (w.ndim == 2 and a.ndim == 2 and w.shape[1] == a.shape[0]):
        _check_matmul(W, A, "linear(W, A, b)", vectors=False)
    if b.data.ndim not in (0, 2):
        n = w.shape[0]
        raise ValueError(
            f"linear(W, A, b): b has shape {b.data.shape}{_labels(b)}; give it the shape "
            f"({n}, 1), one bias per row of W"
            + (f": b.reshape({n}, 1)" if b.data.shape == (n,) else "")
            + " -- a rank-1 b would broadcast along the examples instead"
        )
    z = w @ a
    try:
        z += b.data  # z is ours: add the bias in place
    except ValueError:
        raise ValueError(
            f"linear(W, A, b): b of shape {b.data.shape}{_labels(b)} does not broadcast to "
            f"W A of shape {z.shape}; give b the shape ({z.shape[0]}, 1)"
        ) from None
    return _result(z, (W, A, b), LINEAR, (w, a), "linear")


# --- the course's cost ------------------------------------------------------------------


def _cost_operands(a: Any, y: Any, what: str, first: str) -> tuple[Tensor, Tensor, int]:
    a, y = _tensor(a, what), _tensor(y, what)
    for t, name in ((a, first), (y, "Y")):
        if t.data.ndim != 2:
            shape = t.data.shape
            fix = f"reshape(1, {shape[0]})" if t.data.ndim == 1 else "reshape(1, m)"
            raise ValueError(
                f"{what}: {name} has shape {shape}; it must be a row (1, m) -- one column per "
                f"example. A rank-1 array breeds broadcasting bugs: use {name}.{fix}"
            )
    if a.data.shape != y.data.shape:
        raise ValueError(
            f"{what}: {first} has shape {a.data.shape} but Y has shape {y.data.shape}; they "
            "must be equal (one prediction per label)"
        )
    return a, y, a.data.shape[1]


def binary_cross_entropy(A: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ (Y log A + (1-Y) log(1-A));  dA = (1/m)(A - Y) / (A(1 - A)).

    ``A`` are probabilities (e.g. σ(Z)) of shape (1, m), ``Y`` the labels. Each
    log is floored at -100 (as PyTorch's BCELoss): J stays finite when A is
    exactly 0 or 1, and 0·log 0 counts as 0. From logits prefer
    :func:`binary_cross_entropy_with_logits`.
    """
    A, Y, m = _cost_operands(A, Y, "binary_cross_entropy(A, Y)", "A")
    a, y = A.data, Y.data
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
    z, y = Z.data, Y.data
    with np.errstate(invalid="ignore"):  # inf - inf where some Z = ±inf: redone below
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
    return float(terms.sum())
