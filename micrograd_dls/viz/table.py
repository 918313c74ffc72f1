"""The graph as a text table: each node's value and the lecture's ``dvar``."""

from __future__ import annotations

import math

from .. import graph
from ..graph import Node
from .notation import gradient_name, number, shape_text
from .scene import read_scene

__all__ = ["format_node_table"]


def format_node_table(root: Node) -> str:
    """One line per node, parents first: name, operation, value, dvar = ∂J/∂var.

    Nodes are named as the pictures name them (``u``, ``b·c``, or ``n7`` for a
    long expression, which the last lines spell out); a tensor shows its shape
    where its value is more than one number.
    """
    rows = [("node", "op", "value", "grad")]
    items = read_scene(root, None, grouped=False).items
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
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    # A node whose expression is too long to be its name is called n<k>, as in the
    # pictures; say once what it stands for.
    short = [it for it in items if it.short]
    for first, it in enumerate(short):
        lines.append(f"{'where' if first == 0 else '     '} {it.name.text} = {it.formula.text}")
    return "\n".join(lines)
