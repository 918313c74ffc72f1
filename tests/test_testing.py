"""micrograd_dls.testing: a learner's hand-derived backprop, written in plain numpy,
checked against autograd of the learner's own forward function -- and each classic
mistake caught with a message a learner can read."""

import numpy as np
import pytest

from micrograd_dls import Tensor
from micrograd_dls.testing import assert_gradients_match, check_gradients

# --- the learner's code, as the course's planar assignment has it: plain numpy ------------


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def forward_propagation(X, parameters):
    W1, b1, W2, b2 = (parameters[k] for k in ("W1", "b1", "W2", "b2"))
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def compute_cost(A2, Y):
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    return np.squeeze(-np.sum(logprobs) / m)


def cost_of(X, Y, parameters):
    A2, cache = forward_propagation(X, parameters)
    return compute_cost(A2, Y), cache


def backward_propagation(parameters, cache, X, Y, mistake=None):
    m = X.shape[1]
    W2, A1, A2 = parameters["W2"], cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    if mistake == "missing 1/m":
        dW1 = np.dot(dZ1, X.T)
    elif mistake == "transposed":
        dW2 = (1 / m) * np.dot(A1, dZ2.T)
    elif mistake == "tanh'":
        dZ1 = np.dot(W2.T, dZ2) * (1 - A1)
        dW1 = (1 / m) * np.dot(dZ1, X.T)
    elif mistake == "sign":
        db2 = -db2
    elif mistake == "no keepdims":
        db1 = (1 / m) * np.sum(dZ1, axis=1)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2, "dZ1": dZ1}


@pytest.fixture
def case():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((2, 7))
    Y = (rng.random((1, 7)) > 0.5) * 1.0
    parameters = {
        "W1": rng.standard_normal((4, 2)) * 0.5, "b1": rng.standard_normal((4, 1)) * 0.1,
        "W2": rng.standard_normal((1, 4)) * 0.5, "b2": np.zeros((1, 1)),
    }
    return X, Y, parameters


def hand(X, Y, parameters, mistake=None):
    _, cache = forward_propagation(X, parameters)
    return backward_propagation(parameters, cache, X, Y, mistake)


def test_a_correct_backward_passes_in_the_courses_words(case):
    X, Y, p = case
    assert_gradients_match(cost_of, hand(X, Y, p), p, X, Y)
    report = check_gradients(cost_of, hand(X, Y, p), p, X, Y)
    assert report.ok and report.difference < 1e-12
    assert str(report).startswith("Your backward propagation works perfectly fine! difference = ")
    assert [c.name for c in report.checks] == ["W1", "b1", "W2", "b2"]


def test_grads_may_be_the_learners_backward_function(case):
    X, Y, p = case
    assert_gradients_match(cost_of, lambda X, Y, params: hand(X, Y, params), p, X, Y)


def test_the_learners_graph_is_there_to_draw(case):
    X, Y, p = case
    J = check_gradients(cost_of, hand(X, Y, p), p, X, Y).cost
    A2, _ = forward_propagation(X, p)
    assert J.item() == pytest.approx(compute_cost(A2, Y), rel=1e-12)


def test_a_missing_one_over_m_is_named(case):
    X, Y, p = case
    with pytest.raises(AssertionError) as e:
        assert_gradients_match(cost_of, hand(X, Y, p, "missing 1/m"), p, X, Y)
    text = str(e.value)
    assert text.startswith("There is a mistake in the backward propagation! difference = ")
    assert "FAIL dW1" in text and "ok   db1" in text
    assert "yours is 7 times autograd's: a missing 1/m (m = 7)?" in text
    assert len(text) < 1200  # readable in pytest's output


def test_a_wrong_activation_derivative_fails_with_the_worst_entries(case):
    X, Y, p = case
    report = check_gradients(cost_of, hand(X, Y, p, "tanh'"), p, X, Y)
    assert not report.ok and report.difference > 2e-7
    failing = {c.name for c in report.checks if not c.ok}
    assert failing == {"W1"}  # db1 is not recomputed in this mistake
    w1 = report.checks[0]
    assert len(w1.worst) == 3 and "dW1[" in str(report) and "yours" in str(report)
    true = (1 / 7) * np.dot(np.dot(p["W2"].T, forward_propagation(X, p)[0] - Y)
                            * (1 - np.tanh(p["W1"] @ X + p["b1"]) ** 2), X.T)
    np.testing.assert_allclose(w1.autograd, true, rtol=1e-12)  # the oracle: the right formula


def test_a_transposed_product_is_named_with_both_shapes(case):
    X, Y, p = case
    with pytest.raises(AssertionError, match=r"dW2 has shape \(4, 1\) but W2 has shape \(1, 4\)"
                       r".*transposed"):
        assert_gradients_match(cost_of, hand(X, Y, p, "transposed"), p, X, Y)


def test_a_flipped_sign_and_a_rank_1_bias_gradient_are_named(case):
    X, Y, p = case
    with pytest.raises(AssertionError, match="db2.*\n.*opposite sign"):
        assert_gradients_match(cost_of, hand(X, Y, p, "sign"), p, X, Y)
    with pytest.raises(AssertionError, match=r"db1 has shape \(4,\).*keepdims=True"):
        assert_gradients_match(cost_of, hand(X, Y, p, "no keepdims"), p, X, Y)


def test_a_missing_gradient_is_named(case):
    X, Y, p = case
    grads = hand(X, Y, p)
    del grads["db2"]
    with pytest.raises(AssertionError, match="grads has no 'db2', the gradient of parameter 'b2'"):
        assert_gradients_match(cost_of, grads, p, X, Y)


def test_a_cost_ended_with_float_is_followed_back_into_the_graph(case):
    X, Y, p = case

    def course_cost(X, Y, parameters):  # the course's compute_cost ends with float(...)
        return float(compute_cost(forward_propagation(X, parameters)[0], Y))

    report = check_gradients(course_cost, hand(X, Y, p), p, X, Y)
    assert report.ok and isinstance(report.cost, Tensor)
    assert report.cost.item() == course_cost(X, Y, p)  # the node the float came from


def test_a_template_that_squeezes_twice_asserting_a_float_between_is_followed_too(case):
    X, Y, p = case

    def twice(X, Y, parameters):  # the older template's lines, then the newer one's
        A2, m = forward_propagation(X, parameters)[0], Y.shape[1]
        cost = -np.sum(np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)) / m
        cost = np.squeeze(cost)
        assert isinstance(cost, float)
        cost = float(np.squeeze(cost))
        return cost

    report = check_gradients(twice, hand(X, Y, p), p, X, Y)
    assert report.ok and report.cost.item() == twice(X, Y, p)


def test_a_cost_computed_after_a_value_left_the_graph_names_that_line(case):
    X, Y, p = case

    def late_cost(X, Y, parameters):
        A2 = np.array(forward_propagation(X, parameters)[0])
        return compute_cost(A2, Y)  # from here a constant: no parameter behind it

    line = late_cost.__code__.co_firstlineno + 1
    with pytest.raises(TypeError) as e:
        check_gradients(late_cost, hand(X, Y, p), p, X, Y)
    assert str(e.value) == (
        "forward's cost does not depend on the parameters in the graph: the cost was computed "
        "from a "
        f"value that left the graph at line {line} in late_cost (np.array): "
        "'A2 = np.array(forward_propagation(X, parameters)[0])', and what your code "
        "computed from it afterwards is plain numpy, out of autograd's reach; keep "
        "computing on the tensors there (numpy's functions take them) and end with the "
        "course's cost = float(np.squeeze(cost)) if you like"
    )


def test_a_cost_taken_out_through_data_is_refused_without_a_line(case):
    X, Y, p = case

    def data_cost(X, Y, parameters):
        return float(compute_cost(forward_propagation(X, parameters)[0].data, Y))

    with pytest.raises(TypeError, match=r"^forward returned float, not the cost in the graph: "
                                        r"the cost left the graph unseen \(t\.data"):
        check_gradients(data_cost, hand(X, Y, p), p, X, Y)


def test_a_hidden_layer_taken_out_of_the_graph_is_named_as_the_cut(case):
    """W1 gets no gradient because A1 left the graph: no false "mistake in dW1"."""
    X, Y, p = case

    def cut(X, Y, parameters):
        A1 = np.tanh(np.dot(parameters["W1"], X) + parameters["b1"])
        A1 = np.asarray(A1)
        A2 = sigmoid(np.dot(parameters["W2"], A1) + parameters["b2"])
        return compute_cost(A2, Y)

    line = cut.__code__.co_firstlineno + 2
    with pytest.raises(TypeError) as e:
        check_gradients(cut, hand(X, Y, p), p, X, Y)
    assert str(e.value) == (
        "no gradient reached W1 through your forward: a value computed from W1 left the "
        f"graph at line {line} in cut (np.array): 'A1 = np.asarray(A1)', and autograd cannot "
        "follow numbers outside the graph. Keep it a tensor there: numpy's own functions "
        "take tensors (np.dot, np.tanh, np.sum(..., keepdims=True))"
    )


def test_outside_the_checker_the_template_lines_fail_as_before_and_float_prints():
    W = Tensor(np.array([[0.5, -0.25]]), requires_grad=True)
    J = np.sum(W * W) / 2
    assert float(J) == 0.15625 and J.item() == 0.15625  # printing a cost works
    with pytest.raises(RuntimeError, match="np.array / np.asarray .* requires a gradient"):
        np.array(J)
    assert isinstance(np.squeeze(J), Tensor)  # no number handed out


def test_logistic_regression_with_a_number_bias(case):
    """The course's propagate(w, b, X, Y): w (n_x, 1), b a plain number."""
    X, Y, _ = case
    w, b = np.array([[0.3], [-0.2]]), 0.1

    def cost(X, Y, params):
        A = sigmoid(np.dot(params["w"].T, X) + params["b"])
        return -np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / X.shape[1]

    A = sigmoid(w.T @ X + b)
    grads = {"dw": X @ (A - Y).T / 7, "db": np.sum(A - Y) / 7}
    assert_gradients_match(cost, grads, {"w": w, "b": b}, X, Y)


def test_bad_arguments_get_clear_errors(case):
    X, Y, p = case
    with pytest.raises(TypeError, match="parameters must be the course's dict"):
        check_gradients(cost_of, {}, [1, 2], X, Y)
    with pytest.raises(ValueError, match="threshold must be finite and positive"):
        check_gradients(cost_of, hand(X, Y, p), p, X, Y, threshold=float("nan"))
    with pytest.raises(TypeError, match="grads must be a dict"):
        check_gradients(cost_of, [1], p, X, Y)
    bad = hand(X, Y, p)
    bad["dW1"] = np.full((4, 2), np.nan)
    report = check_gradients(cost_of, bad, p, X, Y)
    assert not report.ok and "NaN or infinite" in str(report)
    assert isinstance(report.cost, Tensor)


def test_the_drawn_graph_names_inputs_after_the_forward_functions_arguments(case):
    from micrograd_dls import graph

    X, Y, p = case
    J = check_gradients(cost_of, hand(X, Y, p), p, X, Y).cost
    leaves = {graph.label(n) for n in graph.nodes_of(J) if graph.is_leaf(n)}
    assert {"X", "Y", "W[1]", "b[1]", "W[2]", "b[2]"} <= leaves


def test_the_whole_message_of_a_missing_one_over_m_reads_as_the_course(case):
    """Line by line. A gradient m times too large has the course's difference
    (m - 1)/(m + 1) exactly: 6/8 = 0.75 for m = 7."""
    import re

    X, Y, p = case
    report = check_gradients(cost_of, hand(X, Y, p, "missing 1/m"), p, X, Y)
    number = r"-?\d+(\.\d+)?(e[-+]\d+)?"
    lines = str(report).split("\n")
    expected = [
        rf"There is a mistake in the backward propagation! difference = {number}",
        r"  FAIL dW1: difference = 0\.75",
        r"       yours is 7 times autograd's: a missing 1/m \(m = 7\)\?",
        *[rf"       dW1\[\d, \d\]: yours {number}, autograd {number}"] * 3,
        rf"  ok   db1: difference = {number}",
        rf"  ok   dW2: difference = {number}",
        rf"  ok   db2: difference = {number}",
    ]
    assert len(lines) == len(expected), lines
    for line, pattern in zip(lines, expected):
        assert re.fullmatch(pattern, line), (line, pattern)
    for _, yours, auto in report.checks[0].worst:  # the listed entries: 7 times autograd's
        assert yours == pytest.approx(7 * auto, rel=1e-12)
    worst = sorted(np.abs(report.checks[0].grad - report.checks[0].autograd).ravel())[-3:]
    assert sorted(abs(y - a) for _, y, a in report.checks[0].worst) == pytest.approx(worst)
    assert report.difference > 2e-7 and not report


def test_the_courses_threshold_decides_the_words(case):
    """gradient_check_n: difference > 2e-7 is a mistake, otherwise it works perfectly fine."""
    X, Y, p = case
    grads = hand(X, Y, p)
    strict = check_gradients(cost_of, grads, p, X, Y, threshold=1e-300)  # rounding fails it
    assert str(strict).startswith("There is a mistake in the backward propagation! difference = ")
    nudged = dict(grads, dW1=grads["dW1"] * (1 + 1e-8))  # difference ≈ 1e-8/2 · share of dW1
    report = check_gradients(cost_of, nudged, p, X, Y)
    assert 0 < report.difference < 2e-7 and report.ok
    assert str(report).startswith("Your backward propagation works perfectly fine! difference = ")
    pushed = dict(grads, dW1=grads["dW1"] * (1 + 1e-5))
    assert not check_gradients(cost_of, pushed, p, X, Y).ok


def test_recording_what_leaves_the_graph_is_per_thread():
    import threading

    from micrograd_dls.testing.exits import recording

    W = Tensor(np.array([[1.0, 2.0]]), requires_grad=True)
    J = np.sum(W * W)
    seen = []

    def elsewhere():
        try:
            np.array(J)
        except RuntimeError as e:
            seen.append(str(e))

    with recording() as log:
        a = np.array(J)  # recorded in this thread
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join()
    assert log.origin(np.squeeze(a)).node is J and log.origin(a).how == "np.array"
    assert len(seen) == 1 and "requires a gradient" in seen[0]  # refused in the other thread


def test_entries_on_a_kink_are_counted_by_operation():
    from micrograd_dls.testing.hints import kink_words, kinks

    x = Tensor(np.array([[-1.0, 0.0, 0.5, 2.0]]), requires_grad=True)
    y = Tensor(np.array([[-1.0, 1.0, 0.5, 0.0]]), requires_grad=True)
    z = Tensor(np.array([1.0, 3.0, 0.5]), requires_grad=True)
    J = (np.sum(np.abs(x)) + np.sum(np.maximum(x, y)) + np.sum(np.maximum(0, x))
         + np.sum(np.clip(z, -1.0, 1.0)))
    found = kinks(J)
    # abs at 0: 1; maximum(x, y) ties at -1 and 0.5: 2; relu at 0: 1; clip: 1.0 sits on the
    # bound that 3.0 was clipped to: 1
    assert found == {"abs": 1, "maximum": 3, "clip": 1}
    assert kink_words(found) == (
        "5 entries of your forward sit exactly on a kink (1 in abs, 3 in maximum, 1 in clip)"
    )
    assert kinks(np.sum(np.maximum(0, Tensor(np.zeros((2, 2)))))) == {}  # no gradient: no kink
