"""The picture at ``zoom='ops'``: every node, and each operation as its own small node.

A forward edge carries the shape of the value it brings, a backward edge the
local derivative or the rule (:func:`~.labels.edge_labels`). The layout is kept
bounded: parallel edges are merged into one marked ×k, a node with many
consumers gets a small copy beside each consumer after the first
(:meth:`~.scene.Scene.tail`), and ``clusters`` frames each ``nn`` layer's
operations. What is drawn comes from the :class:`~.scene.Scene`, what each
label says from :mod:`.labels`; this module only places them as DOT statements
of one pass.
"""

from __future__ import annotations

from typing import Any

from .. import graph
from ..graph import Node
from .dot import attributes, write_edge, write_node
from .labels import backward_label, edge_labels, forward_label, html_lines
from .notation import OP_SYMBOLS, shape_text
from .scene import Item, Scene
from .style import BACKWARD, FORWARD, KINDS, MUTED, NUMBER_STYLE, node_style

__all__ = ["emit_ops"]

def emit_ops(into: list[str], scene: Scene, backward: bool, prefix: str, show_ops: bool,
              clusters: bool) -> None:
    """Append every node and edge of one pass to ``into``; DOT ids start with ``prefix``."""
    boxes: dict[int | str, list[str]] = {}

    def box(it: Item) -> tuple[list[str], str]:
        if not clusters or it.group is None:
            return into, "\t"
        if it.group not in boxes:
            title = f"layer {it.group}" if isinstance(it.group, int) else str(it.group)
            attrs = {"label": title, "style": "rounded,dashed", "color": "#94a3b8",
                     "fontcolor": MUTED, "labeljust": "l", "labelloc": "b", "ordering": "in"}
            boxes[it.group] = [f"\tsubgraph cluster_{prefix}layer_{it.group} {{\n",
                               f"\t\tgraph [{attributes(attrs)}]\n"]
        return boxes[it.group], "\t\t"

    ink = BACKWARD if backward else FORWARD
    direction = {"dir": "back", "color": ink, "fontcolor": ink} if backward else {}
    for it in scene.cut:
        lines, indent = box(it)
        write_node(lines, indent, prefix + it.key,
              {"label": html_lines(f"⋯ {it.name.text}"), "style": "rounded,dashed",
               "color": MUTED, "fontcolor": MUTED})
    op_style = {"shape": "circle", "fillcolor": "#f8fafc", "color": "#94a3b8",
                "fontsize": "12", "width": "0.3", "margin": "0.02", "style": "filled"}
    styles = {kind: attributes(node_style(kind)) for kind in KINDS}
    number_rest = attributes(NUMBER_STYLE)
    op_rest = attributes(op_style)
    op_labels: dict[str, str] = {}  # the few operation symbols, written once
    for it in scene.items:
        lines, indent = box(it)
        label = backward_label(it) if backward else forward_label(it)
        lines.append(f"{indent}{prefix}n{it.index} [label={label} {styles[it.kind]}]\n")
        if it.formula is None:
            continue
        if show_ops:
            op = graph.op(it.node)
            op_label = op_labels.get(op)
            if op_label is None:
                op_label = op_labels[op] = html_lines(OP_SYMBOLS.get(op, op))
            lines.append(f"{indent}{prefix}o{it.index} [label={op_label} {op_rest}]\n")
        if not backward:
            for position, (operand, parent) in enumerate(it.args):
                if parent is None:
                    lines.append(f"{indent}{prefix}c{it.index}_{position} "
                                 f"[label={html_lines(operand.text)} {number_rest}]\n")

    copy_style = {"style": "rounded,dashed", "color": MUTED, "fontcolor": MUTED}
    number_edge = f" [{attributes({'style': 'dashed', 'color': '#94a3b8'})}]"
    to_value = f" [{attributes(direction)}]" if direction else ""
    plain = attributes(direction)  # what most edges carry besides their label
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
                into.append(f"\t{prefix}{tail} -> {target} [label={html_lines(text)}"
                            f"{' ' + plain if plain else ''}]\n")
                continue
            attrs = dict(direction)
            if text:
                attrs["label"] = html_lines(text)
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
                write_node(lines, indent, prefix + tail,
                      {"label": html_lines(p.name.text), **copy_style})
            write_edge(into, prefix + tail, target, attrs)
        if show_ops:
            into.append(f"\t{target} -> {prefix}n{it.index}{to_value}\n")
    for group in sorted(boxes, key=lambda g: (isinstance(g, str), str(g).zfill(9))):
        into.extend(boxes[group])
        into.append("\t}\n")


def _one_scalar_edge(into: list[str], scene: Scene, it: Item, backward: bool, prefix: str,
                     target: str, parents: list[Item], number_edge: str, plain: str) -> bool:
    """The edges into a scalar node with one parent node (x + 1, tanh(x), 3·v), written
    as :func:`emit_ops` writes them, without its general bookkeeping; False (nothing
    written) where that bookkeeping is needed: another parent, a stub, a copy, data."""
    parent = None
    for _operand, q in it.args:
        if q is not None:
            if parent is not None:
                return False
            parent = q
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
        into.append(f"\t{prefix}{p.key} -> {target} [label={html_lines(text)}"
                    f"{' ' + plain if plain else ''}]\n")
        return True
    for position, (_operand, q) in enumerate(it.args):  # in argument order, as the dict
        if q is None:
            into.append(f"\t{prefix}c{it.index}_{position} -> {target}{number_edge}\n")
        else:
            into.append(f"\t{prefix}{p.key} -> {target}\n")
    return True


