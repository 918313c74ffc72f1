"""Anomaly mode: the first operation whose forward or backward makes a NaN or an infinity
raises, naming the operation, the user's line that created the node, and the course's
usual cause."""

import math
import random
import sys

import pytest

from micrograd_dls import AnomalyError, Value, anomaly, detect_anomaly, graph, no_grad
from micrograd_dls import value as value_module


def next_line():
    """The line number just after the caller's line: where the operation under test is."""
    return sys._getframe(1).f_lineno + 1


def test_forward_overflow_names_the_operation_the_line_and_a_hint():
    x = Value(1e200)
    with detect_anomaly():
        with pytest.raises(AnomalyError) as e:
            line = next_line()
            y = x * x  # noqa: F841
    text = str(e.value)
    assert "the forward of '*' produced a NaN or an infinity (inf, from 1e+200 and 1e+200)" in text
    assert f'File "{__file__}", line {line}, in ' in text
    assert "y = x * x" in text  # the source line itself
    assert "learning rate too large" in text


def test_backward_names_the_node_where_the_infinity_starts_not_the_backward_call():
    a = Value(0.0, label="a")
    with detect_anomaly():
        line = next_line()
        r = a**0.5  # finite forward (0.0); its derivative 0.5 / sqrt(0) is inf
        J = 3 * r + 1
        with pytest.raises(AnomalyError) as e:
            J.backward()
    text = str(e.value)
    assert "the backward of '**' produced a NaN or an infinity" in text
    assert "d out/dx = inf times the upstream gradient 3.0 is inf" in text
    assert f"line {line}," in text and "r = a**0.5" in text
    assert "keep the base away from 0" in text
    # the interrupted sweep leaves numbers behind, never its private marks
    assert all(type(n.grad) is float for n in graph.topological_order(J))


def test_backward_of_log_near_zero_hints_at_the_logits_form():
    p = Value(5e-324)  # the smallest float: 1 / p overflows
    with detect_anomaly():
        J = -p.log()
        with pytest.raises(AnomalyError, match="backward of 'log'") as e:
            J.backward()
    assert "log(0) in the cost" in str(e.value)
    assert "binary_cross_entropy_with_logits" in str(e.value)


def test_hint_table_covers_the_courses_three_causes():
    hints = " ".join(anomaly._HINTS.values()) + anomaly._DEFAULT_HINT
    assert "log(0) in the cost" in hints and "logits" in hints
    assert "learning rate too large" in hints
    assert "saturated by a large initialisation" in hints


def test_node_created_before_the_mode_says_its_line_is_unknown():
    a = Value(0.0)
    r = a**0.5
    with detect_anomaly():
        with pytest.raises(AnomalyError, match="created before anomaly mode was turned on"):
            r.backward()


def test_leaf_that_is_already_infinite_is_reported_at_its_first_operation():
    w = Value(math.inf)
    with detect_anomaly():
        with pytest.raises(AnomalyError, match=r"forward of '\+' .*\(inf, from inf and 1.0\)"):
            w + 1.0


def test_finite_graphs_give_the_same_gradients_with_and_without_the_mode():
    def build(seed):
        rng = random.Random(seed)
        xs = [Value(rng.uniform(-1, 1)) for _ in range(4)]
        nodes = list(xs)
        for _ in range(40):
            a, b = rng.choice(nodes), rng.choice(nodes)
            nodes.append(rng.choice([a * b, a + b, (0.5 * a).tanh(), a - 2.0, a * a]))
        J = sum(nodes[-8:], Value(0.0))
        return nodes, J

    for seed in range(20):
        nodes, J = build(seed)
        J.backward()
        J.backward()
        plain = [n.grad for n in nodes]
        with detect_anomaly():
            nodes, J = build(seed)
            J.backward()
            J.backward()
        assert [n.grad for n in nodes] == plain  # bit for bit
        assert all(graph.creation_site(n) is not None for n in nodes[4:])


def test_no_cost_when_off_nothing_is_recorded_or_looked_up(monkeypatch):
    def fail():
        raise AssertionError("the creation site was looked up outside anomaly mode")

    monkeypatch.setattr(anomaly, "_user_site", fail)
    x = Value(2.0)
    y = (x * 3.0 + x).tanh() ** 2
    y.backward()
    assert graph.creation_site(y) is None
    assert value_module._unary.__name__ == "_unary"  # the operations' plain builders
    assert value_module._binary.__name__ == "_binary"
    # and no room is spent on a site: an ordinary node is as small as a leaf
    assert type(y) is Value and not hasattr(y, "_site")
    assert sys.getsizeof(y) == sys.getsizeof(x)
    monkeypatch.undo()
    with detect_anomaly():
        z = x * 3.0
    assert isinstance(z, Value) and graph.creation_site(z) is not None


def test_mode_nests_with_no_grad_and_restores_everything():
    assert graph.is_grad_enabled() and not graph.anomaly_enabled()
    with detect_anomaly():
        assert graph.anomaly_enabled() and value_module._unary.__name__ == "_unary_checked"
        with no_grad():
            assert not graph.is_grad_enabled()
            y = Value(math.inf) * 2.0  # not recorded, so not checked
            assert graph.is_leaf(y)
        assert graph.is_grad_enabled()
        with detect_anomaly():
            pass
        assert graph.anomaly_enabled() and value_module._binary.__name__ == "_binary_checked"
    assert graph.is_grad_enabled() and not graph.anomaly_enabled()
    assert value_module._unary.__name__ == "_unary"
    with no_grad():
        with detect_anomaly():
            assert not graph.is_grad_enabled() and graph.anomaly_enabled()
        assert not graph.is_grad_enabled()
    assert graph.is_grad_enabled()


def test_mode_is_switched_off_when_the_block_raises():
    with pytest.raises(AnomalyError):
        with detect_anomaly():
            Value(1e300) * 1e300
    assert graph.is_grad_enabled() and not graph.anomaly_enabled()
    assert value_module._unary.__name__ == "_unary"


class Toy(graph.Node):
    """A minimal node type calling the shared hooks, as the Tensor engine does."""

    __slots__ = ("_p", "_site")  # a node type holds its creation site in `_site`

    @property
    def _parents(self):
        return self._p


def toy(data, parents=(), op=""):
    t = Toy()
    t.data, t.grad, t.label, t._op, t._p = data, 0.0, None, (op, None), parents
    if graph.anomaly_on():  # the two lines a node type adds
        anomaly.check_forward(t, math.isfinite(data))
    return t


def test_the_shared_hooks_serve_any_node_type():
    with detect_anomaly():
        ok = toy(1.0, (toy(0.5),), "exp")
        # the innermost frame outside the library; for Tensor (inside it) the user's line
        assert graph.creation_site(ok)[0] == __file__ and graph.creation_site(ok)[2] == "toy"
        with pytest.raises(AnomalyError, match="the forward of 'exp'") as e:
            toy(math.nan, (ok,), "exp")
        assert "learning rate too large" in str(e.value)
        with pytest.raises(AnomalyError, match="the backward of 'sigmoid'") as e:
            anomaly.check_backward(toy(0.5, (ok,), "sigmoid"), False)
        assert "saturated sigmoid" in str(e.value)
        anomaly.check_backward(ok, True)  # finite: nothing happens
    anomaly.check_forward(toy(math.nan), False)  # outside the mode the hooks do nothing
    anomaly.check_backward(ok, False)
