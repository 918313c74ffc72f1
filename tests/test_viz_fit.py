"""Pictures fit where they are read: a notebook's 900 px, text at 100 %; one that cannot
says it is a poster; and every picture shows where SVG or scripts do not (PNG, text)."""

from __future__ import annotations

import re
import struct

import numpy as np
import pytest
from test_viz import svg_parts

from micrograd_dls import Value, graph, nn
from micrograd_dls.cli import lecture_graph
from micrograd_dls.viz import draw, draw_backward, draw_forward, format_node_table, step_through
from micrograd_dls.viz.picture import NOTEBOOK_WIDTH, svg_size
from micrograd_dls.viz.render import pipe, render

pytestmark = pytest.mark.drawing  # no BLAS-dependent figures: see conftest.py


def one_example():
    """The week-2 picture of one example: z = w1·x1 + w2·x2 + b, a = σ(z), L = -log a."""
    (x1, x2), = nn.scalar.as_values(np.array([[0.625], [0.875]]))
    x1.label, x2.label = "x1", "x2"
    w1, w2, b = Value(0.5, label="w1"), Value(-1.5, label="w2"), Value(0.1, label="b")
    z = w1 * x1 + w2 * x2 + b
    z.label = "z"
    a = z.sigmoid()
    a.label = "a"
    L = -a.log()
    L.label = "L"
    L.backward()
    return L


def flower_net():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(2, 400))
    Y = (rng.random((1, 400)) > 0.5).astype(float)
    J = nn.MLP([2, 4, 1], "tanh", seed=2).cost(X, Y)
    J.backward()
    return J


def a_long_sum(terms: int = 200):
    xs = [Value(float(i), label=f"x{i}") for i in range(terms)]
    J = xs[0] * xs[0]
    for x in xs[1:]:
        J = J + x * x
    J.label = "J"
    J.backward()
    return J


def width_px(picture) -> float:
    return svg_size(pipe(picture, "svg"))[0]


def test_the_lecture_keeps_the_lectures_layout_values_left_to_right():
    picture = draw(lecture_graph())
    assert width_px(picture) <= NOTEBOOK_WIDTH
    assert picture.layout == "LR" and 'rankdir=LR' in picture.source
    assert "top: forward pass: values, left to right" in picture.source
    assert "poster" not in picture.source


@pytest.mark.parametrize("make", [one_example, flower_net], ids=["one example", "flower"])
@pytest.mark.parametrize("drawing", [draw, draw_forward, draw_backward])
def test_a_deep_graph_is_laid_out_top_to_bottom_to_fit_a_notebook(make, drawing):
    picture = drawing(make())
    # Left to right these are 1,300 to 2,600 px wide; laid out top to bottom they fit.
    assert width_px(picture) <= NOTEBOOK_WIDTH
    assert picture.layout.startswith("TB") and "rankdir=TB" in picture.source
    assert "poster" not in picture.source
    # The title says which way each pass reads: values down, gradients up.
    assert ("bottom to top" if drawing is draw_backward else "top to bottom") in picture.source
    assert "left to right" not in picture.source and "right to left" not in picture.source


def node_positions(picture) -> dict[str, tuple[float, float]]:
    """Each node's (x, y) in the rendered SVG, read from its first text (y grows
    downwards)."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    at = {}
    for g in ET.fromstring(pipe(picture, "svg")).iter(ns + "g"):
        if g.get("class") == "node":
            text = next(g.iter(ns + "text"))
            at[g.find(ns + "title").text] = (float(text.get("x")), float(text.get("y")))
    return at


@pytest.mark.parametrize("layout, forward_first", [("TB", "left"), ("TB-stacked", "above"),
                                                    ("LR", "above")])
def test_each_layout_puts_the_forward_pass_first(layout, forward_first):
    picture = draw(flower_net())
    picture.use_layout(layout)
    at = node_positions(picture)
    forward = [p for key, p in at.items() if key.startswith("f")]
    backward = [p for key, p in at.items() if key.startswith("b")]
    assert forward and backward
    if forward_first == "left":  # side by side: the rows of values face their gradients
        assert max(x for x, _ in forward) < min(x for x, _ in backward)
        assert "left: forward pass: values, top to bottom" in picture.source
    else:
        assert max(y for _, y in forward) < min(y for _, y in backward)
        way = "left to right" if layout == "LR" else "top to bottom"
        assert f"top: forward pass: values, {way}" in picture.source


def test_a_picture_too_large_for_any_layout_says_it_is_a_poster():
    picture = draw(a_long_sum())
    svg = pipe(picture, "svg")
    width, height = svg_size(svg)
    assert width > NOTEBOOK_WIDTH or height > 3600
    note = re.search(r"a poster: ([\d,]+) × ([\d,]+) px, too (wide|tall) for a notebook",
                     picture.source)
    assert note, picture.source[:2000]
    # The note states the size of the picture it is written on (the note adds a line).
    assert abs(int(note.group(1).replace(",", "")) - width) <= 0.05 * width
    assert "draw less (a smaller max_nodes" in picture.source
    bundle = picture._repr_mimebundle_()
    assert "image/png" not in bundle and "poster" in bundle["text/plain"]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_in_jupyter_a_picture_carries_svg_png_and_a_line_of_text():
    picture = draw(lecture_graph())
    bundle = picture._repr_mimebundle_()
    assert set(bundle) == {"image/svg+xml", "image/png", "text/plain"}
    assert bundle["image/svg+xml"].lstrip().startswith(("<?xml", "<svg", "<!--"))
    width, height = png_size(bundle["image/png"])
    assert abs(width - svg_size(bundle["image/svg+xml"].encode())[0]) <= 2
    assert width <= NOTEBOOK_WIDTH
    assert bundle["text/plain"] == ("forward and backward graph of J: 6 nodes (SVG and PNG; "
                                    "run the notebook in Jupyter to see it)")
    assert "graph of J: 3 nodes of 6" in draw_forward(lecture_graph(), max_nodes=3).summary


def test_one_run_of_dot_writes_every_format_of_one_layout():
    picture = draw_backward(flower_net())
    out = render(picture, ("svg", "png"))
    svg_width, svg_height = svg_size(out["svg"])
    assert png_size(out["png"]) == pytest.approx((svg_width, svg_height), abs=2)


def test_what_is_added_to_a_picture_survives_its_layout():
    picture = draw(flower_net())
    picture.node("note", "added by hand")
    nodes, _, _ = svg_parts(picture)
    assert nodes["note"] == ["added by hand"]


def test_a_scalar_networks_data_is_one_box_in_layer_zoom():
    net = nn.scalar.MLP([2, 4, 1], "tanh", seed=1)
    X = np.random.default_rng(0).normal(size=(2, 20))
    J = net.cost(X, np.ones((1, 20)))
    J.backward()
    picture = draw(J, zoom="layers")
    nodes, edges, _ = svg_parts(picture)
    assert nodes["fLdata"][0] == "data: 40 numbers"
    assert nodes["fLdata"][-1] == "… and 35 more"
    assert nodes["bLdata"][0] == "data: 40 numbers, no gradient"
    assert "fLdata->fL1" in edges and not any(key.startswith("fn") for key in nodes)
    assert width_px(picture) <= NOTEBOOK_WIDTH
    steps = step_through(J, zoom="layers")
    assert steps.steps[0].nodes == ["fLdata"] and len(steps.details["fLdata"]["lines"]) == 40


def test_a_network_is_numbered_last_layer_first_and_its_data_not_at_all():
    J = flower_net()
    nodes, _, _ = svg_parts(draw_backward(J))
    badge = {texts[1]: int(texts[0]) for texts in nodes.values() if texts[0].isdigit()}
    # dJ, dZ[2], then W[2], A[1], b[2] in argument order of Z[2] = W[2] A[1] + b[2], ...
    assert badge == {"dJ = 1": 1, "dZ[2]": 2, "dW[2]": 3, "dA[1]": 4,
                     f"db[2] = {nodes_value(J)}": 5, "dZ[1]": 6, "dW[1]": 7, "db[1]": 8}
    data = [texts for texts in nodes.values() if "no gradient" in texts]
    assert [texts[0] for texts in data] == ["X", "Y"] or sorted(t[0] for t in data) == ["X", "Y"]
    # The stepper visits the nodes in the same order, and the table lists it.
    visits = [st.title for st in step_through(J).steps if st.title.startswith("backward ")]
    assert [t.split(": ")[1].split(" sends")[0] for t in visits] == ["J", "Z[2]", "A[1]", "Z[1]"]
    assert "backpropagation's order: 1 dJ, 2 dZ[2], 3 dW[2], 4 dA[1], 5 db[2], 6 dZ[1], " \
        "7 dW[1], 8 db[1]" in format_node_table(J)


def nodes_value(J) -> str:
    from micrograd_dls.viz.notation import number

    b2 = next(n for n in graph.topological_order(J) if graph.label(n) == "b[2]")
    return number(graph.grad(b2))


def test_the_stepper_states_the_1_over_m_where_the_cost_sends_its_gradient():
    J = flower_net()
    steps = step_through(J).steps
    at = next(st for st in steps if st.title == "backward 1 of 4: J sends its gradient to Z[2]")
    assert at.lines[0] == "dZ[2] = (1/m)(σ(Z[2]) - Y) : (1, 400) = (1/m)(σ((1, 400)) - (1, 400))"
    assert any("m = 400 examples" in line for line in at.lines)
    assert any("The course's dZ[2] = A[2] - Y is the summed losses' gradient" in line
               for line in at.lines)
    assert sum("1/m:" in line for st in steps for line in st.lines) == 1
    assert "The course's dZ[2] = A[2] - Y" in format_node_table(J)
    for picture in (draw(J), draw_backward(J), draw(J, zoom="layers")):  # and the pictures
        assert "m = 400 examples; every dvar = ∂J/∂var carries the 1/m:" in picture.source
        assert "The course's dZ[2] = A[2] - Y is the summed losses' gradient," in picture.source
    assert "1/m" not in draw_forward(J).source  # no gradient drawn, nothing to reconcile
    # One example: m = 1, nothing to reconcile, no note.
    model = nn.MLP([2, 3, 1], "tanh", seed=0)
    J1 = model.cost(np.ones((2, 1)), np.ones((1, 1)))
    J1.backward()
    assert "1/m:" not in draw(J1).source and "1/m:" not in format_node_table(J1)


def test_the_stepper_shows_its_first_step_and_says_what_it_is_without_scripts():
    s = step_through(lecture_graph())
    page = s.fragment("x")
    static = re.sub(r"<script.*?</script>", "", page, flags=re.S)  # as a sanitiser leaves it
    assert "An interactive page: its buttons need a script" in static
    assert '<div class="mgs-title">J: the inputs; → steps forward, then backward</div>' in static
    assert "a = 5  (leaf)\nb = 3  (leaf)\nc = 2  (leaf)" in static
    assert "step 0 of 7" in static and "<svg" in static
    bundle = s._repr_mimebundle_()
    assert bundle["text/plain"] == ("backprop through J: an interactive page of 7 steps (run the "
                                    "notebook in Jupyter to step through it, or save_html to a "
                                    "file)")
    assert bundle["text/html"].startswith('<div class="mgs"')


def test_graphviz_copies_and_subgraphs_of_a_picture_work():
    picture = draw(lecture_graph())
    twin = picture.copy()
    assert type(twin) is type(picture) and twin.source == picture.source
    assert twin.summary == picture.summary and svg_size(pipe(twin, "svg"))[0] <= NOTEBOOK_WIDTH
    with picture.subgraph(name="cluster_note") as box:  # graphviz builds it as its own class
        box.node("note", "a note")
    nodes, _, _ = svg_parts(picture)
    assert nodes["note"] == ["a note"] and "fn5" in nodes
