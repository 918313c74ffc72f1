"""check_assignment on learner-style code of weeks 2, 3 and 4, as the course's grader checks
it: each week's correct solutions pass (tests/course_solutions.py), and each mistake that
passes the notebook's own tests but not the grader is caught and named by its line
(tests/course_mistakes.py, where the planted line ends with ``# planted``).

The oracle for a line is the source file itself: the number of the line that holds the
planted mistake, found here by reading the file; messages are held to their exact words.
"""

import inspect
import re

import course_mistakes as cm
import numpy as np
import pytest
from course_solutions import WEEK2, WEEK3, WEEK4, backward_propagation

from micrograd_dls import Tensor, graph
from micrograd_dls.checks import quote
from micrograd_dls.testing import check_assignment, graded_names
from micrograd_dls.testing import runs as runs_module

WEEKS = {"logistic_regression": WEEK2, "planar": WEEK3, "deep": WEEK4}


def planted(f):
    """``line N: '<text>'`` of the line of ``f`` that ends with ``# planted``."""
    lines, start = inspect.getsourcelines(f)
    for offset, text in enumerate(lines):
        if text.rstrip().endswith("# planted"):
            return f"line {start + offset}: {quote(text.strip(), 110)}"
    raise AssertionError(f"{f.__name__} has no planted line")


def check_with(assignment, name, f):
    report = check_assignment(assignment, {**WEEKS[assignment], name: f})
    return report, report[name]


def failing(entry, kind):
    found = [f for f in entry.findings if f.kind == kind and f.fails]
    assert found, f"no failing {kind!r} finding in:\n{entry}"
    return found


# --- correct solutions pass ---------------------------------------------------------------


@pytest.mark.parametrize("assignment", list(WEEKS))
def test_each_weeks_correct_solutions_pass_every_check(assignment):
    report = check_assignment(assignment, WEEKS[assignment])
    assert report and report.ok, str(report)
    assert [e.name for e in report] == list(graded_names(assignment))
    assert all(e.checked and e.ok for e in report)
    assert not [f for e in report for f in e.findings if f.fails]
    assert str(report).splitlines()[0].endswith(
        f"checked as the grader checks it: {len(report)} of {len(report)} functions pass.")


@pytest.mark.parametrize("assignment, entry", [
    ("logistic_regression", "propagate"), ("planar", "backward_propagation"),
    ("deep", "L_model_backward")])
def test_the_learners_backward_agrees_with_autograd_of_their_forward(assignment, entry):
    report = check_assignment(assignment, WEEKS[assignment])
    assert report.gradients.ok and report[entry].gradients is report.gradients
    note = [f for f in report[entry].findings if f.kind == "gradients"]
    assert len(note) == 1 and not note[0].fails
    assert note[0].text.startswith(f"gradients: your {entry} agrees with autograd of ")
    of = "the cost it computes" if entry == "propagate" else "your "
    assert note[0].text.split("autograd of ")[1].startswith(of)


def test_the_cost_of_the_learners_graph_carries_their_own_names():
    J = check_assignment("planar", WEEK3).cost
    assert isinstance(J, Tensor)
    labels = {graph.label(n) for n in graph.nodes_of(J)}
    assert {"W[1]", "b[1]", "W[2]", "b[2]", "X", "Y", "Z[1]", "A[1]", "Z[2]", "A[2]",
            "logprobs", "cost"} <= labels
    assert graph.label(J) == "cost"


def test_a_missing_function_is_not_checked_and_fails_nothing():
    functions = {k: v for k, v in WEEK3.items() if k != "predict"}
    functions["update_parameters"] = "not yet"
    report = check_assignment("planar", functions)
    assert report.ok
    assert not report["predict"].checked and not report["predict"]
    assert str(report["predict"]) == "  --    predict: not checked (not defined)"
    assert str(report["update_parameters"]) == (
        "  --    update_parameters: not checked ('not yet' is not a function)")
    assert str(report).splitlines()[0] == (
        "Week 3, planar data classification with one hidden layer, checked as the grader "
        "checks it: 5 of 7 functions pass, 2 not checked.")


def test_nothing_checked_is_not_a_pass():
    report = check_assignment("deep", {})
    assert not report and report.cost is None
    assert all(not e.checked for e in report)


def test_unknown_assignments_and_functions_that_are_no_mapping_are_refused():
    with pytest.raises(ValueError, match="unknown assignment 'week3'; choose one of "
                       "'logistic_regression', 'planar', 'deep'"):
        check_assignment("week3", WEEK3)
    with pytest.raises(TypeError, match="functions must map the course's names"):
        check_assignment("planar", [backward_propagation])


def test_numpys_random_state_and_the_learners_prints_stay_as_they_were(capsys):
    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    check_assignment("logistic_regression", {**WEEK2, "optimize": _printing_optimize})
    assert np.array_equal(np.random.get_state()[1], before)
    assert capsys.readouterr().out == ""


def _printing_optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    print("starting")  # a learner's print, kept out of the report
    return WEEK2["optimize"](w, b, X, Y, num_iterations, learning_rate, True)


# --- a size, shape or rate fixed to the notebook's ------------------------------------------


def test_a_hard_coded_m_is_named_by_its_line():
    report, entry = check_with("planar", "backward_propagation", cm.backward_propagation_fixed_m)
    assert not report and not entry
    (finding,) = failing(entry, "fixed")
    assert re.fullmatch(
        re.escape(planted(cm.backward_propagation_fixed_m)) + r": fixes m to the notebook's 400 "
        r"-- right at m = 400, wrong at m = \d+: backward_propagation must take m from "
        r"X\.shape\[1\]", finding.text), finding.text


def test_a_hard_coded_n_h_and_n_x_in_a_shape_are_named_by_their_line():
    _, entry = check_with("planar", "initialize_parameters", cm.initialize_parameters_fixed_shape)
    (finding,) = failing(entry, "fixed")
    assert re.fullmatch(
        re.escape(planted(cm.initialize_parameters_fixed_shape)) + r": fixes n_h to the "
        r"notebook's 4 and n_x to the notebook's 2 -- right at n_x = 2, n_h = 4, wrong at "
        r"n_x = \d+, n_h = \d+: initialize_parameters must take n_h from its argument n_h, "
        r"n_x from its argument n_x", finding.text), finding.text


def test_the_templates_own_n_h_equals_4_in_layer_sizes_is_no_mistake():
    entry = check_assignment("planar", WEEK3)["layer_sizes"]
    assert entry.ok and not entry.findings


def test_a_hard_coded_n_y_a_rate_and_a_number_of_iterations_are_named():
    for assignment, name, f, fixed in [
        ("planar", "layer_sizes", cm.layer_sizes_fixed_n_y, "n_y to the notebook's 1"),
        ("planar", "update_parameters", cm.update_parameters_fixed_rate,
         "learning_rate to the notebook's 1.2"),
        ("logistic_regression", "optimize", cm.optimize_fixed_iterations,
         "num_iterations to the notebook's 100"),
    ]:
        _, entry = check_with(assignment, name, f)
        (finding,) = failing(entry, "fixed")  # one line: not the template's `i % 100 == 0`
        assert finding.text.startswith(f"{planted(f)}: fixes {fixed} -- "), finding.text


def test_a_fixed_depth_names_L_and_where_it_comes_from():
    _, entry = check_with("deep", "L_model_forward", cm.L_model_forward_fixed_depth)
    (finding,) = failing(entry, "fixed")
    assert re.fullmatch(
        re.escape(planted(cm.L_model_forward_fixed_depth)) + r": fixes L to the notebook's 3 "
        r"-- right at layer_dims = \[5, 4, 3, 1\], wrong at layer_dims = \[[\d, ]+\]: "
        r"L_model_forward must take L from len\(parameters\) // 2", finding.text), finding.text


def test_a_notebook_global_read_instead_of_an_argument_is_named_by_its_line():
    report, entry = check_with("planar", "compute_cost", cm.compute_cost_reads_global_X)
    (finding,) = failing(entry, "global")
    assert finding.text == (
        f"{planted(cm.compute_cost_reads_global_X)}: reads X, a variable of your notebook, "
        "instead of an argument: the grader calls compute_cost with its own inputs, and your "
        "X is not among them")
    assert len(entry.findings) == 1  # the wrong values at other m are that line's doing
    # autograd of a wrong cost is not the course's gradient: backward is not blamed for it
    assert report["backward_propagation"].ok
    assert "gradients not compared: your compute_cost fails above" in str(
        report["backward_propagation"])


# --- the grader's own inputs, and inputs changed in place ------------------------------------


def test_tanh_of_Z1_instead_of_the_caches_A1_fails_only_with_the_graders_cache():
    _, entry = check_with("planar", "backward_propagation",
                          cm.backward_propagation_recomputes_tanh)
    (finding,) = failing(entry, "grader")
    assert finding.text.startswith(
        "right with the notebook's inputs, wrong with a cache whose A1 is not tanh(Z1), as "
        f"the grader's is: {planted(cm.backward_propagation_recomputes_tanh)} recomputes tanh "
        "-- the course's dZ[1] = W[2]ᵀ dZ[2] * (1 - A[1]²) takes A[1] from the cache")
    assert [f.kind for f in entry.findings if f.fails] == ["grader"]


@pytest.mark.parametrize("name, f, changed", [
    ("update_parameters", cm.update_parameters_in_place, "parameters['W1']"),
    ("backward_propagation", cm.backward_propagation_changes_cache, "cache['A2']"),
])
def test_an_input_changed_in_place_is_named_by_the_line_that_changed_it(name, f, changed):
    _, entry = check_with("planar", name, f)
    (finding,) = failing(entry, "in place")
    assert finding.text == (
        f"{planted(f)}: changes {changed} in place, an input it was given: whoever called "
        f"{name} (the grader, or your next cell) now holds other numbers in "
        f"{changed.split('[')[0]}, and later calls go wrong -- compute new arrays instead of "
        "writing into the inputs")


def _zero_negatives(dZ, Z):
    dZ[Z <= 0] = 0  # writes into the array it was given
    return dZ


def linear_activation_backward_helper_writes(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = _zero_negatives(dA, activation_cache)
    else:
        s = 1 / (1 + np.exp(-activation_cache))
        dZ = dA * s * (1 - s)
    return WEEK4["linear_backward"](dZ, linear_cache)


def test_a_change_made_in_a_helper_is_named_by_the_helpers_line():
    _, entry = check_with("deep", "linear_activation_backward",
                          linear_activation_backward_helper_writes)
    (finding,) = failing(entry, "in place")
    lines, start = inspect.getsourcelines(_zero_negatives)
    assert finding.text.startswith(
        f"line {start + 1} in _zero_negatives: 'dZ[Z <= 0] = 0  # writes into the array it was "
        "given': changes dA in place")


# --- the shape lens ------------------------------------------------------------------------


def test_a_rank_1_db_is_named_with_the_courses_shape():
    _, entry = check_with("planar", "backward_propagation", cm.backward_propagation_rank1_db)
    (values,) = failing(entry, "values")
    assert values.text == ("at n_x = 2, n_h = 4, m = 400: grads['db1'] has shape (4,); the "
                           "course's db[1] is (n_h, 1) = (4, 1) -- a rank-1 array")
    (lens,) = failing(entry, "shape")
    assert re.fullmatch(
        re.escape(planted(cm.backward_propagation_rank1_db)) + r": np\.sum without "
        r"keepdims=True makes a rank-1 array of shape \((\d+),\) -- the course's db\[1\] is "
        r"\(n_h, 1\) = \(\1, 1\)", lens.text), lens.text


def test_y_minus_a_transposed_is_named_as_a_broadcast_into_a_matrix():
    _, entry = check_with("logistic_regression", "propagate", cm.propagate_transposed_labels)
    (values,) = failing(entry, "values")
    assert values.text == ("at n_x = 2, m = 3: grads['dw'] has shape (2, 3); the course's dw "
                           "is (n_x, 1) = (2, 1)")
    (lens,) = failing(entry, "shape")
    assert re.fullmatch(
        re.escape(planted(cm.propagate_transposed_labels)) + r": '-' broadcasts a \(1, (\d+)\) "
        r"against a \(\1, 1\) into a \(\1, \1\) matrix; both should have one shape -- the "
        r"course's dZ is \(1, m\) = \(1, \1\)", lens.text), lens.text


def test_star_where_a_product_belongs_is_named_with_both_shapes():
    _, entry = check_with("logistic_regression", "propagate", cm.propagate_star_for_dot)
    (error,) = failing(entry, "error")
    assert error.text == (
        f"{planted(cm.propagate_star_for_dot)}: ValueError: 'operands could not be broadcast "
        "together with shapes (1,2) (2,3) ' -- '*' multiplies entry by entry; a (1, 2) and a "
        "(2, 3) say a matrix product was meant (np.dot)")


def outer_product_by_star(AL, Y):
    """`*` of a (1, m) by an (m, 1): it broadcasts silently, into (m, m)."""
    m = Y.shape[1]
    cost = -np.sum(Y * np.log(AL).T + (1 - Y) * np.log(1 - AL).T) / m
    return float(np.squeeze(cost))


def test_a_star_that_broadcasts_silently_into_a_matrix_is_named():
    _, entry = check_with("deep", "compute_cost", outer_product_by_star)
    assert failing(entry, "values")
    lens = failing(entry, "shape")
    lines, start = inspect.getsourcelines(outer_product_by_star)
    assert lens[0].text.startswith(f"line {start + 3}: ")
    assert re.search(r"'\*' broadcasts a \(1, (\d+)\) against a \(\1, 1\) into a \(\1, \1\) "
                     "matrix", lens[0].text), lens[0].text


# --- errors, endless loops and the gradient check -------------------------------------------


def forward_with_a_typo(X, parameters):
    W1 = parameters["w1"]
    return W1


def test_an_error_in_the_learners_code_is_named_by_its_line():
    _, entry = check_with("planar", "forward_propagation", forward_with_a_typo)
    (error,) = failing(entry, "error")
    lines, start = inspect.getsourcelines(forward_with_a_typo)
    assert error.text == (f"line {start + 1}: 'W1 = parameters[\"w1\"]': KeyError: "
                          "\"'w1'\"")


def predict_that_never_ends(parameters, X):
    while True:
        pass


def test_an_endless_loop_is_stopped_and_named(monkeypatch):
    monkeypatch.setattr(runs_module, "CALL_SECONDS", 0.2)
    _, entry = check_with("planar", "predict", predict_that_never_ends)
    (error,) = failing(entry, "error")
    assert re.fullmatch(r"line \d+: '(while True:|pass)': still running after 0\.2 s -- an "
                        r"endless loop\?", error.text), error.text


def predict_that_exits(parameters, X):
    import sys

    sys.exit("done")


def test_a_function_that_calls_exit_is_a_finding_and_the_other_functions_are_checked():
    report, entry = check_with("planar", "predict", predict_that_exits)
    (error,) = failing(entry, "error")
    assert re.fullmatch(r"line \d+: 'sys\.exit\(\"done\"\)': the function calls exit\(\) "
                        r"\(SystemExit\), which would stop the grader itself; return a value "
                        r"instead", error.text), error.text
    assert not report.ok and report["forward_propagation"].ok


def backward_without_one_over_m(parameters, cache, X, Y):
    return backward_propagation(parameters, cache, X, Y, mistake="missing 1/m")


def test_a_backward_that_disagrees_with_autograd_gets_the_courses_hint():
    report, entry = check_with("planar", "backward_propagation", backward_without_one_over_m)
    assert failing(entry, "values")
    (grads,) = failing(entry, "gradients")
    head, *rest = grads.text.split("\n")
    assert head.startswith("gradients: your backward_propagation disagrees with autograd of "
                           "your forward_propagation and compute_cost (difference = ")
    m = report.gradients.cost  # the check's data: X among the leaves of its graph
    X = next(n for n in graph.nodes_of(m) if graph.label(n) == "X")
    n = graph.shape(X)[1]
    assert rest == [f"  dW1: difference = {(n - 1) / (n + 1):.3g} -- yours is {n} times "
                    f"autograd's: a missing 1/m (m = {n})?"]
