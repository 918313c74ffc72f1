"""The course's assignment code, exactly as its notebook templates ship it, through
``check_gradients`` unchanged: correct code "works", each planted mistake gets its hint.

The learner-style solutions are in tests/course_solutions.py. The oracle is central
differences computed here in plain numpy on the learner's own forward function, called
with numpy parameters (the template lines run as the course runs them).
"""

import numpy as np
import pytest
from course_solutions import (
    L_model_backward,
    L_model_forward,
    backward_propagation,
    compute_cost_deep,
    compute_cost_deep_multiply,
    compute_cost_newer,
    compute_cost_older,
    forward_propagation,
    forward_propagation_get,
    initialize_parameters_deep,
    propagate_newer,
    propagate_older,
)

from micrograd_dls.testing import check_gradients


def central_differences(J, parameters, eps=1e-6):
    """dθ[i] ≈ (J(θ + ε eᵢ) - J(θ - ε eᵢ)) / (2ε), entry by entry, in plain numpy."""
    out = {}
    for name, value in parameters.items():
        value = np.asarray(value, dtype=float)
        d = np.zeros(value.shape)
        for i in np.ndindex(value.shape):
            shifted = {}
            for sign in (1, -1):
                v = value.copy()
                v[i] += sign * eps
                shifted[sign] = float(J(dict(parameters, **{name: v})))
            d[i] = (shifted[1] - shifted[-1]) / (2 * eps)
        out["d" + name] = d
    return out


def one_sided(J, parameters, side, eps=1e-7):
    """The left (side=-1) or right (side=+1) difference quotient of J, entry by entry."""
    out = {}
    J0 = float(J(parameters))
    for name, value in parameters.items():
        value = np.asarray(value, dtype=float)
        d = np.zeros(value.shape)
        for i in np.ndindex(value.shape):
            v = value.copy()
            v[i] += side * eps
            d[i] = side * (float(J(dict(parameters, **{name: v}))) - J0) / eps
        out["d" + name] = d
    return out


def difference(g, n):
    g = np.concatenate([np.ravel(g[k]) for k in sorted(n)])
    n = np.concatenate([np.ravel(n[k]) for k in sorted(n)])
    return np.linalg.norm(g - n) / (np.linalg.norm(g) + np.linalg.norm(n))


# --- week 2 --------------------------------------------------------------------------------


@pytest.mark.parametrize("propagate, labels", [
    (propagate_older, np.int64), (propagate_newer, np.uint8),
])
def test_week2_propagate_with_a_number_b_works_as_the_template_ships_it(propagate, labels):
    rng = np.random.default_rng(20)
    X = rng.standard_normal((3, 9))
    Y = (rng.random((1, 9)) > 0.5).astype(labels)
    parameters = {"w": rng.standard_normal((3, 1)) * 0.3, "b": 0.25}  # b a Python number

    def forward(X, Y, parameters):
        grads, cost = propagate(parameters["w"], parameters["b"], X, Y)
        return cost

    def backward(X, Y, parameters):
        grads, cost = propagate(parameters["w"], parameters["b"], X, Y)
        return grads

    oracle = central_differences(lambda p: forward(X, Y, p), parameters)
    assert difference(backward(X, Y, parameters), oracle) < 1e-8
    report = check_gradients(forward, backward, parameters, X, Y)
    assert str(report).startswith("Your backward propagation works perfectly fine!")
    assert report.cost.item() == pytest.approx(float(forward(X, Y, parameters)), rel=1e-12)


# --- week 3 --------------------------------------------------------------------------------


def planar(n_x=2, n_h=4, m=7, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(int)
    parameters = {"W1": rng.standard_normal((n_h, n_x)) * 0.5, "b1": np.zeros((n_h, 1)),
                  "W2": rng.standard_normal((1, n_h)) * 0.5, "b2": np.zeros((1, 1))}
    return X, Y, parameters


WEEK3 = {
    "older": lambda X, Y, p: compute_cost_older(forward_propagation(X, p)[0], Y, p),
    "newer": lambda X, Y, p: compute_cost_newer(forward_propagation(X, p)[0], Y),
    "get and @": lambda X, Y, p: compute_cost_newer(forward_propagation_get(X, p)[0], Y),
}


def week3_backward(mistake=None):
    def grads(X, Y, parameters):
        A2, cache = forward_propagation(X, parameters)
        return backward_propagation(parameters, cache, X, Y, mistake)
    return grads


@pytest.mark.parametrize("version", sorted(WEEK3))
def test_week3_forward_cost_and_backward_work_as_the_templates_ship_them(version):
    X, Y, parameters = planar()
    cost = WEEK3[version]
    oracle = central_differences(lambda p: cost(X, Y, p), parameters)
    assert difference(week3_backward()(X, Y, parameters), oracle) < 1e-8
    report = check_gradients(lambda X, Y, p: cost(X, Y, p), week3_backward(), parameters, X, Y)
    assert report.ok and report.difference < 1e-12, str(report)


@pytest.mark.parametrize("mistake, failing, hint", [
    ("missing 1/m", {"W1"}, "yours is 7 times autograd's: a missing 1/m (m = 7)?"),
    ("twice tanh'", {"W1", "b1"}, "yours is 2 times autograd's: a missing or extra factor"),
])
def test_week3_a_factor_is_called_a_missing_1_over_m_only_when_it_is_m(mistake, failing, hint):
    X, Y, parameters = planar()
    grads = week3_backward(mistake)(X, Y, parameters)
    oracle = central_differences(lambda p: WEEK3["newer"](X, Y, p), parameters)
    assert difference(grads, oracle) > 1e-3  # the oracle sees the mistake too
    report = check_gradients(WEEK3["newer"], grads, parameters, X, Y)
    assert {c.name for c in report.checks if not c.ok} == failing
    assert all(c.hint == hint for c in report.checks if not c.ok), str(report)
    assert str(report).startswith("There is a mistake in the backward propagation!")


def test_week3_a_factor_of_two_with_two_examples_is_the_missing_1_over_m():
    X, Y, parameters = planar(m=2)
    report = check_gradients(WEEK3["newer"], week3_backward("missing 1/m"), parameters, X, Y)
    assert "yours is 2 times autograd's: a missing 1/m (m = 2)?" in str(report)


def test_week3_a_transposed_product_on_a_square_W1_is_named():
    X, Y, parameters = planar(n_x=3, n_h=3)
    grads = week3_backward("transposed")(X, Y, parameters)
    oracle = central_differences(lambda p: WEEK3["older"](X, Y, p), parameters)
    np.testing.assert_allclose(grads["dW1"], oracle["dW1"].T, rtol=1e-6)  # the mistake
    report = check_gradients(WEEK3["older"], grads, parameters, X, Y)
    (w1,) = [c for c in report.checks if not c.ok]
    assert w1.name == "W1" and w1.hint == (
        "yours is the transpose of autograd's: check the order of the product "
        "(dW = dZ·A_prevᵀ, not A_prev·dZᵀ)"
    )


def test_week3_a_gradient_for_a_parameter_that_does_not_exist_is_refused():
    X, Y, parameters = planar()
    with pytest.raises(AssertionError) as e:
        check_gradients(WEEK3["newer"], week3_backward("extra dW3"), parameters, X, Y)
    assert str(e.value) == (
        "grads has 'dW3', but there is no parameter 'W3': the parameters are W1, b1, W2, b2, "
        "so the gradients expected are dW1, db1, dW2, db2 (a network with fewer layers than "
        "your backward assumes, or a wrong 'dW' + str(l)?)"
    )


def test_week3_a_saturated_sigmoid_gives_a_cost_that_is_not_finite_explained():
    X, Y, parameters = planar()
    parameters["W2"] = np.full((1, 4), 400.0)  # A2 rounds to exactly 1 where Z2 > 37
    A2, _ = forward_propagation(X, parameters)
    saturated = [[0, j] for j in range(7) if A2[0, j] == 1.0]
    assert saturated and any(Y[0, j] == 0 for _, j in saturated)
    with np.errstate(all="ignore"):
        J = WEEK3["older"](X, Y, parameters)  # nan: 0 · log(0) where Y = 1
    with pytest.raises(ValueError) as e:
        check_gradients(WEEK3["older"], week3_backward(), parameters, X, Y)
    text = str(e.value)
    at = ", ".join(str(s) for s in saturated[:3])
    more = f" and {len(saturated) - 3} more" if len(saturated) > 3 else ""
    assert text == (
        f"J = {J} at the given parameters, so there is no gradient to check: in your "
        f"forward, 'log' gives -inf at entries {at}{more} of its result of shape (1, 7), "
        "where its input is 0 -- log(0): a prediction A reached exactly 0 or 1, a sigmoid "
        "saturated by large weights or a large learning rate (the course scales W by 0.01)"
    )


# --- week 4 --------------------------------------------------------------------------------


def deep(layer_dims, m=12, seed=1):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((layer_dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(np.uint8)  # uint8 labels, as the h5 files hold
    return X, Y, initialize_parameters_deep(layer_dims, seed)


def week4_forward(cost=compute_cost_deep, style="dot"):
    def forward(X, Y, parameters):
        AL, caches = L_model_forward(X, parameters, style)
        return cost(AL, Y), caches
    return forward


def week4_backward(mistake=None):
    def grads(X, Y, parameters):
        AL, caches = L_model_forward(X, parameters)
        return L_model_backward(AL, Y, caches, mistake)
    return grads


@pytest.mark.parametrize("layer_dims", [[5, 4, 3, 1], [4, 6, 1]])
@pytest.mark.parametrize("cost, style", [
    (compute_cost_deep, "dot"), (compute_cost_deep, "method"), (compute_cost_deep_multiply, "@"),
])
def test_week4_L_model_forward_and_backward_work_as_the_templates_ship_them(
        layer_dims, cost, style):
    X, Y, parameters = deep(layer_dims)
    forward = week4_forward(cost, style)
    grads = week4_backward()(X, Y, parameters)
    assert "dA0" in grads and "dA1" in grads  # the course's caches of dA stay accepted
    oracle = central_differences(lambda p: forward(X, Y, p)[0], parameters)
    assert difference(grads, oracle) < 1e-7
    report = check_gradients(forward, grads, parameters, X, Y)
    assert report.ok and report.difference < 1e-12, str(report)


def test_week4_a_missing_1_over_m_in_the_first_layer_is_named_with_the_datas_m():
    X, Y, parameters = deep([5, 4, 3, 1])
    report = check_gradients(week4_forward(), week4_backward("missing 1/m"), parameters, X, Y)
    (w1,) = [c for c in report.checks if not c.ok]
    assert w1.name == "W1" and w1.hint == "yours is 12 times autograd's: a missing 1/m (m = 12)?"


# --- relu at 0: the digits, where whole columns of A1 are 0 --------------------------------


@pytest.fixture(scope="module")
def digits():
    pytest.importorskip("sklearn")
    from micrograd_dls.data import load_digits_task

    train, _ = load_digits_task()
    X, Y = train.X, train.Y.astype(np.uint8)
    parameters = initialize_parameters_deep([64, 5, 3, 1], seed=2)
    AL, caches = L_model_forward(X, parameters)
    Z2 = caches[1][1]
    assert np.count_nonzero(Z2 == 0) == 78  # relu's kink, hit exactly at the first iteration
    return X, Y, parameters


def test_the_courses_own_L_model_backward_passes_on_the_digits_where_Z_is_exactly_0(digits):
    X, Y, parameters = digits
    grads = week4_backward()(X, Y, parameters)
    left = one_sided(lambda p: week4_forward()(X, Y, p)[0], parameters, side=-1)
    assert difference(grads, left) < 1e-5  # dZ[Z <= 0] = 0 is the left derivative at 0
    report = check_gradients(week4_forward(), grads, parameters, X, Y)
    assert report.ok and report.difference < 1e-12 and not report.note, str(report)


def test_a_relu_backward_with_Z_less_than_0_is_not_wrong_the_check_moves_off_the_kink(digits):
    X, Y, parameters = digits
    strict = week4_backward("relu'(0) = 1")
    right = one_sided(lambda p: week4_forward()(X, Y, p)[0], parameters, side=+1)
    assert difference(strict(X, Y, parameters), right) < 1e-5  # the right derivative at 0
    report = check_gradients(week4_forward(), strict, parameters, X, Y)
    assert str(report).startswith("Your backward propagation works perfectly fine!")
    assert report.note == (
        "78 entries of your forward sit exactly on a kink (78 in maximum) at the given "
        "parameters, where the derivative is not defined and yours and autograd's may "
        "rightly differ (relu'(0) is 0 with dZ[Z <= 0] = 0, 1 with dZ[Z < 0] = 0); checked "
        "again at a nearby point where none does (each parameter moved by about 1e-06)"
    )
    # given as a dict, the gradients cannot be recomputed elsewhere: the note says what to do
    fixed = check_gradients(week4_forward(), strict(X, Y, parameters), parameters, X, Y)
    assert not fixed.ok and fixed.note.endswith(
        "pass your backward as a function, grads(X, Y, parameters), so that the check can "
        "move to a nearby point where nothing sits on a kink")


def test_a_real_mistake_next_to_a_kink_is_still_caught_at_the_nearby_point(digits):
    X, Y, parameters = digits

    def both(X, Y, parameters):
        grads = week4_backward("relu'(0) = 1")(X, Y, parameters)
        grads["dW3"] = grads["dW3"] * X.shape[1]
        return grads

    report = check_gradients(week4_forward(), both, parameters, X, Y)
    assert not report.ok and "checked again at a nearby point" in report.note
    assert [c.name for c in report.checks if not c.ok] == ["W3"]
    assert report.checks[4].hint == "yours is 1348 times autograd's: a missing 1/m (m = 1348)?"
