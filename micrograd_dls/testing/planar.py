"""Week 3's assignment, planar data classification with one hidden layer, as its grader
checks it: ``layer_sizes``, ``initialize_parameters``, ``forward_propagation``,
``compute_cost``, ``backward_propagation``, ``update_parameters``, ``predict``.

The notebook runs them on the flower, X of shape (2, 400), with n_h = 4 and a learning
rate of 1.2; the grader on other sizes, and hands ``backward_propagation`` a cache whose
A1 is not tanh(Z1). The answers are :mod:`micrograd_dls.reference`'s. This module knows
the assignment; how a learner's code is run and judged is :mod:`.assignment`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import reference as course
from .course import Assignment, Graded, Sizes, Trap, distinct, layered
from .gradients import GradientReport, check_gradients
from .runs import positional

__all__ = ["PLANAR"]

_SHAPES = {"W1": ("n_h", "n_x"), "b1": ("n_h", "1"), "W2": ("n_y", "n_h"),
           "b2": ("n_y", "1"), "Z1": ("n_h", "m"), "A1": ("n_h", "m"), "Z2": ("n_y", "m"),
           "A2": ("n_y", "m"), "X": ("n_x", "m"), "Y": ("n_y", "m"),
           "predictions": ("1", "m")}


def shape(key: str, sizes: Sizes) -> tuple[str, str, tuple[int, ...]] | None:
    """The course's symbol and shape of ``key``: ``dW1`` → ("dW[1]", "(n_h, n_x)", (5, 3))."""
    if key == "cost":
        return "J", "()", ()
    parts = layered(key)
    names = _SHAPES.get(key[1:] if parts and parts[0] else key)
    if names is None:
        return None
    symbol = f"{parts[0]}{parts[1]}[{parts[2]}]" if parts else key
    dims = {**sizes, "1": 1}
    if key in ("Z2", "A2", "dZ2", "dA2", "Y", "predictions"):
        dims["n_y"] = 1
    return symbol, "(" + ", ".join(names) + ")", tuple(int(dims[n]) for n in names)


# --- the course's inputs at given sizes -------------------------------------------------------


def _data(rng: np.random.Generator, n_x: int, m: int, n_y: int = 1) -> tuple:
    X = rng.standard_normal((n_x, m))
    Y = (rng.random((n_y, m)) > 0.5).astype(float)
    return X, Y


def _parameters(rng: np.random.Generator, n_x: int, n_h: int) -> dict[str, np.ndarray]:
    return {"W1": rng.standard_normal((n_h, n_x)) * 0.7, "b1": rng.standard_normal((n_h, 1)) * 0.2,
            "W2": rng.standard_normal((1, n_h)) * 0.7, "b2": rng.standard_normal((1, 1)) * 0.2}


def _forward_arguments(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    X, _ = _data(rng, s["n_x"], s["m"])
    return {"X": X, "parameters": _parameters(rng, s["n_x"], s["n_h"])}


def _cost_arguments(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    X, Y = _data(rng, s["n_x"], s["m"])
    parameters = _parameters(rng, s["n_x"], s["n_h"])
    A2 = course.forward_propagation(X, parameters)[0]
    return {"A2": A2, "Y": Y, "parameters": parameters}


def _backward_arguments(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    X, Y = _data(rng, s["n_x"], s["m"])
    parameters = _parameters(rng, s["n_x"], s["n_h"])
    cache = course.forward_propagation(X, parameters)[1]
    return {"parameters": parameters, "cache": cache, "X": X, "Y": Y}


def _graders_cache(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    """The grader's test: the cache's A1 is any array in (-1, 1), not tanh(Z1)."""
    arguments = _backward_arguments(rng, s)
    arguments["cache"]["A1"] = rng.uniform(-0.9, 0.9, arguments["cache"]["A1"].shape)
    return arguments


def _update_arguments(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    parameters = _parameters(rng, s["n_x"], s["n_h"])
    grads = {"d" + k: rng.standard_normal(v.shape) * 0.1 for k, v in parameters.items()}
    return {"parameters": parameters, "grads": grads, "learning_rate": s["learning_rate"]}


def _predict_arguments(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    X, _ = _data(rng, s["n_x"], s["m"])
    return {"parameters": _parameters(rng, s["n_x"], s["n_h"]), "X": X}


def _draw(rng: np.random.Generator) -> dict[str, Any]:
    n_x, n_h, m = distinct(rng, 3, {1, 2, 4})
    return {"n_x": n_x, "n_h": n_h, "n_y": int(rng.choice([2, 3])), "m": m,
            "learning_rate": float(rng.choice([0.05, 0.3, 0.75]))}


# --- the gradient check of the learner's own forward and backward ------------------------------


def _cost(compute_cost: Callable[..., Any], A2: Any, Y: Any, parameters: Any) -> Any:
    """The older template's compute_cost(A2, Y, parameters), or the newer's (A2, Y)."""
    return compute_cost(*(A2, Y, parameters)[:max(2, min(3, positional(compute_cost)))])


def _gradients(functions: Mapping[str, Callable[..., Any]], rng: np.random.Generator,
               sizes: Sizes) -> GradientReport:
    forward_propagation = functions["forward_propagation"]
    compute_cost = functions["compute_cost"]
    backward_propagation = functions["backward_propagation"]

    def forward(X: Any, Y: Any, parameters: dict[str, Any]) -> tuple[Any, Any]:
        A2, cache = forward_propagation(X, parameters)
        return _cost(compute_cost, A2, Y, parameters), cache

    def backward(X: Any, Y: Any, parameters: dict[str, Any]) -> Any:
        cache = forward_propagation(X, parameters)[1]
        return backward_propagation(parameters, cache, X, Y)

    X, Y = _data(rng, sizes["n_x"], sizes["m"])
    return check_gradients(forward, backward, _parameters(rng, sizes["n_x"], sizes["n_h"]), X, Y)


def sigmoid(x: Any) -> Any:
    """s = 1 / (1 + e^(-x)): the helper the notebook imports from planar_utils."""
    return 1 / (1 + np.exp(-x))


_M = {"m": "X.shape[1]"}
PLANAR = Assignment(
    name="planar",
    title="Week 3, planar data classification with one hidden layer",
    functions=(
        Graded("layer_sizes",
               lambda rng, s: dict(zip(("X", "Y"), _data(rng, s["n_x"], s["m"], s["n_y"]))),
               lambda a: course.layer_sizes(a["X"], a["Y"]), ("n_x", "n_h", "n_y"),
               ("n_x", "n_y"), {"n_x": "X.shape[0]", "n_y": "Y.shape[0]"}),
        Graded("initialize_parameters",
               lambda rng, s: {"n_x": s["n_x"], "n_h": s["n_h"], "n_y": s["n_y"]},
               lambda a: course.initialize_parameters(a["n_x"], a["n_h"], a["n_y"]),
               ("parameters",), ("n_x", "n_h", "n_y"),
               {d: f"its argument {d}" for d in ("n_x", "n_h", "n_y")},
               kind="initialization", scale=0.01),
        Graded("forward_propagation", _forward_arguments,
               lambda a: course.forward_propagation(a["X"], a["parameters"]), ("A2", "cache"),
               ("n_x", "n_h", "m"), {**_M, "n_x": "X.shape[0]", "n_h": "W1.shape[0]"}),
        Graded("compute_cost", _cost_arguments,
               lambda a: course.compute_cost(a["A2"], a["Y"]), ("cost",), ("m",),
               {"m": "Y.shape[1]"}, optional=("parameters",)),
        Graded("backward_propagation", _backward_arguments,
               lambda a: course.backward_propagation(a["parameters"], a["cache"], a["X"],
                                                     a["Y"]),
               ("grads",), ("n_x", "n_h", "m"), {**_M, "n_h": "W1.shape[0]"},
               trap=Trap(_graders_cache, "tanh", "a cache whose A1 is not tanh(Z1), as the "
                         "grader's is",
                         "the course's dZ[1] = W[2]ᵀ dZ[2] * (1 - A[1]²) takes A[1] from the "
                         "cache, since g[1]'(Z[1]) = 1 - A[1]² for tanh")),
        Graded("update_parameters", _update_arguments,
               lambda a: course.update_parameters(a["parameters"], a["grads"],
                                                  a["learning_rate"]),
               ("parameters",), ("n_x", "n_h", "learning_rate"),
               {"learning_rate": "its argument learning_rate", "n_h": "W1.shape[0]"}),
        Graded("predict", _predict_arguments,
               lambda a: course.predict(a["X"], a["parameters"], "tanh"), ("predictions",),
               ("n_x", "n_h", "m"), _M),
    ),
    notebook={"n_x": 2, "n_h": 4, "n_y": 1, "m": 400, "learning_rate": 1.2},
    fixed={"n_x": {"n_x": (2,)}, "n_h": {"n_h": (4,)}, "n_y": {"n_y": (1,)},
           "m": {"m": (400,)}, "learning_rate": {"learning_rate": (1.2,)}},
    draw=_draw,
    shape=shape,
    given={"sigmoid": sigmoid},
    gradients=_gradients,
    gradient_entry="backward_propagation",
    gradient_needs=("forward_propagation", "compute_cost", "backward_propagation"),
)
