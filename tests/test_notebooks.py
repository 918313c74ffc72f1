"""The notebooks as stored: outputs stripped, numbered by the course's weeks.

``make test`` executes them (nbmake); this checks what git holds.
"""

import json
import pathlib
import re

import pytest

NOTEBOOKS = sorted((pathlib.Path(__file__).parent.parent / "notebooks").glob("*.ipynb"))


def test_the_course_weeks_each_have_a_notebook_in_order():
    weeks = {}
    for path in NOTEBOOKS:
        title = json.loads(path.read_text())["cells"][0]["source"]
        title = "".join(title) if isinstance(title, list) else title
        match = re.match(r"# Week (\d)", title)
        if match:
            weeks[path.name] = int(match.group(1))
            assert re.match(rf"\d\d_week{match.group(1)}_", path.name), path.name
    assert sorted(set(weeks.values())) == [2, 3, 4]
    assert list(weeks.values()) == sorted(weeks.values()), "numbers follow the weeks"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_notebook_is_stored_without_outputs(path):
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, path.name


@pytest.mark.parametrize("name", ["02_week2_logistic_regression.ipynb",
                                  "04_week4_deep_network.ipynb"])
def test_the_picture_notebooks_say_which_data_they_learn_from(name):
    source = "".join("".join(c["source"]) for c in
                     json.loads((NOTEBOOKS[0].parent / name).read_text())["cells"])
    assert "load_course_images()" in source and "print('data:', train.source)" in source


def _run_code_cells(path):
    """Each code cell's printed output, running the notebook's code cells in order here (as
    nbmake does in a kernel), with each cell's source registered as a file for its lines."""
    import contextlib
    import io
    import linecache

    namespace = {"__name__": "__main__"}
    outputs = []
    for number, cell in enumerate(json.loads(path.read_text())["cells"]):
        source = "".join(cell["source"])
        if cell["cell_type"] != "code":
            outputs.append(None)
            continue
        filename = f"<ipython-input-{number}-{path.stem}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(source, filename, "exec"), namespace)
        outputs.append(printed.getvalue())
    return outputs


def test_notebook_05_says_what_each_report_under_it_prints():
    """A cell that begins "**The report:**" quotes the output of the code cell above it: each
    of its `quoted` fragments is in that output (line breaks of the printed report aside)."""
    path = NOTEBOOKS[0].parent / "05_check_your_own_backprop.ipynb"
    cells = json.loads(path.read_text())["cells"]
    outputs = _run_code_cells(path)
    claims = 0
    for number, cell in enumerate(cells):
        text = "".join(cell["source"])
        if cell["cell_type"] != "markdown" or not text.startswith("**The report:**"):
            continue
        above = next(outputs[k] for k in range(number - 1, -1, -1) if outputs[k] is not None)
        printed = " ".join(above.split())
        fragments = re.findall(r"`([^`]+)`", text)
        assert fragments, text
        for fragment in fragments:
            assert " ".join(fragment.split()) in printed, (fragment, above)
        claims += 1
    assert claims == 8
