"""The picture at ``zoom='layers'``: one box per ``nn`` layer, ``Linear → ReLU`` with
its parameters, and the cost.

A box lists the layer's parameters (``W[1]`` with its shape, or ``dW[1]``
backward) and its output; an edge between boxes carries the values that cross
from one layer to the next. A cost taken from the logits Z[L] (the stable
cross-entropy) is drawn with the network's output ``A[L] = σ(Z[L]) = Ŷ`` folded
into it. Layers are read from the groups of a grouped :class:`~.scene.Scene`;
this module writes their boxes, titles and crossings, and the stepper reads the
same layers and titles (:func:`layers_of`, :func:`layer_title`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import graph
from .dot import write_edge, write_node
from .labels import (
    backward_label,
    badge,
    escaped,
    forward_label,
    gradient_text,
    has_gradient,
    html_lines,
    is_one,
    small,
)
from .notation import OP_SYMBOLS, gradient_name, number, shape_text
from .scene import Item, Scene
from .style import BACKWARD, FORWARD, KINDS, node_style

__all__ = ["DATA_KEY", "LayerBox", "emit_layers", "folded_output", "layer_title", "layers_of",
           "places"]

_MAX_ROWS = 6  # parameters listed in one layer box
_LOGITS = re.compile(r"Z\[(\d+)\]")
_LINEAR = frozenset({"@", "linear", "*"})
_ACTIVATIONS = {"relu": "ReLU", "leaky_relu": "leaky ReLU", "tanh": "tanh",
                "sigmoid": "sigmoid"}


@dataclass
class LayerBox:
    """One ``nn`` layer (or the cost) drawn as one box: its group and its items."""

    group: int | str  # the layer index, or 'cost'
    members: list[Item] = field(default_factory=list)

    @property
    def key(self) -> str:
        """The box's DOT id, ``L<group>``."""
        return f"L{self.group}"

    @property
    def first_visit(self) -> int:
        """The first step of backpropagation's order among its operations (0: none)."""
        return min((m.step for m in self.members if m.formula is not None and m.step),
                   default=0)


def layers_of(scene: Scene) -> list[LayerBox]:
    """The nn layers of a grouped scene, layer 1 first and the cost last."""
    layers: dict[int | str, LayerBox] = {}
    for it in scene.items:
        if it.group is not None:
            layers.setdefault(it.group, LayerBox(it.group)).members.append(it)
    return sorted(layers.values(),
                  key=lambda ly: (isinstance(ly.group, str), str(ly.group).zfill(9)))


def folded_output(layer: LayerBox) -> str | None:
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


def layer_title(layer: LayerBox, backward: bool) -> str:
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


def _forward_label_text(it: Item) -> str:
    value = graph.data(it.node)
    shape = it.shape
    if is_one(shape) and value is not None:
        return f"{it.name.text} = {number(value)}"
    return it.name.text


def _row(it: Item, backward: bool, arrow: str = "") -> str:
    shape = it.shape
    if backward:
        head = gradient_text(it)
        right = shape_text(shape) if shape != () else ""
        if not has_gradient(it.node):
            right = "no gradient"
    else:
        head = _forward_label_text(it)
        right = shape_text(shape) if shape != () else ""
    return (f'<tr><td align="left">{escaped(arrow + head)}</td>'
            f'<td align="left">{small(right)}</td></tr>')


def _layer_label(layer: LayerBox, backward: bool, step: int | None) -> str:
    fill, border, _ = KINDS["cost" if layer.group == "cost" else "parameter"]
    title = f"<b>{escaped(layer_title(layer, backward))}</b>"
    rows = [f'<tr><td colspan="2" bgcolor="{fill}" align="left">{title}</td></tr>']
    if layer.group != "cost":
        params = [m for m in layer.members
                  if graph.is_leaf(m.node) and graph.requires_grad(m.node)]
        rows += [_row(m, backward) for m in params[:_MAX_ROWS]]
        if len(params) > _MAX_ROWS:
            rows.append(f'<tr><td colspan="2" align="left">'
                        f"{small(f'… and {len(params) - _MAX_ROWS} more parameters')}</td></tr>")
        outputs = [m for m in layer.members if not graph.is_leaf(m.node)]
        if outputs:
            rows.append(_row(outputs[-1], backward, "→ "))
    else:
        output = folded_output(layer)
        if output:
            z = layer.members[-1].args[0][1]
            L = output[2:output.index("]")]
            shape = shape_text(graph.shape(z)) if z is not None else ""
            if backward:  # the picture's dvar is ∂J/∂var of the mean J: see mean_note
                output = f"dZ[{L}] = (1/m)(A[{L}] - Y)"
            rows.append(f'<tr><td align="left">{escaped(output)}</td>'
                        f'<td align="left">{small(shape)}</td></tr>')
    if step is not None:  # the step's badge runs down the box's left side
        rows[0] = "<tr>" + badge(step, border, len(rows)) + rows[0][4:]
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="3">'
    return f"<{table}{''.join(rows)}</table>>"


#: The DOT id (without the pass's prefix) of the box that holds the data when there is
#: more of it than a box lists (a scalar network's x_1⁽¹⁾, x_2⁽¹⁾, ...).
DATA_KEY = "Ldata"


def places(scene: Scene) -> dict[Item, str]:
    """Where each node is drawn at this zoom (the DOT id without the pass's prefix): its
    layer's box, its own node for what is outside the layers, or one box for all the
    data when there are more than a box lists."""
    outside = [it for it in scene.items if it.group is None]
    data = [it for it in outside if it.kind == "input" and it.formula is None]
    gathered = set(data) if len(data) > _MAX_ROWS else set()
    return {it: (f"L{it.group}" if it.group is not None
                 else DATA_KEY if it in gathered else it.key) for it in scene.items}


def _data_label(data: list[Item], backward: bool) -> str:
    fill, border, _ = KINDS["input"]
    head = f"data: {len(data):,} numbers" + (", no gradient" if backward else "")
    rows = [f'<tr><td bgcolor="{fill}" align="left"><b>{escaped(head)}</b></td></tr>']
    rows += [f'<tr><td align="left">{escaped(_forward_label_text(it))}</td></tr>'
             for it in data[:_MAX_ROWS - 1]]
    rows.append(f'<tr><td align="left">{small(f"… and {len(data) - _MAX_ROWS + 1:,} more")}'
                "</td></tr>")
    table = '<table border="0" cellborder="0" cellspacing="0" cellpadding="3">'
    return f"<{table}{''.join(rows)}</table>>"


def emit_layers(into: list[str], scene: Scene, backward: bool, prefix: str) -> None:
    """Append one pass's boxes, the nodes outside every layer, and the edges between
    them to ``into``; DOT ids start with ``prefix``."""
    ordered = layers_of(scene)
    steps = {}
    if backward:  # numbered in the order backpropagation visits the layers: the cost first
        visits = sorted((ly for ly in ordered if ly.first_visit), key=lambda ly: ly.first_visit)
        steps = {ly.group: n for n, ly in enumerate(visits, 1)}

    where = places(scene)

    def place(it: Item) -> str:
        return prefix + where[it]

    gathered = [it for it in scene.items if where[it] == DATA_KEY]
    if gathered:
        write_node(into, "\t", prefix + DATA_KEY,
                   {"label": _data_label(gathered, backward), "shape": "box",
                    "style": "rounded", "color": KINDS["input"][1], "margin": "0.05"})
    for it in scene.items:
        if it.group is None and where[it] == it.key:
            attrs = node_style(it.kind)
            # Outside the layers only leaves remain, which backpropagation does not visit.
            attrs["label"] = (backward_label(it, numbered=it.formula is not None) if backward
                              else forward_label(it))
            write_node(into, "\t", prefix + it.key, attrs)
    for layer in ordered:
        color = KINDS["cost" if layer.group == "cost" else "parameter"][1]
        write_node(into, "\t", prefix + layer.key,
              {"label": _layer_label(layer, backward, steps.get(layer.group)), "shape": "box",
               "style": "rounded", "color": color, "margin": "0.05"})

    crossings: dict[tuple[str, str], list[Item]] = {}
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
    ink = BACKWARD if backward else FORWARD
    for (src, dst), values in crossings.items():
        first = values[0]
        shape = graph.shape(first.node)
        name = gradient_name(first.name) if backward else first.name.text
        text = f"{name} {shape_text(shape)}" if shape != () else name
        if len(values) > 1:
            text += f" and {len(values) - 1} more"
        attrs = {"label": html_lines(text)}
        if backward:
            attrs.update(dir="back", color=ink, fontcolor=ink)
            if not any(graph.requires_grad(v.node) for v in values):
                attrs = {"dir": "back", "color": "#cbd5e1", "style": "dotted",
                         "arrowtail": "none"}
        write_edge(into, src, dst, attrs)


