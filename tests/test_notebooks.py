"""The notebooks as stored (outputs stripped, numbered by the course's weeks), and run:
what their text says is what their outputs show, and their pictures fit.

``make test`` also executes them on their own (nbmake).
"""

import base64
import html as html_module
import json
import math
import pathlib
import re
import struct
from collections.abc import Callable
from dataclasses import dataclass

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


# --- what the notebooks say, held to what they print ---------------------------------------
#
# Each notebook is executed here (once per module, as nbmake would) and every claim of
# its text that states a number or a shape is matched to the outputs of the code cells
# that follow it. A claim is a phrase of the text (which must still be there, word for
# word) and a check of the outputs; a figure the notebook does not compute -- the
# course's own published numbers, a setting, a tolerance -- is listed as such, with why.
# Any other percentage, shape, long decimal or power of ten in the text fails the test:
# a new claim has to come with its check.

MINE = ["01_week2_computation_graph.ipynb", "02_week2_logistic_regression.ipynb",
        "03_week3_planar_flower.ipynb", "04_week4_deep_network.ipynb",
        "06_check_autograd.ipynb"]
#: What the text must not state unchecked: percentages, shapes, long decimals, 1e-5.
FIGURE = re.compile(r"\d+(?:\.\d+)? ?%|\(\d+, \d+\)|\b\d+\.\d{3,}\b|\b\d(?:\.\d+)?e-?\d+\b")


@dataclass
class Executed:
    """A notebook after running: its cells, and the text of each code cell's outputs."""

    cells: list[dict]
    texts: list[str]

    def markdown_index(self, phrase: str) -> int:
        found = [i for i, c in enumerate(self.cells)
                 if c["cell_type"] == "markdown" and phrase in "".join(c["source"])]
        assert len(found) == 1, f"the text no longer says {phrase!r} (or says it twice)"
        return found[0]

    def after(self, phrase: str) -> str:
        """The outputs next to the phrase: of the code cells between the markdown cells
        before and after the phrase's own."""
        at = self.markdown_index(phrase)
        out = []
        for step in (-1, 1):
            i = at + step
            while 0 <= i < len(self.cells) and self.cells[i]["cell_type"] == "code":
                out.append(self.texts[i])
                i += step
        assert out, f"no code cell next to {phrase!r}"
        return "\n".join(out)

    def everywhere(self) -> str:
        return "\n".join(self.texts)


def _output_text(cell: dict) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append("".join(out["text"]))
        data = out.get("data", {})
        for kind in ("text/plain", "image/svg+xml", "text/html"):
            if kind in data:
                text = data[kind]
                text = "".join(text) if isinstance(text, list) else text
                if kind != "text/plain":  # the texts of a picture or a page, one a line
                    text = html_module.unescape(re.sub(r"<[^>]+>", "\n", text))
                    text = text.replace("\\u003c", "<")
                    text = "\n".join(line.strip() for line in text.splitlines() if line.strip())
                parts.append(text)
    return "\n".join(parts)


_EXECUTED: dict[str, Executed] = {}


def executed(name: str) -> Executed:
    if name not in _EXECUTED:
        nbformat = pytest.importorskip("nbformat")
        nbclient = pytest.importorskip("nbclient")
        path = NOTEBOOKS[0].parent / name
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
        cells = [dict(c) for c in nb.cells]
        _EXECUTED[name] = Executed(cells, [_output_text(c) if c["cell_type"] == "code" else ""
                                           for c in cells])
    return _EXECUTED[name]


def numbers(pattern: str, text: str) -> list[float]:
    found = [float(m.replace(",", "")) for m in re.findall(pattern, text)]
    assert found, f"the outputs print nothing like {pattern!r}"
    return found


@dataclass
class Claim:
    phrase: str  # in the text, word for word
    check: Callable[[Executed, str], None]  # the notebook, and the phrase


def printed(*lines: str) -> Callable[[Executed, str], None]:
    """Each line appears in the outputs that follow the claim."""
    def check(nb: Executed, phrase: str) -> None:
        out = nb.after(phrase)
        for line in lines:
            assert line in out, f"{phrase!r}: the outputs do not show {line!r}"
    return check


def near(pattern: str, value: float, tolerance: float, anywhere: bool = False,
         every: bool = True) -> Callable[[Executed, str], None]:
    """The numbers the outputs print where ``pattern`` matches are ``value`` ± tolerance
    (every one of them, or with ``every=False`` at least one)."""
    def check(nb: Executed, phrase: str) -> None:
        found = numbers(pattern, nb.everywhere() if anywhere else nb.after(phrase))
        close = [abs(x - value) <= tolerance for x in found]
        assert all(close) if every else any(close), (phrase, pattern, found)
    return check


def both(*checks: Callable[[Executed, str], None]) -> Callable[[Executed, str], None]:
    def check(nb: Executed, phrase: str) -> None:
        for c in checks:
            c(nb, phrase)
    return check


def _one_example_derivatives(nb: Executed, phrase: str) -> None:
    out = nb.after(phrase)
    a, da, dz = (float(x) for x in re.search(
        r"y = 1, a = ([\d.]+), da = (-?[\d.]+) = -1/a, dz = (-?[\d.]+) = a - y", out).groups())
    assert math.isclose(da, -1 / a, rel_tol=1e-3) and math.isclose(dz, a - 1, abs_tol=1e-4)


def _pixels_are_data(nb: Executed, phrase: str) -> None:
    out = nb.after(phrase)
    # the table: node, op, value, grad
    assert sorted(re.findall(r"^(x[12]) +data +\S+ +no gradient$", out, re.M)) == ["x1", "x2"]
    for x in ("x1", "x2"):
        assert re.search(rf"\n{x}\nno gradient\n{x} = ", out), f"{x} is not drawn as data"
        assert f"d{x} =" not in out and f"d{x}\n" not in out
    assert "x1: data, no gradient" in nb.everywhere()  # the stepper, further on, too


def _flows_back(nb: Executed, phrase: str) -> None:
    out = nb.after(phrase)
    rows = re.findall(r"^\s*(.+?): first cost.*\n\s+‖dZ\[l\]‖, l = 4 to 1: ([^;]+); "
                      r"‖dW\[l\]‖, l = 4 to 1: (.+)$", out, re.M)
    assert {name for name, _, _ in rows} == {"zeros", "× 0.01", "× 10", "He"}, rows
    dZ = {name: [float(x) for x in dz.split(", ")] for name, dz, _ in rows}  # l = 4 .. 1
    dW = {name: [float(x) for x in dw.split(", ")] for name, _, dw in rows}
    # "from × 0.01 weights it shrinks by more than a factor of 10 at every layer it crosses,
    # from × 10 weights it grows by more than 10 at every layer, and with He it holds its
    # size (within a factor of 3)"
    assert all(later < earlier / 10 for earlier, later in zip(dZ["× 0.01"], dZ["× 0.01"][1:]))
    assert all(later > earlier * 10 for earlier, later in zip(dZ["× 10"], dZ["× 10"][1:]))
    assert max(dZ["He"]) < 3 * min(dZ["He"])
    # "× 0.01: about 1e-5 in every layer", "× 10: 1e4 to 1e5 in every layer"
    assert all(3e-6 < n < 3e-5 for n in dW["× 0.01"]) and all(1e4 < n < 1e5 for n in dW["× 10"])


def _only_he_learns(nb: Executed, phrase: str) -> None:
    out = nb.after(phrase)
    accuracy = {k.strip(): float(v) for k, v in re.findall(r"^\s*(.+?): train accuracy (\d+) %",
                                                             out, re.M)}
    no = float(re.search(r'answering "no" to every picture: (\d+) %', out).group(1))
    assert {k: v for k, v in accuracy.items() if k != "He"} == \
        {"zeros": no, "× 0.01": no, "× 10": no} and accuracy["He"] > no


CLAIMS: dict[str, list[Claim]] = {
    "01_week2_computation_graph.ipynb": [
        Claim("`dv = 3`, `du = 3`, `da = 3`, `db = 6`, `dc = 9`",
              printed("v = 11   dv = 3", "u = 6   du = 3", "a = 5   da = 3", "b = 3   db = 6",
                      "c = 2   dc = 9")),
        Claim("`∂u/∂b = c = 2`, `∂u/∂c = b = 3`", printed("∂u/∂b = 2", "∂u/∂c = 3")),
        Claim("`J = 33` on the right", printed("J = 3·v = 33")),
        Claim("`dJ` first, then `dv`, then `da` and `du`, then `db` and `dc`",
              printed("backpropagation's order: 1 dJ, 2 dv, 3 da, 4 du, 5 db, 6 dc")),
        Claim("(`u = b·c = 3·2 = 6`)", printed("u = b·c = 3·2 = 6")),
        Claim("(`db = du · ∂u/∂b = 3 · 2 = 6`)", printed("db = du · ∂u/∂b = 3 · 2 = 6")),
    ],
    "02_week2_logistic_regression.ipynb": [
        Claim("(here `−1/a`) and `dz = a − y`", _one_example_derivatives),
        Claim("so the picture, the table and the stepper give them none", _pixels_are_data),
        Claim("the picture reads top to bottom, the values first, then the gradients",
              printed("top: forward pass: values, top to bottom",
                      "bottom: backward pass: dvar = ∂L/∂var, bottom to top;")),
    ],
    "03_week3_planar_flower.ipynb": [
        Claim("the course reports 47%", near(r"Accuracy of logistic regression: (\d+)%", 47, 0)),
        Claim("the accuracy has already passed 90%",
              near(r"Accuracy of the shallow network: (\d+)%", 95, 5)),
        Claim("The first cost is the course's published `0.693048`",
              printed("Cost after iteration 0: 0.693048")),
        Claim("`W[1]` is `(4, 2)`, `A[1]` is `(4, 400)`",
              printed("W[1]\n(4, 2)", "→ A[1]\n(4, 400)")),
        Claim("at the start the network gives it `a = 0.5`, wrong like every point, and by "
              "iteration 1000 it is right",
              printed("iteration 0: example 50, label y = 0", "its prediction a = 0.5, so ŷ = 1: "
                      "wrong", "iteration 1000: example 50, label y = 0")),
        Claim("The gradients on the page are that example's own (`m = 1`)",
              printed("the gradients of its own loss (m = 1; training steps along their mean "
                      "over the 400 examples)")),
        Claim("the mean over the `m = 400` examples, so the cost hands back "
              "`dZ[2] = (1/m)(A[2] − Y)`",
              printed("m = 400 examples", "dZ[2] = (1/m)(σ(Z[2]) - Y)", "dW[2] = dZ[2]·A[1]ᵀ",
                      "dA[1] = W[2]ᵀ·dZ[2]")),
        Claim("(`Z[1] = W[1]·X + b[1] : (4, 400) = (4, 2)·(2, 400) + (4, 1)`)",
              printed("Z[1] = W[1]·X + b[1] : (4, 400) = (4, 2)·(2, 400) + (4, 1)")),
        Claim("(`dW[1] = dZ[1]·Xᵀ : (4, 2) = (4, 400)·(400, 2)`)",
              printed("dW[1] = dZ[1]·Xᵀ : (4, 2) = (4, 400)·(400, 2)")),
        Claim("about 67 % of the points",
              near(r"Accuracy for [12] hidden units: ([\d.]+) %", 67, 1)),
        Claim("against 47 %", near(r"Accuracy of logistic regression: (\d+)%", 47, 0,
                                   anywhere=True)),
        Claim("the network follows the petals, about 90 %",
              near(r"Accuracy for (?:[345]|20|50) hidden units: ([\d.]+) %", 90, 1.5)),
        Claim("on the flower's 200 red and 200 blue points",
              both(printed("200 red and 200 blue points"),
                   near(r"db\[2\] = \[(-?[\d.]+)\]", 0, 0))),
        Claim("it gets about 66 % of the points right",
              near(r"symmetric start: ([\d.]+) % accurate", 66, 1)),
        Claim("against about 91 % for the random start",
              near(r"random start: ([\d.]+) % accurate", 91, 1)),
    ],
    "04_week4_deep_network.ipynb": [
        Claim("at every layer it crosses, from `× 10` weights it grows by more than 10",
              _flows_back),
        Claim("`‖dW[l]‖` is about as large in every layer", _flows_back),
        Claim("× 0.01 barely moves them and settles where it answers \"no\" to every picture",
              _only_he_learns),
    ],
    "06_check_autograd.ipynb": [
        Claim("The bias `b` of shape `(1, 1)`", printed("db = 0.114\nb = 0.3\n(1, 1)")),
    ],
}

#: Figures in the text that the notebook does not compute, and why.
GIVEN = {
    "02_week2_logistic_regression.ipynb": [
        "the course's settings are `α = 0.005`",  # the course's setting for the cats
    ],
    "03_week3_planar_flower.ipynb": [
        # the shapes a course's formula writes, as the rule with shapes just after shows
    ],
    "04_week4_deep_network.ipynb": [
        "The course's learning rate `α = 0.0075`",  # the course's setting for the cats
        "on the cats 72 % for the two-layer and 80 % for the L-layer model",  # the course's
        "(`× 0.01`: about 1e-5 in every layer) or far too large (`× 10`: 1e4 to 1e5",  # above
    ],
    "06_check_autograd.ipynb": [
        "must agree to a relative 1e-10",  # the tolerance the cell asserts
        "A difference around 1e-7 or below",  # the course's threshold, asserted by the cell
    ],
}


@pytest.mark.parametrize("name", MINE)
def test_every_figure_the_text_states_is_checked_or_given(name):
    notebook = json.loads((NOTEBOOKS[0].parent / name).read_text())
    phrases = [c.phrase for c in CLAIMS.get(name, [])] + GIVEN.get(name, [])
    left = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for phrase in phrases:
            text = text.replace(phrase, " ")
        left += FIGURE.findall(text)
    assert not left, f"{name}: figures in the text with no check: {left}"


CASES = [(name, claim) for name, claims in CLAIMS.items() for claim in claims]


@pytest.mark.parametrize("name, claim", CASES, ids=[f"{n[:2]}: {c.phrase[:40]}" for n, c in CASES])
def test_the_text_says_what_the_outputs_show(name, claim):
    claim.check(executed(name), claim.phrase)


@pytest.mark.parametrize("name", MINE)
def test_every_picture_fits_a_notebook_and_shows_without_svg(name):
    nb = executed(name)
    widths = []
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "image/svg+xml" in data:
                assert "image/png" in data and "text/plain" in data
                assert "Picture object at" not in "".join(data["text/plain"])
            if "image/png" in data:
                png = base64.b64decode("".join(data["image/png"]))
                widths.append(struct.unpack(">II", png[16:24])[0])
            if "text/html" in data:
                assert "interactive page of" in "".join(data.get("text/plain", ""))
    assert widths and max(widths) <= 900, widths


@pytest.mark.parametrize("name, pages", [("01_week2_computation_graph.ipynb", 1),
                                         ("02_week2_logistic_regression.ipynb", 1),
                                         ("03_week3_planar_flower.ipynb", 2),
                                         ("04_week4_deep_network.ipynb", 1)])
def test_the_weeks_notebooks_step_through_their_graphs(name, pages):
    nb = executed(name)
    pages_shown = [t for t in nb.texts if "An interactive page: its buttons need a script" in t]
    assert len(pages_shown) == pages
    if name.startswith("03"):
        assert any("cost J on all the examples" in t for t in pages_shown)  # the training page
    if name.startswith("04"):
        assert any("backward 1 of 5: cost (BCE) · dJ = 1" in t for t in pages_shown)
