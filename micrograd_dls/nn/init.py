"""Weight initialisers; biases always start at zero.

Each takes the shape ``(n[l], n[l-1])`` and a seed: an int, a
``numpy.random.Generator`` or a ``numpy.random.RandomState``. An int seeds a
private ``RandomState``, which draws exactly what the course's
``np.random.seed(s); np.random.randn(...)`` draws -- so a network built layer
by layer from one :func:`make_rng` reproduces the course's matrices digit for
digit, without touching numpy's global generator.

==========  =============================================  ====================
name        W[l]                                           use
==========  =============================================  ====================
zeros       0                                              the symmetry problem
small       randn(n[l], n[l-1]) * 0.01                     the lecture, shallow
deep        randn(n[l], n[l-1]) / sqrt(n[l-1])             the course's deep model
he          randn(n[l], n[l-1]) * sqrt(2 / n[l-1])         ReLU networks
xavier      randn(n[l], n[l-1]) * sqrt(2 / (n[l-1]+n[l]))  Glorot's, tanh/sigmoid
==========  =============================================  ====================
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..checks import quote

__all__ = [
    "INITIALIZERS",
    "Rng",
    "course_scheme",
    "Seed",
    "deep",
    "get",
    "he",
    "initialize",
    "make_rng",
    "randn",
    "small",
    "xavier",
    "zeros",
]

Rng = np.random.Generator | np.random.RandomState
Seed = int | np.random.Generator | np.random.RandomState | None


def make_rng(seed: Seed = None) -> Rng:
    """A source of N(0, 1) draws: ``RandomState(seed)`` for an int (the course's
    legacy stream), a given Generator or RandomState as is, fresh entropy for None."""
    if isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return seed
    if seed is None:
        return np.random.default_rng()
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.RandomState(int(seed))
    raise TypeError(
        f"seed must be a non-negative int, a numpy.random.Generator, a "
        f"numpy.random.RandomState or None, got {quote(seed)}"
    )


def randn(n_out: int, n_in: int, seed: Seed = None) -> np.ndarray:
    """randn(n[l], n[l-1]): standard normal draws, the course's ``np.random.randn``."""
    rng = make_rng(seed)
    if isinstance(rng, np.random.RandomState):
        return rng.randn(n_out, n_in)
    return rng.standard_normal((n_out, n_in))


def zeros(n_out: int, n_in: int, seed: Seed = None) -> np.ndarray:
    """W = 0: every hidden unit computes the same function and gets the same update."""
    return np.zeros((n_out, n_in))


def small(n_out: int, n_in: int, seed: Seed = None) -> np.ndarray:
    """W = randn(n[l], n[l-1]) * 0.01, the lecture's small random start."""
    return randn(n_out, n_in, seed) * 0.01


def deep(n_out: int, n_in: int, seed: Seed = None) -> np.ndarray:
    """W = randn(n[l], n[l-1]) / sqrt(n[l-1]), the course's deep-network scheme."""
    return randn(n_out, n_in, seed) / np.sqrt(n_in)


def he(n_out: int, n_in: int, seed: Seed = None) -> np.ndarray:
    """W = randn(n[l], n[l-1]) * sqrt(2 / n[l-1]) (He et al., for ReLU)."""
    return randn(n_out, n_in, seed) * np.sqrt(2.0 / n_in)


def xavier(n_out: int, n_in: int, seed: Seed = None) -> np.ndarray:
    """W = randn(n[l], n[l-1]) * sqrt(2 / (n[l-1] + n[l])) (Glorot and Bengio)."""
    return randn(n_out, n_in, seed) * np.sqrt(2.0 / (n_in + n_out))


#: The initialisers by name, as ``MLP(..., init=name)`` accepts them.
INITIALIZERS: dict[str, Callable[[int, int, Seed], np.ndarray]] = {
    "zeros": zeros,
    "small": small,
    "deep": deep,
    "he": he,
    "xavier": xavier,
}


def get(name: str) -> Callable[[int, int, Seed], np.ndarray]:
    """The initialiser called ``name``, or a ValueError listing the choices."""
    try:
        return INITIALIZERS[name]
    except (KeyError, TypeError):
        raise ValueError(
            f"unknown initialisation {quote(name)}; choose one of {', '.join(INITIALIZERS)}"
        ) from None


def course_scheme(layer_dims: list[int]) -> str:
    """The course's choice by depth: 'zeros' for logistic regression [n_x, 1], 'small'
    for one hidden layer (the planar and two-layer models), 'deep' for more."""
    L = len(layer_dims) - 1
    return "zeros" if L == 1 else "small" if L == 2 else "deep"


def initialize(
    layer_dims: list[int], scheme: str = "deep", seed: Seed = None
) -> dict[str, np.ndarray]:
    """{"W1", "b1", ..., "WL", "bL"}: W[l] drawn for l = 1..L in order from one stream, b[l] = 0.

    With ``scheme='small', seed=2`` on ``[n_x, n_h, 1]`` this is the planar
    notebook's ``initialize_parameters``; with ``scheme='deep', seed=1`` the deep
    cat model's ``initialize_parameters_deep``.
    """
    draw = get(scheme)
    rng = make_rng(seed)
    parameters = {}
    for l in range(1, len(layer_dims)):
        parameters[f"W{l}"] = draw(layer_dims[l], layer_dims[l - 1], rng)
        parameters[f"b{l}"] = np.zeros((layer_dims[l], 1))
    return parameters
