"""Scalar networks on Value: micrograd's interface, the course's labels, gradcheck."""

import math

import numpy as np
import pytest

from micrograd_dls import graph
from micrograd_dls import reference as R
from micrograd_dls.gradcheck import gradcheck
from micrograd_dls.nn import init
from micrograd_dls.nn.scalar import MLP, Layer, Neuron, as_values, binary_cross_entropy
from micrograd_dls.value import Value

ACTS = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]


def test_a_neuron_computes_g_of_w_dot_x_plus_b():
    n = Neuron(2, "tanh", weights=[0.5, -1.5])
    n.b.data = 0.25
    a = n([2.0, 1.0])
    assert a.data == pytest.approx(np.tanh(0.5 * 2 - 1.5 + 0.25))
    assert len(n.parameters()) == 3


@pytest.mark.parametrize("hidden", ACTS)
def test_mlp_forward_equals_the_course_forward_with_the_same_weights(hidden):
    dims = [3, 4, 2, 1]
    net = MLP(dims, hidden, "sigmoid", init="he", seed=4)
    params = init.initialize(dims, "he", seed=4)
    X = np.random.default_rng(0).standard_normal((3, 5))
    AL = R.L_model_forward(X, params, hidden)[0]
    for i, x in enumerate(as_values(X)):
        assert net(x).data == pytest.approx(AL[0, i], rel=1e-12)


@pytest.mark.parametrize("hidden", ACTS)
def test_mlp_cost_gradients_pass_gradcheck_and_equal_L_model_backward(hidden):
    dims = [2, 3, 1]
    net = MLP(dims, hidden, "sigmoid", init="xavier", seed=1)
    rng = np.random.default_rng(2)
    X = rng.standard_normal((2, 4))
    Y = [1.0, 0.0, 1.0, 0.0]
    xs = as_values(X)
    for p in net.parameters():  # non-zero biases so every term is exercised
        if p.label.startswith("b"):
            p.data = float(rng.standard_normal())

    def J(*_):
        return binary_cross_entropy([net(x) for x in xs], Y)

    report = gradcheck(J, net.parameters(), tol=1e-7)
    assert report.ok, report

    params = {}
    for l, layer in enumerate(net.layers, 1):
        params[f"W{l}"] = np.array([[w.data for w in n.w] for n in layer.neurons])
        params[f"b{l}"] = np.array([[n.b.data] for n in layer.neurons])
    AL, caches = R.L_model_forward(X, params, hidden)
    grads = R.L_model_backward(AL, np.array([Y]), caches, hidden)
    for l, layer in enumerate(net.layers, 1):
        dW = np.array([[w.grad for w in n.w] for n in layer.neurons])
        db = np.array([[n.b.grad] for n in layer.neurons])
        np.testing.assert_allclose(dW, grads[f"dW{l}"], rtol=1e-10, atol=1e-14)
        np.testing.assert_allclose(db, grads[f"db{l}"], rtol=1e-10, atol=1e-14)


def test_mlp_cost_is_the_cross_entropy_over_the_columns_of_X():
    net = MLP([2, 3, 1], "tanh", seed=1)
    X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]])
    Y = np.array([[1.0, 0.0, 1.0]])
    J = net.cost(X, Y)
    params = {}
    for l, layer in enumerate(net.layers, 1):
        params[f"W{l}"] = np.array([[w.data for w in n.w] for n in layer.neurons])
        params[f"b{l}"] = np.array([[n.b.data] for n in layer.neurons])
    AL = R.L_model_forward(X, params, "tanh")[0]
    assert J.data == pytest.approx(R.compute_cost(AL, Y), rel=1e-12)
    one = net.cost(X[:, 1:2], Y[:, 1:2])  # one example: the picture's graph
    assert graph.label(one) == "J" and one.data == pytest.approx(-np.log(1 - AL[0, 1]))
    with pytest.raises(ValueError, match=r"X has shape \(2, 3\) and Y \(3,\)"):
        net.cost(X, Y[0])
    with pytest.raises(ValueError, match="2 output units"):
        MLP([2, 2], seed=0).cost(X, Y)


def test_nodes_carry_the_course_labels_by_layer_and_unit():
    net = MLP([2, 2, 1], "relu", seed=0)
    a = net([Value(1.0, label="x_1"), Value(2.0, label="x_2")])
    labels = {graph.label(n) for n in graph.topological_order(a)}
    assert {"w[1]_1,1", "w[1]_2,2", "b[1]_2", "w[2]_1,2", "z[1]_1", "a[1]_2", "z[2]_1",
            "a[2]_1", "x_1"} <= labels
    assert [p.label for p in net.layers[0].neurons[1].parameters()] == [
        "w[1]_2,1", "w[1]_2,2", "b[1]_2"
    ]


def test_zero_grad_resets_every_parameter():
    net = MLP([2, 2, 1], seed=0)
    binary_cross_entropy([net([1.0, 2.0])], [1]).backward()
    assert any(p.grad != 0.0 for p in net.parameters())
    net.zero_grad()
    assert all(p.grad == 0.0 for p in net.parameters())


def test_a_layer_returns_one_value_per_unit_and_the_mlp_a_list_for_several_outputs():
    layer = Layer(3, 2, "sigmoid", seed=0)
    out = layer([1.0, 0.0, -1.0])
    assert len(out) == 2 and all(isinstance(v, Value) for v in out)
    assert len(MLP([3, 2, 2], seed=0)([1.0, 0.0, -1.0])) == 2


def test_training_the_scalar_network_lowers_the_cost():
    X = np.array([[0.0, 1.0, 0.0, 1.0], [0.0, 0.0, 1.0, 1.0]])
    Y = [0.0, 1.0, 1.0, 1.0]
    net = MLP([2, 3, 1], "tanh", seed=0)
    xs = as_values(X)
    costs = []
    for _ in range(30):
        net.zero_grad()
        J = binary_cross_entropy([net(x) for x in xs], Y)
        J.backward()
        costs.append(J.data)
        for p in net.parameters():
            p.data -= 1.0 * p.grad
    assert costs[-1] < 0.5 * costs[0]


def test_bad_input_is_named():
    with pytest.raises(ValueError, match="takes 2 inputs, got 3"):
        Neuron(2, weights=[1.0, 2.0])([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="3 weights given for n_in = 2"):
        Neuron(2, weights=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="unknown activation 'softplus'"):
        Neuron(2, "softplus")
    with pytest.raises(ValueError, match="layer_dims"):
        MLP([3])
    assert MLP(np.array([2, 1]), seed=0).layer_dims == [2, 1]
    for dims in ([2, "a"], [2.5, 1], [2, 0], "21", 3):
        with pytest.raises(ValueError, match=r"layer_dims = .*at least two positive ints"):
            MLP(dims)
    with pytest.raises(ValueError, match="Layer: n_out = 0; give a positive int"):
        Layer(2, 0)  # was an empty layer
    with pytest.raises(ValueError, match=r"unknown activation \['tanh'\]"):
        Neuron(2, ["tanh"])
    with pytest.raises(ValueError, match="label 2.0 is not 0 or 1"):
        binary_cross_entropy([Value(0.5)], [2])
    with pytest.raises(ValueError, match="1 predictions and 2 labels"):
        binary_cross_entropy([Value(0.5)], [1, 0])


def test_data_values_get_no_gradient_as_data_tensors_get_none():
    """The pixels of an example are data: backward leaves their grad at 0.0 (torch: None for
    a tensor without requires_grad), while the weights get theirs, unchanged."""
    from micrograd_dls import Value
    from micrograd_dls.nn.scalar import as_values

    (x1, x2), = as_values([[2.0], [3.0]])
    w = Value(0.5)
    J = (w * x1 + x2).tanh()
    J.backward()
    assert (x1.grad, x2.grad) == (0.0, 0.0)
    assert w.grad == pytest.approx((1 - math.tanh(4.0) ** 2) * 2.0, rel=1e-12)
