"""The lecture's pictures of a computation graph: values forward, derivatives backward.

The forward picture reads left to right: inputs on the left, each value node
as ``u = b·c = 6``, the result on the right. The backward picture is the same
layout walked right to left: each node shows the lecture's ``dvar`` = ∂J/∂var
(named after the actual root), each edge the local derivative the chain rule
multiplies (``∂u/∂b = c = 2``), or for tensors the rule backward applies
(``dW = dZ·Aᵀ``). Nodes are coloured by kind and, backward, numbered in the
order backpropagation visits them.

This module is the public entry: it checks the arguments, reads the scene
(:mod:`.scene`), has the zoom's module write each pass (:mod:`.zoom_ops`,
:mod:`.zoom_layers`) and puts the passes under one title and legend in a
:class:`~.picture.Picture`. Node ids follow the topological order, so the same
graph always gives the same DOT source. It never computes a label's text or
writes a node itself.
"""

from __future__ import annotations

from typing import Any

from .. import graph
from ..graph import Node, gc_paused
from .labels import escaped, is_one
from .notation import number, wrapped
from .scene import LAYER_INDEX, Item, Scene, node_label, read_scene
from .style import EDGE_ATTR, GRAPH_ATTR, KINDS, NODE_ATTR
from .zoom_layers import emit_layers
from .zoom_ops import emit_ops

__all__ = ["DEFAULT_MAX_NODES", "KINDS", "draw", "draw_backward", "draw_forward"]

#: How many nodes a picture draws unless told otherwise: beyond that dot is slow
#: and the picture unreadable. The nodes nearest the result are kept.
DEFAULT_MAX_NODES = 200


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
        if g is None or (is_one(graph.shape(root)) and number(g) == "0"):
            name = node_label(root) or "root"
            raise ValueError(f"{name} has no gradient yet: call {name}.backward() before drawing "
                             "the backward graph")


def titles(root: Item) -> dict[str, str]:
    """The title of each pass, with the lecture's shorthand for the actual root."""
    name = wrapped(root.name)
    return {
        "forward": "forward pass: values, left to right",
        "backward": f"backward pass: dvar = ∂{name}/∂var, right to left; "
                    "nodes numbered in the order backpropagation visits them",
    }


def cap_note(scene: Scene) -> str:
    """What the node cap left out, and how to see the rest; '' when nothing was."""
    if len(scene.items) >= scene.total:
        return ""
    left = scene.total - len(scene.items)
    nn_graph = any(LAYER_INDEX.search(it.name.text) for it in scene.items if node_label(it.node))
    hint = ("zoom='layers' draws the whole network, one box per layer" if nn_graph
            else "a larger max_nodes draws more of them (every node makes a very wide picture)")
    return (f"showing the {len(scene.items)} nodes nearest the result, of {scene.total}; "
            f"{left} earlier nodes are left out (dashed: where they connect); {hint}")


def _present_kinds(scene: Scene, layers: bool) -> list[str]:
    if layers:
        kinds = {it.kind for it in scene.items if it.group is None}
        kinds |= {"cost" if g == "cost" else "parameter"
                  for g in {it.group for it in scene.items} if g is not None}
    else:
        kinds = {it.kind for it in scene.items}
    return [k for k in KINDS if k in kinds]


def _header(lines: list[str], legend: list[str]) -> str:
    """The picture's title lines and, for the full picture, the legend of the kinds shown."""
    rows = [f'<tr><td align="left">{escaped(line)}</td></tr>' for line in lines]
    if legend:
        cells = "".join(
            f'<td bgcolor="{KINDS[k][0]}" border="1" color="{KINDS[k][1]}"> '
            f"{escaped(KINDS[k][2])} </td>" for k in legend
        )
        rows.append('<tr><td align="left"><table border="0" cellspacing="4" cellpadding="3">'
                    f"<tr>{cells}</tr></table></td></tr>")
    return f'<<table border="0" cellspacing="0" cellpadding="1">{"".join(rows)}</table>>'


def picture_of(scene: Scene, passes: tuple[str, ...], show_ops: bool, layers: bool,
               clusters: bool) -> Any:
    """The ``graphviz.Digraph`` of a scene: one pass, or forward above backward."""
    from .picture import Picture

    note = cap_note(scene)
    body: list[str] = []

    def emit(which: str, prefix: str) -> None:
        if layers:
            emit_layers(body, scene, which == "backward", prefix)
        else:
            emit_ops(body, scene, which == "backward", prefix, show_ops, clusters)

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
    graph_attr = dict(GRAPH_ATTR)
    g = Picture(name="_".join(passes), graph_attr=graph_attr, node_attr=NODE_ATTR,
                edge_attr=EDGE_ATTR)
    g.body.append(f"\tlabel={header} labelloc=t\n")
    # One string for all the statements: graphviz yields its body item by item when it
    # writes the source, which for 100,000 nodes costs more than joining them once here.
    g.body.append("".join(body))
    return g


def _draw(root: Any, passes: tuple[str, ...], show_ops: bool, zoom: str, clusters: bool,
          max_nodes: int | None) -> Any:
    check_arguments(root, zoom, max_nodes, "backward" in passes)
    layers = zoom == "layers"
    # Reading a big graph allocates an object per node, and each collection would walk
    # them all again, doubling the time; nothing here makes reference cycles.
    with gc_paused():
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
