"""x ** y on Values follows PyTorch's float64 values and gradients, edge cases included.

PyTorch's answers, written out as numbers, come from its documented backward
formulas (``pow_backward_self`` / ``pow_backward_exponent``):

* d/dx x**y = y * x**(y-1), and 0 where y == 0;
* d/dy x**y = x**y * log(x), and 0 where x == 0 and y >= 0 (log of a negative is nan);
* the values are C's ``pow``: 0**0 = 1, 0**-1 = inf, (-2)**3 = -8, overflow is inf.
"""

import math

import pytest

from micrograd_dls import Value
from micrograd_dls.gradcheck import gradcheck

inf, nan = math.inf, math.nan


def same(got, want):
    """Equal as PyTorch gives them: nan equals nan, the sign of an infinity matters, and a
    finite number may differ in its last bit only (log's last bit can vary between libms)."""
    return all(
        (math.isnan(g) and math.isnan(w)) or g == w or math.isclose(g, w, rel_tol=4e-16)
        for g, w in zip(got, want, strict=True)
    )


# (x, y) -> (x ** y, d/dx, d/dy), as torch.pow(x, y).backward() gives them in float64
VALUE_EXPONENT = [
    ((0.0, 0.0), (1.0, 0.0, 0.0)),  # the case: 1 and gradients (0, 0)
    ((0.0, 1.0), (0.0, 1.0, 0.0)),  # 1 * 0**0
    ((0.0, 2.0), (0.0, 0.0, 0.0)),
    ((0.0, 0.5), (0.0, inf, 0.0)),  # 0.5 * 0**-0.5; d/dy masked (x == 0, y >= 0)
    ((0.0, -1.0), (inf, -inf, -inf)),  # -1 * 0**-2; inf * log 0 = inf * -inf
    ((0.0, -2.0), (inf, -inf, -inf)),
    ((-0.0, -1.0), (-inf, -inf, inf)),  # C's pow(-0, -1) = -inf; -inf * log(-0) = -inf * -inf
    ((-2.0, 3.0), (-8.0, 12.0, nan)),  # 3 * (-2)**2; -8 * log(-2) is nan
    ((-2.0, 2.0), (4.0, -4.0, nan)),
    ((-2.0, -1.0), (-0.5, -0.25, nan)),  # -1 * (-2)**-2
    ((-2.0, 0.0), (1.0, 0.0, nan)),  # d/dx masked (y == 0); 1 * log(-2) is nan
    ((2.0, 3.0), (8.0, 12.0, 5.545177444479562)),  # 8 log 2
    ((1e-200, -1.5), (1e300, -inf, -4.6051701859880915e302)),  # d/dx overflows to -inf
]


@pytest.mark.parametrize(("xy", "want"), VALUE_EXPONENT)
def test_value_to_a_value_power_matches_pytorch(xy, want):
    x, y = Value(xy[0]), Value(xy[1])
    out = x**y
    out.backward()
    assert same((out.data, x.grad, y.grad), want), (out.data, x.grad, y.grad)
    assert math.copysign(1.0, out.data) == math.copysign(1.0, want[0])


# (x, n) -> (x ** n, d/dx) with a number exponent: torch.pow(x, n)
NUMBER_EXPONENT = [
    ((0.0, 0.0), (1.0, 0.0)),
    ((0.0, -1.0), (inf, -inf)),
    ((0.0, 0.5), (0.0, inf)),  # the square root at 0
    ((-2.0, 3.0), (-8.0, 12.0)),
    ((-2.0, -2.0), (0.25, 0.25)),  # -2 * (-2)**-3
    ((3.0, 2.0), (9.0, 6.0)),
]


@pytest.mark.parametrize(("xn", "want"), NUMBER_EXPONENT)
def test_value_to_a_number_power_matches_pytorch(xn, want):
    x = Value(xn[0])
    out = x ** xn[1]
    out.backward()
    assert same((out.data, x.grad), want), (out.data, x.grad)


# (c, x) -> (c ** x, d/dx) with a number base: torch.pow(c, x)
NUMBER_BASE = [
    ((0.0, 0.0), (1.0, 0.0)),  # masked: c == 0 and x >= 0
    ((0.0, 2.0), (0.0, 0.0)),
    ((0.0, -1.0), (inf, -inf)),  # inf * log 0
    ((-2.0, 3.0), (-8.0, nan)),  # -8 * log(-2)
    ((2.0, 3.0), (8.0, 5.545177444479562)),
]


@pytest.mark.parametrize(("cx", "want"), NUMBER_BASE)
def test_number_to_a_value_power_matches_pytorch(cx, want):
    x = Value(cx[1])
    out = cx[0] ** x
    out.backward()
    assert same((out.data, x.grad), want), (out.data, x.grad)


@pytest.mark.parametrize(("x", "y"), [(1.7, 2.3), (0.4, -1.5), (2.0, 0.0), (-1.5, 3.0)])
def test_smooth_powers_agree_with_central_differences(x, y):
    if x < 0:  # only x moves: (x ± eps) ** 3 stays real, while d/dy is nan (log of a negative)
        yv = y
        report = gradcheck(lambda a: a**yv, [Value(x, label="x")])
    else:
        report = gradcheck(lambda a, b: a**b, [Value(x, label="x"), Value(y, label="y")])
    assert report, report


def test_a_result_too_large_for_a_float_is_an_error_as_for_exp():
    with pytest.raises(OverflowError, match="overflows a float"):
        Value(10.0) ** 400
    with pytest.raises(OverflowError, match="overflows a float"):
        Value(10.0) ** Value(400.0)
    with pytest.raises(OverflowError, match="overflows a float"):
        10.0 ** Value(400.0)


def test_power_graph_keeps_its_number_operand_for_the_picture():
    from micrograd_dls import graph

    x = Value(3.0, label="x")
    assert graph.constants(x**2) == ((1, 2.0),)
    assert graph.constants(2**x) == ((0, 2.0),)
    assert graph.local_derivatives(x**2) == (6.0,)
    assert graph.constants(x ** Value(2.0)) == ()


# A negative base to a fractional power is not a real number: nan, with nan gradients,
# as torch.pow(x, y).backward() gives in float64 and as Tensor gives -- the same answer
# whichever node type a learner uses; detect_anomaly stops at it.
@pytest.mark.parametrize(
    "make",
    [
        lambda x, y: (x**y, (x, y)),
        lambda x, y: (x**y.data, (x,)),
        lambda x, y: (x.data**y, (y,)),
    ],
)
def test_a_negative_base_to_a_fractional_power_is_nan_as_pytorch_and_tensor(make):
    import numpy as np

    from micrograd_dls import Tensor

    out, nodes = make(Value(-2.0), Value(0.5))
    out.backward()
    assert math.isnan(out.data) and all(math.isnan(n.grad) for n in nodes)
    with np.errstate(invalid="ignore"):  # numpy warns of the nan in Tensor's forward
        tout, tnodes = make(Tensor([-2.0], requires_grad=True), Tensor([0.5], requires_grad=True))
    tout.sum().backward()
    assert np.isnan(tout.data).all() and all(np.isnan(n.grad).all() for n in tnodes)


def test_a_negative_base_to_a_fractional_power_stops_anomaly_mode():
    from micrograd_dls.anomaly import AnomalyError, detect_anomaly

    with detect_anomaly(), pytest.raises(AnomalyError, match="negative base to a fractional"):
        Value(-8.0, label="x") ** (1 / 3)


@pytest.mark.parametrize(
    "make", [lambda: Value(10**400), lambda: Value(1.0) + 10**400, lambda: Value(1.0) ** 10**400]
)
def test_an_int_past_the_largest_float_is_a_short_clear_error(make):
    with pytest.raises(OverflowError, match="is too large for a float") as e:
        make()
    assert len(str(e.value)) < 200
