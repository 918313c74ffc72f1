"""``micrograd-dls graph`` and the pictures ``micrograd-dls demo`` renders."""

from __future__ import annotations

import os
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

from micrograd_dls import cli
from micrograd_dls.cli import main

pytestmark = pytest.mark.drawing  # no BLAS-dependent figures: see conftest.py

SVG = "{http://www.w3.org/2000/svg}"


def texts(path) -> list[str]:
    return [(t.text or "").strip() for t in ET.parse(path).getroot().iter(SVG + "text")]


def test_graph_writes_forward_and_backward_svg_and_prints_the_table(tmp_path, capsys):
    status = main(["graph", "u = b*c; v = a + u; J = 3*v", "a=5", "b=3", "c=2",
                   "--out", str(tmp_path)])
    out = capsys.readouterr().out
    assert status == 0
    rows = [line.split(None, 3) for line in out.splitlines()[1:7]]
    assert [r[0] for r in rows] == ["a", "b", "c", "u", "v", "J"]
    assert [r[2] for r in rows] == ["5", "3", "2", "6", "11", "33"]
    assert [r[3] for r in rows] == ["da = 3", "db = 6", "dc = 9", "du = 3", "dv = 3", "dJ = 1"]
    forward, backward = tmp_path / "forward.svg", tmp_path / "backward.svg"
    assert f"wrote {forward}" in out and f"wrote {backward}" in out
    assert {"a = 5", "b = 3", "c = 2", "u = b·c = 6", "v = a + u = 11", "J = 3·v = 33"} <= set(
        texts(forward)
    )
    assert {"da = 3", "db = 6", "dc = 9", "du = 3", "dv = 3", "∂u/∂b = c = 2",
            "∂J/∂v = 3"} <= set(texts(backward))


def test_graph_of_the_one_line_form_names_nodes_by_their_expression(tmp_path, capsys):
    assert main(["graph", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "--merge-ops",
                 "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert ["b·c", "*", "6", "d(b·c) = 3"] in [line.split(None, 3) for line in out.splitlines()]
    assert "J = 3·(a + b·c) = 33" in texts(tmp_path / "forward.svg")


@pytest.mark.parametrize(
    "expression, values, message",
    [
        ("__import__('os')", [], "__import__ is not an allowed function"),
        ("J = a.b", ["a=1"], "attribute access is not allowed"),
        ("J = open(a)", ["a=1"], "open is not an allowed function"),
        ("J = 3*q", ["a=1"], "q has no value"),
        ("J = a*b", ["a=1"], "b has no value"),
        ("J = 3*(a +", ["a=1"], "syntax error (column 7)"),
        ("J = 3*a", ["a=x"], "'a=x': 'x' is not a number"),
    ],
)
def test_bad_expressions_exit_2_with_one_line(tmp_path, capsys, expression, values, message):
    status = main(["graph", expression, *values, "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("micrograd-dls: error: ")
    assert message in err
    assert not list(tmp_path.iterdir())


def test_graph_without_an_expression_is_a_usage_error(capsys):
    assert main(["graph"]) == 2
    assert "expression" in capsys.readouterr().err


def test_graph_without_dot_writes_the_dot_source_and_says_how_to_install(tmp_path, capsys,
                                                                          monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    status = main(["graph", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "--out", str(tmp_path)])
    captured = capsys.readouterr()
    assert status == 1
    assert "apt-get install graphviz" in captured.err and captured.err.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["backward.dot", "forward.dot",
                                                         "graph.dot"]
    assert "J = 3·(a + b·c) = 33" in (tmp_path / "forward.dot").read_text(encoding="utf-8")


def test_demo_renders_the_lectures_pictures_and_says_where(tmp_path, capsys, monkeypatch):
    # the models have their own tests
    monkeypatch.setattr(cli.demo, "print_flower_comparison", lambda: None)
    out_dir = tmp_path / "pictures"
    assert main(["demo", "--out", str(out_dir)]) == 0
    out = capsys.readouterr().out
    for name in ("forward", "backward", "lecture"):
        path = out_dir / f"{name}.svg"
        assert f"wrote {path}" in out
        assert ET.parse(path).getroot().tag == SVG + "svg"
    assert "J = 3·v = 33" in texts(out_dir / "lecture.svg")
    assert "dc = 9" in texts(out_dir / "lecture.svg")
    page = out_dir / "lecture.html"
    assert f"open file://{page}" in out
    assert "u = b·c = 3·2 = 6" in page.read_text(encoding="utf-8")


def test_the_console_script_runs_the_graph_command(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "micrograd_dls", "graph", "J = tanh(w*x + b)", "w=0.5", "x=2",
         "b=-1", "--out", str(tmp_path)],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "dw = 2" in result.stdout  # dJ/dw = (1 - tanh(0)²)·x = 2
    assert (tmp_path / "backward.svg").exists()


NO_COMMAND = """\
usage: micrograd-dls [-h] [--version] {demo,graph,train,check} ...
micrograd-dls: error: give a command:
  demo   the lecture's graph, rendered, and the course's models
  graph  draw the forward and backward graph of an expression
  train  train a model on a built-in data set or an .h5 file
  check  check a notebook's graded functions as the course's grader does
(micrograd-dls COMMAND -h describes its options; micrograd-dls -h, everything)
"""


def test_no_command_prints_the_usage_and_each_command_with_status_2(capsys):
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == NO_COMMAND


def test_the_console_script_without_arguments_lists_the_commands():
    result = subprocess.run([sys.executable, "-m", "micrograd_dls"], capture_output=True,
                            text=True)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr == NO_COMMAND


def test_each_command_is_its_own_module_and_the_parser_lists_them_in_order():
    assert list(cli.COMMANDS) == ["demo", "graph", "train", "check"]
    for name, module in cli.COMMANDS.items():
        assert module.__name__ == f"micrograd_dls.cli.{name}"
        assert callable(module.run) and callable(module.add_parser)
    assert cli.lecture_graph is cli.demo.lecture_graph  # README and notebooks import it here


def test_the_command_line_loads_neither_graphviz_nor_matplotlib_until_used():
    script = (
        "import sys; from micrograd_dls.cli import build_parser; build_parser();"
        "loaded = {'graphviz', 'matplotlib', 'h5py', 'tqdm'} & set(sys.modules);"
        "sys.exit(', '.join(sorted(loaded)) or None)"
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def one_line_error(capsys) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("micrograd-dls: error: "), err
    return err


@pytest.mark.parametrize("command", [["graph", "J = 3*a", "a=5"], ["demo"]])
def test_an_output_folder_that_cannot_be_made_is_one_line_and_status_2(tmp_path, capsys,
                                                                       monkeypatch, command):
    monkeypatch.setattr(cli.demo, "print_flower_comparison", lambda: None)
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    for out in (blocker, blocker / "sub"):
        assert main([*command, "--out", str(out)]) == 2
        assert f"--out {str(out)!r}: cannot create the folder" in one_line_error(capsys)


def test_a_picture_that_cannot_be_written_is_one_line_and_status_2(tmp_path, capsys):
    (tmp_path / "forward.svg").mkdir()
    assert main(["graph", "J = 3*a", "a=5", "--out", str(tmp_path)]) == 2
    assert f"cannot write {str(tmp_path / 'forward.svg')!r}" in one_line_error(capsys)


def test_a_failing_dot_program_is_one_line_and_status_1(tmp_path, capsys, monkeypatch):
    fake = tmp_path / "bin" / "dot"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Error: something broke' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    assert main(["graph", "J = 3*a", "a=5", "--out", str(tmp_path / "out")]) == 1
    assert "dot could not render the picture: Error: something broke" in one_line_error(capsys)


def test_an_expression_that_starts_with_a_minus_is_told_how_to_pass_it(tmp_path, capsys):
    assert main(["graph", "-a*b", "a=5", "b=3", "--out", str(tmp_path)]) == 2
    err = one_line_error(capsys)
    assert "'-a*b' reads as an option" in err and "-- '-a*b' a=1" in err
    assert main(["graph", "--out", str(tmp_path), "--", "-a*b", "a=5", "b=3"]) == 0


def test_help_and_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out.startswith("micrograd-dls ")
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert "``" not in out and "micrograd-dls graph" in out
    with pytest.raises(SystemExit):
        main(["graph", "--help"])
    assert "forward.svg, backward.svg and graph.svg" in capsys.readouterr().out


def test_a_gradient_that_overflows_is_drawn_but_said_out_loud(tmp_path, capsys):
    # d log(x)/dx = 1/x with x = 1e-320 is beyond a float.
    assert main(["graph", "J = log(a - 5 + 1e-320)", "a=5", "--out", str(tmp_path)]) == 0
    captured = capsys.readouterr()
    assert "da = inf" in captured.out
    assert captured.err == (
        "micrograd-dls: warning: 3 gradients are not finite, da = inf first; "
        "a local derivative overflows a float\n"
    )


def test_values_without_an_expression_or_in_one_argument_are_told_apart(tmp_path, capsys):
    assert main(["graph", "a=5", "b=3", "--out", str(tmp_path)]) == 2
    assert "'a=5' is an input value, not an expression; give the expression first" in (
        one_line_error(capsys))
    for values in ("a=5 b=3", "a=5,b=3"):
        assert main(["graph", "J = a*b", values, "--out", str(tmp_path)]) == 2
        assert "give each value as its own argument: a=5 b=3" in one_line_error(capsys)


def test_demo_without_dot_still_trains_and_ends_with_status_1(tmp_path, capsys, monkeypatch):
    trained = []
    monkeypatch.setattr(cli.demo, "print_flower_comparison", lambda: trained.append(True))
    monkeypatch.setenv("PATH", str(tmp_path))
    assert main(["demo", "--out", str(tmp_path / "out")]) == 1
    assert trained == [True] and "apt-get install graphviz" in capsys.readouterr().err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "backward.dot", "forward.dot", "lecture.dot"]


def test_graph_writes_the_combined_picture_and_with_html_the_stepper(tmp_path, capsys):
    page = tmp_path / "steps.html"
    assert main(["graph", "u = b*c; v = a + u; J = 3*v", "a=5", "b=3", "c=2",
                 "--out", str(tmp_path), "--html", str(page)]) == 0
    out = capsys.readouterr().out
    both = texts(tmp_path / "graph.svg")
    assert {"J = 3·v = 33", "dc = 9"} <= set(both)  # forward and backward in one picture
    assert f"wrote {page}" in out
    text = page.read_text(encoding="utf-8")
    assert "db = du · ∂u/∂b = 3 · 2 = 6" in text and "<script" in text


def test_an_html_file_that_is_not_html_is_a_usage_error(tmp_path, capsys):
    assert main(["graph", "J = 3*a", "a=1", "--out", str(tmp_path),
                 "--html", str(tmp_path / "steps.svg")]) == 2
    assert "ending in .html" in capsys.readouterr().err


def many_terms(n: int) -> str:
    return "J = " + "+".join(["a"] * n)


def chain(n: int) -> str:
    return "; ".join(["u0 = 2*a"] + [f"u{i} = u{i - 1}*a" for i in range(1, n)])


@pytest.mark.parametrize("expression", [many_terms(50), many_terms(300), chain(60)])
def test_a_node_with_many_consumers_draws_no_long_edges(tmp_path, capsys, expression):
    # dot's time goes into long edges across many ranks; a node used by many
    # consumers is drawn beside its first one, and as a small copy beside each other.
    from micrograd_dls import graph as g
    from micrograd_dls.expression import build, parse_values
    from micrograd_dls.viz import draw

    root = build(expression, parse_values(["a=1.01"]))
    root.backward()
    source = draw(root).source
    a = [n for n in g.topological_order(root) if g.label(n) == "a"][0]
    key = f"n{g.topological_order(root).index(a)}"
    for prefix in "fb":
        # at most one edge leaves a itself; the rest leave its copies fa_<k>, ba_<k>
        assert source.count(f"\t{prefix}{key} -> ") <= 1
    copies = [line for line in source.splitlines() if line.startswith(f"\tf{key}_")
              and " -> " not in line]
    assert len(copies) >= 40
    assert main(["graph", expression, "a=1.01", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "graph.svg").stat().st_size > 0


def test_a_parent_used_twice_is_one_edge_marked_x2(tmp_path):
    from micrograd_dls.expression import build, parse_values
    from micrograd_dls.viz import draw_backward

    root = build("J = a*a", parse_values(["a=3"]))
    root.backward()
    source = draw_backward(root).source
    assert source.count("n0 -> o1") == 1
    assert "∂J/∂a = a = 3<br/>×2" in source  # twice ∂(a·a)/∂a = a: dJ/da = 2a = 6
    assert "dJ = 1" in source and "da = 6" in source


def test_a_dot_run_that_takes_too_long_ends_in_one_line(tmp_path, capsys, monkeypatch):
    from micrograd_dls.viz import GraphvizTimeoutError, draw, render, save_svg

    with pytest.raises(GraphvizTimeoutError, match="within 1e-06 s") as info:
        save_svg(draw(cli.lecture_graph()), tmp_path / "x.svg", timeout=1e-6)
    assert "\n" not in str(info.value) and "max_nodes" in str(info.value)
    with pytest.raises(ValueError, match="timeout=0"):
        save_svg(draw(cli.lecture_graph()), tmp_path / "x.svg", timeout=0)
    monkeypatch.setattr(render, "DOT_TIMEOUT", 1e-6)
    status = main(["graph", "J = 3*a", "a=1", "--out", str(tmp_path)])
    err = capsys.readouterr().err
    assert status == 1 and err.count("\n") == 1 and "did not finish the layout" in err


def test_file_names_that_are_not_utf8_are_printed_escaped(tmp_path):
    """Python hands such a name over with surrogates in it, which a UTF-8 stdout refuses."""
    out, page = os.fsdecode(b"out\xff"), os.fsdecode(b"steps\xfe.html")
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        [sys.executable, "-m", "micrograd_dls", "graph", "J = 3*a", "a=5",
         "--out", os.fsencode(out), "--html", os.fsencode(page)],
        cwd=tmp_path, env=env, capture_output=True, timeout=120)
    err = result.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err
    text = result.stdout.decode("utf-8")
    if result.returncode == 1:  # no Graphviz: the DOT sources are written and said so
        assert "wrote out\\xff/forward.dot (DOT source)" in text
        return
    assert result.returncode == 0, err
    assert "wrote out\\xff/forward.svg" in text.splitlines()
    assert f"wrote steps\\xfe.html -- open file://{tmp_path}/steps\\xfe.html in a browser" in text
    assert (tmp_path / out / "forward.svg").exists() and (tmp_path / page).exists()


def test_a_path_is_shown_with_its_undecodable_bytes_and_control_characters_escaped():
    from micrograd_dls.cli.common import path_text

    assert path_text("out/forward.svg") == "out/forward.svg"
    assert path_text("répertoire/ŷ.svg") == "répertoire/ŷ.svg"  # valid UTF-8 stays as it is
    assert path_text(os.fsdecode(b"bad\xff.h5")) == "bad\\xff.h5"
    assert path_text(b"bad\xff.h5") == "bad\\xff.h5"
    assert path_text("two\nlines\t.svg") == "two\\nlines\\t.svg"  # one line stays one line
    assert path_text("lone\ud800.svg") == "lone\\ud800.svg"  # no file system makes this one


def test_demo_names_a_folder_that_is_not_utf8_escaped(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli.demo, "print_flower_comparison", lambda: None)
    out = tmp_path / os.fsdecode(b"pictures\xff")
    main(["demo", "--out", str(out)])
    printed = capsys.readouterr().out
    assert f"both together, in {tmp_path}/pictures\\xff/:" in printed
    assert "\udcff" not in printed
