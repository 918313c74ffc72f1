"""The text of the pictures' nodes and edges, as Graphviz HTML labels.

A node forward: ``u = b·c = 6``, with its shape for an array; backward: the
lecture's ``dvar`` (``dv = 3``, ``dW[1]``) with the step at which
backpropagation visits it. An edge backward: the local derivative the chain
rule multiplies (``∂u/∂b = c = 2``), or for tensors the rule backward applies
(``dW[1] = dZ[1]·Xᵀ``) and where it sums a broadcast gradient back. All text
that reaches a label is escaped here.

It reads a :class:`~.scene.Item` and the read-only graph API; it never knows
which nodes a picture shows, where they go, or how DOT statements are written.
"""

from __future__ import annotations

import math
import re

from .. import graph
from ..graph import Node
from .notation import gradient_name, local_derivative, number, partial, shape_text, wrapped
from .scene import Item, node_label
from .style import KINDS, MUTED

__all__ = ["EDGE_LINE", "backward_label", "badge", "broadcast_note", "broken", "edge_labels",
           "escaped",
           "forward_label", "gradient_text", "has_gradient", "html_lines", "is_one",
           "named_rule", "small", "value_text"]

# Controls become spaces, markup characters entities, and a lone surrogate (which cannot
# be written as UTF-8, which dot reads) '?', as str.encode(errors="replace") writes it.
_ESCAPES = {i: " " for i in range(32)}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;"})
# XML (and so Graphviz's SVG) forbids lone surrogates and U+FFFE, U+FFFF
_ESCAPES.update({i: "?" for i in (*range(0xD800, 0xE000), 0xFFFE, 0xFFFF)})
_UNSAFE = re.compile("[\x00-\x1f&<>\ud800-\udfff\ufffe\uffff]")


def escaped(text: str) -> str:
    """Text made safe inside a Graphviz HTML label (``a<b|{c}`` included)."""
    return text.translate(_ESCAPES) if _UNSAFE.search(text) else text


def small(text: str, color: str = MUTED) -> str:
    """``text`` escaped in the small muted font; '' for no text (Graphviz rejects an
    empty ``<font></font>``)."""
    return f'<font point-size="9" color="{color}">{escaped(text)}</font>' if text else ""


def is_one(shape: tuple[int, ...]) -> bool:
    """The value is one number: a scalar, or an array of size 1."""
    return shape == () or math.prod(shape) == 1


def value_text(it: Item) -> str:
    """``u = b·c = 6``: the name, the expression (when it is not the name) and, for one
    number, the value."""
    node = it.node
    head = it.name.text
    if it.formula is not None and it.formula is not it.name:
        head = f"{head} = {it.formula.text}"
    if is_one(it.shape) and graph.data(node) is not None:
        head = f"{head} = {number(graph.data(node))}"
    return head


def forward_label(it: Item) -> str:
    """The forward label of a node: :func:`value_text`, and its shape under it."""
    shape = it.shape
    text = escaped(value_text(it))
    if shape != ():
        return f"<{text}<br/>{small(shape_text(shape))}>"
    return f"<{text}>"


def has_gradient(node: Node) -> bool:
    """Backward computed a gradient for ``node`` (not data such as X and Y)."""
    return graph.requires_grad(node) and graph.grad(node) is not None


def gradient_text(it: Item, known: bool | None = None) -> str:
    """``dv = 3`` for one number, ``dW[1]`` for an array, the name alone for data
    (``known``: has_gradient(it.node), when the caller has it already)."""
    if not (has_gradient(it.node) if known is None else known):
        return it.name.text
    if is_one(it.shape):
        return f"{gradient_name(it.name)} = {number(graph.grad(it.node))}"
    return gradient_name(it.name)


def _gradient_lines(it: Item) -> tuple[str, list[str]]:
    """The ``dvar`` line of a node and the small lines under it."""
    node = it.node
    shape = it.shape
    known = has_gradient(node)
    sub = [] if known else ["no gradient"]
    value = graph.data(node)
    if it.short:  # spelled out, so the backward picture needs no forward one to read
        assert it.formula is not None  # a short item is one named for its formula
        sub.append(f"{it.name.text} = {it.formula.text}")
    if is_one(shape) and value is not None:
        sub.append(f"{it.name.text} = {number(value)}")
    if shape != ():
        sub.append(shape_text(shape))
    return gradient_text(it, known), sub


def badge(step: int | str, color: str, rows: int) -> str:
    """The cells of the numbered badge beside a label of ``rows`` rows."""
    return (f'<td rowspan="{rows}" bgcolor="{color}"><font point-size="9" color="#ffffff">'
            f' {step} </font></td><td rowspan="{rows}" width="4"></td>')


def backward_label(it: Item, numbered: bool = True) -> str:
    """The backward label of a node: its ``dvar``, small lines under it and, when
    ``numbered``, its step in backpropagation's order (none for data)."""
    head, sub = _gradient_lines(it)
    rows = [f'<tr><td align="left">{escaped(head)}</td></tr>']
    rows += [f'<tr><td align="left">{small(s)}</td></tr>' for s in sub]
    if numbered and it.step is not None:
        rows[0] = "<tr>" + badge(it.step, KINDS[it.kind][1], len(rows)) + rows[0][4:]
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


def named_rule(rule: str, it: Item, parents: list[Item]) -> str:
    """A tensor's rule with the picture's names for unlabelled nodes.

    Tensor rules call an unlabelled result ``out`` and unlabelled inputs x, y, z
    (by argument); the picture names them (``W[1]·X``), so the rule should too.
    A gradient name in parentheses keeps its transpose outside: ``(d(wᵀ))ᵀ``, and
    so does the gradient of a name that ends in one: ``dw = (dwᵀ)ᵀ``.
    """
    names: dict[str, str] = {}
    if node_label(it.node) is None:
        names["out"] = wrapped(it.name)
        names["dout"] = gradient_name(it.name)
    for placeholder, p in zip("xyz", parents):
        if node_label(p.node) is None:
            names[placeholder] = wrapped(p.name)
            names["d" + placeholder] = gradient_name(p.name)
    taken = {node_label(n) for n in [it.node] + [p.node for p in parents]}
    if names and not taken & names.keys():
        tokens = "|".join(sorted(names, key=len, reverse=True))
        pattern = rf"(?<![A-Za-z0-9_\]\[])({tokens})(?![A-Za-z0-9_\[])(ᵀ?)"

        def name(m: re.Match[str]) -> str:
            text = names[m.group(1)]
            if m.group(2) and text.endswith(")"):
                return f"({text})ᵀ"
            return text + m.group(2)

        rule = re.sub(pattern, name, rule)
    for label in taken:
        if label and label.endswith("ᵀ"):
            rule = rule.replace(f"d{label}ᵀ", f"(d{label})ᵀ")
    return rule


def edge_labels(it: Item, k: int, parents: list[Item],
                backward_only: bool = False) -> tuple[str, str, bool]:
    """Forward label, backward label and whether backward sums a broadcast, for the
    edge from the node's ``k``-th parent into ``it`` (with ``backward_only`` the
    forward label is left empty).

    Backward, a scalar edge carries the lecture's local derivative
    (``∂u/∂b = c = 2``); a tensor edge the rule (``dW[1] = dZ[1]·Xᵀ``), since one
    number cannot stand for a Jacobian. No gradient flows to data (X, Y). A long
    derivative or rule is :func:`broken` into lines; a broadcast note keeps its own.
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
    rule = graph.edge_rules(node)[k]
    backward = ""
    if scalar and (out_shape == () or not rule):
        symbols = local_derivative(rule, [a for a, _ in it.args], it.name)
        middle = f"{symbols} = " if symbols else ""
        backward = f"{partial(it.name, parent.name)} = {middle}{number(d)}"
    elif rule:
        backward = named_rule(rule, it, parents)
    backward = broken(backward)
    if out_shape == ():
        return forward, backward, False
    note = broadcast_note(graph.broadcast_axes(node)[k], p_shape, out_shape)
    if note:
        backward = f"{backward}\n{note}" if backward else note
    return forward, backward, bool(note)


#: Characters of one line of an edge's label: longer equations break before an ``=``
#: (or after a ``:``), so that a label does not widen the picture.
EDGE_LINE = 28


_BREAKS = re.compile(r" (?== )|(?<=:) ")  # the spaces before an '= ' and after a ':'


def broken(text: str, width: int = EDGE_LINE) -> str:
    """``text`` with each line longer than ``width`` broken before its `` = `` signs, or
    after a ``:`` or a ``,`` -- ``∂(w1·x1 + w2·x2)/∂(w1·x1)`` / ``= 1`` -- where that
    is possible; a short left-hand side (``dA = ...``) stays on its line."""
    out = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        pieces = [q for p in _BREAKS.split(line)
                  for q in (_after_commas(p) if len(p) > width else (p,))]
        current = pieces[0]
        for part in pieces[1:]:
            if len(current) + 1 + len(part) <= width or len(current) < 12:
                current = f"{current} {part}"
            else:
                out.append(current)
                current = part
        out.append(current)
    return "\n".join(out)


def _after_commas(piece: str) -> list[str]:
    """``piece`` cut at the spaces after its commas, except inside a shape's brackets
    (``(4, 400)`` stays whole): ``sum(dZ,`` / ``axis=1,`` / ``keepdims=True)``."""
    pieces, start, depth = [], 0, 0
    for i, ch in enumerate(piece):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == " " and piece[i - 1:i] == "," and depth <= 1 and not piece[i - 2].isdigit():
            pieces.append(piece[start:i])
            start = i + 1
    pieces.append(piece[start:])
    return pieces


def html_lines(text: str) -> str:
    """``text`` as an HTML label, one line per line of the text, escaped."""
    if "\n" not in text:
        return f"<{escaped(text)}>"
    return "<" + "<br/>".join([escaped(t) for t in text.split("\n")]) + ">"

