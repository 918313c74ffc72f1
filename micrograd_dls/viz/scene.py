"""What a picture shows of a graph: one :class:`Item` per node, gathered in a :class:`Scene`.

:func:`read_scene` walks the graph once, through the read-only API of
:mod:`micrograd_dls.graph`, and decides for each node what every picture, the
stepper and the table agree on: its name (the user's label, the expression
that made it such as ``b·c``, or ``n<k>`` when that is too long), its kind
(input, parameter, intermediate, cost), its operands in argument order
(numbers included), its ``nn`` layer, its place in the topological order and
its step in backpropagation's order -- the course's, one order for the
pictures, the stepper and the table (:func:`backprop_steps`). It also decides
which nodes the node cap leaves out.

Each item carries the id its node has in every picture (``n<index>``, and
``n<index>_<j>`` for the small copy beside a later consumer). Beyond names,
formulas and those ids it never knows how anything is written: no label
text, no colour, no DOT syntax.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from .. import graph
from ..graph import Node
from .notation import Operand, expression

__all__ = ["LAYER_INDEX", "Item", "Scene", "backprop_steps", "by_step", "node_label", "read_scene"]

_MAX_NAME = 24  # an unnamed node longer than this as an expression is called n<k>
# A node feeding more consumers than this gets a small copy beside each consumer
# after the first, instead of long edges across the picture.
_MAX_FAN = 4
#: The layer index in a label such as ``W[1]`` or ``z[2]_1``.
LAYER_INDEX = re.compile(r"\[(\d+)\]")


@dataclass(eq=False, slots=True)  # one per node, compared by identity (Tensor == is elementwise)
class Item:
    """One node as a picture shows it."""

    node: Node
    index: int  # position in the topological order; the DOT id is n<index>
    # 1 for the root, then backpropagation's order (backprop_steps); None for a node
    # that gets no gradient (data) or that the node cap left out
    step: int | None
    name: Operand
    kind: str
    formula: Operand | None = None
    # In argument order: the operand's text and its parent (None for a number operand).
    args: list[tuple[Operand, Node | None]] = field(default_factory=list)
    group: int | str | None = None  # nn layer index, 'cost', or None
    cut: bool = False  # a parent of a drawn node, itself left out by the node cap
    shape: tuple[int, ...] = ()  # graph.shape(node), read once
    key: str = ""  # the DOT id, n<index>
    label: str | None = None  # node_label(node), read once

    @property
    def short(self) -> bool:
        """Named ``n<k>`` because its expression is too long to be its name."""
        return self.formula is not None and self.name is not self.formula \
            and self.label is None


@dataclass
class Scene:
    """The items a picture draws, those the node cap cut off, and how edges meet them."""

    items: list[Item]  # drawn, in topological order
    cut: list[Item]  # left out, but a parent of a drawn node: drawn as a dashed stub
    total: int
    by_node: dict[Node, Item]
    _first_use: dict[Node, int] | None = None

    @property
    def root(self) -> Item:
        """The result the graph was read from (the cost J)."""
        return self.items[-1]

    def tail(self, parent: Node, consumer: Item) -> str:
        """The DOT name of the edge's tail from ``parent`` into ``consumer``: the node
        itself, or its copy ``n<i>_<j>`` beside a consumer other than the first of a
        node with many consumers."""
        if self._first_use is None:
            fan: dict[Node, int] = {}
            first: dict[Node, int] = {}
            for it in self.items:
                for p in set(graph.parents(it.node)):
                    fan[p] = fan.get(p, 0) + 1
                    first.setdefault(p, it.index)
            self._first_use = {p: first[p] for p, n in fan.items() if n > _MAX_FAN}
        key = self.by_node[parent].key
        first_use = self._first_use.get(parent)
        if first_use is None or first_use == consumer.index:
            return key
        return f"{key}_{consumer.index}"


def node_label(node: Node) -> str | None:
    """The user's name for ``node`` as text, None when there is none.

    ``label`` is a plain attribute, so it may hold a number (an index) or ''.
    """
    name = graph.label(node)
    if name is None or isinstance(name, str):
        return name or None
    return str(name)


def _kind(node: Node, is_root: bool) -> str:
    if is_root:
        return "cost"
    if not graph.is_leaf(node):
        return "intermediate"
    return "parameter" if graph.requires_grad(node) else "input"


def _groups(order: list[Node], index: dict[Node, int]) -> list[int | str | None]:
    """The ``nn`` layer of each node, from the bracketed index of labels like ``W[1]``.

    An unlabelled node belongs where its first consumer does (so ``W[1]·A[0]``
    joins ``Z[1]``, and the pieces of the cost join ``J``); a labelled leaf
    without an index (``X``, ``Y``) and ``A[0]`` belong to no layer.
    """
    total = len(order)
    first_child = [-1] * total
    for i, node in enumerate(order):
        for p in graph.parents(node):
            j = index[p]
            if first_child[j] < 0:
                first_child[j] = i
    groups: list[int | str | None] = [None] * total
    for i in range(total - 1, -1, -1):
        node = order[i]
        name = node_label(node)
        found = LAYER_INDEX.search(name) if name else None
        if found:
            groups[i] = int(found.group(1)) or None
        elif i == total - 1:
            groups[i] = "cost"
        elif name is not None and graph.is_leaf(node):
            groups[i] = None
        else:
            groups[i] = groups[first_child[i]]
    return groups


def backprop_steps(items: list[Item], consumers: dict[Node, int]) -> None:
    """Number the items in the course's order of backpropagation: ``dJ`` (1), then a
    breadth-first walk back from the root in which a node comes after all of its
    consumers, and the parents of a node in argument order.

    For the lecture's J = 3v, v = a + u, u = bc that is J, v, a, u, b, c: ``dv``,
    then ``da`` and ``du``, then ``db`` and ``dc``; for a network the last layer
    comes first (``dW[2]`` before ``dW[1]``). ``consumers`` counts, for each node,
    the drawn nodes that send it a gradient. A node that needs no gradient (the
    data X, Y) gets no step; neither does one the node cap left out.
    """
    root = items[-1]
    if not graph.requires_grad(root.node):
        return
    by_node = {it.node: it for it in items}
    waiting = dict(consumers)
    queue = [root]
    requires_grad, parents = graph.requires_grad, graph.parents
    for n, it in enumerate(queue, 1):  # the queue grows as the walk goes
        it.step = n
        sources = parents(it.node)
        for p in dict.fromkeys(sources) if len(sources) > 1 else sources:
            left = waiting.get(p)
            if left is None:
                continue
            if left == 1:
                found = by_node.get(p)
                if found is not None and requires_grad(p):
                    queue.append(found)
            waiting[p] = left - 1


def by_step(it: Item) -> int:
    """Sort key: the item's step in backpropagation's order, for items that have one."""
    return cast(int, it.step)  # callers sort only items whose step is not None


def read_scene(root: Any, max_nodes: int | None, grouped: bool) -> Scene:
    """What a picture shows of ``root``'s graph: the nodes nearest the result (at most
    ``max_nodes``), their names, formulas, kinds and, with ``grouped``, nn layers."""
    order = graph.topological_order(root)
    total = len(order)
    start = 0 if max_nodes is None or total <= max_nodes else total - max_nodes
    index = {node: i for i, node in enumerate(order)}
    groups = _groups(order, index) if grouped else None
    by_node: dict[Node, Item] = {}
    cut: list[Item] = []
    parents_of, constants_of, op_of = graph.parents, graph.constants, graph.op

    def item_of(node: Node, i: int, is_cut: bool) -> Item:
        name = node_label(node)
        it = Item(node, i, None, Operand(name or f"n{i}"), _kind(node, i == total - 1))
        it.shape = graph.shape(node)
        it.key = f"n{i}"
        it.label = name
        if groups is not None:
            it.group = groups[i]
        it.cut = is_cut
        return it

    items = []
    consumers: dict[Node, int] = {}  # of each node, the drawn nodes it receives from
    requires_grad = graph.requires_grad
    for i in range(start, total):
        node = order[i]
        it = item_of(node, i, False)
        parents = parents_of(node)
        if parents:
            if requires_grad(node):
                for p in dict.fromkeys(parents) if len(parents) > 1 else parents:
                    consumers[p] = consumers.get(p, 0) + 1
            numbers = dict(constants_of(node))
            picked: Sequence[Any] = parents
            if numbers:
                it_parents = iter(parents)
                picked = [numbers[position] if position in numbers else next(it_parents)
                          for position in range(len(parents) + len(numbers))]
            args = it.args
            for p in picked:
                if not isinstance(p, Node):
                    args.append((Operand.of_number(p), None))
                    continue
                found = by_node.get(p)
                if found is None:  # only a parent before the cut is not read yet
                    found = item_of(p, index[p], True)
                    by_node[p] = found
                    cut.append(found)
                args.append((found.name, p))
            it.formula = expression(op_of(node), [a for a, _ in args])
            if it.label is None and len(it.formula.text) <= _MAX_NAME:
                it.name = it.formula
        by_node[node] = it
        items.append(it)
    cut.sort(key=lambda s: s.index)
    backprop_steps(items, consumers)
    return Scene(items, cut, total, by_node)

