"""Tensor operations written as functions, with PyTorch's and numpy's names:
``maximum``, ``where``, ``min``, ``var``, ``norm``, ``squeeze``, ``cat``, ``stack``, ...

Each forward is here once; its vector-Jacobian rule is in :mod:`.rules`; the
Tensor method of the same name delegates here, and numpy's ``np.maximum``,
``np.var``, ``np.concatenate``, ... reach the same function through
:mod:`.protocols`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from ..checks import quote
from .node import (
    Tensor,
    _axes,
    _broadcast_error,
    _name,
    _number,
    _operands,
    _result,
    _tensor,
)
from .rules import (
    COPY,
    LOG1P,
    MAXIMUM,
    MAXIMUM_C,
    MIN,
    NORM,
    RESHAPE,
    SIGN,
    STD,
    VAR,
    WHERE,
    join_rule,
)

__all__ = [
    "argmax",
    "cat",
    "concatenate",
    "copy",
    "expand_dims",
    "flatten",
    "log1p",
    "maximum",
    "min",
    "minimum",
    "norm",
    "sign",
    "squeeze",
    "stack",
    "std",
    "unsqueeze",
    "var",
    "where",
]


# --- elementwise ------------------------------------------------------------------------


def _extremum(x: Any, y: Any, f: np.ufunc, name: str) -> Tensor:
    cx, cy = _number(x), _number(y)
    if cy is not None or cx is not None:  # a number operand needs no node: maximum(0, Z)
        position, c, t = (1, cy, x) if cy is not None else (0, cx, y)
        t = _tensor(t, name)
        out = f(t._data, c)
        return _result(out, (t,), MAXIMUM_C, (t._data, c, out), (name, position, c))
    x, y = _operands(x, y, name)
    try:
        out = f(x._data, y._data)
    except ValueError:
        raise _broadcast_error(x, y, name) from None
    return _result(out, (x, y), MAXIMUM, (x._data, y._data, out), name)


def maximum(x: Any, y: Any) -> Tensor:
    """out = max(x, y) elementwise (broadcast);  dx = dout where x > y, dy = dout where y > x,
    half each at a tie of two tensors (PyTorch's rule). A number wins its tie:
    ``maximum(0, Z)`` is the ReLU with relu'(0) = 0, as the course's relu_backward."""
    return _extremum(x, y, np.maximum, "maximum")


def minimum(x: Any, y: Any) -> Tensor:
    """out = min(x, y) elementwise (broadcast);  dx = dout where x < y, half at a tie of two
    tensors, 0 at a tie with a number."""
    return _extremum(x, y, np.minimum, "minimum")


def where(condition: Any, x: Any, y: Any) -> Tensor:
    """out = x where condition else y (broadcast);  dx = dout · cond, dy = dout · (1 - cond).

    ``condition`` is an array of booleans (``Z > 0``), not differentiated; the
    leaky ReLU is ``where(Z > 0, Z, 0.01 * Z)``.
    """
    if isinstance(condition, Tensor):
        condition = condition._data
    cond = np.asarray(condition).astype(bool, copy=False)
    x, y = _operands(x, y, "where")
    try:
        out = np.where(cond, x._data, y._data)
    except ValueError:
        raise ValueError(
            f"where(condition, x, y): the condition of shape {cond.shape}, {_name(x)} and "
            f"{_name(y)} do not broadcast -- aligned from the right, each axis must match or be 1"
        ) from None
    return _result(out, (x, y), WHERE, (cond,), "where")


def log1p(x: Any) -> Tensor:
    """a = log(1 + x), exact for small x;  dx = dout / (1 + x)."""
    x = _tensor(x, "log1p")
    return _result(np.log1p(x._data), (x,), LOG1P, (x._data,), "log1p")


def sign(x: Any) -> Tensor:
    """a = sign(x) in {-1, 0, 1};  dx = 0 (as PyTorch)."""
    x = _tensor(x, "sign")
    return _result(np.sign(x._data), (x,), SIGN, (), "sign")


def copy(x: Any) -> Tensor:
    """out = x, a new array in the graph;  dx = dout."""
    x = _tensor(x, "copy")
    return _result(x._data.copy(), (x,), COPY, (), "copy")


# --- reductions -------------------------------------------------------------------------


def _reduced(x: np.ndarray, top: np.ndarray, ax: tuple[int, ...] | None, keepdims: bool):
    """A reduction kept with its axes (``top``) as numpy returns it for ``keepdims``."""
    if keepdims:
        return top
    return top.reshape([n for i, n in enumerate(x.shape) if ax is not None and i not in ax])


def _nonempty(t: Tensor, ax: tuple[int, ...] | None, what: str) -> None:
    x = t._data
    if x.size == 0 or (ax is not None and any(x.shape[i] == 0 for i in ax)):
        raise ValueError(f"{what}() of {_name(t)}: it is empty, so it has no {what}imum"
                         if what in ("max", "min") else f"{what}() of {_name(t)} over no entries")


def min(x: Any, axis: Any = None, keepdims: bool = False) -> Tensor:
    """out = min x over ``axis``;  dx = dout at the minimum (shared equally by ties)."""
    x = _tensor(x, "min")
    ax = _axes(x, axis, "min")
    _nonempty(x, ax, "min")
    top = x._data.min(axis=ax, keepdims=True)
    return _result(_reduced(x._data, top, ax, keepdims), (x,), MIN, (x._data, top, ax, keepdims),
                   "min")


def _moments(t: Tensor, axis: Any, ddof: Any, what: str):
    ax = _axes(t, axis, what)
    d = _number(ddof)
    if d is None or d != int(d) or d < 0:
        raise TypeError(f"{what}(ddof={quote(ddof)}): ddof must be a whole number >= 0")
    x = t._data
    n = x.size if ax is None else int(np.prod([x.shape[i] for i in ax]))
    dof = n - int(d)
    if dof <= 0:
        raise ValueError(
            f"{what}(ddof={int(d)}) of {_name(t)} over {n} entr{'y' if n == 1 else 'ies'}: "
            "n - ddof must be positive"
        )
    centred = x - x.mean(axis=ax, keepdims=True)
    return ax, centred, dof


def var(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """out = (1/(n - ddof)) Σ (x - μ)² over ``axis``;  dx = dout · 2(x - μ)/(n - ddof)."""
    x = _tensor(x, "var")
    ax, centred, dof = _moments(x, axis, ddof, "var")
    out = (centred * centred).sum(axis=ax, keepdims=keepdims) / dof
    return _result(out, (x,), VAR, (centred, ax, keepdims, dof), "var")


def std(x: Any, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """out = √var(x) over ``axis``;  dx = dout · (x - μ)/((n - ddof) out), 0 where out = 0."""
    x = _tensor(x, "std")
    ax, centred, dof = _moments(x, axis, ddof, "std")
    out = np.sqrt((centred * centred).sum(axis=ax, keepdims=keepdims) / dof)
    return _result(out, (x,), STD, (centred, ax, keepdims, dof, np.asarray(out)), "std")


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    """out = ‖x‖ = √(Σ x²) over ``axis`` (the 2-norm of a vector, Frobenius of a matrix);
    dx = dout · x / out, 0 where out = 0.

    The other norms (``ord=1``, ``np.inf``, the spectral norm) are refused:
    write them with ``abs``, ``sum`` and ``max``.
    """
    x = _tensor(x, "norm")
    ax = _axes(x, axis, "norm")
    over = x._data.ndim if ax is None else len(ax)
    fits = ord is None or (ord == "fro" and over == 2) or (
        not isinstance(ord, str) and ord == 2 and over == 1
    )
    if not fits or (ax is not None and len(ax) > 2):
        raise ValueError(
            f"norm(ord={quote(ord)}, axis={quote(axis)}) of {_name(x)}: only the Euclidean "
            "norm √(Σ x²) "
            "is covered (ord=None, 2 for a vector, 'fro' for a matrix, over one or two axes); "
            "write other norms with abs(), sum() and max(), e.g. abs(x).sum() for ord=1"
        )
    d = x._data
    out = np.sqrt((d * d).sum(axis=ax, keepdims=keepdims))
    return _result(out, (x,), NORM, (d, np.asarray(out), ax, keepdims), "norm")


def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> np.ndarray:
    """The index of the largest entry (along ``axis``): plain integers, with no gradient."""
    t = _tensor(x, "argmax")
    ax = _axes(t, axis, "argmax")
    if ax is not None and len(ax) != 1:
        raise TypeError(f"argmax(axis={quote(axis)}): give one axis, or None for the flat index")
    _nonempty(t, ax, "argmax")
    return np.argmax(t._data, axis=None if ax is None else ax[0], keepdims=keepdims)


# --- shapes -------------------------------------------------------------------------------


def _reshaped(x: Tensor, out: np.ndarray, op: str) -> Tensor:
    return _result(out, (x,), RESHAPE, (x._data.shape,), op)


def squeeze(x: Any, axis: Any = None) -> Tensor:
    """out = x without its axes of size 1 (or only ``axis``);  dx = dout reshaped back.

    ``squeeze(cost)`` turns the cost of shape (1, 1) into a number, as the course does.
    """
    x = _tensor(x, "squeeze")
    ax = _axes(x, axis, "squeeze")
    if ax is not None:
        wide = [i for i in ax if x._data.shape[i] != 1]
        if wide:
            raise ValueError(
                f"squeeze(axis={quote(axis)}) of {_name(x)}: axis {wide[0]} has size "
                f"{x._data.shape[wide[0]]}; only axes of size 1 can be removed"
            )
    return _reshaped(x, x._data.squeeze(ax), "squeeze")


def expand_dims(x: Any, axis: Any, op: str = "expand_dims") -> Tensor:
    """out = x with new axes of size 1 at ``axis``;  dx = dout reshaped back."""
    x = _tensor(x, op)
    try:
        out = np.expand_dims(x._data, axis)
    except (ValueError, TypeError) as e:  # numpy's AxisError is a ValueError
        raise ValueError(f"{op}({quote(axis)}) of {_name(x)}: {e}") from None
    return _reshaped(x, out, op)


def unsqueeze(x: Any, dim: int) -> Tensor:
    """out = x with a new axis of size 1 at ``dim`` (PyTorch's name);  dx = dout reshaped back."""
    return expand_dims(x, dim, "unsqueeze")


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1, op: str = "flatten") -> Tensor:
    """out = x with the axes start_dim..end_dim merged into one;  dx = dout reshaped back."""
    x = _tensor(x, op)
    shape = x._data.shape
    if not shape:
        return _reshaped(x, x._data.reshape(1), op)
    ax = _axes(x, (start_dim, end_dim), op)
    lo, hi = ax[0], ax[1]
    if lo > hi:
        raise ValueError(f"{op}({start_dim}, {end_dim}) of {_name(x)}: start_dim is after end_dim")
    merged = int(np.prod(shape[lo : hi + 1]))
    return _reshaped(x, x._data.reshape(shape[:lo] + (merged,) + shape[hi + 1 :]), op)


def _join(tensors: Sequence[Any], axis: Any, stacked: bool, op: str) -> Tensor:
    if isinstance(tensors, (Tensor, np.ndarray)) or not isinstance(tensors, (list, tuple)):
        raise TypeError(f"{op}(tensors, axis): give a list or tuple of tensors, not "
                        f"{type(tensors).__name__}")
    if not tensors:
        raise ValueError(f"{op}(): needs at least one tensor")
    ts = tuple(_tensor(t, op) for t in tensors)
    if not (isinstance(axis, (int, np.integer)) and not isinstance(axis, (bool, np.bool_))):
        raise TypeError(f"{op}(axis={quote(axis)}): axis must be an int (flatten first for None)")
    join = np.stack if stacked else np.concatenate
    try:
        out = join([t._data for t in ts], axis=int(axis))
    except ValueError as e:  # shapes that do not fit, or an axis out of range
        shapes = ", ".join(str(t._data.shape) for t in ts)
        raise ValueError(f"{op} of shapes {shapes} along axis {axis}: {e}") from None
    ax = int(axis) % out.ndim
    if stacked:
        bounds = tuple(range(len(ts) + 1))
    else:
        bounds = tuple(np.cumsum([0] + [t._data.shape[ax] for t in ts]).tolist())
    return _result(out, ts, join_rule(len(ts), stacked), (bounds, ax, stacked), op)


def cat(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """out = [x₀, x₁, ...] joined along ``axis``;  dxᵢ = dout's part that came from xᵢ."""
    return _join(tensors, axis, False, "cat")


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """out = [x₀, x₁, ...] joined along ``axis`` (numpy's name for :func:`cat`)."""
    return _join(tensors, axis, False, "concatenate")


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """out[..., i, ...] = xᵢ along a new ``axis``;  dxᵢ = dout[..., i, ...]."""
    return _join(tensors, axis, True, "stack")
