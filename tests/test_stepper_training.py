"""Training over time: the recorder keeps what was asked, the page walks it."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from micrograd_dls import nn
from micrograd_dls.data import planar_flower
from micrograd_dls.viz import TrainingRecorder, save_html, training_page


def test_the_planar_network_over_recorded_iterations(tmp_path):
    X, Y = planar_flower()
    at = [0, 50, 199]
    rec = TrainingRecorder(X, Y, example=3, at=at)
    model = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    plain = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    model.fit(X, Y, learning_rate=1.2, num_iterations=200, print_every=1, callbacks=[rec])
    plain.fit(X, Y, learning_rate=1.2, num_iterations=200, print_every=1)
    for p, q in zip(model.parameters(), plain.parameters()):  # recording changes nothing
        assert np.array_equal(p.data, q.data)
    assert [i for i, _, _ in rec.snapshots] == at and len(rec.costs) == 200
    before = [p.data.copy() for p in model.parameters()]
    page = training_page(rec, model)
    assert all(np.array_equal(a, p.data) for a, p in zip(before, model.parameters()))
    assert [s.title for s in page.steps] == ["iteration 0", "iteration 50", "iteration 199"]
    # Iteration 0 holds the initial parameters: b[1] = 0 and, for example 3 alone, the
    # course's db[2] = a[2] - y (one example: the mean is that example's value).
    x, y = X[:, 3:4], Y[:, 3:4]
    first = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    W1, b1, W2, b2 = (p.data for p in first.parameters())
    a2 = 1 / (1 + np.exp(-(W2 @ np.tanh(W1 @ x + b1) + b2)))
    lines = page.steps[0].lines
    assert "b[1] = [0, 0, 0, 0]ᵀ" in lines
    db2 = float(a2[0, 0] - y[0, 0])
    assert any(line == f"    db[2] = {db2:.4g}" for line in lines), lines
    assert lines[0] == f"the cost J on all 400 examples: {rec.costs[0]:.6g} (the curve)"
    # The gradients shown are example 3's own (m = 1), and the page says so.
    assert lines[2] == ("its parameters, and the gradients of its own loss (m = 1; training "
                        "steps along their mean over the 400 examples):")
    assert [line.split(" = ")[0] for line in lines[3::2]] == ["W[1]", "b[1]", "W[2]", "b[2]"]
    a = float(a2[0, 0])
    assert lines[1].endswith(f"its prediction a = {a:.3g}, so ŷ = {int(a > 0.5)}: "
                             + ("right" if int(a > 0.5) == y[0, 0] else "wrong"))
    html = save_html(page, tmp_path / "train.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'class="mgs-data">(.*?)</script>', html, re.S).group(1))
    assert len(data["frames"]) == 3 and [s["frame"] for s in data["steps"]] == [0, 1, 2]
    assert 'class="mgs-curve"' in html


def test_a_scalar_network_gives_its_own_graph_of_one_example():
    X, Y = planar_flower()
    model = nn.scalar.MLP([2, 3, 1], "tanh", seed=4)
    rec = TrainingRecorder(X[:, :10], Y[:, :10], example=2, at=[0])
    rec(0, 0.7, model)  # as fit would call it
    page = training_page(rec, model)
    x, y = X[:, 2:3], Y[:, 2:3]
    J = model.cost(x, y)
    J.backward()
    lines = page.steps[0].lines
    # No predict_proba on a scalar network: its loss, no prediction.
    assert lines[1] == f"example 2, label y = {y[0, 0]:g}: its own loss L = {J.data:.6g}"
    w = model.layers[0].neurons[0].w[0]
    assert f"{w.label} = {w.data:.4g}" in lines and f"    d{w.label} = {w.grad:.4g}" in lines
    assert "x_1⁽¹⁾" in page.svg  # the example's numbers are drawn as data


def test_the_file_stays_small_for_10000_iterations():
    X, Y = planar_flower()
    model = nn.MLP([2, 4, 1], "tanh", seed=2)
    rec = TrainingRecorder(X, Y, example=0, at=range(0, 10000, 500))
    for i in range(10000):  # as fit calls it with print_every=1 (the costs made up)
        rec(i, 0.7 - i * 1e-5, model)
    assert len(rec.costs) == 10000 and len(rec.snapshots) == 20
    size = len(training_page(rec, model).to_html().encode())
    assert size < 3_000_000, size  # 20 pictures and a thinned curve: a few MB at most


def test_bad_recorder_input_is_named():
    X, Y = planar_flower()
    with pytest.raises(ValueError, match="example=400"):
        TrainingRecorder(X, Y, example=400)
    with pytest.raises(ValueError, match="no iteration yet"):
        training_page(TrainingRecorder(X, Y), nn.MLP([2, 4, 1], "tanh", seed=2))
    with pytest.raises(TypeError, match="TrainingRecorder"):
        training_page([], nn.MLP([2, 4, 1], "tanh", seed=2))
    rec = TrainingRecorder(X, Y, at=[0])
    rec(0, 0.7, nn.Linear(2, 1))
    with pytest.raises(TypeError, match=r"Linear has no cost\(X, Y\)"):
        training_page(rec, nn.Linear(2, 1))


def test_the_curve_keeps_its_ticks_clear_of_the_marker():
    from micrograd_dls.viz.training import _curve

    iterations = list(range(0, 1000, 10))
    costs = [0.693 * 0.997 ** i for i in iterations]
    svg, points = _curve(iterations, costs)
    ticks = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="end">([\d.]+)</text>',
                       svg)
    ticks = ticks[:2]  # the cost's; then the last iteration, under the axis
    assert [t[2] for t in ticks] == ["0.693", f"{min(costs):.3g}"]
    # Right-aligned left of the plotting area: every point (and the marker's radius 4)
    # lies to the right of where each tick's text ends.
    assert all(float(x) < min(px for px, _ in points) - 4 for x, _, _ in ticks)
