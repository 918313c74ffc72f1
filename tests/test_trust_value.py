"""Value against inputs that used to give a silent wrong answer: a NaN through relu, a
Tensor or an array as an operand, numpy's functions on a scalar, math.log leaving the graph.

Oracles: the course's own relu and relu_backward (reference.py), PyTorch's float64
numbers written out, central differences computed here on plain floats, and the
course's hand-derived dz = a - y.
"""

import math
import operator

import numpy as np
import pytest

from micrograd_dls import Tensor, Value, graph, reference
from micrograd_dls.checks import QUOTE_LIMIT


def central_difference(f, x, h=1e-6):
    """(f(x + h) - f(x - h)) / 2h on plain floats, the step float64 actually took."""
    up, down = x + h, x - h
    return (f(up) - f(down)) / (up - down)


# --- 1. relu of a NaN ------------------------------------------------------------


def test_relu_of_nan_is_nan_and_passes_its_gradient_as_the_course_and_pytorch():
    # The course: A, cache = relu(Z); dZ = relu_backward(dA, cache) -- dZ[Z <= 0] = 0.
    A, cache = reference.relu(np.array([[np.nan]]))
    dZ = reference.relu_backward(np.array([[1.0]]), cache)
    # PyTorch float64: torch.relu(tensor(nan)) = nan; its backward is
    # threshold_backward(grad, result, 0) = (result <= 0 ? 0 : grad), so grad = 1.0.
    torch_out, torch_grad = math.nan, 1.0
    assert math.isnan(A[0, 0]) and dZ[0, 0] == torch_grad
    z = Value(math.nan, label="z")
    a = z.relu()
    a.backward()
    assert math.isnan(a.data) and math.isnan(torch_out)
    assert z.grad == torch_grad == dZ[0, 0]


@pytest.mark.parametrize(("x", "out", "grad"), [(-2.0, 0.0, 0.0), (0.0, 0.0, 0.0), (3.0, 3.0, 1.0)])
def test_relu_away_from_nan_is_unchanged(x, out, grad):
    z = Value(x)
    a = z.relu()
    a.backward()
    assert (a.data, z.grad) == (out, grad)


# --- 2. a Tensor or an array as an operand ----------------------------------------

BINARY = [operator.add, operator.sub, operator.mul, operator.truediv, operator.pow]
REFLECTED = ["__radd__", "__rsub__", "__rmul__", "__rtruediv__", "__rpow__"]


@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
def test_value_op_tensor_is_refused_in_both_orders_and_the_tensor_keeps_its_graph(op):
    t = Tensor(3.0, requires_grad=True)
    with pytest.raises(TypeError, match="mix node types through their data") as e:
        op(Value(2.0), t)
    assert "Tensor" in str(e.value) and "Value(t.item())" in str(e.value)
    with pytest.raises(TypeError, match="mix node types through their data"):
        op(t, Value(2.0))
    assert t.grad is None


@pytest.mark.parametrize("name", REFLECTED)
def test_values_reflected_operators_refuse_a_tensor_too(name):
    with pytest.raises(TypeError, match="is a Tensor: a Value and a Tensor do not share a graph"):
        getattr(Value(2.0), name)(Tensor(3.0, requires_grad=True))


@pytest.mark.parametrize("op", [operator.lt, operator.le, operator.gt, operator.ge])
def test_comparing_a_value_with_a_tensor_is_refused(op):
    with pytest.raises(TypeError, match="mix node types"):
        op(Value(2.0), Tensor(3.0))


def test_a_tensor_is_not_a_values_data():
    with pytest.raises(TypeError, match=r"Value\(data\) is a Tensor"):
        Value(Tensor(3.0, requires_grad=True))


@pytest.mark.parametrize("op", BINARY, ids=lambda f: f.__name__)
def test_value_op_array_is_refused_in_both_orders_with_the_shape(op):
    x = np.array([1.0, 2.0])
    with pytest.raises(TypeError, match=r"shape \(2,\).*use Tensor for arrays"):
        op(Value(2.0), x)
    with pytest.raises(TypeError, match=r"shape \(2,\).*use Tensor for arrays"):
        op(x, Value(2.0))


@pytest.mark.parametrize("c", [np.float64(3.0), np.array(3.0), np.int64(3), 3])
def test_a_numpy_scalar_or_0d_array_is_a_number_on_either_side(c):
    z = Value(2.0)
    left, right = c * z, z * c
    assert isinstance(left, Value) and isinstance(right, Value)
    assert left.data == right.data == 6.0
    (left + right).backward()
    assert z.grad == 6.0
    assert graph.constants(left) == ((0, 3.0),) and graph.constants(right) == ((1, 3.0),)


# --- 3. numpy's ufuncs on a Value ------------------------------------------------

UNARY = {
    "exp": np.exp,
    "log": np.log,
    "tanh": np.tanh,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "negative": np.negative,
    "square": np.square,
}


@pytest.mark.parametrize("name", UNARY)
@pytest.mark.parametrize("x", [0.37, 1.9, -0.8])
def test_numpys_unary_functions_on_a_value_against_central_differences(name, x):
    f = UNARY[name]
    if name in ("log", "sqrt") and x < 0:
        x = -x
    z = Value(x)
    out = f(z)
    assert isinstance(out, Value) and out.data == pytest.approx(float(f(x)), rel=1e-15)
    out.backward()
    assert z.grad == pytest.approx(central_difference(lambda u: float(f(u)), x), rel=1e-7)


BINARY_UFUNCS = [np.add, np.subtract, np.multiply, np.true_divide, np.power]


@pytest.mark.parametrize("f", BINARY_UFUNCS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("c", [1.7, np.float64(0.6), 3])
def test_numpys_binary_functions_with_a_number_against_central_differences(f, c):
    x = 1.3
    for side, call in (("left", lambda u: f(u, c)), ("right", lambda u: f(c, u))):
        z = Value(x)
        out = call(z)
        assert isinstance(out, Value)
        assert out.data == pytest.approx(float(call(x)), rel=1e-15)
        out.backward()
        expected = central_difference(lambda u, call=call: float(call(u)), x)
        assert z.grad == pytest.approx(expected, rel=1e-7, abs=1e-9)
        assert graph.constants(out) == ((1 if side == "left" else 0, float(c)),)


@pytest.mark.parametrize("f", BINARY_UFUNCS, ids=lambda f: f.__name__)
def test_numpys_binary_functions_between_two_values_against_central_differences(f):
    x, y = 1.3, 0.7
    a, b = Value(x), Value(y)
    f(a, b).backward()
    assert a.grad == pytest.approx(central_difference(lambda u: float(f(u, y)), x), rel=1e-7)
    assert b.grad == pytest.approx(central_difference(lambda u: float(f(x, u)), y), rel=1e-7)


@pytest.mark.parametrize("x", [-1.5, 0.0, 2.5])
def test_np_maximum_0_z_is_the_courses_relu_node(x):
    for call in (lambda z: np.maximum(0, z), lambda z: np.maximum(z, 0.0)):
        z = Value(x)
        a = call(z)
        assert graph.op(a) == "relu" and graph.parents(a) == (z,)
        a.backward()
        assert a.data == max(0.0, x)
        # the course's relu_backward: dZ[Z <= 0] = 0, so 0 at the tie z = 0
        _, cache = reference.relu(np.array([[x]]))
        assert z.grad == reference.relu_backward(np.array([[1.0]]), cache)[0, 0]


@pytest.mark.parametrize("x", [-1.5, 0.4, 2.5])
def test_np_maximum_with_another_constant_against_central_differences(x):
    c = 0.5
    for call in (lambda u: np.maximum(c, u), lambda u: np.maximum(u, c)):
        z = Value(x)
        out = call(z)
        assert out.data == float(call(x))
        out.backward()
        expected = central_difference(lambda u, call=call: float(call(u)), x)
        assert z.grad == pytest.approx(expected)


def test_np_maximum_ties_give_0_as_the_courses_relu():
    z = Value(0.5)
    np.maximum(0.5, z).backward()
    assert z.grad == 0.0


def test_the_courses_week2_sigmoid_and_cost_run_on_a_scalar_loop_with_dz_equal_a_minus_y():
    def sigmoid(z):  # the week-2 assignment, unchanged
        return 1 / (1 + np.exp(-z))

    rng = np.random.default_rng(0)
    for _ in range(5):
        x1, x2, w1_, w2_, b_ = rng.normal(size=5)
        y = float(rng.integers(0, 2))
        w1, w2, b = Value(w1_), Value(w2_), Value(b_)
        z = w1 * x1 + w2 * x2 + b
        a = sigmoid(z)
        L = -(y * np.log(a) + (1 - y) * np.log(1 - a))
        L.backward()
        a_ = 1 / (1 + math.exp(-(w1_ * x1 + w2_ * x2 + b_)))
        dz = a_ - y  # the lecture: dz = a - y, dw1 = x1 dz, dw2 = x2 dz, db = dz
        assert a.data == pytest.approx(a_, rel=1e-14)
        assert (w1.grad, w2.grad, b.grad) == pytest.approx((x1 * dz, x2 * dz, dz), rel=1e-12)


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda z: np.sin(z), "np.sin is not an operation of Value; use the Value methods"),
        (lambda z: np.log1p(z), r"np.log1p is not an operation of Value; write \(1 \+ z\).log\(\)"),
        (lambda z: np.maximum(z, Value(1.0)), "np.maximum of two Values"),
        (lambda z: np.exp(z, out=np.empty(())), r"out=...\) is not supported on a Value"),
        (lambda z: np.exp(z, dtype=np.float32), r"dtype=...\) is not supported on a Value"),
        (lambda z: np.add.reduce(z), "np.add.reduce on a Value: a Value is one number"),
        (lambda z: np.multiply(z, Tensor(2.0)), "np.multiply between a Value and a Tensor"),
        (lambda z: np.exp(np.array([1.0])) * z, r"np.multiply between a Value and an array"),
    ],
)
def test_other_ufuncs_and_operands_are_refused_with_what_to_use(call, words):
    with pytest.raises(TypeError, match=words):
        call(Value(0.5))


# --- 4. math.log and float() leave the graph --------------------------------------


def test_math_log_on_a_value_is_refused_with_the_fix_instead_of_a_silent_zero_gradient():
    w, x, b = Value(2.0, label="w"), 3.0, Value(4.0, label="b")
    with pytest.raises(TypeError, match=r"math.log\(b\).*no gradient.*b.log\(\).*b.data"):
        w * x + math.log(b)
    J = w * x + b.log()  # the fix
    J.backward()
    assert b.grad == pytest.approx(central_difference(math.log, 4.0), rel=1e-8)


@pytest.mark.parametrize("call", [float, math.exp, math.tanh, math.sqrt, np.float64])
def test_every_way_through_float_is_refused(call):
    with pytest.raises(TypeError, match="leaves the graph"):
        call(Value(0.5))


def test_the_plain_number_stays_at_hand_and_a_huge_label_is_bounded():
    v = Value(1.5, label="L" * 10_000)
    assert v.data == v.item() == 1.5
    with pytest.raises(TypeError) as e:
        float(v)
    assert "v.log()" in str(e.value) and len(str(e.value)) < 400 + QUOTE_LIMIT


# --- abs, which np.abs maps onto ---------------------------------------------------


@pytest.mark.parametrize(("x", "grad"), [(-2.0, -1.0), (0.0, 0.0), (3.0, 1.0)])
def test_abs_as_pytorch_float64_gives_sign_with_0_at_0(x, grad):
    # PyTorch: abs backward is grad * sgn(x), and sgn(0) = 0
    for call in (abs, np.abs):
        z = Value(x)
        out = call(z)
        out.backward()
        assert (out.data, z.grad) == (abs(x), grad)
