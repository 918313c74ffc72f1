"""Training over time: one example's graph at recorded iterations, beside the cost curve.

``rec = TrainingRecorder(X, Y, example=3, at=[0, 100, 1000, 9999])`` is a
callback for :func:`micrograd_dls.nn.fit` (``callbacks=[rec]``); ``fit`` calls it
every ``print_every`` iterations, and it keeps the cost each time and a copy of
the parameters at the iterations asked for -- nothing else, so the file stays
small. ``training_page(rec, model)`` then rebuilds that one example's graph
from each copy -- the model's own ``cost(x, y)`` on that column, on a copy of
the model, so training is not touched -- and returns a
:class:`~micrograd_dls.viz.stepper.Stepper` whose slider walks the recorded
iterations. All numbers on the page are computed here. The model builds its
graph itself; this module never imports ``nn`` and never trains.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

import numpy as np

from .. import graph
from ..checks import numeric_array
from .scene import LAYER_INDEX
from .stepper import Stepper, clean_svg
from .steps import Step

__all__ = ["TrainingRecorder", "training_page"]


class TrainingRecorder:
    """A ``fit`` callback: the cost at every call, the parameters at iterations ``at``."""

    def __init__(self, X: Any, Y: Any, example: int = 0, at: Iterable[int] | None = None) -> None:
        self.X = numeric_array(X, "X")
        self.Y = numeric_array(Y, "Y")
        if self.X.ndim != 2 or self.Y.ndim != 2 or self.X.shape[1] != self.Y.shape[1]:
            raise ValueError(f"X {self.X.shape} and Y {self.Y.shape}: give (n_x, m) and (1, m)")
        m = self.X.shape[1]
        if isinstance(example, bool) or not isinstance(example, int) or not 0 <= example < m:
            raise ValueError(f"example={example!r}: give a column index 0 .. {m - 1}")
        self.example = example
        self.at = None if at is None else sorted({int(i) for i in at})
        self.iterations: list[int] = []
        self.costs: list[float] = []
        self.snapshots: list[tuple[int, float, list[Any]]] = []

    def __call__(self, iteration: int, cost: float, model: Any) -> None:
        self.iterations.append(int(iteration))
        self.costs.append(float(cost))
        if self.at is None or iteration in self.at:
            self.snapshots.append((int(iteration), float(cost),
                                   [copy.copy(p.data) if np.isscalar(p.data)
                                    else np.array(p.data, copy=True)
                                    for p in model.parameters()]))


def _example_graph(model: Any, x: np.ndarray, y: np.ndarray) -> Any:
    """J on one example, after backward: the model's own ``cost(X, Y)`` on one column."""
    J = model.cost(x, y)
    J.backward()
    return J


def _array_text(a: Any) -> str:
    from .notation import number

    a = np.asarray(a, dtype=float)
    if a.size == 1:
        return number(a)
    if a.ndim == 2 and a.shape[1] == 1:
        return "[" + ", ".join(number(v) for v in a[:, 0]) + "]ᵀ"
    rows = a.reshape(a.shape[0], -1) if a.ndim > 1 else a.reshape(1, -1)
    return "[" + "; ".join(", ".join(number(v) for v in r) for r in rows) + "]"


_MAX_POINTS = 400  # of a drawn curve: more would only make the file larger


def _parameters(J: Any) -> list[Any]:
    """The labelled leaves with a gradient of ``J``'s graph: the model's parameters."""
    return [p for p in graph.topological_order(J)
            if graph.label(p) and graph.requires_grad(p) and graph.is_leaf(p)]


def _layer_first(p: Any) -> tuple[int, int]:
    """W[1], b[1], W[2], b[2]: by the layer in the name, W before b."""
    found = LAYER_INDEX.search(str(graph.label(p)))
    return (int(found.group(1)) if found else 0, 0 if str(graph.label(p))[:1] in "Ww" else 1)


def _prediction(model: Any, x: np.ndarray, label: float) -> str:
    """``; its prediction a = 0.326, so ŷ = 0: right`` for a model with
    ``predict_proba`` (''  for one without)."""
    proba = getattr(model, "predict_proba", None)
    if not callable(proba):
        return ""
    a = float(np.asarray(proba(x)).reshape(-1)[0])
    guess = 1 if a > 0.5 else 0
    return (f"; its prediction a = {a:.3g}, so ŷ = {guess}: "
            + ("right" if guess == label else "wrong"))


def _polyline(points: list[tuple[float, float]]) -> str:
    """SVG points of the curve, thinned to at most _MAX_POINTS, the last one kept."""
    step = max(1, len(points) // _MAX_POINTS)
    kept = points[::step]
    if points and kept[-1] != points[-1]:
        kept.append(points[-1])
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in kept)


def _curve(iterations: list[int], costs: list[float], width: int = 360,
           height: int = 160) -> tuple[str, list[tuple[float, float]]]:
    """The cost curve as inline SVG, and each recorded point's position on it. The
    ticks stand left of and under the plotting area, so no point covers them."""
    left, right, top, bottom = 44, 12, 22, 28
    x0, x1 = min(iterations), max(iterations) or 1
    lo, hi = min(costs), max(costs)
    span_x = (x1 - x0) or 1
    span_y = (hi - lo) or 1.0
    points = [(left + (i - x0) / span_x * (width - left - right),
               height - bottom - (c - lo) / span_y * (height - top - bottom))
              for i, c in zip(iterations, costs)]
    line = _polyline(points)
    tick = left - 8
    svg = (f'<svg class="mgs-curve" width="{width}" height="{height}" '
           'xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="sans-serif">'
           f'<line x1="{left - 4}" y1="{top}" x2="{left - 4}" y2="{height - bottom}" '
           'stroke="#94a3b8"/>'
           f'<polyline points="{line}" fill="none" stroke="#cbd5e1" stroke-width="1.5"/>'
           '<polyline class="mgs-sofar" points="" fill="none" stroke="#dc2626" '
           'stroke-width="2"/><circle class="mgs-now" r="4" fill="#dc2626"/>'
           f'<text x="{left}" y="12">cost J on all the examples</text>'
           f'<text x="{tick}" y="{top + 4}" text-anchor="end">{hi:.3g}</text>'
           f'<text x="{tick}" y="{height - bottom + 4}" text-anchor="end">{lo:.3g}</text>'
           f'<text x="{left}" y="{height - 8}">iteration {x0}</text>'
           f'<text x="{width - right}" y="{height - 8}" text-anchor="end">{x1}</text></svg>')
    return svg, points


def training_page(recorder: TrainingRecorder, model: Any, *, zoom: str = "ops",
                  timeout: float | None = None) -> Stepper:
    """θ at each recorded iteration: one example's forward values and gradients
    dθ = ∂J/∂θ, beside the cost J against the iteration so far."""
    from .drawing import draw
    from .render import pipe

    if not isinstance(recorder, TrainingRecorder):
        raise TypeError(f"expected a TrainingRecorder, got {type(recorder).__name__}")
    if not callable(getattr(model, "cost", None)):
        raise TypeError(f"{type(model).__name__} has no cost(X, Y): the page draws the graph "
                        "of the model's cost on one example, as nn.MLP and nn.scalar.MLP "
                        "give it")
    if not recorder.snapshots:
        raise ValueError("the recorder holds no iteration yet: pass it to fit "
                         "(callbacks=[recorder]) with iterations in its `at` list")
    j = recorder.example
    x, y = recorder.X[:, j:j + 1], recorder.Y[:, j:j + 1]
    shadow = copy.deepcopy(model)  # the model itself is not touched
    curve, points = _curve(recorder.iterations, recorder.costs)
    where = {i: n for n, i in enumerate(recorder.iterations)}
    frames, steps = [], []
    layout: str | None = None
    poster = None
    m = recorder.X.shape[1]
    for iteration, cost, values in recorder.snapshots:
        for p, v in zip(shadow.parameters(), values):
            p.data = copy.copy(v) if np.isscalar(v) else np.array(v, copy=True)
            p.grad = None if not np.isscalar(v) else 0.0
        J = _example_graph(shadow, x, y)
        picture = draw(J, zoom=zoom, max_nodes=None)
        if layout is not None:  # every frame laid out as the first, so nothing jumps
            picture.use_layout(layout, poster)
        svg = clean_svg(pipe(picture, "svg", timeout).decode())
        layout, poster = picture.layout, picture.poster
        n = where[iteration]
        px, py = points[n]
        sofar = _polyline(points[:n + 1])
        frames.append({"svg": svg, "x": f"{px:.1f}", "y": f"{py:.1f}", "sofar": sofar})
        label = float(y[0, 0])
        lines = [f"the cost J on all {m} examples: {cost:.6g} (the curve)",
                 f"example {j}, label y = {label:g}: its own loss L = "
                 f"{float(np.asarray(graph.data(J))):.6g}" + _prediction(shadow, x, label)]
        lines.append(f"its parameters, and the gradients of its own loss (m = 1; training "
                     f"steps along their mean over the {m} examples):")
        for p in sorted(_parameters(J), key=_layer_first):
            name = graph.label(p)
            lines.append(f"{name} = {_array_text(graph.data(p))}")
            lines.append(f"    d{name} = {_array_text(graph.grad(p))}")
        step = Step("training", f"iteration {iteration}", lines)
        steps.append(step)
    for k, step in enumerate(steps):
        step.frame = k
    return Stepper(f"training over time: example {j}", frames[0]["svg"], steps, {}, {},
                   {"frames": frames}, aside=curve)
