"""Every Tensor operation against central differences, on shapes drawn by hypothesis.

Each check weighs the output with a random array R before summing, J = Σ R * f(x),
so that every entry of the upstream gradient differs (a plain sum would send
ones and hide transposed or misplaced entries).
"""

import re

import numpy as np
import pytest
from gradient_check import check  # tests/gradient_check.py
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls import Tensor, binary_cross_entropy, binary_cross_entropy_with_logits
from micrograd_dls.tensor import linear, unbroadcast

dims = st.integers(1, 4)
seeds = st.integers(0, 2**32 - 1)
few = settings(max_examples=15, deadline=None)


def away_from_zero(rng, shape, low=0.2, high=2.0):
    return rng.choice([-1.0, 1.0], size=shape) * rng.uniform(low, high, size=shape)


# --- one input --------------------------------------------------------------------------

ANYWHERE, POSITIVE, NONZERO = "anywhere", "positive", "nonzero"
UNARY = {
    "exp": (lambda x: x.exp(), ANYWHERE),
    "log": (lambda x: x.log(), POSITIVE),
    "sqrt": (lambda x: x.sqrt(), POSITIVE),
    "abs": (lambda x: x.abs(), NONZERO),
    "abs()": (lambda x: abs(x), NONZERO),
    "tanh": (lambda x: x.tanh(), ANYWHERE),
    "sigmoid": (lambda x: x.sigmoid(), ANYWHERE),
    "relu": (lambda x: x.relu(), NONZERO),
    "leaky_relu": (lambda x: x.leaky_relu(0.1), NONZERO),
    "neg": (lambda x: -x, ANYWHERE),
    "clip": (lambda x: x.clip(-0.5, 0.5), ANYWHERE),
    "clip below": (lambda x: x.clip(lo=0.1), ANYWHERE),
    "x ** 3": (lambda x: x**3, ANYWHERE),
    "x ** 0.5": (lambda x: x**0.5, POSITIVE),
    "x ** -1": (lambda x: x**-1, NONZERO),
    "x ** 0": (lambda x: x**0, ANYWHERE),
    "2 ** x": (lambda x: 2.0**x, ANYWHERE),
    "x + 2": (lambda x: x + 2, ANYWHERE),
    "2 + x": (lambda x: 2 + x, ANYWHERE),
    "x - 2": (lambda x: x - 2.0, ANYWHERE),
    "2 - x": (lambda x: 2.0 - x, ANYWHERE),
    "3 * x": (lambda x: 3 * x, ANYWHERE),
    "x * 3": (lambda x: x * np.float64(3.0), ANYWHERE),
    "x / 4": (lambda x: x / 4, ANYWHERE),
    "4 / x": (lambda x: 4 / x, NONZERO),
    "+x": (lambda x: +x, ANYWHERE),
    "x * x": (lambda x: x * x, ANYWHERE),
}


def sample(rng, shape, domain):
    if domain == POSITIVE:
        return rng.uniform(0.3, 3.0, size=shape)
    if domain == NONZERO:
        return away_from_zero(rng, shape)
    return rng.uniform(-2.0, 2.0, size=shape)


@pytest.mark.parametrize("name", UNARY)
@few
@given(n=dims, m=dims, seed=seeds)
def test_unary_operations_match_central_differences(name, n, m, seed):
    f, domain = UNARY[name]
    rng = np.random.default_rng(seed)
    check(f, sample(rng, (n, m), domain), seed=seed)


# --- two inputs, with numpy's broadcasting -------------------------------------------------


@st.composite
def broadcast_shapes(draw):
    """Two shapes numpy broadcasts: (n,1)/(1,m)/()/(m,)/(1,1) with (n,m), or (n,1) with (1,m)."""
    n, m = draw(dims), draw(dims)
    pair = draw(
        st.sampled_from(
            [
                ((n, m), (n, m)), ((n, m), (n, 1)), ((n, m), (1, m)), ((n, m), ()),
                ((n, m), (m,)), ((n, m), (1, 1)), ((n, 1), (1, m)),
            ]
        )
    )
    return pair if draw(st.booleans()) else pair[::-1]


BINARY = {
    "+": lambda x, y: x + y,
    "-": lambda x, y: x - y,
    "*": lambda x, y: x * y,
    "/": lambda x, y: x / y,
    "**": lambda x, y: x**y,
}


@pytest.mark.parametrize("op", BINARY)
@few
@given(shapes=broadcast_shapes(), seed=seeds)
def test_binary_operations_broadcast_and_sum_gradients_back(op, shapes, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.3, 2.0, size=shapes[0]) if op == "**" else rng.standard_normal(shapes[0])
    y = away_from_zero(rng, shapes[1]) if op == "/" else rng.standard_normal(shapes[1])
    f = BINARY[op]
    out = f(Tensor(x), Tensor(y))
    np.testing.assert_array_equal(out.data, f(x, y))  # numpy's broadcasting, exactly
    check(f, x, y, seed=seed)


@pytest.mark.parametrize("op", BINARY)
@few
@given(shapes=broadcast_shapes(), seed=seeds)
def test_reflected_operations_with_arrays(op, shapes, seed):
    rng = np.random.default_rng(seed)
    c = rng.uniform(0.3, 2.0, size=shapes[0])  # a plain array on the left
    x = away_from_zero(rng, shapes[1])
    f = BINARY[op]
    out = f(c, Tensor(x))
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.data, f(c, x), rtol=1e-15)
    check(lambda t: f(c, t), x, seed=seed)


# --- reductions, shapes, indexing ------------------------------------------------------------

AXES = [None, 0, 1, -1, (0, 2), (0, 1, 2)]


@pytest.mark.parametrize("reduction", ["sum", "mean", "max"])
@pytest.mark.parametrize("axis", AXES, ids=str)
@pytest.mark.parametrize("keepdims", [False, True])
@settings(max_examples=6, deadline=None)
@given(n=dims, m=dims, k=dims, seed=seeds)
def test_reductions_over_any_axis(reduction, axis, keepdims, n, m, k, seed):
    x = np.random.default_rng(seed).standard_normal((n, m, k))
    f = lambda t: getattr(t, reduction)(axis=axis, keepdims=keepdims)  # noqa: E731
    np.testing.assert_allclose(
        f(Tensor(x)).data, getattr(x, reduction)(axis=axis, keepdims=keepdims), rtol=1e-14
    )
    check(f, x, seed=seed)


def test_max_shares_the_gradient_between_ties():
    x = Tensor([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]], requires_grad=True)
    x.max(axis=1).sum().backward()
    np.testing.assert_array_equal(x.grad, [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])


@few
@given(n=dims, m=dims, k=dims, seed=seeds)
def test_reshape_and_transpose(n, m, k, seed):
    x = np.random.default_rng(seed).standard_normal((n, m, k))
    check(lambda t: t.reshape(m, n * k), x, seed=seed)
    check(lambda t: t.reshape((n * m * k,)), x, seed=seed)
    check(lambda t: t.transpose(1, 2, 0), x, seed=seed)
    check(lambda t: t.transpose(), x, seed=seed)
    check(lambda t: t.T, x[0], seed=seed)


@few
@given(n=st.integers(2, 5), m=dims, seed=seeds, data=st.data())
def test_indexing_scatters_gradients_back_and_repeats_accumulate(n, m, seed, data):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, m))
    rows = data.draw(st.lists(st.integers(-n, n - 1), min_size=1, max_size=6))
    check(lambda t: t[rows], x, seed=seed)  # repeated rows accumulate
    check(lambda t: t[rows, 0], x, seed=seed)
    check(lambda t: t[1:, ::2], x, seed=seed)
    check(lambda t: t[-1], x, seed=seed)
    check(lambda t: t[..., None, 0], x, seed=seed)
    check(lambda t: t[x > 0], x, seed=seed)


def test_repeated_index_counts_each_time():
    x = Tensor(np.zeros((3, 2)), requires_grad=True)
    x[[0, 0, 2, 0]].sum().backward()
    np.testing.assert_array_equal(x.grad, [[3.0, 3.0], [0.0, 0.0], [1.0, 1.0]])


# --- matrix products --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "left, right",
    [("nk", "km"), ("nk", "k"), ("k", "km"), ("k", "k")],
    ids=["matrix@matrix", "matrix@vector", "vector@matrix", "vector@vector"],
)
@few
@given(n=dims, k=dims, m=dims, seed=seeds)
def test_matrix_products(left, right, n, k, m, seed):
    rng = np.random.default_rng(seed)
    size = {"n": n, "k": k, "m": m}
    x = rng.standard_normal([size[c] for c in left])
    y = rng.standard_normal([size[c] for c in right])
    np.testing.assert_allclose((Tensor(x) @ Tensor(y)).data, x @ y, rtol=1e-14)
    check(lambda a, b: a @ b, x, y, seed=seed)
    check(lambda b: x @ b, y, seed=seed)  # an array on the left: __rmatmul__


@few
@given(n=dims, k=dims, m=dims, seed=seeds)
def test_linear_is_W_A_plus_b_in_one_node(n, k, m, seed):
    rng = np.random.default_rng(seed)
    W, A, b = rng.standard_normal((n, k)), rng.standard_normal((k, m)), rng.standard_normal((n, 1))
    R = rng.standard_normal((n, m))
    grads = []
    for f in (linear, lambda W, A, b: W @ A + b):
        ts = [Tensor(a.copy(), requires_grad=True) for a in (W, A, b)]
        Z = f(*ts)
        (Z * R).sum().backward()
        grads.append((Z.data, *(t.grad for t in ts)))
    for fused, separate in zip(*grads):
        np.testing.assert_allclose(fused, separate, rtol=1e-13, atol=1e-15)
    check(linear, W, A, b, seed=seed)


# --- the cost ---------------------------------------------------------------------------------


@few
@given(m=st.integers(1, 8), seed=seeds)
def test_cross_entropy_gradients_for_both_inputs(m, seed):
    rng = np.random.default_rng(seed)
    Y = rng.uniform(0.0, 1.0, size=(1, m))  # soft labels: Y's gradient is checked too
    check(binary_cross_entropy_with_logits, 3 * rng.standard_normal((1, m)), Y, seed=seed)
    check(binary_cross_entropy, rng.uniform(0.05, 0.95, size=(1, m)), Y, seed=seed)


@few
@given(m=st.integers(1, 8), seed=seeds)
def test_cross_entropy_from_logits_equals_cross_entropy_of_sigmoid(m, seed):
    rng = np.random.default_rng(seed)
    Z, Y = 4 * rng.standard_normal((1, m)), (rng.random((1, m)) < 0.5).astype(float)
    # -(y log σ(z) + (1-y) log(1-σ(z))) = max(z, 0) - y z + log(1 + e^-|z|), written out
    exact = np.mean(np.maximum(Z, 0) - Y * Z + np.log1p(np.exp(-np.abs(Z))))
    assert binary_cross_entropy_with_logits(Z, Y).item() == pytest.approx(exact, rel=1e-13)
    # through σ, log(1 - A) loses digits as A nears 1: the reason to prefer logits
    via_sigmoid = binary_cross_entropy(Tensor(Z).sigmoid(), Y).item()
    assert via_sigmoid == pytest.approx(exact, rel=1e-8)


# --- the shared helper and dtypes -------------------------------------------------------------


@settings(max_examples=40, deadline=None)
@given(shapes=broadcast_shapes(), seed=seeds)
def test_unbroadcast_returns_the_input_shape_and_keeps_the_total(shapes, seed):
    small, big = shapes
    out = np.broadcast_shapes(small, big)
    g = np.random.default_rng(seed).standard_normal(out)
    for shape in (small, big):
        r = unbroadcast(g, shape)
        assert r.shape == shape
        assert r.sum() == pytest.approx(g.sum(), rel=1e-12, abs=1e-12)
    assert unbroadcast(g, out) is g  # matching shapes: passed through, no copy


@pytest.mark.parametrize("shape, out", [((3,), (1, 2)), ((4, 3), (2, 3)), ((1, 2, 3), (2, 3))])
def test_unbroadcast_refuses_a_shape_that_was_not_broadcast_to_the_gradient(shape, out):
    with pytest.raises(ValueError, match=re.escape(f"shape {shape} does not broadcast to")):
        unbroadcast(np.ones(out), shape)


@few
@given(shapes=broadcast_shapes(), seed=seeds)
def test_float32_stays_float32(shapes, seed):
    rng = np.random.default_rng(seed)
    x = Tensor(rng.standard_normal(shapes[0]).astype(np.float32), requires_grad=True)
    y = Tensor(rng.standard_normal(shapes[1]).astype(np.float32), requires_grad=True)
    J = ((x * y).tanh() + x.sigmoid() * 2.0).sum()
    J.backward()
    assert J.dtype == np.float32
    assert x.grad.dtype == np.float32 and y.grad.dtype == np.float32
