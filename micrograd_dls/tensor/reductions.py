"""Reductions over axes: ``sum``, ``mean``, ``max``, ``min``, ``var``, ``std``, ``norm``,
``logsumexp``.

Each operation is one :class:`~.rule.Rule`: forward, vector-Jacobian product
and its text side by side; each input entry's gradient is read back from the
reduced ``dout``. The forwards take the user's ``axis`` and check it against
the tensor (:func:`~.operands.axes`). This module knows numpy, the rule and
the operand messages; the Tensor class applies the rules (:mod:`.tensor`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import quote
from .operands import axes, describe, number
from .rule import Rule

__all__ = ["argmax_of"]


def _spread(g: np.ndarray, shape: tuple[int, ...], axis: tuple[int, ...] | None) -> np.ndarray:
    """g of a reduction over ``axis`` (without kept dims) as a writable array of ``shape``."""
    if axis is None:  # the full sum: one number to spread
        return np.full(shape, g, dtype=g.dtype)
    return np.broadcast_to(np.expand_dims(g, axis), shape).copy()


def _kept(g: np.ndarray, axis: Any, keepdims: bool, *more: np.ndarray) -> tuple:
    """``g`` (and arrays reduced like it) with the reduced axes back as size 1."""
    if axis is None or keepdims:
        return (g, *more)
    return tuple(np.expand_dims(a, axis) for a in (g, *more))


def _reduced(x: np.ndarray, top: np.ndarray, ax: tuple[int, ...] | None,
             keepdims: bool) -> np.ndarray:
    """A reduction kept with its axes (``top``) as numpy returns it for ``keepdims``."""
    if keepdims:
        return top
    return top.reshape([n for i, n in enumerate(x.shape) if ax is not None and i not in ax])


def _count(x: np.ndarray, ax: tuple[int, ...] | None) -> int:
    return x.size if ax is None else int(np.prod([x.shape[i] for i in ax]))


def _sum(x: Any, axis: Any, keepdims: bool) -> tuple[Any, tuple]:
    ax = axes(x, axis, "sum")
    out = np.add.reduce(x._data, axis=ax, keepdims=keepdims)  # type: ignore[call-overload]  # numpy's stubs take keepdims as a literal; ndarray.sum's own call
    return out, (x._data.shape, None if keepdims else ax)


# out = Σ x over axis;  dx = dout broadcast back
SUM = Rule(
    "sum", _sum, (lambda g, shape, axis: _spread(g, shape, axis),),
    ("d{0} = d{out} broadcast to {0}'s shape",), lambda c: (1.0,),
)


def _mean(x: Any, axis: Any, keepdims: bool) -> tuple[Any, tuple]:
    ax = axes(x, axis, "mean")
    a = x._data
    n = _count(a, ax)
    if n == 0:
        raise ValueError(f"mean() of {describe(x)} over an empty axis")
    return a.sum(axis=ax, keepdims=keepdims) / n, (a.shape, None if keepdims else ax, n)


# out = (1/n) Σ x over axis;  dx = dout / n broadcast back
MEAN = Rule(
    "mean", _mean, (lambda g, shape, axis, n: _spread(g / n, shape, axis),),
    ("d{0} = d{out} / n broadcast to {0}'s shape",),
)


def _extreme_vjp(g: np.ndarray, x: np.ndarray, top: np.ndarray, axis: Any,
                 keepdims: bool) -> np.ndarray:
    """Ties share the gradient equally (the subgradient PyTorch's amax uses); where the
    extreme is NaN, the NaN entries share it (as PyTorch's max)."""
    (g,) = _kept(g, axis, keepdims)
    hit = x == top
    if np.isnan(top).any():
        hit |= np.isnan(x) & np.isnan(top)
    return hit * (g / hit.sum(axis=axis, keepdims=True))


def _extreme(x: Any, axis: Any, keepdims: bool, what: str) -> tuple[Any, tuple]:
    ax = axes(x, axis, what)
    a = x._data
    if a.size == 0 or (ax is not None and any(a.shape[i] == 0 for i in ax)):
        raise ValueError(f"{what}() of {describe(x)}: it is empty, so it has no {what}imum")
    top = a.max(axis=ax, keepdims=True) if what == "max" else a.min(axis=ax, keepdims=True)
    return _reduced(a, top, ax, keepdims), (a, top, ax, keepdims)


# out = max x over axis;  dx = dout at the maximum (shared equally by ties)
MAX = Rule(
    "max", lambda x, axis, keepdims: _extreme(x, axis, keepdims, "max"), (_extreme_vjp,),
    ("d{0} = d{out} where {0} is the max, else 0",),
)
# out = min x over axis;  dx = dout at the minimum (shared equally by ties)
MIN = Rule(
    "min", lambda x, axis, keepdims: _extreme(x, axis, keepdims, "min"), (_extreme_vjp,),
    ("d{0} = d{out} where {0} is the min, else 0",),
)


def _moments(t: Any, axis: Any, ddof: Any, what: str) -> tuple:
    ax = axes(t, axis, what)
    d = number(ddof)
    if d is None or d != int(d) or d < 0:
        raise TypeError(f"{what}(ddof={quote(ddof)}): ddof must be a whole number >= 0")
    x = t._data
    n = _count(x, ax)
    dof = n - int(d)
    if dof <= 0:
        raise ValueError(
            f"{what}(ddof={int(d)}) of {describe(t)} over {n} entr{'y' if n == 1 else 'ies'}: "
            "n - ddof must be positive"
        )
    return ax, x - x.mean(axis=ax, keepdims=True), dof


def _var(x: Any, axis: Any, ddof: Any, keepdims: bool) -> tuple[Any, tuple]:
    ax, centred, dof = _moments(x, axis, ddof, "var")
    out = (centred * centred).sum(axis=ax, keepdims=keepdims) / dof
    return out, (centred, ax, keepdims, dof)


def _var_vjp(g: np.ndarray, centred: np.ndarray, axis: Any, keepdims: bool,
             dof: int) -> np.ndarray:
    (g,) = _kept(g, axis, keepdims)
    return g * centred * (2.0 / dof)


# out = (1/(n - ddof)) Σ (x - μ)²;  dx = dout · 2(x - μ)/(n - ddof)
VAR = Rule("var", _var, (_var_vjp,), ("d{0} = d{out} · 2({0} - μ) / (n - ddof)",))


def _std(x: Any, axis: Any, ddof: Any, keepdims: bool) -> tuple[Any, tuple]:
    ax, centred, dof = _moments(x, axis, ddof, "std")
    out = np.sqrt((centred * centred).sum(axis=ax, keepdims=keepdims) / dof)
    return out, (centred, ax, keepdims, dof, np.asarray(out))


def _safe_ratio(g: np.ndarray, d: np.ndarray, dtype: Any) -> np.ndarray:
    """g / d, and 0 where d = 0 (the subgradient 0 at a point where every x - μ is 0)."""
    out = np.zeros(np.broadcast_shapes(g.shape, d.shape), dtype=dtype)
    return np.divide(g, d, out=out, where=d != 0)


def _std_vjp(g: np.ndarray, centred: np.ndarray, axis: Any, keepdims: bool, dof: int,
             sigma: np.ndarray) -> np.ndarray:
    g, sigma = _kept(g, axis, keepdims, sigma)
    return centred * _safe_ratio(g, dof * sigma, centred.dtype)


# out = √var x;  dx = dout · (x - μ)/((n - ddof) out), 0 where out = 0
STD = Rule("std", _std, (_std_vjp,), ("d{0} = d{out} · ({0} - μ) / ((n - ddof) {out})",))


def _norm(x: Any, ord: Any, axis: Any, keepdims: bool) -> tuple[Any, tuple]:
    ax = axes(x, axis, "norm")
    over = x._data.ndim if ax is None else len(ax)
    fits = ord is None or (ord == "fro" and over == 2) or (
        not isinstance(ord, str) and ord == 2 and over == 1
    )
    if not fits or (ax is not None and len(ax) > 2):
        raise ValueError(
            f"norm(ord={quote(ord)}, axis={quote(axis)}) of {describe(x)}: only the Euclidean "
            "norm √(Σ x²) "
            "is covered (ord=None, 2 for a vector, 'fro' for a matrix, over one or two axes); "
            "write other norms with abs(), sum() and max(), e.g. abs(x).sum() for ord=1"
        )
    d = x._data
    out = np.sqrt((d * d).sum(axis=ax, keepdims=keepdims))
    return out, (d, np.asarray(out), ax, keepdims)


def _norm_vjp(g: np.ndarray, x: np.ndarray, norm: np.ndarray, axis: Any,
              keepdims: bool) -> np.ndarray:
    g, norm = _kept(g, axis, keepdims, norm)
    return x * _safe_ratio(g, norm, x.dtype)  # at x = 0 the subgradient 0 (PyTorch's choice)


# out = ‖x‖ = √(Σ x²);  dx = dout · x / out, 0 where out = 0
NORM = Rule("norm", _norm, (_norm_vjp,), ("d{0} = d{out} · {0} / ‖{0}‖",))


def _logsumexp(x: Any, axis: Any, keepdims: bool) -> tuple[Any, tuple]:
    ax = axes(x, axis, "logsumexp")
    z = x._data
    if z.size == 0:
        raise ValueError(f"logsumexp() of {describe(x)}: it is empty")
    top = z.max(axis=ax, keepdims=True)
    top = np.where(np.isfinite(top), top, 0.0)
    with np.errstate(divide="ignore"):  # log 0 = -inf for an all -inf slice, as numpy gives
        out = np.log(np.exp(z - top).sum(axis=ax, keepdims=True)) + top
    keep = _reduced(z, out, ax, keepdims)
    return keep, (z, keep, ax, keepdims)


def _logsumexp_vjp(g: np.ndarray, x: np.ndarray, out: np.ndarray, axis: Any,
                   keepdims: bool) -> np.ndarray:
    g, out = _kept(g, axis, keepdims, out)
    return g * np.exp(x - out)


# out = log Σ exp(z) over axis, without overflow;  dz = dout · softmax(z)
LOGSUMEXP = Rule("logsumexp", _logsumexp, (_logsumexp_vjp,), ("d{0} = d{out} · softmax({0})",))


def argmax_of(x: Any, axis: Any, keepdims: bool) -> np.ndarray:
    """The index of the largest entry (along ``axis``): plain integers, with no gradient."""
    ax = axes(x, axis, "argmax")
    if ax is not None and len(ax) != 1:
        raise TypeError(f"argmax(axis={quote(axis)}): give one axis, or None for the flat index")
    a = x._data
    if a.size == 0 or (ax is not None and any(a.shape[i] == 0 for i in ax)):
        raise ValueError(f"argmax() of {describe(x)} over no entries")
    return np.argmax(a, axis=None if ax is None else ax[0], keepdims=keepdims)
