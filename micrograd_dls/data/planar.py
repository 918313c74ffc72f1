"""The course's planar flower, point for point.

``X`` has shape ``(2, m)`` (one example per column, float64) and ``Y`` shape
``(1, m)`` with labels 0.0 and 1.0, as for the course's other two-dimensional
sets in :mod:`micrograd_dls.data.extra`.
"""

from __future__ import annotations

import numpy as np

from ..checks import quote

__all__ = ["planar_flower"]


def _count(m: int, name: str) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 2 or m % 2:
        raise ValueError(
            f"{name}: m = {quote(m)} examples; give an even int >= 2 (half of them per class)"
        )
    return int(m) // 2


def _labels(N: int) -> np.ndarray:
    return np.repeat([0.0, 1.0], N).reshape(1, 2 * N)


def planar_flower(
    m: int = 400, seed: int | np.random.RandomState = 1
) -> tuple[np.ndarray, np.ndarray]:
    """The course's flower: for class j, θ = linspace(3.12 j, 3.12 (j+1), N) + 0.2 randn(N),
    r = 4 sin(4θ) + 0.2 randn(N), points (r sin θ, r cos θ).

    Point for point the planar-data notebook's ``load_planar_dataset`` (seeded
    with ``np.random.seed(seed)``; a private ``RandomState`` here, so numpy's
    global generator is left alone).
    """
    N = _count(m, "planar_flower")
    if isinstance(seed, np.random.RandomState):
        rng = seed
    elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and 0 <= seed < 2**32:
        rng = np.random.RandomState(seed)
    else:
        raise TypeError(
            f"planar_flower: seed must be an int in [0, 2**32) (the course's np.random.seed) "
            f"or a numpy.random.RandomState, got {quote(seed)}"
        )
    a = 4
    X = np.zeros((2 * N, 2))
    for j in range(2):
        ix = slice(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2
        r = a * np.sin(4 * t) + rng.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    return X.T.copy(), _labels(N)
