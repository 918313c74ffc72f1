"""The learner's own names on the graph of their code: a node gets the name of the
variable that held it (``Z1``, ``A1``, ``logprobs``), written with the course's symbols
where they match (``W1`` as ``W[1]``, ``AL`` as ``A[L]``, as :mod:`micrograd_dls.nn`
labels its parameters).

While the learner's forward function runs, :func:`collecting` reads the local
variables of each of its frames as the frame returns (``sys.setprofile``);
:func:`name_nodes` then labels each node of the cost's graph that a variable held and
that has no label yet. This module knows the graph through its read-only API and node
labels; nothing of arrays or of the course's assignments.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from .. import graph
from .runs import is_learner_file

__all__ = ["Locals", "collecting", "course_symbol", "name_nodes"]

_LAYERED = re.compile(r"(d?)(W|b|Z|A)(\d+|L)")
#: Names the course gives the nodes of a forward pass and its cost, named first.
_COURSE = re.compile(r"(W|b|Z|A)(\d+|L)?|cost|J|logprobs")


def course_symbol(name: str) -> str:
    """``W1`` → ``W[1]``, ``dZ2`` → ``dZ[2]``, ``AL`` → ``A[L]``; other names as written."""
    match = _LAYERED.fullmatch(name)
    if match is None:
        return name
    d, letter, layer = match.groups()
    return f"{d}{letter}[{layer}]"


class Locals:
    """``(name, value)`` of each local variable of the learner's frames, in the order the
    frames returned (the innermost first)."""

    def __init__(self, origin: Callable[[Any], Any] | None = None) -> None:
        self.seen: list[tuple[str, Any]] = []
        self._origin = origin

    def __call__(self, frame: Any, event: str, arg: Any) -> None:
        if event != "return" or not is_learner_file(frame.f_code.co_filename):
            return
        for name, value in frame.f_locals.items():
            if name.startswith("_"):
                continue
            if not isinstance(value, graph.Node) and self._origin is not None:
                value = self._origin(value)  # a number that left the graph: its node
            if isinstance(value, graph.Node):
                self.seen.append((name, value))


@contextmanager
def collecting(origin: Callable[[Any], Any] | None = None) -> Iterator[Locals]:
    """Inside the block (this thread), the locals of the learner's returning frames are
    collected. ``origin(value)`` gives the node a non-node value came from (the cost the
    course's ``float(np.squeeze(cost))`` handed out), or None."""
    seen = Locals(origin)
    previous = sys.getprofile()
    sys.setprofile(seen)
    try:
        yield seen
    finally:
        sys.setprofile(previous)


def name_nodes(root: Any, seen: Locals) -> None:
    """Label each result in the graph of ``root`` that a learner's variable held and that
    has no label yet: the course's names first (``Z1`` before a helper's ``s``), the
    innermost frame first; a bare ``Z`` or ``A`` gets its layer from the ``W[l]`` or
    ``Z[l]`` it was computed from."""
    nodes = set(graph.nodes_of(root))
    ordered = [p for p in seen.seen if _COURSE.fullmatch(p[0])] + \
        [p for p in seen.seen if not _COURSE.fullmatch(p[0])]
    for name, node in ordered:
        if node not in nodes or graph.is_leaf(node) or node.label is not None:
            continue
        node.label = _layered(name, node)


def _layered(name: str, node: Any) -> str:
    """``Z`` computed from ``W[2]`` is ``Z[2]``; ``A`` computed from ``Z[2]`` is ``A[2]``."""
    if name not in ("Z", "A"):
        return course_symbol(name)
    want = "W" if name == "Z" else "Z"
    frontier, depth = [node], 0
    while frontier and depth < 6:
        frontier = [p for n in frontier for p in graph.parents(n)]
        for p in frontier:
            label = graph.label(p) or ""
            if label.startswith(want + "["):
                return name + label[len(want):]
        depth += 1
    return name
