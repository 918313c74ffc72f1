"""The testing API on learner programs written as the course's assignments write them:
dnn_app_utils' L-layer network (``W.dot(A) + b``, relu_backward's ``dZ[Z <= 0] = 0`` on
a numpy copy),
L2 regularisation with ``np.sum(np.square(W))``, inverted dropout with
``np.random.seed`` and a mask, and gradient checking's ``dictionary_to_vector``.

Each forward function below is plain ``import numpy as np`` code, called unchanged with
Tensors by :func:`check_gradients`. The oracle is the course's own ``gradient_check_n``
(central differences with ε = 1e-7 over the flattened parameters), written here in
numpy as the assignment has it: both must say "works perfectly fine" for a correct
backward, and both must catch each mistake.
"""

import numpy as np
import pytest

from micrograd_dls.testing import COURSE_THRESHOLD, assert_gradients_match, check_gradients

# --- dnn_app_utils, as the course ships it -----------------------------------------------


def sigmoid(Z):
    A = 1 / (1 + np.exp(-Z))
    cache = Z
    return A, cache


def relu(Z):
    A = np.maximum(0, Z)
    assert A.shape == Z.shape
    cache = Z
    return A, cache


def relu_backward(dA, cache):
    Z = cache
    dZ = np.array(dA, copy=True)  # just converting dz to a correct object.
    dZ[Z <= 0] = 0
    assert dZ.shape == Z.shape
    return dZ


def sigmoid_backward(dA, cache):
    Z = cache
    s = 1 / (1 + np.exp(-Z))
    dZ = dA * s * (1 - s)
    assert dZ.shape == Z.shape
    return dZ


def initialize_parameters_deep(layer_dims):
    np.random.seed(1)
    parameters = {}
    L = len(layer_dims)
    for l in range(1, L):
        parameters["W" + str(l)] = np.random.randn(layer_dims[l], layer_dims[l - 1]) / np.sqrt(
            layer_dims[l - 1])
        parameters["b" + str(l)] = np.random.randn(layer_dims[l], 1) * 0.1
        assert parameters["W" + str(l)].shape == (layer_dims[l], layer_dims[l - 1])
    return parameters


def linear_forward(A, W, b):
    Z = W.dot(A) + b  # dnn_app_utils_v3 writes the ndarray method
    assert Z.shape == (W.shape[0], A.shape[1])
    cache = (A, W, b)
    return Z, cache


def L_model_forward(X, parameters, keep_prob=1.0):
    """The course's L_model_forward, with week 2's inverted dropout on the hidden layers."""
    caches = []
    A = X
    L = len(parameters) // 2
    np.random.seed(3)  # the dropout assignment seeds its masks
    for l in range(1, L):
        A_prev = A
        Z, _ = linear_forward(A_prev, parameters["W" + str(l)], parameters["b" + str(l)])
        A, activation_cache = relu(Z)
        D = np.random.rand(A.shape[0], A.shape[1])
        D = D < keep_prob  # the mask, a boolean array
        A = np.multiply(A, D)
        A = A / keep_prob
        caches.append(((A_prev, parameters["W" + str(l)]), activation_cache, D))
    Z = np.dot(parameters["W" + str(L)], A) + parameters["b" + str(L)]
    AL, activation_cache = sigmoid(Z)
    caches.append(((A, parameters["W" + str(L)]), activation_cache, None))
    assert AL.shape == (1, X.shape[1])
    return AL, caches


def compute_cost_with_regularization(AL, Y, parameters, lambd):
    m = Y.shape[1]
    cross_entropy_cost = (1. / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
    cross_entropy_cost = np.squeeze(cross_entropy_cost)
    L = len(parameters) // 2
    L2 = 0
    for l in range(1, L + 1):
        L2 = L2 + np.sum(np.square(parameters["W" + str(l)]))
    L2_regularization_cost = (1 / m) * (lambd / 2) * L2
    return cross_entropy_cost + L2_regularization_cost


def L_model_backward(AL, Y, caches, parameters, keep_prob, lambd, mistake=None):
    grads = {}
    L = len(caches)
    m = AL.shape[1]
    Y = Y.reshape(AL.shape)
    dAL = - (np.divide(Y, AL) - np.divide(1 - Y, 1 - AL))
    (A_prev, W), activation_cache, _ = caches[L - 1]
    dZ = sigmoid_backward(dAL, activation_cache)
    grads["dW" + str(L)] = 1. / m * np.dot(dZ, A_prev.T) + (lambd / m) * W
    grads["db" + str(L)] = 1. / m * np.sum(dZ, axis=1, keepdims=True)
    dA_prev = np.dot(W.T, dZ)
    for l in reversed(range(L - 1)):
        (A_prev, W), activation_cache, D = caches[l]
        dA = np.multiply(dA_prev, D)
        if mistake != "dropout not scaled":
            dA = dA / keep_prob
        if mistake == "dropout mask forgotten":
            dA = dA_prev / keep_prob
        dZ = relu_backward(dA, activation_cache)
        reg = 0 if mistake == "L2 forgotten" else (lambd / m) * W
        grads["dW" + str(l + 1)] = 1. / m * np.dot(dZ, A_prev.T) + reg
        grads["db" + str(l + 1)] = 1. / m * np.sum(dZ, axis=1, keepdims=True)
        dA_prev = np.dot(W.T, dZ)
    return grads


# --- gradient checking, as the course's assignment writes it ------------------------------

KEYS = ["W1", "b1", "W2", "b2", "W3", "b3"]


def dictionary_to_vector(parameters):
    keys = []
    count = 0
    for key in KEYS:
        new_vector = np.reshape(parameters[key], (-1, 1))
        keys = keys + [key] * new_vector.shape[0]
        if count == 0:
            theta = new_vector
        else:
            theta = np.concatenate((theta, new_vector), axis=0)
        count = count + 1
    return theta, keys


def vector_to_dictionary(theta, shapes):
    parameters, start = {}, 0
    for key in KEYS:
        size = int(np.prod(shapes[key]))
        parameters[key] = theta[start:start + size].reshape(shapes[key])
        start += size
    return parameters


def gradients_to_vector(gradients):
    return np.concatenate([np.reshape(gradients["d" + key], (-1, 1)) for key in KEYS], axis=0)


def gradient_check_n(parameters, gradients, J, epsilon=1e-7):
    """The course's gradient_check_n: the difference of grad to gradapprox."""
    shapes = {k: v.shape for k, v in parameters.items()}
    parameters_values, _ = dictionary_to_vector(parameters)
    grad = gradients_to_vector(gradients)
    num_parameters = parameters_values.shape[0]
    gradapprox = np.zeros((num_parameters, 1))
    for i in range(num_parameters):
        theta_plus = np.copy(parameters_values)
        theta_plus[i][0] = theta_plus[i][0] + epsilon
        J_plus = J(vector_to_dictionary(theta_plus, shapes))
        theta_minus = np.copy(parameters_values)
        theta_minus[i][0] = theta_minus[i][0] - epsilon
        J_minus = J(vector_to_dictionary(theta_minus, shapes))
        gradapprox[i] = (J_plus - J_minus) / (2 * epsilon)
    numerator = np.linalg.norm(grad - gradapprox)
    denominator = np.linalg.norm(grad) + np.linalg.norm(gradapprox)
    return numerator / denominator


# --- the learner's test -------------------------------------------------------------------

KEEP_PROB, LAMBD = 0.8, 0.7


def data():
    np.random.seed(1)
    X = np.random.randn(5, 12)
    Y = (np.random.rand(1, 12) > 0.5).astype(int)  # integer labels, as the course's are
    return X, Y, initialize_parameters_deep([5, 4, 3, 1])


def forward(X, Y, parameters):
    AL, caches = L_model_forward(X, parameters, KEEP_PROB)
    return compute_cost_with_regularization(AL, Y, parameters, LAMBD), caches


def backward(mistake=None):
    def grads(X, Y, parameters):
        AL, caches = L_model_forward(X, parameters, KEEP_PROB)
        return L_model_backward(AL, Y, caches, parameters, KEEP_PROB, LAMBD, mistake)

    return grads


def course_difference(mistake=None):
    X, Y, parameters = data()
    grads = backward(mistake)(X, Y, parameters)
    return gradient_check_n(parameters, grads, lambda p: float(forward(X, Y, p)[0]))


def test_the_courses_deep_network_with_dropout_and_l2_passes_as_gradient_check_n_says():
    X, Y, parameters = data()
    assert_gradients_match(forward, backward(), parameters, X, Y)
    report = check_gradients(forward, backward(), parameters, X, Y)
    assert str(report).startswith("Your backward propagation works perfectly fine! difference = ")
    assert report.difference < 1e-12  # autograd is exact where gradient_check_n is not
    assert course_difference() < COURSE_THRESHOLD  # the course's own check agrees
    assert [c.name for c in report.checks] == KEYS
    # the mask removed entries: the dropout path was really taken
    AL, caches = L_model_forward(X, parameters, KEEP_PROB)
    assert not caches[0][2].all()


@pytest.mark.parametrize("mistake, hint", [
    ("dropout not scaled", "yours is 0.8 times autograd's: a missing or extra factor"),
    ("L2 forgotten", ""),
    ("dropout mask forgotten", ""),
])
def test_each_regularisation_mistake_is_caught_as_gradient_check_n_catches_it(mistake, hint):
    X, Y, parameters = data()
    with pytest.raises(AssertionError) as e:
        assert_gradients_match(forward, backward(mistake), parameters, X, Y)
    text = str(e.value)
    assert text.startswith("There is a mistake in the backward propagation! difference = ")
    assert "ok   dW3: difference = " in text and "ok   db3: difference = " in text
    assert "FAIL dW1: difference = " in text
    assert hint in text
    assert len(text.splitlines()) <= 6 * 5 + 1 and len(text) < 2000  # readable in pytest
    ours = check_gradients(forward, backward(mistake), parameters, X, Y).difference
    theirs = course_difference(mistake)
    assert theirs > COURSE_THRESHOLD
    # the same figure, from exact gradients and from the course's central differences
    # (ε = 1e-7: their truncation and rounding error is far below 1e-4 relative)
    assert ours == pytest.approx(theirs, rel=1e-4)


def test_the_parameters_flattened_by_dictionary_to_vector_backprop_to_each_parameter():
    """A regulariser written on the course's flat vector theta: ||theta||² / 2 + ||theta||."""
    X, Y, parameters = data()

    def cost(X, Y, parameters):
        theta, _ = dictionary_to_vector(parameters)
        return np.sum(np.power(theta, 2)) / 2 + np.linalg.norm(theta)

    theta, _ = dictionary_to_vector(parameters)
    norm = np.linalg.norm(theta)
    hand = {"d" + k: v + v / norm for k, v in parameters.items()}
    assert_gradients_match(cost, hand, parameters, X, Y)
    wrong = dict(hand, dW2=parameters["W2"])  # forgot the norm's term
    with pytest.raises(AssertionError, match=r"FAIL dW2: difference = \S+\n"
                                             r"       yours is 0\.\d+ times autograd's"):
        assert_gradients_match(cost, wrong, parameters, X, Y)


def test_a_compute_cost_ending_in_float_np_squeeze_runs_unchanged():
    """The newer assignments end compute_cost with cost = float(np.squeeze(cost)): the
    check follows the float back to its node, and agrees with gradient_check_n."""
    X, Y, parameters = data()

    def compute_cost(AL, Y):
        m = Y.shape[1]
        cost = (1. / m) * (-np.dot(Y, np.log(AL).T) - np.dot(1 - Y, np.log(1 - AL).T))
        cost = float(np.squeeze(cost))
        return cost

    def course_forward(X, Y, parameters):
        AL, caches = L_model_forward(X, parameters)
        return compute_cost(AL, Y), caches

    def course_backward(X, Y, parameters):
        AL, caches = L_model_forward(X, parameters)
        return L_model_backward(AL, Y, caches, parameters, 1.0, 0.0)

    report = check_gradients(course_forward, course_backward, parameters, X, Y)
    assert report.ok and report.difference < 1e-12
    assert report.cost.item() == course_forward(X, Y, parameters)[0]
    grads = course_backward(X, Y, parameters)
    theirs = gradient_check_n(parameters, grads, lambda p: course_forward(X, Y, p)[0])
    assert theirs < COURSE_THRESHOLD


def test_a_relu_written_with_in_place_assignment_is_refused_with_the_np_where_form():
    X, Y, parameters = data()

    def relu_in_place(Z):
        A = np.copy(Z)
        A[Z <= 0] = 0  # fine on arrays; on a tensor the graph would lose the old values
        return A

    def cost(X, Y, parameters):
        return np.sum(relu_in_place(np.dot(parameters["W1"], X) + parameters["b1"]))

    Z1 = parameters["W1"] @ X + parameters["b1"]
    hand = {"dW1": (Z1 > 0) @ X.T, "db1": np.sum(Z1 > 0, axis=1, keepdims=True) * 1.0,
            "dW2": np.zeros((3, 4)), "db2": np.zeros((3, 1)),
            "dW3": np.zeros((1, 3)), "db3": np.zeros((1, 1))}
    with pytest.raises(TypeError) as e:
        check_gradients(cost, hand, parameters, X, Y)
    assert str(e.value) == (
        "t[...] = ... on a tensor of shape (4, 12): a tensor's entries are not assigned in "
        "place (backward needs every value as the forward pass computed it). Select instead: "
        "A[Z <= 0] = 0 is A = np.where(Z <= 0, 0, A), or A * (Z > 0); the course's "
        "dZ[Z <= 0] = 0 belongs to the hand-written backward, on numpy arrays"
    )

    def relu_as_suggested(Z):
        return np.where(Z <= 0, 0, Z)

    def cost_fixed(X, Y, parameters):
        return np.sum(relu_as_suggested(np.dot(parameters["W1"], X) + parameters["b1"]))

    assert_gradients_match(cost_fixed, hand, parameters, X, Y)
