"""The course on paper: its hand-derived equations in plain numpy, no autograd.

Functions and names follow the course's programming assignments, so a learner
can put this file next to a notebook and read it line by line:

* logistic regression "as a neural network": :func:`sigmoid`,
  :func:`initialize_with_zeros`, :func:`propagate`, :func:`optimize`,
  :func:`logistic_predict`;
* the planar-data network of week 3 (one tanh hidden layer, its cache a dict):
  :func:`layer_sizes`, :func:`forward_propagation`, :func:`backward_propagation`;
* the L-layer network: :func:`initialize_parameters`,
  :func:`initialize_parameters_deep`, :func:`linear_forward`,
  :func:`linear_activation_forward`, :func:`L_model_forward`,
  :func:`compute_cost`, :func:`linear_backward`,
  :func:`linear_activation_backward`, :func:`L_model_backward`,
  :func:`update_parameters`, :func:`L_layer_model`, :func:`predict`.

Parameters live in a dict ``{"W1": ..., "b1": ..., "W2": ...}`` and gradients
in ``{"dW1": ..., "db1": ..., "dA0": ...}``, as in the assignments. Besides the
course's relu and sigmoid, the activation argument accepts tanh, leaky_relu
and linear, so every activation the ``nn`` package offers has an oracle here.

This module is what the tests hold autograd to, and the speed limit the
benchmarks hold the Tensor engine to; it does not depend on the rest of the
package.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = [
    "ACTIVATIONS",
    "L_layer_model",
    "L_model_backward",
    "L_model_forward",
    "compute_cost",
    "initialize_parameters",
    "initialize_parameters_deep",
    "initialize_with_zeros",
    "backward_propagation",
    "forward_propagation",
    "layer_sizes",
    "leaky_relu",
    "identity",
    "identity_backward",
    "leaky_relu_backward",
    "linear_activation_backward",
    "linear_activation_forward",
    "linear_backward",
    "linear_forward",
    "logistic_predict",
    "optimize",
    "predict",
    "propagate",
    "relu",
    "relu_backward",
    "sigmoid",
    "sigmoid_backward",
    "tanh",
    "tanh_backward",
    "update_parameters",
]

#: Slope of leaky_relu for z < 0, the lecture's 0.01.
LEAKY_SLOPE = 0.01


# --- activations: forward returns (A, cache = Z), backward dZ = dA * g'(Z) ------


def sigmoid(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A = σ(Z) = 1 / (1 + e^(-Z)); returns (A, cache=Z), as the course's dnn_utils."""
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def sigmoid_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dZ = dA * σ(Z) (1 - σ(Z))."""
    s = 1 / (1 + np.exp(-cache))
    return dA * s * (1 - s)


def relu(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A = max(0, Z); returns (A, cache=Z)."""
    return np.maximum(0, Z), Z


def relu_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dZ = dA where Z > 0, else 0 (0 at Z = 0, as in the course)."""
    dZ = np.array(dA, copy=True)
    dZ[cache <= 0] = 0
    return dZ


def tanh(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A = tanh(Z); returns (A, cache=Z)."""
    return np.tanh(Z), Z


def tanh_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dZ = dA * (1 - tanh(Z)²)."""
    return dA * (1 - np.power(np.tanh(cache), 2))


def leaky_relu(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A = max(0.01 Z, Z); returns (A, cache=Z)."""
    return np.where(Z > 0, Z, LEAKY_SLOPE * Z), Z


def leaky_relu_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dZ = dA where Z > 0, else 0.01 dA."""
    return np.where(cache > 0, dA, LEAKY_SLOPE * dA)


def identity(Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A = Z, the 'linear' activation (for a real-valued output); returns (A, cache=Z)."""
    return Z, Z


def identity_backward(dA: np.ndarray, cache: np.ndarray) -> np.ndarray:
    """dZ = dA (g'(Z) = 1)."""
    return dA


#: name -> (g, backward), the activations ``linear_activation_forward`` accepts.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_backward),
    "relu": (relu, relu_backward),
    "tanh": (tanh, tanh_backward),
    "leaky_relu": (leaky_relu, leaky_relu_backward),
    "linear": (identity, identity_backward),
}


def _activation(name: str) -> tuple[Any, Any]:
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise ValueError(
            f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}"
        ) from None


# --- logistic regression (week 2) ----------------------------------------------


def initialize_with_zeros(dim: int) -> tuple[np.ndarray, float]:
    """w = 0 of shape (dim, 1), b = 0."""
    return np.zeros((dim, 1)), 0.0


def propagate(
    w: np.ndarray, b: float, X: np.ndarray, Y: np.ndarray
) -> tuple[dict[str, Any], float]:
    """A = σ(wᵀX + b), J = -(1/m) Σ(Y log A + (1-Y) log(1-A)); dw = (1/m) X dZᵀ, db = (1/m) Σ dZ.

    With dZ = A - Y. Returns ``({"dw": dw, "db": db}, cost)`` as the course does.
    """
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)[0]
    cost = float(-np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A)) / m)
    dZ = A - Y
    dw = (X @ dZ.T) / m
    db = float(np.sum(dZ) / m)
    return {"dw": dw, "db": db}, cost


def optimize(
    w: np.ndarray,
    b: float,
    X: np.ndarray,
    Y: np.ndarray,
    num_iterations: int = 100,
    learning_rate: float = 0.009,
    print_cost: bool = False,
) -> tuple[dict[str, Any], dict[str, Any], list[float]]:
    """Gradient descent w := w - α dw, b := b - α db; the cost is recorded every 100 iterations."""
    w = np.array(w, dtype=float, copy=True)
    costs = []
    grads: dict[str, Any] = {}
    for i in range(num_iterations):
        grads, cost = propagate(w, b, X, Y)
        w = w - learning_rate * grads["dw"]
        b = b - learning_rate * grads["db"]
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:f}")
    return {"w": w, "b": b}, grads, costs


def logistic_predict(w: np.ndarray, b: float, X: np.ndarray) -> np.ndarray:
    """Ŷ = 1 where σ(wᵀX + b) > 0.5, else 0; shape (1, m)."""
    A = sigmoid(w.T @ X + b)[0]
    return (A > 0.5).astype(float)


# --- one hidden layer on the planar data (week 3) ------------------------------


def layer_sizes(X: np.ndarray, Y: np.ndarray) -> tuple[int, int, int]:
    """(n_x, n_h, n_y) = (X.shape[0], 4, Y.shape[0]): the template fixes n_h = 4."""
    return X.shape[0], 4, Y.shape[0]


def forward_propagation(
    X: np.ndarray, parameters: dict[str, np.ndarray]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Z[1] = W[1] X + b[1], A[1] = tanh(Z[1]), Z[2] = W[2] A[1] + b[2], A[2] = σ(Z[2]).

    Returns ``(A2, cache)`` with the cache ``{"Z1", "A1", "Z2", "A2"}``.
    """
    Z1 = parameters["W1"] @ X + parameters["b1"]
    A1 = np.tanh(Z1)
    Z2 = parameters["W2"] @ A1 + parameters["b2"]
    A2 = 1 / (1 + np.exp(-Z2))
    return A2, {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}


def backward_propagation(
    parameters: dict[str, np.ndarray], cache: dict[str, np.ndarray], X: np.ndarray,
    Y: np.ndarray
) -> dict[str, np.ndarray]:
    """dZ[2] = A[2] - Y, dW[2] = (1/m) dZ[2] A[1]ᵀ, db[2] = (1/m) Σ dZ[2];
    dZ[1] = W[2]ᵀ dZ[2] * (1 - A[1]²), dW[1] = (1/m) dZ[1] Xᵀ, db[1] = (1/m) Σ dZ[1].

    g[1]'(Z[1]) is written with the cache's A[1], as the course derives it: the
    grader hands a cache whose A1 need not be tanh(Z1), and this is the answer there.
    """
    m = X.shape[1]
    A1, A2 = cache["A1"], cache["A2"]
    dZ2 = A2 - Y
    dZ1 = (parameters["W2"].T @ dZ2) * (1 - A1**2)
    return {
        "dW1": dZ1 @ X.T / m,
        "db1": dZ1.sum(axis=1, keepdims=True) / m,
        "dW2": dZ2 @ A1.T / m,
        "db2": dZ2.sum(axis=1, keepdims=True) / m,
    }


# --- the L-layer network (weeks 3 and 4) ---------------------------------------


def initialize_parameters(n_x: int, n_h: int, n_y: int, seed: int = 2) -> dict[str, np.ndarray]:
    """W[l] = randn(n[l], n[l-1]) * 0.01, b[l] = 0 for a two-layer network, after np.random.seed.

    Seed 2 is the planar-data notebook's, seed 1 the two-layer cat model's.
    """
    np.random.seed(seed)
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def initialize_parameters_deep(layer_dims: list[int], seed: int = 1) -> dict[str, np.ndarray]:
    """W[l] = randn(n[l], n[l-1]) / sqrt(n[l-1]), b[l] = 0, after np.random.seed(seed).

    The deep cat model's scheme (seed 1).
    """
    np.random.seed(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(
            layer_dims[l - 1]
        )
        parameters["b" + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def linear_forward(
    A: np.ndarray, W: np.ndarray, b: np.ndarray
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Z = W A + b; cache (A, W, b) for the backward pass."""
    Z = W @ A + b
    return Z, (A, W, b)


def linear_activation_forward(
    A_prev: np.ndarray, W: np.ndarray, b: np.ndarray, activation: str
) -> tuple[np.ndarray, tuple[Any, np.ndarray]]:
    """A[l] = g[l](W[l] A[l-1] + b[l]); cache (linear_cache, Z)."""
    g = _activation(activation)[0]
    Z, linear_cache = linear_forward(A_prev, W, b)
    A, activation_cache = g(Z)
    return A, (linear_cache, activation_cache)


def L_model_forward(
    X: np.ndarray,
    parameters: dict[str, np.ndarray],
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
) -> tuple[np.ndarray, list[Any]]:
    """A[0] = X, A[l] = g[l](W[l] A[l-1] + b[l]) for l = 1..L; returns A[L] and the caches.

    The course's [LINEAR -> RELU] * (L-1) -> LINEAR -> SIGMOID by default.
    """
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A, cache = linear_activation_forward(
            A, parameters["W" + str(l)], parameters["b" + str(l)], hidden_activation
        )
        caches.append(cache)
    AL, cache = linear_activation_forward(
        A, parameters["W" + str(L)], parameters["b" + str(L)], output_activation
    )
    caches.append(cache)
    return AL, caches


def compute_cost(AL: np.ndarray, Y: np.ndarray) -> float:
    """J = -(1/m) Σ (Y log A[L] + (1 - Y) log(1 - A[L]))."""
    m = Y.shape[1]
    cost = (-1 / m) * (np.dot(Y, np.log(AL).T) + np.dot(1 - Y, np.log(1 - AL).T))
    return float(np.squeeze(cost))


def linear_backward(
    dZ: np.ndarray, cache: tuple[np.ndarray, np.ndarray, np.ndarray]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dW = (1/m) dZ A_prevᵀ, db = (1/m) Σ dZ over columns, dA_prev = Wᵀ dZ."""
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1 / m * np.dot(dZ, A_prev.T)
    db = 1 / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def linear_activation_backward(
    dA: np.ndarray, cache: tuple[Any, np.ndarray], activation: str
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dZ[l] = dA[l] * g'[l](Z[l]), then :func:`linear_backward`."""
    backward = _activation(activation)[1]
    linear_cache, activation_cache = cache
    dZ = backward(dA, activation_cache)
    return linear_backward(dZ, linear_cache)


def L_model_backward(
    AL: np.ndarray,
    Y: np.ndarray,
    caches: list[Any],
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
) -> dict[str, np.ndarray]:
    """dA[L] = -(Y/A[L] - (1-Y)/(1-A[L])), then linear_activation_backward for l = L..1.

    Returns ``{"dA{l-1}", "dW{l}", "db{l}"}`` for every layer, as the course does.
    The 1/m enters at dW and db only, so the course's dA[l] is m · dJ/dA[l]
    (what autograd puts in ``A[l].grad``), while dW[l] and db[l] are dJ/dW[l], dJ/db[l].
    """
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = -(np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    dA_prev, dW, db = linear_activation_backward(dAL, caches[L - 1], output_activation)
    grads["dA" + str(L - 1)] = dA_prev
    grads["dW" + str(L)] = dW
    grads["db" + str(L)] = db
    for l in reversed(range(L - 1)):
        dA_prev, dW, db = linear_activation_backward(
            grads["dA" + str(l + 1)], caches[l], hidden_activation
        )
        grads["dA" + str(l)] = dA_prev
        grads["dW" + str(l + 1)] = dW
        grads["db" + str(l + 1)] = db
    return grads


def update_parameters(
    params: dict[str, np.ndarray], grads: dict[str, np.ndarray], learning_rate: float
) -> dict[str, np.ndarray]:
    """W[l] := W[l] - α dW[l], b[l] := b[l] - α db[l]."""
    parameters = params.copy()
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = (
            parameters["W" + str(l + 1)] - learning_rate * grads["dW" + str(l + 1)]
        )
        parameters["b" + str(l + 1)] = (
            parameters["b" + str(l + 1)] - learning_rate * grads["db" + str(l + 1)]
        )
    return parameters


def L_layer_model(
    X: np.ndarray,
    Y: np.ndarray,
    parameters: dict[str, np.ndarray],
    learning_rate: float = 0.0075,
    num_iterations: int = 3000,
    print_every: int = 100,
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
    print_cost: bool = False,
) -> tuple[dict[str, np.ndarray], list[float]]:
    """Gradient descent on J: forward, cost, backward, update; the cost is recorded
    every ``print_every`` iterations, before that iteration's update, and printed
    (with ``print_cost``) then and at the last iteration, as the course's loop does.

    Starts from the given ``parameters`` (from :func:`initialize_parameters` or
    :func:`initialize_parameters_deep`), so the caller chooses the course's seed.
    """
    costs = []
    for i in range(num_iterations):
        AL, caches = L_model_forward(X, parameters, hidden_activation, output_activation)
        cost = compute_cost(AL, Y)
        grads = L_model_backward(AL, Y, caches, hidden_activation, output_activation)
        parameters = update_parameters(parameters, grads, learning_rate)
        if i % print_every == 0:
            costs.append(cost)
        if print_cost and (i % print_every == 0 or i == num_iterations - 1):
            print(f"Cost after iteration {i}: {cost:f}")
    return parameters, costs


def predict(
    X: np.ndarray,
    parameters: dict[str, np.ndarray],
    hidden_activation: str = "relu",
    output_activation: str = "sigmoid",
) -> np.ndarray:
    """Ŷ = 1 where A[L] > 0.5, else 0; shape (1, m)."""
    AL = L_model_forward(X, parameters, hidden_activation, output_activation)[0]
    return (AL > 0.5).astype(float)
