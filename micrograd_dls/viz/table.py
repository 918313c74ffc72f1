"""The graph as a text table: each node's value and the lecture's ``dvar``."""

from __future__ import annotations

import math

from .. import graph
from ..graph import Node
from .drawing import mean_note
from .notation import gradient_name, number, shape_text
from .scene import by_step, read_scene

__all__ = ["format_node_table"]

_WIDTH = 100  # characters of a line of the order


#: Characters a cell of the table shows before it elides the rest: every row is padded to
#: the widest cell, so one huge label must not widen every row.
CELL = 48


def _cell(text: str, limit: int = CELL) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def format_node_table(root: Node) -> str:
    """One line per node, parents first: name, operation, value, dvar = ∂J/∂var; then
    backpropagation's order, numbered as the pictures number it.

    Nodes are named as the pictures name them (``u``, ``b·c``, or ``n7`` for a
    long expression, which the last lines spell out); a tensor shows its shape
    where its value is more than one number. A cost averaged over m examples
    ends with how its 1/m meets the course's (as the pictures' legend).
    """
    rows = [("node", "op", "value", "grad")]
    scene = read_scene(root, None, grouped=False)
    items = scene.items
    for it in items:
        node = it.node
        shape = shape_text(graph.shape(node))
        one = math.prod(graph.shape(node)) == 1
        value, g = graph.data(node), graph.grad(node)
        dname = gradient_name(it.name)
        if not graph.requires_grad(node) or g is None:
            gradient = "no gradient"
        else:
            gradient = f"{dname} = {number(g)}" if one else f"{dname} {shape}"
        shown = number(value) if one and value is not None else shape
        leaf = "data" if not graph.requires_grad(node) else "leaf"
        rows.append((it.name.text, graph.op(node) or leaf, shown, gradient))
    cells: list[tuple[str, ...]] = [tuple(_cell(c) for c in r) for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    # A node whose expression is too long to be its name is called n<k>, as in the
    # pictures; say once what it stands for.
    short = [it for it in items if it.short]
    for first, it in enumerate(short):
        assert it.formula is not None  # a short item is one named for its formula
        formula = _cell(it.formula.text, 4 * CELL)
        lines.append(f"{'where' if first == 0 else '     '} {it.name.text} = {formula}")
    line = "backpropagation's order:"
    for it in sorted((it for it in items if it.step is not None), key=by_step):
        entry = f" {it.step} {_cell(str(gradient_name(it.name)))},"
        if len(line) + len(entry) > _WIDTH:
            lines.append(line)
            line = " "
        line += entry
    lines.append(line.rstrip(","))
    return "\n".join(lines + mean_note(scene))
