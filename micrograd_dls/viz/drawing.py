"""The lecture's pictures of a computation graph: values forward, derivatives backward.

The forward picture reads left to right: inputs on the left, each value node
as ``u = b·c = 6``, the result on the right. The backward picture is the same
layout walked right to left: each node shows the lecture's ``dvar`` = ∂J/∂var,
each edge the local derivative the chain rule multiplies (``∂u/∂b = c = 2``),
or for tensors the rule backward applies (``dW = dZ·Aᵀ``). Nodes are coloured
by kind and, backward, numbered in the order backpropagation visits them.

The graph is read only through the public API of :mod:`micrograd_dls.graph`.
Node ids follow the topological order, so the same graph always gives the
same DOT source.
"""

from __future__ import annotations

import html
import math
import re
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
_LAYER = re.compile(r"\[(\d+)\]")
_LINEAR = frozenset({"@", "linear", "*"})
_ACTIVATIONS = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh", "sigmoid": "sigmoid"}


# --- reading the graph --------------------------------------------------------


@dataclass(eq=False)  # one item per node, compared by identity (Tensor == is elementwise)
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

    @property
    def key(self) -> str:
        return f"n{self.index}"


@dataclass
class _Scene:
    items: list[_Item]  # drawn, in topological order
    cut: list[_Item]  # left out, but a parent of a drawn node: drawn as a dashed stub
    total: int
    by_node: dict[Node, _Item]


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

    def item_of(node: Node, i: int, is_cut: bool) -> _Item:
        name = _label(node)
        it = _Item(node, i, total - i, Operand(name or f"n{i}"), _kind(node, i == total - 1))
        it.group = groups[i] if groups is not None else None
        it.cut = is_cut
        return it

    items = []
    for i in range(start, total):
        node = order[i]
        it = item_of(node, i, False)
        if not graph.is_leaf(node):
            parents = iter(graph.parents(node))
            numbers = dict(graph.constants(node))
            for position in range(len(graph.parents(node)) + len(numbers)):
                if position in numbers:
                    it.args.append((Operand.of_number(numbers[position]), None))
                    continue
                p = next(parents)
                if p not in by_node:  # only a parent before the cut is not read yet
                    stub = item_of(p, index[p], True)
                    by_node[p] = stub
                    cut.append(stub)
                it.args.append((by_node[p].name, p))
            it.formula = expression(graph.op(node), [a for a, _ in it.args])
            if _label(node) is None and len(it.formula.text) <= _MAX_NAME:
                it.name = it.formula
        by_node[node] = it
        items.append(it)
    cut.sort(key=lambda s: s.index)
    return _Scene(items, cut, total, by_node)


# --- text of nodes and edges --------------------------------------------------


def _esc(text: str) -> str:
    """Text made safe inside a Graphviz HTML label (``a<b|{c}`` included)."""
    text = "".join(ch if ch >= " " else " " for ch in text)
    # A lone surrogate cannot be written as UTF-8, which is what dot reads.
    text = text.encode("utf-8", "replace").decode("utf-8")
    return html.escape(text, quote=False)


def _small(text: str, color: str = _MUTED) -> str:
    # Graphviz rejects an empty <font></font>.
    return f'<font point-size="9" color="{color}">{_esc(text)}</font>' if text else ""


def _is_one(shape: tuple[int, ...]) -> bool:
    return math.prod(shape) == 1


def _forward_label(it: _Item) -> str:
    node = it.node
    shape = graph.shape(node)
    head = it.name.text
    if it.formula is not None and it.formula is not it.name:
        head = f"{head} = {it.formula.text}"
    if _is_one(shape) and graph.data(node) is not None:
        head = f"{head} = {number(graph.data(node))}"
    lines = [_esc(head)]
    if shape != ():
        lines.append(_small(shape_text(shape)))
    return "<" + "<br/>".join(lines) + ">"


def _gradient_lines(it: _Item) -> tuple[str, list[str]]:
    """The ``dvar`` line of a node and the small lines under it."""
    node = it.node
    shape = graph.shape(node)
    g = graph.grad(node)
    sub = []
    if not graph.requires_grad(node) or g is None:
        head = it.name.text
        sub.append("no gradient")
    elif _is_one(shape):
        head = f"{gradient_name(it.name)} = {number(g)}"
    else:
        head = gradient_name(it.name)
    value = graph.data(node)
    if _is_one(shape) and value is not None:
        sub.append(f"{it.name.text} = {number(value)}")
    if shape != ():
        sub.append(shape_text(shape))
    return head, sub


def _backward_label(it: _Item) -> str:
    head, sub = _gradient_lines(it)
    rows = [f'<tr><td align="left">{_esc(head)}</td></tr>']
    rows += [f'<tr><td align="left">{_small(s)}</td></tr>' for s in sub]
    border = KINDS[it.kind][1]
    n = len(rows)
    badge = (
        f'<td rowspan="{n}" bgcolor="{border}"><font point-size="9" color="#ffffff">'
        f' {it.step} </font></td><td rowspan="{n}" width="4"></td>'
    )
    rows[0] = rows[0].replace("<tr>", "<tr>" + badge, 1)
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="1">'
    return f"<{table}{''.join(rows)}</table>>"


def _broadcast_note(axes: tuple[int, ...], parent_shape: tuple[int, ...],
                    out_shape: tuple[int, ...]) -> str:
    """Where backward sums a broadcast gradient back -- ``b`` of shape (n, 1) added to
    (n, m) gets ``db`` summed over the m columns -- or '' where it does not."""
    if not axes:
        return ""
    what = "axis" if len(axes) == 1 else "axes"
    return (f"broadcast {shape_text(parent_shape)} → {shape_text(out_shape)}: "
            f"summed over {what} {', '.join(map(str, axes))}")


def _named_rule(rule: str, it: _Item, parents: list[_Item]) -> str:
    """A tensor's rule with the picture's names for unlabelled nodes.

    Tensor rules call an unlabelled result ``out`` and unlabelled inputs x, y, z
    (by argument); the picture names them (``W[1]·X``), so the rule should too.
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
    pattern = rf"(?<![A-Za-z0-9_\]\[])({tokens})(?![A-Za-z0-9_\[])"
    return re.sub(pattern, lambda m: names[m.group(1)], rule)


def _edge_labels(it: _Item, k: int, parents: list[_Item]) -> tuple[str, str, bool]:
    """Forward label, backward label and whether backward sums a broadcast, for the
    edge from the node's ``k``-th parent into ``it``.

    Backward, a scalar edge carries the lecture's local derivative
    (``∂u/∂b = c = 2``); a tensor edge the rule (``dW[1] = dZ[1]·Xᵀ``), since one
    number cannot stand for a Jacobian. No gradient flows to data (X, Y).
    """
    node = it.node
    parent = parents[k]
    op = graph.op(node)
    p_shape = graph.shape(parent.node)
    forward = shape_text(p_shape) if p_shape != () else ""
    if not graph.requires_grad(parent.node):
        return forward, "", False
    d = graph.local_derivatives(node)[k]
    rule = graph.edge_rules(node)[k]
    backward = ""
    scalar = d is not None and (isinstance(d, int | float) or getattr(d, "size", 0) == 1)
    if scalar and (graph.shape(node) == () or not rule):
        operands = [a for a, _ in it.args]
        position = [i for i, (_, p) in enumerate(it.args) if p is not None][k]
        symbols = derivative_formula(op, operands, position, it.name)
        middle = f"{symbols} = " if symbols else ""
        backward = f"{partial(it.name, parent.name)} = {middle}{number(d)}"
    elif rule:
        backward = _named_rule(rule, it, parents)
    note = _broadcast_note(graph.broadcast_axes(node)[k], p_shape, graph.shape(node))
    if note:
        backward = f"{backward}\n{note}" if backward else note
    return forward, backward, bool(note)


def _html_lines(text: str) -> str:
    return "<" + "<br/>".join(_esc(t) for t in text.split("\n")) + ">"


# --- emitting DOT: every operation ----------------------------------------------


def _node_style(kind: str) -> dict[str, str]:
    fill, border, _ = KINDS[kind]
    return {"fillcolor": fill, "color": border}


def _emit_ops(into: Any, scene: _Scene, backward: bool, prefix: str, show_ops: bool,
              clusters: bool) -> None:
    import graphviz

    boxes: dict[int | str, Any] = {}

    def box(it: _Item) -> Any:
        if not clusters or it.group is None:
            return into
        if it.group not in boxes:
            title = f"layer {it.group}" if isinstance(it.group, int) else str(it.group)
            boxes[it.group] = graphviz.Digraph(
                name=f"cluster_{prefix}layer_{it.group}",
                graph_attr={"label": title, "style": "rounded,dashed", "color": "#94a3b8",
                            "fontcolor": _MUTED, "labeljust": "l", "labelloc": "b",
                            "ordering": "in"},
            )
        return boxes[it.group]

    ink = _BACKWARD if backward else _FORWARD
    direction = {"dir": "back", "color": ink, "fontcolor": ink} if backward else {}
    for it in scene.cut:
        box(it).node(
            prefix + it.key, _html_lines(f"⋯ {it.name.text}"),
            style="rounded,dashed", color=_MUTED, fontcolor=_MUTED,
        )
    for it in scene.items:
        label = _backward_label(it) if backward else _forward_label(it)
        box(it).node(prefix + it.key, label, **_node_style(it.kind))
        if it.formula is None:
            continue
        if show_ops:
            op = graph.op(it.node)
            box(it).node(f"{prefix}o{it.index}", _html_lines(OP_SYMBOLS.get(op, op)),
                         shape="circle", fillcolor="#f8fafc", color="#94a3b8",
                         fontsize="12", width="0.3", margin="0.02", style="filled")
        for position, (operand, parent) in enumerate(it.args):
            if parent is None and not backward:
                box(it).node(f"{prefix}c{it.index}_{position}", _html_lines(operand.text),
                             style="rounded,filled,dashed", fillcolor="#f8fafc",
                             color="#94a3b8", fontsize="10", width="0.3", height="0.25",
                             margin="0.06,0.03")

    for it in scene.items:
        if it.formula is None:
            continue
        target = f"{prefix}o{it.index}" if show_ops else prefix + it.key
        parents = [scene.by_node[p] for p in graph.parents(it.node)]
        k = 0
        for position, (_operand, parent) in enumerate(it.args):
            if parent is None:
                # A number gets no gradient: backward, it is already in the node's
                # name (x/2) and in the edge's derivative (0.5), and a stub for it
                # would only cross the derivatives' labels.
                if not backward:
                    into.edge(f"{prefix}c{it.index}_{position}", target, style="dashed",
                              color="#94a3b8")
                continue
            p = scene.by_node[parent]
            forward_text, backward_text, summed = _edge_labels(it, k, parents)
            k += 1
            text = backward_text if backward else forward_text
            attrs = dict(direction)
            if text:
                attrs["label"] = _html_lines(text)
                if graph.shape(it.node) != () or graph.shape(parent) != ():
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
            into.edge(prefix + p.key, target, **attrs)
        if show_ops:
            into.edge(target, prefix + it.key, **direction)
    for group in sorted(boxes, key=lambda g: (isinstance(g, str), str(g).zfill(9))):
        into.subgraph(boxes[group])


# --- emitting DOT: one box per nn layer -----------------------------------------


@dataclass
class _Layer:
    group: int | str
    members: list[_Item] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"L{self.group}"


def _layer_title(layer: _Layer, backward: bool) -> str:
    if layer.group == "cost":
        root = layer.members[-1]
        head = _gradient_lines(root)[0] if backward else _forward_label_text(root)
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
    shape = graph.shape(it.node)
    if _is_one(shape) and value is not None:
        return f"{it.name.text} = {number(value)}"
    return it.name.text


def _row(it: _Item, backward: bool, arrow: str = "") -> str:
    shape = graph.shape(it.node)
    if backward:
        head, sub = _gradient_lines(it)
        right = shape_text(shape) if shape != () else ""
        if not graph.requires_grad(it.node) or graph.grad(it.node) is None:
            right = "no gradient"
    else:
        head = _forward_label_text(it)
        right = shape_text(shape) if shape != () else ""
    return (f'<tr><td align="left">{_esc(arrow + head)}</td>'
            f'<td align="left">{_small(right)}</td></tr>')


def _layer_label(layer: _Layer, backward: bool) -> str:
    fill, border, _ = KINDS["cost" if layer.group == "cost" else "parameter"]
    rows = [f'<tr><td colspan="2" bgcolor="{fill}" align="left">'
            f"<b>{_esc(_layer_title(layer, backward))}</b></td></tr>"]
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
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="3">'
    return f"<{table}{''.join(rows)}</table>>"


def _emit_layers(into: Any, scene: _Scene, backward: bool, prefix: str) -> None:
    layers: dict[int | str, _Layer] = {}
    for it in scene.items:
        if it.group is not None:
            layers.setdefault(it.group, _Layer(it.group)).members.append(it)
    ordered = sorted(layers.values(), key=lambda ly: (isinstance(ly.group, str), str(ly.group)
                                                      .zfill(9)))

    def place(it: _Item) -> str:
        return prefix + (f"L{it.group}" if it.group is not None else it.key)

    for it in scene.items:
        if it.group is None:
            label = _backward_label(it) if backward else _forward_label(it)
            into.node(prefix + it.key, label, **_node_style(it.kind))
    for layer in ordered:
        into.node(prefix + layer.key, _layer_label(layer, backward), shape="box",
                  style="rounded", color=KINDS["cost" if layer.group == "cost"
                                              else "parameter"][1], margin="0.05")

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
        into.edge(src, dst, **attrs)


# --- the public functions -------------------------------------------------------


def _check(root: Any, zoom: str, max_nodes: int | None, backward: bool) -> None:
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


_TITLES = {
    "forward": "forward pass: values, left to right",
    "backward": "backward pass: dvar = ∂J/∂var, right to left; "
                "nodes numbered in the order backpropagation visits them",
}


def _header(lines: list[str], legend: bool) -> str:
    """The picture's title lines and, for the full picture, the colour legend."""
    rows = [f'<tr><td align="left">{_esc(line)}</td></tr>' for line in lines]
    if legend:
        cells = "".join(
            f'<td bgcolor="{fill}" border="1" color="{border}"> {_esc(text)} </td>'
            for fill, border, text in KINDS.values()
        )
        rows.append('<tr><td align="left"><table border="0" cellspacing="4" cellpadding="3">'
                    f"<tr>{cells}</tr></table></td></tr>")
    return f'<<table border="0" cellspacing="0" cellpadding="1">{"".join(rows)}</table>>'


def _draw(root: Any, passes: tuple[str, ...], show_ops: bool, zoom: str, clusters: bool,
          max_nodes: int | None) -> Any:
    from .picture import Picture

    _check(root, zoom, max_nodes, "backward" in passes)
    layers = zoom == "layers"
    scene = read_scene(root, None if layers else max_nodes, grouped=layers or clusters)
    note = ""
    if len(scene.items) < scene.total:
        left = scene.total - len(scene.items)
        note = (f"showing the {len(scene.items)} nodes nearest the result, of {scene.total}; "
                f"{left} earlier nodes are left out (dashed: where they connect); "
                "max_nodes=None draws all")
    g = Picture(
        name="_".join(passes),
        graph_attr={"rankdir": "LR", "fontname": _FONT, "fontsize": "11", "nodesep": "0.25",
                    "ranksep": "0.35", "bgcolor": "white", "pad": "0.2", "labeljust": "l",
                    "ordering": "in"},
        node_attr={"fontname": _FONT, "fontsize": "11", "shape": "box",
                   "style": "rounded,filled", "penwidth": "1.2", "margin": "0.1,0.05",
                   "height": "0.3"},
        edge_attr={"fontname": _FONT, "fontsize": "9", "arrowsize": "0.7", "color": _FORWARD,
                   "fontcolor": _MUTED},
    )

    def emit(into: Any, which: str, prefix: str) -> None:
        if layers:
            _emit_layers(into, scene, which == "backward", prefix)
        else:
            _emit_ops(into, scene, which == "backward", prefix, show_ops, clusters)

    if len(passes) == 1:
        g.attr(label=_header([_TITLES[passes[0]]] + ([note] if note else []), False),
               labelloc="t")
        emit(g, passes[0], "")
        return g
    # One picture without frames: dot honours the argument order (ordering=in)
    # only outside clusters, and stacks separate components bottom-up in the
    # order they are declared, so the forward pass is declared last.
    titles = ["top: " + _TITLES["forward"], "bottom: " + _TITLES["backward"]]
    g.attr(label=_header(titles + ([note] if note else []), True), labelloc="t")
    for which in reversed(passes):
        emit(g, which, which[0])
    return g


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
