"""reference.py against the course's published outputs and central differences."""

import numpy as np
import pytest

from micrograd_dls import reference as R
from micrograd_dls.data import planar_flower

ACTS = list(R.ACTIVATIONS)


def numeric_grad(f, x, eps=1e-6):
    """Central differences of the scalar f() in every entry of the array x (perturbed in place)."""
    g = np.zeros_like(x)
    flat, gf = x.reshape(-1), g.reshape(-1)
    for k in range(flat.size):
        old = flat[k]
        flat[k] = old + eps
        plus = f()
        flat[k] = old - eps
        minus = f()
        flat[k] = old
        gf[k] = (plus - minus) / (2 * eps)
    return g


def rel(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def test_propagate_reproduces_the_week2_published_numbers():
    w, b = np.array([[1.0], [2.0]]), 2.0
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
    Y = np.array([[1, 0, 1]])
    grads, cost = R.propagate(w, b, X, Y)
    np.testing.assert_allclose(grads["dw"], [[0.99845601], [2.39507239]], rtol=1e-8)
    assert grads["db"] == pytest.approx(0.00145557813678, rel=1e-9)
    assert cost == pytest.approx(5.801545319394553, rel=1e-12)


def test_propagate_gradients_match_central_differences():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((3, 7))
    Y = (rng.random((1, 7)) > 0.5).astype(float)
    w, b = rng.standard_normal((3, 1)), 0.3
    grads, _ = R.propagate(w, b, X, Y)
    assert rel(grads["dw"], numeric_grad(lambda: R.propagate(w, b, X, Y)[1], w)) < 1e-8
    db = (R.propagate(w, b + 1e-6, X, Y)[1] - R.propagate(w, b - 1e-6, X, Y)[1]) / 2e-6
    assert grads["db"] == pytest.approx(db, rel=1e-6)


def test_optimize_lowers_the_cost_and_logistic_predict_thresholds_at_half():
    w, b = R.initialize_with_zeros(2)
    X = np.array([[1.0, 2.0, -1.0], [3.0, 4.0, -3.2]])
    Y = np.array([[1.0, 0.0, 1.0]])
    params, _, costs = R.optimize(w, b, X, Y, num_iterations=201, learning_rate=0.1)
    assert costs[0] == pytest.approx(np.log(2)) and costs[-1] < costs[0]
    assert len(costs) == 3
    A = R.sigmoid(params["w"].T @ X + params["b"])[0]
    np.testing.assert_array_equal(R.logistic_predict(params["w"], params["b"], X), A > 0.5)


def test_initialize_parameters_reproduces_the_course_seed_1_matrices():
    p = R.initialize_parameters(3, 2, 1, seed=1)
    np.testing.assert_allclose(
        p["W1"], [[0.01624345, -0.00611756, -0.00528172], [-0.01072969, 0.00865408, -0.02301539]],
        atol=5e-9,
    )
    np.testing.assert_allclose(p["W2"], [[0.01744812, -0.00761207]], atol=5e-9)
    assert not p["b1"].any() and p["b1"].shape == (2, 1) and p["b2"].shape == (1, 1)


def test_initialize_parameters_deep_divides_by_sqrt_of_fan_in():
    p = R.initialize_parameters_deep([5, 4, 3], seed=3)
    np.random.seed(3)
    W1 = np.random.randn(4, 5)
    W2 = np.random.randn(3, 4)
    np.testing.assert_array_equal(p["W1"], W1 / np.sqrt(5))
    np.testing.assert_array_equal(p["W2"], W2 / np.sqrt(4))
    assert p["b2"].shape == (3, 1)


def test_linear_forward_and_activation_forward_reproduce_the_published_outputs():
    np.random.seed(1)
    A, W, b = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    np.testing.assert_allclose(R.linear_forward(A, W, b)[0], [[3.26295337, -1.23429987]], atol=5e-9)
    np.random.seed(2)
    A, W, b = np.random.randn(3, 2), np.random.randn(1, 3), np.random.randn(1, 1)
    sig = R.linear_activation_forward(A, W, b, "sigmoid")[0]
    relu = R.linear_activation_forward(A, W, b, "relu")[0]
    np.testing.assert_allclose(sig, [[0.96890023, 0.11013289]], atol=5e-9)
    np.testing.assert_allclose(relu, [[3.43896131, 0.0]], atol=5e-9)


@pytest.mark.parametrize("activation", ACTS)
def test_activation_backward_is_dA_times_the_numeric_derivative(activation):
    g, backward = R.ACTIVATIONS[activation]
    Z = np.array([[-2.0, -0.3, 0.4, 1.7]])
    dA = np.array([[0.5, -1.0, 2.0, 0.25]])
    eps = 1e-6
    numeric = (g(Z + eps)[0] - g(Z - eps)[0]) / (2 * eps)
    np.testing.assert_allclose(backward(dA, Z), dA * numeric, rtol=1e-7, atol=1e-10)


def test_relu_backward_is_zero_at_zero_as_in_the_course():
    dZ = R.relu_backward(np.ones((1, 3)), np.array([[-1.0, 0.0, 1.0]]))
    np.testing.assert_array_equal(dZ, [[0.0, 0.0, 1.0]])


@pytest.mark.parametrize("hidden", ACTS)
def test_L_model_backward_matches_central_differences_of_compute_cost(hidden):
    rng = np.random.default_rng(1)
    dims = [3, 4, 2, 1]
    X = rng.standard_normal((3, 5))
    Y = np.array([[1.0, 0.0, 0.0, 1.0, 1.0]])
    params = {}
    for l in range(1, len(dims)):
        params[f"W{l}"] = rng.standard_normal((dims[l], dims[l - 1]))
        params[f"b{l}"] = rng.standard_normal((dims[l], 1))
    AL, caches = R.L_model_forward(X, params, hidden)
    grads = R.L_model_backward(AL, Y, caches, hidden)

    def J():
        return R.compute_cost(R.L_model_forward(X, params, hidden)[0], Y)

    for name, value in params.items():
        assert rel(grads["d" + name], numeric_grad(J, value)) < 1e-7, name
    # The course's dA[l] carries no 1/m (it is the per-example loss's gradient,
    # the 1/m enters at dW and db): dA[0] = m · dJ/dX.
    assert rel(grads["dA0"] / X.shape[1], numeric_grad(J, X)) < 1e-7


def test_update_parameters_steps_against_the_gradient_and_leaves_its_input_alone():
    params = {"W1": np.ones((2, 2)), "b1": np.zeros((2, 1))}
    grads = {"dW1": np.full((2, 2), 2.0), "db1": np.ones((2, 1))}
    new = R.update_parameters(params, grads, 0.5)
    np.testing.assert_array_equal(new["W1"], np.zeros((2, 2)))
    np.testing.assert_array_equal(new["b1"], -0.5 * np.ones((2, 1)))
    np.testing.assert_array_equal(params["W1"], np.ones((2, 2)))


def test_planar_notebook_costs_0_693048_then_0_288083():
    X, Y = planar_flower()
    params = R.initialize_parameters(2, 4, 1, seed=2)
    _, costs = R.L_layer_model(
        X, Y, params, learning_rate=1.2, num_iterations=1001, print_every=1000,
        hidden_activation="tanh",
    )
    assert [f"{c:.6f}" for c in costs] == ["0.693048", "0.288083"]


def test_L_layer_model_records_costs_as_the_course_does(capsys):
    # The course appends at i % 100 == 0 only (its `i == num_iterations` never
    # holds) and prints the last iteration too: 250 iterations -> 3 costs, 4 lines.
    X, Y = planar_flower(40)
    params = R.initialize_parameters(2, 3, 1, seed=2)
    _, costs = R.L_layer_model(
        X, Y, params, 0.5, 250, print_every=100, hidden_activation="tanh", print_cost=True
    )
    lines = capsys.readouterr().out.splitlines()
    assert len(costs) == 3
    assert [line.split(":")[0] for line in lines] == [
        f"Cost after iteration {i}" for i in (0, 100, 200, 249)
    ]
    assert [float(line.split(": ")[1]) for line in lines[:3]] == pytest.approx(costs, rel=1e-6)


def test_unknown_activation_names_the_choices():
    with pytest.raises(ValueError, match="unknown activation 'softmax'.*relu"):
        R.linear_activation_forward(np.ones((1, 1)), np.ones((1, 1)), np.ones((1, 1)), "softmax")


# --- the planar network of week 3 ----------------------------------------------------------


def test_layer_sizes_takes_n_x_and_n_y_from_the_data_and_fixes_n_h_at_4():
    assert R.layer_sizes(np.zeros((5, 3)), np.zeros((2, 3))) == (5, 4, 2)


def test_planar_forward_propagation_of_one_unit_by_hand():
    """x = 2, w1 = 0.5, b1 = 0: z1 = 1, a1 = tanh 1; w2 = 2, b2 = -1: z2 = 2 tanh 1 - 1."""
    import math

    p = {"W1": np.array([[0.5]]), "b1": np.array([[0.0]]), "W2": np.array([[2.0]]),
         "b2": np.array([[-1.0]])}
    A2, cache = R.forward_propagation(np.array([[2.0]]), p)
    z2 = 2 * math.tanh(1) - 1
    assert cache["Z1"][0, 0] == 1.0 and cache["A1"][0, 0] == pytest.approx(math.tanh(1), 1e-15)
    assert cache["Z2"][0, 0] == pytest.approx(z2, rel=1e-15)
    assert A2[0, 0] == pytest.approx(1 / (1 + math.exp(-z2)), rel=1e-15)
    assert cache["A2"] is A2


def test_planar_backward_propagation_takes_A1_from_the_cache_even_when_it_is_not_tanh_Z1():
    """The grader's kind of cache, by hand (m = 1): dZ2 = 0.25 - 1 = -0.75, dW2 = -0.75 · 0.5,
    dZ1 = 3 · -0.75 · (1 - 0.5²) = -1.6875, dW1 = -1.6875 · 2."""
    p = {"W1": np.array([[7.0]]), "b1": np.array([[0.0]]), "W2": np.array([[3.0]]),
         "b2": np.array([[0.0]])}
    cache = {"Z1": np.array([[9.0]]), "A1": np.array([[0.5]]), "Z2": np.array([[0.0]]),
             "A2": np.array([[0.25]])}
    grads = R.backward_propagation(p, cache, np.array([[2.0]]), np.array([[1.0]]))
    assert {k: float(v[0, 0]) for k, v in grads.items()} == {
        "dW1": -3.375, "db1": -1.6875, "dW2": -0.375, "db2": -0.75}
    assert all(v.shape == (1, 1) for v in grads.values())


def test_planar_backward_propagation_matches_central_differences_of_the_cost():
    rng = np.random.default_rng(3)
    X = rng.standard_normal((3, 6))
    Y = (rng.random((1, 6)) > 0.5).astype(float)
    p = {"W1": rng.standard_normal((4, 3)), "b1": rng.standard_normal((4, 1)),
         "W2": rng.standard_normal((1, 4)), "b2": rng.standard_normal((1, 1))}
    grads = R.backward_propagation(p, R.forward_propagation(X, p)[1], X, Y)

    def cost():
        A2 = R.forward_propagation(X, p)[0]
        return -np.sum(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)) / X.shape[1]

    for name in p:
        assert rel(grads["d" + name], numeric_grad(cost, p[name])) < 1e-8, name
