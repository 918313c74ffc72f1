"""Learner-style solutions of the course's weeks 2, 3 and 4, written in plain numpy with
the template lines exactly as the assignments ship them in their versions, and in the
styles learners write them (``*`` and ``np.multiply``, ``np.dot``, ``@`` and ``W.dot(A)``).

Imported by tests/test_testing_corpus.py, which runs each one unchanged through
``check_gradients`` and holds it to central differences computed here in plain numpy,
and by tests/test_assignment.py, which checks each week's whole set as the grader does
(:data:`WEEK2`, :data:`WEEK3`, :data:`WEEK4`, by the course's names).
``mistake`` plants one of the classic errors in a backward function.
"""

from __future__ import annotations

import copy

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


def initialize_with_zeros(dim):
    w = np.zeros((dim, 1))
    b = 0.0
    return w, b


def optimize(w, b, X, Y, num_iterations=100, learning_rate=0.009, print_cost=False):
    w = copy.deepcopy(w)
    b = copy.deepcopy(b)
    costs = []
    for i in range(num_iterations):
        grads, cost = propagate_newer(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
            if print_cost:
                print(f"Cost after iteration {i}: {cost:f}")
    params = {"w": w,
              "b": b}
    grads = {"dw": dw,
             "db": db}
    return params, grads, costs


def predict_logistic(w, b, X):
    """Week 2's predict(w, b, X), the loop over the examples as the template has it."""
    m = X.shape[1]
    Y_prediction = np.zeros((1, m))
    w = w.reshape(X.shape[0], 1)
    A = sigmoid(np.dot(w.T, X) + b)
    for i in range(A.shape[1]):
        if A[0, i] > 0.5:
            Y_prediction[0, i] = 1
        else:
            Y_prediction[0, i] = 0
    return Y_prediction


# --- week 3: one hidden layer, tanh then sigmoid -----------------------------------------


def layer_sizes(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = Y.shape[0]
    return (n_x, n_h, n_y)


def initialize_parameters(n_x, n_h, n_y):
    W1 = np.random.randn(n_h, n_x) * 0.01
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    parameters = {"W1": W1,
                  "b1": b1,
                  "W2": W2,
                  "b2": b2}
    return parameters


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


def update_parameters(parameters, grads, learning_rate=1.2):
    W1 = copy.deepcopy(parameters["W1"])
    b1 = parameters["b1"]
    W2 = copy.deepcopy(parameters["W2"])
    b2 = parameters["b2"]
    dW1 = grads["dW1"]
    db1 = grads["db1"]
    dW2 = grads["dW2"]
    db2 = grads["db2"]
    W1 = W1 - learning_rate * dW1
    b1 = b1 - learning_rate * db1
    W2 = W2 - learning_rate * dW2
    b2 = b2 - learning_rate * db2
    parameters = {"W1": W1,
                  "b1": b1,
                  "W2": W2,
                  "b2": b2}
    return parameters


def predict_planar(parameters, X):
    """Week 3's predict(parameters, X)."""
    A2, cache = forward_propagation(X, parameters)
    predictions = (A2 > 0.5)
    return predictions


# --- week 4: an L-layer network, relu then sigmoid ----------------------------------------


def initialize_parameters_step_by_step(layer_dims):
    """Week 4's initialize_parameters_deep(layer_dims) of the step-by-step notebook."""
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters['W' + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) * 0.01
        parameters['b' + str(l)] = np.zeros((layer_dims[l], 1))
    return parameters


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


def linear_activation_backward(dA, cache, activation):
    linear_cache, activation_cache = cache
    if activation == "relu":
        dZ = relu_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
    elif activation == "sigmoid":
        dZ = sigmoid_backward(dA, activation_cache)
        dA_prev, dW, db = linear_backward(dZ, linear_cache)
    return dA_prev, dW, db


def update_parameters_deep(params, grads, learning_rate):
    """Week 4's update_parameters(params, grads, learning_rate)."""
    parameters = copy.deepcopy(params)
    L = len(parameters) // 2
    for l in range(L):
        parameters["W" + str(l + 1)] = parameters["W" + str(l + 1)] - learning_rate * grads[
            "dW" + str(l + 1)]
        parameters["b" + str(l + 1)] = parameters["b" + str(l + 1)] - learning_rate * grads[
            "db" + str(l + 1)]
    return parameters


#: Each week's graded functions by the course's names, as a notebook's globals() has them.
WEEK2 = {"sigmoid": sigmoid, "initialize_with_zeros": initialize_with_zeros,
         "propagate": propagate_newer, "optimize": optimize, "predict": predict_logistic}
WEEK3 = {"layer_sizes": layer_sizes, "initialize_parameters": initialize_parameters,
         "forward_propagation": forward_propagation, "compute_cost": compute_cost_newer,
         "backward_propagation": backward_propagation, "update_parameters": update_parameters,
         "predict": predict_planar}
WEEK4 = {"initialize_parameters_deep": initialize_parameters_step_by_step,
         "linear_forward": linear_forward, "linear_activation_forward": linear_activation_forward,
         "L_model_forward": L_model_forward, "compute_cost": compute_cost_deep,
         "linear_backward": linear_backward,
         "linear_activation_backward": linear_activation_backward,
         "L_model_backward": L_model_backward, "update_parameters": update_parameters_deep}
