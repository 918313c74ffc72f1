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
from .labels import is_one
from .notation import number, wrapped
from .scene import LAYER_INDEX, Item, Scene, node_label, read_scene
from .style import EDGE_ATTR, GRAPH_ATTR, KINDS, NODE_ATTR, NUMBER_STYLE, LegendEntry
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


def titles(root: Item, passes: tuple[str, ...], layout: str) -> list[str]:
    """The title lines of a picture of ``passes`` in ``layout`` (one of
    :data:`~.picture.LAYOUTS`), with the lecture's shorthand for the actual root."""
    name = wrapped(root.name)
    across = layout == "LR"
    forward = "forward pass: values, " + ("left to right" if across else "top to bottom")
    backward = (f"backward pass: dvar = ∂{name}/∂var, "
                + ("right to left" if across else "bottom to top"))
    numbered = "numbered in backpropagation's order: each node after all of its consumers"
    if passes == ("forward",):
        return [forward]
    if passes == ("backward",):
        return [f"{backward};", numbered]
    first, second = ("left", "right") if layout == "TB" else ("top", "bottom")
    return [f"{first}: {forward}", f"{second}: {backward};", numbered]


def cap_note(scene: Scene) -> str:
    """What the node cap left out, and how to see the rest; '' when nothing was."""
    if len(scene.items) >= scene.total:
        return ""
    left = scene.total - len(scene.items)
    nn_graph = any(LAYER_INDEX.search(it.name.text) for it in scene.items if node_label(it.node))
    hint = ("zoom='layers' draws the whole network, one box per layer" if nn_graph
            else "a larger max_nodes draws more of them, in a larger picture")
    return (f"showing the {len(scene.items)} nodes nearest the result, of {scene.total}; "
            f"{left} earlier nodes are left out (dashed: where they connect); {hint}")


def mean_note(scene: Scene) -> list[str]:
    """How the gradients of a cost averaged over m > 1 examples meet the course's: []
    for any other graph.

    Every ``dvar`` drawn is ∂J/∂var of J = (1/m) Σ L, so the cost's own gradient
    carries the 1/m (``dZ[2] = (1/m)(A[2] - Y)``). The course writes ``dZ[L] = A[L] - Y``
    -- the gradient of the summed losses, m times ours -- and puts the 1/m back in
    ``dW[l] = (1/m) dZ[l] A[l-1]ᵀ``: its dZ and dA are m times these, its dW and db
    these.
    """
    for it in reversed(scene.items):
        rules = graph.edge_rules(it.node) if it.formula is not None else ()
        if not any("(1/m)" in rule for rule in rules):
            continue
        first = it.args[0][1] if it.args else None
        shape = graph.shape(first) if first is not None else ()
        m = shape[-1] if shape else 1
        if m <= 1:
            return []
        found = LAYER_INDEX.search(it.args[0][0].text)
        L = f"[{found.group(1)}]" if found else ""
        return [
            f"1/m: J = (1/m) Σ L, the mean over m = {m:,} examples; every dvar = ∂J/∂var "
            "carries the 1/m:",
            f"dZ{L} = (1/m)(A{L} - Y). The course's dZ{L} = A{L} - Y is the summed losses' "
            "gradient,",
            "m times this (as are its dZ and dA of every layer); its dW = (1/m) dZ A_prevᵀ "
            "and db equal these.",
        ]
    return []


def _names(items: list[Item], most: int = 3) -> str:
    """``W[1], b[1], W[2], …``: a few names, layer by layer."""
    def layer(it: Item) -> int:
        found = LAYER_INDEX.search(it.name.text)
        return int(found.group(1)) if found else 0

    names = list(dict.fromkeys(it.name.text for it in sorted(items, key=lambda it: (
        layer(it), it.index))))
    return ", ".join(names[:most]) + (", …" if len(names) > most else "")


def legend(scene: Scene, layers: bool) -> list[LegendEntry]:
    """The legend of the kinds of node a picture shows, naming some of each."""
    items = scene.items
    entries = []
    data = [it for it in items if it.kind == "input" and (not layers or it.group is None)]
    if data:
        entries.append(LegendEntry(*KINDS["input"][:2], f"data, no gradient: {_names(data)}"))
    if layers:
        boxes = [it for it in items if isinstance(it.group, int)]
        if boxes:
            params = [it for it in boxes if it.kind == "parameter"]
            entries.append(LegendEntry(
                "#ffffff", KINDS["parameter"][1],
                f"layer: its parameters ({_names(params)}) and output" if params else "layer"))
    else:
        leaves = [it for it in items if it.kind == "parameter"]
        if leaves:
            entries.append(LegendEntry(*KINDS["parameter"][:2],
                                       f"leaf with a gradient: {_names(leaves)}"))
        if any(it.kind == "intermediate" for it in items):
            entries.append(LegendEntry(*KINDS["intermediate"][:2], "intermediate"))
    entries.append(LegendEntry(*KINDS["cost"][:2], f"the root (cost): {scene.root.name.text}"))
    if not layers:
        numbers = [a.text for it in items for a, p in it.args if p is None]
        if numbers:
            entries.append(LegendEntry(NUMBER_STYLE["fillcolor"], NUMBER_STYLE["color"],
                                       f"{numbers[0]}: a number, no node, no gradient",
                                       dashed=True))
    return entries


def summary(scene: Scene, passes: tuple[str, ...], layers: bool) -> str:
    """``forward and backward graph of J: 6 nodes``: what the picture is, in one line."""
    what = " and ".join(passes)
    count = f"{len(scene.items):,} nodes" + (
        f" of {scene.total:,}" if len(scene.items) < scene.total else "")
    zoom = ", one box per layer" if layers else ""
    return f"{what} graph of {scene.root.name.text}: {count}{zoom}"


def picture_of(scene: Scene, passes: tuple[str, ...], show_ops: bool, layers: bool,
               clusters: bool) -> Any:
    """The :class:`~.picture.Picture` of a scene: one pass, or forward and backward."""
    from .picture import LAYOUTS, Picture

    bodies = []
    for which in passes:
        body: list[str] = []
        # DOT ids of both passes in one picture start with the pass's initial.
        prefix = which[0] if len(passes) > 1 else ""
        if layers:
            emit_layers(body, scene, which == "backward", prefix)
        else:
            emit_ops(body, scene, which == "backward", prefix, show_ops, clusters)
        # One string for all the statements: graphviz yields its body item by item when
        # it writes the source, which for 100,000 nodes costs more than joining them once.
        bodies.append((which, "".join(body)))
    notes = [cap_note(scene)]
    if "backward" in passes:
        notes += mean_note(scene)
    return Picture(
        name="_".join(passes), passes=bodies,
        titles={layout: titles(scene.root, passes, layout) for layout in LAYOUTS},
        legend=legend(scene, layers) if len(passes) > 1 else [],
        notes=[note for note in notes if note], summary=summary(scene, passes, layers),
        graph_attr=dict(GRAPH_ATTR), node_attr=NODE_ATTR, edge_attr=EDGE_ATTR)


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
