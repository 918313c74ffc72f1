"""Week 4's assignment, a deep neural network step by step, as its grader checks it:
``initialize_parameters_deep``, ``linear_forward``, ``linear_activation_forward``,
``L_model_forward``, ``compute_cost``, ``linear_backward``, ``linear_activation_backward``,
``L_model_backward``, ``update_parameters``.

The notebook tests them on a network of layer sizes [5, 4, 3, 1] with m = 4 (and later
trains [12288, 20, 7, 5, 1] on m = 209 pictures); the grader uses other depths and sizes.
The helpers the notebook imports from the course's dnn_utils (``sigmoid``, ``relu`` and
their backward functions) are here in :data:`DEEP`'s ``given``, for a notebook read
without running it. The answers are :mod:`micrograd_dls.reference`'s. This module knows
the assignment; how a learner's code is run and judged is :mod:`.assignment`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import reference as course
from .course import Assignment, Graded, Sizes, distinct, layered
from .gradients import GradientReport, check_gradients

__all__ = ["DEEP"]

_BARE = {"W": ("n[l]", "n[l-1]"), "b": ("n[l]", "1"), "Z": ("n[l]", "m"), "A": ("n[l]", "m"),
         "A_prev": ("n[l-1]", "m")}


def shape(key: str, sizes: Sizes) -> tuple[str, str, tuple[int, ...]] | None:
    """The course's symbol and shape of ``key``: ``dW2`` → ("dW[2]", "(n[2], n[1])", (7, 9));
    a bare ``dW`` is layer l's, here the layer of sizes n[1] and n[0]."""
    layers, m = sizes["layer_dims"], sizes["m"]
    if key == "cost":
        return "J", "()", ()
    parts = layered(key)
    if parts is not None:
        d, letter, layer = parts
        l = len(layers) - 1 if layer == "L" else int(layer)
        if not 0 <= l < len(layers) or (letter in "Wb" and l == 0):
            return None
        names = {"W": (f"n[{layer}]", f"n[{l - 1}]"), "b": (f"n[{layer}]", "1")}.get(
            letter, (f"n[{layer}]", "m"))
        values = {"W": (layers[l], layers[l - 1]), "b": (layers[l], 1)}.get(
            letter, (layers[l], m))
        return f"{d}{letter}[{layer}]", "(" + ", ".join(names) + ")", values
    bare = key[1:] if key.startswith("d") and key[1:] in _BARE else key
    names = _BARE.get(bare)  # type: ignore[assignment]  # names and values: reused below
    if names is None:
        return None
    values = {"n[l]": layers[1], "n[l-1]": layers[0], "m": m, "1": 1}  # type: ignore[assignment]  # a dict now
    symbol = "A[l-1]" if bare == "A_prev" else f"{bare}[l]"
    return (key[0] if bare != key else "") + symbol, "(" + ", ".join(names) + ")", tuple(
        values[n] for n in names)  # type: ignore[call-overload]  # the dict of sizes


# --- the helpers of the course's dnn_utils ---------------------------------------------------


def sigmoid(Z: Any) -> tuple[Any, Any]:
    """A = 1 / (1 + e^(-Z)), and Z as the activation cache: dnn_utils' sigmoid."""
    return 1 / (1 + np.exp(-Z)), Z


def relu(Z: Any) -> tuple[Any, Any]:
    """A = max(0, Z), and Z as the activation cache: dnn_utils' relu."""
    return np.maximum(0, Z), Z


def sigmoid_backward(dA: Any, cache: Any) -> Any:
    """dZ = dA * s (1 - s) with s = σ(Z), Z from the cache: dnn_utils' sigmoid_backward."""
    s = 1 / (1 + np.exp(-cache))
    return dA * s * (1 - s)


def relu_backward(dA: Any, cache: Any) -> Any:
    """dZ = dA where Z > 0, 0 elsewhere, on a copy of dA: dnn_utils' relu_backward."""
    dZ = np.array(dA, copy=True)
    dZ[cache <= 0] = 0
    return dZ


# --- the course's inputs at given sizes -------------------------------------------------------


def _parameters(rng: np.random.Generator, layers: tuple[int, ...]) -> dict[str, np.ndarray]:
    out = {}
    for l in range(1, len(layers)):
        out[f"W{l}"] = rng.standard_normal((layers[l], layers[l - 1])) / np.sqrt(layers[l - 1])
        out[f"b{l}"] = rng.standard_normal((layers[l], 1)) * 0.2
    return out


def _layer(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    """A_prev, W, b of a layer of sizes n[l-1] = layers[0], n[l] = layers[1]."""
    n_prev, n = s["layer_dims"][0], s["layer_dims"][1]
    return {"A": rng.standard_normal((n_prev, s["m"])),
            "W": rng.standard_normal((n, n_prev)) / np.sqrt(n_prev),
            "b": rng.standard_normal((n, 1)) * 0.2}


def _activation_forward(rng: np.random.Generator, s: Sizes, activation: str) -> dict[str, Any]:
    layer = _layer(rng, s)
    return {"A_prev": layer["A"], "W": layer["W"], "b": layer["b"], "activation": activation}


def _linear_backward(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    layer = _layer(rng, s)
    dZ = rng.standard_normal((s["layer_dims"][1], s["m"]))
    return {"dZ": dZ, "cache": (layer["A"], layer["W"], layer["b"])}


def _activation_backward(rng: np.random.Generator, s: Sizes, activation: str
                         ) -> dict[str, Any]:
    layer = _layer(rng, s)
    Z = course.linear_forward(layer["A"], layer["W"], layer["b"])[0]
    dA = rng.standard_normal(Z.shape)
    return {"dA": dA, "cache": ((layer["A"], layer["W"], layer["b"]), Z),
            "activation": activation}


def _network(rng: np.random.Generator, s: Sizes) -> tuple:
    X = rng.standard_normal((s["layer_dims"][0], s["m"]))
    Y = (rng.random((1, s["m"])) > 0.5).astype(float)
    return X, Y, _parameters(rng, s["layer_dims"])


def _model_backward(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    X, Y, parameters = _network(rng, s)
    AL, caches = course.L_model_forward(X, parameters)
    return {"AL": AL, "Y": Y, "caches": caches}


def _update(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    parameters = _parameters(rng, s["layer_dims"])
    grads = {"d" + k: rng.standard_normal(v.shape) * 0.1 for k, v in parameters.items()}
    return {"params": parameters, "grads": grads, "learning_rate": s["learning_rate"]}


def _cost(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    return {"AL": rng.uniform(0.05, 0.95, (1, s["m"])),
            "Y": (rng.random((1, s["m"])) > 0.5).astype(float)}


def _draw(rng: np.random.Generator) -> dict[str, Any]:
    L = int(rng.choice([2, 4]))
    *layers, m = distinct(rng, L + 1, {1, 3, 4, 5, 7, 20}, low=6, high=14)
    return {"layer_dims": (*layers, 1), "m": m, "learning_rate": float(rng.choice([0.02, 0.3]))}


def _gradients(functions: Mapping[str, Callable[..., Any]], rng: np.random.Generator,
               sizes: Sizes) -> GradientReport:
    L_model_forward = functions["L_model_forward"]
    compute_cost = functions["compute_cost"]
    L_model_backward = functions["L_model_backward"]

    def forward(X: Any, Y: Any, parameters: dict[str, Any]) -> tuple[Any, Any]:
        AL, caches = L_model_forward(X, parameters)
        return compute_cost(AL, Y), caches

    def backward(X: Any, Y: Any, parameters: dict[str, Any]) -> Any:
        AL, caches = L_model_forward(X, parameters)
        return L_model_backward(AL, Y, caches)

    X, Y, parameters = _network(rng, sizes)
    return check_gradients(forward, backward, parameters, X, Y)


_LAYER = ("layer_dims", "m")
_BOTH = ({"activation": "sigmoid"}, {"activation": "relu"})
DEEP = Assignment(
    name="deep",
    title="Week 4, building your deep neural network step by step",
    functions=(
        Graded("initialize_parameters_deep", lambda rng, s: {"layer_dims": list(s["layer_dims"])},
               lambda a: course.initialize_parameters_deep(a["layer_dims"]), ("parameters",),
               ("layer_dims",), {"L": "len(layer_dims)", "n[l]": "layer_dims"},
               kind="initialization"),
        Graded("linear_forward", _layer, lambda a: course.linear_forward(a["A"], a["W"], a["b"]),
               ("Z", "cache"), _LAYER, {"m": "A.shape[1]", "n[l]": "the shapes of A and W"}),
        Graded("linear_activation_forward", _activation_forward,
               lambda a: course.linear_activation_forward(a["A_prev"], a["W"], a["b"],
                                                          a["activation"]),
               ("A", "cache"), _LAYER, {"m": "A_prev.shape[1]"}, variants=_BOTH),
        Graded("L_model_forward", lambda rng, s: dict(zip(("X", "parameters"),
                                                          _network(rng, s)[::2])),
               lambda a: course.L_model_forward(a["X"], a["parameters"]), ("AL", "caches"),
               _LAYER, {"L": "len(parameters) // 2", "n[l]": "the parameters' shapes",
                        "m": "X.shape[1]"}),
        Graded("compute_cost", _cost, lambda a: course.compute_cost(a["AL"], a["Y"]), ("cost",),
               ("m",), {"m": "Y.shape[1]"}),
        Graded("linear_backward", _linear_backward,
               lambda a: course.linear_backward(a["dZ"], a["cache"]), ("dA_prev", "dW", "db"),
               _LAYER, {"m": "A_prev.shape[1]"}),
        Graded("linear_activation_backward", _activation_backward,
               lambda a: course.linear_activation_backward(a["dA"], a["cache"], a["activation"]),
               ("dA_prev", "dW", "db"), _LAYER, {"m": "A_prev.shape[1]"}, variants=_BOTH),
        Graded("L_model_backward", _model_backward,
               lambda a: course.L_model_backward(a["AL"], a["Y"], a["caches"]), ("grads",),
               _LAYER, {"L": "len(caches)", "n[l]": "the caches' shapes", "m": "AL.shape[1]"}),
        Graded("update_parameters", _update,
               lambda a: course.update_parameters(a["params"], a["grads"], a["learning_rate"]),
               ("parameters",), ("layer_dims", "learning_rate"),
               {"L": "len(parameters) // 2", "n[l]": "the parameters' shapes",
                "learning_rate": "its argument learning_rate"}),
    ),
    notebook={"layer_dims": (5, 4, 3, 1), "m": 4, "learning_rate": 0.1},
    fixed={"layer_dims": {"L": (3, 4), "n[l]": (5, 4, 3, 12288, 20, 7)}, "m": {"m": (4, 209)},
           "learning_rate": {"learning_rate": (0.1, 0.0075)}},
    draw=_draw,
    shape=shape,
    given={"sigmoid": sigmoid, "relu": relu, "sigmoid_backward": sigmoid_backward,
           "relu_backward": relu_backward},
    gradients=_gradients,
    gradient_entry="L_model_backward",
    gradient_needs=("L_model_forward", "compute_cost", "L_model_backward"),
)
