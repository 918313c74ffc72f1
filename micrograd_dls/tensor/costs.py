"""The costs and softmax: the course's cross-entropy J (from probabilities A or, stably,
from the logits Z), and softmax, log-softmax and cross-entropy over K classes.

Each operation is one :class:`~.rule.Rule`: forward, vector-Jacobian products
and their text side by side. The course's layout holds throughout: one
column per example, labels ``Y`` of shape (1, m) (or (K, m) one-hot), m the
number of columns. This module knows numpy, the rule and the operand
messages; the Tensor class applies the rules (:mod:`.tensor`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..checks import quote, rank1_message
from .elementwise import sigmoid_of
from .operands import axes
from .rule import Rule

__all__ = ["check_cost_operands", "class_indices_one_hot"]


def check_cost_operands(a: Any, y: Any, what: str, first: str) -> int:
    """Refuse predictions and labels that are not rows (1, m) of equal shape; return m."""
    for t, name in ((a, first), (y, "Y")):
        shape = t._data.shape
        if t._data.ndim == 1:
            raise ValueError(rank1_message(name, shape, f"{name}.reshape(1, {shape[0]})", what))
        if t._data.ndim != 2:
            raise ValueError(
                f"{what}: {name} has shape {shape}; it must be a row (1, m) -- one column per "
                f"example: use {name}.reshape(1, m)"
            )
    if a._data.shape != y._data.shape:
        raise ValueError(
            f"{what}: {first} has shape {a._data.shape} but Y has shape {y._data.shape}; they "
            "must be equal (one prediction per label)"
        )
    return a._data.shape[1]


# --- the course's cost J = -(1/m) Σ (Y log A + (1-Y) log(1-A)) ------------------------------


def _bce(A: Any, Y: Any) -> tuple[Any, tuple]:
    m = check_cost_operands(A, Y, "binary_cross_entropy(A, Y)", "A")
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
    return J, (a, y, m)


def _bce_da(g: np.ndarray, a: np.ndarray, y: np.ndarray, m: int) -> np.ndarray:
    # a(1-a) floored as PyTorch's BCELoss does: finite when A is exactly 0 or 1.
    return (a - y) * (float(g) / m) / np.maximum(a * (1.0 - a), 1e-12)


def _bce_dy(g: np.ndarray, a: np.ndarray, y: np.ndarray, m: int) -> np.ndarray:
    # -logit(A), not floored, as PyTorch: +inf at A = 0, -inf at A = 1
    return (np.log1p(-a) - np.log(a)) * (float(g) / m)


# J from probabilities A, each log floored at -100 (PyTorch's BCELoss);
# dA = (1/m)(A - Y) / (A(1 - A)), dY = (1/m)(log(1 - A) - log A)
BCE = Rule(
    "BCE", _bce, (_bce_da, _bce_dy),
    ("d{0} = (1/m)({0} - {1}) / ({0}(1 - {0}))", "d{1} = (1/m)(log(1 - {0}) - log {0})"),
)


def _bce_logits(Z: Any, Y: Any) -> tuple[Any, tuple]:
    m = check_cost_operands(Z, Y, "binary_cross_entropy_with_logits(Z, Y)", "Z")
    z, y = Z._data, Y._data
    # inf - inf where some Z = ±inf: redone below; a sum past 1.8e308 is J = inf, as PyTorch
    with np.errstate(invalid="ignore", over="ignore"):
        softplus = np.logaddexp(0.0, z)
        J = (softplus - y * z).sum() / m
    if not math.isfinite(J):  # rarely: Z = ±inf or NaN; each term at its limit
        softplus = None
        J = _cost_at_odd_logits(z, y, ~np.isfinite(z)) / m
    return J, (z, y, softplus, m)


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


def _bce_logits_dz(g: np.ndarray, z: np.ndarray, y: np.ndarray, softplus: np.ndarray | None,
                   m: int) -> np.ndarray:
    # σ(Z) = exp(Z - softplus(Z)) never overflows; where some Z is not finite the
    # forward saved no softplus
    a = sigmoid_of(z) if softplus is None else np.exp(z - softplus)
    return (a - y) * (float(g) / m)


# J from the logits: (1/m) Σ (softplus(Z) - Y Z);  dZ = (1/m)(σ(Z) - Y), dY = -(1/m) Z
BCE_LOGITS = Rule(
    "BCE", _bce_logits, (_bce_logits_dz, lambda g, z, y, softplus, m: z * (-float(g) / m)),
    ("d{0} = (1/m)(σ({0}) - {1})", "d{1} = -(1/m) {0}"),
)

# --- softmax over the classes: Z of shape (K, m), one column per example ------------------


def _one_axis(t: Any, axis: Any, what: str) -> int:
    ax = axes(t, axis, what)
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


def _softmax(Z: Any, axis: Any) -> tuple[np.ndarray, tuple]:
    ax = _one_axis(Z, axis, "softmax")
    shifted, total = _shifted(Z._data, ax)
    s = np.exp(shifted) / total
    return s, (s, ax)


# s = exp(z) / Σ exp(z) over axis;  dz = s (ds - Σ ds s)
SOFTMAX = Rule(
    "softmax", _softmax, (lambda g, s, axis: s * (g - (g * s).sum(axis=axis, keepdims=True)),),
    ("d{0} = {out} * (d{out} - Σ d{out} * {out})",),
)


def _log_softmax(Z: Any, axis: Any) -> tuple[np.ndarray, tuple]:
    ax = _one_axis(Z, axis, "log_softmax")
    shifted, total = _shifted(Z._data, ax)
    ls = shifted - np.log(total)
    return ls, (ls, ax)


# out = z - log Σ exp(z) over axis;  dz = dout - softmax(z) Σ dout
LOG_SOFTMAX = Rule(
    "log_softmax", _log_softmax,
    (lambda g, ls, axis: g - np.exp(ls) * g.sum(axis=axis, keepdims=True),),
    ("d{0} = d{out} - softmax({0}) Σ d{out}",),
)


def class_indices_one_hot(z: np.ndarray, y: np.ndarray, what: str) -> np.ndarray | None:
    """Y given as class indices, a row (1, m) of whole numbers 0..K-1, as one-hot (K, m);
    None when Y is not such a row."""
    K, m = z.shape
    if y.shape != (1, m) or K <= 1:
        return None
    labels = y[0]
    if not (np.all(labels == np.round(labels)) and np.all((labels >= 0) & (labels < K))):
        raise ValueError(
            f"{what}: Y of shape (1, {m}) holds class indices, which must be whole numbers "
            f"0..{K - 1}"
        )
    return (np.arange(K)[:, None] == labels[None, :]).astype(z.dtype)


def _cross_entropy(Z: Any, Y: Any) -> tuple[Any, tuple]:
    what = "cross_entropy(Z, Y)"
    z, y = Z._data, Y._data
    if y.shape != z.shape:
        K, m = z.shape
        raise ValueError(
            f"{what}: Z has shape {z.shape} but Y has shape {y.shape}; Y must be one-hot "
            f"({K}, {m}) or the class indices as a row (1, {m})"
        )
    shifted, total = _shifted(z, 0)
    ls = shifted - np.log(total)
    m = z.shape[1]
    # 0·log 0 counts as 0: a class with no weight in Y adds nothing even where its
    # log-probability is -inf (PyTorch's class-index form); a sum past 1.8e308 is inf.
    with np.errstate(invalid="ignore", over="ignore"):
        J = -np.where(y != 0.0, y * ls, 0.0).sum() / m
    return J, (ls, y, m)


# J = -(1/m) Σ Y log softmax(Z);  dZ = (1/m)(softmax(Z) Σ_k Y - Y), dY = -(1/m) log softmax(Z)
CROSS_ENTROPY = Rule(
    "cross_entropy", _cross_entropy,
    (
        lambda g, ls, y, m: (np.exp(ls) * y.sum(axis=0, keepdims=True) - y) * (float(g) / m),
        lambda g, ls, y, m: ls * (-float(g) / m),
    ),
    ("d{0} = (1/m)(softmax({0}) - {1})", "d{1} = -(1/m) log softmax({0})"),
)
