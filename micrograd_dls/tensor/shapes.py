"""Shapes and indexing: ``reshape`` (and ``squeeze``, ``expand_dims``, ``flatten``),
``transpose``, ``x[index]``, and joining tensors (``concatenate``, ``stack``).

Each operation is one :class:`~.rule.Rule`: forward, vector-Jacobian product
and its text side by side; the entries do not change, so each gradient is
``dout`` put back in the input's shape or place. Their results may be views
of the input's array (``view=True``): the version check looks through them.
This module knows numpy, the rule and the operand messages; the Tensor class
applies the rules (:mod:`.tensor`).
"""

from __future__ import annotations

from functools import partial
from typing import Any

import numpy as np

from ..checks import quote, shown
from .operands import axes, describe, is_basic
from .rule import Rule

__all__ = ["join_rule"]


def _reshape(x: Any, shape: tuple) -> tuple[np.ndarray, tuple]:
    try:
        out = x._data.reshape(shape)
    except (ValueError, TypeError) as e:
        raise ValueError(
            f"reshape of {describe(x)} ({x._data.size} entries) to {quote(shape)}: "
            f"{shown(str(e), 200)}"
        ) from None
    return out, (x._data.shape,)


# out = x with a new shape, same entries;  dx = dout reshaped back
RESHAPE = Rule(
    "reshape", _reshape, (lambda g, shape: g.reshape(shape),), ("d{0} = d{out} reshaped back",),
    view=True,
)


def squeezed(x: Any, axis: Any) -> tuple:
    """The shape of x without its axes of size 1 (or only ``axis``), checked."""
    ax = axes(x, axis, "squeeze")
    shape = x._data.shape
    if ax is not None:
        wide = [i for i in ax if shape[i] != 1]
        if wide:
            raise ValueError(
                f"squeeze(axis={quote(axis)}) of {describe(x)}: axis {wide[0]} has size "
                f"{shape[wide[0]]}; only axes of size 1 can be removed"
            )
    return tuple(n for i, n in enumerate(shape) if n != 1 or (ax is not None and i not in ax))


def expanded(x: Any, axis: Any, op: str) -> tuple:
    """The shape of x with new axes of size 1 at ``axis``, checked."""
    try:
        return np.expand_dims(x._data, axis).shape
    except (ValueError, TypeError) as e:  # numpy's AxisError is a ValueError
        raise ValueError(f"{op}({quote(axis)}) of {describe(x)}: {shown(str(e), 200)}") from None


def flattened(x: Any, start_dim: Any, end_dim: Any, op: str) -> tuple:
    """The shape of x with axes start_dim..end_dim merged into one (a 0-d x becomes (1,))."""
    shape = x._data.shape
    if not shape:
        return (1,)
    lo, hi = _one_axis(x, start_dim, op, "start_dim"), _one_axis(x, end_dim, op, "end_dim")
    if lo > hi:
        raise ValueError(
            f"{op}({quote(start_dim)}, {quote(end_dim)}) of {describe(x)}: start_dim is after "
            "end_dim"
        )
    return shape[:lo] + (int(np.prod(shape[lo : hi + 1])),) + shape[hi + 1 :]


def _one_axis(x: Any, dim: Any, op: str, name: str) -> int:
    """``dim`` as one axis counted from 0, or a TypeError that says to give an int."""
    ax = None if dim is None or isinstance(dim, (tuple, list)) else axes(x, dim, op)
    if ax is None:
        raise TypeError(f"{op}({name}={quote(dim)}) of {describe(x)}: give one axis, an int")
    return ax[0]


def _transpose(x: Any, order: tuple[int, ...]) -> tuple[np.ndarray, tuple]:
    return x._data.transpose(order), (tuple(int(i) for i in np.argsort(order)),)


def transpose_order(x: Any, given: tuple) -> tuple[int, ...]:
    """The permutation of ``x.transpose(*given)``: reversed axes when none is given."""
    ndim = x._data.ndim
    if not given:
        return tuple(range(ndim - 1, -1, -1))
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))
               for a in given):
        raise TypeError(f"transpose{quote(tuple(given))} of {describe(x)}: axes must be ints")
    order = tuple(int(a) + ndim if a < 0 else int(a) for a in given)  # -1: the last
    if sorted(order) != list(range(ndim)):
        raise ValueError(
            f"transpose{quote(tuple(given))} of {describe(x)}: give a permutation of "
            f"{tuple(range(ndim))} (or those counted from the end, -1 the last)"
        )
    return order


# out = xᵀ (axes reversed, or permuted);  dx = doutᵀ
TRANSPOSE = Rule(
    "transpose", _transpose, (lambda g, back: g.transpose(back),), ("d{0} = d{out}ᵀ",),
    view=True,
)


def _owned(index: Any) -> Any:
    """The index with each of its arrays copied: backward scatters through it later, so a
    later change to the caller's array must not move the gradient."""
    if isinstance(index, np.ndarray):
        return index.copy()
    if type(index) is tuple:
        return tuple(i.copy() if isinstance(i, np.ndarray) else i for i in index)
    if isinstance(index, list):
        return np.array(index)
    return index


def _index(x: Any, index: Any) -> tuple[np.ndarray, tuple]:
    index = _owned(index)
    try:
        out = x._data[index]
    except IndexError as e:
        raise IndexError(f"indexing {describe(x)}: {shown(str(e), 200)}") from None
    return out, (x._data.shape, index, is_basic(index))


def _index_vjp(g: np.ndarray, shape: tuple[int, ...], index: Any, basic: bool) -> np.ndarray:
    """Scatter g back; with an index array, repeated positions accumulate (np.add.at)."""
    out = np.zeros(shape, dtype=g.dtype)
    if basic:
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


# out = x[index] (numpy indexing);  dx = dout scattered back, repeats accumulated
INDEX = Rule("index", _index, (_index_vjp,), ("d{0}[index] += d{out}",), view=True)


def _join(*inputs: Any) -> tuple[np.ndarray, tuple]:
    *ts, axis, stacked, op = inputs
    join = np.stack if stacked else np.concatenate
    try:
        out = join([t._data for t in ts], axis=axis)
    except ValueError as e:  # shapes that do not fit, or an axis out of range
        shapes = [t._data.shape for t in ts]
        listed = ", ".join(str(s) for s in shapes[:4]) + (
            f", ... ({len(shapes)} tensors)" if len(shapes) > 4 else "")
        raise ValueError(
            f"{op} of shapes {listed} along axis {axis}: {shown(str(e), 200)}"
        ) from None
    ax = axis % out.ndim
    if stacked:
        bounds = tuple(range(len(ts) + 1))
    else:
        bounds = tuple(np.cumsum([0] + [t._data.shape[ax] for t in ts]).tolist())
    return out, (bounds, ax, stacked)


def _join_vjp(i: int, g: np.ndarray, bounds: tuple[int, ...], axis: int,
              stacked: bool) -> np.ndarray:
    part = g[(slice(None),) * axis + (slice(bounds[i], bounds[i + 1]),)]
    return part.squeeze(axis) if stacked else part


_JOINS: dict[tuple[int, bool], Rule] = {}


def join_rule(n: int, stacked: bool) -> Rule:
    """The rule of concatenate (or stack) of n inputs: input i gets its own slice of dout.

    One rule per number of inputs, made once and kept (no closure per node).
    """
    rule = _JOINS.get((n, stacked))
    if rule is None:
        vjps = tuple(partial(_join_vjp, i) for i in range(n))
        texts = tuple(
            f"d{{{i}}} = d{{out}}[{i}]" if stacked else f"d{{{i}}} = d{{out}}[the part of {{{i}}}]"
            for i in range(n)
        )
        rule = _JOINS[(n, stacked)] = Rule("stack" if stacked else "concatenate", _join, vjps,
                                           texts)
    return rule
