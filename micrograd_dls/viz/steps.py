"""The steps of a walk through backpropagation, computed in Python for the stepper's page.

For a :class:`~.scene.Scene`, every step a learner walks:

* forward, in topological order, one node per step: ``u = b·c = 3·2 = 6``
  (for tensors the shapes: ``Z[1] = W[1]·X + b[1] : (4, 400) = (4, 2)·(2, 400) + (4, 1)``);
* backward, from the seed ``dJ = 1`` in reverse topological order, one node per
  step -- the node backpropagation visits -- with the gradient it sends each
  parent as the chain rule with numbers (``db = du · ∂u/∂b = 3 · 2 = 6``), the
  sum over consumers once a parent has received from all of them
  (``da = dv · ∂v/∂a + dw · ∂w/∂a = ...``), and for tensors the rule with shapes
  (``dW[1] = dZ[1]·Xᵀ : (4, 2) = (4, 400)·(400, 2)``) and where a broadcast
  gradient is summed back;
* or, at ``zoom='layers'``, one step per ``nn`` layer.

Each step also names the picture's elements it highlights (the SVG titles of
its nodes and edges), the step from which each element is shown, and what a
click on a node shows. This module never lays out, renders or writes a page:
that is :mod:`.stepper`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .. import graph
from ..graph import Node
from .drawing import cap_note, mean_note
from .labels import broadcast_note, has_gradient, named_rule, value_text
from .notation import (
    Operand,
    expression,
    gradient_name,
    local_derivative,
    number,
    partial,
    shape_text,
    wrapped,
)
from .scene import Item, Scene, by_step
from .zoom_layers import DATA_KEY, folded_output, layer_title, layers_of, places

__all__ = ["Step", "Walk", "forward_line", "walk_layers", "walk_ops"]

_MAX_LINES = 40  # lines of one step before "… and k more"


@dataclass
class Step:
    """One step of the walk: what the page writes and what it highlights."""

    phase: str  # 'start', 'forward' or 'backward'
    title: str
    lines: list[str]
    nodes: list[str] = field(default_factory=list)  # DOT names, as in the SVG's <title>
    edges: list[str] = field(default_factory=list)  # 'tail->head'
    frame: int | None = None  # which picture of a page with several (training over time)

    def as_json(self) -> dict[str, Any]:
        lines = self.lines
        if len(lines) > _MAX_LINES:
            lines = lines[:_MAX_LINES] + [f"… and {len(lines) - _MAX_LINES} more lines"]
        out: dict[str, Any] = {"phase": self.phase, "title": self.title, "lines": lines,
                               "nodes": self.nodes, "edges": self.edges}
        if self.frame is not None:
            out["frame"] = self.frame
        return out


# --- the text of each step ------------------------------------------------------


def _is_one(node: Node) -> bool:
    shape = graph.shape(node)
    return all(n == 1 for n in shape)


def _shape_operand(node: Node | None, operand: Operand) -> Operand:
    if node is None:
        return operand
    return Operand(shape_text(graph.shape(node)))


def forward_line(it: Item) -> str:
    """``u = b·c = 3·2 = 6``; for an array the shapes, ``Z = W·A + b : (4, 3) = ...``."""
    if it.formula is None:
        kind = "data, no gradient" if not graph.requires_grad(it.node) else "leaf"
        return f"{value_text(it)}  ({kind})" if _is_one(it.node) else \
            f"{it.name.text} : {shape_text(graph.shape(it.node))}  ({kind})"
    head = it.name.text if it.formula is it.name else f"{it.name.text} = {it.formula.text}"
    op = graph.op(it.node)
    if _is_one(it.node) and all(p is None or _is_one(p) for _, p in it.args):
        numbers = [Operand.of_number(graph.data(p)) if p is not None else a
                   for a, p in it.args]
        return f"{head} = {expression(op, numbers).text} = {number(graph.data(it.node))}"
    shapes = expression(op, [_shape_operand(p, a) for a, p in it.args]).text
    if _is_one(it.node):
        return f"{head} = {shapes} = {number(graph.data(it.node))}"
    return f"{head} : {shape_text(graph.shape(it.node))} = {shapes}"


def _broadcast_lines(it: Item) -> list[str]:
    out = graph.shape(it.node)
    lines = []
    for (axes, p) in zip(graph.broadcast_axes(it.node), graph.parents(it.node)):
        if axes:
            lines.append(f"{p.label or 'an input'} {shape_text(graph.shape(p))} is broadcast "
                         f"to {shape_text(out)} along axis {', '.join(map(str, axes))}")
    return lines


@dataclass
class _Term:
    """What one edge sends backward: consumer ``it`` passes gradient to its parent."""

    it: Item
    parent: Item
    symbols: str  # dv · ∂v/∂a, or the rule's right-hand side for tensors
    numbers: str  # 3 · 1, or the shapes
    value: float | None  # the product, for one number
    extra: list[str] = field(default_factory=list)  # broadcast note, ∂u/∂b = c


def _shape_of_rule(rhs: str, shapes: dict[str, tuple[int, ...]]) -> str | None:
    """The rule's right-hand side with each name replaced by its shape, transposes
    applied: ``dZ[1]·Xᵀ`` -> ``(4, 400)·(400, 2)``; None when a name is unknown."""
    names = sorted(shapes, key=len, reverse=True)
    pattern = "|".join(re.escape(n) for n in names)
    if not pattern:
        return None
    found = re.compile(rf"(?:\(({pattern})\)|({pattern}))(ᵀ?)")
    out = []
    pos = 0
    for m in found.finditer(rhs):
        name = m.group(1) or m.group(2)
        shape = shapes[name]
        if m.group(3):
            shape = tuple(reversed(shape))
        out.append(rhs[pos:m.start()])
        out.append(f"({shape_text(shape)})" if m.group(1) else shape_text(shape))
        pos = m.end()
    if not out:
        return None
    out.append(rhs[pos:])
    return "".join(out)


def backprop_order(scene: Scene) -> list[Item]:
    """The drawn nodes that get a gradient, in backpropagation's order (the root first)."""
    return sorted((it for it in scene.items if it.step is not None), key=by_step)


def _terms(scene: Scene) -> list[tuple[Item, list[_Term]]]:
    """Per visited node, in backpropagation's order (:func:`backprop_order`), the terms
    it sends its parents; the first term with the cost's 1/m says how it meets the
    course's (:func:`~.drawing.mean_note`)."""
    visits = []
    note = mean_note(scene)
    for it in backprop_order(scene):
        if it.formula is None:
            continue
        node = it.node
        parents = [scene.by_node[p] for p in graph.parents(node)]
        derivatives = graph.local_derivatives(node)
        rules = graph.edge_rules(node)
        axes = graph.broadcast_axes(node)
        operands = [a for a, _ in it.args]
        up = graph.grad(node)
        sent = []
        for k, parent in enumerate(parents):
            if not graph.requires_grad(parent.node):
                continue
            d = derivatives[k]
            dname = gradient_name(it.name)
            scalar = d is not None and _is_one(node) and _is_one(parent.node) \
                and (isinstance(d, int | float) or getattr(d, "size", 0) == 1)
            if scalar and up is not None:
                d_text = partial(it.name, parent.name)
                g = float(up if isinstance(up, int | float) else up.item())
                dv = float(d if isinstance(d, int | float) else d.item())
                term = _Term(it, parent, f"{dname} · {d_text}", f"{number(g)} · {number(dv)}",
                             g * dv)
                symbols = local_derivative(rules[k], operands, it.name)
                if symbols:
                    term.extra.append(f"{d_text} = {symbols}")
                sent.append(term)
                continue
            rule = named_rule(rules[k], it, parents) if rules[k] else ""
            rhs = rule.split(" = ", 1)[1] if " = " in rule else rule
            shapes = {}
            for other in [it] + parents:
                shapes[wrapped(other.name)] = graph.shape(other.node)
                shapes[gradient_name(other.name)] = graph.shape(other.node)
            shaped = _shape_of_rule(rhs, shapes) or ""
            term = _Term(it, parent, rhs or f"from {dname}", shaped, None)
            summed = broadcast_note(axes[k], graph.shape(parent.node), graph.shape(node))
            if summed:
                term.extra.append(summed)
            if note and "(1/m)" in rule:
                term.extra += note
                note = []
            sent.append(term)
        visits.append((it, sent))
    return visits



def _sum_line(p: Item, terms: list[_Term]) -> str:
    """``da = dv · ∂v/∂a + dw · ∂w/∂a = 5 · 3 + 6 · 1 = 21``, or with shapes for arrays."""
    dname = gradient_name(p.name)
    symbols = " + ".join(t.symbols for t in terms)
    values = [t.value for t in terms if t.value is not None]
    if len(values) == len(terms):
        numbers = " + ".join(t.numbers for t in terms)
        total = sum(values)  # the order backward adds them in
        if len(terms) > 1:
            parts = " + ".join(number(t.value) for t in terms)
            return f"{dname} = {symbols} = {numbers} = {parts} = {number(total)}"
        return f"{dname} = {symbols} = {numbers} = {number(total)}"
    if len(terms) > 1:
        symbols = " + ".join(f"({t.symbols})" for t in terms)
    shape = shape_text(graph.shape(p.node))
    shaped = [t.numbers for t in terms if t.numbers]
    line = f"{dname} = {symbols} : {shape}"
    if len(shaped) == len(terms):
        line += " = " + " + ".join(shaped)
    return line


def _partial_line(t: _Term, left: int) -> str:
    dname = gradient_name(t.parent.name)
    more = f"{left} more consumer{'s' if left > 1 else ''}"
    if t.value is not None:
        return (f"{dname} += {t.symbols} = {t.numbers} = {number(t.value)}  "
                f"(so far; {t.parent.name.text} has {more} to hear from)")
    shaped = f" : {t.numbers}" if t.numbers else ""
    return f"{dname} += {t.symbols}{shaped}  (so far; {t.parent.name.text} has {more} to hear from)"


# --- the steps of a picture -------------------------------------------------------


class _Inbox:
    """The gradient each node has received so far, in the order backward adds it."""

    def __init__(self, visits: list[tuple[Item, list[_Term]]]) -> None:
        self.received: dict[Node, list[_Term]] = {}
        self.expected: dict[Node, int] = {}
        for _, sent in visits:
            for t in sent:
                self.expected[t.parent.node] = self.expected.get(t.parent.node, 0) + 1

    def receive(self, sent: list[_Term], lines: list[str]) -> list[tuple[_Term, bool]]:
        """Write one visit's lines: a partial sum while consumers are still to come,
        the whole sum over consumers once the last one has sent."""
        done = []
        for t in sent:
            got = self.received.setdefault(t.parent.node, [])
            got.append(t)
            left = self.expected[t.parent.node] - len(got)
            lines.append(_partial_line(t, left) if left else _sum_line(t.parent, got))
            lines += [f"    {e}" for e in t.extra]
            done.append((t, not left))
        return done


@dataclass
class Walk:
    """Every step of one walk, when each picture element appears, what a click shows."""

    steps: list[Step]
    show: dict[str, int]  # element title -> first step at which it is shown
    details: dict[str, dict[str, Any]]  # element title -> what a click shows


def _op_edges(scene: Scene, it: Item, prefix: str, backward: bool) -> list[str]:
    """The SVG titles of the edges into (forward) or out of (backward) ``it``'s operation."""
    target = f"{prefix}o{it.index}"
    edges = []
    for position, (_, p) in enumerate(it.args):
        if p is None:
            if not backward:
                edges.append(f"{prefix}c{it.index}_{position}->{target}")
            continue
        if backward and not graph.requires_grad(p):
            continue
        title = f"{prefix}{scene.tail(p, it)}->{target}"
        if title not in edges:
            edges.append(title)
    edges.append(f"{target}->{prefix}n{it.index}")
    return edges


def walk_ops(scene: Scene, show_ops: bool) -> Walk:
    """The inputs, one forward step per operation, the seed, then one backward step per
    node backpropagation visits (``show_ops``: the picture draws operation nodes)."""
    steps: list[Step] = []
    show: dict[str, int] = {}
    details: dict[str, dict[str, Any]] = {}
    root = scene.root
    leaves = [it for it in scene.items if it.formula is None]
    start_lines = [forward_line(it) for it in leaves]
    note = cap_note(scene)
    if note:
        start_lines.append(note)
    steps.append(Step("start", f"{root.name.text}: the inputs; → steps forward, then backward",
                      start_lines, [f"f{it.key}" for it in leaves]))
    for it in scene.items + scene.cut:
        if it.formula is None:
            show[f"f{it.key}"] = 0
            show[f"b{it.key}"] = 0 if it.cut or not has_gradient(it.node) else -1
    interior = [it for it in scene.items if it.formula is not None]
    for n, it in enumerate(interior, 1):
        k = len(steps)
        nodes = [f"f{it.key}"] + ([f"fo{it.index}"] if show_ops else [])
        edges = _op_edges(scene, it, "f", False) if show_ops else [
            f"f{scene.tail(p, it)}->f{it.key}" for _, p in it.args if p is not None]
        for title in nodes + edges:
            show[title] = k
        for position, (_, p) in enumerate(it.args):
            if p is None:
                show[f"fc{it.index}_{position}"] = k
        lines = [forward_line(it)] + _broadcast_lines(it)
        steps.append(Step("forward", f"forward {n} of {len(interior)}: {it.name.text}", lines,
                          nodes, edges))

    # Backward: the seed, then one visit per interior node.
    k = len(steps)
    seed = f"{gradient_name(root.name)} = ∂{wrapped(root.name)}/∂{wrapped(root.name)} = 1"
    steps.append(Step("backward", f"backward: start at the root {root.name.text}",
                      [seed], [f"b{root.key}"]))
    show[f"b{root.key}"] = k
    visits = _terms(scene)
    inbox = _Inbox(visits)
    for n, (it, sent) in enumerate(visits, 1):
        k = len(steps)
        lines = []
        for t, complete in inbox.receive(sent, lines):
            if complete:
                show[f"b{t.parent.key}"] = k
        for _, p in it.args:
            if p is not None and not graph.requires_grad(p):
                line = f"{scene.by_node[p].name.text}: data, no gradient"
                if line not in lines:
                    lines.append(line)
        if not sent:
            lines.append("no parent needs a gradient")
        nodes = [f"b{it.key}"] + ([f"bo{it.index}"] if show_ops else [])
        edges = _op_edges(scene, it, "b", True) if show_ops else [
            f"b{scene.tail(p, it)}->b{it.key}" for _, p in it.args
            if p is not None and graph.requires_grad(p)]
        for title in edges + nodes[1:]:
            show[title] = k
        targets = ", ".join(dict.fromkeys(t.parent.name.text for t in sent))
        title = f"backward {n} of {len(visits)}: {it.name.text}" + \
            (f" sends its gradient to {targets}" if targets else "")
        steps.append(Step("backward", title, lines, nodes, edges))
    for title, at in list(show.items()):
        if at < 0:
            show[title] = len(steps) - 1

    # A click shows the node's whole story: its value and its complete gradient.
    for it in scene.items + scene.cut:
        lines = [forward_line(it)] if not it.cut else [f"{it.name.text}: left out by the node cap"]
        got = inbox.received.get(it.node)
        if it is root:
            lines.append(seed)
        elif got:
            lines.append(_sum_line(it, got))
            consumers = list(dict.fromkeys(t.it.name.text for t in got))
            lines.append(f"consumers: {', '.join(consumers)}")
        elif not graph.requires_grad(it.node):
            lines.append("data: no gradient")
        detail = {"title": it.name.text, "lines": lines}
        for title in (f"f{it.key}", f"fo{it.index}", f"b{it.key}", f"bo{it.index}"):
            details[title] = detail
    return Walk(steps, show, details)


def walk_layers(scene: Scene) -> Walk:
    """The data, one forward step per ``nn`` layer, then one backward step per layer in
    the order backpropagation visits them: the cost first."""
    steps: list[Step] = []
    show: dict[str, int] = {}
    details: dict[str, dict[str, Any]] = {}
    layers = layers_of(scene)
    outside = [it for it in scene.items if it.group is None]
    where = places(scene)
    place = where.__getitem__
    # The nodes outside the layers, each once: the data may share one box.
    boxes = list(dict.fromkeys(where[it] for it in outside))

    def crossings(prefix: str, layer_key: str, backward: bool) -> list[str]:
        out = []
        for it in scene.items:
            if place(it) != layer_key:
                continue
            for _, p in it.args:
                if p is None:
                    continue
                src = place(scene.by_node[p])
                if src == layer_key or (backward and not graph.requires_grad(p)):
                    continue
                title = f"{prefix}{src}->{prefix}{layer_key}"
                if title not in out:
                    out.append(title)
        return out

    steps.append(Step("start", f"{scene.root.name.text}: the data; → steps layer by layer",
                      [forward_line(it) for it in outside], [f"f{key}" for key in boxes]))
    for key in boxes:
        show[f"f{key}"] = show[f"b{key}"] = 0
    for n, layer in enumerate(layers, 1):
        k = len(steps)
        lines = [forward_line(m) for m in layer.members if m.formula is not None]
        output = folded_output(layer)
        if output:
            lines.append(output + " (inside the cost, which takes the logits)")
        edges = crossings("f", layer.key, False)
        for title in [f"f{layer.key}"] + edges:
            show[title] = k
        steps.append(Step("forward", f"forward {n} of {len(layers)}: "
                          f"{layer_title(layer, False)}", lines, [f"f{layer.key}"], edges))
    k = len(steps)
    root = scene.root
    seed = f"{gradient_name(root.name)} = ∂{wrapped(root.name)}/∂{wrapped(root.name)} = 1"
    all_visits = _terms(scene)
    visits = {id(it): sent for it, sent in all_visits}
    inbox = _Inbox(all_visits)
    order = sorted((ly for ly in layers if ly.first_visit), key=lambda ly: ly.first_visit)
    for n, layer in enumerate(order, 1):
        k = len(steps)
        lines = [seed] if layer.group == "cost" else []
        for m in sorted((m for m in layer.members if m.formula is not None and m.step),
                        key=by_step):
            inbox.receive(visits.get(id(m), []), lines)
        edges = crossings("b", layer.key, True)
        for title in [f"b{layer.key}"] + edges:
            show[title] = k
        steps.append(Step("backward", f"backward {n} of {len(order)}: "
                          f"{layer_title(layer, True)}", lines, [f"b{layer.key}"], edges))
    for layer in layers:
        detail = {"title": layer_title(layer, False),
                  "lines": [forward_line(m) for m in layer.members]}
        details[f"f{layer.key}"] = details[f"b{layer.key}"] = detail
    for key in boxes:
        inside = [it for it in outside if where[it] == key]
        title = inside[0].name.text if key != DATA_KEY else f"data: {len(inside):,} numbers"
        details[f"f{key}"] = details[f"b{key}"] = {
            "title": title, "lines": [forward_line(it) for it in inside]}
    return Walk(steps, show, details)
