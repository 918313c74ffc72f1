"""gradcheck never passes what it could not compare: NaN, infinity and bad steps fail or raise."""

from __future__ import annotations

import math

import numpy as np
import pytest

from micrograd_dls import Tensor, Value
from micrograd_dls.gradcheck import gradcheck


def test_a_wrong_gradient_with_nan_next_to_the_point_fails_for_a_value():
    # A learner's cost with part of it computed outside the graph: autograd sees
    # dJ/dx = log(x - 1) and misses x / (x - 1). Below x = 1 the cost is NaN, which
    # used to make the relative difference 0 and the check pass.
    x = Value(1.0 + 1e-7, label="x")
    report = gradcheck(lambda x: x * Value(np.log(x.data - 1.0)), [x])
    assert not report
    (check,) = report.inputs
    assert not check.ok and check.difference == math.inf
    assert check.reason == (
        "J is nan at x - eps (eps=1e-06): the cost is not finite next to the point, so no "
        "difference can be taken there"
    )
    assert check.analytic == pytest.approx(math.log(1e-7))  # the cut path's gradient, by hand
    assert "FAIL x: relative difference inf" in str(report)
    assert check.reason in str(report)


def test_infinite_cost_on_both_sides_fails_for_a_tensor_and_counts_the_entries():
    # J = Σ exp(10¹² (W - 1)²): finite (= 2) at W = 1, inf at W ± 1e-3 on both sides, so
    # the difference inf - inf is NaN for every entry.
    W = Tensor(np.array([1.0, 1.0]), requires_grad=True, label="W")
    report = gradcheck(lambda W: (((W - 1.0) ** 2) * 1e12).exp().sum(), [W], eps=1e-3)
    (check,) = report.inputs
    assert not check.ok
    assert check.reason == (
        "J is inf at W[0] + eps (eps=0.001) and 1 more entries: the cost is not finite next "
        "to the point, so no difference can be taken there"
    )
    assert check.analytic.tolist() == [0.0, 0.0]
    assert np.isnan(check.numeric).all()


def test_a_right_gradient_next_to_a_domain_edge_still_fails_and_names_the_entry():
    # d/dW Σ log W = 1/W is right, but W[1] - eps < 0: no central difference exists there.
    W = Tensor(np.array([2.0, 1e-7]), requires_grad=True, label="W")
    report = gradcheck(lambda W: W.log().sum(), [W])
    (check,) = report.inputs
    assert not check.ok
    assert check.reason.startswith("J is nan at W[1] - eps (eps=1e-06):")
    assert check.analytic.tolist() == [0.5, 1e7]
    # The entry that could not be compared is listed first, before any finite one.
    assert check.worst[0][0] == (1,)


def test_a_nan_in_autograds_gradient_fails_even_when_the_differences_are_fine():
    # J = Σ sqrt(W²) = Σ |W|: at W = 0 the chain rule gives (1 / (2·0)) · 2·0 = inf · 0 = NaN
    # (PyTorch gives the same NaN), while (|ε| - |-ε|) / 2ε = 0.
    W = Tensor(np.array([0.0, 2.0]), requires_grad=True, label="W")
    with np.errstate(divide="ignore", invalid="ignore"):
        report = gradcheck(lambda W: ((W * W) ** 0.5).sum(), [W])
    (check,) = report.inputs
    assert not check.ok
    assert check.reason == "autograd's gradient is nan at W[0]"
    assert check.numeric.tolist() == [0.0, pytest.approx(1.0)]


@pytest.mark.parametrize("make", [lambda: Value(1.0, label="x"),
                                  lambda: Tensor([1.0, 2.0], requires_grad=True, label="x")])
@pytest.mark.parametrize(
    "eps, error, message",
    [
        (0, ValueError, "gradcheck: eps = 0.0 must be a finite number > 0: the step ε of "
                        "J(θ ± ε); e.g. eps=1e-6"),
        (float("nan"), ValueError, "gradcheck: eps = nan must be a finite number > 0"),
        (float("inf"), ValueError, "gradcheck: eps = inf must be a finite number > 0"),
        (-1e-6, ValueError, "gradcheck: eps = -1e-06 must be a finite number > 0"),
        (True, TypeError, "gradcheck: eps must be a number, got True"),
        ("1e-6", TypeError, "gradcheck: eps must be a number, got '1e-6'"),
        (1e-300, ValueError, "gradcheck: eps=1e-300 is too small to move x"),
    ],
)
def test_eps_must_be_a_finite_positive_step_that_moves_the_input(make, eps, error, message):
    x = make()
    with pytest.raises(error) as info:
        gradcheck(lambda x: (x * x * 1e300).sum() if isinstance(x, Tensor) else x * x, [x],
                  eps=eps)
    assert str(info.value).startswith(message)
    assert graph_data_is(x, 1.0)  # nothing was left perturbed


def graph_data_is(x, first):
    return float(np.asarray(x.data).reshape(-1)[0]) == first


def test_eps_too_small_names_the_entry_and_its_value():
    W = Tensor(np.array([[1.0, 2.0], [1e6, 4.0]]), requires_grad=True, label="W")
    with pytest.raises(ValueError) as info:
        gradcheck(lambda W: W.sum(), [W], eps=1e-12)
    assert str(info.value) == (
        "gradcheck: eps=1e-12 is too small to move W[1, 0] = 1e+06 (float64 keeps about 16 "
        "significant digits); use a larger eps, about 1e-6 times the entry's size"
    )
    assert W.data.tolist() == [[1.0, 2.0], [1e6, 4.0]]


def test_eps_that_moves_an_entry_past_the_largest_float_is_refused():
    x = Value(1e308, label="x")
    with pytest.raises(ValueError) as info:
        gradcheck(lambda x: x * 1e-300, [x], eps=1e308)
    assert str(info.value) == (
        "gradcheck: eps=1e+308 moves x = 1e+308 beyond the largest float; use a small eps, "
        "e.g. 1e-6"
    )
    assert x.data == 1e308


@pytest.mark.parametrize("name", ["tol", "atol"])
@pytest.mark.parametrize("bad", [float("nan"), -1.0, float("inf")])
def test_tolerances_must_be_finite_and_not_negative(name, bad):
    with pytest.raises(ValueError, match=rf"^gradcheck: {name} = {bad!r} must be a finite "
                                         r"number >= 0"):
        gradcheck(lambda x: x * x, [Value(1.0)], **{name: bad})


def test_a_cost_that_is_not_finite_at_the_point_itself_is_refused():
    with pytest.raises(ValueError) as info:
        gradcheck(lambda W: (W * np.inf).sum(), [Tensor([1.0], requires_grad=True)])
    assert str(info.value) == (
        "gradcheck: J = f(inputs) is inf at the given inputs, so there is no gradient to "
        "check; find what makes the cost not finite (log(0) in a cross-entropy? an overflow "
        "from large weights?)"
    )


def test_the_difference_is_taken_over_the_step_float64_took():
    # J = 2x at x = 2**40: float64's spacing there is 2**-12 ≈ 2.4e-4, so x ± 1.5e-4 lands
    # on x ± 2**-12 (and 2x on 2x ± 2**-11, exactly); over 2·1.5e-4 the slope would
    # read 3.26, over the step taken it is 2.
    x = Value(2.0**40, label="x")
    report = gradcheck(lambda x: 2 * x, [x], eps=1.5e-4)
    assert report, report
    assert report.inputs[0].numeric == 2.0


def test_right_gradients_still_pass_against_the_hand_derived_formula():
    # d/dW Σ W³·v = 3W²·v and d/dv = Σ W³, for Tensor inputs, and the same for Values.
    W = Tensor(np.array([[0.5, -1.0], [2.0, 0.25]]), requires_grad=True, label="W")
    v = Tensor(0.7, requires_grad=True, label="v")
    report = gradcheck(lambda W, v: (W ** 3).sum() * v, [W, v])
    assert report, report
    np.testing.assert_allclose(report.inputs[0].analytic, 3 * W.data**2 * 0.7, rtol=1e-15)
    assert report.inputs[1].analytic == pytest.approx((W.data**3).sum(), rel=1e-15)
    a, b = Value(0.5, label="a"), Value(0.7, label="b")
    report = gradcheck(lambda a, b: a ** 3 * b, [a, b])
    assert report, report
    assert [c.analytic for c in report.inputs] == [pytest.approx(3 * 0.25 * 0.7, rel=1e-15),
                                                   pytest.approx(0.125, rel=1e-15)]


def test_a_huge_or_hostile_label_stays_bounded_in_the_report():
    x = Value(1.0, label="x" * 100_000 + "\x1b[2J")
    report = gradcheck(lambda x: Value(x.data) * x, [x])  # cut path: autograd 1, numeric 2
    text = str(report)
    assert not report and len(text) < 400, len(text)
    assert "\x1b" not in text and "100004 characters" in text
