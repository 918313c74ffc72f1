"""numpy's protocols on :class:`Tensor`: what ``np.asarray(t)`` and
``np.dot(W, A)`` do with a tensor.

This module sits on top of the node class and installs the protocol methods
on it, so that everything numpy may call on a tensor is in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from ..graph import grad_mode
from .node import Tensor, _name


def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
    if dtype is not None and np.dtype(dtype) != self.data.dtype:
        if copy is False:  # numpy 2's protocol: refuse rather than copy behind the back
            raise ValueError(
                f"{_name(self)} holds {self.data.dtype}; giving {np.dtype(dtype)} needs a copy"
            )
        return self.data.astype(dtype)
    return self.data.copy() if copy else self.data

def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
    """numpy functions (``np.dot``, ``np.sum``, ...) see the data -- but not when that
    would silently drop a tensor that requires a gradient from the graph."""
    if grad_mode.enabled and func not in _SHAPE_QUERIES:  # under no_grad nothing is lost
        for t in _tensors_in((args, kwargs)):
            if t.requires_grad:
                raise TypeError(
                    f"np.{func.__name__} on {_name(t)}, which requires a gradient, would "
                    "return a plain array outside the graph, so no gradient would reach "
                    "it; use the Tensor operation instead (W @ A for np.dot, "
                    "Z.sum(axis=1, keepdims=True) for np.sum, ...), or .data for the numbers"
                )
    return func(*_unwrap(args), **_unwrap(kwargs))



#: numpy functions that only read a shape: harmless on any tensor.
_SHAPE_QUERIES = frozenset((np.shape, np.ndim, np.size))


def _tensors_in(x: Any) -> Iterator[Tensor]:
    """Every Tensor in the (nested) arguments of a numpy call."""
    if isinstance(x, Tensor):
        yield x
    elif isinstance(x, (list, tuple)):
        for item in x:
            yield from _tensors_in(item)
    elif isinstance(x, dict):
        for item in x.values():
            yield from _tensors_in(item)


def _unwrap(x: Any) -> Any:
    """The arguments of a numpy call with each Tensor replaced by its data."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(item) for item in x)
    if isinstance(x, dict):
        return {k: _unwrap(v) for k, v in x.items()}
    return x




Tensor.__array__ = __array__
Tensor.__array_function__ = __array_function__
# Keep numpy from turning `array + Tensor` into an array of Tensors: it
# defers to Tensor.__radd__ instead.
Tensor.__array_ufunc__ = None
