"""What a Tensor gives that is not a node: its numbers, its shape, comparisons.

``t.item()``, ``float(t)``, ``len(t)``, ``t.shape``, ``Z > 0`` (a plain boolean
array, no gradient, as numpy compares), ``t.argmax()``, the repr. A mixin of
:class:`~.tensor.Tensor`; it reads the array ``_data`` and never builds a node
(``iter(t)`` gives rows through indexing, an operation).
"""

from __future__ import annotations

import operator as _operator
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np

from ..graph import Node, leave_graph
from .operands import broadcast_error, describe
from .reductions import argmax_of

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = ["Conversions"]


def _compared(t: Any, other: Any, compare: Callable[[Any, Any], Any], op: str) -> np.ndarray:
    """t op other elementwise, as numpy compares arrays: a boolean array, no gradient."""
    if isinstance(other, Node) and type(other) is not type(t):
        raise TypeError(
            f"'{op}' between a Tensor and a {type(other).__name__}: compare their data, "
            "e.g. t.data == v.data"
        )
    try:
        return compare(t._data, other._data if type(other) is type(t) else other)
    except ValueError:  # shapes that do not broadcast
        y = other if type(other) is type(t) else _Plain(np.asarray(other))
        raise broadcast_error(t, y, op) from None


class _Plain:
    """An array operand as the messages read a tensor: its ``_data``, no label."""

    __slots__ = ("_data", "label")

    def __init__(self, data: np.ndarray) -> None:
        self._data = data
        self.label = None


class Conversions:
    """Numbers, shapes and comparisons of a tensor (see the module docstring)."""

    __slots__ = ()

    _data: np.ndarray
    label: str | None
    requires_grad: bool
    __getitem__: ClassVar[Callable[[Any, Any], Tensor]]  # x[index], an operation (.methods)

    def item(self) -> float:
        """The one number in a tensor of size 1."""
        return self._number("item()")

    def __float__(self) -> float:
        return self._number("float()")

    def _number(self, how: str) -> float:
        if self._data.size != 1:
            raise ValueError(f"{how} needs a tensor of size 1, not {describe(self)}")
        value = float(self._data.reshape(()))
        # a number leaving the graph: recorded while a checker runs the learner's code
        return leave_graph(self, value, how) if self.requires_grad else value  # type: ignore[arg-type]  # a Tensor, a node

    def __bool__(self) -> bool:
        if self._data.size != 1:
            raise ValueError(
                f"the truth value of {describe(self)} is ambiguous: it has {self._data.size} "
                "entries. Compare its numbers instead: (t.data > 0).any() or .all(), or "
                "t.item() for a tensor of one entry"
            )
        return bool(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        """The rows x[0], x[1], ... as tensors in the graph (a 0-d tensor has none)."""
        if not self._data.ndim:
            raise TypeError(f"iteration over {describe(self)}: a 0-d tensor has no rows")
        return (self[i] for i in range(len(self._data)))

    def __len__(self) -> int:
        if not self._data.ndim:
            raise TypeError(f"len() of {describe(self)}: a 0-d tensor has no length")
        return len(self._data)

    def __lt__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.lt, "<")

    def __le__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.le, "<=")

    def __gt__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.gt, ">")

    def __ge__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.ge, ">=")

    # Elementwise like < and >, so that np.mean(predictions == Y) counts matches; a
    # plain boolean array, with no gradient. Nodes still hash by identity (sets, dicts).
    def __eq__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return _compared(self, other, _operator.eq, "==")

    def __ne__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return _compared(self, other, _operator.ne, "!=")

    __hash__ = object.__hash__

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data``."""
        return self._data.shape

    @property
    def ndim(self) -> int:
        """The number of axes of ``data``."""
        return self._data.ndim

    @property
    def size(self) -> int:
        """The number of entries of ``data``."""
        return self._data.size

    @property
    def dtype(self) -> np.dtype:
        """The dtype of ``data`` (float64 or float32)."""
        return self._data.dtype

    def argmax(self, axis: int | None = None, keepdims: bool = False) -> np.ndarray:
        """The index of the largest entry (along ``axis``): a plain integer array, no gradient."""
        return argmax_of(self, axis, keepdims)

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self._data.dtype != np.float64:
            extra += f", dtype={self._data.dtype}"
        if self.label is not None:
            extra += f", label={self.label!r}"
        return f"Tensor({body}{extra})"
