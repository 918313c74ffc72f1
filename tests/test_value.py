"""The scalar engine against the lecture's numbers and the course's hand-derived formulas."""

import gc
import math

import numpy as np
import pytest

from micrograd_dls import Value, graph, no_grad
from micrograd_dls.cli import lecture_graph
from micrograd_dls.gradcheck import gradcheck


def nodes_by_label(root):
    return {graph.label(n): n for n in graph.topological_order(root) if graph.label(n)}


def test_lecture_J_equals_3_times_a_plus_bc():
    n = nodes_by_label(lecture_graph(a=5, b=3, c=2))
    assert {k: n[k].data for k in "abcuvJ"} == {"a": 5, "b": 3, "c": 2, "u": 6, "v": 11, "J": 33}
    # dv = dJ/dv = 3, du = 3, da = 3, db = 3*c = 6, dc = 3*b = 9
    assert {k: n[k].grad for k in "vuabc"} == {"v": 3, "u": 3, "a": 3, "b": 6, "c": 9}


def test_lecture_graph_keeps_local_derivatives_on_its_edges():
    n = nodes_by_label(lecture_graph())
    assert graph.parents(n["u"]) == (n["b"], n["c"])
    assert graph.local_derivatives(n["u"]) == (2.0, 3.0)  # du/db = c, du/dc = b
    assert graph.local_derivatives(n["v"]) == (1.0, 1.0)
    assert graph.parents(n["J"]) == (n["v"],)  # the constant 3 needs no node
    assert graph.local_derivatives(n["J"]) == (3.0,)
    assert graph.op(n["J"]) == "*" and graph.constants(n["J"]) == ((0, 3.0),)
    assert [graph.label(x) for x in graph.topological_order(n["J"])] == list("abcuvJ")


@pytest.mark.parametrize("seed", range(5))
def test_logistic_regression_two_features_matches_dz_equals_a_minus_y(seed):
    rng = np.random.default_rng(seed)
    x1, x2, w1_, w2_, b_ = rng.normal(size=5)
    y = float(rng.integers(0, 2))
    w1, w2, b = Value(w1_), Value(w2_), Value(b_)
    z = w1 * x1 + w2 * x2 + b
    a = z.sigmoid()
    loss = -(y * a.log() + (1 - y) * (1 - a).log())
    loss.backward()
    dz = a.data - y
    assert w1.grad == pytest.approx(x1 * dz, rel=1e-12, abs=1e-15)
    assert w2.grad == pytest.approx(x2 * dz, rel=1e-12, abs=1e-15)
    assert b.grad == pytest.approx(dz, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize("z", [-3.0, -0.5, 0.0, 0.7, 4.0])
def test_activation_derivatives_equal_the_courses(z):
    x = Value(z)
    a = x.sigmoid()
    a.backward()
    assert x.grad == pytest.approx(a.data * (1 - a.data), rel=1e-15)  # σ' = a(1 - a)
    x = Value(z)
    a = x.tanh()
    a.backward()
    assert x.grad == pytest.approx(1 - a.data**2, rel=1e-15)  # tanh' = 1 - a²
    x = Value(z)
    x.relu().backward()
    assert x.grad == (1.0 if z > 0 else 0.0)  # 0 at z = 0, as relu_backward
    x = Value(z)
    x.leaky_relu().backward()
    assert x.grad == (1.0 if z > 0 else 0.01)


@pytest.mark.parametrize(
    "f",
    [
        lambda x, y: x + y,
        lambda x, y: x - y,
        lambda x, y: x * y,
        lambda x, y: x / y,
        lambda x, y: x**y,
        lambda x, y: x**3 + 2 ** y,
        lambda x, y: 1 / x - 2 / y,
        lambda x, y: (-x).exp() * y.log(),
        lambda x, y: (x * y).tanh() + (x - y).sigmoid(),
        lambda x, y: (x - 1.0).relu() * (y - 3.0).leaky_relu(0.1),
        lambda x, y: 3 - x + y * 0.5 - 2.0 * x,
    ],
)
def test_every_operation_agrees_with_central_differences(f):
    x, y = Value(1.3, label="x"), Value(2.2, label="y")
    report = gradcheck(f, [x, y])
    assert report, report


def test_gradcheck_names_the_input_that_disagrees():
    x, y = Value(0.5, label="x"), Value(1.5, label="y")

    def f(x, y):
        return Value(x.data) * y  # x's path is cut: autograd sees dx = 0, numerics do not

    report = gradcheck(f, [x, y])
    assert not report
    assert [c.ok for c in report.inputs] == [False, True]
    assert "FAIL x" in str(report) and "ok   y" in str(report)


def test_shared_subexpressions_accumulate():
    x = Value(3.0)
    (x * x).backward()
    assert x.grad == 6.0
    a = Value(2.0)
    (a + a).backward()
    assert a.grad == 2.0
    a, b = Value(2.0), Value(-4.0)
    c = a * b
    d = c + c * a + b
    d.backward()  # d = ab + a²b + b -> dd/da = b + 2ab, dd/db = a + a² + 1
    assert a.grad == -4.0 + 2 * 2 * -4.0
    assert b.grad == 2 + 4 + 1


def test_second_backward_refreshes_intermediates_and_accumulates_leaves():
    a, b = Value(2.0), Value(3.0)
    u = a * b
    J = u + u
    J.backward()
    assert (u.grad, a.grad, b.grad) == (2.0, 6.0, 4.0)
    J.backward()
    assert u.grad == 2.0  # never double-counted
    assert (a.grad, b.grad) == (12.0, 8.0)  # leaves accumulate, as in PyTorch
    graph.zero_grad([a, b])
    J.backward()
    assert (a.grad, b.grad) == (6.0, 4.0)
    J.zero_grad()
    assert (J.grad, u.grad, a.grad, b.grad) == (0.0, 0.0, 0.0, 0.0)


def test_no_grad_records_nothing():
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
    assert graph.is_leaf(y) and y.data == 7.0
    y.backward()
    assert x.grad == 0.0 and y.grad == 1.0
    assert graph.is_grad_enabled()


def test_a_million_step_chain_has_no_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * 1.0000001
    y.backward()
    assert x.grad == pytest.approx(1.0000001**1_000_000, rel=1e-9)
    del y  # freeing the chain must not recurse either


def live_values():
    return sum(type(o) is Value for o in gc.get_objects())


def test_graph_has_no_reference_cycles():
    gc.collect()
    before = live_values()
    gc.disable()
    try:
        y = Value(1.0)
        for _ in range(1000):
            y = (1.0001 * y + 0.1).tanh() * y
        y.backward()
        assert live_values() == before + 4001
        del y
        assert live_values() == before  # freed by reference counting alone
        assert gc.collect() == 0  # nothing left for the cycle collector
    finally:
        gc.enable()


def test_micrograd_script_runs_unchanged_with_the_same_numbers():
    # micrograd's README example (Value(x), .data, .grad, operators, relu, backward)
    a = Value(-4.0)
    b = Value(2.0)
    c = a + b
    d = a * b + b**3
    c += c + 1
    c += 1 + c + (-a)
    d += d * 2 + (b + a).relu()
    d += 3 * d + (b - a).relu()
    e = c - d
    f = e**2
    g = f / 2.0
    g += 10.0 / f
    g.backward()
    assert f"{g.data:.4f}" == "24.7041"
    assert f"{a.grad:.4f}" == "138.8338"
    assert f"{b.grad:.4f}" == "645.5773"


def test_comparisons_give_plain_bools():
    assert Value(2.0) > 1 and Value(1.0) <= Value(1.0) and not (Value(3.0) < 2.5)
    assert Value(2.0) >= 2 and Value(1.5).data == 1.5 and Value(1.5).item() == 1.5


@pytest.mark.parametrize(
    ("bad", "words"),
    [("1.5", "float('1.5')"), (None, "None"), (np.ones(3), "shape (3,)"), (True, "bool")],
)
def test_non_numeric_data_is_refused_with_a_hint(bad, words):
    with pytest.raises(TypeError, match="must be a number") as e:
        Value(bad)
    assert words in str(e.value)
    with pytest.raises(TypeError, match="other operand of '\\+'"):
        Value(1.0) + bad
    # an array on the left goes through numpy's multiply, which names itself
    with pytest.raises(TypeError, match="other operand of '\\*'|np.multiply between a Value"):
        bad * Value(1.0)


def test_numpy_scalars_are_numbers():
    assert Value(np.float32(0.5)).data == 0.5 and Value(np.int64(3)).data == 3.0
    assert Value(np.array(2.5)).data == 2.5


def test_value_of_a_value_is_refused():
    with pytest.raises(TypeError, match="already a node"):
        Value(Value(1.0))


@pytest.mark.parametrize("x", [0.0, -1.0])
def test_log_of_a_non_positive_number_is_an_error(x):
    with pytest.raises(ValueError, match="positive numbers only"):
        Value(x).log()




def test_division_by_zero_and_overflow_are_explained():
    with pytest.raises(ZeroDivisionError, match="is 0"):
        Value(1.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError):
        1.0 / Value(0.0)
    with pytest.raises(OverflowError, match="overflows"):
        Value(1000.0).exp()


def test_sigmoid_is_stable_at_extremes():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0
    assert math.isfinite(Value(-745.0).sigmoid().data)


def test_division_by_a_tiny_number_has_its_derivative_not_a_crash():
    a = Value(1e-200)
    (1 / a).backward()
    assert a.grad == -math.inf  # -1/a² overflows; the float answer, not a ZeroDivisionError
    x, y = Value(3.0), Value(1e-160)
    (x / y).backward()
    assert x.grad == pytest.approx(1e160) and y.grad == -math.inf
    x, y = Value(3.0), Value(2.0)
    (x / y).backward()
    assert (x.grad, y.grad) == (0.5, -0.75)


@pytest.mark.parametrize(
    "fail",
    [
        lambda label: Value(0.0, label=label).log(),
        lambda label: Value(1.0) / Value(0.0, label=label),
        lambda label: Value(0.0, label=label) / 0,
        lambda label: 2.0 / Value(0.0, label=label),
    ],
)
def test_a_huge_label_with_control_characters_stays_short_and_escaped_in_errors(fail):
    with pytest.raises((ValueError, ZeroDivisionError)) as e:
        fail("\x1b[31m" * 5000 + "\n")
    text = str(e.value)
    assert len(text) < 400 and "\x1b" not in text and "\n" not in text
    assert "characters)" in text  # says how long the label was
