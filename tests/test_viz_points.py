"""What confused a new user in the static pictures, each checked on the DOT source or
the SVG. Points 1 (layer zoom numbered in backprop order) and 8 (A[L] = Ŷ shown in
layer zoom) are in test_viz_tensor, 4 (transpose) in test_viz_notation, 7 (legend)
in test_viz; 2, 3, 5 and 6 are here."""

from __future__ import annotations

import numpy as np
from test_viz import svg_parts

from micrograd_dls import nn
from micrograd_dls.nn import scalar
from micrograd_dls.value import Value
from micrograd_dls.viz import draw, draw_backward, format_node_table


def test_2_the_caption_names_the_actual_root():
    x = Value(2.0, label="x")
    y = x * x
    y.label = "y"
    y.backward()
    assert "dvar = ∂y/∂var" in draw_backward(y).source
    assert "dvar = ∂y/∂var" in draw(y).source and "∂J/∂var" not in draw(y).source
    L = -(x * x + x)  # unnamed root: named by its expression
    L.backward()
    assert "dvar = ∂(-(x·x + x))/∂var" in draw_backward(L).source


def test_3_an_unnamed_long_intermediate_is_spelled_out_in_the_picture_and_the_table():
    y, a = Value(1.0, label="y"), Value(0.3, label="a")
    L = -(y * a.log() + (1 - y) * (1 - a).log())
    L.label = "L"
    L.backward()
    table = format_node_table(L)
    short = [line.split()[0] for line in table.splitlines()[1:] if line.split()[0][:1] == "n"]
    assert short, table  # the sum is too long to be a name
    name = short[0]
    definition = f"{name} = y·log(a) + (1 - y)·log(1 - a)"
    assert f"where {definition}" in table
    nodes, _, _ = svg_parts(draw_backward(L))
    lines = [t for texts in nodes.values() for t in texts]
    assert definition in lines  # backward too, which has no forward picture beside it
    nodes, _, _ = svg_parts(draw(L, show_ops=False))
    assert any(t.startswith(f"L = -{name} = ") for texts in nodes.values() for t in texts)


def test_5_a_scalar_networks_data_is_drawn_as_data_and_examples_are_told_apart():
    net = scalar.MLP([2, 2, 1], "tanh", seed=1)
    xs = scalar.as_values(np.array([[0.5, 1.0, 2.0], [-1.0, 2.0, 0.0]]))
    J = scalar.binary_cross_entropy([net(x) for x in xs], [1.0, 0.0, 1.0])
    J.backward()
    assert [x.label for x in xs[2]] == ["x_1⁽³⁾", "x_2⁽³⁾"]
    nodes, _, _ = svg_parts(draw_backward(J, max_nodes=None))
    data = {key: texts for key, texts in nodes.items() if texts[-1].startswith("x_")}
    assert len(data) == 6
    for texts in data.values():
        assert "no gradient" in texts and not any(t.startswith("dx_") for t in texts)
    source = draw(J, max_nodes=None).source
    # The legend's kind, as drawn, with the first examples' names.
    assert "data, no gradient: x_1⁽¹⁾, x_2⁽¹⁾, x_1⁽²⁾, …" in source
    assert "x_1⁽³⁾ = 2" in source
    rows = {line.split()[0]: line.split()[1] for line in format_node_table(J).splitlines()[1:]}
    assert rows["x_1⁽²⁾"] == "data" and rows["w[1]_1,1"] == "leaf"


def test_6_the_node_cap_suggests_layer_zoom_for_nn_graphs_never_max_nodes_none():
    rng = np.random.default_rng(0)
    X, Y = rng.normal(size=(2, 7)), (rng.random((1, 7)) > 0.5).astype(float)
    J = nn.MLP([2, 4, 4, 4, 1], "relu", seed=1).cost(X, Y)
    J.backward()
    source = draw(J, max_nodes=6).source
    assert "zoom=&#39;layers&#39; draws the whole network" in source or \
        "zoom='layers' draws the whole network" in source
    assert "max_nodes=None" not in source
    x = Value(1.0, label="x")
    y = x
    for _ in range(300):
        y = y * 1.0
    y.label = "y"
    y.backward()
    source = draw(y).source
    assert "a larger max_nodes draws more of them" in source
    assert "max_nodes=None" not in source and "zoom='layers'" not in source
