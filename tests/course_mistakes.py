"""Learner-style code of weeks 2, 3 and 4 with one planted mistake each: the kinds that pass
the notebook's own tests (or fail them with a number, not a line) and fail the grader.

Each function differs from its correct version in tests/course_solutions.py by the line
that ends with ``# planted``; tests/test_assignment.py finds that line's number in this
file and expects the report to name it. The module's globals play the notebook's: ``X``
and ``Y`` are the flower's sizes, (2, 400) and (1, 400).
"""

from __future__ import annotations

import numpy as np
from course_solutions import sigmoid

X = np.zeros((2, 400))
Y = np.zeros((1, 400))


# --- week 3 --------------------------------------------------------------------------------


def backward_propagation_fixed_m(parameters, cache, X, Y):
    m = 400  # planted
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def initialize_parameters_fixed_shape(n_x, n_h, n_y):
    W1 = np.random.randn(4, 2) * 0.01  # planted
    b1 = np.zeros((n_h, 1))
    W2 = np.random.randn(n_y, n_h) * 0.01
    b2 = np.zeros((n_y, 1))
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def compute_cost_reads_global_X(A2, Y):
    m = X.shape[1]  # planted
    logprobs = np.multiply(np.log(A2), Y) + np.multiply(np.log(1 - A2), 1 - Y)
    cost = - np.sum(logprobs) / m
    cost = float(np.squeeze(cost))
    return cost


def backward_propagation_recomputes_tanh(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(np.tanh(cache["Z1"]), 2))  # planted
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def update_parameters_in_place(parameters, grads, learning_rate=1.2):
    W1 = parameters["W1"]
    b1 = parameters["b1"]
    W2 = parameters["W2"]
    b2 = parameters["b2"]
    W1 -= learning_rate * grads["dW1"]  # planted
    b1 = b1 - learning_rate * grads["db1"]
    W2 = W2 - learning_rate * grads["dW2"]
    b2 = b2 - learning_rate * grads["db2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def update_parameters_fixed_rate(parameters, grads, learning_rate=1.2):
    W1 = parameters["W1"] - learning_rate * grads["dW1"]
    b1 = parameters["b1"] - learning_rate * grads["db1"]
    W2 = parameters["W2"] - 1.2 * grads["dW2"]  # planted
    b2 = parameters["b2"] - learning_rate * grads["db2"]
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2}


def backward_propagation_changes_cache(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    dZ2 = cache["A2"]
    dZ2 -= Y  # planted
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1, keepdims=True)
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def backward_propagation_rank1_db(parameters, cache, X, Y):
    m = X.shape[1]
    W2 = parameters["W2"]
    A1 = cache["A1"]
    A2 = cache["A2"]
    dZ2 = A2 - Y
    dW2 = (1 / m) * np.dot(dZ2, A1.T)
    db2 = (1 / m) * np.sum(dZ2, axis=1, keepdims=True)
    dZ1 = np.dot(W2.T, dZ2) * (1 - np.power(A1, 2))
    dW1 = (1 / m) * np.dot(dZ1, X.T)
    db1 = (1 / m) * np.sum(dZ1, axis=1)  # planted
    return {"dW1": dW1, "db1": db1, "dW2": dW2, "db2": db2}


def layer_sizes_fixed_n_y(X, Y):
    n_x = X.shape[0]
    n_h = 4
    n_y = 1  # planted
    return (n_x, n_h, n_y)


# --- week 2 --------------------------------------------------------------------------------


def propagate_transposed_labels(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(np.dot(w.T, X) + b)
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dZ = A - Y.T  # planted
    dw = 1 / m * np.dot(X, dZ.T)
    db = 1 / m * np.sum(dZ)
    cost = np.squeeze(np.array(cost))
    return {"dw": dw, "db": db}, cost


def propagate_star_for_dot(w, b, X, Y):
    m = X.shape[1]
    A = sigmoid(w.T * X + b)  # planted
    cost = -1 / m * np.sum(Y * np.log(A) + (1 - Y) * np.log(1 - A))
    dw = 1 / m * np.dot(X, (A - Y).T)
    db = 1 / m * np.sum(A - Y)
    cost = np.squeeze(np.array(cost))
    return {"dw": dw, "db": db}, cost


# --- week 4 --------------------------------------------------------------------------------


def L_model_forward_fixed_depth(X, parameters):
    from course_solutions import linear_activation_forward

    caches = []
    A = X
    L = 3  # planted
    for l in range(1, L):
        A_prev = A
        A, cache = linear_activation_forward(
            A_prev, parameters['W' + str(l)], parameters['b' + str(l)], "relu")
        caches.append(cache)
    AL, cache = linear_activation_forward(
        A, parameters['W' + str(L)], parameters['b' + str(L)], "sigmoid")
    caches.append(cache)
    return AL, caches


def optimize_fixed_iterations(w, b, X, Y, num_iterations=100, learning_rate=0.009,
                              print_cost=False):
    from course_solutions import propagate_newer

    costs = []
    for i in range(100):  # planted
        grads, cost = propagate_newer(w, b, X, Y)
        dw = grads["dw"]
        db = grads["db"]
        w = w - learning_rate * dw
        b = b - learning_rate * db
        if i % 100 == 0:
            costs.append(cost)
    return {"w": w, "b": b}, {"dw": dw, "db": db}, costs
