"""The shape lens: while a learner's numpy code runs on Tensors, every operation it
records is looked at for the course's classic shape mistakes, and each is kept with the
learner's line.

* an elementwise operation that broadcasts two operands of transposed shapes into a
  matrix: a ``(1, m)`` against an ``(m, 1)`` gives ``(m, m)`` (``Y - A.T``);
* ``*`` between operands whose shapes say a matrix product was meant, ``(a, k)`` and
  ``(k, c)``, that numpy broadcast without complaint;
* a rank-1 array: one that enters the graph (``np.zeros(n)``), or one an operation
  makes from a matrix (``np.sum(dZ, axis=1)`` without ``keepdims=True``).

This module watches nodes through :func:`micrograd_dls.graph.watching_nodes` and the
read-only graph API; it knows nothing of the course's assignments (they name the shapes).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import graph
from .runs import Site, is_learner_file

__all__ = ["Lens", "ShapeFinding", "watching"]

#: Operations that combine their operands entry by entry, broadcasting them.
_ELEMENTWISE = {"+", "-", "*", "/", "**", "maximum", "minimum", "where"}


@dataclass(frozen=True)
class ShapeFinding:
    """One shape mistake at the learner's ``site``: ``kind`` is ``"transposed"``,
    ``"product"`` or ``"rank-1"``; ``op`` the operation, ``shapes`` its operands' shapes
    and ``out`` the result's."""

    kind: str
    site: Site
    op: str
    shapes: tuple[tuple[int, ...], ...]
    out: tuple[int, ...]


def _learner_site() -> Site | None:
    frame: Any = sys._getframe(2)
    while frame is not None and not is_learner_file(frame.f_code.co_filename):
        frame = frame.f_back
    if frame is None:
        return None
    return Site(frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name)


class Lens:
    """Called with each node as the engine records it; keeps one finding per line and
    kind, in the order the code ran."""

    def __init__(self) -> None:
        self.findings: list[ShapeFinding] = []
        self._seen: set[tuple[str, int, str]] = set()

    def __call__(self, node: Any) -> None:
        kind, shapes = _look(node)
        if kind is None:
            return
        site = _learner_site()
        if site is None or (site.filename, site.line, kind) in self._seen:
            return
        self._seen.add((site.filename, site.line, kind))
        self.findings.append(
            ShapeFinding(kind, site, graph.op(node), shapes, tuple(graph.shape(node))))


def _look(node: Any) -> tuple[str | None, tuple[tuple[int, ...], ...]]:
    """The kind of shape mistake ``node`` shows, if any, and its operands' shapes."""
    parents = graph.parents(node)
    shapes = tuple(tuple(graph.shape(p)) for p in parents)
    out = tuple(graph.shape(node))
    name = graph.op(node)
    if any(len(s) == 1 and s[0] > 1 and graph.is_leaf(p) for s, p in zip(shapes, parents)):
        return "rank-1", shapes
    if len(out) == 1 and out[0] > 1 and any(len(s) >= 2 for s in shapes):
        return "rank-1", shapes
    if name in _ELEMENTWISE and len(shapes) >= 2:
        x, y = shapes[-2], shapes[-1]
        size = int(np.prod(out))
        sx, sy = int(np.prod(x)), int(np.prod(y))
        if sx == sy > 1 and size > sx and x != y:
            return "transposed", (x, y)
        if name == "*" and len(x) == len(y) == 2 and x[1] == y[0] > 1 and x != y:
            return "product", (x, y)
    return None, shapes


@contextmanager
def watching() -> Iterator[Lens]:
    """Inside the block (this thread), each node the Tensor engine records goes through
    the lens; the findings are the lens's."""
    lens = Lens()
    with graph.watching_nodes(lens):
        yield lens
