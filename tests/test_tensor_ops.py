"""The operations added with numpy's and PyTorch's names: maximum, where, var, norm, cat,
softmax, cross_entropy, ... -- each against central differences on shapes drawn by
hypothesis, against numpy's forward values, and without a warning at extreme inputs.

As in test_tensor_properties.py, each check weighs the output with a random array R,
J = Σ R * f(x), so that every entry of the upstream gradient differs.
"""

import warnings

import numpy as np
import pytest
from gradient_check import check  # tests/gradient_check.py
from hypothesis import given, settings
from hypothesis import strategies as st

import micrograd_dls as mg
from micrograd_dls import Tensor, graph
from micrograd_dls.tensor import expand_dims, log1p, sign
from micrograd_dls.tensor import min as tensor_min

dims = st.integers(1, 4)
seeds = st.integers(0, 2**32 - 1)
few = settings(max_examples=12, deadline=None)


def apart(rng, shape):
    """Entries at least 0.1 apart from each other in value: no ties, no kinks hit by eps."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * 0.1 + rng.uniform(0, 0.05, n)).reshape(shape) - n * 0.05


@st.composite
def broadcast_pair(draw):
    n, m = draw(dims), draw(dims)
    left = draw(st.sampled_from([(n, m), (n, 1), (1, m), (m,), ()]))
    right = draw(st.sampled_from([(n, m), (n, 1), (1, m), (m,)]))
    return (left, right) if draw(st.booleans()) else (right, left)


# --- elementwise ---------------------------------------------------------------------------


@few
@given(broadcast_pair(), seeds, st.sampled_from(["maximum", "minimum"]))
def test_maximum_and_minimum_broadcast_and_send_the_gradient_to_the_chosen(shapes, seed, name):
    rng = np.random.default_rng(seed)
    x = apart(rng, shapes[0])
    y = apart(rng, shapes[1]) + 0.025  # never equal to an entry of x
    f = getattr(mg, name)
    np.testing.assert_array_equal(f(Tensor(x), Tensor(y)).data, getattr(np, name)(x, y))
    check(f, x, y, seed=seed)
    check(lambda t: f(t, 0.03), x, seed=seed)
    check(lambda t: f(-0.03, t), y, seed=seed)
    check(lambda t: getattr(t, name)(y), x, seed=seed)  # the method is the same op


def test_maximum_splits_a_tie_in_half_as_pytorch():
    # torch.maximum(x, y).sum().backward() with x = [1, 2, 3], y = [1, 3, 2]:
    # x.grad = [0.5, 0, 1], y.grad = [0.5, 1, 0]
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = Tensor([1.0, 3.0, 2.0], requires_grad=True)
    mg.maximum(x, y).sum().backward()
    assert x.grad.tolist() == [0.5, 0.0, 1.0] and y.grad.tolist() == [0.5, 1.0, 0.0]



def test_maximum_with_a_number_gives_the_tie_to_the_number_as_the_courses_relu_backward():
    # relu_backward: dZ = dA with dZ[Z <= 0] = 0, so relu'(0) = 0 (not PyTorch's 0.5)
    z = Tensor([-1.0, 0.0, 2.0], requires_grad=True)
    np.maximum(0, z).sum().backward()  # the ReLU written with np.maximum
    assert z.grad.tolist() == [0.0, 0.0, 1.0]
    z.grad = None
    np.maximum(z, 0.0).sum().backward()
    assert z.grad.tolist() == [0.0, 0.0, 1.0]
    z.grad = None
    np.minimum(z, 0).sum().backward()  # the number wins here too
    assert z.grad.tolist() == [1.0, 0.0, 0.0]


@few
@given(broadcast_pair(), seeds)
def test_where_passes_the_gradient_to_the_chosen_side(shapes, seed):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(shapes[0]), rng.standard_normal(shapes[1])
    cond = rng.random(np.broadcast_shapes(shapes[0], shapes[1])) < 0.5
    np.testing.assert_array_equal(mg.where(cond, Tensor(x), Tensor(y)).data, np.where(cond, x, y))
    check(lambda a, b: mg.where(cond, a, b), x, y, seed=seed)
    check(lambda a: mg.where(a > 0, a, 0.01 * a), apart(rng, shapes[0]) + 0.025, seed=seed)


@few
@given(dims, dims, seeds)
def test_log1p_sign_copy_and_square(n, m, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-0.9, 3.0, (n, m))
    np.testing.assert_array_equal(log1p(Tensor(x)).data, np.log1p(x))
    check(log1p, x, seed=seed)
    check(lambda t: t.copy() * t.square(), x, seed=seed)
    t = Tensor(x, requires_grad=True)
    (sign(t) * 3.0).sum().backward()  # sign's derivative is 0 (PyTorch's)
    np.testing.assert_array_equal(t.grad, np.zeros((n, m)))


# --- reductions ------------------------------------------------------------------------------


axes = st.sampled_from([None, 0, 1, -1, (0, 1), (0, 2)])


@few
@given(dims, dims, dims, axes, st.booleans(), st.integers(0, 1), seeds)
def test_min_var_std_norm_over_any_axis(n, m, k, axis, keepdims, ddof, seed):
    rng = np.random.default_rng(seed)
    x = apart(rng, (n, m, k))
    size = x.size if axis is None else int(np.prod([x.shape[a] for a in np.atleast_1d(axis)]))
    cases = [
        (lambda t: tensor_min(t, axis, keepdims), lambda a: np.min(a, axis, keepdims=keepdims)),
        (lambda t: t.norm(axis, keepdims),
         lambda a: np.linalg.norm(a, axis=axis, keepdims=keepdims)),
    ]
    if size > ddof:
        cases += [
            (lambda t: t.var(axis, ddof, keepdims),
             lambda a: np.var(a, axis, ddof=ddof, keepdims=keepdims)),
            (lambda t: t.std(axis, ddof, keepdims),
             lambda a: np.std(a, axis, ddof=ddof, keepdims=keepdims)),
        ]
    for f, ref in cases:
        # var and std sum in another order than numpy's pairwise sum: the last bits differ
        np.testing.assert_allclose(f(Tensor(x)).data, ref(x), rtol=1e-12)
        check(f, x, seed=seed)


def test_std_and_norm_at_zero_have_the_subgradient_zero_and_no_warning():
    x = Tensor(np.full((2, 3), 4.0), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        (x.std(axis=1).sum() + (x - 4.0).norm()).backward()
    np.testing.assert_array_equal(x.grad, np.zeros((2, 3)))


def test_moments_and_norms_refuse_what_they_do_not_cover():
    x = Tensor(np.ones((2, 3)), label="x")
    with pytest.raises(ValueError, match=r"var\(ddof=3\) of 'x' of shape \(2, 3\) over 3 "
                                         r"entries: n - ddof must be positive"):
        x.var(axis=1, ddof=3)
    with pytest.raises(ValueError, match="only the Euclidean norm"):
        mg.norm(x, ord=np.inf)
    with pytest.raises(ValueError, match="max\\(\\) of 'x' of shape \\(0,\\)|min\\(\\) of"):
        tensor_min(Tensor(np.zeros(0), label="x"))


def test_argmax_is_plain_integers_without_a_gradient():
    x = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    t = Tensor(x, requires_grad=True)
    for axis in (None, 0, 1, -1):
        got = t.argmax(axis)
        assert type(got) is np.ndarray or isinstance(got, np.integer)
        np.testing.assert_array_equal(got, np.argmax(x, axis))
    np.testing.assert_array_equal(mg.argmax(t, 0, keepdims=True), [[1, 0, 1]])


# --- shapes -----------------------------------------------------------------------------------


@few
@given(dims, dims, seeds)
def test_squeeze_unsqueeze_expand_dims_flatten(n, m, seed):
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n, 1, m))
    cases = (
        (lambda t: t.squeeze(), lambda a: a.squeeze()),
        (lambda t: t.squeeze(1), lambda a: a.squeeze(1)),
        (lambda t: t.unsqueeze(-1), lambda a: a[..., None]),
        (lambda t: expand_dims(t, (0, 2)), lambda a: np.expand_dims(a, (0, 2))),
        (lambda t: t.flatten(), lambda a: a.reshape(-1)),
        (lambda t: t.flatten(1), lambda a: a.reshape(n, m)),
        (lambda t: np.ravel(t), np.ravel),
    )
    for f, ref in cases:
        np.testing.assert_array_equal(f(Tensor(x)).data, ref(x))
        check(f, x, seed=seed)
    with pytest.raises(ValueError, match="axis 2 has size"):
        Tensor(np.ones((1, 1, 2))).squeeze(2)


@few
@given(st.integers(1, 4), dims, dims, st.integers(-2, 1), seeds)
def test_cat_and_stack_give_each_input_its_part_of_the_gradient(count, n, m, axis, seed):
    rng = np.random.default_rng(seed)
    widths = rng.integers(1, 4, size=count)
    if axis % 2 == 0:
        parts = [rng.standard_normal((int(w), m)) for w in widths]
    else:
        parts = [rng.standard_normal((n, int(w))) for w in widths]
    np.testing.assert_array_equal(mg.cat([Tensor(p) for p in parts], axis).data,
                                  np.concatenate(parts, axis))
    check(lambda *ts: mg.cat(list(ts), axis), *parts, seed=seed)
    check(lambda *ts: np.concatenate(ts, axis=axis), *parts, seed=seed)
    same = [rng.standard_normal((n, m)) for _ in range(count)]
    for ax in (0, 1, 2, -1):
        np.testing.assert_array_equal(mg.stack([Tensor(p) for p in same], ax).data,
                                      np.stack(same, ax))
        check(lambda *ts, ax=ax: mg.stack(ts, ax), *same, seed=seed)


def test_cat_of_one_tensor_twice_accumulates_and_draws_every_edge():
    a = Tensor([[1.0, 2.0]], requires_grad=True, label="a")
    parts = [a, a * 2.0, a, Tensor([[5.0, 6.0]])]
    J = (mg.cat(parts, axis=0) * np.arange(8.0).reshape(4, 2)).sum()
    J.backward()
    np.testing.assert_array_equal(a.grad, [[0 + 2 * 2 + 4, 1 + 2 * 3 + 5]])
    joined = graph.parents(graph.parents(J)[0])[0]
    assert graph.op(joined) == "cat" and len(graph.parents(joined)) == 4
    rules = graph.edge_rules(joined)
    assert rules[0] == "da = dout[the part of a]" and rules[3] == "dx3 = dout[the part of x3]"


def test_cat_and_stack_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"cat of shapes \(2, 3\), \(2, 4\) along axis 0"):
        mg.cat([Tensor(np.ones((2, 3))), Tensor(np.ones((2, 4)))])
    with pytest.raises(TypeError, match="give a list or tuple of tensors"):
        mg.stack(Tensor(np.ones((2, 3))))


def test_transpose_takes_negative_axes_as_numpy_and_pytorch():
    x = np.arange(120.0).reshape(2, 3, 4, 5)
    t = Tensor(x, requires_grad=True)
    out = t.transpose(-2, -1, 1, 0)
    np.testing.assert_array_equal(out.data, x.transpose(-2, -1, 1, 0))
    np.testing.assert_array_equal(np.transpose(t, (-1, 0, 1, 2)).data, x.transpose(3, 0, 1, 2))
    check(lambda a: a.transpose(-2, -1, 1, 0), x[:1, :2, :2, :3])
    with pytest.raises(ValueError, match="give a permutation"):
        t.transpose(-1, 3, 0, 1)


# --- softmax and the cost for K classes ------------------------------------------------------


@few
@given(st.integers(2, 5), dims, st.sampled_from([0, 1, -1]), seeds)
def test_softmax_log_softmax_logsumexp_match_their_formulas(K, m, axis, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((K, m)) * 3
    e = np.exp(z)
    np.testing.assert_allclose(mg.softmax(Tensor(z), axis).data,
                               e / e.sum(axis, keepdims=True), rtol=1e-12)
    np.testing.assert_allclose(mg.log_softmax(Tensor(z), axis).data,
                               z - np.log(e.sum(axis, keepdims=True)), rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(mg.logsumexp(Tensor(z), axis).data, np.log(e.sum(axis)),
                               rtol=1e-12)
    check(lambda t: t.softmax(axis), z, seed=seed)
    check(lambda t: t.log_softmax(axis), z, seed=seed)
    for ax, keep in ((axis, False), (axis, True), (None, False), ((0, 1), True)):
        check(lambda t, ax=ax, keep=keep: mg.logsumexp(t, ax, keep), z, seed=seed)


def test_softmax_at_plus_minus_1000_is_exact_and_silent():
    z = np.array([[1000.0, -1000.0], [999.0, -1000.0], [-1000.0, -1001.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = Tensor(z, requires_grad=True)
        s = mg.softmax(Z)
        ls = mg.log_softmax(Z)
        lse = mg.logsumexp(Z, axis=0)
        J = mg.cross_entropy(Z, np.array([[2, 0]]))
        (s.sum() + ls.sum() + lse.sum() + J).backward()
        all_minus_inf = mg.logsumexp(Tensor([-np.inf, -np.inf]))
    e = 1 / (1 + np.exp(-1.0))
    np.testing.assert_allclose(s.data[:, 0], [e, 1 - e, 0.0], rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(s.data[:, 1], [1 / (2 + np.exp(-1)), 1 / (2 + np.exp(-1)),
                                              np.exp(-1) / (2 + np.exp(-1))], rtol=1e-12)
    np.testing.assert_allclose(lse.data, [1000.0 + np.log1p(np.exp(-1.0)),
                                          -1000.0 + np.log(2 + np.exp(-1.0))], rtol=1e-15)
    assert ls.data[2, 0] == pytest.approx(-2000.0 - np.log1p(np.exp(-1.0)), rel=1e-15)
    assert np.isfinite(J.data) and np.isfinite(Z.grad).all()
    assert all_minus_inf.data == -np.inf


def test_softmax_and_cross_entropy_at_infinities_are_pytorchs_and_silent():
    # torch.softmax / log_softmax (dim over the classes) and F.cross_entropy with class
    # indices, float64: a column holding +inf or NaN is NaN throughout; -inf is
    # probability 0; a class of weight 0 at log-probability -inf adds nothing to J.
    inf, nan = np.inf, np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = Tensor([[inf, 0.0], [1.0, 1.0]], requires_grad=True)
        s = mg.softmax(Z)
        s.backward(np.ones((2, 2)))
        e = 1 / (1 + np.e)  # softmax([0, 1]) = [e, 1 - e]
        np.testing.assert_allclose(s.data, [[nan, e], [nan, 1 - e]], rtol=1e-15)
        np.testing.assert_array_equal(Z.grad, [[nan, 0.0], [nan, 0.0]])
        Z = Tensor([[-inf, 0.0], [1.0, 1.0]], requires_grad=True)
        J = mg.cross_entropy(Z, np.array([[1, 0]]))  # the first example is class 1
        J.backward()
        # J = (0 + log(1 + e)) / 2, as PyTorch; dZ = (softmax(Z) - Y) / 2
        assert J.item() == pytest.approx(np.log1p(np.e) / 2, rel=1e-15)
        np.testing.assert_allclose(Z.grad, [[0.0, (e - 1) / 2], [0.0, (1 - e) / 2]], rtol=1e-15)
        huge = mg.cross_entropy(Tensor([[-1e308, 1.0], [2.0, -1e308]]), np.array([[0, 1]]))
        assert huge.item() == inf  # PyTorch: inf, silently


@few
@given(st.integers(2, 5), dims, seeds)
def test_cross_entropy_from_logits_is_the_course_formula(K, m, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((K, m)) * 2
    labels = rng.integers(0, K, size=m)
    Y = np.eye(K)[:, labels]  # one-hot columns, the course's layout (K, m)
    s = np.exp(z) / np.exp(z).sum(axis=0, keepdims=True)
    expected = -np.sum(Y * np.log(s)) / m
    for y in (Y, labels.reshape(1, m)):
        Z = Tensor(z, requires_grad=True)
        J = mg.cross_entropy(Z, y)
        assert J.shape == () and J.data == pytest.approx(expected, rel=1e-12)
        J.backward()
        np.testing.assert_allclose(Z.grad, (s - Y) / m, rtol=1e-10, atol=1e-15)  # dZ = (A - Y)/m
    soft = rng.dirichlet(np.ones(K), size=m).T  # probabilities as labels: Y is differentiated
    check(lambda a, b: mg.cross_entropy(a, b), z, soft, seed=seed)


def test_cross_entropy_refuses_a_wrong_layout_naming_the_fix():
    with pytest.raises(ValueError, match=r"Z has shape \(1, 4\); it must be \(K, m\) with K >= 2"
                                         r".*binary_cross_entropy_with_logits"):
        mg.cross_entropy(Tensor(np.zeros((1, 4))), np.zeros((1, 4)))
    with pytest.raises(ValueError, match=r"whole numbers 0..2"):
        mg.cross_entropy(Tensor(np.zeros((3, 2))), np.array([[0, 3]]))
    with pytest.raises(ValueError, match=r"Y must be one-hot \(3, 2\) or the class indices"):
        mg.cross_entropy(Tensor(np.zeros((3, 2))), np.zeros((2, 3)))


# --- creation helpers -------------------------------------------------------------------------


def test_creation_helpers_with_pytorchs_names():
    assert mg.zeros(3, 1).data.tolist() == [[0.0], [0.0], [0.0]]
    assert mg.ones((2, 2), dtype=np.float32).dtype == np.float32
    W = mg.randn(4, 2, seed=1, requires_grad=True, label="W1")
    np.testing.assert_array_equal(W.data, np.random.default_rng(1).standard_normal((4, 2)))
    assert W.requires_grad and W.label == "W1"
    rng = np.random.default_rng(5)
    np.testing.assert_array_equal(mg.randn(3, seed=rng).data,
                                  np.random.default_rng(5).standard_normal(3))
    np.testing.assert_array_equal(mg.arange(4).data, [0.0, 1.0, 2.0, 3.0])
    np.testing.assert_array_equal(mg.arange(1, 2, 0.5).data, [1.0, 1.5])
    np.testing.assert_array_equal(mg.eye(2, 3).data, np.eye(2, 3))
    x = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    for t, value in ((mg.zeros_like(x), 0.0), (mg.ones_like(x), 1.0), (mg.full_like(x, 7), 7.0)):
        assert t.shape == (2, 3) and t.dtype == np.float32 and not t.requires_grad
        assert (t.data == value).all()
    assert mg.randn_like(x, seed=0).dtype == np.float32
    for bad in (-1, 1.5, True, "1"):
        with pytest.raises(TypeError, match="seed must be a whole number >= 0 or a numpy Gen"):
            mg.randn(2, seed=bad)
    with pytest.raises(TypeError, match="the shape must be whole numbers >= 0"):
        mg.zeros(2, -1)
    with pytest.raises(TypeError, match="dtype must be float64 or float32"):
        mg.zeros(2, dtype=np.int64)


# --- == and != -------------------------------------------------------------------------------


def test_equality_is_elementwise_and_nodes_stay_hashable_by_identity():
    a, b = Tensor([1.0, 2.0]), Tensor([1.0, 2.0])
    assert (a == b).tolist() == [True, True] and (a != b).tolist() == [False, False]
    assert type(a == 1.0) is np.ndarray and (a == np.array([1.0, 0.0])).tolist() == [True, False]
    assert len({a, b}) == 2 and {a: 1, b: 2}[b] == 2 and hash(a) != hash(b)
    assert Tensor.__hash__ is object.__hash__
    J = (a * b).sum()  # sets and dicts of nodes in the graph walk are unaffected
    assert len(graph.nodes_of([J, J])) == 4


# --- argmax and the creation helpers over shapes; every op at extreme inputs ----------------


shapes = st.lists(dims, min_size=0, max_size=3).map(tuple)


@few
@given(shapes, st.sampled_from([None, 0, -1]), st.booleans(), seeds)
def test_argmax_equals_numpys_over_shapes_axes_and_keepdims(shape, axis, keepdims, seed):
    x = apart(np.random.default_rng(seed), shape)  # no ties: the index is unique
    if axis is not None and not shape:
        axis = None
    t = Tensor(x, requires_grad=True)
    for got in (mg.argmax(t, axis, keepdims), np.argmax(t, axis=axis, keepdims=keepdims),
                t.argmax(axis, keepdims)):
        want = np.argmax(x, axis=axis, keepdims=keepdims)
        assert np.shape(got) == np.shape(want)
        assert not isinstance(got, Tensor)  # plain integers: argmax has no gradient
        np.testing.assert_array_equal(got, want)


@few
@given(shapes, st.sampled_from([np.float64, np.float32]), seeds)
def test_creation_helpers_equal_numpys_and_make_leaves_that_receive_gradients(shape, dtype,
                                                                              seed):
    rng = np.random.default_rng(seed)
    n = shape[0] if shape else 2
    made = [
        (mg.zeros(*shape, dtype=dtype, requires_grad=True), np.zeros(shape, dtype)),
        (mg.ones(shape, dtype=dtype, requires_grad=True), np.ones(shape, dtype)),
        (mg.randn(*shape, seed=seed, dtype=dtype, requires_grad=True),
         np.random.default_rng(seed).standard_normal(shape).astype(dtype)),
        (mg.arange(n, dtype=dtype, requires_grad=True), np.arange(n, dtype=dtype)),
        (mg.eye(n, dtype=dtype, requires_grad=True), np.eye(n, dtype=dtype)),
    ]
    like = Tensor(rng.standard_normal(shape).astype(dtype), requires_grad=True)
    made += [
        (mg.zeros_like(like, requires_grad=True), np.zeros(shape, dtype)),
        (mg.ones_like(like, requires_grad=True), np.ones(shape, dtype)),
        (mg.full_like(like, 0.5, requires_grad=True), np.full(shape, 0.5, dtype)),
        (mg.randn_like(like, seed=seed, requires_grad=True),
         np.random.default_rng(seed).standard_normal(shape).astype(dtype)),
    ]
    for t, want in made:
        assert t.dtype == want.dtype and t.shape == want.shape
        np.testing.assert_array_equal(t.data, want)
        # a parameter made so is a leaf: J = Σ R * x³ gives it dJ/dx = 3 R x², and
        # the gradient keeps its dtype
        R = rng.standard_normal(want.shape)
        (t * t * t * R.astype(dtype)).sum().backward()
        assert t.grad.dtype == want.dtype
        np.testing.assert_allclose(t.grad, 3 * R * want.astype(float) ** 2,
                                   rtol=1e-6 if dtype == np.float32 else 1e-15)
    for like_op in (np.zeros_like, np.ones_like):  # numpy's *_like: a constant, no gradient
        c = like_op(like)
        assert isinstance(c, Tensor) and not c.requires_grad and c.dtype == like.dtype


EXTREME_OPS = {
    "maximum": lambda t: mg.maximum(t, 0.0),
    "minimum": lambda t: np.minimum(t, 0.5 * t),
    "min": lambda t: tensor_min(t, 1),
    "var": lambda t: mg.var(t, 0),
    "std": lambda t: mg.std(t, 1, ddof=1),
    "squeeze/unsqueeze": lambda t: mg.squeeze(mg.unsqueeze(t, 0)),
    "flatten": mg.flatten,
    "cat": lambda t: mg.cat([t, t], 1),
    "stack": lambda t: mg.stack([t, t]),
    "where": lambda t: mg.where(t.data > 0, t, 0.01 * t),
    "softmax": mg.softmax,
    "log_softmax": lambda t: mg.log_softmax(t, 1),
    "logsumexp": lambda t: mg.logsumexp(t, 1),
    "cross_entropy": lambda t: mg.cross_entropy(t, np.array([[1, 0, 1]])),
    "norm": mg.norm,
    "np.max": lambda t: np.max(t, axis=0, keepdims=True),
    "np.clip": lambda t: np.clip(t, -1, 1),
}


@pytest.mark.parametrize("big", [1e3, 1e150])
@pytest.mark.parametrize("name", sorted(EXTREME_OPS))
def test_no_op_warns_at_extreme_inputs_and_the_gradients_stay_finite(name, big):
    # ±1e150: the squares in var, std and norm stay below float64's 1.8e308; past
    # that numpy itself overflows
    x = np.array([[big, -big, 0.0], [1e-300, -big, big]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        t = Tensor(x, requires_grad=True)
        y = EXTREME_OPS[name](t)
        y.backward(np.ones(y.shape))
    assert np.isfinite(y.data).all() and np.isfinite(t.grad).all()
