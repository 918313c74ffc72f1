"""The Tensor engine's speed paths change no number.

Each fast path is held to the computation it replaces, run in the same test:
``W @ A + b`` fused into one node against the product kept as a node of its
own (a named product is never fused); ``backward(keep_grads=False)`` and
``fit`` against the kept gradients; the outer product (inner dimension 1) and
the full sum's gradient against numpy's matrix product and broadcast. Costs
and gradients agree to 1e-12: a fast path computes the same additions and
products in the same order, so they are usually bit-equal, but BLAS may
block a product differently from one call to the next, hence the tolerance.
"""

from __future__ import annotations

import gc
import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls import Tensor, graph, nn, zero_grad
from micrograd_dls.tensor import linear, methods
from micrograd_dls.viz import draw_backward, draw_forward

few = settings(max_examples=15, deadline=None)
dims = st.integers(1, 6)
seeds = st.integers(0, 2**16)
EXACT = dict(rtol=1e-12, atol=1e-12)

fuses = pytest.mark.skipif(
    not methods._TEMPORARY,
    reason="this Python shows a named operand with as few references as a temporary one, "
    "so W @ A + b is never fused here",
)


def _close(a, b):
    np.testing.assert_allclose(a, b, **EXACT)


def _plain_step(params, X, Y, hidden, named_products):
    """The learner's step: Z = W @ A + b, activations as methods, the BCE written out
    with log, backward(); returns J and every parameter's gradient."""
    A, m, last = X, X.data.shape[1], len(params) - 1
    for l, (W, b) in enumerate(params):
        if named_products:
            WA = W @ A  # a name holds the product: it stays a node of its own
            Z = WA + b
        else:
            Z = W @ A + b
        assert graph.op(Z) == ("+" if named_products or not methods._TEMPORARY else "linear")
        A = (Z.tanh() if hidden == "tanh" else Z.relu()) if l < last else Z.sigmoid()
    J = -(Y * A.log() + (1 - Y) * (1 - A).log()).sum() / m
    J.backward()
    return float(J.data), [p.grad.copy() for pair in params for p in pair]


def _problem(sizes, m, seed):
    rng = np.random.default_rng(seed)
    X = Tensor(rng.standard_normal((sizes[0], m)), label="X")
    Y = Tensor((rng.random((1, m)) < 0.5).astype(float), label="Y")
    arrays = [
        (rng.standard_normal((n, k)) / np.sqrt(k), rng.standard_normal((n, 1)) * 0.1)
        for k, n in zip(sizes, sizes[1:])
    ]
    return X, Y, arrays


def _params(arrays):
    return [(Tensor(W.copy(), requires_grad=True), Tensor(b.copy(), requires_grad=True))
            for W, b in arrays]


@few
@given(n0=dims, n1=dims, m=st.integers(1, 9), hidden=st.sampled_from(["tanh", "relu"]),
       seed=seeds)
def test_a_training_step_written_as_W_A_plus_b_gives_the_unfused_cost_and_gradients(
    n0, n1, m, hidden, seed
):
    X, Y, arrays = _problem([n0, n1, 1], m, seed)
    J_fused, g_fused = _plain_step(_params(arrays), X, Y, hidden, named_products=False)
    J_plain, g_plain = _plain_step(_params(arrays), X, Y, hidden, named_products=True)
    assert J_fused == pytest.approx(J_plain, rel=1e-12, abs=1e-12)
    for a, b in zip(g_fused, g_plain):
        _close(a, b)


@fuses
def test_W_A_plus_b_is_one_linear_node_over_W_A_and_b():
    rng = np.random.default_rng(0)
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    A = Tensor(rng.standard_normal((2, 5)))
    b = Tensor(rng.standard_normal((3, 1)), requires_grad=True)
    Z = W @ A + b
    assert graph.op(Z) == "linear"
    assert graph.parents(Z) == (W, A, b)
    Z_numpy = np.dot(W, A) + b  # numpy's spelling builds the same node (outside the assert,
    assert graph.op(Z_numpy) == "linear"  # whose rewriting by pytest holds the product)
    assert graph.broadcast_axes(Z) == ((), (), (1,))
    _close(Z.data, W.data @ A.data + b.data)


def test_a_product_held_by_a_name_keeps_its_node_and_its_gradient():
    rng = np.random.default_rng(1)
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    A = Tensor(rng.standard_normal((2, 5)))
    b = Tensor(rng.standard_normal((3, 1)), requires_grad=True)
    P = W @ A
    before = P.data.copy()
    Z = P + b
    assert graph.op(Z) == "+" and graph.parents(Z) == (P, b)
    np.testing.assert_array_equal(P.data, before)  # b was not added into the named product
    R = rng.standard_normal((3, 5))
    (Z * R).sum().backward()
    _close(P.grad, R)
    _close(W.grad, R @ A.data.T)


def test_no_fusion_where_b_would_make_the_sum_bigger_than_the_product_or_change_its_dtype():
    rng = np.random.default_rng(2)
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True)
    a = Tensor(rng.standard_normal((2, 1)))
    wide = Tensor(rng.standard_normal((3, 4)), requires_grad=True)
    Z = W @ a + wide  # (3, 1) + (3, 4): the sum is bigger than the product
    assert graph.op(Z) == "+" and Z.shape == (3, 4)
    _close(Z.data, W.data @ a.data + wide.data)
    W32 = Tensor(W.data.astype(np.float32), requires_grad=True)
    a32 = Tensor(a.data.astype(np.float32))
    b64 = Tensor(np.ones((3, 1)), requires_grad=True)
    Z = W32 @ a32 + b64
    assert graph.op(Z) == "+" and Z.dtype == np.float64  # numpy's promotion, not in place


@fuses
def test_the_fused_node_draws_as_the_lectures_z_equals_W_a_plus_b():
    def pictures(fused: bool):
        W = Tensor(np.arange(6.0).reshape(2, 3) / 10, requires_grad=True, label="W")
        A = Tensor(np.ones((3, 4)), label="A")
        b = Tensor(np.array([[0.5], [-0.5]]), requires_grad=True, label="b")
        Z = W @ A + b if fused else linear(W, A, b)
        Z.label = "Z"
        J = Z.tanh().sum()
        J.label = "J"
        J.backward()
        return draw_forward(J).source, draw_backward(J).source

    (forward, back), (forward_linear, back_linear) = pictures(True), pictures(False)
    assert forward == forward_linear and back == back_linear  # the same picture as linear()
    assert "Z = W·A + b" in forward
    assert "dW = dZ·Aᵀ" in back and "broadcast (2, 1) → (2, 4): summed over axis 1" in back


def test_keep_grads_false_gives_the_leaves_the_same_gradients_and_frees_the_rest():
    X, Y, arrays = _problem([4, 5, 3, 1], 7, 3)
    grads, nodes = [], None
    for keep in (True, False):
        params = _params(arrays)
        (W1, b1), (W2, b2), (W3, b3) = params
        A = (W3 @ (W2 @ (W1 @ X + b1).relu() + b2).tanh() + b3).sigmoid()
        J = -(Y * A.log() + (1 - Y) * (1 - A).log()).sum() / 7
        J.backward(keep_grads=keep)
        grads.append([p.grad for pair in params for p in pair])
        nodes = [n for n in graph.topological_order(J) if not graph.is_leaf(n)]
    for kept, released in zip(*grads):
        _close(released, kept)
    assert all(n.grad is None for n in nodes)  # every dZ, dA and dJ was released


def _peak_bytes(step) -> int:
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def test_releasing_interior_gradients_lowers_the_peak_memory_of_a_step():
    X, Y, arrays = _problem([30, 200, 100, 1], 500, 4)
    params = _params(arrays)

    def step(keep):
        A = X
        for l, (W, b) in enumerate(params):
            Z = W @ A + b
            A = Z.relu() if l < 2 else Z.sigmoid()
        J = -(Y * A.log() + (1 - Y) * (1 - A).log()).sum() / 500
        J.backward(keep_grads=keep)
        zero_grad([p for pair in params for p in pair])

    kept, released = _peak_bytes(lambda: step(True)), _peak_bytes(lambda: step(False))
    # the dA, dZ of the (200, 500) and (100, 500) layers (1.2 MB) are never all held at once
    assert released < kept - 400_000


def test_fit_trains_exactly_as_the_loop_that_keeps_every_gradient():
    rng = np.random.default_rng(5)
    X = rng.standard_normal((3, 20))
    Y = (rng.random((1, 20)) < 0.5).astype(float)
    fitted = nn.MLP([3, 4, 1], "relu", seed=1)
    looped = nn.MLP([3, 4, 1], "relu", seed=1)
    history = fitted.fit(X, Y, 0.1, num_iterations=5, print_every=1)
    costs, params = [], looped.parameters()
    for _ in range(5):
        J = looped.cost(Tensor(X), Tensor(Y))
        zero_grad(params)
        J.backward()  # keeps every gradient
        costs.append(float(J.data))
        for p in params:
            p.data -= 0.1 * p.grad
    np.testing.assert_allclose(history.costs, costs, **EXACT)
    for p, q in zip(fitted.parameters(), params):
        _close(p.data, q.data)


@few
@given(n=dims, k=dims, m=dims, seed=seeds)
def test_an_outer_product_gets_the_gradients_of_the_matrix_product(n, k, m, seed):
    """Inner dimension 1: dA = Wᵀ·dZ with one output unit, dW = dZ·Aᵀ with one example."""
    rng = np.random.default_rng(seed)
    for w_shape, a_shape in (((1, k), (k, m)), ((n, k), (k, 1))):
        w, a = rng.standard_normal(w_shape), rng.standard_normal(a_shape)
        R = rng.standard_normal((w_shape[0], a_shape[1]))
        W, A = Tensor(w, requires_grad=True), Tensor(a, requires_grad=True)
        (W @ A * R).sum().backward()
        _close(W.grad, R @ a.T)  # numpy's matrix product, the computation replaced
        _close(A.grad, w.T @ R)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_the_gradient_of_a_full_sum_is_the_upstream_number_everywhere(dtype):
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, dtype=dtype)
    s = x.sum()
    s.backward(np.asarray(2.5, dtype=dtype))
    assert x.grad.dtype == dtype and x.grad.flags.writeable
    np.testing.assert_array_equal(x.grad, np.broadcast_to(np.asarray(2.5, dtype), (2, 3)))
    y = Tensor(np.ones((2, 3)), requires_grad=True)
    y.sum(axis=1).backward(np.array([1.0, 2.0]))  # not a full sum: spread along axis 1
    np.testing.assert_array_equal(y.grad, [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]])


@few
@given(n=dims, m=dims, seed=seeds)
def test_the_bias_columns_gradient_is_the_sum_over_the_examples(n, m, seed):
    """db = Σ dZ over axis 1, as numpy sums it and reshapes (the computation replaced)."""
    rng = np.random.default_rng(seed)
    g = rng.standard_normal((n, m))
    b = Tensor(rng.standard_normal((n, 1)), requires_grad=True)
    Z = Tensor(rng.standard_normal((n, m))) + b
    Z.backward(g)
    assert b.grad.shape == (n, 1)
    _close(b.grad, g.sum(axis=(1,)).reshape(n, 1))
    row = Tensor(rng.standard_normal((1, m)), requires_grad=True)  # not a column: general path
    (Tensor(np.zeros((n, m))) + row).backward(g)
    _close(row.grad, g.sum(axis=(0,)).reshape(1, m))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-745.0, 745.0), min_size=1, max_size=8),
       st.sampled_from([np.float64, np.float32]))
def test_sigmoid_as_the_course_writes_it_gives_the_softplus_forms_numbers(zs, dtype):
    """σ(z) = 1 / (1 + e^-z) replaced exp(z - softplus(z)), which costs a logaddexp per
    entry; the two agree to rounding (relative 1e-12 in float64, where exp(z - s)
    carries the rounding of a number as large as |z|), and so do the gradients."""
    z = np.array([zs], dtype=dtype)
    before = np.exp(z - np.logaddexp(0.0, z))  # the replaced computation
    Z = Tensor(z, requires_grad=True)
    A = Z.sigmoid()
    A.backward(np.ones_like(z))
    assert A.data.dtype == dtype
    rtol = (1e-12 if dtype == np.float64 else 2e-6) * (1 + np.abs(z))
    ok = before > np.finfo(dtype).tiny  # below that, both are subnormal or 0
    assert np.all(np.abs(A.data - before)[ok] <= (rtol * before)[ok])
    # σ(1 - σ) moves by at most what σ moved (|1 - 2σ| <= 1), plus its own rounding; near
    # σ = 1 that is large against σ(1 - σ) itself, which keeps few digits of σ there
    ref = before * (1 - before)
    bound = rtol * before + 4 * np.finfo(dtype).eps * ref
    assert np.all(np.abs(Z.grad - ref)[ok] <= bound[ok])


def test_a_sigmoid_network_step_keeps_the_course_formulas_numbers():
    """The planar network's step on the plain path: cost and gradients equal the course's
    hand-derived L_model_forward / L_model_backward (reference.py) to 1e-12."""
    from micrograd_dls import reference as ref

    X, Y = np.random.default_rng(3).standard_normal((2, 40)), np.zeros((1, 40))
    Y[0, ::3] = 1.0
    p = ref.initialize_parameters(2, 4, 1)
    AL, caches = ref.L_model_forward(X, p, "tanh")
    grads = ref.L_model_backward(AL, Y, caches, "tanh")
    W1, b1, W2, b2 = (Tensor(p[k], requires_grad=True) for k in ("W1", "b1", "W2", "b2"))
    A = (W2 @ (W1 @ Tensor(X) + b1).tanh() + b2).sigmoid()
    J = -(Tensor(Y) * A.log() + (1 - Tensor(Y)) * (1 - A).log()).sum() / 40
    J.backward()
    _close(A.data, AL)
    _close(J.item(), ref.compute_cost(AL, Y))
    for t, k in ((W1, "dW1"), (b1, "db1"), (W2, "dW2"), (b2, "db2")):
        _close(t.grad, grads[k])
