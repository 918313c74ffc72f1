"""The course checked against itself: every forward function and cost of
``reference.py``, called unchanged with Tensors, backpropagates to the
gradients of its hand-written ``*_backward`` counterpart.

reference.py is plain numpy with no knowledge of Tensors; these calls go
through numpy's protocols (np.dot, np.exp, np.maximum, np.where, np.log,
np.sum, np.squeeze). The two sides compute the same derivatives by different
formulas (autograd's chain of local rules against the course's closed forms),
so they agree to rounding, far inside 1e-10.
"""

import numpy as np
import pytest

from micrograd_dls import Tensor, reference

TOL = 1e-10


def close(got, expected, what):
    np.testing.assert_allclose(got, expected, rtol=TOL, atol=TOL * 1e-2, err_msg=what)


def leaf(a, label):
    return Tensor(np.array(a, dtype=np.float64), requires_grad=True, label=label)


def keep_the_node(monkeypatch):
    """reference.py ends its costs with float(...), the course's way to print a number; for
    autograd the node is kept instead (float of a Tensor is its number, the same value)."""
    monkeypatch.setattr(reference, "float", lambda x: x, raising=False)


@pytest.mark.parametrize("name", list(reference.ACTIVATIONS))
def test_each_activation_backprops_to_its_backward(name):
    forward, backward = reference.ACTIVATIONS[name]
    rng = np.random.default_rng(1)
    Z0 = rng.standard_normal((3, 5)) * 2
    dA = rng.standard_normal((3, 5))
    Z = leaf(Z0, "Z")
    A, cache = forward(Z)
    assert cache is Z
    close(A.data, forward(Z0)[0], f"{name} forward")
    if A is Z:  # the identity returns its input: its derivative is 1
        close(backward(dA, Z0), dA, name)
        return
    A.backward(dA)
    close(Z.grad, backward(dA, Z0), f"{name}: dZ")


def test_linear_forward_backprops_to_linear_backward():
    rng = np.random.default_rng(2)
    A0, W0 = rng.standard_normal((4, 6)), rng.standard_normal((3, 4))
    b0 = rng.standard_normal((3, 1))
    dZ = rng.standard_normal((3, 6))
    A, W, b = leaf(A0, "A"), leaf(W0, "W"), leaf(b0, "b")
    Z, cache = reference.linear_forward(A, W, b)
    close(Z.data, reference.linear_forward(A0, W0, b0)[0], "Z")
    m = A0.shape[1]
    Z.backward(dZ / m)  # the course's dZ is m · dJ/dZ: its 1/m enters at dW and db
    dA_prev, dW, db = reference.linear_backward(dZ, (A0, W0, b0))
    close(W.grad, dW, "dW")
    close(b.grad, db, "db")
    close(A.grad * m, dA_prev, "dA_prev")


@pytest.mark.parametrize("activation", list(reference.ACTIVATIONS))
def test_linear_activation_forward_backprops_to_its_backward(activation):
    rng = np.random.default_rng(3)
    A0, W0 = rng.standard_normal((4, 5)), rng.standard_normal((2, 4))
    b0 = rng.standard_normal((2, 1))
    dA = rng.standard_normal((2, 5))
    A_prev, W, b = leaf(A0, "A_prev"), leaf(W0, "W"), leaf(b0, "b")
    A, cache = reference.linear_activation_forward(A_prev, W, b, activation)
    A_ref, cache_ref = reference.linear_activation_forward(A0, W0, b0, activation)
    close(A.data, A_ref, "A")
    m = A0.shape[1]
    A.backward(dA / m)
    dA_prev, dW, db = reference.linear_activation_backward(dA, cache_ref, activation)
    close(W.grad, dW, "dW")
    close(b.grad, db, "db")
    close(A_prev.grad * m, dA_prev, "dA_prev")


@pytest.mark.parametrize("hidden, output", [("relu", "sigmoid"), ("tanh", "sigmoid"),
                                            ("leaky_relu", "sigmoid")])
def test_L_model_forward_and_compute_cost_backprop_to_L_model_backward(monkeypatch, hidden,
                                                                      output):
    layer_dims = [5, 4, 3, 1]
    params0 = reference.initialize_parameters_deep(layer_dims, seed=1)
    rng = np.random.default_rng(4)
    X0 = rng.standard_normal((5, 8))
    Y = (rng.random((1, 8)) < 0.5).astype(np.float64)
    AL0, caches0 = reference.L_model_forward(X0, params0, hidden, output)
    cost0 = reference.compute_cost(AL0, Y)
    grads = reference.L_model_backward(AL0, Y, caches0, hidden, output)

    keep_the_node(monkeypatch)
    params = {k: leaf(v, k) for k, v in params0.items()}
    X = leaf(X0, "X")
    AL, caches = reference.L_model_forward(X, params, hidden, output)
    cost = reference.compute_cost(AL, Y)
    assert isinstance(cost, Tensor) and cost.shape == ()
    close(cost.data, cost0, "J")
    cost.backward()
    m = X0.shape[1]
    for l in range(1, len(layer_dims)):
        close(params[f"W{l}"].grad, grads[f"dW{l}"], f"dW{l}")
        close(params[f"b{l}"].grad, grads[f"db{l}"], f"db{l}")
    # the course's dA[l] is m · dJ/dA[l] (reference.L_model_backward's docstring)
    close(X.grad * m, grads["dA0"], "dA0")
    for l in range(1, len(layer_dims) - 1):
        A_l = caches[l][0][0]  # the A_prev that layer l + 1 received
        close(A_l.grad * m, grads[f"dA{l}"], f"dA{l}")


def test_compute_cost_unchanged_returns_the_same_number_from_tensors():
    AL0 = np.array([[0.8, 0.9, 0.4]])
    Y = np.array([[1.0, 1.0, 0.0]])
    cost = reference.compute_cost(leaf(AL0, "AL"), Y)  # float() of the 0-d tensor
    assert type(cost) is float and cost == reference.compute_cost(AL0, Y)


def test_propagate_backprops_to_its_own_dw_and_db(monkeypatch):
    rng = np.random.default_rng(5)
    w0, b0 = rng.standard_normal((4, 1)), 0.3
    X = rng.standard_normal((4, 6))
    Y = (rng.random((1, 6)) < 0.5).astype(np.float64)
    grads, cost0 = reference.propagate(w0, b0, X, Y)

    keep_the_node(monkeypatch)
    w, b = leaf(w0, "w"), leaf(b0, "b")
    grads_t, cost = reference.propagate(w, b, X, Y)
    close(cost.data, cost0, "J")
    close(grads_t["dw"].data, grads["dw"], "dw computed from tensors")
    cost.backward()
    close(w.grad, grads["dw"], "dw")
    close(b.grad, grads["db"], "db")


def test_predictions_from_tensors_equal_the_arrays():
    params0 = reference.initialize_parameters(2, 4, 1, seed=2)
    X0 = np.random.default_rng(6).standard_normal((2, 10))
    params = {k: leaf(v, k) for k, v in params0.items()}
    expected = reference.predict(X0, params0, "tanh", "sigmoid")
    got = reference.predict(Tensor(X0), params, "tanh", "sigmoid")
    assert type(got) is np.ndarray  # a comparison: plain numbers, as in the course
    np.testing.assert_array_equal(got, expected)
    w0 = np.random.default_rng(7).standard_normal((2, 1))
    np.testing.assert_array_equal(reference.logistic_predict(leaf(w0, "w"), 0.1, Tensor(X0)),
                                  reference.logistic_predict(w0, 0.1, X0))


def test_update_parameters_on_tensors_gives_the_arrays_numbers():
    params0 = reference.initialize_parameters(2, 3, 1, seed=2)
    grads0 = {"d" + k: np.full_like(v, 0.5) for k, v in params0.items()}
    expected = reference.update_parameters(params0, grads0, 0.1)
    got = reference.update_parameters({k: Tensor(v) for k, v in params0.items()}, grads0, 0.1)
    for k in expected:
        close(got[k].data, expected[k], k)
