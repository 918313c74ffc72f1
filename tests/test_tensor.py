"""The Tensor engine against the course's vectorized formulas, the scalar engine, and bad input."""

import gc
import tracemalloc

import numpy as np
import pytest

from micrograd_dls import (
    Tensor,
    Value,
    binary_cross_entropy,
    binary_cross_entropy_with_logits,
    graph,
    no_grad,
    zero_grad,
)
from micrograd_dls.gradcheck import gradcheck
from micrograd_dls.tensor import linear


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def rel_err(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def planar_problem(seed, n_x=2, n_h=4, m=7):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    W1, b1 = rng.standard_normal((n_h, n_x)), rng.standard_normal((n_h, 1))
    W2, b2 = rng.standard_normal((1, n_h)), rng.standard_normal((1, 1))
    return X, Y, W1, b1, W2, b2


# --- the course's vectorized formulas as oracle --------------------------------------


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("from_logits", [True, False])
def test_logistic_regression_gradients_are_dz_equals_a_minus_y(seed, from_logits):
    rng = np.random.default_rng(seed)
    n_x, m = 5, 11
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) < 0.5).astype(float)
    w = Tensor(rng.standard_normal((n_x, 1)), requires_grad=True, label="w")
    b = Tensor(rng.standard_normal((1, 1)), requires_grad=True, label="b")
    Z = w.T @ Tensor(X, label="X") + b
    if from_logits:
        J = binary_cross_entropy_with_logits(Z, Y)
    else:
        J = binary_cross_entropy(Z.sigmoid(), Y)
    J.backward()

    A = sigmoid(w.data.T @ X + b.data)
    dZ = A - Y
    assert J.item() == pytest.approx(-np.mean(Y * np.log(A) + (1 - Y) * np.log(1 - A)), rel=1e-12)
    assert rel_err(w.grad, X @ dZ.T / m) < 1e-10
    assert rel_err(b.grad, np.sum(dZ) / m) < 1e-10
    assert rel_err(m * Z.grad, dZ) < 1e-10  # autograd's dJ/dZ is the lecture's dZ / m


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("fused", [False, True])
def test_one_hidden_layer_tanh_network_matches_the_lectures_backprop(seed, fused):
    X, Y, W1_, b1_, W2_, b2_ = planar_problem(seed)
    m = X.shape[1]
    W1, b1 = Tensor(W1_, True, "W[1]"), Tensor(b1_, True, "b[1]")
    W2, b2 = Tensor(W2_, True, "W[2]"), Tensor(b2_, True, "b[2]")
    Xt = Tensor(X, label="X")
    Z1 = linear(W1, Xt, b1) if fused else W1 @ Xt + b1
    A1 = Z1.tanh()
    Z2 = linear(W2, A1, b2) if fused else W2 @ A1 + b2
    J = binary_cross_entropy_with_logits(Z2, Y)
    J.backward()

    # the lecture's six equations
    A1_ = np.tanh(W1_ @ X + b1_)
    A2_ = sigmoid(W2_ @ A1_ + b2_)
    dZ2 = A2_ - Y
    dW2 = dZ2 @ A1_.T / m
    db2 = np.sum(dZ2, axis=1, keepdims=True) / m
    dZ1 = W2_.T @ dZ2 * (1 - A1_**2)
    dW1 = dZ1 @ X.T / m
    db1 = np.sum(dZ1, axis=1, keepdims=True) / m
    for got, want in [
        (m * Z2.grad, dZ2), (W2.grad, dW2), (b2.grad, db2),
        (m * Z1.grad, dZ1), (W1.grad, dW1), (b1.grad, db1),
    ]:
        assert got.shape == want.shape
        assert rel_err(got, want) < 1e-10
    assert Xt.grad is None  # the data gets no gradient


def test_same_small_network_from_values_and_from_tensors():
    X, Y, W1_, b1_, W2_, b2_ = planar_problem(7, n_x=3, n_h=3, m=5)
    n_h, n_x = W1_.shape
    m = X.shape[1]

    W1 = [[Value(W1_[i, j]) for j in range(n_x)] for i in range(n_h)]
    b1 = [Value(b1_[i, 0]) for i in range(n_h)]
    W2 = [Value(W2_[0, i]) for i in range(n_h)]
    b2 = Value(b2_[0, 0])
    J = 0.0
    for k in range(m):
        a1 = [
            sum((W1[i][j] * X[j, k] for j in range(n_x)), b1[i]).tanh() for i in range(n_h)
        ]
        a2 = sum((W2[i] * a1[i] for i in range(n_h)), b2).sigmoid()
        y = Y[0, k]
        J = J - (y * a2.log() + (1 - y) * (1 - a2).log())
    J = J / m
    J.backward()

    tW1, tb1 = Tensor(W1_, requires_grad=True), Tensor(b1_, requires_grad=True)
    tW2, tb2 = Tensor(W2_, requires_grad=True), Tensor(b2_, requires_grad=True)
    A2 = (tW2 @ (tW1 @ X + tb1).tanh() + tb2).sigmoid()
    tJ = binary_cross_entropy(A2, Y)
    tJ.backward()

    assert tJ.item() == pytest.approx(J.data, rel=1e-12)
    assert rel_err(tW1.grad, [[w.grad for w in row] for row in W1]) < 1e-12
    assert rel_err(tb1.grad, [[b.grad] for b in b1]) < 1e-12
    assert rel_err(tW2.grad, [[w.grad for w in W2]]) < 1e-12
    assert rel_err(tb2.grad, [[b2.grad]]) < 1e-12


def test_db_is_dz_summed_over_the_columns():
    rng = np.random.default_rng(0)
    b = Tensor(rng.standard_normal((3, 1)), requires_grad=True, label="b")
    G = rng.standard_normal((3, 6))
    Z = Tensor(rng.standard_normal((3, 6)), label="WX") + b
    Z.backward(G)
    np.testing.assert_allclose(b.grad, G.sum(axis=1, keepdims=True), rtol=1e-14)
    assert graph.edge_rules(Z)[1] == "db = sum(dout, axis=1, keepdims=True)"


# --- activations at their kinks and extremes ----------------------------------------------


def test_relu_derivative_at_zero_is_zero_as_in_relu_backward():
    z = Tensor([[-1.0, 0.0, 2.0]], requires_grad=True)
    z.relu().sum().backward()
    np.testing.assert_array_equal(z.grad, [[0.0, 0.0, 1.0]])


def test_leaky_relu_slope_left_of_and_at_zero():
    z = Tensor([[-1.0, 0.0, 2.0]], requires_grad=True)
    a = z.leaky_relu(0.1)
    a.sum().backward()
    np.testing.assert_allclose(a.data, [[-0.1, 0.0, 2.0]])
    np.testing.assert_array_equal(z.grad, [[0.1, 0.1, 1.0]])
    assert graph.constants(a) == ((1, 0.1),)


def test_sigmoid_is_finite_and_silent_at_plus_minus_1000():
    z = Tensor([[-1000.0, -40.0, 0.0, 40.0, 1000.0]], requires_grad=True)
    a = z.sigmoid()
    a.sum().backward()
    assert np.all(np.isfinite(a.data)) and np.all(np.isfinite(z.grad))
    assert a.data[0, 0] == 0.0 and a.data[0, -1] == 1.0 and a.data[0, 2] == 0.5
    assert a.data[0, 1] == pytest.approx(np.exp(-40.0), rel=1e-12)  # no cancellation


def test_cost_from_logits_is_finite_at_extreme_logits():
    Z = Tensor([[-1000.0, 1000.0, -1000.0, 1000.0]], requires_grad=True)
    Y = np.array([[0.0, 1.0, 1.0, 0.0]])
    J = binary_cross_entropy_with_logits(Z, Y)
    J.backward()
    assert J.item() == pytest.approx((1000.0 + 1000.0) / 4)  # two confident mistakes
    np.testing.assert_allclose(Z.grad, [[0.0, 0.0, -0.25, 0.25]])


def test_cost_is_finite_and_correct_when_A_is_exactly_0_or_1():
    A = Tensor([[0.0, 1.0, 0.5]], requires_grad=True)
    J = binary_cross_entropy(A, [[0.0, 1.0, 1.0]])
    J.backward()
    assert J.item() == pytest.approx(np.log(2) / 3, rel=1e-12)  # 0·log 0 counts as 0
    np.testing.assert_allclose(A.grad, [[0.0, 0.0, -2 / 3]], atol=1e-15)
    wrong = binary_cross_entropy(Tensor([[0.0, 1.0]]), [[1.0, 0.0]])
    assert np.isfinite(wrong.item()) and wrong.item() == pytest.approx(100.0)


def test_cost_gradient_from_logits_is_A_minus_Y_over_m():
    rng = np.random.default_rng(3)
    Z = Tensor(rng.standard_normal((1, 9)) * 5, requires_grad=True)
    Y = (rng.random((1, 9)) < 0.5).astype(float)
    binary_cross_entropy_with_logits(Z, Y).backward()
    assert rel_err(Z.grad, (sigmoid(Z.data) - Y) / 9) < 1e-12


# --- backward: seeds, second backward, release, accumulation ------------------------------


def test_grad_is_none_until_backward_as_in_pytorch():
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    J = (W * 3.0).sum()
    assert W.grad is None and J.grad is None
    J.backward()
    np.testing.assert_array_equal(W.grad, np.full((2, 2), 3.0))


def test_backward_from_a_non_scalar_needs_its_gradient():
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    Z = W * 2.0
    with pytest.raises(RuntimeError, match=r"shape \(2, 3\).*reduce it first"):
        Z.backward()
    with pytest.raises(ValueError, match=r"\(3, 2\).*the output, a tensor of shape \(2, 3\)$"):
        Z.backward(np.ones((3, 2)))
    G = np.arange(6.0).reshape(2, 3)
    Z.backward(G)
    np.testing.assert_array_equal(W.grad, 2 * G)


def test_backward_from_a_tensor_without_gradient_is_refused():
    with pytest.raises(RuntimeError, match="does not require a gradient"):
        (Tensor([[1.0]]) * 2.0).backward()


def test_second_backward_without_retain_graph_is_a_clear_error_and_keeps_the_picture():
    X, Y, W1_, b1_, W2_, b2_ = planar_problem(0)
    W = Tensor(W1_, requires_grad=True, label="W")
    Z = W @ X
    Z.label = "Z"
    J = binary_cross_entropy_with_logits(Z.tanh().sum(axis=0, keepdims=True), Y)
    J.backward()
    grads = {id(n): graph.grad(n) for n in graph.topological_order(J)}
    with pytest.raises(RuntimeError, match="second time.*retain_graph=True"):
        J.backward()
    # structure, labels, shapes and gradients are still there for the picture
    nodes = graph.topological_order(J)
    assert [graph.op(n) for n in nodes] == ["", "", "@", "tanh", "sum", "", "BCE"]
    assert all(graph.grad(n) is grads[id(n)] for n in nodes)
    assert graph.shape(Z) == (4, 7) and graph.edge_rules(Z) == ("dW = dZ·yᵀ", "dy = Wᵀ·dZ")
    # a new graph over the same leaves works
    binary_cross_entropy_with_logits((W @ X).tanh().sum(axis=0, keepdims=True), Y).backward()


def test_retain_graph_gives_fresh_intermediates_and_accumulating_leaves():
    rng = np.random.default_rng(1)
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    H = (W @ rng.standard_normal((2, 4))).tanh()
    J = (H * H).mean()
    J.backward(retain_graph=True)
    first_w, first_h = W.grad.copy(), H.grad.copy()
    J.backward(retain_graph=True)
    np.testing.assert_allclose(H.grad, first_h, rtol=1e-15)  # not counted twice
    np.testing.assert_allclose(W.grad, 2 * first_w, rtol=1e-15)
    zero_grad([W])
    J.backward()
    np.testing.assert_allclose(W.grad, first_w, rtol=1e-15)


def test_leaves_sharing_one_gradient_array_accumulate_independently():
    W = Tensor(np.zeros((2, 2)), requires_grad=True)
    V = Tensor(np.zeros((2, 2)), requires_grad=True)
    J = (W + V).sum()  # '+' hands the same array to both leaves
    for k in range(1, 4):
        J.backward(retain_graph=True)
        np.testing.assert_array_equal(W.grad, np.full((2, 2), float(k)))
        np.testing.assert_array_equal(V.grad, np.full((2, 2), float(k)))


def test_each_leaf_owns_its_gradient_array():
    # '+' and '-' pass one array to both inputs, a transpose a view of it, and
    # backward(G) starts from the caller's array: an in-place change of one
    # leaf's grad (gradient clipping, a custom update) must not reach another's.
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    V = Tensor(np.ones((2, 3)), requires_grad=True)
    U = Tensor(np.ones((3, 2)), requires_grad=True)
    G = np.ones((2, 3))
    S = W - V + U.T
    S.backward(G)
    W.grad *= 0.5
    np.testing.assert_array_equal(V.grad, -G)
    np.testing.assert_array_equal(U.grad, G.T)
    np.testing.assert_array_equal(G, np.ones((2, 3)))
    np.testing.assert_array_equal(S.grad, G)
    for a, b in [(W, V), (W, U), (V, U)]:
        assert not np.shares_memory(a.grad, b.grad)
    assert not any(np.shares_memory(t.grad, G) for t in (W, V, U))
    x = Tensor(np.ones(3), requires_grad=True)  # a leaf as root
    x.backward(G[0])
    x.grad += 1.0
    np.testing.assert_array_equal(G[0], np.ones(3))


def test_a_0d_leaf_accumulates_over_backward_calls():
    x = Tensor(2.0, requires_grad=True)
    J = x * x + x
    for k in range(1, 4):
        J.backward(retain_graph=True)
        assert type(x.grad) is np.ndarray and x.grad == 5.0 * k


def test_a_node_used_twice_gets_both_gradients():
    x = Tensor([[1.0, -2.0]], requires_grad=True)
    y = x * x + x
    y.sum().backward()
    np.testing.assert_array_equal(x.grad, 2 * x.data + 1)


def test_no_grad_records_nothing_and_updates_in_place():
    W = Tensor(np.ones((2, 2)), requires_grad=True, label="W")
    data = W.data
    (W * 2.0).sum().backward()
    with no_grad():
        Z = W @ W + 1.0
        W.data -= 0.5 * W.grad
    assert graph.is_leaf(Z) and not Z.requires_grad
    assert np.shares_memory(W.data, data)  # updated in place
    np.testing.assert_array_equal(W.data, np.zeros((2, 2)))


def test_pytorch_style_update_is_in_place_on_the_same_parameter():
    W = Tensor(np.ones((2, 2)), requires_grad=True, label="W")
    params = [W]
    (W * 2.0).sum().backward()
    with pytest.raises(RuntimeError, match=r"requires a gradient.*no_grad\(\)"):
        W -= 0.5 * W.grad
    with no_grad():
        W -= 0.5 * W.grad
        W *= 2.0
    assert W is params[0] and W.requires_grad
    np.testing.assert_array_equal(W.data, np.zeros((2, 2)))
    Z = W + 1.0
    with pytest.raises(RuntimeError, match="result of '\\+' in a graph"):
        Z += 1.0


def test_in_place_updates_keep_shape_and_dtype_and_explain_a_bad_operand():
    W = Tensor(np.ones((3, 1)), requires_grad=True, label="W")
    W32 = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    with no_grad():
        with pytest.raises(ValueError, match=r"'\+=' on 'W' of shape \(3, 1\).*\(3, 3\)"):
            W += np.ones((3, 3))
        with pytest.raises(TypeError, match="real numbers"):
            W -= "0.1"
        with pytest.raises(ZeroDivisionError, match="'W' of shape \\(3, 1\\) by the number 0"):
            W /= 0
        W -= np.full((3, 1), 0.5)
        W32 += np.ones(2)  # a float64 update keeps the float32 array
    np.testing.assert_array_equal(W.data, np.full((3, 1), 0.5))
    assert W32.dtype == np.float32 and W32.data.tolist() == [2.0, 2.0]


def test_data_only_results_stay_in_the_picture_without_gradient():
    X = Tensor(np.ones((2, 3)), label="X")
    XT = X.T
    assert graph.parents(XT) == (X,) and not XT.requires_grad
    W = Tensor(np.ones((3, 3)), requires_grad=True)
    J = (W @ XT).sum()
    J.backward()
    assert X.grad is None and XT.grad is None
    np.testing.assert_array_equal(W.grad, np.full((3, 3), 2.0))


def test_detach_shares_data_and_leaves_the_graph():
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    Z = W * 2.0
    D = Z.detach()
    assert np.shares_memory(D.data, Z.data) and graph.is_leaf(D) and not D.requires_grad
    (D * W).sum().backward()
    np.testing.assert_array_equal(W.grad, Z.data)


def test_training_memory_does_not_grow_over_1000_steps():
    X, Y, W1_, b1_, W2_, b2_ = planar_problem(0, m=50)
    X, Y = Tensor(X, label="X"), Tensor(Y, label="Y")
    params = [Tensor(a.copy(), requires_grad=True) for a in (W1_, b1_, W2_, b2_)]
    W1, b1, W2, b2 = params

    def step():
        J = binary_cross_entropy_with_logits(W2 @ (W1 @ X + b1).tanh() + b2, Y)
        zero_grad(params)
        J.backward()
        with no_grad():
            for p in params:
                p.data -= 0.1 * p.grad
        return J.item()

    first = step()
    tracemalloc.start()
    try:
        # Warm up: Python's free lists of small objects (up to 2000 tuples of each
        # size) and numpy's cache of small buffers fill up, then stay constant.
        for _ in range(1500):
            step()
        before = tracemalloc.get_traced_memory()[0]
        for _ in range(1000):
            last = step()
        growth = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert last < first  # it trains
    assert growth < 2_000  # bytes, over 1000 steps: each step's graph is freed


# --- construction and conversions -----------------------------------------------------------


def test_a_users_array_is_copied_as_torch_tensor_does_and_other_numbers_converted():
    a = np.ones((2, 3))
    t = Tensor(a)
    a[0, 0] = 5.0  # the caller's array is theirs to change
    assert t.data[0, 0] == 1.0 and not np.shares_memory(t.data, a)
    assert Tensor([[1, 2]]).data.dtype == np.float64
    assert Tensor(3).shape == () and Tensor(3).item() == 3.0
    f32 = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    assert f32.dtype == np.float32
    assert Tensor([1.0, 2.0], dtype=np.float32).dtype == np.float32
    (f32 * 2.0).sum().backward()
    assert f32.grad.dtype == np.float32


@pytest.mark.parametrize(
    "data, match",
    [
        (["a", "b"], "dtype <U1"),
        (np.array([1 + 2j]), "complex128"),
        ([[1.0, 2.0], [3.0]], "not a rectangular array"),
    ],
)
def test_non_float_data_is_refused(data, match):
    with pytest.raises((TypeError, ValueError), match=match):
        Tensor(data)


def test_nan_in_inputs_is_refused_when_asked_to_check():
    bad = np.array([[1.0, np.nan], [np.inf, 0.0]])
    with pytest.raises(ValueError, match=r"'X'\): 2 entries are NaN or infinite.*index \(0, 1\)"):
        Tensor(bad, label="X", check_finite=True)
    assert Tensor(bad).shape == (2, 2)  # not checked unless asked
    with pytest.raises(ValueError, match="NaN or infinite"):
        gradcheck(lambda t: t.sum(), [Tensor(bad, requires_grad=True)])


def test_gradcheck_puts_the_inputs_back_when_f_fails():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    v = Value(3.0)
    calls = []

    def failing_on_second_call(t):
        calls.append(1)
        if len(calls) == 2:  # the first perturbed evaluation
            raise RuntimeError("f failed")
        return (t * t).sum() if isinstance(t, Tensor) else t * t

    for t in (x, v):
        calls.clear()
        with pytest.raises(RuntimeError, match="f failed"):
            gradcheck(failing_on_second_call, [t])
    assert x.data.tolist() == [1.0, 2.0] and v.data == 3.0


def test_conversions_and_comparisons():
    t = Tensor([[1.0, -2.0]])
    assert np.shares_memory(np.asarray(t), t.data) and np.shares_memory(t.numpy(), t.data)
    assert np.asarray(t, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="float64; giving float32 needs a copy"):
        np.array(t, dtype=np.float32, copy=False)
    np.testing.assert_array_equal(t > 0, [[True, False]])
    np.testing.assert_array_equal(t <= Tensor([[1.0, 0.0]]), [[True, True]])
    # == and != are elementwise, like <; nodes still hash by identity
    np.testing.assert_array_equal(t == Tensor([[1.0, 0.0]]), [[True, False]])
    np.testing.assert_array_equal(t != 1.0, [[False, True]])
    u = Tensor([[1.0, -2.0]])
    assert {t: 1, u: 2}[t] == 1 and len({t, u}) == 2
    assert float(Tensor([[2.5]])) == 2.5
    with pytest.raises(TypeError, match="iteration over a tensor of shape \\(\\): a 0-d tensor"):
        list(Tensor(1.0))  # was an empty list
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    first, second = x
    (first.sum() + 2.0 * second.sum()).backward()
    np.testing.assert_array_equal(x.grad, [[1.0] * 3, [2.0] * 3])
    assert "requires_grad=True" in repr(Tensor([1.0], requires_grad=True, label="w"))


# --- bad input: clear errors ---------------------------------------------------------------


def test_mismatched_shapes_name_both_and_suggest_a_reshape():
    W = Tensor(np.ones((3, 4)), label="Z")
    with pytest.raises(ValueError, match=r"'Z' of shape \(3, 4\) and a tensor of shape \(5,\)"):
        W + np.ones(5)
    with pytest.raises(ValueError, match=r"rank-1 array; use reshape\(1, 5\) or reshape\(5, 1\)"):
        np.ones(5) - W
    with pytest.raises(ValueError, match=r"inner dimensions differ: \(3, 4\) @ \(3, 2\)"):
        W @ np.ones((3, 2))
    with pytest.raises(ValueError, match=r"b of shape \(4, 1\).*\(3, 1\)"):
        linear(W, np.ones((4, 2)), np.ones((4, 1)))
    with pytest.raises(ValueError, match="matrices and vectors"):
        W @ np.ones((4, 2, 2))


def test_linear_refuses_a_rank_1_bias_even_when_numpy_would_broadcast_it():
    W, A = Tensor(np.ones((3, 2))), Tensor(np.ones((2, 3)))  # n = m = 3: b (3,) broadcasts
    with pytest.raises(ValueError, match=r"b has shape \(3,\).*reshape\(3, 1\)"):
        linear(W, A, Tensor(np.arange(3.0), label="b"))
    np.testing.assert_array_equal(linear(W, A, 0.5).data, np.full((3, 3), 2.5))  # scalar b


def test_errors_name_each_tensor_once_with_its_shape():
    messages = []
    for bad in (
        lambda: (Tensor(np.ones(3), requires_grad=True) * 2.0).backward(),
        lambda: Tensor(np.ones(3)).item(),
        lambda: Tensor(np.ones(3)).reshape(2),
        lambda: Tensor(np.ones(3)) + Tensor(np.ones(2)),
        lambda: Tensor(np.ones((2, 2, 2))) @ Tensor(np.ones(2)),
        lambda: Tensor(np.ones(3)).sum(axis=1),
    ):
        with pytest.raises((ValueError, RuntimeError, TypeError)) as e:
            bad()
        messages.append(str(e.value))
    for message in messages:
        assert "a tensor of shape" in message and ") of shape" not in message, message
        assert "(shape" not in message, message


def test_numpy_functions_refuse_to_drop_a_tensor_that_requires_a_gradient():
    # np.dot, np.sum, np.concatenate run the Tensor operations (tests/test_tensor_numpy.py);
    # a numpy function that is not covered would quietly return an array, and W would get
    # no gradient.
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    X = Tensor(np.ones((3, 4)), label="X")
    with pytest.raises(TypeError, match="np.cumsum is not covered.*on 'W' of shape \\(2, 3\\)"):
        np.cumsum(W)
    with pytest.raises(TypeError, match="np.prod is not covered.*a product of tensors with \\*"):
        np.prod(W @ X, axis=1)
    assert np.shape(W) == (2, 3) and np.ndim(W) == 2
    np.testing.assert_array_equal(np.cumsum(X, axis=0)[-1], np.full(4, 3.0))  # no gradient at stake
    with no_grad():
        np.testing.assert_array_equal(np.prod(W), 1.0)


def test_losses_refuse_rank_1_arrays_naming_the_fix():
    with pytest.raises(ValueError, match=r"Y has shape \(4,\).*Y.reshape\(1, 4\)"):
        binary_cross_entropy_with_logits(Tensor(np.zeros((1, 4))), np.zeros(4))
    with pytest.raises(ValueError, match=r"A has shape \(4,\).*A.reshape\(1, 4\)"):
        binary_cross_entropy(np.full(4, 0.5), np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"\(1, 4\) but Y has shape \(1, 3\)"):
        binary_cross_entropy_with_logits(np.zeros((1, 4)), np.zeros((1, 3)))


def test_other_bad_operands():
    t = Tensor([[1.0, 2.0]], requires_grad=True, label="t")
    with pytest.raises(TypeError, match="bool"):
        t * True
    with pytest.raises(TypeError, match="Value"):
        t + Value(1.0)
    with pytest.raises(TypeError, match="already a node"):
        Tensor(t)
    with pytest.raises(ZeroDivisionError):
        t / 0
    with pytest.raises(ValueError, match="axis"):
        t.sum(axis=2)
    for axis in (1.5, "1", True, (0, 1.0)):  # int(1.5) would quietly mean axis 1
        with pytest.raises(TypeError, match="axis must be an int or a tuple of ints"):
            t.mean(axis=axis)
    with pytest.raises(ValueError, match=r"a tensor of shape \(\): it has no axes"):
        Tensor(1.0).max(axis=0)
    with pytest.raises(ValueError, match=r"reshape of 't' of shape \(1, 2\) \(2 entries\)"):
        t.reshape(3)
    with pytest.raises(IndexError, match=r"indexing 't' of shape \(1, 2\): index 5 is out"):
        t[5]


# --- the graph API that viz reads -------------------------------------------------------------


def test_graph_api_reads_tensor_graphs_like_value_graphs():
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    A = Tensor(np.ones((3, 4)), label="A")
    Z = W @ A
    Z.label = "Z"
    assert graph.edge_rules(Z) == ("dW = dZ·Aᵀ", "dA = Wᵀ·dZ")
    assert graph.local_derivatives(Z) == (None, None)
    J = 3 * Z.sum()
    assert graph.op(J) == "*" and graph.constants(J) == ((0, 3.0),)
    assert graph.local_derivatives(J) == (3.0,)
    assert graph.shape(J) == () and graph.shape(Z) == (2, 4)
    assert graph.requires_grad(W) and not graph.requires_grad(A)
    S = Z - 1.0
    assert graph.local_derivatives(S) == (1.0,) and graph.constants(S) == ((1, 1.0),)


def test_a_dropped_tensor_graph_leaves_nothing_for_the_cycle_collector():
    rng = np.random.default_rng(0)
    X = Tensor(rng.standard_normal((3, 20)), label="X")
    Y = Tensor((rng.random((1, 20)) > 0.5) * 1.0, label="Y")
    W1 = Tensor(rng.standard_normal((4, 3)), requires_grad=True)
    W2 = Tensor(rng.standard_normal((1, 4)), requires_grad=True)
    gc.collect()
    gc.disable()
    try:
        for _ in range(3):
            J = binary_cross_entropy_with_logits(W2 @ (W1 @ X).tanh(), Y)
            J.backward()
            del J
        assert gc.collect() == 0  # every node was freed by reference counting alone
    finally:
        gc.enable()


def test_the_graph_says_where_backward_sums_a_broadcast_gradient_back():
    W = Tensor(np.ones((4, 2)), requires_grad=True)
    X = Tensor(np.ones((2, 5)))
    b = Tensor(np.zeros((4, 1)), requires_grad=True)
    row = Tensor(np.ones(5), requires_grad=True)
    WX = W @ X  # held by a name, the product keeps its own node and Z is a '+'
    Z = WX + b  # b (4, 1) is broadcast over the m = 5 columns
    assert graph.broadcast_axes(Z) == ((), (1,))
    assert graph.broadcast_axes(linear(W, X, b)) == ((), (), (1,))
    assert graph.broadcast_axes(Z * row) == ((), (0,))  # (5,) read as (1, 5)
    assert graph.broadcast_axes(W @ X) == ((), ())  # a product sums nothing back
    assert graph.broadcast_axes(X) == ()
    a, c = Value(1.0), Value(2.0)
    assert graph.broadcast_axes(a * c) == ((), ())
    Z.sum().backward()
    np.testing.assert_array_equal(b.grad, np.full((4, 1), 5.0))  # summed over axis 1
