"""A learner's own numpy code, unchanged, on Tensors: numpy's protocols.

Each learner-style function below is written with plain ``import numpy as np``
as in the course's assignments. Called with plain arrays it is the oracle:
its value, and central differences of it, on arrays. Called with Tensors it
must give the same value as a node of the graph, and backward() the same
gradients.
"""

import warnings

import numpy as np
import pytest

from micrograd_dls import Tensor, graph, no_grad
from micrograd_dls import softmax as tensor_softmax

# Central differences with eps = 1e-6 on float64 functions of size O(1) agree with
# the exact derivative to about 1e-9 (truncation eps² and rounding 1e-16/eps): a
# relative tolerance of 1e-6 leaves room and still catches any wrong rule.
EPS, RTOL, ATOL = 1e-6, 1e-6, 1e-8


def central_differences(f, arrays, i):
    """dJ/d arrays[i] of the plain-numpy function J = f(*arrays), entry by entry."""
    x = arrays[i]
    grad = np.zeros_like(x)
    for index in np.ndindex(x.shape):
        keep = x[index]
        x[index] = keep + EPS
        up = float(f(*arrays))
        x[index] = keep - EPS
        down = float(f(*arrays))
        x[index] = keep
        grad[index] = (up - down) / (2 * EPS)
    return grad


def check_learner_code(f, *arrays, constants=()):
    """f on Tensors: its value is numpy's on arrays, and its gradients are central
    differences of f on arrays. ``constants`` are positions given as plain arrays."""
    arrays = [np.array(a, dtype=np.float64) for a in arrays]
    expected = f(*arrays)
    tensors = [a if i in constants else Tensor(a.copy(), requires_grad=True, label=f"x{i}")
               for i, a in enumerate(arrays)]
    J = f(*tensors)
    assert isinstance(J, Tensor) and J.requires_grad
    np.testing.assert_allclose(J.data, expected, rtol=1e-12, atol=1e-14)  # same numpy calls
    J.backward()
    for i, t in enumerate(tensors):
        if i in constants:
            continue
        numeric = central_differences(f, arrays, i)
        np.testing.assert_allclose(t.grad, numeric, rtol=RTOL, atol=ATOL, err_msg=f"d x{i}")
    return J


# --- the course's two-layer network, as a learner writes it -----------------------------


def sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


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
    cost = -np.sum(logprobs, axis=1, keepdims=True) / m
    return np.squeeze(cost)


def two_layer_cost(W1, b1, W2, b2, X, Y):
    A2, _ = forward_propagation(X, {"W1": W1, "b1": b1, "W2": W2, "b2": b2})
    return compute_cost(A2, Y)


def test_two_layer_network_written_in_plain_numpy_runs_on_tensors_and_backprops():
    rng = np.random.default_rng(2)
    X, Y = rng.standard_normal((2, 7)), (rng.random((1, 7)) < 0.5).astype(float)
    W1, b1 = rng.standard_normal((4, 2)), rng.standard_normal((4, 1))
    W2, b2 = rng.standard_normal((1, 4)), rng.standard_normal((1, 1))
    J = check_learner_code(two_layer_cost, W1, b1, W2, b2, X, Y, constants=(4, 5))
    assert J.shape == ()  # np.squeeze made the cost a number, as in the course


def test_the_graph_names_the_learners_numpy_operations_as_written():
    rng = np.random.default_rng(0)
    W = Tensor(rng.standard_normal((3, 2)), requires_grad=True, label="W")
    X = Tensor(rng.standard_normal((2, 5)), label="X")
    Z = np.dot(W, X)
    A = np.maximum(0, Z)
    J = np.sum(np.matmul(np.transpose(A), A))
    ops = [graph.op(n) for n in graph.topological_order(J) if not graph.is_leaf(n)]
    assert ops == ["dot", "maximum", "transpose", "matmul", "sum"]
    assert graph.constants(A) == ((0, 0.0),)  # maximum(0, Z): the 0 is a number, not a node
    from micrograd_dls.viz import draw_forward

    svg = draw_forward(J).pipe(format="svg").decode()
    assert "dot(W, X)" in svg and "maximum(0, " in svg


def test_relu_network_with_np_maximum_and_np_mean():
    def cost(W1, b1, W2, X):
        A1 = np.maximum(0, np.dot(W1, X) + b1)
        return np.mean(np.square(np.dot(W2, A1) - 1.0))

    rng = np.random.default_rng(1)
    check_learner_code(cost, rng.standard_normal((3, 2)), rng.standard_normal((3, 1)),
                       rng.standard_normal((1, 3)), rng.standard_normal((2, 6)), constants=(3,))


def test_leaky_relu_with_np_where():
    def cost(W, X):
        Z = np.dot(W, X)
        A = np.where(Z > 0, Z, 0.01 * Z)
        return np.sum(A * A)

    rng = np.random.default_rng(3)
    check_learner_code(cost, rng.standard_normal((3, 4)), rng.standard_normal((4, 5)))


def test_softmax_with_np_max_keepdims_and_its_cross_entropy():
    def softmax(Z):
        e = np.exp(Z - np.max(Z, axis=0, keepdims=True))
        return e / np.sum(e, axis=0, keepdims=True)

    def cost(W, X, Y):
        return -np.sum(Y * np.log(softmax(np.dot(W, X)))) / X.shape[1]

    rng = np.random.default_rng(4)
    Y = np.eye(3)[:, rng.integers(0, 3, size=6)]
    check_learner_code(cost, rng.standard_normal((3, 4)), rng.standard_normal((4, 6)), Y,
                       constants=(2,))
    Z = Tensor(rng.standard_normal((3, 6)))
    np.testing.assert_allclose(softmax(Z).data, tensor_softmax(Z).data, rtol=1e-14)


def test_normalisation_with_np_var_and_np_sqrt():
    def cost(Z, gamma, beta):
        mu = np.mean(Z, axis=1, keepdims=True)
        Z_norm = (Z - mu) / np.sqrt(np.var(Z, axis=1, keepdims=True) + 1e-8)
        return np.sum(np.tanh(gamma * Z_norm + beta) * np.arange(12.0).reshape(3, 4))

    rng = np.random.default_rng(5)
    check_learner_code(cost, rng.standard_normal((3, 4)), rng.standard_normal((3, 1)),
                       rng.standard_normal((3, 1)))


def test_l2_regularisation_with_np_linalg_norm():
    def cost(W1, W2):
        lambd, m = 0.7, 5
        return lambd / (2 * m) * (np.linalg.norm(W1) ** 2 + np.square(np.linalg.norm(W2))) \
            + np.sum(np.linalg.norm(W1, axis=0, keepdims=True))

    rng = np.random.default_rng(6)
    check_learner_code(cost, rng.standard_normal((3, 4)), rng.standard_normal((2, 3)))


def test_inverted_dropout_with_a_boolean_mask():
    keep_prob = 0.8
    rng = np.random.default_rng(7)
    D = np.random.default_rng(8).random((4, 6)) < keep_prob  # booleans, as the course draws

    def cost(W, X):
        A = np.tanh(np.dot(W, X))
        A = A * D
        A = A / keep_prob
        return np.sum(np.multiply(A, D) ** 2)

    check_learner_code(cost, rng.standard_normal((4, 3)), rng.standard_normal((3, 6)))


def test_parameters_flattened_with_np_reshape_and_np_concatenate():
    shapes = {"W1": (3, 2), "b1": (3, 1), "W2": (1, 3), "b2": (1, 1)}

    def dictionary_to_vector(parameters):
        return np.concatenate([np.reshape(parameters[k], (-1, 1)) for k in shapes], axis=0)

    def vector_to_dictionary(theta):
        out, start = {}, 0
        for k, shape in shapes.items():
            n = int(np.prod(shape))
            out[k] = theta[start:start + n].reshape(shape)
            start += n
        return out

    def cost(W1, b1, W2, b2, X, Y):
        theta = dictionary_to_vector({"W1": W1, "b1": b1, "W2": W2, "b2": b2})
        A2, _ = forward_propagation(X, vector_to_dictionary(theta))
        return compute_cost(A2, Y)

    rng = np.random.default_rng(9)
    X, Y = rng.standard_normal((2, 5)), (rng.random((1, 5)) < 0.5).astype(float)
    check_learner_code(cost, rng.standard_normal((3, 2)), rng.standard_normal((3, 1)),
                       rng.standard_normal((1, 3)), rng.standard_normal((1, 1)), X, Y,
                       constants=(4, 5))


def test_the_rest_of_the_covered_numpy_functions():
    def cost(x, y):
        z = np.stack([np.ravel(x), np.ravel(np.copy(y))], axis=1)  # (6, 2)
        z = np.expand_dims(np.clip(z, -1.5, 1.5), 0)  # (1, 6, 2)
        w = np.squeeze(z, axis=0) + np.abs(np.transpose(np.reshape(np.stack([x, y.T]), (2, 6))))
        v = (np.log1p(np.exp(w)) + np.minimum(w, 0.3) - np.amax(w, axis=0)
             + np.sign(w) * w + np.power(2.0, w) / np.sqrt(np.std(x) + 1.0))
        return np.sum(v * v) + np.min(x, axis=1).sum() + np.max(y) - np.var(y, ddof=1)

    rng = np.random.default_rng(10)
    check_learner_code(cost, rng.uniform(-1, 1, (2, 3)), rng.uniform(-1, 1, (3, 2)))


# --- everything elementwise against numpy's own results, across dtypes ------------------


UNARY = [np.exp, np.log, np.log1p, np.sqrt, np.square, np.abs, np.tanh, np.negative,
         np.sign, np.reciprocal, np.positive]
BINARY = [np.add, np.subtract, np.multiply, np.divide, np.power, np.maximum, np.minimum]
COMPARISONS = [np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal]


def operands(dtype):
    """Second operands of every kind numpy promotes differently."""
    rng = np.random.default_rng(11)
    return [
        2, 0.5, np.float64(0.5), np.float32(0.5), np.int64(2),
        rng.uniform(0.5, 2.0, (2, 3)).astype(np.float64),
        rng.uniform(0.5, 2.0, (1, 3)).astype(np.float32),
        rng.integers(1, 3, (2, 1)).astype(np.int8),
        rng.integers(1, 3, (2, 3)).astype(np.int64),
        rng.random((2, 3)) < 0.5,
        np.array(1.5),
    ]


@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.int64])
def test_unary_ufuncs_equal_numpys_results(dtype):
    x = np.random.default_rng(12).uniform(1.0, 4.0, (2, 3)).astype(dtype)
    t = Tensor(x)  # integer data becomes float64, the dtype numpy's ufuncs give it
    for f in UNARY:
        expected = f(x.astype(np.float64) if x.dtype.kind == "i" else x)
        got = f(t)
        assert isinstance(got, Tensor), f.__name__
        assert got.dtype == expected.dtype, f.__name__
        np.testing.assert_array_equal(got.data, expected, err_msg=f.__name__)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_binary_ufuncs_and_operators_equal_numpys_results_and_dtypes(dtype):
    x = np.random.default_rng(13).uniform(0.5, 2.0, (2, 3)).astype(dtype)
    t = Tensor(x)
    for f in BINARY:
        for y in operands(dtype):
            with np.errstate(divide="ignore"):  # x / False is inf on both sides
                pairs = ((f(t, y), f(x, y)), (f(y, t), f(y, x)))
            for got, expected in pairs:
                name = f"{f.__name__} with {type(y).__name__} {getattr(y, 'dtype', '')}"
                assert isinstance(got, Tensor), name
                assert got.dtype == expected.dtype, name
                np.testing.assert_array_equal(got.data, expected, err_msg=name)
    for y in operands(dtype):  # the operators are the same operations
        for got, expected in ((t + y, x + y), (t * y, x * y), (y - t, y - x), (y / t, y / x),
                              (t**y, x**y), (y**t, y**x)):
            assert got.dtype == expected.dtype and np.array_equal(got.data, expected)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_comparisons_give_plain_boolean_arrays(dtype):
    x = np.array([[0.5, 1.0, 2.0]], dtype=dtype)
    t = Tensor(x, requires_grad=True)
    for f in COMPARISONS:
        for y in (1.0, 1, np.array([[1.0], [2.0]]), Tensor([[1.0, 1.0, 3.0]])):
            y_data = y.data if isinstance(y, Tensor) else y
            for got, expected in ((f(t, y), f(x, y_data)), (f(y_data, t), f(y_data, x))):
                assert type(got) is np.ndarray and got.dtype == bool
                np.testing.assert_array_equal(got, expected)
    ops = ((t == 1.0, x == 1.0), (t != 1.0, x != 1.0), (1.0 == t, 1.0 == x),
           (t < 1.0, x < 1.0), (t >= 1.0, x >= 1.0), (np.isfinite(t), np.isfinite(x)))
    for got, expected in ops:
        assert type(got) is np.ndarray
        np.testing.assert_array_equal(got, expected)
    predictions = Tensor([[1.0, 0.0, 1.0, 1.0]])
    assert np.mean(predictions == np.array([[1.0, 0.0, 0.0, 1.0]])) == 0.75  # the course's line


def test_a_float32_network_stays_float32_forward_and_backward():
    rng = np.random.default_rng(14)
    W = Tensor(rng.standard_normal((3, 2)).astype(np.float32), requires_grad=True)
    b = Tensor(np.zeros((3, 1), dtype=np.float32), requires_grad=True)
    X = rng.standard_normal((2, 5)).astype(np.float32)
    D = rng.random((3, 5)) < 0.8
    A = np.maximum(0, np.dot(W, X) + b) * D / 0.8
    A = np.where(A > 0.5, A, 0.0) + np.where(D, 0, A)  # Python numbers stay weak, as numpy 2's
    J = np.sum(np.log1p(np.exp(-A))) / 5
    assert J.dtype == np.float32
    J.backward()
    assert W.grad.dtype == np.float32 and b.grad.dtype == np.float32


# --- what is refused, and how ---------------------------------------------------------


def test_out_and_other_unsupported_arguments_are_refused_clearly():
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    with pytest.raises(TypeError, match=r"np.exp\(..., out=...\) with a Tensor.*Z = np.exp"):
        np.exp(W, out=np.zeros((2, 3)))
    with pytest.raises(TypeError, match=r"np.sum\(..., out=...\) with a Tensor"):
        np.sum(W, axis=0, out=np.zeros(3))
    a = np.zeros((2, 3))
    with pytest.raises(TypeError, match=r"np.add\(..., out=...\).*array \+= tensor"):
        a += W
    with pytest.raises(TypeError, match=r"np.exp\(..., where=\) on a Tensor.*not supported"):
        np.exp(W, where=np.ones((2, 3), bool))
    with pytest.raises(TypeError, match=r"np.sum\(..., where=...\).*covered arguments are axis"):
        np.sum(W, where=np.ones((2, 3), bool))
    with pytest.raises(TypeError, match=r"np.mean\(..., dtype=...\)"):
        np.mean(W, dtype=np.float32)
    with pytest.raises(TypeError, match=r"np.reshape\(..., order=...\)"):
        np.reshape(W, (3, 2), order="F")
    with pytest.raises(ValueError, match=r"norm\(ord=1.*only the Euclidean norm"):
        np.linalg.norm(W, ord=1)
    X = Tensor(np.ones(3))
    with pytest.raises(TypeError, match=r"np.cumsum\(..., out=tensor\): a tensor's data is"):
        np.cumsum(np.ones(3), out=X)  # would change X behind the graph's back
    with no_grad():  # nothing to lose: numpy writes into the array
        a += W
        np.exp(W, out=a)
    np.testing.assert_array_equal(a, np.e)


def test_an_uncovered_numpy_function_names_itself_and_what_to_use():
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    for call, name, hint in (
        (lambda: np.cumsum(W, axis=1), "np.cumsum", "slices and np.concatenate"),
        (lambda: np.outer(W, W), "np.outer", "x @ y.T"),
        (lambda: np.add.reduce(W), "np.add.reduce", "np.sum"),
        (lambda: np.sin(W), "np.sin", "compute it from the covered operations"),
        (lambda: np.fft.fft(W), "np.fft.fft", "covered operations"),
    ):
        with pytest.raises(TypeError) as e:
            call()
        message = str(e.value)
        assert message.startswith(f"{name} is not covered for tensors"), message
        assert "'W' of shape (2, 3)" in message and hint in message, message
        assert "no implementation found" not in message
    X = Tensor(np.ones((2, 3)))  # without a gradient at stake numpy sees the data
    np.testing.assert_array_equal(np.cumsum(X, axis=1), [[1, 2, 3], [1, 2, 3]])
    with no_grad():
        np.testing.assert_array_equal(np.sin(W), np.sin(np.ones((2, 3))))
    assert np.shape(W) == (2, 3) and np.argmax(W) == 0 and np.allclose(W, 1.0)


def test_np_array_asarray_and_r_refuse_a_tensor_that_requires_a_gradient():
    W = Tensor(np.array([[1.0, 2.0]]), requires_grad=True, label="W")
    for call, how in ((lambda: np.array(W), "np.array"), (lambda: np.asarray(W), "np.array"),
                      (lambda: np.r_[W], "np.array"), (lambda: W.numpy(), "t.numpy()"),
                      (lambda: np.array([W, W]), "np.array")):
        with pytest.raises(RuntimeError) as e:
            call()
        message = str(e.value)
        assert message.startswith(how) and "'W' of shape (1, 2), which requires a gradient" \
            in message and "t.detach().numpy()" in message, message
    assert np.shares_memory(np.asarray(W.detach()), W.data)
    assert np.shares_memory(W.detach().numpy(), W.data)
    with no_grad():
        assert np.shares_memory(np.asarray(W), W.data) and np.shares_memory(W.numpy(), W.data)
        np.testing.assert_array_equal(np.r_[W, W], [[1.0, 2.0], [1.0, 2.0]])
    X = Tensor(np.array([[1.0, 2.0]]))
    assert np.shares_memory(np.asarray(X), X.data)
    assert np.array(X, dtype=np.float32).dtype == np.float32


def test_matplotlib_draws_detached_tensors():
    pytest.importorskip("matplotlib")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    W = Tensor(np.random.default_rng(15).standard_normal((4, 5)), requires_grad=True)
    fig, ax = plt.subplots()
    try:
        costs = (W * 2).sum(axis=0).detach()
        (line,) = ax.plot(costs)
        np.testing.assert_array_equal(line.get_ydata(), costs.data)
        image = ax.imshow(W.detach())
        np.testing.assert_array_equal(image.get_array(), W.data)
        ax.scatter(W.detach()[0], W.detach()[1])
        with pytest.raises(RuntimeError, match="t.detach\\(\\).numpy\\(\\)"):
            ax.plot(W[0])
    finally:
        plt.close(fig)


def test_zeros_like_and_ones_like_give_no_gradient():
    W = Tensor(np.ones((2, 3), dtype=np.float32), requires_grad=True)
    for f, value in ((np.zeros_like, 0.0), (np.ones_like, 1.0)):
        t = f(W)
        assert isinstance(t, Tensor) and not t.requires_grad and t.dtype == np.float32
        np.testing.assert_array_equal(t.data, np.full((2, 3), value))
    assert np.full_like(W, 3.0).data.sum() == 18.0


def test_dispatch_never_warns_and_leaves_the_methods_alone():
    W = Tensor(np.ones((2, 2)), requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        Z = W @ np.ones((2, 3)) + np.zeros((2, 1))
        assert graph.op(Z) == "+" and graph.op(graph.parents(Z)[0]) == "@"
        assert graph.op(np.ones((2, 2)) + W) == "+"


def test_the_stacking_and_logarithm_functions_a_learner_reaches_for_name_their_covered_form():
    W = Tensor(np.ones((2, 3)), requires_grad=True, label="W")
    for call, name, hint in (
        (lambda: np.hstack([W, W]), "np.hstack", "np.concatenate([a, b], axis=1)"),
        (lambda: np.vstack([W, W]), "np.vstack", "np.concatenate([a, b], axis=0)"),
        (lambda: np.append(W, W), "np.append", "np.concatenate([np.ravel(a), np.ravel(b)])"),
        (lambda: np.log2(W), "np.log2", "np.log(x) / np.log(2)"),
        (lambda: np.log10(W), "np.log10", "np.log(x) / np.log(10)"),
        (lambda: np.fabs(W), "np.fabs", "np.abs(x)"),
        (lambda: np.average(W), "np.average", "np.mean(x, axis=...)"),
        (lambda: np.broadcast_to(W, (4, 2, 3)), "np.broadcast_to", "x * np.ones(shape)"),
    ):
        with pytest.raises(TypeError) as e:
            call()
        message = str(e.value)
        assert message.startswith(f"{name} is not covered for tensors: on 'W' of shape (2, 3)")
        assert f"Instead: {hint}" in message, message
    # each hint, followed, is covered and gives numpy's numbers
    x = np.random.default_rng(16).uniform(0.5, 2.0, (2, 3))
    t = Tensor(x, requires_grad=True)
    np.testing.assert_allclose(np.concatenate([t, t], axis=1).data, np.hstack([x, x]))
    np.testing.assert_allclose((np.log(t) / np.log(2)).data, np.log2(x), rtol=1e-15)
    np.testing.assert_array_equal((t * np.ones((4, 2, 3))).data, np.broadcast_to(x, (4, 2, 3)))


def test_a_ufuncs_dtype_argument_is_refused_with_where_to_choose_the_dtype():
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    with pytest.raises(TypeError) as e:
        np.exp(W, dtype=np.float32)
    assert str(e.value) == (
        "np.exp(..., dtype=) on a Tensor: that argument is not supported; call np.exp with its "
        "inputs only; a float32 tensor gives float32 results by itself: choose the dtype where "
        "the tensor is made, Tensor(x, dtype=np.float32)"
    )


@pytest.mark.parametrize("number", [2.0, 2, np.float64(2.0), np.float32(2.0), np.array(2.0)])
def test_np_dot_with_a_number_promotes_as_numpys_dot(number):
    # np.dot makes arrays of its arguments, so a Python number is float64 there -- unlike a
    # ufunc's weak Python number: np.dot(2.0, x32) is float64 while np.multiply(2.0, x32)
    # is float32
    x = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    t = Tensor(x, requires_grad=True)
    for got, expected in ((np.dot(number, t), np.dot(number, x)),
                          (np.dot(t, number), np.dot(x, number))):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.data, expected)
    np.dot(number, t).sum().backward()
    assert t.grad.dtype == np.float32 and (t.grad == 2.0).all()


def test_the_ndarray_method_W_dot_A_is_np_dot():
    """dnn_app_utils' linear_forward: Z = W.dot(A) + b, for matrices, vectors and numbers."""
    rng = np.random.default_rng(17)
    check_learner_code(lambda W, A, b: np.sum(np.tanh(W.dot(A) + b)),
                       rng.standard_normal((3, 4)), rng.standard_normal((4, 5)),
                       rng.standard_normal((3, 1)))
    check_learner_code(lambda w, x: w.dot(x) * w.dot(2.0).sum(), rng.standard_normal(4),
                       rng.standard_normal(4))
    W = Tensor(rng.standard_normal((3, 4)).astype(np.float32), requires_grad=True, label="W")
    A = rng.standard_normal((4, 5)).astype(np.float32)
    Z = W.dot(A)
    assert graph.op(Z) == "dot" and Z.dtype == np.float32
    np.testing.assert_array_equal(Z.data, W.data.dot(A))


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("axis", [None, 0, -1, (0, 2)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_keep_numpys_shape_and_dtype(dtype, axis, keepdims):
    x = np.random.default_rng(18).uniform(-2.0, 2.0, (3, 4, 2)).astype(dtype)
    t = Tensor(x, requires_grad=True)
    calls = [
        (np.sum, {}), (np.mean, {}), (np.max, {}), (np.amax, {}), (np.min, {}), (np.amin, {}),
        (np.var, {}), (np.var, {"ddof": 1}), (np.std, {}), (np.std, {"ddof": 1}),
    ]
    if axis is None or isinstance(axis, int):
        calls.append((np.linalg.norm, {}))
    for f, extra in calls:
        expected = f(x, axis=axis, keepdims=keepdims, **extra)
        got = f(t, axis=axis, keepdims=keepdims, **extra)
        name = f"{f.__name__}{extra} over {axis}"
        assert isinstance(got, Tensor) and got.requires_grad, name
        assert got.shape == np.shape(expected) and got.dtype == expected.dtype, name
        # the sums run in another order than numpy's pairwise sum: the last bits differ
        rtol = 1e-5 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got.data, expected, rtol=rtol, err_msg=name)
        got.sum().backward()
        assert t.grad.dtype == dtype, name
        t.grad = None
