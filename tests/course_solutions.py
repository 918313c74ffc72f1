"""Learner-style solutions of the course's weeks 2, 3 and 4, written in plain numpy with
the template lines exactly as the assignments ship them in their versions, and in the
styles learners write them (``*`` and ``np.multiply``, ``np.dot``, ``@`` and ``W.dot(A)``).

Imported by tests/test_testing_corpus.py, which runs each one unchanged through
``check_gradients`` and holds it to central differences computed here in plain numpy.
``mistake`` plants one of the classic errors in a backward function.
"""

from __future__ import annotations

import numpy as np

# --- week 2: logistic regression, propagate(w, b, X, Y) -----------------------------------


def sigmoid(z):
    s = 1 / (1 + np.exp(-z))
    return s


def propagate_older(w, b, X, Y):
    """The older notebook: the cost with np.sum, then np.squeeze and the shape assert."""
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    assert(dw.shape == w.shape)
    assert(db.dtype == float)
    cost = np.squeeze(cost)
    assert(cost.shape == ())
    grads = {"dw": dw,
             "db": db}
    return grads, cost


def propagate_newer(w, b, X, Y):
    """The newer notebook: the cost as np.dot of rows, then np.squeeze(np.array(cost))."""
    m = X.shape[1]
    A = sigmoid(w.T @ X + b)
    cost = -(1 / m) * (np.dot(Y, np.log(A).T) + np.dot(1 - Y, np.log(1 - A).T))
    dw = (1 / m) * (X @ (A - Y).T)
    db = (1 / m) * np.sum(A - Y)
    cost = np.squeeze(np.array(cost))
    assert(cost.shape == ())
    grads = {"dw": dw,
             "db": db}
    return grads, cost


# --- week 3: one hidden layer, tanh then sigmoid -----------------------------------------


def forward_propagation(X, parameters):
    W1 = parameters["W1"]
    b1 = parameters["b1"]
    W2 = parameters["W2"]
    b2 = parameters["b2"]
    Z1 = np.dot(W1, X) + b1
    A1 = np.tanh(Z1)
    Z2 = np.dot(W2, A1) + b2
    A2 = sigmoid(Z2)
    assert(A2.shape == (1, X.shape[1]))
    cache = {"Z1": Z1,
             "A1": A1,
             "Z2": Z2,
             "A2": A2}
    return A2, cache


def forward_propagation_get(X, parameters):
    """The same, with parameters.get and the @ operator."""
    W1 = parameters.get("W1")
    b1 = parameters.get("b1")
    W2 = parameters.get("W2")
    b2 = parameters.get("b2")
    Z1 = W1 @ X + b1
    A1 = np.tanh(Z1)
    Z2 = W2 @ A1 + b2
    A2 = 1 / (1 + np.exp(-Z2))
    cache = {"Z1": Z1, "A1": A1, "Z2": Z2, "A2": A2}
    return A2, cache


def compute_cost_older(A2, Y, parameters):
    """The older notebook: compute_cost(A2, Y, parameters), np.squeeze, isinstance."""
    m = Y.shape[1]
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = - np.sum(logprobs) / m
    cost = np.squeeze(cost)     # makes sure cost is the dimension we expect.
    assert(isinstance(cost, float))
    return cost


def compute_cost_newer(A2, Y):
    """The newer notebook: compute_cost(A2, Y), float(np.squeeze(cost))."""
    m = Y.shape[1]
    logprobs = np.multiply(Y, np.log(A2)) + np.multiply(1 - Y, np.log(1 - A2))
    cost = - (1 / m) * np.sum(logprobs)
    cost = float(np.squeeze(cost))
    return cost


def backward_propagation(parameters, cache, X, Y, mistake=None):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    if mistake == "twice tanh'":  # a factor 2 that is not m
        dZ1 = np.dot(W2.T, dZ2) * 2 * (1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    if mistake == "missing 1/m":
        dW1 = np.dot(dZ1, X.T)
    if mistake == "transposed":  # on a square W1 the shapes cannot tell
        dW1 = np.dot(X, dZ1.T) / m
    grads = {"dW1": dW1,
             "db1": db1,
             "dW2": dW2,
             "db2": db2}
    if mistake == "extra dW3":
        grads["dW3"] = np.zeros((1, 1))
    return grads


# --- week 4: an L-layer network, relu then sigmoid ----------------------------------------


def initialize_parameters_deep(layer_dims, seed):
    np.random.seed(seed)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(
            layer_dims[l - 1])
        parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


def relu(Z):
    A = np.maximum(0, Z)
    cache = Z
    return A, cache


def sigmoid_cached(Z):
    A = 1 / (1 + np.exp(-Z))
    cache = Z
    return A, cache


def linear_forward(A, W, b, style="dot"):
    if style == "method":
        Z = W.dot(A) + b
    elif style == "@":
        Z = W @ A + b
    else:
        Z = np.dot(W, A) + b
    cache = (A, W, b)
    return Z, cache


def linear_activation_forward(A_prev, W, b, activation, style="dot"):
    Z, linear_cache = linear_forward(A_prev, W, b, style)
    if activation == "sigmoid":
        A, activation_cache = sigmoid_cached(Z)
    elif activation == "relu":
        A, activation_cache = relu(Z)
    cache = (linear_cache, activation_cache)
    return A, cache


def L_model_forward(X, parameters, style="dot"):
    caches = []
    A = X
    L = len(parameters) // 2
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(
            A_prev, parameters['W' + str(l)], parameters['b' + str(l)], "relu", style)
        caches.append(cache)
    AL, cache = linear_activation_forward(
        A, parameters['W' + str(L)], parameters['b' + str(L)], "sigmoid", style)
    caches.append(cache)
    assert(AL.shape == (1, X.shape[1]))
    return AL, caches


def compute_cost_deep(AL, Y):
    """compute_cost(AL, Y) with np.dot of rows; np.squeeze, then the shape assert."""
    m = Y.shape[1]
    cost = (1. / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    cost = np.squeeze(cost)      # To make sure your cost's shape is what we expect.
    assert(cost.shape == ())
    return cost


def compute_cost_deep_multiply(AL, Y):
    """compute_cost(AL, Y) with np.multiply and np.sum, ended with float(np.squeeze(...))."""
    m = Y.shape[1]
    cost = -1 / m * np.sum(np.multiply(Y, np.log(AL)) + np.multiply(1 - Y, np.log(1 - AL)))
    cost = float(np.squeeze(cost))
    return cost


def relu_backward(dA, cache, strict=False):
    Z = cache
    dZ = np.array(dA, copy=True)
    if strict:
        dZ[Z < 0] = 0   # relu'(0) = 1: the other side of the kink
    else:
        dZ[Z <= 0] = 0
    return dZ


def sigmoid_backward(dA, cache):
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    return dZ


def linear_backward(dZ, cache, missing_m=False):
    A_prev, W, b = cache
    m = A_prev.shape[1]
    dW = 1. / m * np.dot(dZ, A_prev.T)
    if missing_m:
        dW = np.dot(dZ, A_prev.T)
    db = 1. / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    return dA_prev, dW, db


def L_model_backward(AL, Y, caches, mistake=None):
    grads = {}
    L = len(caches)
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    linear_cache, activation_cache = caches[L - 1]
    dZ = sigmoid_backward(dAL, activation_cache)
    grads["dA" + str(L - 1)], grads["dW" + str(L)], grads["db" + str(L)] = linear_backward(
        dZ, linear_cache)
    for l in reversed(range(L - 1)):
        linear_cache, activation_cache = caches[l]
        dZ = relu_backward(grads["dA" + str(l + 1)], activation_cache,
                           strict=mistake == "relu'(0) = 1")
        dA_prev_temp, dW_temp, db_temp = linear_backward(
            dZ, linear_cache, missing_m=mistake == "missing 1/m" and l == 0)
        grads["dA" + str(l)] = dA_prev_temp
        grads["dW" + str(l + 1)] = dW_temp
        grads["db" + str(l + 1)] = db_temp
    return grads
