"""functions_from_notebook: the graded functions of a notebook (or .py file), taken from its
code cells without running anything else of it -- and hostile notebooks refused in
bounded time with a clear ValueError."""

import json
import time

import numpy as np
import pytest

from micrograd_dls.testing import (
    check_assignment,
    functions_from_notebook,
    given_helpers,
    graded_names,
)
from micrograd_dls.testing import notebook as notebook_module


def notebook(*sources, markdown=("# Week 3",)):
    cells = [{"cell_type": "markdown", "metadata": {}, "source": m} for m in markdown]
    cells += [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
               "source": s.splitlines(keepends=True)} for s in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


IMPORTS = "%matplotlib inline\nimport numpy as np\nimport copy\nimport os\n!pip install nothing\n"
LAYER_SIZES = ("def layer_sizes(X, Y):\n"
               "    n_x = X.shape[0]\n"
               "    n_h = 4\n"
               "    n_y = Y.shape[0]\n"
               "    return (n_x, n_h, n_y)\n")
COST = ("def compute_cost(A2, Y):\n"
        "    m = Y.shape[1]\n"
        "    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)\n"
        "    cost = - np.sum(logprobs) / m\n"
        "    return float(np.squeeze(cost))\n")


def test_the_graded_defs_and_their_imports_are_taken_and_nothing_else_runs(tmp_path):
    witness = tmp_path / "ran"
    path = tmp_path / "assignment.ipynb"
    path.write_text(notebook(
        IMPORTS,
        f"open({str(witness)!r}, 'w').write('top-level code ran')\n",
        "X = np.zeros((2, 400))\nparameters = {}\n",
        LAYER_SIZES,
        COST + "\nprint('the cost cell ran')\n",
        "def helper():\n    return 1\n",
    ))
    functions = functions_from_notebook(path, graded_names("planar"))
    assert sorted(functions) == ["compute_cost", "layer_sizes"]
    assert not witness.exists()
    g = functions["compute_cost"].__globals__
    assert g["np"] is np and "copy" in g
    assert not {"os", "X", "parameters", "helper", "witness"} & set(g)
    assert functions["layer_sizes"](np.zeros((5, 3)), np.zeros((2, 3))) == (5, 4, 2)


def test_a_report_names_the_line_of_the_cell():
    text = notebook(IMPORTS, "m = 400\n\n" + COST.replace("m = Y.shape[1]", "m = 400"))
    report = check_assignment("planar", functions_from_notebook(text, ["compute_cost"]))
    (finding,) = report["compute_cost"].findings
    assert finding.text.startswith("line 4: 'm = 400': fixes m to the notebook's 400 -- ")


def test_the_last_definition_wins_as_running_the_notebook_would_leave_it():
    text = notebook(IMPORTS, "def layer_sizes(X, Y):\n    return None\n", LAYER_SIZES)
    f = functions_from_notebook(text, ["layer_sizes"])["layer_sizes"]
    assert f(np.zeros((3, 1)), np.zeros((1, 1))) == (3, 4, 1)


def test_cells_that_do_not_parse_are_skipped_and_given_helpers_are_there():
    forward = ("def forward_propagation(X, parameters):\n"
               "    Z1 = np.dot(parameters['W1'], X) + parameters['b1']\n"
               "    A1 = np.tanh(Z1)\n"
               "    Z2 = np.dot(parameters['W2'], A1) + parameters['b2']\n"
               "    A2 = sigmoid(Z2)\n"
               "    return A2, {'Z1': Z1, 'A1': A1, 'Z2': Z2, 'A2': A2}\n")
    text = notebook(IMPORTS, "np.dot?\n", "def broken(:\n", forward)
    functions = functions_from_notebook(text, graded_names("planar"), given_helpers("planar"))
    report = check_assignment("planar", functions)
    assert report["forward_propagation"].ok, str(report)


def test_a_py_file_is_read_as_one_cell(tmp_path):
    path = tmp_path / "solution.py"
    path.write_text("import numpy as np\n\n" + LAYER_SIZES + "\nraise SystemExit('ran')\n")
    assert list(functions_from_notebook(str(path), ["layer_sizes"])) == ["layer_sizes"]


def test_a_top_level_endless_loop_does_not_run():
    text = notebook(IMPORTS, "while True:\n    pass\n", LAYER_SIZES)
    start = time.perf_counter()
    assert list(functions_from_notebook(text, ["layer_sizes"])) == ["layer_sizes"]
    assert time.perf_counter() - start < 5  # generous: the loop never starts
    with pytest.raises(ValueError, match="defines none of compute_cost, layer_sizes at the top "
                       "level of a code cell"):
        functions_from_notebook(notebook("while True:\n    pass\n"),
                                ["layer_sizes", "compute_cost"])


@pytest.mark.parametrize("source, what", [
    ("@print\ndef layer_sizes(X, Y):\n    return 1\n", "has a decorator"),
    ("def layer_sizes(X, Y=open('x')):\n    return 1\n", "a default value that is not a plain"),
])
def test_a_def_that_would_run_code_as_it_is_defined_is_refused(source, what):
    with pytest.raises(ValueError, match=f"def layer_sizes in 'notebook, cell 1' \\(line 1\\)"
                       f".*{what}"):
        functions_from_notebook(notebook(source), ["layer_sizes"])


def test_plain_constant_defaults_and_annotations_are_fine():
    source = ("def update_parameters(parameters: 'dict[str, np.ndarray]', grads,\n"
              "                      learning_rate: Undefined = 1.2, dims=(-1, [2, 3])):\n"
              "    return learning_rate\n")
    f = functions_from_notebook(notebook(source), ["update_parameters"])["update_parameters"]
    assert f({}, {}) == 1.2


def test_text_that_is_not_json_is_not_a_notebook():
    with pytest.raises(ValueError, match=r"^'notebook' is not a notebook: not JSON"):
        functions_from_notebook('{"cells": [', ["layer_sizes"])
    with pytest.raises(ValueError, match="it has no list of cells"):
        functions_from_notebook('{"worksheets": []}', ["layer_sizes"])


def test_a_file_of_another_kind_or_missing_is_refused(tmp_path):
    with pytest.raises(ValueError, match="is neither a notebook"):
        functions_from_notebook(tmp_path / "data.csv", ["layer_sizes"])
    with pytest.raises(ValueError, match="cannot read"):
        functions_from_notebook(tmp_path / "missing.ipynb", ["layer_sizes"])
    (tmp_path / "latin.py").write_bytes(b"x = '\xe9'\n")
    with pytest.raises(ValueError, match="is not UTF-8 text"):
        functions_from_notebook(tmp_path / "latin.py", ["layer_sizes"])


def test_a_huge_file_is_refused_after_reading_its_bound_only(tmp_path):
    path = tmp_path / "huge.ipynb"
    with open(path, "wb") as f:
        f.truncate(notebook_module.MAX_BYTES + 1)  # sparse: nothing is written
    start = time.perf_counter()
    with pytest.raises(ValueError, match="is larger than 20 MB"):
        functions_from_notebook(path, ["layer_sizes"])
    assert time.perf_counter() - start < 5


def test_too_many_cells_are_refused(monkeypatch):
    monkeypatch.setattr(notebook_module, "MAX_CELLS", 3)
    with pytest.raises(ValueError, match="has 4 cells, more than 3"):
        functions_from_notebook(notebook("1\n", "2\n", "3\n", "4\n", markdown=()), ["f"])


def test_names_must_be_identifiers():
    with pytest.raises(TypeError, match="function names must be identifiers"):
        functions_from_notebook(notebook(LAYER_SIZES), ["layer sizes"])


def test_week_4s_functions_find_the_helpers_of_dnn_utils_among_the_given():
    cells = (
        "import numpy as np\nfrom dnn_utils import sigmoid, relu  # not run: given instead\n",
        "def linear_forward(A, W, b):\n"
        "    Z = np.dot(W, A) + b\n"
        "    return Z, (A, W, b)\n",
        "def linear_activation_forward(A_prev, W, b, activation):\n"
        "    Z, linear_cache = linear_forward(A_prev, W, b)\n"
        "    if activation == 'sigmoid':\n"
        "        A, activation_cache = sigmoid(Z)\n"
        "    elif activation == 'relu':\n"
        "        A, activation_cache = relu(Z)\n"
        "    return A, (linear_cache, activation_cache)\n",
    )
    functions = functions_from_notebook(notebook(*cells), graded_names("deep"),
                                        given_helpers("deep"))
    report = check_assignment("deep", functions)
    assert report and [e.name for e in report if e.checked] == [
        "linear_forward", "linear_activation_forward"]
    bare = check_assignment("deep", functions_from_notebook(notebook(*cells),
                                                            graded_names("deep")))
    assert [f.text for f in bare["linear_activation_forward"].findings] == [
        f"line {n}: 'A, activation_cache = {g}(Z)': uses {g}, which linear_activation_forward "
        "neither takes as an argument nor finds defined (a name from elsewhere in your "
        "notebook?)" for n, g in ((4, "sigmoid"), (6, "relu"))]
