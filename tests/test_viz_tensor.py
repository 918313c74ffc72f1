"""Pictures of tensor graphs: logistic regression and MLPs, with shapes, rules and layers."""

from __future__ import annotations

import re

import numpy as np
import pytest
from test_viz import svg_parts

from micrograd_dls import graph, nn
from micrograd_dls.nn import scalar
from micrograd_dls.tensor import Tensor
from micrograd_dls.viz import draw, draw_backward, draw_forward, format_node_table
from micrograd_dls.viz.notation import number

pytestmark = pytest.mark.drawing  # no BLAS-dependent figures: see conftest.py


def data(n_x: int, m: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n_x, m))
    return X, (rng.random((1, m)) > 0.5).astype(float)


def find(nodes: dict[str, list[str]], line: str) -> str:
    ids = [key for key, texts in nodes.items() if line in texts]
    assert len(ids) == 1, (line, nodes)
    return ids[0]


def cluster_members(source: str) -> dict[str, set[str]]:
    """Cluster name -> ids of the nodes declared inside it, from the DOT source."""
    members: dict[str, set[str]] = {}
    current = None
    for line in source.splitlines():
        start = re.match(r"\s*subgraph (cluster_\w+) \{", line)
        if start:
            current = start.group(1)
            members[current] = set()
        elif line.strip() == "}":
            current = None
        elif current and "[" in line and "->" not in line and "graph [" not in line:
            members[current].add(line.split("[")[0].strip())
    return members


def test_logistic_regression_graph_shows_shapes_rules_and_the_courses_gradients():
    X, Y = data(3, 5)
    model = nn.LogisticRegression(3)
    J = model.cost(X, Y)
    J.backward()
    nodes, edges, _ = svg_parts(draw_forward(J))
    w = find(nodes, "W[1]")
    x = find(nodes, "X")
    z = find(nodes, "Z[1] = W[1]·X + b[1]")
    assert nodes[w][1] == "(1, 3)" and nodes[x][1] == "(3, 5)" and nodes[z][1] == "(1, 5)"
    assert f"J = BCE(Z[1], Y) = {number(J.data)}" in [t[0] for t in nodes.values()]
    op = "o" + z[1:]
    assert edges[f"{x}->{op}"] == ["(3, 5)"]  # shapes on edges
    assert edges[f"{w}->{op}"] == ["(1, 3)"]

    nodes, edges, _ = svg_parts(draw_backward(J))
    # The course: dZ = A - Y, dw = (1/m) X dZᵀ, db = (1/m) Σ dZ.
    A = 1 / (1 + np.exp(-(model.parameters()[0].data @ X + model.parameters()[1].data)))
    db = float(np.mean(A - Y))
    b = find(nodes, f"db[1] = {number(db)}")
    assert find(nodes, "dW[1]") == w
    assert edges[f"{w}->{op}"] == ["dW[1] = dZ[1]·Xᵀ"]
    # A long rule is broken into short lines, before an '=' or after a ':' or a ','; the
    # broadcast note keeps a line of its own.
    assert edges[f"{b}->{op}"] == [
        "db[1] = sum(dZ[1],", "axis=1, keepdims=True)",
        "broadcast (1, 1) → (1, 5): summed over axis 1",
    ]
    assert f"{x}->{op}" in edges and edges[f"{x}->{op}"] == []  # no gradient flows to data X
    assert nodes[x] == ["X", "no gradient", "(3, 5)"]  # data: no gradient, no number


def test_broadcast_sum_is_marked_only_where_backward_sums():
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    A = Tensor(np.ones((3, 4)), label="A")
    b = Tensor(np.zeros((2, 1)), requires_grad=True, label="b")
    c = Tensor(np.ones((2, 4)), requires_grad=True, label="c")
    Z = W @ A + b
    Z.label = "Z"
    J = (Z * c).sum()
    J.label = "J"
    J.backward()
    source = draw_backward(J).source
    assert source.count("summed over") == 1
    assert "broadcast (2, 1) → (2, 4): summed over axis 1" in source
    assert source.count("penwidth=2.2") == 1


def test_unlabelled_tensor_nodes_get_the_pictures_names_in_rules():
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    A = Tensor(np.ones((3, 4)), requires_grad=True, label="A")
    J = (W @ A).tanh().sum()
    J.label = "J"
    J.backward()
    source = draw_backward(J).source
    assert "dW = d(W·A)·Aᵀ" in source
    assert "dA = Wᵀ·d(W·A)" in source
    assert "dout" not in source


def test_mlp_graph_renders_every_picture_and_zoom():
    X, Y = data(2, 7)
    model = nn.MLP([2, 4, 3, 1], "relu", seed=1)
    J = model.cost(X, Y)
    J.backward()
    for picture in (draw_forward(J), draw_backward(J), draw(J),
                    draw(J, clusters=True), draw(J, zoom="layers"), draw(J, show_ops=False)):
        nodes, _, _ = svg_parts(picture)
        assert nodes
    nodes, _, _ = svg_parts(draw_forward(J))
    for line, shape in [("W[1]", "(4, 2)"), ("b[2]", "(3, 1)"), ("A[1] = relu(Z[1])", "(4, 7)"),
                        ("Z[3] = W[3]·A[2] + b[3]", "(1, 7)"), ("Y", "(1, 7)")]:
        assert nodes[find(nodes, line)][1] == shape


def test_clusters_group_each_layers_nodes():
    X, Y = data(2, 7)
    J = nn.MLP([2, 4, 3, 1], "tanh", seed=1).cost(X, Y)
    J.backward()
    picture = draw_forward(J, clusters=True)
    members = cluster_members(picture.source)
    assert set(members) == {"cluster_layer_1", "cluster_layer_2", "cluster_layer_3",
                            "cluster_layer_cost"}
    nodes, _, _ = svg_parts(picture)
    names = {key: texts[0].split(" = ")[0] for key, texts in nodes.items() if texts}
    for layer in (1, 2, 3):
        inside = {names[key] for key in members[f"cluster_layer_{layer}"] if key in names}
        assert {f"W[{layer}]", f"b[{layer}]", f"Z[{layer}]"} <= inside
        assert all(f"[{layer}]" in name or name in ("linear", "tanh") for name in inside)
    assert {names[key] for key in members["cluster_layer_cost"] if key in names} >= {"J"}
    assert "cluster" not in draw_forward(J).source


def test_layer_zoom_draws_one_box_per_layer_with_parameters_and_shapes():
    X, Y = data(2, 7)
    J = nn.MLP([2, 4, 3, 1], "relu", seed=1).cost(X, Y)
    J.backward()
    nodes, edges, _ = svg_parts(draw_forward(J, zoom="layers"))
    assert nodes["L1"][:5] == ["layer 1 · Linear → ReLU", "W[1]", "(4, 2)", "b[1]", "(4, 1)"]
    assert nodes["L3"][0] == "layer 3 · Linear"
    # σ is folded into the cost (computed from the logits), yet A[L] = Ŷ is shown.
    assert nodes["Lcost"] == [f"cost (BCE) · J = {number(J.data)}", "A[3] = σ(Z[3]) = Ŷ",
                              "(1, 7)"]
    x, y = find(nodes, "X"), find(nodes, "Y")
    assert edges[f"{x}->L1"] == ["X (2, 7)"]
    assert edges["L1->L2"] == ["A[1] (4, 7)"]
    assert edges["L3->Lcost"] == ["Z[3] (1, 7)"]
    assert f"{y}->Lcost" in edges
    nodes, edges, _ = svg_parts(draw_backward(J, zoom="layers"))
    # The layer boxes are numbered in the order backprop visits them: the cost first,
    # then layer 3, 2, 1; X and Y, which it never visits, are not numbered.
    assert [nodes[key][0] for key in ("Lcost", "L3", "L2", "L1")] == ["1", "2", "3", "4"]
    assert nodes["L2"][:4] == ["3", "layer 2 · Linear → ReLU", "dW[2]", "(3, 4)"]
    # dvar = ∂J/∂var of the mean J, as on every edge: the cost's dZ[3] carries the 1/m ...
    assert nodes["Lcost"][2:] == ["dZ[3] = (1/m)(A[3] - Y)", "(1, 7)"]
    Z = graph.parents(J)[0]
    dZ, A = graph.grad(Z), 1 / (1 + np.exp(-graph.data(Z)))
    np.testing.assert_allclose(dZ, (A - Y) / 7, rtol=1e-12)
    # ... and the legend says how that meets the course's dZ[3] = A[3] - Y.
    source = draw(J, zoom="layers").source
    assert "dZ[3] = (1/m)(A[3] - Y). The course's dZ[3] = A[3] - Y is the summed" in source
    assert "m = 7 examples" in source
    assert nodes[x] == ["X", "no gradient", "(2, 7)"] and nodes[y] == ["Y", "no gradient", "(1, 7)"]
    assert edges["L1->L2"] == ["dA[1] (4, 7)"]
    assert edges[f"{x}->L1"] == []  # data gets no gradient


def test_layer_zoom_of_a_scalar_network_groups_by_the_bracketed_index():
    net = scalar.MLP([2, 2, 1], "tanh", seed=1)
    (x,) = scalar.as_values(np.array([[0.5], [-1.0]]))
    J = scalar.binary_cross_entropy([net(x)], [1.0])
    J.backward()
    nodes, edges, _ = svg_parts(draw_backward(J, zoom="layers"))
    assert nodes["L1"][:2] == ["3", "layer 1 · Linear → tanh"]
    assert nodes["L2"][:2] == ["2", "layer 2 · Linear → sigmoid"]
    assert nodes["Lcost"][:2] == ["1", "cost (×) · dJ = 1"]
    assert sum(text.startswith("dw[1]_") for text in nodes["L1"]) == 4
    assert "L2->Lcost" in edges and "L1->L2" in edges


def test_node_cap_on_a_tensor_graph_notes_what_is_left_out():
    X, Y = data(2, 7)
    J = nn.MLP([2, 4, 4, 4, 1], "relu", seed=1).cost(X, Y)
    J.backward()
    source = draw(J, max_nodes=6).source
    assert "showing the 6 nodes nearest the result, of 18" in source
    nodes, _, _ = svg_parts(draw(J, max_nodes=6))
    assert any(texts[0].startswith("⋯") for texts in nodes.values())


def test_a_scalar_tensor_shows_its_value_and_the_table_its_shapes():
    X, Y = data(2, 3)
    J = nn.LogisticRegression(2).cost(X, Y)
    J.backward()
    rows = {line.split()[0]: line for line in format_node_table(J).splitlines()[1:]}
    assert "(1, 2)" in rows["W[1]"] and "dW[1] (1, 2)" in rows["W[1]"]
    assert "no gradient" in rows["X"]
    assert rows["J"].split()[2] == number(J.data) and rows["J"].endswith("dJ = 1")


@pytest.mark.parametrize("make", [draw_forward, draw_backward, draw])
def test_tensor_pictures_are_deterministic(make):
    def picture():
        X, Y = data(2, 7)
        J = nn.MLP([2, 4, 1], "tanh", seed=3).cost(X, Y)
        J.backward()
        return make(J, clusters=True).source

    assert picture() == picture()
