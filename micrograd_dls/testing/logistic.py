"""Week 2's assignment, logistic regression with a neural network mindset, as its grader
checks it: ``sigmoid``, ``initialize_with_zeros``, ``propagate``, ``optimize``,
``predict``.

The notebook tests them with w of shape (2, 1) and X of shape (2, 3), then trains on the
cat pictures (n_x = 12288, m = 209) for 2000 iterations at a learning rate of 0.005; the
grader runs them at other sizes, numbers of iterations and rates. The answers are
:mod:`micrograd_dls.reference`'s. This module knows the assignment; how a learner's code
is run and judged is :mod:`.assignment`'s.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from .. import reference as course
from .course import Assignment, Graded, Sizes, distinct
from .gradients import GradientReport, check_gradients

__all__ = ["LOGISTIC"]

_SHAPES = {"w": ("n_x", "1"), "dw": ("n_x", "1"), "A": ("1", "m"), "dZ": ("1", "m"),
           "Z": ("1", "m"), "X": ("n_x", "m"),
           "Y": ("1", "m"), "Y_prediction": ("1", "m")}


def shape(key: str, sizes: Sizes) -> tuple[str, str, tuple[int, ...]] | None:
    """The course's symbol and shape of ``key``: ``dw`` → ("dw", "(n_x, 1)", (5, 1))."""
    if key in ("cost", "b", "db"):
        return ("J" if key == "cost" else key), "()", ()
    names = _SHAPES.get(key)
    if names is None:
        return None
    dims = {**sizes, "1": 1}
    return key, "(" + ", ".join(names) + ")", tuple(int(dims[n]) for n in names)


def _model(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    """w, b, X, Y at these sizes: w and b not zero, so that every gradient shows."""
    return {"w": rng.standard_normal((s["n_x"], 1)) * 0.5, "b": float(rng.standard_normal()),
            "X": rng.standard_normal((s["n_x"], s["m"])),
            "Y": (rng.random((1, s["m"])) > 0.5).astype(float)}


def _optimize_arguments(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    return {**_model(rng, s), "num_iterations": s["num_iterations"],
            "learning_rate": s["learning_rate"], "print_cost": False}


def _predict_arguments(rng: np.random.Generator, s: Sizes) -> dict[str, Any]:
    arguments = _model(rng, s)
    del arguments["Y"]
    return arguments


def _draw(rng: np.random.Generator) -> dict[str, Any]:
    n_x, m = distinct(rng, 2, {2, 3})
    return {"n_x": n_x, "m": m, "num_iterations": int(rng.choice([150, 201, 260])),
            "learning_rate": float(rng.choice([0.05, 0.1, 0.2]))}


def _gradients(functions: Mapping[str, Callable[..., Any]], rng: np.random.Generator,
               sizes: Sizes) -> GradientReport:
    propagate = functions["propagate"]

    def forward(X: Any, Y: Any, parameters: dict[str, Any]) -> Any:
        return propagate(parameters["w"], parameters["b"], X, Y)[1]

    def backward(X: Any, Y: Any, parameters: dict[str, Any]) -> Any:
        return propagate(parameters["w"], float(parameters["b"]), X, Y)[0]

    model = _model(rng, sizes)
    parameters = {"w": model["w"], "b": np.array(model["b"])}
    return check_gradients(forward, backward, parameters, model["X"], model["Y"])


_SOURCES = {"n_x": "X.shape[0]", "m": "X.shape[1]"}
LOGISTIC = Assignment(
    name="logistic_regression",
    title="Week 2, logistic regression with a neural network mindset",
    functions=(
        Graded("sigmoid", lambda rng, s: {"z": rng.standard_normal((s["n_x"], s["m"])) * 3},
               lambda a: course.sigmoid(a["z"])[0], ("s",)),
        Graded("initialize_with_zeros", lambda rng, s: {"dim": s["n_x"]},
               lambda a: course.initialize_with_zeros(a["dim"]), ("w", "b"), ("n_x",),
               {"n_x": "its argument dim"}),
        Graded("propagate", _model,
               lambda a: course.propagate(a["w"], a["b"], a["X"], a["Y"]), ("grads", "cost"),
               ("n_x", "m"), _SOURCES),
        Graded("optimize", _optimize_arguments,
               lambda a: course.optimize(a["w"], a["b"], a["X"], a["Y"], a["num_iterations"],
                                         a["learning_rate"]),
               ("params", "grads", "costs"), ("n_x", "m", "num_iterations", "learning_rate"),
               {**_SOURCES, "num_iterations": "its argument num_iterations",
                "learning_rate": "its argument learning_rate"}),
        Graded("predict", _predict_arguments,
               lambda a: course.logistic_predict(a["w"], a["b"], a["X"]), ("Y_prediction",),
               ("n_x", "m"), _SOURCES),
    ),
    notebook={"n_x": 2, "m": 3, "num_iterations": 100, "learning_rate": 0.009},
    fixed={"n_x": {"n_x": (2, 12288)}, "m": {"m": (3, 209, 50)},
           "num_iterations": {"num_iterations": (100, 2000)},
           "learning_rate": {"learning_rate": (0.009, 0.005)}},
    draw=_draw,
    shape=shape,
    gradients=_gradients,
    gradient_entry="propagate",
    gradient_needs=("propagate",),
)
