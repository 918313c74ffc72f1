"""The lecture's pictures of a computation graph: values forward, derivatives backward.

The forward picture reads left to right: inputs on the left, each value node
as ``u = b·c = 6``, the result on the right. The backward picture is the same
layout walked right to left: each node shows the lecture's ``dvar`` = ∂J/∂var
(named after the actual root), each edge the local derivative the chain rule
multiplies (``∂u/∂b = c = 2``), or for tensors the rule backward applies
(``dW = dZ·Aᵀ``). Nodes are coloured by kind and, backward, numbered in the
order backpropagation visits them.

The graph is read only through the public API of :mod:`micrograd_dls.graph`.
Node ids follow the topological order, so the same graph always gives the
same DOT source. The DOT text is written here directly (Graphviz's Python
package would quote every attribute of every node again, which dominates the
time on a graph of 100,000 nodes); the layout is kept bounded: parallel edges
are merged into one marked ×k, and a node with many consumers is drawn once
beside its first consumer and as a small copy beside each other one, since
long edges across many ranks are what makes dot's layout run for minutes.
"""

from __future__ import annotations

import gc
import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from .. import graph
from ..graph import Node
from .notation import (
    OP_SYMBOLS,
    Operand,
    derivative_formula,
    expression,
    gradient_name,
    number,
    partial,
    shape_text,
    wrapped,
)

__all__ = ["DEFAULT_MAX_NODES", "KINDS", "draw", "draw_backward", "draw_forward"]

#: Fill colour, border colour and legend text of each kind of node.
KINDS = {
    "input": ("#e5e7eb", "#6b7280", "input (data, no gradient)"),
    "parameter": ("#dbeafe", "#2563eb", "parameter (leaf with a gradient)"),
    "intermediate": ("#ffffff", "#64748b", "intermediate"),
    "cost": ("#fee2e2", "#dc2626", "cost (the root)"),
}
#: How many nodes a picture draws unless told otherwise: beyond that dot is slow
#: and the picture unreadable. The nodes nearest the result are kept.
DEFAULT_MAX_NODES = 200

_FONT = "Helvetica,Arial,sans-serif"
_FORWARD = "#334155"
_BACKWARD = "#b91c1c"
_MUTED = "#64748b"
_MAX_NAME = 24  # an unnamed node longer than this as an expression is called n<k>
_MAX_ROWS = 6  # parameters listed in one layer box
# A node feeding more consumers than this gets a small copy beside each consumer
# after the first, instead of long edges across the picture.
_MAX_FAN = 4
_LAYER = re.compile(r"\[(\d+)\]")
_LOGITS = re.compile(r"Z\[(\d+)\]")
_LINEAR = frozenset({"@", "linear", "*"})
_ACTIVATIONS = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh", "sigmoid": "sigmoid"}


# --- reading the graph --------------------------------------------------------


@dataclass(eq=False, slots=True)  # one per node, compared by identity (Tensor == is elementwise)
class _Item:
    """One node as a picture shows it."""

    node: Node
    index: int  # position in the topological order; the DOT id is n<index>
    step: int  # 1 for the root: the order in which backpropagation visits nodes
    name: Operand
    kind: str
    formula: Operand | None = None
    # In argument order: the operand's text and its parent (None for a number operand).
    args: list[tuple[Operand, Node | None]] = field(default_factory=list)
    group: int | str | None = None  # nn layer index, 'cost', or None
    cut: bool = False  # a parent of a drawn node, itself left out by the node cap
    shape: tuple[int, ...] = ()  # graph.shape(node), read once
    key: str = ""  # the DOT id, n<index>
    label: str | None = None  # _label(node), read once

    @property
    def short(self) -> bool:
        """Named ``n<k>`` because its expression is too long to be its name."""
        return self.formula is not None and self.name is not self.formula \
            and self.label is None


@dataclass
class _Scene:
    items: list[_Item]  # drawn, in topological order
    cut: list[_Item]  # left out, but a parent of a drawn node: drawn as a dashed stub
    total: int
    by_node: dict[Node, _Item]
    _first_use: dict[Node, int] | None = None

    @property
    def root(self) -> _Item:
        return self.items[-1]

    def tail(self, parent: Node, consumer: _Item) -> str:
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


def _label(node: Node) -> str | None:
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
        name = _label(node)
        found = _LAYER.search(name) if name else None
        if found:
            groups[i] = int(found.group(1)) or None
        elif i == total - 1:
            groups[i] = "cost"
        elif name is not None and graph.is_leaf(node):
            groups[i] = None
        else:
            groups[i] = groups[first_child[i]]
    return groups


def read_scene(root: Any, max_nodes: int | None, grouped: bool) -> _Scene:
    """What a picture shows of ``root``'s graph: the nodes nearest the result (at most
    ``max_nodes``), their names, formulas, kinds and, with ``grouped``, nn layers."""
    order = graph.topological_order(root)
    total = len(order)
    start = 0 if max_nodes is None or total <= max_nodes else total - max_nodes
    index = {node: i for i, node in enumerate(order)}
    groups = _groups(order, index) if grouped else None
    by_node: dict[Node, _Item] = {}
    cut: list[_Item] = []
    parents_of, constants_of, op_of = graph.parents, graph.constants, graph.op

    def item_of(node: Node, i: int, is_cut: bool) -> _Item:
        name = _label(node)
        it = _Item(node, i, total - i, Operand(name or f"n{i}"), _kind(node, i == total - 1))
        it.shape = graph.shape(node)
        it.key = f"n{i}"
        it.label = name
        if groups is not None:
            it.group = groups[i]
        it.cut = is_cut
        return it

    items = []
    for i in range(start, total):
        node = order[i]
        it = item_of(node, i, False)
        parents = parents_of(node)
        if parents:
            numbers = dict(constants_of(node))
            if numbers:
                it_parents = iter(parents)
                picked = []
                for position in range(len(parents) + len(numbers)):
                    picked.append(numbers[position] if position in numbers
                                  else next(it_parents))
            else:
                picked = parents
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
    return _Scene(items, cut, total, by_node)


# --- text of nodes and edges --------------------------------------------------

# Controls become spaces, markup characters entities, and a lone surrogate (which cannot
# be written as UTF-8, which dot reads) '?', as str.encode(errors="replace") writes it.
_ESCAPES = {i: " " for i in range(32)}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})
_ESCAPES.update({i: "?" for i in range(0xD800, 0xE000)})
_UNSAFE = re.compile("[\x00-\x1f&<>\ud800-\udfff]")


def _esc(text: str) -> str:
    """Text made safe inside a Graphviz HTML label (``a<b|{c}`` included)."""
    return text.translate(_ESCAPES) if _UNSAFE.search(text) else text


def _small(text: str, color: str = _MUTED) -> str:
    # Graphviz rejects an empty <font></font>.
    return f'<font point-size="9" color="{color}">{_esc(text)}</font>' if text else ""


def _is_one(shape: tuple[int, ...]) -> bool:
    return shape == () or math.prod(shape) == 1


def value_text(it: _Item) -> str:
    """``u = b·c = 6``: the name, the expression (when it is not the name) and, for one
    number, the value."""
    node = it.node
    head = it.name.text
    if it.formula is not None and it.formula is not it.name:
        head = f"{head} = {it.formula.text}"
    if _is_one(it.shape) and graph.data(node) is not None:
        head = f"{head} = {number(graph.data(node))}"
    return head


def _forward_label(it: _Item) -> str:
    shape = it.shape
    text = _esc(value_text(it))
    if shape != ():
        return f"<{text}<br/>{_small(shape_text(shape))}>"
    return f"<{text}>"


def has_gradient(node: Node) -> bool:
    """Backward computed a gradient for ``node`` (not data such as X and Y)."""
    return graph.requires_grad(node) and graph.grad(node) is not None


def gradient_text(it: _Item, known: bool | None = None) -> str:
    """``dv = 3`` for one number, ``dW[1]`` for an array, the name alone for data
    (``known``: has_gradient(it.node), when the caller has it already)."""
    if not (has_gradient(it.node) if known is None else known):
        return it.name.text
    if _is_one(it.shape):
        return f"{gradient_name(it.name)} = {number(graph.grad(it.node))}"
    return gradient_name(it.name)


def _gradient_lines(it: _Item) -> tuple[str, list[str]]:
    """The ``dvar`` line of a node and the small lines under it."""
    node = it.node
    shape = it.shape
    known = has_gradient(node)
    sub = [] if known else ["no gradient"]
    value = graph.data(node)
    if it.short:  # spelled out, so the backward picture needs no forward one to read
        sub.append(f"{it.name.text} = {it.formula.text}")
    if _is_one(shape) and value is not None:
        sub.append(f"{it.name.text} = {number(value)}")
    if shape != ():
        sub.append(shape_text(shape))
    return gradient_text(it, known), sub


def _badge(step: int | str, color: str, rows: int) -> str:
    return (f'<td rowspan="{rows}" bgcolor="{color}"><font point-size="9" color="#ffffff">'
            f' {step} </font></td><td rowspan="{rows}" width="4"></td>')


def _backward_label(it: _Item, numbered: bool = True) -> str:
    head, sub = _gradient_lines(it)
    rows = [f'<tr><td align="left">{_esc(head)}</td></tr>']
    rows += [f'<tr><td align="left">{_small(s)}</td></tr>' for s in sub]
    if numbered:
        rows[0] = "<tr>" + _badge(it.step, KINDS[it.kind][1], len(rows)) + rows[0][4:]
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
    return f"<{table}{''.join(rows)}</table>>"


def broadcast_note(axes: tuple[int, ...], parent_shape: tuple[int, ...],
                   out_shape: tuple[int, ...]) -> str:
    """Where backward sums a broadcast gradient back -- ``b`` of shape (n, 1) added to
    (n, m) gets ``db`` summed over the m columns -- or '' where it does not."""
    if not axes:
        return ""
    what = "axis" if len(axes) == 1 else "axes"
    return (f"broadcast {shape_text(parent_shape)} → {shape_text(out_shape)}: "
            f"summed over {what} {', '.join(map(str, axes))}")


def named_rule(rule: str, it: _Item, parents: list[_Item]) -> str:
    """A tensor's rule with the picture's names for unlabelled nodes.

    Tensor rules call an unlabelled result ``out`` and unlabelled inputs x, y, z
    (by argument); the picture names them (``W[1]·X``), so the rule should too.
    A gradient name in parentheses keeps its transpose outside: ``(d(wᵀ))ᵀ``.
    """
    names: dict[str, str] = {}
    if _label(it.node) is None:
        names["out"] = wrapped(it.name)
        names["dout"] = gradient_name(it.name)
    for placeholder, p in zip("xyz", parents):
        if _label(p.node) is None:
            names[placeholder] = wrapped(p.name)
            names["d" + placeholder] = gradient_name(p.name)
    taken = {_label(n) for n in [it.node] + [p.node for p in parents]}
    if not names or taken & names.keys():
        return rule
    tokens = "|".join(sorted(names, key=len, reverse=True))
    pattern = rf"(?<![A-Za-z0-9_\]\[])({tokens})(?![A-Za-z0-9_\[])(ᵀ?)"

    def name(m: re.Match[str]) -> str:
        text = names[m.group(1)]
        if m.group(2) and text.endswith(")"):
            return f"({text})ᵀ"
        return text + m.group(2)

    return re.sub(pattern, name, rule)


def edge_labels(it: _Item, k: int, parents: list[_Item],
                backward_only: bool = False) -> tuple[str, str, bool]:
    """Forward label, backward label and whether backward sums a broadcast, for the
    edge from the node's ``k``-th parent into ``it`` (with ``backward_only`` the
    forward label is left empty).

    Backward, a scalar edge carries the lecture's local derivative
    (``∂u/∂b = c = 2``); a tensor edge the rule (``dW[1] = dZ[1]·Xᵀ``), since one
    number cannot stand for a Jacobian. No gradient flows to data (X, Y).
    """
    node = it.node
    parent = parents[k]
    p_shape = parent.shape
    forward = shape_text(p_shape) if p_shape != () and not backward_only else ""
    if not graph.requires_grad(parent.node):
        return forward, "", False
    d = graph.local_derivatives(node)[k]
    out_shape = it.shape
    scalar = d is not None and (type(d) is float or isinstance(d, int | float)
                                or getattr(d, "size", 0) == 1)
    rule = "" if scalar and out_shape == () else graph.edge_rules(node)[k]  # not needed then
    backward = ""
    if scalar and (out_shape == () or not rule):
        operands = [a for a, _ in it.args]
        position = [i for i, (_, p) in enumerate(it.args) if p is not None][k]
        symbols = derivative_formula(graph.op(node), operands, position, it.name)
        middle = f"{symbols} = " if symbols else ""
        backward = f"{partial(it.name, parent.name)} = {middle}{number(d)}"
    elif rule:
        backward = named_rule(rule, it, parents)
    if out_shape == ():
        return forward, backward, False
    note = broadcast_note(graph.broadcast_axes(node)[k], p_shape, out_shape)
    if note:
        backward = f"{backward}\n{note}" if backward else note
    return forward, backward, bool(note)


def _html_lines(text: str) -> str:
    if "\n" not in text:
        return f"<{_esc(text)}>"
    return "<" + "<br/>".join([_esc(t) for t in text.split("\n")]) + ">"


# --- writing DOT ------------------------------------------------------------------

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)")
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})


_QUOTED: dict[str, str] = {}  # the few style values, quoted once


def _quote(value: str) -> str:
    """A DOT attribute value: HTML labels and plain ids as they are, else in quotes."""
    if value[:1] == "<" and value[-1:] == ">":
        return value
    quoted = _QUOTED.get(value)
    if quoted is None:
        if _ID.fullmatch(value) and value.lower() not in _KEYWORDS:
            quoted = value
        else:
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if len(_QUOTED) < 4096:
            _QUOTED[value] = quoted
    return quoted


def _attrs(attrs: dict[str, str]) -> str:
    """``label=<...> color="#fff"``: the label first, then the rest sorted by name."""
    label = attrs.get("label")
    rest = " ".join([f"{k}={_quote(v)}" for k, v in sorted(attrs.items()) if k != "label"])
    if label is None:
        return rest
    return f"label={_quote(label)} {rest}" if rest else f"label={_quote(label)}"


def _node(into: list[str], indent: str, name: str, attrs: dict[str, str]) -> None:
    into.append(f"{indent}{name} [{_attrs(attrs)}]\n")


def _edge(into: list[str], tail: str, head: str, attrs: dict[str, str]) -> None:
    into.append(f"\t{tail} -> {head} [{_attrs(attrs)}]\n" if attrs else f"\t{tail} -> {head}\n")


def _node_style(kind: str) -> dict[str, str]:
    fill, border, _ = KINDS[kind]
    return {"fillcolor": fill, "color": border}


# --- emitting DOT: every operation ----------------------------------------------


def _emit_ops(into: list[str], scene: _Scene, backward: bool, prefix: str, show_ops: bool,
              clusters: bool) -> None:
    """Write every node and edge of one pass."""
    boxes: dict[int | str, list[str]] = {}

    def box(it: _Item) -> tuple[list[str], str]:
        if not clusters or it.group is None:
            return into, "\t"
        if it.group not in boxes:
            title = f"layer {it.group}" if isinstance(it.group, int) else str(it.group)
            attrs = {"label": title, "style": "rounded,dashed", "color": "#94a3b8",
                     "fontcolor": _MUTED, "labeljust": "l", "labelloc": "b", "ordering": "in"}
            boxes[it.group] = [f"\tsubgraph cluster_{prefix}layer_{it.group} {{\n",
                               f"\t\tgraph [{_attrs(attrs)}]\n"]
        return boxes[it.group], "\t\t"

    ink = _BACKWARD if backward else _FORWARD
    direction = {"dir": "back", "color": ink, "fontcolor": ink} if backward else {}
    for it in scene.cut:
        lines, indent = box(it)
        _node(lines, indent, prefix + it.key,
              {"label": _html_lines(f"⋯ {it.name.text}"), "style": "rounded,dashed",
               "color": _MUTED, "fontcolor": _MUTED})
    op_style = {"shape": "circle", "fillcolor": "#f8fafc", "color": "#94a3b8",
                "fontsize": "12", "width": "0.3", "margin": "0.02", "style": "filled"}
    number_style = {"style": "rounded,filled,dashed", "fillcolor": "#f8fafc",
                    "color": "#94a3b8", "fontsize": "10", "width": "0.3", "height": "0.25",
                    "margin": "0.06,0.03"}
    styles = {kind: _attrs(_node_style(kind)) for kind in KINDS}
    number_rest = _attrs(number_style)
    op_rest = _attrs(op_style)
    op_labels: dict[str, str] = {}  # the few operation symbols, written once
    for it in scene.items:
        lines, indent = box(it)
        label = _backward_label(it) if backward else _forward_label(it)
        lines.append(f"{indent}{prefix}n{it.index} [label={label} {styles[it.kind]}]\n")
        if it.formula is None:
            continue
        if show_ops:
            op = graph.op(it.node)
            op_label = op_labels.get(op)
            if op_label is None:
                op_label = op_labels[op] = _html_lines(OP_SYMBOLS.get(op, op))
            lines.append(f"{indent}{prefix}o{it.index} [label={op_label} {op_rest}]\n")
        if not backward:
            for position, (operand, parent) in enumerate(it.args):
                if parent is None:
                    lines.append(f"{indent}{prefix}c{it.index}_{position} "
                                 f"[label={_html_lines(operand.text)} {number_rest}]\n")

    copy_style = {"style": "rounded,dashed", "color": _MUTED, "fontcolor": _MUTED}
    number_edge = f" [{_attrs({'style': 'dashed', 'color': '#94a3b8'})}]"
    to_value = f" [{_attrs(direction)}]" if direction else ""
    plain = _attrs(direction)  # what most edges carry besides their label
    for it in scene.items:
        if it.formula is None:
            continue
        target = f"{prefix}o{it.index}" if show_ops else prefix + it.key
        parents = [scene.by_node[p] for p in graph.parents(it.node)] if backward else []
        tensor = it.shape != ()
        if not clusters and not tensor and len(parents if backward else it.args) <= 2 \
                and _one_scalar_edge(into, scene, it, backward, prefix, target, parents,
                                     number_edge, plain):
            if show_ops:
                into.append(f"\t{target} -> {prefix}n{it.index}{to_value}\n")
            continue
        # One edge per distinct parent, in argument order; a parent used twice (a·a)
        # gets one edge marked ×2, so dot lays out no parallel labelled edges.
        edges: dict[Node | int, list[Any]] = {}
        k = 0
        for position, (_operand, parent) in enumerate(it.args):
            if parent is None:
                # A number gets no gradient: backward, it is already in the node's
                # name (x/2) and in the edge's derivative (0.5), and a stub for it
                # would only cross the derivatives' labels.
                if not backward:
                    edges[position] = [None, [], False, 1]
                continue
            if backward:
                _, text, summed = edge_labels(it, k, parents, backward_only=True)
            else:  # forward, an edge carries the shape of the value it brings
                shape = scene.by_node[parent].shape
                text, summed = (shape_text(shape) if shape != () else ""), False
            k += 1
            entry = edges.get(parent)
            if entry is None:
                edges[parent] = [parent, [text] if text else [], summed, 1]
                continue
            if text and text not in entry[1]:
                entry[1].append(text)
            entry[2] = entry[2] or summed
            entry[3] += 1
        for key, (parent, texts, summed, uses) in edges.items():
            if parent is None:
                into.append(f"\t{prefix}c{it.index}_{key} -> {target}{number_edge}\n")
                continue
            p = scene.by_node[parent]
            text = "\n".join(texts + [f"×{uses}"]) if uses > 1 else "\n".join(texts)
            tail = scene.tail(parent, it)
            if (text and not summed and not p.cut and tail == p.key and not clusters
                    and not tensor and p.shape == ()
                    and graph.requires_grad(p.node)):
                # The common edge, written at once: a scalar's label and the pass's colour.
                into.append(f"\t{prefix}{tail} -> {target} [label={_html_lines(text)}"
                            f"{' ' + plain if plain else ''}]\n")
                continue
            attrs = dict(direction)
            if text:
                attrs["label"] = _html_lines(text)
                if tensor or p.shape != ():
                    # Long tensor labels stack up between edges: tie each to its own.
                    attrs["decorate"] = "true"
            if summed and backward:
                attrs["penwidth"] = "2.2"
            if p.cut:
                attrs["style"] = "dashed"
            if backward and not graph.requires_grad(p.node):
                attrs.update(color="#cbd5e1", style="dotted", arrowtail="none")
            if clusters and p.group != it.group:
                attrs["minlen"] = "2"  # keeps layer frames side by side, not stacked
            if tail != p.key:
                lines, indent = box(it)
                _node(lines, indent, prefix + tail,
                      {"label": _html_lines(p.name.text), **copy_style})
            _edge(into, prefix + tail, target, attrs)
        if show_ops:
            into.append(f"\t{target} -> {prefix}n{it.index}{to_value}\n")
    for group in sorted(boxes, key=lambda g: (isinstance(g, str), str(g).zfill(9))):
        into.extend(boxes[group])
        into.append("\t}\n")


def _one_scalar_edge(into: list[str], scene: _Scene, it: _Item, backward: bool, prefix: str,
                     target: str, parents: list[_Item], number_edge: str, plain: str) -> bool:
    """The edges into a scalar node with one parent node (x + 1, tanh(x), 3·v), written
    as :func:`_emit_ops` writes them, without its general bookkeeping; False (nothing
    written) where that bookkeeping is needed: another parent, a stub, a copy, data."""
    parent = None
    for _operand, p in it.args:
        if p is not None:
            if parent is not None:
                return False
            parent = p
    if parent is None:
        return False
    p = scene.by_node[parent]
    if p.cut or p.shape != () or scene.tail(parent, it) != p.key:
        return False
    if backward:
        if not graph.requires_grad(p.node):
            return False
        _, text, summed = edge_labels(it, 0, parents, backward_only=True)
        if not text or summed:
            return False
        into.append(f"\t{prefix}{p.key} -> {target} [label={_html_lines(text)}"
                    f"{' ' + plain if plain else ''}]\n")
        return True
    for position, (_operand, q) in enumerate(it.args):  # in argument order, as the dict
        if q is None:
            into.append(f"\t{prefix}c{it.index}_{position} -> {target}{number_edge}\n")
        else:
            into.append(f"\t{prefix}{p.key} -> {target}\n")
    return True


# --- emitting DOT: one box per nn layer -----------------------------------------


@dataclass
class _Layer:
    group: int | str
    members: list[_Item] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"L{self.group}"

    @property
    def first_visit(self) -> int:
        """The step at which backpropagation first visits one of its operations."""
        return min((m.step for m in self.members if m.formula is not None), default=0)


def layers_of(scene: _Scene) -> list[_Layer]:
    """The nn layers of a grouped scene, layer 1 first and the cost last."""
    layers: dict[int | str, _Layer] = {}
    for it in scene.items:
        if it.group is not None:
            layers.setdefault(it.group, _Layer(it.group)).members.append(it)
    return sorted(layers.values(),
                  key=lambda ly: (isinstance(ly.group, str), str(ly.group).zfill(9)))


def folded_output(layer: _Layer) -> str | None:
    """``A[3] = σ(Z[3]) = Ŷ`` when the cost takes the logits Z[L] (the stable
    cross-entropy), so that the network's output A[L] is no node of its own."""
    if layer.group != "cost":
        return None
    root = layer.members[-1]
    if graph.op(root.node) != "BCE" or not root.args:
        return None
    found = _LOGITS.fullmatch(root.args[0][0].text)
    if not found:
        return None
    L = found.group(1)
    return f"A[{L}] = σ(Z[{L}]) = Ŷ"


def layer_title(layer: _Layer, backward: bool) -> str:
    """``layer 1 · Linear → ReLU``, or ``cost (BCE) · J = 0.69``."""
    if layer.group == "cost":
        root = layer.members[-1]
        head = gradient_text(root) if backward else _forward_label_text(root)
        op = graph.op(root.node)
        return f"cost ({OP_SYMBOLS.get(op, op)}) · {head}" if op else f"cost · {head}"
    ops = [graph.op(m.node) for m in layer.members if not graph.is_leaf(m.node)]
    parts = ["Linear"] if any(o in _LINEAR for o in ops) else []
    for o in ops:
        name = _ACTIVATIONS.get(o)
        if name and name not in parts:
            parts.append(name)
    return f"layer {layer.group} · {' → '.join(parts)}" if parts else f"layer {layer.group}"


def _forward_label_text(it: _Item) -> str:
    value = graph.data(it.node)
    shape = it.shape
    if _is_one(shape) and value is not None:
        return f"{it.name.text} = {number(value)}"
    return it.name.text


def _row(it: _Item, backward: bool, arrow: str = "") -> str:
    shape = it.shape
    if backward:
        head = gradient_text(it)
        right = shape_text(shape) if shape != () else ""
        if not has_gradient(it.node):
            right = "no gradient"
    else:
        head = _forward_label_text(it)
        right = shape_text(shape) if shape != () else ""
    return (f'<tr><td align="left">{_esc(arrow + head)}</td>'
            f'<td align="left">{_small(right)}</td></tr>')


def _layer_label(layer: _Layer, backward: bool, step: int | None) -> str:
    fill, border, _ = KINDS["cost" if layer.group == "cost" else "parameter"]
    title = f"<b>{_esc(layer_title(layer, backward))}</b>"
    if step is not None:
        title = (f'<table border="0" cellborder="0" cellspacing="0" cellpadding="1"><tr>'
                 f'{_badge(step, border, 1)}<td align="left">{title}</td></tr></table>')
    rows = [f'<tr><td colspan="2" bgcolor="{fill}" align="left">{title}</td></tr>']
    if layer.group != "cost":
        params = [m for m in layer.members
                  if graph.is_leaf(m.node) and graph.requires_grad(m.node)]
        rows += [_row(m, backward) for m in params[:_MAX_ROWS]]
        if len(params) > _MAX_ROWS:
            rows.append(f'<tr><td colspan="2" align="left">'
                        f"{_small(f'… and {len(params) - _MAX_ROWS} more parameters')}</td></tr>")
        outputs = [m for m in layer.members if not graph.is_leaf(m.node)]
        if outputs:
            rows.append(_row(outputs[-1], backward, "→ "))
    else:
        output = folded_output(layer)
        if output:
            z = layer.members[-1].args[0][1]
            L = output[2:output.index("]")]
            shape = shape_text(graph.shape(z)) if z is not None else ""
            if backward:
                output = f"dZ[{L}] = A[{L}] - Y (the cost from the logits)"
            rows.append(f'<tr><td align="left">{_esc(output)}</td>'
                        f'<td align="left">{_small(shape)}</td></tr>')
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="3">'
    return f"<{table}{''.join(rows)}</table>>"


def _emit_layers(into: list[str], scene: _Scene, backward: bool, prefix: str) -> None:
    ordered = layers_of(scene)
    steps = {}
    if backward:  # numbered in the order backpropagation visits the layers: the cost first
        visits = sorted((ly for ly in ordered if ly.first_visit), key=lambda ly: ly.first_visit)
        steps = {ly.group: n for n, ly in enumerate(visits, 1)}

    def place(it: _Item) -> str:
        return prefix + (f"L{it.group}" if it.group is not None else it.key)

    for it in scene.items:
        if it.group is None:
            attrs = _node_style(it.kind)
            # Outside the layers only leaves remain, which backpropagation does not visit.
            attrs["label"] = (_backward_label(it, numbered=it.formula is not None) if backward
                              else _forward_label(it))
            _node(into, "\t", prefix + it.key, attrs)
    for layer in ordered:
        color = KINDS["cost" if layer.group == "cost" else "parameter"][1]
        _node(into, "\t", prefix + layer.key,
              {"label": _layer_label(layer, backward, steps.get(layer.group)), "shape": "box",
               "style": "rounded", "color": color, "margin": "0.05"})

    crossings: dict[tuple[str, str], list[_Item]] = {}
    for it in scene.items:
        for _operand, parent in it.args:
            if parent is None:
                continue
            p = scene.by_node[parent]
            if p.group is not None and p.group == it.group:
                continue
            values = crossings.setdefault((place(p), place(it)), [])
            if p not in values:
                values.append(p)
    ink = _BACKWARD if backward else _FORWARD
    for (src, dst), values in crossings.items():
        first = values[0]
        shape = graph.shape(first.node)
        name = gradient_name(first.name) if backward else first.name.text
        text = f"{name} {shape_text(shape)}" if shape != () else name
        if len(values) > 1:
            text += f" and {len(values) - 1} more"
        attrs = {"label": _html_lines(text)}
        if backward:
            attrs.update(dir="back", color=ink, fontcolor=ink)
            if not any(graph.requires_grad(v.node) for v in values):
                attrs = {"dir": "back", "color": "#cbd5e1", "style": "dotted",
                         "arrowtail": "none"}
        _edge(into, src, dst, attrs)


# --- the public functions -------------------------------------------------------


def check_arguments(root: Any, zoom: str, max_nodes: int | None, backward: bool) -> None:
    """The root is a graph node, zoom and max_nodes make sense, backward has run."""
    if not isinstance(root, Node):
        raise TypeError(
            f"expected the result of a computation (a Value or Tensor), got {type(root).__name__}"
        )
    if zoom not in ("ops", "layers"):
        raise ValueError(f"zoom={zoom!r}: use 'ops' (every operation) or 'layers' (one box "
                         "per nn layer)")
    if max_nodes is not None and (isinstance(max_nodes, bool) or not isinstance(max_nodes, int)
                                  or max_nodes < 1):
        raise ValueError(f"max_nodes={max_nodes!r}: give a positive int, or None to draw all")
    if backward:
        g = graph.grad(root)
        if g is None or (_is_one(graph.shape(root)) and number(g) == "0"):
            name = _label(root) or "root"
            raise ValueError(f"{name} has no gradient yet: call {name}.backward() before drawing "
                             "the backward graph")


def titles(root: _Item) -> dict[str, str]:
    """The title of each pass, with the lecture's shorthand for the actual root."""
    name = wrapped(root.name)
    return {
        "forward": "forward pass: values, left to right",
        "backward": f"backward pass: dvar = ∂{name}/∂var, right to left; "
                    "nodes numbered in the order backpropagation visits them",
    }


def cap_note(scene: _Scene) -> str:
    """What the node cap left out, and how to see the rest; '' when nothing was."""
    if len(scene.items) >= scene.total:
        return ""
    left = scene.total - len(scene.items)
    nn_graph = any(_LAYER.search(it.name.text) for it in scene.items if _label(it.node))
    hint = ("zoom='layers' draws the whole network, one box per layer" if nn_graph
            else "a larger max_nodes draws more of them (every node makes a very wide picture)")
    return (f"showing the {len(scene.items)} nodes nearest the result, of {scene.total}; "
            f"{left} earlier nodes are left out (dashed: where they connect); {hint}")


def _present_kinds(scene: _Scene, layers: bool) -> list[str]:
    if layers:
        kinds = {it.kind for it in scene.items if it.group is None}
        kinds |= {"cost" if g == "cost" else "parameter"
                  for g in {it.group for it in scene.items} if g is not None}
    else:
        kinds = {it.kind for it in scene.items}
    return [k for k in KINDS if k in kinds]


def _header(lines: list[str], legend: list[str]) -> str:
    """The picture's title lines and, for the full picture, the legend of the kinds shown."""
    rows = [f'<tr><td align="left">{_esc(line)}</td></tr>' for line in lines]
    if legend:
        cells = "".join(
            f'<td bgcolor="{KINDS[k][0]}" border="1" color="{KINDS[k][1]}"> {_esc(KINDS[k][2])} '
            "</td>" for k in legend
        )
        rows.append('<tr><td align="left"><table border="0" cellspacing="4" cellpadding="3">'
                    f"<tr>{cells}</tr></table></td></tr>")
    return f'<<table border="0" cellspacing="0" cellpadding="1">{"".join(rows)}</table>>'


_GRAPH_ATTR = {"rankdir": "LR", "fontname": _FONT, "fontsize": "11", "nodesep": "0.25",
               "ranksep": "0.35", "bgcolor": "white", "pad": "0.2", "labeljust": "l",
               "ordering": "in"}
_NODE_ATTR = {"fontname": _FONT, "fontsize": "11", "shape": "box", "style": "rounded,filled",
              "penwidth": "1.2", "margin": "0.1,0.05", "height": "0.3"}
_EDGE_ATTR = {"fontname": _FONT, "fontsize": "9", "arrowsize": "0.7", "color": _FORWARD,
              "fontcolor": _MUTED}


def picture_of(scene: _Scene, passes: tuple[str, ...], show_ops: bool, layers: bool,
               clusters: bool) -> Any:
    """The ``graphviz.Digraph`` of a scene: one pass, or forward above backward."""
    from .picture import Picture

    note = cap_note(scene)
    body: list[str] = []

    def emit(which: str, prefix: str) -> None:
        if layers:
            _emit_layers(body, scene, which == "backward", prefix)
        else:
            _emit_ops(body, scene, which == "backward", prefix, show_ops, clusters)

    names = titles(scene.root)
    if len(passes) == 1:
        header = _header([names[passes[0]]] + ([note] if note else []), [])
        emit(passes[0], "")
    else:
        # One picture without frames: dot honours the argument order (ordering=in)
        # only outside clusters, and stacks separate components bottom-up in the
        # order they are declared, so the forward pass is declared last.
        lines = ["top: " + names["forward"], "bottom: " + names["backward"]]
        header = _header(lines + ([note] if note else []), _present_kinds(scene, layers))
        for which in reversed(passes):
            emit(which, which[0])
    graph_attr = dict(_GRAPH_ATTR)
    g = Picture(name="_".join(passes), graph_attr=graph_attr, node_attr=_NODE_ATTR,
                edge_attr=_EDGE_ATTR)
    g.body.append(f"\tlabel={header} labelloc=t\n")
    # One string for all the statements: graphviz yields its body item by item when it
    # writes the source, which for 100,000 nodes costs more than joining them once here.
    g.body.append("".join(body))
    return g


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off inside the block, as it was afterwards.

    Reading a big graph allocates an object per node, and each collection would
    walk them all again, doubling the time; nothing here makes reference cycles.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _draw(root: Any, passes: tuple[str, ...], show_ops: bool, zoom: str, clusters: bool,
          max_nodes: int | None) -> Any:
    check_arguments(root, zoom, max_nodes, "backward" in passes)
    layers = zoom == "layers"
    with collector_paused():
        scene = read_scene(root, None if layers else max_nodes, grouped=layers or clusters)
        picture = picture_of(scene, passes, show_ops, layers, clusters)
        # Freed while the collector is off: it then has no pile of new objects to walk
        # at the first allocation after it is back on.
        del scene
    return picture


def draw_forward(root: Node, *, show_ops: bool = True, zoom: str = "ops",
                 clusters: bool = False, max_nodes: int | None = DEFAULT_MAX_NODES) -> Any:
    """The forward graph of ``root``, left to right: ``a = 5``, ``u = b·c = 6``, ``J = 3·v = 33``.

    ``show_ops`` draws each operation as its own small node (False: merged into
    the value it makes). ``zoom='layers'`` draws one box per ``nn`` layer
    (``Linear → ReLU`` with its parameters' shapes); ``clusters`` frames each
    layer's operations. At most ``max_nodes`` nodes are drawn, those nearest
    the result, with a note of what was left out. Returns a ``graphviz.Digraph``.
    """
    return _draw(root, ("forward",), show_ops, zoom, clusters, max_nodes)


def draw_backward(root: Node, *, show_ops: bool = True, zoom: str = "ops",
                  clusters: bool = False, max_nodes: int | None = DEFAULT_MAX_NODES) -> Any:
    """The backward graph after ``root.backward()``: ``dvar`` = ∂J/∂var on each node
    (``dv = 3``), the local derivative on each edge (``∂u/∂b = c = 2``), right to left.

    Options as in :func:`draw_forward`. Returns a ``graphviz.Digraph``.
    """
    return _draw(root, ("backward",), show_ops, zoom, clusters, max_nodes)


def draw(root: Node, *, show_ops: bool = True, zoom: str = "ops", clusters: bool = False,
         max_nodes: int | None = DEFAULT_MAX_NODES) -> Any:
    """Forward (values) above backward (dvar = ∂J/∂var) in one picture, nodes coloured by
    kind -- input, parameter, intermediate, cost -- and numbered in backpropagation order.

    Options as in :func:`draw_forward`. Returns a ``graphviz.Digraph``.
    """
    return _draw(root, ("forward", "backward"), show_ops, zoom, clusters, max_nodes)
