"""The `check` command: a learner's notebook checked as the course's grader checks the
assignment, its graded functions read from the code cells and nothing else of it run."""

import json
import os
import subprocess
import sys
import time

import pytest

from micrograd_dls import cli
from micrograd_dls.cli import main
from micrograd_dls.cli.check import guess_assignment
from micrograd_dls.testing import notebook as notebook_module

# --- a learner's week 3 notebook, as the course ships it and a learner fills it in ----------

IMPORTS = """\
%matplotlib inline
import numpy as np
import copy
import matplotlib.pyplot as plt
from testCases_v2 import *
from planar_utils import plot_decision_boundary, sigmoid, load_planar_dataset
!pip list
"""

LOAD_DATA = """\
X, Y = load_planar_dataset()
shape_X = X.shape
m = shape_X[1]
"""

LAYER_SIZES = """\
# GRADED FUNCTION: layer_sizes

def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)
"""

INITIALIZE = """\
def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    parameters = {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
    return parameters
"""

FORWARD = """\
def forward_propagation(X, parameters):
    W1 = parameters["W1"]
    b1 = parameters["b1"]
    W2 = parameters["W2"]
    b2 = parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    assert(A2.shape == (1, X.shape[1]))
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache
"""

COST = """\
def compute_cost(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = - np.sum(logprobs) / m
    cost = float(np.squeeze(cost))
    return cost
"""

BACKWARD = """\
def backward_propagation(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    grads = {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}
    return grads
"""

UPDATE = """\
def update_parameters(parameters, grads, learning_rate=1.2):
    W1 = copy.deepcopy(parameters["W1"])
    b1 = parameters["b1"]
    W2 = copy.deepcopy(parameters["W2"])
    b2 = parameters["b2"]
    W1 = W1 - learning_rate * grads["dW1"]
    b1 = b1 - learning_rate * grads["db1"]
    W2 = W2 - learning_rate * grads["dW2"]
    b2 = b2 - learning_rate * grads["db2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}
"""

PREDICT = """\
def predict(parameters, X):
    A2, cache = forward_propagation(X, parameters)
    predictions = (A2 > 0.5)
    return predictions
"""

SOLUTION = [LAYER_SIZES, INITIALIZE, FORWARD, COST, BACKWARD, UPDATE, PREDICT]


def notebook(*sources: str) -> str:
    """A notebook of these code cells, each after a markdown cell, as the course's are."""
    cells = []
    for n, source in enumerate(sources):
        cells.append({"cell_type": "markdown", "metadata": {},
                      "source": [f"## Exercise {n}\n", "Implement the function below."]})
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {},
                      "outputs": [], "source": source.splitlines(keepends=True)})
    return json.dumps({"cells": cells, "metadata": {"kernelspec": {"name": "python3"}},
                       "nbformat": 4, "nbformat_minor": 5})


def tripwires(folder) -> list[str]:
    """Top-level cells that would leave a marker file, stop the program, or never end."""
    marker = str(folder / "a_top_level_cell_ran")
    return [f"open({marker!r}, 'w').write('ran')\n",
            "raise SystemExit(3)\n",
            "while True:\n    pass\n"]


def run_module(*args, timeout: float = 120, env=None) -> subprocess.CompletedProcess:
    """``python -m micrograd_dls ARGS`` in a subprocess, bounded in time."""
    return subprocess.run([sys.executable, "-m", "micrograd_dls", *args], capture_output=True,
                          timeout=timeout, env=env)


# --- a whole notebook ----------------------------------------------------------------------


def test_a_correct_planar_notebook_passes_and_no_other_cell_runs(tmp_path):
    path = tmp_path / "Planar_data_classification.ipynb"
    path.write_text(notebook(IMPORTS, LOAD_DATA, *tripwires(tmp_path), *SOLUTION))
    start = time.monotonic()
    result = run_module("check", str(path))
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, out + err
    assert err == ""
    assert not (tmp_path / "a_top_level_cell_ran").exists()
    assert time.monotonic() - start < 60  # the endless cell never started
    lines = out.splitlines()
    assert lines[0] == (f"{path}: assignment planar, guessed from the functions it defines "
                        "(--assignment chooses another)")
    assert lines[1] == ("Week 3, planar data classification with one hidden layer, checked as "
                        "the grader checks it: 7 of 7 functions pass.")
    assert [line.split()[:2] for line in lines if line.startswith("  ok")] == [
        ["ok", name] for name in ("layer_sizes", "initialize_parameters", "forward_propagation",
                                  "compute_cost", "backward_propagation", "update_parameters",
                                  "predict")]
    assert "your backward_propagation agrees with autograd of your forward_propagation" in \
        " ".join(out.split())


def test_a_planted_mistake_fails_with_its_line_named(tmp_path, capsys):
    fixed_m = BACKWARD.replace("m = X.shape[1]", "m = 400")
    path = tmp_path / "planar.ipynb"
    path.write_text(notebook(IMPORTS, LOAD_DATA, *tripwires(tmp_path), LAYER_SIZES, INITIALIZE,
                             FORWARD, COST, fixed_m, UPDATE, PREDICT))
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err == ""
    assert not (tmp_path / "a_top_level_cell_ran").exists()
    assert "6 of 7 functions pass, 1 fails." in captured.out
    report = captured.out[captured.out.index("  FAIL  backward_propagation"):]
    assert report.splitlines()[1].strip() == (
        "line 2: 'm = 400': fixes m to the notebook's 400 -- right at m = 400, wrong at m = 10:")
    assert "backward_propagation must take m from X.shape[1]" in report


def test_a_py_file_and_the_assignment_named(tmp_path, capsys):
    path = tmp_path / "solution.py"
    path.write_text("import numpy as np\n\n" + COST + "\nraise SystemExit('the file ran')\n")
    # compute_cost alone is week 3's or week 4's: the command cannot tell which
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == (f"micrograd-dls: error: cannot tell which assignment {str(path)!r} is (it "
                   "defines compute_cost); pass --assignment logistic_regression, planar or "
                   "deep\n")
    assert main(["check", str(path), "--assignment", "planar"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == f"{path}: assignment planar"
    assert "1 of 7 functions pass, 6 not checked." in out
    assert "  ok    compute_cost" in out


def test_the_assignment_is_guessed_from_the_names_only_it_grades():
    planar = {"layer_sizes", "forward_propagation", "compute_cost", "predict"}
    assert guess_assignment(planar) == "planar"
    assert guess_assignment(planar | {"sigmoid"}) == "planar"  # a learner's own sigmoid
    assert guess_assignment({"propagate", "optimize", "predict", "sigmoid"}) == \
        "logistic_regression"
    assert guess_assignment({"L_model_forward", "L_model_backward", "sigmoid"}) == "deep"
    assert guess_assignment({"compute_cost", "update_parameters", "predict"}) is None
    assert guess_assignment({"propagate", "layer_sizes"}) is None  # one of each: a tie
    assert guess_assignment({"L_model_forward", "sigmoid"}) is None
    assert guess_assignment(set()) is None


def test_a_graded_function_that_calls_exit_is_named_and_the_others_are_checked(tmp_path, capsys):
    path = tmp_path / "planar.ipynb"
    path.write_text(notebook(IMPORTS, LAYER_SIZES.replace("    n_h = 4\n",
                                                          "    n_h = 4\n    exit()\n")))
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "FAIL  layer_sizes" in out and "'exit()': the function calls exit() (SystemExit)" in out


# --- files it cannot read: one line, status 2, in bounded time, nothing run ----------------


def hostile(tmp_path, kind):
    """The path of a file of this kind, and the start of the one line about it."""
    path = tmp_path / "hostile.ipynb"
    if kind == "not JSON":
        path.write_text('{"cells": [{"cell_type": "code", "source": "while True: pass"')
        return path, "'hostile.ipynb' is not a notebook: not JSON ("
    if kind == "huge":
        with open(path, "wb") as f:
            f.truncate(notebook_module.MAX_BYTES + 1)  # sparse: nothing is written
        return path, f"{str(path)!r} is larger than 20 MB: not one of the course's notebooks"
    if kind == "endless top-level cell":
        path.write_text(notebook(IMPORTS, *tripwires(tmp_path)))
        return path, ("'hostile.ipynb' defines none of L_model_backward, L_model_forward, "
                      "backward_propagation, compute_cost,")
    if kind == "folder":
        path.mkdir()
        return path, f"{str(path)!r} is a folder; give a notebook (.ipynb) or a .py file in it"
    if kind == "pipe":
        os.mkfifo(path)  # reading it would wait for a writer for ever
        return path, f"{str(path)!r} is not a file; give a notebook (.ipynb) or a .py file"
    if kind == "missing":
        return path, f"no such file: {str(path)!r}"
    if kind == "not a notebook":
        path = tmp_path / "data.csv"
        path.write_text("x,y\n1,2\n")
        return path, f"{str(path)!r} is neither a notebook (.ipynb) nor a .py file"
    raise AssertionError(kind)


KINDS = ["not JSON", "huge", "endless top-level cell", "folder", "pipe", "missing",
         "not a notebook"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_file_it_cannot_read_is_one_line_and_status_2(tmp_path, kind):
    if kind == "pipe" and not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes here")
    path, message = hostile(tmp_path, kind)
    result = run_module("check", str(path), timeout=60)
    assert result.returncode == 2 and result.stdout == b""
    err = result.stderr.decode()
    assert err.count("\n") == 1 and err.startswith("micrograd-dls: error: "), err
    assert err[len("micrograd-dls: error: "):].startswith(message), err
    assert not (tmp_path / "a_top_level_cell_ran").exists()


def test_an_endless_top_level_cell_beside_the_graded_ones_never_starts(tmp_path):
    path = tmp_path / "planar.ipynb"
    path.write_text(notebook("while True:\n    pass\n", IMPORTS, LAYER_SIZES, COST))
    result = run_module("check", str(path), "--assignment", "planar", timeout=60)
    assert result.returncode == 0, result.stderr
    assert b"2 of 7 functions pass, 5 not checked." in result.stdout


# --- the command line around it --------------------------------------------------------------


def test_no_command_lists_check_among_the_commands():
    result = run_module(timeout=60)
    assert result.returncode == 2 and result.stdout == b""
    lines = result.stderr.decode().splitlines()
    assert "  check  check a notebook's graded functions as the course's grader does" in lines
    assert list(cli.COMMANDS)[-1] == "check"


def test_an_unknown_assignment_is_one_line(tmp_path, capsys):
    path = tmp_path / "planar.ipynb"
    path.write_text(notebook(LAYER_SIZES))
    assert main(["check", str(path), "--assignment", "week3"]) == 2
    assert capsys.readouterr().err == (
        "micrograd-dls: error: argument --assignment: invalid choice: 'week3' (choose from "
        "'logistic_regression', 'planar', 'deep')\n")


def test_a_notebook_whose_name_is_not_utf8_is_named_escaped(tmp_path):
    name = os.fsdecode(b"planar\xff.ipynb")
    (tmp_path / name).write_text(notebook(IMPORTS, *SOLUTION))
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}
    result = run_module("check", os.fsencode(str(tmp_path / name)), env=env)
    assert result.returncode == 0, result.stderr
    first = result.stdout.decode("utf-8").splitlines()[0]
    assert first.startswith(f"{tmp_path}{os.sep}planar\\xff.ipynb: assignment planar")


def test_a_reader_that_leaves_early_gets_no_traceback(tmp_path, monkeypatch, capsys):
    path = tmp_path / "planar.ipynb"
    path.write_text(notebook(LAYER_SIZES))
    sink = open(tmp_path / "sink", "w")

    class ClosedPipe:  # as stdout is after `| head` has read its lines and left
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

        def fileno(self):
            return sink.fileno()

    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    assert main(["check", str(path)]) == 1
    sink.close()
    assert capsys.readouterr().err == ""
