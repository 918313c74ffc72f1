"""The way out to PyTorch: model.to_torch() and MLP.from_torch(module), held to torch itself.

torch is the oracle here: its Linear, activations, BCEWithLogits and autograd,
computed in float64, must give our predictions, costs and gradients. Skipped
when torch is not installed (it is an optional extra; CI installs its CPU build).
"""

import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls.nn import MLP, LogisticRegression

# float64 on both sides: the only differences are the order of a few roundings
# (torch's and numpy's matrix products sum in different orders), far below 1e-12.
TOL = 1e-12


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


def data(n_x=3, m=11, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((1, m)) > 0.5).astype(float)
    return X, Y


def torch_predict(torch, module, X):
    with torch.no_grad():
        return module(torch.from_numpy(X.T)).numpy().T


def test_to_torch_is_a_sequential_with_the_courses_weights_as_linear_weight(torch):
    model = MLP([3, 5, 4, 1], "tanh", seed=0)
    module = model.to_torch()
    kinds = [type(part).__name__ for part in module]
    assert kinds == ["Linear", "Tanh", "Linear", "Tanh", "Linear", "Sigmoid"]
    for layer, linear in zip(model.layers, module[::2]):
        # W[l] (n[l], n[l-1]) is Linear.weight's orientation: no transpose.
        assert tuple(linear.weight.shape) == layer.W.data.shape
        assert linear.weight.dtype == torch.float64
        np.testing.assert_array_equal(linear.weight.detach().numpy(), layer.W.data)
        np.testing.assert_array_equal(linear.bias.detach().numpy(), layer.b.data[:, 0])
    # A copy: training one leaves the other alone.
    model.layers[0].W.data[0, 0] += 1.0
    assert module[0].weight[0, 0].item() != model.layers[0].W.data[0, 0]


@pytest.mark.parametrize("hidden", ["sigmoid", "tanh", "relu", "leaky_relu", "linear"])
@pytest.mark.parametrize("output", ["sigmoid", "linear"])
def test_torch_predicts_what_we_predict(torch, hidden, output):
    model = MLP([3, 6, 5, 2], hidden, output, init="he", seed=1)
    X, _ = data()
    X *= 3  # reach leaky_relu's negative side and the sigmoid's tails
    np.testing.assert_allclose(torch_predict(torch, model.to_torch(), X),
                               model.predict_proba(X), rtol=0, atol=TOL)


def test_our_cost_and_gradients_are_torchs_bce_with_logits_and_autograd(torch):
    model = MLP([3, 5, 4, 1], "relu", seed=3, init="he")
    X, Y = data(m=17)
    J = model.cost(X, Y)
    J.backward()
    module = model.to_torch()
    logits = module[:-1](torch.from_numpy(X.T))  # Z[L], before the Sigmoid
    loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, torch.from_numpy(Y.T))
    loss.backward()
    assert abs(loss.item() - float(J.data)) < TOL
    for layer, linear in zip(model.layers, module[::2]):
        np.testing.assert_allclose(layer.W.grad, linear.weight.grad.numpy(), rtol=0, atol=TOL)
        np.testing.assert_allclose(layer.b.grad[:, 0], linear.bias.grad.numpy(), rtol=0,
                                   atol=TOL)


def test_one_course_step_is_one_torch_sgd_step(torch):
    model = MLP([2, 4, 1], "tanh", init="small", seed=2)
    module = model.to_torch()
    X, Y = data(n_x=2, m=40)
    model.fit(X, Y, learning_rate=1.2, num_iterations=1)
    sgd = torch.optim.SGD(module.parameters(), lr=1.2)
    loss = torch.nn.functional.binary_cross_entropy(
        module(torch.from_numpy(X.T)), torch.from_numpy(Y.T))
    loss.backward()
    sgd.step()
    for layer, linear in zip(model.layers, module[::2]):
        np.testing.assert_allclose(layer.W.data, linear.weight.detach().numpy(), rtol=0,
                                   atol=TOL)


def test_round_trip_keeps_every_weight_exactly(torch):
    model = MLP([4, 3, 3, 1], "leaky_relu", seed=5)
    back = MLP.from_torch(model.to_torch())
    assert back.layer_dims == [4, 3, 3, 1]
    assert (back.hidden_activation, back.output_activation, back.loss) == \
        ("leaky_relu", "sigmoid", "bce")
    for key, value in model.state_dict().items():
        np.testing.assert_array_equal(back.state_dict()[key], value, err_msg=key)


def test_a_network_built_in_torch_comes_in_with_its_weights(torch):
    torch.manual_seed(0)
    module = torch.nn.Sequential(torch.nn.Linear(2, 8), torch.nn.ReLU(),
                                 torch.nn.Linear(8, 8), torch.nn.ReLU(),
                                 torch.nn.Linear(8, 1), torch.nn.Sigmoid())  # float32
    model = MLP.from_torch(module)
    assert model.layer_dims == [2, 8, 8, 1] and model.hidden_activation == "relu"
    X, Y = data(n_x=2)
    # float32 weights widen to float64 exactly; torch's float64 copy is the oracle.
    np.testing.assert_allclose(model.predict_proba(X),
                               torch_predict(torch, module.double(), X), rtol=0, atol=TOL)
    trained = model.fit(X, Y, 0.1, 5)
    assert trained.steps == 5  # an ordinary model of ours: it trains


def test_logistic_regression_goes_both_ways(torch):
    model = LogisticRegression(3)
    model.layers[0].W.data[...] = [[0.5, -1.0, 2.0]]
    module = model.to_torch()
    assert [type(p).__name__ for p in module] == ["Linear", "Sigmoid"]
    back = LogisticRegression.from_torch(module)
    assert isinstance(back, LogisticRegression)
    np.testing.assert_array_equal(back.w, model.w)


def test_identity_and_a_last_linear_mean_the_linear_activation(torch):
    nn = torch.nn
    module = nn.Sequential(nn.Linear(2, 3), nn.Identity(), nn.Linear(3, 1)).double()
    model = MLP.from_torch(module)
    assert (model.hidden_activation, model.output_activation, model.loss) == \
        ("linear", "linear", "mse")
    X, _ = data(n_x=2)
    np.testing.assert_allclose(model.predict_proba(X), torch_predict(torch, module, X),
                               rtol=0, atol=TOL)
    assert [type(p).__name__ for p in model.to_torch()] == ["Linear", "Linear"]


@settings(max_examples=15, deadline=None)
@given(
    dims=st.lists(st.integers(1, 6), min_size=1, max_size=4),
    hidden=st.sampled_from(["sigmoid", "tanh", "relu", "leaky_relu", "linear"]),
    output=st.sampled_from(["sigmoid", "linear"]),
    seed=st.integers(0, 2**16),
)
def test_any_mlp_round_trips_and_predicts_the_same(dims, hidden, output, seed):
    torch = pytest.importorskip("torch")
    model = MLP([3] + dims, hidden, output, init="xavier", seed=seed)
    module = model.to_torch()
    back = MLP.from_torch(module)
    assert back.layer_dims == model.layer_dims
    X, _ = data(seed=seed)
    np.testing.assert_allclose(torch_predict(torch, module, X), model.predict_proba(X),
                               rtol=0, atol=TOL)
    np.testing.assert_array_equal(back.predict_proba(X), model.predict_proba(X))


@pytest.mark.parametrize("build, error, message", [
    (lambda nn: nn.Linear(2, 1), TypeError,
     r"takes a torch.nn.Sequential .* got Linear; rebuild the network as"),
    (lambda nn: nn.Sequential(), ValueError, "holds no Linear layer"),
    (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.Dropout(0.5), nn.Linear(3, 1)), ValueError,
     r"module 1 is Dropout\(p=0.5.*which the course's networks do not have; a Sequential"),
    (lambda nn: nn.Sequential(nn.Linear(2, 3, bias=False), nn.Sigmoid()), ValueError,
     r"module 0, .* has no bias; .* bias=True"),
    (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(4, 1)), ValueError,
     "module 2, .* takes 4 inputs but the layer before gives 3"),
    (lambda nn: nn.Sequential(nn.ReLU(), nn.Linear(2, 1)), ValueError,
     "module 0, ReLU\\(\\), comes before any Linear layer"),
    (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Tanh(), nn.Linear(3, 1)),
     ValueError, "module 2, Tanh\\(\\), follows another activation"),
    (lambda nn: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 3), nn.Tanh(),
                              nn.Linear(3, 1)), ValueError,
     "one hidden activation for every hidden layer, this Sequential has relu then tanh"),
    (lambda nn: nn.Sequential(nn.Linear(2, 1), nn.LeakyReLU(0.2)), ValueError,
     r"module 1 is LeakyReLU\(negative_slope=0.2\); our leaky_relu has negative_slope=0.01"),
    (lambda nn: nn.Sequential(nn.Linear(2, 1), nn.Softmax(dim=1)), ValueError,
     "Sigmoid, Tanh, ReLU, LeakyReLU or nothing"),
])
def test_what_the_course_has_no_layer_for_gets_a_clear_error(torch, build, error, message):
    with pytest.raises(error, match=message):
        MLP.from_torch(build(torch.nn))


def test_logistic_regression_refuses_a_deeper_network(torch):
    nn = torch.nn
    with pytest.raises(ValueError, match=r"logistic regression is Sequential\(Linear\(n_x, 1\), "
                                         r"Sigmoid\(\)\); use MLP.from_torch"):
        LogisticRegression.from_torch(nn.Sequential(nn.Linear(2, 3), nn.Tanh(),
                                                    nn.Linear(3, 1), nn.Sigmoid()))


def test_weights_that_are_not_finite_are_refused(torch):
    module = MLP([2, 1]).to_torch()
    with torch.no_grad():
        module[0].weight[0, 0] = float("nan")
    with pytest.raises(ValueError, match="W1 contains NaN or infinity"):
        MLP.from_torch(module)


def test_without_torch_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)
    hint = r'pip install torch \(in a clone of micrograd_dls: pip install -e "\.\[torch\]"\)'
    with pytest.raises(ModuleNotFoundError, match=hint):
        MLP([2, 1]).to_torch()
