"""The lecture's pictures of J = 3(a + bc), read back from the rendered SVG."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from micrograd_dls import graph
from micrograd_dls.cli import lecture_graph
from micrograd_dls.value import Value
from micrograd_dls.viz import (
    DEFAULT_MAX_NODES,
    GraphvizNotFoundError,
    draw,
    draw_backward,
    draw_forward,
    format_node_table,
    save_pdf,
    save_png,
    save_svg,
)
from micrograd_dls.viz.render import pipe
from micrograd_dls.viz.style import KINDS

pytestmark = pytest.mark.drawing  # no BLAS-dependent figures: see conftest.py

SVG = "{http://www.w3.org/2000/svg}"


def svg_parts(picture) -> tuple[dict[str, list[str]], dict[str, list[str]], dict[str, float]]:
    """Node id -> texts, edge 'tail->head' -> texts, node id -> y (top to bottom)."""
    root = ET.fromstring(pipe(picture, "svg"))
    nodes, edges, ys = {}, {}, {}
    for g in root.iter(SVG + "g"):
        kind = g.get("class")
        if kind not in ("node", "edge"):
            continue
        title = g.find(SVG + "title").text
        texts = [t.text or "" for t in g.iter(SVG + "text")]
        if kind == "node":
            nodes[title] = [t.strip() for t in texts]
            ys[title] = float(next(g.iter(SVG + "text")).get("y"))
        else:
            edges[title] = [t.strip() for t in texts]
    return nodes, edges, ys


def node_ids(nodes: dict[str, list[str]], value_lines: dict[str, str]) -> dict[str, str]:
    """Each name's node id, found by a text line of that node."""
    found = {}
    for name, line in value_lines.items():
        ids = [key for key, texts in nodes.items() if line in texts]
        assert len(ids) == 1, (name, line, nodes)
        found[name] = ids[0]
    return found


LECTURE_VALUES = {
    "a": "a = 5",
    "b": "b = 3",
    "c": "c = 2",
    "u": "u = b·c = 6",
    "v": "v = a + u = 11",
    "J": "J = 3·v = 33",
}


def test_lecture_J_equals_3_times_a_plus_bc_forward_svg_shows_each_value():
    nodes, edges, _ = svg_parts(draw_forward(lecture_graph()))
    ids = node_ids(nodes, LECTURE_VALUES)
    # The ops are their own small nodes: b and c feed u's '×', the constant 3 feeds J's.
    u, J = ids["u"], ids["J"]
    op_u, op_J = "o" + u[1:], "o" + J[1:]
    assert {f"{ids['b']}->{op_u}", f"{ids['c']}->{op_u}", f"{op_u}->{u}"} <= edges.keys()
    assert nodes[op_u] == ["×"]
    constant = [key for key in nodes if key.startswith("c") and nodes[key] == ["3"]]
    assert constant and f"{constant[0]}->{op_J}" in edges


def test_lecture_backward_svg_shows_each_dvar_and_each_local_derivative():
    nodes, edges, _ = svg_parts(draw_backward(lecture_graph()))
    # The lecture: dv = 3, da = 3, du = 3, db = 6, dc = 9 (and dJ = 1).
    grads = {"a": "da = 3", "b": "db = 6", "c": "dc = 9", "u": "du = 3", "v": "dv = 3",
             "J": "dJ = 1"}
    ids = node_ids(nodes, grads)
    values = {"a": "a = 5", "b": "b = 3", "c": "c = 2", "u": "u = 6", "v": "v = 11",
              "J": "J = 33"}
    for name, line in values.items():
        assert line in nodes[ids[name]], (name, nodes[ids[name]])
    # Local derivatives, by hand: u = bc, v = a + u, J = 3v.
    expected = {
        ("b", "u"): "∂u/∂b = c = 2",
        ("c", "u"): "∂u/∂c = b = 3",
        ("a", "v"): "∂v/∂a = 1",
        ("u", "v"): "∂v/∂u = 1",
        ("v", "J"): "∂J/∂v = 3",
    }
    for (parent, child), text in expected.items():
        assert edges[f"{ids[parent]}->o{ids[child][1:]}"] == [text]
    # The lecture's order: dJ, then dv, then da and du, then db and dc -- each node after
    # all of its consumers, the parents of a node in argument order.
    for step, name in enumerate(["J", "v", "a", "u", "b", "c"], 1):
        assert nodes[ids[name]][0] == str(step), (name, nodes[ids[name]])


def test_merged_ops_put_the_local_derivative_on_the_edge_between_values():
    nodes, edges, _ = svg_parts(draw_backward(lecture_graph(), show_ops=False))
    ids = node_ids(nodes, {"b": "db = 6", "u": "du = 3", "v": "dv = 3", "J": "dJ = 1"})
    assert edges[f"{ids['b']}->{ids['u']}"] == ["∂u/∂b = c = 2"]
    assert edges[f"{ids['v']}->{ids['J']}"] == ["∂J/∂v = 3"]
    assert not any(key.startswith("o") for key in nodes)


def test_the_local_derivatives_on_the_edges_are_the_graphs_own_numbers():
    J = lecture_graph()
    nodes, edges, _ = svg_parts(draw_backward(J, show_ops=False))
    order = graph.topological_order(J)
    for i, node in enumerate(order):
        for parent, d in zip(graph.parents(node), graph.local_derivatives(node)):
            label = edges[f"n{order.index(parent)}->n{i}"][0]
            assert label.endswith(f"= {d:g}")


def test_full_picture_stacks_forward_over_backward_with_steps_and_legend():
    J = lecture_graph()
    nodes, edges, ys = svg_parts(draw(J))
    top = {key: texts for key, texts in nodes.items() if key.startswith("f")}
    bottom = {key: texts for key, texts in nodes.items() if key.startswith("b")}
    assert node_ids(top, LECTURE_VALUES)
    assert node_ids(bottom, {"a": "da = 3", "b": "db = 6", "c": "dc = 9", "J": "dJ = 1"})
    assert set(top) | set(bottom) == set(nodes)
    # Forward above backward; the constant 3 has a stub forward only, since it gets no
    # gradient and its number is already in the backward edge's ∂J/∂v = 3.
    assert {key for key in top if "b" + key[1:] not in bottom} == {"fc5_0"}
    assert all(ys[key] < ys["b" + key[1:]] for key in top if key != "fc5_0")
    source = draw(J).source
    # The legend shows the kinds the picture has, naming them: the lecture has no data,
    # its a, b, c are leaves with a gradient (no nn parameters), and its 3 is a number.
    legend = {"parameter": "leaf with a gradient: a, b, c", "intermediate": "intermediate",
              "cost": "the root (cost): J"}
    for kind, text in legend.items():
        assert f'<td bgcolor="{KINDS[kind][0]}" border="1" color="{KINDS[kind][1]}"> {text} ' \
            in source
    assert "data, no gradient" not in source and "parameter" not in source
    assert '<td bgcolor="#f8fafc" border="1" color="#94a3b8" style="dashed"> ' \
        "3: a number, no node, no gradient </td>" in source
    # Backward arrows point right to left: same edges, drawn with dir=back.
    assert source.count("dir=back") == 8  # 5 argument edges, 3 op-to-value edges
    assert "fn0 -> fo4" in source and "bn0 -> bo4" in source


def test_nodes_are_coloured_by_kind():
    source = draw_forward(lecture_graph()).source
    lines = {
        line.split(" [")[0].strip(): line for line in source.splitlines() if " [label=" in line
    }
    param_fill, _, _ = KINDS["parameter"]
    cost_fill, _, _ = KINDS["cost"]
    inter_fill, _, _ = KINDS["intermediate"]
    assert param_fill in lines["n0"] and cost_fill in lines["n5"] and inter_fill in lines["n3"]


def test_inputs_come_in_argument_order_in_the_dot_source_and_top_to_bottom():
    p, q = Value(2.0, label="p"), Value(3.0, label="q")
    first = q * 1.0  # makes q come first in the topological order
    first.label = "first"
    w = p * q
    w.label = "w"
    z = first - w
    z.label = "z"
    z.backward()
    picture = draw_forward(z)
    source = picture.source
    ids = {graph.label(n): f"n{i}" for i, n in enumerate(graph.topological_order(z))}
    assert ids["q"] < ids["p"]  # topological order differs from w's argument order (p, q)
    op_w = "o" + ids["w"][1:]
    assert source.index(f"{ids['p']} -> {op_w}") < source.index(f"{ids['q']} -> {op_w}")
    _, _, ys = svg_parts(picture)
    assert ys[ids["p"]] < ys[ids["q"]]  # the first argument on top
    assert ys[ids["first"]] < ys[ids["w"]]
    # A number operand keeps its place too: 3 comes before v in J = 3·v.
    J = lecture_graph()
    source = draw_forward(J).source
    assert source.index("c5_0 -> o5") < source.index("n4 -> o5")
    _, _, ys = svg_parts(draw_forward(J))
    assert ys["c5_0"] < ys["n4"]


def test_labels_with_dot_syntax_characters_render():
    nasty = 'a<b|{c} & "d" \\l [e]'
    x = Value(2.0, label=nasty)
    y = x * x
    y.label = "y>{0}"
    y.backward()
    for picture in (draw_forward(y), draw_backward(y), draw(y)):
        nodes, edges, _ = svg_parts(picture)
        everything = [t for texts in (*nodes.values(), *edges.values()) for t in texts]
        assert any(nasty in t for t in everything)
        assert any("y>{0}" in t for t in everything)




def test_a_label_that_utf_8_cannot_encode_renders_with_a_stand_in():
    x = Value(2.0, label="x\ud800")  # a lone surrogate, as os.fsdecode makes of bad bytes
    y = x * x
    y.backward()
    nodes, _, _ = svg_parts(draw(y))
    assert "x? = 2" in [t for texts in nodes.values() for t in texts]


def test_a_label_that_is_not_a_string_is_drawn_as_its_text():
    # label is a plain attribute: users set numbers too (an index, a layer number).
    x = Value(2.0, label=7)
    y = x * x + x
    y.label = 1.5
    y.backward()
    for picture in (draw_forward(y), draw_backward(y), draw(y, clusters=True),
                    draw(y, zoom="layers")):
        nodes, _, _ = svg_parts(picture)
        assert any("7" in t for texts in nodes.values() for t in texts)
    assert "1.5 = 7·7 + 7 = 6" in [t for ts in svg_parts(draw_forward(y))[0].values() for t in ts]
    assert "d7 = 5" in format_node_table(y)


def test_dot_source_is_byte_identical_across_runs_and_processes():
    def build():
        return lecture_graph()

    assert draw(build()).source == draw(build()).source
    script = (
        "from micrograd_dls.cli import lecture_graph; from micrograd_dls.viz import draw;"
        "import sys; sys.stdout.write(draw(lecture_graph()).source)"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", script], capture_output=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    assert outputs.pop().decode() == draw(build()).source


def test_node_ids_follow_the_topological_order():
    import re

    J = lecture_graph()
    source = draw(J).source
    ids = set(re.findall(r"^\t([a-z]\w*) \[", source, flags=re.MULTILINE))
    ids -= {"graph", "node", "edge"}
    assert ids and all(re.fullmatch(r"[fb][noc]\d+(_\d+)?", key) for key in ids)
    n = len(graph.topological_order(J))
    assert {f"fn{i}" for i in range(n)} <= ids and {f"bn{i}" for i in range(n)} <= ids


def test_unnamed_nodes_are_named_by_their_expression_or_position():
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    t = (a * b + a).tanh()
    t.backward()
    nodes, _, _ = svg_parts(draw_forward(t, show_ops=False))
    texts = [line for lines in nodes.values() for line in lines]
    assert "a·b = 2" in texts
    assert "a·b + a = 3" in texts
    assert any(line.startswith("tanh(a·b + a) = 0.99") for line in texts)
    long = a
    for _ in range(6):
        long = long * b + a
    long.backward()
    source = draw_forward(long).source
    # Past 24 characters a node is named by its position, and spelled out once.
    assert "n8 = (((a·b + a)·b + a)·b + a)·b = " in source
    assert "label=<(n8 + a)·b = " in source


def test_node_cap_keeps_the_nodes_nearest_the_result_and_says_what_was_left_out():
    x = Value(1.0, label="x")
    y = x
    for _ in range(100_000):  # far past any recursion limit
        y = y * 1.0
    y.label = "y"
    y.backward()
    for picture in (draw_forward(y, max_nodes=30), draw_backward(y, max_nodes=30)):
        source = picture.source
        value_nodes = [line for line in source.splitlines() if line.strip().startswith("n")
                       and "[label=" in line and "->" not in line]
        assert len(value_nodes) == 31  # 30 drawn, 1 dashed stand-in for where the rest join
        assert "showing the 30 nodes nearest the result, of 100001" in source
        assert "99971 earlier nodes are left out" in source
        assert "n100000 [label=" in source and "n99970 [label=<⋯" in source
    assert DEFAULT_MAX_NODES < 100_001
    assert "earlier nodes are left out" in draw_forward(y).source
    assert "left out" not in draw_forward(lecture_graph()).source


def test_bad_arguments_are_named():
    J = lecture_graph()
    with pytest.raises(TypeError, match="Value or Tensor"):
        draw_forward(3.0)
    with pytest.raises(ValueError, match="zoom='everything'"):
        draw_forward(J, zoom="everything")
    with pytest.raises(ValueError, match="max_nodes=0"):
        draw(J, max_nodes=0)
    fresh = 3 * Value(2.0, label="a")
    fresh.label = "K"
    with pytest.raises(ValueError, match=r"call K.backward\(\) before"):
        draw_backward(fresh)
    with pytest.raises(ValueError, match=r"\.svg"):
        save_svg(draw_forward(J), "picture.png")
    with pytest.raises(TypeError, match="graphviz.Digraph"):
        save_svg("digraph {}", "picture.svg")


def test_save_writes_svg_png_and_pdf(tmp_path):
    picture = draw(lecture_graph())
    svg = save_svg(picture, tmp_path / "deep" / "lecture.svg")
    png = save_png(picture, tmp_path / "lecture.png")
    pdf = save_pdf(picture, tmp_path / "lecture.pdf")
    assert ET.parse(svg).getroot().tag == SVG + "svg"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pdf.read_bytes()[:5] == b"%PDF-"


def test_without_dot_the_source_remains_and_rendering_says_how_to_install(tmp_path,
                                                                          monkeypatch):
    picture = draw(lecture_graph())
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` anywhere
    assert "J = 3·v = 33" in picture.source
    with pytest.raises(GraphvizNotFoundError) as info:
        save_svg(picture, tmp_path / "lecture.svg")
    message = str(info.value)
    for hint in ("apt-get install graphviz", "brew install graphviz", "conda install graphviz"):
        assert hint in message
    assert not (tmp_path / "lecture.svg").exists()
    # In Jupyter the cell shows the hint and the DOT source instead of a traceback.
    bundle = picture._repr_mimebundle_()
    assert "brew install graphviz" in bundle["text/plain"]
    assert picture.source in bundle["text/plain"]
    assert "&lt;" in bundle["text/html"] or "<" not in picture.source


def test_in_jupyter_the_picture_shows_as_svg():
    import graphviz

    picture = draw_forward(lecture_graph())
    assert isinstance(picture, graphviz.Digraph)
    bundle = picture._repr_mimebundle_()
    assert ET.fromstring(bundle["image/svg+xml"]).tag == SVG + "svg"


def test_a_dot_failure_is_reported_in_one_line():
    picture = draw_forward(lecture_graph())
    picture.body.append("\tbroken [label=<<b>>]\n")
    with pytest.raises(RuntimeError, match="dot could not render the picture: Error: ") as info:
        pipe(picture, "svg")
    assert "\n" not in str(info.value) and "broken" in str(info.value)


def test_importing_viz_does_not_import_graphviz():
    script = (
        "import sys, micrograd_dls.viz, micrograd_dls.cli;"
        "sys.exit('graphviz' in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_node_table_lists_values_and_dvar_in_topological_order():
    table = format_node_table(lecture_graph()).splitlines()
    assert table[0].split() == ["node", "op", "value", "grad"]
    rows = [line.split(None, 3) for line in table[1:7]]
    assert [r[0] for r in rows] == ["a", "b", "c", "u", "v", "J"]
    assert [r[2] for r in rows] == ["5", "3", "2", "6", "11", "33"]
    assert [r[3] for r in rows] == ["da = 3", "db = 6", "dc = 9", "du = 3", "dv = 3", "dJ = 1"]
    # Then backpropagation's order, numbered as the pictures number it.
    assert table[7:] == ["backpropagation's order: 1 dJ, 2 dv, 3 da, 4 du, 5 db, 6 dc"]
    nodes, _, _ = svg_parts(draw_backward(lecture_graph()))
    badges = {texts[1]: texts[0] for texts in nodes.values() if texts[0].isdigit()}
    assert badges == {"dJ = 1": "1", "dv = 3": "2", "da = 3": "3", "du = 3": "4",
                      "db = 6": "5", "dc = 9": "6"}


def test_drawing_leaves_the_garbage_collector_as_it_found_it(monkeypatch):
    import gc

    from micrograd_dls.viz import drawing, step_through

    J = lecture_graph()
    assert gc.isenabled()
    draw(J)
    step_through(J)
    assert gc.isenabled()
    gc.disable()
    try:
        draw(J)
        assert not gc.isenabled()
    finally:
        gc.enable()
    def broken(*args, **kwargs):
        raise RuntimeError("while reading the graph")

    monkeypatch.setattr(drawing, "read_scene", broken)
    with pytest.raises(RuntimeError, match="while reading"):  # an error inside restores it too
        draw(J)
    assert gc.isenabled()


def _sources(root):
    from micrograd_dls.viz import draw

    return [draw(root, **kw).source for kw in
            ({}, {"show_ops": False}, {"max_nodes": 4}, {"clusters": True})]


def test_the_direct_scalar_edge_writes_what_the_general_path_writes(monkeypatch):
    """zoom_ops._one_scalar_edge is a fast path of emit_ops: with it turned off, the
    general bookkeeping must write the same DOT, byte for byte."""
    from micrograd_dls.viz import zoom_ops

    x = Value(0.5, label="x")
    y = x
    for _ in range(4):
        y = (1.0001 * y + 0.1).tanh()
    a = Value(2.0, label="a")
    J = y * a + a * a - 3 / a  # a used twice in one node, numbers on either side
    J.backward()
    roots = [J, lecture_graph()]
    fast = [_sources(r) for r in roots]
    monkeypatch.setattr(zoom_ops, "_one_scalar_edge", lambda *args: False)
    assert [_sources(r) for r in roots] == fast
