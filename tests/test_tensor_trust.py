"""The Tensor engine gives no silent wrong answer: data changed between forward and
backward, sigmoid and the cost at their limits, powers at 0 and with negative bases,
and no numpy warning from the engine's own backward pass.

Oracles: the gradient the forward pass defines (written out), PyTorch's float64
answers written out as numbers (from its formulas: BCELoss clamps each log at -100
and floors A(1 - A) at 1e-12; pow's gradients are masked to 0 where the exponent is
0, and where the base is 0 with a non-negative exponent), and central differences.
"""

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls import (
    Tensor,
    anomaly,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    graph,
    no_grad,
)
from micrograd_dls.gradcheck import gradcheck

INF, NAN = math.inf, math.nan


def backward_silently(J, *args):
    """J.backward() with every numpy warning an error: the engine's internals warn of nothing."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J.backward(*args)


# --- 1. data changed between forward and backward ---------------------------------------

CHANGED = r"'W' of shape \(2,\) was changed in place after '\*' saved it for backward"


def test_the_issues_example_in_place_update_under_no_grad_is_refused_at_backward():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    J = (W * W).sum()
    with no_grad():
        W -= 1
    with pytest.raises(RuntimeError, match=CHANGED + r".*Compute the forward pass again"):
        J.backward()
    J = (W * W).sum()  # the fix: the forward pass again, at the new W
    J.backward()
    np.testing.assert_array_equal(W.grad, [2.0, 4.0])  # 2W at W = [1, 2]


def test_p_data_minus_equals_between_forward_and_backward_is_refused():
    # `W.data -= d` is numpy's in-place update followed by the data setter with the same array
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    J = (W * W).sum()
    W.data -= 1.0
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()


def test_a_change_seen_through_a_view_is_refused_and_named():
    W = Tensor([[2.0, 3.0]], requires_grad=True, label="W")
    J = (W.T * W.T).sum()  # '*' saved W.T, a view of W's array
    with no_grad():
        W *= 2.0
    with pytest.raises(RuntimeError, match=r"'W' of shape \(1, 2\), through the transpose"):
        J.backward()


def test_a_changed_constant_is_refused_too_it_is_in_the_parameters_gradient():
    W = Tensor([1.0, 1.0], requires_grad=True, label="W")
    X = Tensor([2.0, 3.0], label="X")
    J = (W * X).sum()
    X += 1.0  # allowed on a tensor without gradient -- but dW = X was saved
    with pytest.raises(RuntimeError, match=r"'X' of shape \(2,\) was changed in place"):
        J.backward()


def test_a_change_no_rule_reads_is_harmless_and_allowed_as_in_pytorch():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    J = (W + 1.0).sum() + (W * 2.0).sum()  # neither '+' nor '* 2' saves W
    with no_grad():
        W -= 1
    J.backward()
    np.testing.assert_array_equal(W.grad, [3.0, 3.0])


def test_replacing_the_array_keeps_the_saved_one_so_backward_is_still_right():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    J = (W * W).sum()
    W.data = W.data - 1.0  # a new array: the graph still holds the old numbers
    J.backward()
    np.testing.assert_array_equal(W.grad, [4.0, 6.0])  # 2W at the forward pass's W
    np.testing.assert_array_equal(W.data, [1.0, 2.0])


def test_the_users_array_is_copied_so_changing_it_later_changes_nothing():
    a = np.array([2.0, 3.0])
    W = Tensor(a, requires_grad=True, label="W")
    x = np.array([5.0, 7.0])
    J = (W * W * x).sum()  # x, a plain array operand, is copied as well
    a[...] = 0.0
    x[...] = 0.0
    J.backward()
    np.testing.assert_array_equal(W.grad, [2 * 2.0 * 5.0, 2 * 3.0 * 7.0])  # 2 W x
    np.testing.assert_array_equal(W.data, [2.0, 3.0])


def test_every_way_a_results_array_reaches_the_caller_is_read_only():
    """The engine leaves a result's array as numpy made it and sets it read-only where it
    leaves: .data, numpy(), np.asarray, detach(), graph.data, and views of it."""
    W = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    Y = Tensor(np.ones((2, 3)))
    Z = W * 2.0
    C = 1 - Y  # in the graph (drawn), though it needs no gradient
    V, T, R = Z[0], Z.T, Z.reshape(3, 2)  # views of Z's array, made before it is shown
    ways = [Z.data, C.numpy(), np.asarray(C), Z.detach().data, graph.data(Z), V.data,
            T.data, R.data]
    for array in ways:
        assert not array.flags.writeable
        with pytest.raises(ValueError, match="read-only"):
            array[...] = 0.0
    (Z * C).sum().backward()
    np.testing.assert_array_equal(W.grad, np.zeros((2, 3)))  # C = 0
    with no_grad():
        F = W * 2.0  # outside a graph: an ordinary array of its own
    assert F.data.flags.writeable


def test_backward_writes_into_no_results_array():
    rng = np.random.default_rng(0)
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    b = Tensor(rng.standard_normal((3, 1)), requires_grad=True)
    A = (W @ Tensor(rng.standard_normal((2, 5))) + b).tanh()
    J = (A * A).sum() / 5
    nodes = graph.topological_order(J)
    before = [n._data.copy() for n in nodes]
    J.backward()
    for n, a in zip(nodes, before):
        np.testing.assert_array_equal(n._data, a)


def test_a_result_in_a_graph_is_read_only():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    E = W * W
    J = (E * W).sum()
    with pytest.raises(ValueError, match="read-only"):
        E.data[...] = 0.0
    with pytest.raises(ValueError, match="read-only"):
        E.data -= 1.0
    with pytest.raises(RuntimeError, match=r"\.data of a tensor of shape \(2,\), the result"):
        E.data = np.zeros(2)
    with pytest.raises(RuntimeError, match="read-only, shared with a result"):
        D = E.detach()
        D += 1.0
    J.backward()
    np.testing.assert_array_equal(W.grad, [3 * 4.0, 3 * 9.0])  # d(W³)/dW = 3W²
    with no_grad():
        F = W * W  # outside a graph: an ordinary array of its own
    F.data[0] = 1.0
    assert F.data.tolist() == [1.0, 9.0]


@pytest.mark.parametrize("style", ["p.data -= lr * p.grad", "with no_grad(): W -= lr * W.grad"])
def test_the_learners_update_after_backward_keeps_working(style):
    # logistic regression, three steps, against the course's dw = (1/m) X dZᵀ written in numpy
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 8))
    Y = (rng.random((1, 8)) < 0.5).astype(float)
    w0 = rng.standard_normal((3, 1))
    w = Tensor(w0, requires_grad=True, label="w")
    b = Tensor(np.zeros((1, 1)), requires_grad=True, label="b")
    wn, bn = w0.copy(), np.zeros((1, 1))
    Xt = Tensor(X, label="X")
    for _ in range(3):
        J = binary_cross_entropy((w.T @ Xt + b).sigmoid(), Y)
        J.backward()
        for p in (w, b):
            if style.startswith("p.data"):
                p.data -= 0.5 * p.grad
                p.grad = None
            else:
                with no_grad():
                    p -= 0.5 * p.grad
                p.grad = None
        dZ = 1 / (1 + np.exp(-(wn.T @ X + bn))) - Y
        wn -= 0.5 * X @ dZ.T / 8
        bn -= 0.5 * dZ.sum(keepdims=True) / 8
    # a different order of the same float operations: agreement to rounding, not bits
    np.testing.assert_allclose(w.data, wn, rtol=1e-12)
    np.testing.assert_allclose(b.data, bn, rtol=1e-12, atol=1e-15)


def test_changing_data_between_two_backward_passes_of_one_graph_is_refused():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    J = (W * W).sum()
    J.backward(retain_graph=True)
    W.data -= 0.1 * W.grad
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()


# --- 4. data replaced by another shape --------------------------------------------------


def test_data_replaced_by_another_shape_is_refused_where_it_is_assigned():
    W = Tensor(np.ones((2, 2)), requires_grad=True, label="W")
    J = (W * W).sum()
    with pytest.raises(
        ValueError,
        match=r"'W' of shape \(2, 2\): \.data = an array of shape \(3, 2\); the data keeps its "
        r"shape \(2, 2\).*Tensor\(new, requires_grad=True\)",
    ):
        W.data = np.zeros((3, 2))
    J.backward()  # nothing was changed
    np.testing.assert_array_equal(W.grad, np.full((2, 2), 2.0))


def test_data_assignment_keeps_the_dtype_and_refuses_what_is_not_numbers():
    W = Tensor(np.ones(2, dtype=np.float32), requires_grad=True, label="W")
    W.data = np.array([1.5, 2.5])  # float64 in, float32 kept
    assert W.dtype == np.float32 and W.data.tolist() == [1.5, 2.5]
    with pytest.raises(TypeError, match="real numbers"):
        W.data = np.array(["a", "b"])


# --- 2. sigmoid and the cost at their limits --------------------------------------------


def test_sigmoid_at_plus_minus_inf_is_1_and_0_silently_as_pytorch():
    z = Tensor([[-INF, INF, 0.0, NAN]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = z.sigmoid()
    backward_silently(a.sum())
    np.testing.assert_array_equal(a.data, [[0.0, 1.0, 0.5, NAN]])
    np.testing.assert_array_equal(z.grad, [[0.0, 0.0, 0.25, NAN]])  # PyTorch's σ(1 - σ)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=6))
def test_sigmoid_of_any_number_is_in_0_1_with_a_finite_silent_gradient(zs):
    z = Tensor(np.array([zs]), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a = z.sigmoid()
    backward_silently(a.sum())
    assert np.all((0.0 <= a.data) & (a.data <= 1.0)) and np.all(np.isfinite(z.grad))
    # σ(z) = 1/(1 + e^-z), evaluated where it cannot overflow (|z| < 700); the engine's
    # exp(z - softplus(z)) carries the rounding of a number as large as |z|: rtol ~ |z|·1e-16
    small = np.abs(z.data) < 700
    np.testing.assert_allclose(a.data[small], 1 / (1 + np.exp(-z.data[small])), rtol=1e-12)


def test_a_model_with_huge_weights_predicts_0_and_1_and_its_cost_is_pytorchs():
    # Z = ±inf, as from weights that overflowed: BCELoss on σ(Z) = exactly 0 and 1
    Z = Tensor([[INF, INF, -INF, -INF]], requires_grad=True)
    Y = [[1.0, 0.0, 0.0, 1.0]]
    J = binary_cross_entropy(Z.sigmoid(), Y)
    backward_silently(J)
    assert J.item() == 50.0  # PyTorch: (0 + 100 + 0 + 100) / 4, each log clamped at -100
    np.testing.assert_array_equal(Z.grad, [[0.0, 0.0, 0.0, 0.0]])


def test_bce_at_a_exactly_0_and_1_matches_pytorchs_bceloss():
    A = Tensor([[0.0, 1.0, 0.0, 1.0]], requires_grad=True)
    Y = Tensor([[1.0, 0.0, 0.0, 1.0]], requires_grad=True)
    J = binary_cross_entropy(A, Y)
    backward_silently(J)
    assert J.item() == 50.0
    # PyTorch: dA = (A - Y) / max(A(1 - A), 1e-12) / m, dY = -logit(A) / m
    np.testing.assert_array_equal(A.grad, [[-2.5e11, 2.5e11, 0.0, 0.0]])
    np.testing.assert_array_equal(Y.grad, [[INF, -INF, INF, -INF]])


@pytest.mark.parametrize("bad", [NAN, -0.5, 1.5])
def test_bce_refuses_what_is_not_a_probability_as_pytorch_does(bad):
    with pytest.raises(
        ValueError, match=r"A must be probabilities in \[0, 1\], but A\[0, 1\] = .*logits"
    ):
        binary_cross_entropy(Tensor([[0.5, bad]]), [[1.0, 0.0]])


def test_bce_with_logits_at_plus_minus_inf():
    Z = Tensor([[INF, INF, -INF, -INF, 0.0]], requires_grad=True)
    Y = Tensor([[1.0, 0.0, 0.0, 1.0, 1.0]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = binary_cross_entropy_with_logits(Z, Y)
    backward_silently(J)
    assert J.item() == INF  # two confident mistakes: -log σ(-inf) = inf
    # PyTorch's BCEWithLogitsLoss gradients: (σ(Z) - Y) / m and -Z / m
    np.testing.assert_array_equal(Z.grad, [[0.0, 0.2, 0.0, -0.2, -0.1]])
    np.testing.assert_array_equal(Y.grad, [[-INF, -INF, INF, INF, -0.0]])
    # Only confident right answers: each term's limit, 0 (PyTorch's formula gives NaN,
    # 0·inf); the finite term is log 2 / m.
    right = binary_cross_entropy_with_logits(Tensor([[INF, -INF, 0.0]]), [[1.0, 0.0, 1.0]])
    assert right.item() == pytest.approx(math.log(2) / 3, rel=1e-15)
    nan_in = binary_cross_entropy_with_logits(Tensor([[NAN, INF]]), [[1.0, 1.0]])
    assert math.isnan(nan_in.item())


# --- 3. powers -----------------------------------------------------------------------------


def test_tensor_to_a_tensor_power_at_0_and_with_negative_bases_as_pytorch():
    x = Tensor([0.0, 0.0, 0.0, -2.0, -2.0, 2.0], requires_grad=True)
    y = Tensor([0.0, -1.0, 0.5, 3.0, 0.5, -1.0], requires_grad=True)
    with np.errstate(all="ignore"):  # numpy warns of 0**-1 and (-2)**0.5 in the forward pass
        out = x**y
    backward_silently(out.sum())
    np.testing.assert_array_equal(out.data, [1.0, INF, 0.0, -8.0, NAN, 0.5])
    # PyTorch: dx = y x^(y-1), 0 where y = 0;  dy = out log x, 0 where x = 0 and y >= 0
    np.testing.assert_array_equal(x.grad, [0.0, -INF, INF, 12.0, NAN, -0.25])
    np.testing.assert_array_equal(y.grad, [0.0, -INF, 0.0, NAN, NAN, 0.5 * math.log(2)])


def test_tensor_to_a_number_power_at_0_as_pytorch():
    x = Tensor([0.0, 2.0, -2.0], requires_grad=True)
    backward_silently((x**0).sum())
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 0.0])
    x.grad = None
    with np.errstate(all="ignore"):
        out = x**-1
    backward_silently(out.sum())
    np.testing.assert_array_equal(out.data, [INF, 0.5, -0.5])
    np.testing.assert_array_equal(x.grad, [-INF, -0.25, -0.25])
    x.grad = None
    backward_silently((x**3).sum())
    np.testing.assert_array_equal(x.grad, [0.0, 12.0, 12.0])


def test_a_number_to_a_tensor_power_with_base_0_and_negative_bases_as_pytorch():
    x = Tensor([0.0, 2.0, -1.0], requires_grad=True)
    with np.errstate(all="ignore"):  # 0**-1: numpy's divide-by-zero warning, forward only
        out = 0**x
    backward_silently(out.sum())
    np.testing.assert_array_equal(out.data, [1.0, 0.0, INF])
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, -INF])  # PyTorch: 0 where x >= 0
    n = Tensor([0.0, 2.0, 3.0], requires_grad=True)
    out = (-2.0) ** n
    backward_silently(out.sum())
    np.testing.assert_array_equal(out.data, [1.0, 4.0, -8.0])
    np.testing.assert_array_equal(n.grad, [NAN, NAN, NAN])  # out log(-2): not real
    k = Tensor([1.0, 3.0], requires_grad=True)
    (2.0**k).sum().backward()
    np.testing.assert_allclose(k.grad, [2 * math.log(2), 8 * math.log(2)], rtol=1e-15)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.floats(0.2, 3.0), min_size=3, max_size=3),
    st.lists(st.floats(-2.0, 2.0), min_size=3, max_size=3),
)
def test_powers_agree_with_central_differences_away_from_0(xs, ys):
    x = Tensor(np.array(xs), requires_grad=True)
    y = Tensor(np.array(ys), requires_grad=True)
    assert gradcheck(lambda a, b: (a**b).sum(), [x, y], eps=1e-6, tol=1e-6).ok
    assert gradcheck(lambda b: (1.7**b).sum(), [y], eps=1e-6, tol=1e-6).ok


# --- 4. no numpy warning from the engine's own backward pass ---------------------------


def test_backward_of_max_over_nan_is_silent_and_gives_the_nan_its_gradient_as_pytorch():
    x = Tensor([[NAN, 1.0, 2.0]], requires_grad=True)
    backward_silently(x.max())
    np.testing.assert_array_equal(x.grad, [[1.0, 0.0, 0.0]])
    x = Tensor([[NAN, 1.0], [2.0, 3.0]], requires_grad=True)
    backward_silently(x.max(axis=1).sum())
    np.testing.assert_array_equal(x.grad, [[1.0, 0.0], [0.0, 1.0]])


def test_backward_of_log_sqrt_and_division_at_0_is_silent():
    x = Tensor([0.0, 4.0], requires_grad=True)
    with np.errstate(all="ignore"):  # log 0 = -inf, 1/0 = inf: numpy warns in the forward
        J = x.log().sum() + x.sqrt().sum() + (1.0 / x).sum() + (x / x).sum()
    backward_silently(J)
    # 1/x + 1/(2√x) - 1/x² + (1/x - x/x²): inf + inf - inf + nan at 0
    np.testing.assert_array_equal(x.grad, [NAN, 0.25 + 0.25 - 1 / 16 + 0.0])


# --- 5. anomaly mode (anomaly.detect_anomaly) ---------------------------------------------



def test_anomaly_mode_names_the_first_forward_that_is_not_finite_and_the_users_line():
    A = Tensor([[0.0, 0.5]], requires_grad=True, label="A")
    with anomaly.detect_anomaly(), np.errstate(divide="ignore"):
        B = A * 2.0  # finite: recorded and checked, no error
        with pytest.raises(anomaly.AnomalyError) as e:
            B.log()  # log 0 = -inf
    text = str(e.value)
    assert "the forward of 'log' produced a NaN or an infinity" in text
    assert "1 of 2 entries, the first -inf at (0, 0)" in text
    assert "test_tensor_trust.py" in text and "B.log()  # log 0 = -inf" in text
    assert "binary_cross_entropy_with_logits" in text  # the course-level hint
    with np.errstate(divide="ignore"):
        assert B.log().data[0, 0] == -INF  # outside the block: IEEE values, no error


def test_anomaly_mode_names_the_first_backward_that_is_not_finite():
    x = Tensor([[0.0, 4.0]], requires_grad=True, label="x")
    with anomaly.detect_anomaly():
        J = x.sqrt().sum()  # forward finite; d√x/dx = 1/(2√x) is inf at 0
        with pytest.raises(anomaly.AnomalyError, match=r"the backward of 'sqrt'.*d'x' of shape"):
            J.backward()


def test_anomaly_mode_changes_no_number():
    def step():
        W = Tensor([[0.5, -1.5]], requires_grad=True)
        J = binary_cross_entropy_with_logits(W @ Tensor([[1.0], [2.0]]), [[1.0]])
        J.backward()
        return J.item(), W.grad

    plain = step()
    with anomaly.detect_anomaly():
        checked = step()
    assert checked[0] == plain[0]
    np.testing.assert_array_equal(checked[1], plain[1])


def test_copy_and_deepcopy_give_independent_tensors():
    """copy.copy (matplotlib copies what it plots) and copy.deepcopy (a snapshot of a model):
    new data, the same numbers, label and requires_grad; a result that requires a gradient
    is refused (its copy would leave the graph), as PyTorch refuses to deep-copy one."""
    import copy

    W = Tensor(np.arange(4.0).reshape(2, 2), requires_grad=True, label="W")
    Z = (W * 2).detach()
    for clone in (copy.copy, copy.deepcopy):
        w, z = clone(W), clone(Z)
        assert w.requires_grad and w.label == "W" and not z.requires_grad
        np.testing.assert_array_equal(w.data, W.data)
        np.testing.assert_array_equal(z.data, Z.data)
        assert not np.shares_memory(w.data, W.data) and not np.shares_memory(z.data, Z.data)
        with pytest.raises(RuntimeError, match="cut it off from the graph; copy t.detach"):
            clone(W * 2)
    (w,) = copy.deepcopy([W])
    (w * w).sum().backward()
    assert W.grad is None and w.grad.tolist() == [[0.0, 2.0], [4.0, 6.0]]


def test_from_numpy_shares_the_array_as_torch_does_and_refuses_conversions():
    from micrograd_dls import from_numpy

    X = np.arange(6.0).reshape(2, 3)
    t = from_numpy(X, label="X")
    assert np.shares_memory(t.data, X) and t.label == "X" and not t.requires_grad
    assert not np.shares_memory(Tensor(X).data, X)  # the default copies, as torch.tensor
    for bad in (np.arange(3), [1.0, 2.0], X.astype(np.float16)):
        with pytest.raises(TypeError, match="from_numpy needs a float64 or float32 numpy array"):
            from_numpy(bad)


# --- numbers at the limits, comparisons, anomaly hints --------------------------------------


def test_bce_with_logits_of_huge_finite_logits_is_inf_silently_as_pytorch():
    # two confident mistakes of 1e308 each: the sum passes 1.8e308. PyTorch's
    # BCEWithLogitsLoss (float64) gives J = inf and dZ = (σ(Z) - Y)/m = [0, 0, -1/4, 1/4].
    Z = Tensor([[1e308, -1e308, -1e308, 1e308]], requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        J = binary_cross_entropy_with_logits(Z, [[1.0, 0.0, 1.0, 0.0]])
    backward_silently(J)
    assert J.item() == INF
    np.testing.assert_array_equal(Z.grad, [[0.0, 0.0, -0.25, 0.25]])


def test_sqrt_in_anomaly_mode_gets_the_square_root_hint_not_the_learning_rate_one():
    x = Tensor([0.0, 4.0], requires_grad=True, label="x")
    with anomaly.detect_anomaly():
        J = x.sqrt().sum()
        with pytest.raises(anomaly.AnomalyError) as e:
            J.backward()
    assert "1/(2 sqrt x) at x = 0" in str(e.value) and "learning rate" not in str(e.value)


def test_exp_overflow_in_anomaly_mode_names_the_overflow_and_the_users_line():
    Z = Tensor([[710.0, 1.0]], requires_grad=True)
    with anomaly.detect_anomaly(), np.errstate(over="ignore"):
        with pytest.raises(anomaly.AnomalyError) as e:
            Z.exp()  # exp(710) = inf
    text = str(e.value)
    assert "the forward of 'exp'" in text and "Z.exp()  # exp(710) = inf" in text
    assert "above about 709 is inf" in text


def test_transpose_takes_negative_axes_and_quotes_the_axes_given_in_bounded_length():
    x = Tensor(np.arange(120.0).reshape(2, 3, 4, 5), requires_grad=True)
    out = x.transpose(-2, -1, 1, 0)  # numpy: the same as (2, 3, 1, 0)
    np.testing.assert_array_equal(out.data, x.data.transpose(2, 3, 1, 0))
    (out * Tensor(np.arange(120.0).reshape(4, 5, 3, 2))).sum().backward()
    back = np.arange(120.0).reshape(4, 5, 3, 2).transpose(3, 2, 0, 1)  # dx = dout permuted back
    np.testing.assert_array_equal(x.grad, back)
    with pytest.raises(ValueError, match=r"^transpose\(-5, -1, 1, 0\) of a tensor"):
        x.transpose(-5, -1, 1, 0)  # the axes as given, not as counted from 0
    with pytest.raises(ValueError, match="give a permutation of") as e:
        x.transpose(10**400, 0, 1, 2)
    assert len(str(e.value)) < 300
    with pytest.raises(TypeError, match="axes must be ints"):
        x.transpose(1.0, 0, 2, 3)
    with pytest.raises(TypeError, match="axes must be ints"):
        x.transpose(True, False, 2, 3)


@pytest.mark.parametrize(
    "make",
    [
        lambda t: t + 10**400,
        lambda t: 10**400 - t,
        lambda t: t ** 10**400,
        lambda t: t.clip(0, 10**400),
        lambda t: np.maximum(t, 10**400),
    ],
)
def test_an_int_past_the_largest_float_is_a_short_clear_error(make):
    with pytest.raises(OverflowError, match="is too large for a float") as e:
        make(Tensor([1.0, 2.0], requires_grad=True))
    assert len(str(e.value)) < 200


def test_comparisons_of_shapes_that_do_not_broadcast_name_both_shapes():
    predictions = Tensor([[1.0, 0.0, 1.0]])
    Y = np.array([[1, 1, 1]])
    assert np.mean(predictions == Y) == pytest.approx(2 / 3, rel=1e-15)  # the course's line
    for compare in (lambda a, b: a == b, lambda a, b: a != b, lambda a, b: a < b,
                    lambda a, b: a >= b):
        for other in (np.array([1.0, 1.0]), Tensor([1.0, 1.0]), [1.0, 1.0]):
            with pytest.raises(ValueError, match=r"a tensor of shape \(1, 3\) and a tensor of "
                                                 r"shape \(2,\) do not broadcast"):
                compare(predictions, other)
    assert (predictions == None).tolist() == [[False, False, False]]  # noqa: E711 as numpy
    assert (predictions != "cat").tolist() == [[True, True, True]]


def test_comparing_a_tensor_with_a_value_is_refused_rather_than_false():
    from micrograd_dls import Value

    for compare in (lambda a, b: a == b, lambda a, b: a != b, lambda a, b: a < b):
        with pytest.raises(TypeError, match="between a Tensor and a Value: compare their data"):
            compare(Tensor([1.0]), Value(1.0))


def test_anomaly_mode_reports_log_0_itself_even_where_numpy_warnings_are_errors():
    # pytest here turns warnings into errors: numpy's "divide by zero encountered in log"
    # must not come before, and instead of, the explanation.
    before = np.geterr()
    A = Tensor([[0.0, 0.5]], requires_grad=True, label="A")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with anomaly.detect_anomaly():
            with pytest.raises(anomaly.AnomalyError, match="the forward of 'log'"):
                A.log()
            with anomaly.detect_anomaly():  # nested blocks keep numpy quiet until the outer ends
                pass
            with pytest.raises(anomaly.AnomalyError, match="the forward of 'exp'"):
                (A * 2000.0).exp()  # exp(1000) = inf
        assert np.geterr() == before  # numpy's warnings are back after the block
        with pytest.raises(RuntimeWarning, match="divide by zero"):
            A.log()
