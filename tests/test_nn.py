"""The course's models on the Tensor engine, held to reference.py and the course's numbers."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls import graph
from micrograd_dls import reference as R
from micrograd_dls.data import planar_flower
from micrograd_dls.gradcheck import gradcheck
from micrograd_dls.nn import MLP, Linear, LogisticRegression
from micrograd_dls.nn import init as nn_init
from micrograd_dls.nn.scalar import MLP as ScalarMLP
from micrograd_dls.nn.scalar import as_values
from micrograd_dls.tensor import Tensor

ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]


def rel(a, b):
    return np.linalg.norm(a - b) / max(np.linalg.norm(a) + np.linalg.norm(b), 1e-300)


def random_problem(dims, m, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return X, Y, rng


# --- gradients equal the course's hand-derived backward pass ---------------------


@settings(max_examples=30, deadline=None)
@given(
    dims=st.lists(st.integers(1, 5), min_size=2, max_size=4).map(lambda d: d + [1]),
    m=st.integers(1, 6),
    hidden=st.sampled_from(ACTS),
    seed=st.integers(0, 2**16),
)
def test_mlp_gradients_equal_L_model_backward(dims, m, hidden, seed):
    X, Y, rng = random_problem(dims, m, seed)
    model = MLP(dims, hidden, "sigmoid", init="xavier", seed=seed)
    params = model.state_dict()
    for k in params:  # non-zero biases, so db and the bias paths are exercised
        if k.startswith("b"):
            params[k] = 0.5 * rng.standard_normal(params[k].shape)
    model.load_state_dict(params)

    model.zero_grad()
    model.cost(X, Y).backward()
    AL, caches = R.L_model_forward(X, params, hidden)
    grads = R.L_model_backward(AL, Y, caches, hidden)
    for l, layer in enumerate(model.layers, 1):
        assert rel(layer.W.grad, grads[f"dW{l}"]) < 1e-10, f"dW{l}"
        assert rel(layer.b.grad, grads[f"db{l}"]) < 1e-10, f"db{l}"


@settings(max_examples=20, deadline=None)
@given(n_x=st.integers(1, 6), m=st.integers(1, 8), seed=st.integers(0, 2**16))
def test_logistic_regression_gradients_equal_propagate(n_x, m, seed):
    X, Y, rng = random_problem([n_x, 1], m, seed)
    model = LogisticRegression(n_x)
    w, b = rng.standard_normal((n_x, 1)), float(rng.standard_normal())
    model.load_state_dict({"W1": w.T, "b1": [[b]]})
    model.zero_grad()
    J = model.cost(X, Y)
    J.backward()
    expected, cost = R.propagate(w, b, X, Y)
    assert float(J.data) == pytest.approx(cost, rel=1e-12)
    assert rel(model.layers[0].W.grad.T, expected["dw"]) < 1e-10
    assert model.layers[0].b.grad[0, 0] == pytest.approx(expected["db"], rel=1e-10, abs=1e-15)


@pytest.mark.parametrize(
    "hidden, output", [("tanh", "linear"), ("relu", "tanh"), ("leaky_relu", "sigmoid")]
)
def test_mlp_cost_passes_gradcheck(hidden, output):
    X, Y, _ = random_problem([3, 4, 2], 5, 0)
    loss = "bce" if output == "sigmoid" else "mse"
    Y = np.vstack([Y, 1 - Y]) if loss == "bce" else np.random.default_rng(1).standard_normal((2, 5))
    model = MLP([3, 4, 2], hidden, output, init="he", seed=3, loss=loss)
    report = gradcheck(lambda *_: model.cost(X, Y), model.parameters())
    assert report.ok, report


# --- the course's starting point and first iterations, digit for digit ---------------


def test_shallow_model_starts_from_the_planar_notebooks_matrices_and_follows_its_costs():
    X, Y = planar_flower()
    model = MLP([2, 4, 1], "tanh", init="small", seed=2)
    start = R.initialize_parameters(2, 4, 1, seed=2)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, start[k])
    ours = model.fit(X, Y, learning_rate=1.2, num_iterations=30, print_every=1)
    _, theirs = R.L_layer_model(X, Y, start, 1.2, 30, print_every=1, hidden_activation="tanh")
    np.testing.assert_allclose(ours.costs, theirs, rtol=1e-12)


def test_deep_model_starts_from_the_deep_cat_models_matrices_and_follows_its_costs():
    dims = [12288, 20, 7, 5, 1]
    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(dims[0], 209)) / 255.0  # pictures of the course's shape
    Y = (rng.random((1, 209)) > 0.65).astype(float)
    model = MLP(dims, "relu", "sigmoid", init="deep", seed=1)
    start = R.initialize_parameters_deep(dims, seed=1)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, start[k])
    ours = model.fit(X, Y, learning_rate=0.0075, num_iterations=8, print_every=1)
    _, theirs = R.L_layer_model(X, Y, start, 0.0075, 8, print_every=1)
    np.testing.assert_allclose(ours.costs, theirs, rtol=1e-11)


@pytest.fixture(scope="module")
def flower_models():
    """The planar notebook's run: n_h = 4, tanh, α = 1.2, 10,000 iterations, seed 2;
    and logistic regression on the same flower. Trained once for the whole module."""
    X, Y = planar_flower()
    shallow = MLP([2, 4, 1], "tanh", init="small", seed=2)
    history = shallow.fit(X, Y, learning_rate=1.2, num_iterations=10000, print_every=1000)
    logistic = LogisticRegression(2)
    logistic.fit(X, Y, learning_rate=1.2, num_iterations=1000)
    return X, Y, shallow, history, logistic


def test_planar_shallow_network_prints_the_notebooks_costs(flower_models):
    _, _, _, history, _ = flower_models
    assert history.iterations == list(range(0, 10000, 1000))  # the course's list of costs
    assert f"{history[0]:.6f}" == "0.693048"
    assert f"{history[1]:.6f}" == "0.288083"


def test_hidden_layer_reaches_90_percent_where_logistic_regression_stays_near_chance(
    flower_models,
):
    X, Y, shallow, _, logistic = flower_models
    assert shallow.accuracy(X, Y) >= 0.90
    assert 0.40 <= logistic.accuracy(X, Y) <= 0.60


# --- why random initialisation, why non-linear activations ----------------------------


@pytest.mark.parametrize("hidden", ["tanh", "sigmoid"])
def test_zero_initialisation_keeps_every_hidden_unit_identical(hidden):
    X, Y, _ = random_problem([3, 4, 1], 30, 5)
    model = MLP([3, 4, 1], hidden, init="zeros")
    model.fit(X, Y, learning_rate=0.5, num_iterations=200)
    W1, b1 = model.layers[0].W.data, model.layers[0].b.data
    W2 = model.layers[1].W.data
    assert np.all(W1 == W1[:1]) and np.all(b1 == b1[0]) and np.all(W2 == W2[0, 0])
    random = MLP([3, 4, 1], hidden, init="small", seed=0)
    random.fit(X, Y, learning_rate=0.5, num_iterations=200)
    W1 = random.layers[0].W.data
    assert not np.allclose(W1, W1[:1])


def test_linear_hidden_activations_collapse_to_one_affine_layer():
    X, _, _ = random_problem([2, 5, 3, 1], 7, 2)
    model = MLP([2, 5, 3, 1], "linear", init="he", seed=4)
    p = model.state_dict()
    for k in ("b1", "b2", "b3"):
        p[k] = np.random.default_rng(0).standard_normal(p[k].shape)
    model.load_state_dict(p)
    one = Linear(2, 1)
    one.W.data[...] = p["W3"] @ p["W2"] @ p["W1"]
    one.b.data[...] = p["W3"] @ (p["W2"] @ p["b1"] + p["b2"]) + p["b3"]
    np.testing.assert_allclose(model.logits(X).data, one(X).data, rtol=1e-12)


def test_a_linear_hidden_network_cannot_beat_logistic_regression_on_the_flower(flower_models):
    X, Y, _, _, logistic = flower_models
    deep_linear = MLP([2, 4, 4, 1], "linear", init="small", seed=2)
    deep_linear.fit(X, Y, learning_rate=0.5, num_iterations=1000)
    assert deep_linear.accuracy(X, Y) <= logistic.accuracy(X, Y) + 0.02


def test_regression_with_a_linear_output_recovers_slope_and_intercept():
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, size=(1, 200))
    y = 3.0 * x - 2.0 + 0.1 * rng.standard_normal((1, 200))
    model = MLP([1, 1], output_activation="linear", seed=0)
    assert model.loss == "mse"
    model.fit(x, y, learning_rate=0.1, num_iterations=500)
    slope, intercept = np.polyfit(x[0], y[0], 1)  # least squares, the oracle
    assert model.layers[0].W.data[0, 0] == pytest.approx(slope, abs=1e-6)
    assert model.layers[0].b.data[0, 0] == pytest.approx(intercept, abs=1e-6)
    assert slope == pytest.approx(3.0, abs=0.05) and intercept == pytest.approx(-2.0, abs=0.05)
    np.testing.assert_allclose(model.predict(x), model.predict_proba(x))


# --- evaluation, labels, the scalar twin ---------------------------------------------------


def test_predict_thresholds_predict_proba_at_one_half():
    X, Y, _ = random_problem([3, 4, 1], 50, 1)
    model = MLP([3, 4, 1], "tanh", seed=0)
    A = model.predict_proba(X)
    np.testing.assert_array_equal(model.predict(X), (A > 0.5).astype(float))
    assert model.accuracy(X, Y) == pytest.approx(np.mean((A > 0.5) == Y))


def test_evaluation_records_no_graph():
    X, _, _ = random_problem([3, 2, 1], 4, 1)
    model = MLP([3, 2, 1], seed=0)
    model.predict(X)
    assert all(p.grad is None for p in model.parameters())


def test_the_cost_graph_is_labelled_as_the_course_writes_it():
    X, Y, _ = random_problem([3, 4, 2, 1], 5, 0)
    model = MLP([3, 4, 2, 1], "relu", seed=0)
    J = model.cost(Tensor(X, label="X"), Tensor(Y, label="Y"))
    labels = [graph.label(n) for n in graph.topological_order(J)]
    for name in ["X", "Y", "W[1]", "b[1]", "Z[1]", "A[1]", "W[2]", "Z[2]", "A[2]", "W[3]",
                 "b[3]", "Z[3]", "J"]:
        assert name in labels, name
    assert labels[-1] == "J"
    assert "A[3]" not in labels  # the cost is taken from the logits Z[3]
    assert model.forward(X).label == "A[3]"


def test_tensor_and_scalar_networks_with_the_same_seed_agree():
    X, _, _ = random_problem([3, 4, 1], 4, 0)
    tensor_net = MLP([3, 4, 1], "tanh", init="xavier", seed=6)
    scalar_net = ScalarMLP([3, 4, 1], "tanh", init="xavier", seed=6)
    A = tensor_net.predict_proba(X)
    for i, x in enumerate(as_values(X)):
        assert scalar_net(x).data == pytest.approx(A[0, i], rel=1e-12)


def test_logistic_regression_starts_at_zero_and_exposes_the_course_w_and_b():
    model = LogisticRegression(3)
    assert model.w.shape == (3, 1) and not model.w.any() and model.b == 0.0
    X, Y, _ = random_problem([3, 1], 6, 0)
    assert float(model.cost(X, Y).data) == pytest.approx(np.log(2))


def test_init_schemes_reach_the_layers():
    model = MLP([4, 3, 1], init="he", seed=8)
    expected = nn_init.initialize([4, 3, 1], "he", seed=8)
    for k, v in model.state_dict().items():
        np.testing.assert_array_equal(v, expected[k])
