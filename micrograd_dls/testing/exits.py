"""What leaves the graph while a learner's forward function runs: the cost the course
turns into a number, and the lines that cut a gradient.

The course's templates end the cost with ``cost = float(np.squeeze(cost))`` (week 3),
``cost = np.squeeze(np.array(cost))`` (week 2) or ``cost = np.squeeze(cost)`` followed by
``assert(isinstance(cost, float))``. On tensors each of these hands a value out of the
graph. While :func:`recording` is on (in this thread), the Tensor engine reports every
such value through :func:`micrograd_dls.graph.leave_graph`; the :class:`ExitLog` keeps
the value handed out, the node it came from, and the user's line that did it, so that
the checker finds the cost node again from the object the learner's function returned.
"""

from __future__ import annotations

import linecache
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import graph
from ..checks import quote


class _LeftFloat(np.float64):
    """A number of the cost handed out by ``np.squeeze`` of a 0-d tensor: an np.float64,
    as numpy's squeeze of a full reduction is (``isinstance(cost, float)`` holds and
    ``cost.shape == ()``), whose ``float(...)`` is recorded too."""

    _node: graph.Node  # the node it was handed out of

    def __float__(self) -> float:
        return graph.leave_graph(self._node, np.float64.item(self), "float()")

    def item(self, *args: Any) -> float:
        return graph.leave_graph(self._node, np.float64.item(self, *args), "item()")

    def squeeze(self, *args: Any, **kwargs: Any) -> _LeftFloat:
        """``np.squeeze(cost)`` again (a template that squeezes twice): the same number."""
        return self


@dataclass(frozen=True)
class Exit:
    """One value handed out of the graph: ``obj`` came from ``node`` by ``how``
    (``"float()"``, ``"np.array"``, ...) at ``site``, the user's (file, line, function)."""

    node: Any
    obj: Any
    how: str
    site: tuple[str, int, str] | None

    def where(self) -> str:
        """``line 12 in compute_cost (float()): cost = float(np.squeeze(cost))``."""
        if self.site is None:
            return f"an unknown line ({self.how})"
        filename, line, function = self.site
        text = linecache.getline(filename, line).strip()
        code = f": {quote(text)}" if text else ""
        return f"line {line} in {function} ({self.how}){code}"


class ExitLog:
    """The recorder of :func:`micrograd_dls.graph.recording_exits`: every value handed out,
    by identity (each kept alive, so that no other object takes its id)."""

    def __init__(self) -> None:
        self.exits: list[Exit] = []
        self._by_id: dict[int, Exit] = {}

    def __call__(self, node: Any, obj: Any, how: str, site: Any) -> Any:
        if type(obj) is np.float64:  # from np.squeeze of a 0-d tensor
            obj = _LeftFloat(obj)
            obj._node = node
        record = Exit(node, obj, how, site)
        self.exits.append(record)
        self._by_id[id(obj)] = record
        return obj

    def origin(self, obj: Any) -> Exit | None:
        """The exit that handed out ``obj`` -- or the array ``obj`` is a view of, as
        ``np.squeeze(np.array(cost))`` is -- or None."""
        while obj is not None:
            record = self._by_id.get(id(obj))
            if record is not None and record.obj is obj:
                return record
            obj = obj.base if isinstance(obj, np.ndarray) else None
        return None


@contextmanager
def recording() -> Iterator[ExitLog]:
    """Inside the block (this thread), values leaving the graph are recorded in the log."""
    log = ExitLog()
    with graph.recording_exits(log):
        yield log
