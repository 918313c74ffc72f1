"""The stepper's steps, computed in Python: the lecture's J = 3(a + bc), a node with
two consumers, a tensor network with shapes, layer zoom and the node cap."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

from micrograd_dls import graph, nn
from micrograd_dls.cli import lecture_graph
from micrograd_dls.value import Value
from micrograd_dls.viz import Stepper, save_html, step_through
from micrograd_dls.viz.notation import number


def two_consumers() -> Value:
    """a feeds v = a·b and w = a + b; J = v·w. By hand: J = a²b + ab², so
    dJ/da = 2ab + b² = 21 and dJ/db = a² + 2ab = 16 at a = 2, b = 3."""
    a, b = Value(2.0, label="a"), Value(3.0, label="b")
    v = a * b
    v.label = "v"
    w = a + b
    w.label = "w"
    J = v * w
    J.label = "J"
    J.backward()
    return J


def test_lecture_forward_steps_show_each_value_from_its_inputs():
    s = step_through(lecture_graph())
    forward = [st for st in s.steps if st.phase == "forward"]
    assert [st.lines[0] for st in forward] == [
        "u = b·c = 3·2 = 6", "v = a + u = 5 + 6 = 11", "J = 3·v = 3·11 = 33"]
    assert s.steps[0].lines == ["a = 5  (leaf)", "b = 3  (leaf)", "c = 2  (leaf)"]


def test_lecture_backward_steps_are_the_chain_rule_in_backprop_order():
    s = step_through(lecture_graph())
    backward = [st for st in s.steps if st.phase == "backward"]
    products = [line for st in backward for line in st.lines if not line.startswith(" ")]
    # The lecture: dv = 3, da = 3, du = 3, db = 6, dc = 9 -- each the upstream
    # gradient times the local derivative (u = bc: ∂u/∂b = c = 2, ∂u/∂c = b = 3).
    assert products == [
        "dJ = ∂J/∂J = 1",
        "dv = dJ · ∂J/∂v = 1 · 3 = 3",
        "da = dv · ∂v/∂a = 3 · 1 = 3",
        "du = dv · ∂v/∂u = 3 · 1 = 3",
        "db = du · ∂u/∂b = 3 · 2 = 6",
        "dc = du · ∂u/∂c = 3 · 3 = 9",
    ]
    assert [st.title for st in backward[1:]] == [
        "backward 1 of 3: J sends its gradient to v",
        "backward 2 of 3: v sends its gradient to a, u",
        "backward 3 of 3: u sends its gradient to b, c",
    ]
    assert "    ∂u/∂b = c" in backward[3].lines
    # Each visit highlights its node and the edges it sends gradient along.
    order = graph.topological_order(lecture_graph())
    u = f"n{[graph.label(n) for n in order].index('u')}"
    b = f"n{[graph.label(n) for n in order].index('b')}"
    assert f"b{u}" in backward[3].nodes and f"b{b}->bo{u[1:]}" in backward[3].edges


def test_a_node_with_two_consumers_sums_what_both_send():
    s = step_through(two_consumers())
    lines = [line for st in s.steps if st.phase == "backward" for line in st.lines]
    # J = v·w sends to v, then w (argument order), so v is visited first and a's sum
    # completes at w.
    assert "da += dv · ∂v/∂a = 5 · 3 = 15  (so far; a has 1 more consumer to hear from)" \
        in lines
    total = "da = dv · ∂v/∂a + dw · ∂w/∂a = 5 · 3 + 6 · 1 = 15 + 6 = 21"
    assert total in lines
    assert "db = dv · ∂v/∂b + dw · ∂w/∂b = 5 · 2 + 6 · 1 = 10 + 6 = 16" in lines
    # A click on a shows its whole story.
    detail = s.details["fn0"]
    assert detail["title"] == "a" and total in detail["lines"]
    assert "consumers: v, w" in detail["lines"]
    assert s.details["bn0"] is detail


def test_nodes_fade_in_as_they_are_computed():
    s = step_through(lecture_graph())
    forward_u = next(i for i, st in enumerate(s.steps) if st.lines[0].startswith("u = "))
    assert s.show["fn3"] == forward_u and s.show["fn0"] == 0
    dc = next(i for i, st in enumerate(s.steps) if any(x.startswith("dc = ") for x in st.lines))
    assert s.show["bn2"] == dc  # dc appears when u sends it
    seed = next(i for i, st in enumerate(s.steps) if st.lines == ["dJ = ∂J/∂J = 1"])
    assert s.show["bn5"] == seed


def planar_net(m: int = 400):
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    J = nn.MLP([2, 4, 1], "tanh", seed=2).cost(X, Y)
    J.backward()
    return J


def test_tensor_steps_write_the_rules_with_shapes_and_the_broadcast_sum():
    s = step_through(planar_net())
    lines = [line for st in s.steps for line in st.lines]
    assert "Z[1] = W[1]·X + b[1] : (4, 400) = (4, 2)·(2, 400) + (4, 1)" in lines
    assert "b[1] (4, 1) is broadcast to (4, 400) along axis 1" in lines
    assert "dW[1] = dZ[1]·Xᵀ : (4, 2) = (4, 400)·(400, 2)" in lines
    assert "dA[1] = W[2]ᵀ·dZ[2] : (4, 400) = (4, 1)·(1, 400)" in lines
    assert ("db[1] = sum(dZ[1], axis=1, keepdims=True) : (4, 1) = "
            "sum((4, 400), axis=1, keepdims=True)") in lines
    assert "    broadcast (4, 1) → (4, 400): summed over axis 1" in lines
    assert "X: data, no gradient" in lines
    J = planar_net()
    assert f"J = BCE(Z[2], Y) = BCE((1, 400), (1, 400)) = {number(J.data)}" in lines


def test_layer_zoom_steps_layer_by_layer():
    s = step_through(planar_net(), zoom="layers")
    assert [st.title for st in s.steps[1:]] == [
        "forward 1 of 3: layer 1 · Linear → tanh",
        "forward 2 of 3: layer 2 · Linear",
        f"forward 3 of 3: cost (BCE) · J = {number(planar_net().data)}",
        "backward 1 of 3: cost (BCE) · dJ = 1",
        "backward 2 of 3: layer 2 · Linear",
        "backward 3 of 3: layer 1 · Linear → tanh",
    ]
    assert s.steps[1].nodes == ["fL1"] and s.steps[-1].nodes == ["bL1"]
    assert "dW[1] = dZ[1]·Xᵀ : (4, 2) = (4, 400)·(400, 2)" in s.steps[-1].lines
    assert "A[2] = σ(Z[2]) = Ŷ (inside the cost, which takes the logits)" in s.steps[3].lines


def test_a_network_on_one_example_steps_with_its_numbers():
    """Every tensor of one example holds one number: the steps write them as numbers."""
    rng = np.random.default_rng(1)
    model = nn.MLP([2, 3, 1], "tanh", seed=0)
    J = model.cost(rng.normal(size=(2, 1)), np.ones((1, 1)))
    J.backward()
    for zoom in ("ops", "layers"):
        s = step_through(J, zoom=zoom)
        assert s.steps[-1].phase == "backward"
    last = step_through(J).steps[-1].lines
    assert any(line.startswith("dW[1] = ") for line in last), last


def test_a_scalar_network_steps_by_layer_too():
    net = nn.scalar.MLP([2, 2, 1], "tanh", seed=1)
    (x,) = nn.scalar.as_values(np.array([[0.5], [-1.0]]))
    J = nn.scalar.binary_cross_entropy([net(x)], [1.0])
    J.backward()
    s = step_through(J, zoom="layers")
    titles = [st.title for st in s.steps]
    assert "forward 1 of 3: layer 1 · Linear → tanh" in titles
    assert titles[-1] == "backward 3 of 3: layer 1 · Linear → tanh"


def test_above_the_node_cap_it_steps_over_what_is_drawn_and_says_what_is_left_out():
    x = Value(1.0, label="x")
    y = x
    for _ in range(300):
        y = y * 1.0
    y.label = "y"
    y.backward()
    s = step_through(y, max_nodes=20)
    assert sum(st.phase == "forward" for st in s.steps) == 20
    assert any("showing the 20 nodes nearest the result, of 301; 281 earlier nodes are left "
               "out" in line for line in s.steps[0].lines)


def test_the_page_is_one_self_contained_file(tmp_path):
    s = step_through(lecture_graph())
    page = save_html(s, tmp_path / "lecture.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # nothing from the network
    assert "<svg" in page and "<?xml" not in page and ' id="node' not in page
    blob = re.search(r'<script type="application/json" class="mgs-data">(.*?)</script>', page,
                     re.S).group(1)
    data = json.loads(blob)
    assert len(data["steps"]) == len(s.steps) and data["steps"][2]["lines"] == [
        "v = a + u = 5 + 6 = 11"]
    with pytest.raises(ValueError, match=r"\.html"):
        save_html(s, tmp_path / "lecture.svg")
    with pytest.raises(TypeError, match="Stepper"):
        save_html("<html>", tmp_path / "x.html")


def test_several_steppers_on_one_page_keep_to_their_own_element():
    a, b = step_through(lecture_graph()), step_through(two_consumers())
    html_a, html_b = a._repr_html_(), b._repr_html_()
    ids = [re.search(r'<div class="mgs" id="([\w-]+)"', h).group(1) for h in (html_a, html_b)]
    assert ids[0] != ids[1] and html_a != a._repr_html_()  # a fresh id at every display
    for h, uid in zip((html_a, html_b), ids):
        assert f'document.getElementById("{uid}")' in h
        assert f"#{uid} " in h  # the style is scoped to this stepper
        script = h.split("<script>")[1]
        assert "window." not in script and "document.addEventListener" not in script


def test_a_user_label_cannot_end_the_data_blob_early(tmp_path):
    x = Value(2.0, label="</script><b>x")
    y = x * x
    y.label = "y"
    y.backward()
    page = step_through(y).to_html()
    blob = re.search(r'class="mgs-data">(.*?)</script>', page, re.S).group(1)
    assert "\\u003c/script>" in blob and json.loads(blob)["title"] == "backprop through y"


def test_bad_arguments_are_named():
    with pytest.raises(TypeError, match="Value or Tensor"):
        step_through(3.0)
    fresh = 3 * Value(2.0, label="a")
    fresh.label = "K"
    with pytest.raises(ValueError, match=r"call K.backward\(\) before"):
        step_through(fresh)
    with pytest.raises(ValueError, match="zoom="):
        step_through(lecture_graph(), zoom="all")
    assert isinstance(step_through(lecture_graph(), show_ops=False), Stepper)
