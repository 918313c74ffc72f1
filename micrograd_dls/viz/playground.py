"""Watch a network learn: every unit as a picture of what it computes over the plane.

``rec = TrainingRecorder(X, Y, at=range(0, 2500, 50))``, passed to ``fit``
(``callbacks=[rec]``, with ``print_every`` dividing the ``at`` iterations), keeps
the parameters at those iterations; ``playground(rec, model)`` then draws, for
each of them, the network in the course's layout -- the inputs x₁, x₂, each
hidden unit and the output as a small map of its activation ``a[l]_j`` over the
plane, each edge's weight ``W[l]_jk`` as its colour (sign) and width (size), the
data on the output's map with the decision boundary ``a = 0.5`` -- beside the
cost curve and the accuracy, with a slider and play/pause over the iterations.
A click on a unit shows what it computes at that iteration in the course's
notation, ``a[1]_2 = tanh(0.31·x₁ − 1.2·x₂ + 0.05)``, and its gradients
``dW[1]_2``, ``db[1]_2`` on the training set. A recorder without ``at`` keeps every
iteration ``fit`` calls it at (every ``print_every``), and ``max_frames`` thins them
evenly, so a run of any length is one call: ``playground(rec, model).save("page.html")``.

Every number, picture and text is computed in :mod:`.playground_data`; this
module lays the page out and writes it: one self-contained HTML file (the maps
are palette PNGs inline, one per iteration), shown inline by Jupyter. Without
scripts it shows the last iteration; with them it starts at the first.
"""

from __future__ import annotations

import base64
import html
import json
import re
import secrets
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..checks import numeric_array, quote
from .page import Page, asset
from .playground_data import (
    BLUE,
    ORANGE,
    Frame,
    Layer,
    Plane,
    colour_range,
    frames_of,
    g_name,
    network_of,
    palette,
    png,
    quantise,
    signed,
    unit_lines,
    unit_notes,
)
from .training import TrainingRecorder

__all__ = ["Playground", "playground"]

_SIDE = 300  # the output's big map, in pixels
_COLUMN = 110  # between two layers' columns, room for the edges
_TOP = 40  # room for the layers' titles
_CURVE = (340, 150)  # the cost curve
_ID = "MGP-ROOT"  # in the SVG's ids, replaced by the playground's own element id
# A unit's frame, on top of its map: painted (so it takes the clicks) but unseen.
_TARGET = 'fill="#fff" fill-opacity="0"'


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#" + "".join(f"{c:02x}" for c in rgb)


def _data_url(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def _sprite(maps: list[np.ndarray], ranges: list[tuple[float, float]], n: int) -> np.ndarray:
    """The codes of every unit side by side, each tile padded by a copy of its edge
    columns, so a browser's smoothing never mixes a neighbour in."""
    tiles = [np.pad(quantise(a.reshape(n, n), lo, hi), ((0, 0), (1, 1)), mode="edge")
             for a, (lo, hi) in zip(maps, ranges)]
    return np.hstack(tiles)


def tile(sprite: np.ndarray, k: int, n: int) -> np.ndarray:
    """Unit k's codes (n, n) from a sprite written by the playground."""
    return sprite[:, k * (n + 2) + 1:k * (n + 2) + 1 + n]


@dataclass(repr=False)
class Playground(Page):
    """A network's training as one interactive page: ``frames`` hold the numbers (floats,
    as computed), ``data()`` the page's JSON, ``save(path)`` writes the file."""

    title: str
    layers: list[Layer]
    plane: Plane
    frames: list[Frame]
    gs: list[str]  # g[l] for l = 1..L
    legend: str  # how to read the colours, edges and points
    ranges: list[tuple[float, float]]  # each unit's colour scale, layers 1..L in order
    sprites: list[bytes]  # one PNG per frame: every unit's map, see tile()
    inputs_png: bytes  # x₁ and x₂ over the plane
    input_ranges: list[tuple[float, float]]
    units: list[tuple[int, int]]  # (l, j) of each tile, from 1
    text: list[list[list[str]]]  # frame, unit -> what a click shows of that iteration
    notes: list[list[str]]  # unit -> what a click shows below it, the same at every iteration
    input_text: list[list[str]]
    svg: str  # the network at the last frame: what shows without scripts
    curve: str
    page: list[dict[str, Any]]  # per frame: what the script changes
    page_id = "mgp-page"

    def data(self) -> dict[str, Any]:
        """The JSON blob the page's script reads."""
        return {"title": self.title, "frames": self.page, "notes": self.notes,
                "inputs": self.input_text}

    def fragment(self, uid: str | None = None) -> str:
        """The playground as one ``<div>`` with its style, data and script inside."""
        uid = uid or "mgp-" + secrets.token_hex(6)
        blob = json.dumps(self.data(), ensure_ascii=False, separators=(",", ":"))
        blob = blob.replace("<", "\\u003c")  # no </script> can end the blob early
        css = asset("playground.css").replace("#ROOT", f"#{uid}")
        last = self.page[-1]
        return (
            f'<div class="mgp" id="{uid}" tabindex="0" data-frame="{len(self.page) - 1}">'
            f"<style>{css}</style>"
            f'<div class="mgp-title">{html.escape(self.title)}</div>'
            '<div class="mgp-bar">'
            '<button type="button" class="mgp-play" title="play / pause (space)">▶ play</button>'
            f'<input type="range" class="mgp-slider" min="0" max="{len(self.page) - 1}" '
            f'value="{len(self.page) - 1}" aria-label="recorded iteration">'
            f'<span class="mgp-count">{html.escape(last["count"])}</span></div>'
            '<div class="mgp-body">'
            f'<div class="mgp-net">{self.svg.replace(_ID, uid)}</div>'
            f'<div class="mgp-side">{self.curve}'
            f'<pre class="mgp-status">{html.escape(chr(10).join(last["status"]))}</pre>'
            '<pre class="mgp-detail">click a unit to see what it computes</pre></div></div>'
            f'<div class="mgp-legend">{html.escape(self.legend)}</div>'
            f'<script type="application/json" class="mgp-data">{blob}</script>'
            f'<script>(function(){{var root=document.getElementById("{uid}");'
            f'{asset("playground.js")}}})();</script></div>'
        )

    def summary(self) -> str:
        """What the page is, in one line of text."""
        return (f"{self.title}: an interactive page of {len(self.page)} recorded iterations "
                "(run the notebook in Jupyter to play it, or save it to a file)")

    def __repr__(self) -> str:
        return f"<Playground: {self.summary()}>"


def _legend(gs: list[str], test: bool) -> str:
    out = "the output a = σ(z): orange below 0.5 (ŷ = 0), blue above (ŷ = 1)" \
        if gs[-1] == "sigmoid" else "the output: orange below its middle, blue above"
    return ("Each square is a unit's activation over the plane of (x₁, x₂): orange "
            "negative, white 0, blue positive (click a unit for its scale); "
            f"{out}, the black line a = 0.5. Edges: the weights W[l]_jk, blue positive, "
            "orange negative, width growing with |w|. Points: the training data, blue y = 1, "
            "orange y = 0" + ("; hollow points: the test data." if test else "."))


# --- checks ----------------------------------------------------------------------


def _test_set(X_test: Any, Y_test: Any) -> tuple[np.ndarray, np.ndarray] | None:
    if X_test is None and Y_test is None:
        return None
    if X_test is None or Y_test is None:
        raise ValueError("give both X_test and Y_test, or neither")
    X, Y = numeric_array(X_test, "X_test"), numeric_array(Y_test, "Y_test")
    if X.ndim != 2 or X.shape[0] != 2 or Y.shape != (1, X.shape[1]) or X.shape[1] == 0:
        raise ValueError(f"X_test {X.shape} and Y_test {Y.shape}: give (2, m) and (1, m), one "
                         "example per column")
    if not (np.isfinite(X).all() and np.isfinite(Y).all()):
        raise ValueError("X_test or Y_test contains NaN or infinity")
    return X.astype(np.float64), Y.astype(np.float64)


def _count(name: str, value: Any, least: int, most: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) \
            or not least <= value <= most:
        raise ValueError(f"{name} = {quote(value)}; give an int from {least} to {most}")
    return int(value)


def kept(count: int, max_frames: int) -> list[int]:
    """At most ``max_frames`` of ``count`` snapshots, evenly spread, the first and last kept."""
    if count <= max_frames:
        return list(range(count))
    return sorted({int(round(x)) for x in np.linspace(0, count - 1, max_frames)})


# --- the page's pieces ------------------------------------------------------------


def _curve(iterations: list[int], costs: list[float]) -> tuple[str, list[tuple[float, float]]]:
    """The cost curve as inline SVG, and each recorded point's position on it."""
    width, height = _CURVE
    left, pad = 48, 24
    x0, x1 = min(iterations), max(iterations)
    lo, hi = min(costs), max(costs)
    span_x, span_y = (x1 - x0) or 1, (hi - lo) or 1.0
    points = [(left + (i - x0) / span_x * (width - left - pad),
               height - pad - 10 - (c - lo) / span_y * (height - 2 * pad - 10))
              for i, c in zip(iterations, costs)]
    step = max(1, len(points) // 400)
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points[::step] + points[-1:])
    bottom = height - pad - 10
    svg = (f'<svg class="mgp-curve" width="{width}" height="{height}" '
           'xmlns="http://www.w3.org/2000/svg" font-size="11" font-family="sans-serif">'
           f'<path d="M{left - 4} {pad}V{bottom + 4}H{width - pad}" fill="none" '
           'stroke="#94a3b8"/>'
           f'<polyline points="{line}" fill="none" stroke="#cbd5e1" stroke-width="1.5"/>'
           '<polyline class="mgp-sofar" points="" fill="none" stroke="#dc2626" '
           'stroke-width="2"/><circle class="mgp-now" r="4" fill="#dc2626"/>'
           f'<text x="{left}" y="12" font-weight="bold">cost J</text>'
           f'<text x="{left - 8}" y="{pad + 4}" text-anchor="end">{signed(hi)}</text>'
           f'<text x="{left - 8}" y="{bottom + 4}" text-anchor="end">{signed(lo)}</text>'
           f'<text x="{left}" y="{height - 8}">iteration {x0}</text>'
           f'<text x="{width - pad}" y="{height - 8}" text-anchor="end">{x1}</text></svg>')
    return svg, points


def _so_far(points: list[tuple[float, float]], n: int) -> str:
    step = max(1, (n + 1) // 400)
    kept_points = points[:n + 1:step] + [points[n]]
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in kept_points)


def _path(lines: list[np.ndarray], scale: float, x: float, y: float) -> str:
    """SVG path of polylines in grid cells (column, row from the first point's centre)."""
    out = []
    for line in lines:
        pts = [f"{x + (c + 0.5) * scale:.1f} {y + (r + 0.5) * scale:.1f}" for c, r in line]
        out.append("M" + pts[0] + "L" + " ".join(pts[1:]))
    return "".join(out)


def _map(x: float, y: float, size: float, k: int, n: int, sprite: str) -> str:
    """Tile k of the sprite with id ``sprite``, drawn as a size × size square at (x, y)."""
    return (f'<svg x="{x:.1f}" y="{y:.1f}" width="{size:.1f}" height="{size:.1f}" '
            f'viewBox="{k * (n + 2) + 1} 0 {n} {n}" preserveAspectRatio="none">'
            f'<use href="#{_ID}-{sprite}"/></svg>')


def _edge(w: float, l: int, j: int, i: int, w_max: float) -> list[Any]:
    """[w, width, colour, text] of the edge W[l]_ji: 0.5 to 6.5 px as |w| grows to the
    largest |w| of the recording, blue for w ≥ 0, orange below."""
    w = float(w)
    index = f"{j}{i}" if j < 10 and i < 10 else f"{j},{i}"
    return [w, f"{0.5 + 6 * abs(w) / w_max:.2f}", _hex(BLUE) if w >= 0 else _hex(ORANGE),
            f"W[{l}]_{index} = {signed(w)}"]


def _status(f: Frame, m: int, last: int) -> list[str]:
    """The iteration, its cost J and the accuracies, as the page's status lines."""
    lines = [f"iteration {f.iteration} of {last}",
             f"cost J = {f.cost:.6g} on the {m} training examples"]
    accuracy = [f"{name} accuracy {100 * a:.1f} %"
                for name, a in (("train", f.train_accuracy), ("test", f.test_accuracy))
                if a is not None]
    return lines + [",  ".join(accuracy)] if accuracy else lines


def playground(recorder: TrainingRecorder, model: Any, *, X_test: Any = None,
               Y_test: Any = None, grid: int = 40, max_frames: int = 100) -> Playground:
    """a[l]_j = g[l](w[l]_jᵀ a[l-1] + b[l]_j) of every unit over the plane of (x₁, x₂), at
    each iteration the recorder saved, as an interactive page.

    ``model`` is the one trained with ``callbacks=[recorder]`` (nn.MLP or
    LogisticRegression with n_x = 2 and one output unit); it is not changed.
    ``X_test``, ``Y_test`` (2, m) and (1, m) add the test accuracy and hollow points.
    Each map has ``grid`` × ``grid`` points on a square around the data; of more than
    ``max_frames`` recorded iterations, that many are kept, evenly spread.
    """
    if not isinstance(recorder, TrainingRecorder):
        raise TypeError(f"expected a TrainingRecorder, got {type(recorder).__name__}")
    layers = network_of(model)
    if recorder.X.shape[0] != 2:
        raise ValueError(f"the recorder holds X of shape {recorder.X.shape}; the playground "
                         "needs two input features, X of shape (2, m)")
    n = _count("grid", grid, 2, 200)
    max_frames = _count("max_frames", max_frames, 1, 1000)
    if not recorder.snapshots:
        raise ValueError("the recorder holds no iteration yet: pass it to fit "
                         "(callbacks=[recorder]) with iterations in its `at` list")
    test = _test_set(X_test, Y_test)
    plane = Plane.around(recorder.X, *([] if test is None else [test[0]]), n=n)
    keep = kept(len(recorder.snapshots), max_frames)
    frames, gs, slopes = frames_of(recorder, model, layers, plane, test, keep)

    units = [(q.l, j) for q in layers for j in range(1, q.n + 1)]
    ranges = [colour_range(gs[l - 1], [f.maps[l - 1][j - 1] for f in frames])
              for l, j in units]
    colours = palette()
    sprites = [png(_sprite([f.maps[l - 1][j - 1] for l, j in units], ranges, n), colours)
               for f in frames]
    P = plane.points()
    input_ranges = [colour_range("linear", [P[i]]) for i in (0, 1)]
    inputs_png = png(_sprite([P[0], P[1]], input_ranges, n), colours)
    m = recorder.X.shape[1]
    text = [[unit_lines(l, j, gs[l - 1], slopes[l - 1], f.W[l - 1][j - 1], f.b[l - 1][j - 1, 0],
                        f.dW[l - 1][j - 1], f.db[l - 1][j - 1, 0])
             for l, j in units] for f in frames]
    notes = [unit_notes(l, j, gs[l - 1], m, *ranges[u]) for u, (l, j) in enumerate(units)]
    input_text = [[f"x{s}: input feature {i + 1} of each example, a row of X",
                   f"this plane: x{s} from {signed(lo)} to {signed(hi)}",
                   f"colour: {signed(input_ranges[i][0])} orange … 0 white … "
                   f"{signed(input_ranges[i][1])} blue"]
                  for i, (s, (lo, hi)) in enumerate(zip("₁₂", (plane.x1, plane.x2)))]

    svg, edges, place = _network(layers, gs, plane, inputs_png, recorder, test, len(units))
    w_max = max(float(np.max(np.abs(W))) for f in frames for W in f.W) or 1.0
    curve, points = _curve(recorder.iterations, recorder.costs)
    where = {i: k for k, i in enumerate(recorder.iterations)}
    last_iteration = recorder.iterations[-1]
    page: list[dict[str, Any]] = []
    for k, f in enumerate(frames):
        at = where[f.iteration]
        page.append({
            "iteration": f.iteration,
            "count": f"iteration {f.iteration} ({k + 1} of {len(frames)} recorded)",
            "status": _status(f, m, last_iteration),
            "map": _data_url(sprites[k]),
            "edges": [_edge(f.W[l - 1][j - 1, i - 1], l, j, i, w_max) for l, j, i in edges],
            "boundary": _path(f.boundary, *place),
            "now": [f"{points[at][0]:.1f}", f"{points[at][1]:.1f}"],
            "sofar": _so_far(points, at),
            "units": text[k],
        })
    svg = _fill(svg, page[-1])
    now = page[-1]["now"]
    curve = curve.replace('points=""', f'points="{page[-1]["sofar"]}"').replace(
        'class="mgp-now"', f'class="mgp-now" cx="{now[0]}" cy="{now[1]}"')
    title = f"the network {[2] + [q.n for q in layers]} learning: " + ", ".join(
        f"g[{l}] = {g_name(g)}" for l, g in enumerate(gs, 1))
    return Playground(title, layers, plane, frames, gs, _legend(gs, test is not None), ranges,
                      sprites, inputs_png, input_ranges, units, text, notes, input_text, svg,
                      curve, page)


def _network(layers: list[Layer], gs: list[str], plane: Plane, inputs_png: bytes,
             recorder: TrainingRecorder,
             test: tuple[np.ndarray, np.ndarray] | None,
             count: int) -> tuple[str, list[tuple[int, int, int]], tuple[float, float, float]]:
    """The network as SVG with empty slots for what changes (filled by :func:`_fill`), the
    edges as (l, j, k): from unit k of layer l-1 to unit j of layer l, and where the
    output's big map is (scale, x, y) for the boundary."""
    n = plane.n
    sizes = [2] + [q.n for q in layers]
    widest = max(sizes)
    s = float(min(48, max(12, (300 - 6 * (widest - 1)) / widest)))
    gap = max(3.0, s / 4)
    height = max(_SIDE + 40, widest * s + (widest - 1) * gap) + _TOP + 10
    mid = _TOP + (height - _TOP) / 2
    xs = [max(10.0, 34 - s / 2) + c * (s + _COLUMN) for c in range(len(sizes))]

    def spot(c: int, i: int) -> tuple[float, float]:  # top-left of unit i (from 0) of column c
        column = sizes[c] * s + (sizes[c] - 1) * gap
        return xs[c], mid - column / 2 + i * (s + gap)

    # Each picture once; every unit's square shows its own tile of it.
    parts = [f'<defs><image id="{_ID}-maps" class="mgp-map" width="{count * (n + 2)}" '
             f'height="{n}" href=""/><image id="{_ID}-inputs" width="{2 * (n + 2)}" '
             f'height="{n}" href="{_data_url(inputs_png)}"/></defs>']
    edges = []
    for q in layers:  # under the units
        for j in range(1, q.n + 1):
            for i in range(1, q.n_prev + 1):
                (x0, y0), (x1, y1) = spot(q.l - 1, i - 1), spot(q.l, j - 1)
                a, b = (x0 + s, y0 + s / 2), (x1, y1 + s / 2)
                h = (b[0] - a[0]) / 2
                parts.append(f'<path class="mgp-edge" d="M{a[0]:.1f} {a[1]:.1f}C{a[0] + h:.1f} '
                             f'{a[1]:.1f} {b[0] - h:.1f} {b[1]:.1f} {b[0]:.1f} {b[1]:.1f}" '
                             'fill="none"><title></title></path>')
                edges.append((q.l, j, i))
    names = ["inputs x", *(f"layer {q.l}: {g_name(g)}" for q, g in zip(layers, gs))]
    names[-1] += " (output)"
    for c, size in enumerate(sizes):
        x = xs[c] + s / 2
        parts.append(f'<text class="mgp-head" x="{x:.1f}" y="16" text-anchor="middle">'
                     f'{html.escape(names[c])}</text><text class="mgp-sub" x="{x:.1f}" y="30" '
                     f'text-anchor="middle">n[{c}] = {size}</text>')
        for i in range(size):
            x0, y0 = spot(c, i)
            if c == 0:
                unit, k = f"x{'₁₂'[i]}", i
                body = _map(x0, y0, s, i, n, "inputs")
                key = f"i{i}"
            else:
                unit = f"a[{c}]_{i + 1}"
                k = sum(sizes[1:c]) + i
                body = _map(x0, y0, s, k, n, "maps")
                key = f"u{k}"
            parts.append(f'<g class="mgp-unit" data-unit="{key}"><title>{unit}</title>{body}'
                         f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{s:.1f}" height="{s:.1f}" '
                         f'{_TARGET}/></g>')
    # The output's big map, beside its unit, with the data and the boundary.
    big_x = xs[-1] + s + 40
    big_y = mid - _SIDE / 2
    x_out, y_out = spot(len(sizes) - 1, 0)
    parts.append(f'<path d="M{x_out + s:.1f} {y_out + s / 2:.1f}H{big_x:.1f}" '
                 'class="mgp-link"/>')
    k_out = count - 1
    parts.append(f'<g class="mgp-unit mgp-big" data-unit="u{k_out}">'
                 f'<title>a[{len(layers)}]_1 over the plane</title>'
                 + _map(big_x, big_y, _SIDE, k_out, n, "maps")
                 + f'<rect x="{big_x:.1f}" y="{big_y:.1f}" width="{_SIDE}" height="{_SIDE}" '
                 f'{_TARGET}/></g>')
    scale = _SIDE / n
    for X, Y, hollow in ((recorder.X, recorder.Y, False),
                         *(() if test is None else ((test[0], test[1], True),))):
        cols, rows = plane.to_grid(X[0], X[1])
        dots = []
        for c, r, y in zip(cols, rows, Y[0]):
            colour = _hex(BLUE) if y >= 0.5 else _hex(ORANGE)
            paint = f'fill="#fff" stroke="{colour}"' if hollow else f'fill="{colour}"'
            dots.append(f'<circle cx="{big_x + c * scale:.1f}" cy="{big_y + r * scale:.1f}" '
                        f'r="2.6" {paint}/>')
        parts.append(f'<g class="mgp-{"test" if hollow else "train"}">{"".join(dots)}</g>')
    parts.append('<path class="mgp-boundary" d="" fill="none"/>')
    L = len(layers)
    right, below = big_x + _SIDE + 4, big_y + _SIDE + 14
    parts.append(
        f'<text class="mgp-head" x="{big_x + _SIDE / 2:.1f}" y="{big_y - 8:.1f}" '
        f'text-anchor="middle">a[{L}]_1 = ŷ over the plane, boundary a = 0.5</text>'
        f'<text class="mgp-sub" x="{big_x:.1f}" y="{below:.1f}">{signed(plane.x1[0])}</text>'
        f'<text class="mgp-sub" x="{big_x + _SIDE:.1f}" y="{below:.1f}" text-anchor="end">'
        f'{signed(plane.x1[1])}</text><text class="mgp-sub" x="{big_x + _SIDE / 2:.1f}" '
        f'y="{below:.1f}" text-anchor="middle">x₁</text>'
        f'<text class="mgp-sub" x="{right:.1f}" y="{big_y + 10:.1f}">{signed(plane.x2[1])}</text>'
        f'<text class="mgp-sub" x="{right:.1f}" y="{big_y + _SIDE / 2 + 4:.1f}">x₂</text>'
        f'<text class="mgp-sub" x="{right:.1f}" y="{big_y + _SIDE:.1f}">'
        f'{signed(plane.x2[0])}</text>')
    width = big_x + _SIDE + 48
    total = big_y + _SIDE + 24
    svg = (f'<svg class="mgp-svg" width="{width:.0f}" height="{max(height, total):.0f}" '
           'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="12">'
           + "".join(parts) + "</svg>")
    return svg, edges, (scale, big_x, big_y)


def _fill(svg: str, frame: dict[str, Any]) -> str:
    """The network at ``frame``, written into the SVG: what shows where scripts do not run."""
    href = html.escape(frame["map"])
    svg = svg.replace('href=""', f'href="{href}"')
    styles = iter(frame["edges"])

    def edge(_: Any) -> str:
        _, width, colour, title = next(styles)
        return (f'fill="none" stroke="{colour}" stroke-width="{width}">'
                f"<title>{html.escape(title)}</title>")

    svg = re.sub(r'fill="none"><title></title>', edge, svg)
    return svg.replace('class="mgp-boundary" d=""',
                       f'class="mgp-boundary" d="{frame["boundary"]}"')
