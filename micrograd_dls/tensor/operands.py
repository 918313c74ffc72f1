"""What the Tensor operations say about their operands: numbers, axes, and the errors
that name a tensor.

Every message names the tensor the way :func:`describe` does (``'W' of shape
(4, 2)``), gives both shapes where two disagree, and says how to fix it; user
input enters a message only through :func:`~micrograd_dls.checks.quote`.
This module reads a tensor only through its ``_data`` array and ``label``: it
knows numpy, and neither the Tensor class nor the graph.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import quote, rank1_message, shown
from ..graph import Node

__all__ = [
    "as_array",
    "axes",
    "broadcast_error",
    "check_matmul",
    "describe",
    "finite",
    "is_basic",
    "labels",
    "number",
]


_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


def as_array(data: Any, dtype: Any, what: str, copy: bool = True) -> np.ndarray:
    """``data`` as a float array of its own: an array the caller still holds is copied
    (as ``torch.tensor`` does), so changing it later cannot change the tensor;
    ``copy=False`` wraps it."""
    if isinstance(data, Node):
        fix = "t.detach() for a leaf that shares its data" if hasattr(data, "_data") else (
            "Tensor(v.data) for its number")
        raise TypeError(
            f"{what} got a {type(data).__name__}; it is already a node -- use it directly, "
            f"or {fix}"
        )
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype not in _FLOATS:
            raise TypeError(f"{what}: dtype must be float64 or float32, got {dtype}")
    try:
        arr = np.asarray(data)
    except ValueError as e:  # ragged nested lists
        raise ValueError(
            f"{what}: the data is not a rectangular array ({shown(str(e), 200)})"
        ) from None
    kind = arr.dtype.kind
    if kind == "f" and arr.dtype in _FLOATS:
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        # the caller's own array, or a view of one (np.asarray of a buffer)
        return arr.copy() if copy and (arr is data or arr.base is not None) else arr
    if kind in "biuf":  # bools, integers (labels Y in {0, 1}), float16/longdouble
        return arr.astype(np.float64 if dtype is None else dtype)
    raise TypeError(
        f"{what}: data must be real numbers, got an array of dtype {arr.dtype}"
        + (" (a nested sequence of unequal lengths?)" if kind == "O" else "")
        + "; convert it first, e.g. np.asarray(data, dtype=float)"
    )


def describe(t: Any) -> str:
    """How an error names a tensor: ``'W' of shape (4, 2)``, or ``a tensor of shape (4, 2)``."""
    who = quote(t.label) if t.label is not None else "a tensor"
    return f"{who} of shape {t._data.shape}"


def labels(*ts: Any) -> str:
    """`` ('W' @ 'X')``: the labels of tensors whose shapes a message already gives, if any."""
    if all(t.label is None for t in ts):
        return ""
    return " (" + " @ ".join(quote(t.label) if t.label is not None else "?" for t in ts) + ")"


def number(x: Any) -> float | np.number | None:
    """``x`` as a number if it is one (int, float, numpy scalar, 0-d array), else None:
    a Python number as a float, a numpy one as the numpy scalar (its dtype counts)."""
    if type(x) is float:
        return x
    if type(x) is int:
        try:
            return float(x)
        except OverflowError:
            raise _too_large(x) from None
    if isinstance(x, (bool, np.bool_)):
        raise TypeError("a bool is not a number here; use 1.0 or 0.0")
    if isinstance(x, (np.integer, np.floating)):
        return x  # a numpy scalar keeps its dtype: numpy 2 promotes with it, not with a float
    if isinstance(x, (int, float)):
        try:
            return float(x)
        except OverflowError:
            raise _too_large(x) from None
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return x[()]  # type: ignore[return-value]  # a numpy scalar, from a 0-d array
    return None


def _too_large(x: int | float) -> OverflowError:
    return OverflowError(
        f"the number {quote(x)} is too large for a float (at most about 1.8e308); "
        "scale it down, or write it as a float such as 1e300"
    )


def broadcast_error(x: Any, y: Any, op: str) -> ValueError:
    """The error for two operands whose shapes do not broadcast, with the rank-1 hint."""
    hint = ""
    for t in (x, y):
        if t._data.ndim == 1:
            n = t._data.shape[0]
            name = t.label if t.label is not None else "the operand"
            hint = "; " + rank1_message(name, t._data.shape, f"reshape(1, {n}) or reshape({n}, 1)")
            break
    return ValueError(
        f"'{op}': {describe(x)} and {describe(y)} do not broadcast -- aligned from the right, "
        f"each axis must match or be 1{hint}"
    )


def check_matmul(x: Any, y: Any, what: str, vectors: bool) -> None:
    """Refuse a matrix product whose operands are not matrices (or vectors) or whose inner
    dimensions differ, naming both shapes."""
    a, b = x._data, y._data
    low = 1 if vectors else 2
    if not (low <= a.ndim <= 2 and low <= b.ndim <= 2):
        raise ValueError(
            f"{what} takes matrices{' and vectors' if vectors else ''}, not {describe(x)} and "
            f"{describe(y)}; reshape to 2-D first"
        )
    if a.shape[-1] != b.shape[0]:
        raise ValueError(
            f"{what}: inner dimensions differ: {a.shape} @ {b.shape}{labels(x, y)}; "
            f"the left operand's {a.shape[-1]} columns must equal the right operand's "
            f"{b.shape[0]} rows -- check the layer sizes, or transpose with .T"
        )


def axes(t: Any, axis: Any, what: str) -> tuple[int, ...] | None:
    """``axis`` (an int, a tuple of them, or None) as a tuple of axes counted from 0."""
    if axis is None:
        return None
    ndim = t._data.ndim
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))
               for a in items):
        raise TypeError(f"{what}(axis={quote(axis)}): axis must be an int or a tuple of ints")
    norm = tuple(int(a) + ndim if a < 0 else int(a) for a in items)
    if any(not 0 <= a < ndim for a in norm) or len(set(norm)) != len(norm):
        has = f"axes 0..{ndim - 1} (or -{ndim}..-1), each at most once" if ndim else "no axes"
        raise ValueError(f"{what}(axis={quote(axis)}) of {describe(t)}: it has {has}")
    return norm


def is_basic(index: Any) -> bool:
    """True for ints, slices, None and Ellipsis only: no position can repeat."""
    items = index if type(index) is tuple else (index,)
    for i in items:
        if i is None or i is Ellipsis or type(i) is slice:
            continue
        if isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)):
            continue
        return False
    return True


def finite(a: np.ndarray, what: str = "") -> tuple[bool, str]:
    """For anomaly mode's hooks: are all entries of ``a`` finite, and if not, which."""
    ok = np.isfinite(a)
    if ok.all():
        return True, ""
    where = tuple(int(i) for i in np.argwhere(~ok)[0])
    bad = int(ok.size - ok.sum())
    return False, f"{what}{bad} of {a.size} entries, the first {a[where]} at {where}"
