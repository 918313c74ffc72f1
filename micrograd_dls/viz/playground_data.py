"""The playground's numbers: what each unit computes over the input plane, at each
recorded iteration.

For a model of two inputs x₁, x₂ the plane is a square grid of ``n × n``
points around the data; every unit's activation ``a[l]_j`` over it is a small
picture. Everything the page shows is computed here, from the recorder's saved
parameters put into a copy of the model -- the model's own forward on the grid
(its graph read through :mod:`micrograd_dls.graph`, never a node's fields), its
own cost and backward on the training set for ``dW[l]``, ``db[l]`` -- and turned
into text and pictures:

* :func:`network_of` reads the course's layer layout from the parameters'
  labels ``W[l]``, ``b[l]`` and refuses a model that is not of two inputs and
  one output unit;
* :func:`activations` gives ``A[l]`` on any points, with each layer's ``g``;
* :func:`unit_lines` writes ``a[1]_2 = tanh(0.31·x₁ − 1.2·x₂ + 0.05)`` and the
  unit's gradients in the course's notation, :func:`unit_notes` what stays the same;
* :func:`quantise` and :func:`png` turn maps into one palette PNG per
  iteration (pure numpy and zlib), :func:`read_png` reads one back;
* :func:`boundary` traces the decision boundary ``a = 0.5`` (marching squares).

Like :mod:`.training`, this module never imports ``nn`` and never trains.
"""

from __future__ import annotations

import copy
import re
import struct
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .. import graph
from ..checks import quote
from .notation import number

__all__ = [
    "LEVELS",
    "Frame",
    "Layer",
    "Plane",
    "activations",
    "boundary",
    "colour_range",
    "frames_of",
    "g_name",
    "network_of",
    "palette",
    "png",
    "quantise",
    "read_png",
    "signed",
    "unit_lines",
    "unit_notes",
]

#: Codes per map: a value v is stored as round((v - lo) / (hi - lo) · 255).
LEVELS = 256
ORANGE = (245, 147, 34)  # negative, and the label 0
BLUE = (8, 119, 189)  # positive, and the label 1
WHITE = (255, 255, 255)

_PARAMETER = re.compile(r"^([Wb])\[(\d+)\]$")
#: How the course writes each activation g, and what it means.
_G_TEXT = {"sigmoid": "σ", "tanh": "tanh", "relu": "ReLU", "leaky_relu": "leaky ReLU"}
_G_MEANING = {"sigmoid": "σ(z) = 1/(1 + e⁻ᶻ)", "tanh": "tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)",
              "relu": "ReLU(z) = max(0, z)"}
_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


# --- the network ---------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """Layer l of the course's layout: W[l] of shape (n, n_prev), and where its
    parameters are in ``model.parameters()``."""

    l: int
    n: int
    n_prev: int
    W_index: int
    b_index: int


def network_of(model: Any) -> list[Layer]:
    """Layers 1..L from the parameters W[1], b[1], ..., W[L], b[L]; n[0] = 2, n[L] = 1."""
    what = type(model).__name__
    if not callable(getattr(model, "parameters", None)) \
            or not callable(getattr(model, "forward", None)) \
            or not callable(getattr(model, "cost", None)):
        raise TypeError(f"the playground needs a model with parameters(), forward(X) and "
                        f"cost(X, Y), as nn.MLP has them; got {what}")
    found: dict[tuple[str, int], tuple[int, tuple[int, ...]]] = {}
    for k, p in enumerate(model.parameters()):
        name = graph.label(p) if isinstance(p, graph.Node) else None
        hit = _PARAMETER.match(name or "")
        if hit is None or (hit[1], int(hit[2])) in found:
            raise TypeError(
                f"the playground draws a network whose parameters are W[1], b[1], ..., W[L], "
                f"b[L], as nn.MLP and nn.LogisticRegression have them; {what} has a parameter "
                f"labelled {quote(name)}")
        found[(hit[1], int(hit[2]))] = (k, tuple(graph.shape(p)))
    L = (len(found) + 1) // 2
    layers: list[Layer] = []
    n_prev = None
    for l in range(1, L + 1):
        if ("W", l) not in found or ("b", l) not in found:
            raise TypeError(f"{what}'s parameters do not hold W[{l}] and b[{l}] "
                            f"(found {sorted(f'{p}[{i}]' for p, i in found)})")
        (kW, sW), (kb, sb) = found[("W", l)], found[("b", l)]
        if len(sW) != 2 or sb != (sW[0], 1) or (n_prev is not None and sW[1] != n_prev):
            raise TypeError(f"{what}: W[{l}] has shape {sW} and b[{l}] {sb}, not the course's "
                            f"(n[{l}], n[{l - 1}]) and (n[{l}], 1)")
        layers.append(Layer(l, sW[0], sW[1], kW, kb))
        n_prev = sW[0]
    if not layers:
        raise TypeError(f"{what} has no parameters W[1], b[1]: nothing to draw")
    if layers[0].n_prev != 2:
        raise ValueError(
            f"the playground draws each unit over the plane of two input features (x₁, x₂), so "
            f"it needs a model with n_x = 2; this one has n_x = {layers[0].n_prev} "
            f"(W[1] has shape ({layers[0].n}, {layers[0].n_prev}))")
    if layers[-1].n != 1:
        raise ValueError(
            f"the playground draws one output unit and its decision boundary a[L] = 0.5; this "
            f"model has n[L] = {layers[-1].n} outputs")
    return layers


def activations(model: Any, P: np.ndarray, L: int) -> list[tuple[np.ndarray, str, float]]:
    """(A[l], g[l], slope) for l = 1..L on the points P (2, k): the model's own forward,
    A[l] read from its graph by the course's labels (Z[l] where g[l] is linear)."""
    out = model.forward(P)
    nodes: dict[str, Any] = {}
    for each in graph.topological_order(out):
        name = graph.label(each)
        if name and name not in nodes:
            nodes[name] = each
    found = []
    for l in range(1, L + 1):
        node = out if l == L else nodes.get(f"A[{l}]", nodes.get(f"Z[{l}]"))
        if node is None:
            raise TypeError(f"{type(model).__name__}'s forward graph has no node A[{l}]: the "
                            "playground reads each layer's activations by the course's labels")
        name = graph.label(node) or ""
        g = "linear" if name.startswith("Z[") else graph.op(node)
        slope = dict(graph.constants(node)).get(1, 0.01) if g == "leaky_relu" else 0.0
        found.append((np.array(graph.data(node), dtype=np.float64), g, float(slope)))
    return found


# --- the plane -----------------------------------------------------------------


@dataclass(frozen=True)
class Plane:
    """A square of the plane, x₁ from ``x1[0]`` to ``x1[1]`` and x₂ from ``x2[0]`` to
    ``x2[1]``, cut into n × n cells; the grid's points are the cells' centres, row 0 at
    the top (the largest x₂), as in a picture."""

    x1: tuple[float, float]
    x2: tuple[float, float]
    n: int

    @classmethod
    def around(cls, *Xs: np.ndarray, n: int) -> Plane:
        """The square that holds every point, with a margin of a tenth of its side."""
        pts = np.hstack(Xs)
        lo, hi = pts.min(axis=1), pts.max(axis=1)
        side = float(max(hi - lo)) or 1.0
        side *= 1.2
        c = (lo + hi) / 2
        return cls((float(c[0] - side / 2), float(c[0] + side / 2)),
                   (float(c[1] - side / 2), float(c[1] + side / 2)), n)

    @property
    def cell(self) -> float:
        """The side of one cell."""
        return (self.x1[1] - self.x1[0]) / self.n

    def points(self) -> np.ndarray:
        """The grid as X of shape (2, n·n): row by row from the top, left to right."""
        k = (np.arange(self.n) + 0.5) * self.cell
        x1, x2 = np.meshgrid(self.x1[0] + k, self.x2[1] - k)
        return np.vstack([x1.ravel(), x2.ravel()])

    def to_grid(self, x1: Any, x2: Any) -> tuple[np.ndarray, np.ndarray]:
        """(column, row) of plane points, in cells from the top-left corner."""
        return ((np.asarray(x1) - self.x1[0]) / self.cell,
                (self.x2[1] - np.asarray(x2)) / self.cell)


# --- colours and pictures --------------------------------------------------------


def colour_range(g: str, maps: Sequence[np.ndarray]) -> tuple[float, float]:
    """(lo, hi) of a unit's colour scale, its middle white: [0, 1] for σ, [−1, 1] for tanh,
    else ±(the largest |a| the unit takes over the plane at any recorded iteration)."""
    if g == "sigmoid":
        return 0.0, 1.0
    if g == "tanh":
        return -1.0, 1.0
    r = max((float(np.max(np.abs(m))) for m in maps), default=0.0)
    r = r if np.isfinite(r) and r > 0 else 1.0
    return -r, r


def quantise(values: np.ndarray, lo: float, hi: float) -> np.ndarray:
    """codes = round((v − lo)/(hi − lo) · 255) as bytes; v is within half a quantum
    (hi − lo)/255 of lo + code · quantum."""
    t = (np.asarray(values, dtype=np.float64) - lo) / (hi - lo) * (LEVELS - 1)
    return np.clip(np.rint(t), 0, LEVELS - 1).astype(np.uint8)


def palette() -> np.ndarray:
    """(256, 3) colours: orange for code 0, white in the middle, blue for code 255."""
    t = np.linspace(-1.0, 1.0, LEVELS)[:, None]
    far = np.where(t < 0, np.array(ORANGE), np.array(BLUE))
    return np.rint(np.array(WHITE) + np.abs(t) * (far - np.array(WHITE))).astype(np.uint8)


def _chunk(kind: bytes, body: bytes) -> bytes:
    return (struct.pack(">I", len(body)) + kind + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))


def png(codes: np.ndarray, colours: np.ndarray) -> bytes:
    """An 8-bit palette PNG of ``codes`` (h, w): each row filtered with None, Sub or Up,
    whichever leaves the smallest residues, then deflated."""
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    h, w = codes.shape
    up = np.vstack([codes[:1], codes[1:] - codes[:-1]])
    sub = np.hstack([codes[:, :1], codes[:, 1:] - codes[:, :-1]])
    candidates = np.stack([codes, sub, up])  # filter types 0, 1, 2
    cost = np.abs(candidates.astype(np.int8).astype(np.int64)).sum(axis=2)
    best = cost.argmin(axis=0)
    rows = np.hstack([best[:, None].astype(np.uint8), candidates[best, np.arange(h)]])
    head = struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", head)
            + _chunk(b"PLTE", np.asarray(colours, dtype=np.uint8).tobytes())
            + _chunk(b"IDAT", zlib.compress(rows.tobytes(), 9)) + _chunk(b"IEND", b""))


def read_png(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(codes, colours) of a palette PNG written by :func:`png` (filters None, Sub, Up)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    at = 8
    chunks: dict[bytes, bytes] = {}
    while at < len(data):
        (size,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + size]
        (crc,) = struct.unpack(">I", data[at + 8 + size:at + 12 + size])
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError(f"PNG chunk {kind!r} fails its CRC")
        chunks[kind] = chunks.get(kind, b"") + body
        at += 12 + size
    w, h, depth, kind, *_ = struct.unpack(">IIBBBBB", chunks[b"IHDR"])
    if (depth, kind) != (8, 3):
        raise ValueError(f"not an 8-bit palette PNG (depth {depth}, colour type {kind})")
    raw = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), dtype=np.uint8).reshape(h, w + 1)
    codes = np.empty((h, w), dtype=np.uint8)
    for r in range(h):
        f, row = raw[r, 0], raw[r, 1:]
        if f == 0:
            codes[r] = row
        elif f == 1:
            codes[r] = np.cumsum(row, dtype=np.uint64) % 256
        elif f == 2:
            codes[r] = row + (codes[r - 1] if r else 0)
        else:
            raise ValueError(f"PNG filter type {f} is not one this module writes")
    return codes, np.frombuffer(chunks[b"PLTE"], dtype=np.uint8).reshape(-1, 3)


# --- the decision boundary -------------------------------------------------------


def boundary(V: np.ndarray, level: float = 0.5) -> list[np.ndarray]:
    """Polylines where the grid values V (n, n) cross ``level``, as (k, 2) arrays of
    (column, row) in cells from the grid's first point: marching squares, each crossing
    linearly interpolated on its cell side, a saddle split by the cell's mean. A value
    equal to the level counts as below it, as the course's ŷ = 1 only where a > 0.5."""
    above = V > level
    n_r, n_c = V.shape
    # A crossing on each grid side whose ends differ, keyed ('h', r, c): between (r, c)
    # and (r, c+1); ('v', r, c): between (r, c) and (r+1, c).
    point: dict[tuple[str, int, int], tuple[float, float]] = {}
    for r, c in zip(*np.nonzero(above[:, :-1] != above[:, 1:])):
        t = (level - V[r, c]) / (V[r, c + 1] - V[r, c])
        point[("h", r, c)] = (c + t, float(r))
    for r, c in zip(*np.nonzero(above[:-1, :] != above[1:, :])):
        t = (level - V[r, c]) / (V[r + 1, c] - V[r, c])
        point[("v", r, c)] = (float(c), r + t)
    links: dict[tuple[str, int, int], list[tuple[str, int, int]]] = {k: [] for k in point}
    for r in range(n_r - 1):
        for c in range(n_c - 1):
            sides = [s for s in (("h", r, c), ("v", r, c + 1), ("h", r + 1, c), ("v", r, c))
                     if s in point]
            if len(sides) == 4:  # a saddle: join the sides around the corner unlike the mean
                centre = V[r:r + 2, c:c + 2].mean() > level
                pairs = ([(sides[0], sides[1]), (sides[2], sides[3])]
                         if above[r, c + 1] != centre else
                         [(sides[3], sides[0]), (sides[1], sides[2])])
            elif len(sides) == 2:
                pairs = [(sides[0], sides[1])]
            else:
                pairs = []
            for a, b in pairs:
                links[a].append(b)
                links[b].append(a)
    lines, used = [], set()
    # Open lines first (from an end on the grid's border), then the closed ones.
    starts = [k for k in point if len(links[k]) < 2] + list(point)
    for start in starts:
        if start in used:
            continue
        chain, at = [start], start
        used.add(start)
        while True:
            nxt = [k for k in links[at] if k not in used]
            if not nxt:
                break
            at = nxt[0]
            used.add(at)
            chain.append(at)
        if len(chain) > 1 and start in links[at] and len(chain) > 2:
            chain.append(start)  # a closed loop
        if len(chain) > 1:
            lines.append(np.array([point[k] for k in chain]))
    return lines


# --- what a unit computes, in the course's notation ------------------------------


def signed(x: float) -> str:
    """A number as :func:`~.notation.number` writes it, with the minus sign −."""
    return number(x).replace("-", "−")


def _vector(v: np.ndarray) -> str:
    return "[" + ", ".join(signed(x) for x in np.ravel(v)) + "]"


def _linear_text(w: np.ndarray, b: float, inputs: list[str]) -> str:
    """0.31·x₁ − 1.2·x₂ + 0.05: each term with its sign, the bias last."""
    text = ""
    for k, (wk, name) in enumerate(zip(w, inputs)):
        sign = ("−" if wk < 0 else "") if k == 0 else (" − " if wk < 0 else " + ")
        text += f"{sign}{number(abs(wk))}·{name}"
    return text + (" − " if b < 0 else " + ") + number(abs(b))


def g_name(g: str) -> str:
    """g as the course writes it: σ, tanh, ReLU, leaky ReLU, linear."""
    return _G_TEXT.get(g, g)


def input_names(l: int, n_prev: int) -> list[str]:
    """x₁, x₂ into layer 1; a[l-1]_1, ... into layer l."""
    if l == 1:
        return [f"x{str(k).translate(_SUBSCRIPT)}" for k in range(1, n_prev + 1)]
    return [f"a[{l - 1}]_{k}" for k in range(1, n_prev + 1)]


def unit_lines(l: int, j: int, g: str, slope: float, w: np.ndarray, b: float,
               dw: np.ndarray, db: float) -> list[str]:
    """Unit j of layer l (both from 1) at one iteration: a[l]_j = g(w[l]_jᵀ a[l-1] + b[l]_j)
    with its numbers, then its gradients dW[l]_j, db[l]_j."""
    inner = _linear_text(np.ravel(w), b, input_names(l, len(np.ravel(w))))
    if g == "linear":
        formula = f"a[{l}]_{j} = {inner}"
    elif g == "leaky_relu":
        formula = f"a[{l}]_{j} = max({number(slope)}·z, z),  z = {inner}"
    else:
        formula = f"a[{l}]_{j} = {g_name(g)}({inner})"
    return [
        formula,
        f"    w[{l}]_{j}ᵀ = row {j} of W[{l}] = {_vector(w)},  b[{l}]_{j} = {signed(b)}",
        f"    dW[{l}]_{j} = {_vector(dw)}",
        f"    db[{l}]_{j} = {signed(db)}",
    ]


def unit_notes(l: int, j: int, g: str, m: int, lo: float, hi: float) -> list[str]:
    """What stays the same at every iteration: what g is, where the gradients come from
    (rows of the course's dW[l] = (1/m) dZ[l] A[l-1]ᵀ, db[l] = (1/m) Σ dZ[l] on the m
    training examples), and the unit's colour scale."""
    A_prev = "X" if l == 1 else f"A[{l - 1}]"
    lines = [_G_MEANING[g]] if g in _G_MEANING else []
    return lines + [
        f"dW[{l}]_{j}, db[{l}]_{j}: row {j} of dW[{l}] = (1/m) dZ[{l}] {A_prev}ᵀ and of "
        f"db[{l}] = (1/m) Σ dZ[{l}], on the m = {m} training examples",
        f"colour: {signed(lo)} orange … {signed((lo + hi) / 2)} white … {signed(hi)} blue",
    ]


# --- every recorded iteration -------------------------------------------------------


@dataclass
class Frame:
    """One recorded iteration, as floats: W[l], b[l] (the recorder's copy), A[l] over the
    plane's grid (n[l], n·n), dW[l], db[l] on the training set, the accuracies (None
    without 0/1 labels or test data) and the decision boundary in grid cells."""

    iteration: int
    cost: float
    W: list[np.ndarray]
    b: list[np.ndarray]
    maps: list[np.ndarray]
    dW: list[np.ndarray]
    db: list[np.ndarray]
    train_accuracy: float | None
    test_accuracy: float | None
    boundary: list[np.ndarray]


def _accuracy(model: Any, X: np.ndarray, Y: np.ndarray) -> float | None:
    """The fraction with (a[L] > 0.5) = y, the course's predict; None unless Y is 0/1."""
    if not np.isin(Y, (0, 1)).all():
        return None
    with graph.no_grad():
        A = np.asarray(graph.data(model.forward(X)))
    return float(np.mean((A > 0.5) == Y))


def frames_of(recorder: Any, model: Any, layers: list[Layer], plane: Plane,
              test: tuple[np.ndarray, np.ndarray] | None, keep: list[int]) -> tuple[
                  list[Frame], list[str], list[float]]:
    """The recorder's snapshots ``keep`` as Frames, with each layer's g and leaky slope:
    the saved parameters put into a copy of the model (the model itself is not touched),
    its forward on the grid, its cost and backward on the recorder's (X, Y)."""
    shadow = copy.deepcopy(model)
    params = shadow.parameters()
    X, Y = recorder.X, recorder.Y
    P = plane.points()
    L = len(layers)
    frames, gs, slopes = [], [], []
    with graph.set_grad_enabled(True):  # the forward graph is read for A[l]
        for k in keep:
            iteration, cost, values = recorder.snapshots[k]
            if len(values) != len(params) or any(
                    np.shape(v) != tuple(graph.shape(p)) for p, v in zip(params, values)):
                raise ValueError(
                    f"the recorder's iteration {iteration} holds parameters of shapes "
                    f"{[np.shape(v) for v in values]}, not this model's "
                    f"{[tuple(graph.shape(p)) for p in params]}: record this model")
            for p, v in zip(params, values):
                p.data = np.array(v, dtype=np.float64, copy=True)
            graph.zero_grad(params)
            shadow.cost(X, Y).backward()
            found = activations(shadow, P, L)
            gs, slopes = [g for _, g, _ in found], [s for _, _, s in found]
            maps = [a for a, _, _ in found]
            out = maps[-1].reshape(plane.n, plane.n)
            frames.append(Frame(
                iteration, cost,
                [np.array(values[q.W_index], dtype=np.float64) for q in layers],
                [np.array(values[q.b_index], dtype=np.float64) for q in layers],
                maps,
                [np.array(graph.grad(params[q.W_index])) for q in layers],
                [np.array(graph.grad(params[q.b_index])) for q in layers],
                _accuracy(shadow, X, Y),
                None if test is None else _accuracy(shadow, *test),
                boundary(out, 0.5)))
    return frames, gs, slopes
