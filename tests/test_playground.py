"""The playground's numbers, held to the course's equations in plain numpy
(``micrograd_dls.reference``) at every recorded iteration: the maps are A[l] on the
plane, the edges are W[l], a unit's text is its formula with its numbers, its
gradients are the course's dW[l], db[l] on the training set."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import pytest

from micrograd_dls import nn, reference
from micrograd_dls.data import planar_flower
from micrograd_dls.viz import Playground, TrainingRecorder, playground
from micrograd_dls.viz.playground import kept, tile
from micrograd_dls.viz.playground_data import (
    BLUE,
    LEVELS,
    ORANGE,
    Plane,
    boundary,
    palette,
    png,
    quantise,
    read_png,
)


def trained(dims=(2, 4, 1), hidden="tanh", at=range(0, 200, 20), iterations=200, X=None,
            Y=None, **init):
    """The planar notebook's network, recorded at ``at`` (fit calls back every 10)."""
    if X is None:
        X, Y = planar_flower()
    rec = TrainingRecorder(X, Y, at=at)
    model = nn.MLP(list(dims), hidden, **({"init": "small", "seed": 2} | init))
    model.fit(X, Y, learning_rate=1.2 if hidden == "tanh" else 0.3, num_iterations=iterations,
              print_every=10, callbacks=[rec])
    return rec, model


@pytest.fixture(scope="module")
def planar():
    X_test, Y_test = planar_flower(100, seed=3)
    rec, model = trained()
    return rec, model, playground(rec, model, X_test=X_test, Y_test=Y_test), (X_test, Y_test)


def course_parameters(values):
    """The recorder's [W[1], b[1], W[2], b[2], ...] as the course's dict {"W1": ..., ...}."""
    return {f"{'Wb'[k % 2]}{k // 2 + 1}": v for k, v in enumerate(values)}


def course_activations(P, parameters, hidden):
    """A[1], ..., A[L] by the course's L_model_forward (each cache holds its A[l-1])."""
    AL, caches = reference.L_model_forward(P, parameters, hidden, "sigmoid")
    return [cache[0][0] for cache in caches[1:]] + [AL]


def the_json(page: Playground) -> dict:
    html = page.to_html()
    return json.loads(re.search(r'class="mgp-data">(.*?)</script>', html, re.S).group(1))


def decoded(url: str) -> bytes:
    assert url.startswith("data:image/png;base64,")
    return base64.b64decode(url.split(",", 1)[1])


# --- the maps --------------------------------------------------------------------


def test_each_map_is_the_course_forward_of_the_recorded_parameters(planar):
    rec, _, page, _ = planar
    P = page.plane.points()
    assert [f.iteration for f in page.frames] == list(range(0, 200, 20))
    assert len(page.frames) == len(rec.snapshots) == 10
    for frame, (iteration, _, values) in zip(page.frames, rec.snapshots):
        expected = course_activations(P, course_parameters(values), "tanh")
        assert frame.iteration == iteration
        assert [a.shape for a in frame.maps] == [(4, 1600), (1, 1600)]
        for got, want in zip(frame.maps, expected):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)


def test_the_plane_is_a_square_around_the_data_read_as_a_picture(planar):
    rec, _, page, (X_test, _) = planar
    plane = page.plane
    P = plane.points()
    points = np.hstack([rec.X, X_test])
    assert plane.n == 40 and P.shape == (2, 1600)
    assert plane.x1[1] - plane.x1[0] == pytest.approx(plane.x2[1] - plane.x2[0])
    for axis, (lo, hi) in enumerate((plane.x1, plane.x2)):
        assert lo < points[axis].min() and points[axis].max() < hi
    # Cell centres, row 0 at the top: x₁ grows along a row, x₂ falls down a column.
    h = plane.cell
    assert P[0, 0] == pytest.approx(plane.x1[0] + h / 2)
    assert P[1, 0] == pytest.approx(plane.x2[1] - h / 2)
    assert P[0, 39] == pytest.approx(plane.x1[1] - h / 2) and P[1, 39] == P[1, 0]
    assert P[1, 40] == pytest.approx(P[1, 0] - h) and P[0, 40] == P[0, 0]
    col, row = plane.to_grid(P[0, 41], P[1, 41])
    assert (col, row) == (pytest.approx(1.5), pytest.approx(1.5))


def test_the_pictures_decode_to_the_maps_within_half_a_quantum(planar):
    _, _, page, _ = planar
    data = the_json(page)
    n = page.plane.n
    for k, frame in enumerate(page.frames):
        assert decoded(data["frames"][k]["map"]) == page.sprites[k]
        codes, colours = read_png(page.sprites[k])
        assert codes.shape == (n, len(page.units) * (n + 2))
        assert np.array_equal(colours, palette())
        maps = [frame.maps[l - 1][j - 1] for l, j in page.units]
        for u, (values, (lo, hi)) in enumerate(zip(maps, page.ranges)):
            quantum = (hi - lo) / (LEVELS - 1)
            back = lo + tile(codes, u, n).astype(float) * quantum
            assert np.max(np.abs(back - values.reshape(n, n))) <= quantum / 2 + 1e-12
    # tanh units on [-1, 1], the sigmoid output on [0, 1]: one scale at every iteration.
    assert page.ranges == [(-1.0, 1.0)] * 4 + [(0.0, 1.0)]
    codes, _ = read_png(page.inputs_png)
    P = page.plane.points()
    for i, (lo, hi) in enumerate(page.input_ranges):
        assert (lo, hi) == (-np.abs(P[i]).max(), np.abs(P[i]).max())
        back = lo + tile(codes, i, n) * (hi - lo) / 255
        assert np.max(np.abs(back - P[i].reshape(n, n))) <= (hi - lo) / 255 / 2 + 1e-12


def test_png_round_trip_with_every_filter_and_the_palette():
    rng = np.random.default_rng(0)
    smooth = np.add.outer(np.arange(30), np.arange(50)).astype(np.uint8)  # Sub and Up pay
    noisy = rng.integers(0, 256, size=(30, 50), dtype=np.uint8)  # None pays
    stripes = np.tile(rng.integers(0, 256, size=(1, 50), dtype=np.uint8), (30, 1))  # Up
    for codes in (smooth, noisy, stripes, np.vstack([smooth, noisy, stripes])):
        data = png(codes, palette())
        back, colours = read_png(data)
        assert np.array_equal(back, codes) and np.array_equal(colours, palette())
    raw = np.frombuffer(__import__("zlib").decompress(
        png(np.vstack([smooth, noisy, stripes]), palette())[8 + 25 + 12 + 768 + 8:-16]),
        dtype=np.uint8).reshape(90, 51)
    assert set(raw[:, 0]) == {0, 1, 2}  # each filter was chosen somewhere
    bad = bytearray(png(smooth, palette()))
    bad[-20] ^= 1
    with pytest.raises(ValueError, match="CRC"):
        read_png(bytes(bad))


def test_the_palette_runs_orange_white_blue_and_codes_round():
    colours = palette()
    assert tuple(colours[0]) == ORANGE and tuple(colours[-1]) == BLUE
    assert colours[127].min() > 250 and colours[128].min() > 250  # the middle is white
    assert list(quantise(np.array([-1.0, -1 + 1 / 255 * 0.49, 0.0, 1.0, 7.0]), -1, 1)) == \
        [0, 0, 128, 255, 255]


# --- edges, boundary, text ----------------------------------------------------------


def test_the_edges_are_the_weights(planar):
    _, _, page, _ = planar
    data = the_json(page)
    for frame, shown in zip(page.frames, data["frames"]):
        expected = [(float(frame.W[0][j, i]), l) for l in (1,) for j in range(4)
                    for i in range(2)] + [(float(frame.W[1][0, i]), 2) for i in range(4)]
        assert [e[0] for e in shown["edges"]] == [w for w, _ in expected]
        for w, _, colour, title in shown["edges"]:
            assert colour == ("#0877bd" if w >= 0 else "#f59322")
            assert title.endswith(f"= {f'{w:.4g}'.replace('-', '−')}")
    # The width grows with |w|, on one scale for the whole recording: 0.5 px for w = 0,
    # 6.5 px for the largest |w| at any recorded iteration.
    w_max = max(float(np.abs(W).max()) for f in page.frames for W in f.W)
    for shown in data["frames"]:
        for w, width, _, _ in shown["edges"]:
            assert float(width) == pytest.approx(0.5 + 6 * abs(w) / w_max, abs=0.005)
    widest = max(float(e[1]) for f in data["frames"] for e in f["edges"])
    assert widest == pytest.approx(6.5, abs=0.005)
    titles = [e[3] for e in data["frames"][-1]["edges"]]
    assert titles[1].startswith("W[1]_12 = ") and titles[-1].startswith("W[2]_14 = ")


def test_the_decision_boundary_is_where_the_output_crosses_one_half(planar):
    rec, _, page, _ = planar
    plane = page.plane
    n = plane.n
    shadow = nn.MLP([2, 4, 1], "tanh")
    for frame, (_, _, values) in zip(page.frames, rec.snapshots):
        V = frame.maps[-1].reshape(n, n)
        assert frame.boundary, "the flower's network splits the plane"
        for line in frame.boundary:
            for c, r in line:
                # On a cell side: linear between its two grid values, exactly a = 0.5.
                c0, r0 = int(np.floor(c)), int(np.floor(r))
                tc, tr = c - c0, r - r0
                assert tc == 0 or tr == 0
                a, b = V[r0, c0], (V[r0, c0 + 1] if tr == 0 else V[r0 + 1, c0])
                t = tc if tr == 0 else tr
                assert a + t * (b - a) == pytest.approx(0.5, abs=1e-12)
        # And the model itself gives about 0.5 there (to the grid's resolution).
        shadow.load_state_dict(course_parameters(values))
        pts = np.vstack([np.concatenate([plane.x1[0] + (line[:, 0] + 0.5) * plane.cell
                                         for line in frame.boundary]),
                         np.concatenate([plane.x2[1] - (line[:, 1] + 0.5) * plane.cell
                                         for line in frame.boundary])])
        assert np.max(np.abs(shadow.predict_proba(pts) - 0.5)) < 0.08
        # Every side of the grid whose ends lie on both sides of 0.5 is crossed once.
        above = V > 0.5
        sides = int((above[:, 1:] != above[:, :-1]).sum() + (above[1:] != above[:-1]).sum())
        ends = {tuple(p) for line in frame.boundary for p in line}
        assert len(ends) == sides


def test_marching_squares_on_a_circle_and_a_saddle():
    r, c = np.mgrid[0:21, 0:21]
    disc = np.hypot(r - 10, c - 10)
    (ring,) = boundary(disc, 6.0)
    assert np.array_equal(ring[0], ring[-1])  # closed
    assert np.allclose(np.hypot(ring[:, 0] - 10, ring[:, 1] - 10), 6.0, atol=0.15)
    line = boundary(np.tile(np.arange(5.0), (4, 1)), 2.5)  # a straight open line
    assert len(line) == 1 and np.allclose(line[0][:, 0], 2.5) and len(line[0]) == 4
    # A saddle: the corners (0, 0) and (1, 1) high. With the cell's mean 0.5 above the
    # level the high corners join through the middle, and the low ones are cut off; at or
    # below it (a = 0.5 is ŷ = 0 in the course), the high ones are cut off.
    saddle = np.array([[1.0, 0.0], [0.0, 1.0]])
    for level, cut in ((0.4, [{(0.6, 0.0), (1.0, 0.4)}, {(0.4, 1.0), (0.0, 0.6)}]),
                       (0.5, [{(0.0, 0.5), (0.5, 0.0)}, {(1.0, 0.5), (0.5, 1.0)}]),
                       (0.6, [{(0.0, 0.4), (0.4, 0.0)}, {(1.0, 0.6), (0.6, 1.0)}])):
        lines = [{tuple(np.round(p, 9)) for p in ln} for ln in boundary(saddle, level)]
        assert sorted(lines, key=sorted) == sorted(cut, key=sorted)
    assert boundary(np.zeros((5, 5)), 0.5) == []


def fmt(x: float) -> str:
    """A number as the course's pages write it: four significant digits, the minus −."""
    return "0" if x == 0 else f"{x:.4g}".replace("-", "−")


def term(w: float, name: str, first: bool) -> str:
    if first:
        return f"{'−' if w < 0 else ''}{fmt(abs(w))}·{name}"
    return f" {'−' if w < 0 else '+'} {fmt(abs(w))}·{name}"


def test_a_units_text_is_its_formula_with_the_numbers_and_its_gradients(planar):
    rec, _, page, _ = planar
    X, Y = rec.X, rec.Y
    for k in (0, 5, len(page.frames) - 1):
        values = rec.snapshots[k][2]
        p = course_parameters(values)
        AL, caches = reference.L_model_forward(X, p, "tanh", "sigmoid")
        grads = reference.L_model_backward(AL, Y, caches, "tanh", "sigmoid")
        frame = page.frames[k]
        for l in (1, 2):
            np.testing.assert_allclose(frame.dW[l - 1], grads[f"dW{l}"], rtol=0, atol=1e-12)
            np.testing.assert_allclose(frame.db[l - 1], grads[f"db{l}"], rtol=0, atol=1e-12)
        # a[1]_2: row 2 of W[1] on x₁, x₂.
        w, b = p["W1"][1], p["b1"][1, 0]
        lines = page.text[k][1]
        assert lines == [
            f"a[1]_2 = tanh({term(w[0], 'x₁', True)}{term(w[1], 'x₂', False)}"
            f" {'−' if b < 0 else '+'} {fmt(abs(b))})",
            f"    w[1]_2ᵀ = row 2 of W[1] = [{fmt(w[0])}, {fmt(w[1])}],  b[1]_2 = {fmt(b)}",
            f"    dW[1]_2 = [{fmt(grads['dW1'][1, 0])}, {fmt(grads['dW1'][1, 1])}]",
            f"    db[1]_2 = {fmt(grads['db1'][1, 0])}"]
        # The output a[2]_1 on a[1]_1 .. a[1]_4.
        w, b = p["W2"][0], p["b2"][0, 0]
        inner = "".join(term(w[i], f"a[1]_{i + 1}", i == 0) for i in range(4))
        lines = page.text[k][4]
        assert lines[0] == f"a[2]_1 = σ({inner} {'−' if b < 0 else '+'} {fmt(abs(b))})"
        assert lines[2] == f"    dW[2]_1 = [{', '.join(fmt(g) for g in grads['dW2'][0])}]"
    # At iteration 0 the course's start: b[1] = 0, written "+ 0".
    assert page.text[0][0][0].endswith("·x₂ + 0)")
    # What stays the same: g, where the gradients come from, the colour scale.
    assert page.notes[1] == [
        "tanh(z) = (eᶻ − e⁻ᶻ)/(eᶻ + e⁻ᶻ)",
        "dW[1]_2, db[1]_2: row 2 of dW[1] = (1/m) dZ[1] Xᵀ and of db[1] = (1/m) Σ dZ[1], on "
        "the m = 400 training examples",
        "colour: −1 orange … 0 white … 1 blue"]
    assert page.notes[4] == [
        "σ(z) = 1/(1 + e⁻ᶻ)",
        "dW[2]_1, db[2]_1: row 1 of dW[2] = (1/m) dZ[2] A[1]ᵀ and of db[2] = (1/m) Σ dZ[2], "
        "on the m = 400 training examples",
        "colour: 0 orange … 0.5 white … 1 blue"]
    assert the_json(page)["notes"] == page.notes


def test_the_status_is_the_recorded_cost_and_the_course_accuracy(planar):
    rec, _, page, (X_test, Y_test) = planar
    data = the_json(page)
    for k, (frame, shown) in enumerate(zip(page.frames, data["frames"])):
        iteration, cost, values = rec.snapshots[k]
        p = course_parameters(values)
        AL, _ = reference.L_model_forward(rec.X, p, "tanh", "sigmoid")
        assert reference.compute_cost(AL, rec.Y) == pytest.approx(cost, abs=1e-12)
        train = np.mean(reference.predict(rec.X, p, "tanh") == rec.Y)
        test = np.mean(reference.predict(X_test, p, "tanh") == Y_test)
        assert (frame.train_accuracy, frame.test_accuracy) == (train, test)
        assert shown["status"] == [
            f"iteration {iteration} of 199",
            f"cost J = {cost:.6g} on the 400 training examples",
            f"train accuracy {100 * train:.1f} %,  test accuracy {100 * test:.1f} %"]
        assert shown["count"] == f"iteration {iteration} ({k + 1} of 10 recorded)"
        assert shown["units"] == page.text[k]
    assert page.frames[-1].train_accuracy > 0.6


def test_the_model_is_not_touched():
    rec, model = trained(at=[0, 100])
    before = [(p.data.copy(), p.grad.copy()) for p in model.parameters()]
    playground(rec, model)
    for (data, grad), p in zip(before, model.parameters()):
        assert np.array_equal(data, p.data) and np.array_equal(grad, p.grad)


# --- other networks, a learner's own data ---------------------------------------------


def test_a_deep_relu_network_and_its_colour_scale():
    rec, model = trained((2, 5, 3, 1), "relu", at=[0, 50, 150], init="deep", seed=1)
    page = playground(rec, model)
    P = page.plane.points()
    for frame, (_, _, values) in zip(page.frames, rec.snapshots):
        for got, want in zip(frame.maps, course_activations(P, course_parameters(values),
                                                            "relu")):
            np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    # A ReLU unit's scale: ±(its largest activation over the plane, at any iteration).
    for u, (l, j) in enumerate(page.units[:-1]):
        r = max(float(np.abs(f.maps[l - 1][j - 1]).max()) for f in page.frames) or 1.0
        assert page.ranges[u] == (-r, r)
    assert page.text[0][0][0].startswith("a[1]_1 = ReLU(")
    assert page.notes[0][0] == "ReLU(z) = max(0, z)"
    assert page.text[0][5][0].startswith("a[2]_1 = ReLU(") and "·a[1]_5" in page.text[0][5][0]
    assert page.units == [(1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (2, 1), (2, 2), (2, 3),
                          (3, 1)]
    assert page.title == "the network [2, 5, 3, 1] learning: g[1] = ReLU, g[2] = ReLU, g[3] = σ"


def test_logistic_regression_on_a_learners_own_points_with_int_labels():
    rng = np.random.default_rng(7)
    X = np.hstack([rng.normal(-1, 0.6, (2, 30)), rng.normal(1.5, 0.6, (2, 30))]) * [[3], [1]]
    Y = np.repeat([0, 1], 30).reshape(1, 60)  # ints, as a learner may have them
    rec = TrainingRecorder(X, Y, at=[0, 5, 40])
    model = nn.LogisticRegression(2)
    model.fit(X, Y, learning_rate=0.5, num_iterations=50, print_every=5, callbacks=[rec])
    page = playground(rec, model)
    assert page.units == [(1, 1)] and [f.iteration for f in page.frames] == [0, 5, 40]
    assert page.legend.endswith("orange y = 0.")  # no test data, no word of it
    assert page.frames[0].test_accuracy is None and len(page.page[0]["status"]) == 3
    w, b = rec.snapshots[2][2]
    line = page.text[2][0][0]
    assert line == (f"a[1]_1 = σ({term(w[0, 0], 'x₁', True)}{term(w[0, 1], 'x₂', False)} "
                    f"{'−' if b[0, 0] < 0 else '+'} {fmt(abs(b[0, 0]))})")
    # The course's week 2: dw = (1/m) X (A - Y)ᵀ, db = (1/m) Σ (A - Y).
    grads, _ = reference.propagate(w.T, float(b[0, 0]), X, Y)
    np.testing.assert_allclose(page.frames[2].dW[0], grads["dw"].T, rtol=0, atol=1e-12)
    assert page.frames[2].db[0][0, 0] == pytest.approx(grads["db"], abs=1e-12)
    assert page.frames[0].train_accuracy == 0.5  # w = 0: a = 0.5 everywhere, ŷ = 0
    # The plane is square around points that are wider than tall: nothing is squashed.
    assert page.plane.x1[1] - page.plane.x1[0] == pytest.approx(
        page.plane.x2[1] - page.plane.x2[0])


def test_leaky_relu_and_a_linear_output_are_written_as_the_course_writes_them():
    X, Y = planar_flower(40)
    rec = TrainingRecorder(X, Y, at=[0])
    model = nn.MLP([2, 3, 1], "leaky_relu", "linear", seed=1)
    model.fit(X, Y, learning_rate=0.01, num_iterations=1, print_every=1, callbacks=[rec])
    page = playground(rec, model)
    first = page.text[0][0][0]
    W, b = rec.snapshots[0][2][0], rec.snapshots[0][2][1]
    assert b[0, 0] == 0  # the course's start
    assert first == (f"a[1]_1 = max(0.01·z, z),  z = {term(W[0, 0], 'x₁', True)}"
                     f"{term(W[0, 1], 'x₂', False)} + 0")
    assert page.text[0][3][0].startswith("a[2]_1 = ") and "σ" not in page.text[0][3][0]
    P = page.plane.points()
    p = course_parameters(rec.snapshots[0][2])
    AL, caches = reference.L_model_forward(P, p, "leaky_relu", "linear")
    np.testing.assert_allclose(page.frames[0].maps[1], AL, rtol=0, atol=1e-12)
    assert page.frames[0].train_accuracy is not None  # 0/1 labels: the course's ŷ = a > 0.5


# --- limits and errors -------------------------------------------------------------


def test_50_recorded_iterations_of_the_planar_network_stay_under_one_megabyte(tmp_path):
    X, Y = planar_flower()
    rec = TrainingRecorder(X, Y, at=range(0, 2500, 50))
    model = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    model.fit(X, Y, learning_rate=1.2, num_iterations=2500, print_every=50, callbacks=[rec])
    page = playground(rec, model)
    assert len(page.frames) == 50
    path = page.save(tmp_path / "planar.html")
    size = path.stat().st_size
    assert size < 1_000_000, size  # about 0.5 MB: 50 palette PNGs of 5 maps and the text
    assert page.frames[-1].train_accuracy > 0.85  # the notebook's result, drawn


def test_many_snapshots_are_thinned_evenly_keeping_the_first_and_last():
    assert kept(5, 10) == [0, 1, 2, 3, 4]
    assert kept(101, 5) == [0, 25, 50, 75, 100]
    rec, model = trained(at=None, iterations=300)  # every call of fit: 0, 10, ..., 290, 299
    assert len(rec.snapshots) == 31
    page = playground(rec, model, max_frames=4)
    assert [f.iteration for f in page.frames] == [0, 100, 200, 299]
    assert len(the_json(page)["frames"]) == 4


def test_a_model_of_more_than_two_inputs_is_refused_with_the_reason():
    X = np.random.default_rng(0).normal(size=(3, 20))
    Y = (X[:1] > 0).astype(float)
    rec = TrainingRecorder(X, Y, at=[0])
    model = nn.MLP([3, 4, 1], "tanh", seed=1)
    model.fit(X, Y, learning_rate=0.1, num_iterations=1, callbacks=[rec])
    with pytest.raises(ValueError, match=r"two input features \(x₁, x₂\).*n_x = 2; this one "
                                         r"has n_x = 3"):
        playground(rec, model)


def test_other_wrong_input_is_named():
    rec, model = trained(at=[0], iterations=10)
    with pytest.raises(ValueError, match="n\\[L\\] = 2 outputs"):
        playground(rec, nn.MLP([2, 3, 2], "tanh", seed=1))
    with pytest.raises(TypeError, match="expected a TrainingRecorder"):
        playground({"X": 1}, model)
    with pytest.raises(TypeError, match="W\\[1\\], b\\[1\\]"):
        playground(rec, nn.scalar.MLP([2, 3, 1], "tanh", seed=4))
    with pytest.raises(ValueError, match="no iteration yet"):
        playground(TrainingRecorder(rec.X, rec.Y), model)
    with pytest.raises(ValueError, match="grid = 1; give an int from 2 to 200"):
        playground(rec, model, grid=1)
    with pytest.raises(ValueError, match="both X_test and Y_test"):
        playground(rec, model, X_test=rec.X)
    with pytest.raises(ValueError, match=r"X_test \(400, 2\)"):
        playground(rec, model, X_test=rec.X.T, Y_test=rec.Y)
    with pytest.raises(ValueError, match="not this model's"):
        playground(rec, nn.MLP([2, 3, 1], "tanh", seed=1))
    with pytest.raises(ValueError, match="end in .html"):
        playground(rec, model).save("page.svg")


# --- the page ----------------------------------------------------------------------


def test_without_scripts_the_page_shows_the_last_iteration(planar):
    _, _, page, _ = planar
    last = the_json(page)["frames"][-1]
    html = page.to_html()
    net = html[html.index('<svg class="mgp-svg"'):html.index('<div class="mgp-side">')]
    # One picture of every map, which each unit's square shows a tile of.
    hrefs = re.findall(r'<image id="mgp-page-maps" class="mgp-map"[^>]*href="([^"]*)"', net)
    assert hrefs == [last["map"]] and net.count("<image ") == 2
    assert net.count('<use href="#mgp-page-maps"/>') == 5 + 1  # five units, the big map
    assert net.count('<use href="#mgp-page-inputs"/>') == 2
    widths = re.findall(r'class="mgp-edge"[^>]*stroke-width="([^"]*)"', net)
    assert widths == [e[1] for e in last["edges"]]
    assert f'class="mgp-boundary" d="{last["boundary"]}"' in net
    assert "\n".join(last["status"]) in html
    assert 'class="mgp-sofar" points="' + last["sofar"] in html
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_two_playgrounds_in_one_notebook_keep_to_their_own_element(planar):
    _, _, page, _ = planar
    a, b = page._repr_html_(), page._repr_html_()
    ida = re.search(r'<div class="mgp" id="([^"]+)"', a).group(1)
    idb = re.search(r'<div class="mgp" id="([^"]+)"', b).group(1)
    assert ida != idb and f"#{ida} " in a and f'getElementById("{ida}")' in a
    assert "#ROOT" not in a and "MGP-ROOT" not in a
    assert f'<image id="{ida}-maps"' in a and f'href="#{ida}-maps"' in a


def test_a_test_set_is_drawn_hollow(planar):
    _, _, page, (X_test, _) = planar
    html = page.to_html()
    assert page.legend.endswith("hollow points: the test data.")
    test = re.search(r'<g class="mgp-test">(.*?)</g>', html).group(1)
    assert test.count("<circle") == X_test.shape[1] and test.count('fill="#fff"') == 100
    train = re.search(r'<g class="mgp-train">(.*?)</g>', html).group(1)
    assert train.count("<circle") == 400
    # Points sit where the plane puts them: the first training point's centre.
    plane, (x1, x2) = page.plane, planar[0].X[:, 0]
    col, row = plane.to_grid(x1, x2)
    cx, cy = (float(v) for v in re.search(r'cx="([^"]+)" cy="([^"]+)"', train).groups())
    scale, big_x, big_y = 300 / plane.n, *map(float, re.search(
        r'mgp-big".*?<svg x="([^"]+)" y="([^"]+)"', html).groups())
    assert (cx, cy) == (pytest.approx(big_x + col * scale, abs=0.06),
                        pytest.approx(big_y + row * scale, abs=0.06))


def test_plane_of_one_point_is_not_empty():
    plane = Plane.around(np.array([[1.0], [2.0]]), n=4)
    assert plane.x1[0] < 1.0 < plane.x1[1] and plane.x2[0] < 2.0 < plane.x2[1]


def test_parameters_that_are_not_the_courses_layers_are_named():
    from micrograd_dls.tensor import Tensor

    class Odd:  # W[1], b[1] and a lone W[2]
        def __init__(self, names):
            self.params = [Tensor(np.zeros(s), requires_grad=True, label=n)
                           for n, s in names]

        def parameters(self):
            return self.params

        def forward(self, X):
            return X

        def cost(self, X, Y):
            return X

    rec, _ = trained(at=[0], iterations=10)
    lone = Odd([("W[1]", (3, 2)), ("b[1]", (3, 1)), ("W[2]", (1, 3))])
    with pytest.raises(TypeError, match=r"do not hold W\[2\] and b\[2\]"):
        playground(rec, lone)
    skewed = Odd([("W[1]", (3, 2)), ("b[1]", (3, 1)), ("W[2]", (1, 4)), ("b[2]", (1, 1))])
    with pytest.raises(TypeError, match=r"W\[2\] has shape \(1, 4\).*\(n\[2\], n\[1\]\)"):
        playground(rec, skewed)
    with pytest.raises(TypeError, match="parameters\\(\\), forward\\(X\\) and cost"):
        playground(rec, object())


def test_the_playground_says_what_it_is_where_no_html_is_shown():
    from micrograd_dls import nn, viz
    from micrograd_dls.data import planar_flower

    X, Y = planar_flower(m=40)
    model = nn.MLP([2, 3, 1], "tanh", init="small", seed=2)
    rec = viz.TrainingRecorder(X, Y, at=[0, 5, 9])
    model.fit(X, Y, learning_rate=1.2, num_iterations=10, print_every=1, callbacks=[rec])
    page = viz.playground(rec, model)
    bundle = page._repr_mimebundle_()
    assert bundle["text/plain"] == repr(page)[len("<Playground: "):-1] == page.summary()
    assert "an interactive page of 3 recorded iterations" in bundle["text/plain"]
    assert bundle["text/html"].startswith('<div class="mgp"')


def test_save_html_writes_a_playground_as_it_writes_a_stepper(tmp_path):
    from micrograd_dls import nn, viz
    from micrograd_dls.data import planar_flower

    X, Y = planar_flower(m=40)
    model = nn.MLP([2, 3, 1], "tanh", init="small", seed=2)
    rec = viz.TrainingRecorder(X, Y, at=[0, 9])
    model.fit(X, Y, learning_rate=1.2, num_iterations=10, print_every=1, callbacks=[rec])
    page = viz.playground(rec, model)
    path = viz.save_html(page, tmp_path / "pg.html")
    assert path.read_text(encoding="utf-8") == page.to_html()
    assert 'id="mgp-page"' in page.to_html()
    with pytest.raises(TypeError, match="step_through.*playground.*got 'str'"):
        viz.save_html("page", tmp_path / "x.html")
