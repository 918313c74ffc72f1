"""The course's update W = W - learning_rate * dW, in a training loop on Tensors: the
error says what happened and how to fix it, and the fix trains in linear time."""

import numpy as np
import pytest
from course_solutions import L_model_forward, compute_cost_deep, initialize_parameters_deep

from micrograd_dls import Tensor, graph, no_grad


def setup():
    rng = np.random.default_rng(4)
    X = rng.standard_normal((5, 20))
    Y = (rng.random((1, 20)) > 0.5).astype(int)
    parameters = {k: Tensor(v, requires_grad=True)
                  for k, v in initialize_parameters_deep([5, 4, 1], seed=1).items()}
    return X, Y, parameters


def test_the_courses_update_on_tensors_is_explained_without_retain_graph_advice():
    X, Y, parameters = setup()
    learning_rate = 0.1
    done = []
    done = []
    with pytest.raises(RuntimeError) as e:
        for i in range(3):
            done.append(i)
            AL, caches = L_model_forward(X, parameters)
            cost = compute_cost_deep(AL, Y)
            cost.backward()
            grads = {"d" + k: v.grad for k, v in parameters.items()}
            for l in range(1, 3):  # the course's update_parameters
                parameters["W" + str(l)] = parameters["W" + str(l)] - learning_rate * grads[
                    "dW" + str(l)]
                parameters["b" + str(l)] = parameters["b" + str(l)] - learning_rate * grads[
                    "db" + str(l)]
    assert done == [0, 1, 2]  # the 2nd update's W hangs on the 1st, freed by the last backward
    text = str(e.value)
    assert text.startswith("backward() reached a tensor of shape (")
    assert ("the result of '-' in an earlier graph whose backward() already ran and freed it: "
            "a parameter updated on tensors as the course writes it, W = W - learning_rate * "
            "dW: this iteration's W was computed from last iteration's W") in text
    assert "with no_grad(): W -= learning_rate * dW" in text
    assert "W.grad = None" in text
    assert "retain_graph=True does not fix this" in text


def train(iterations, fix):
    """The course's loop; returns the number of nodes in the last iteration's graph."""
    X, Y, parameters = setup()
    for _ in range(iterations):
        AL, caches = L_model_forward(X, parameters)
        cost = compute_cost_deep(AL, Y)
        nodes = len(graph.nodes_of(cost))
        cost.backward(retain_graph=fix == "retain_graph")
        for k in list(parameters):
            dk = parameters[k].grad
            if fix == "no_grad":
                with no_grad():
                    parameters[k] -= 0.1 * dk
                parameters[k].grad = None
            elif fix == ".data":
                parameters[k].data -= 0.1 * dk
                parameters[k].grad = None
            else:
                parameters[k] = parameters[k] - 0.1 * dk
    return nodes, parameters


@pytest.mark.parametrize("fix", ["no_grad", ".data"])
def test_following_the_advice_trains_in_linear_time(fix):
    n50, p50 = train(50, fix)
    n100, _ = train(100, fix)
    assert n50 == n100  # each iteration's graph is the same size: linear time in all
    assert all(graph.is_leaf(p) and p.requires_grad for p in p50.values())


def test_the_advice_the_message_no_longer_gives_chains_every_iteration():
    """retain_graph=True: each graph holds all earlier ones, so n iterations cost n² nodes."""
    n50, _ = train(50, "retain_graph")
    n100, _ = train(100, "retain_graph")
    assert n100 - n50 == 50 * (n50 - train(49, "retain_graph")[0])
