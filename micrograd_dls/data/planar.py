"""Two-dimensional two-class data sets: the course's flower, and moons, circles, blobs.

Every generator returns ``X`` of shape ``(2, m)`` (one example per column,
float64) and ``Y`` of shape ``(1, m)`` with labels 0.0 and 1.0, and takes an
int seed or a ``numpy.random.Generator`` (``numpy.random.RandomState`` too).
"""

from __future__ import annotations

import numpy as np

__all__ = ["DATASETS", "blobs", "circles", "moons", "planar_flower"]

Seed = int | np.random.Generator | np.random.RandomState | None


def _count(m: int, name: str) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 2 or m % 2:
        raise ValueError(
            f"{name}: m = {m!r} examples; give an even int >= 2 (half of them per class)"
        )
    return int(m) // 2


def _normal(rng: np.random.Generator | np.random.RandomState, size: int) -> np.ndarray:
    if isinstance(rng, np.random.RandomState):
        return rng.randn(size)
    return rng.standard_normal(size)


def _rng(seed: Seed, name: str) -> np.random.Generator | np.random.RandomState:
    if isinstance(seed, (np.random.Generator, np.random.RandomState)):
        return seed
    if seed is None or (
        isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0
    ):
        return np.random.default_rng(seed)
    raise TypeError(
        f"{name}: seed must be a non-negative int, a numpy.random.Generator, a "
        f"numpy.random.RandomState or None, got {seed!r}"
    )


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
            f"or a numpy.random.RandomState, got {seed!r}"
        )
    a = 4
    X = np.zeros((2 * N, 2))
    for j in range(2):
        ix = slice(N * j, N * (j + 1))
        t = np.linspace(j * 3.12, (j + 1) * 3.12, N) + rng.randn(N) * 0.2
        r = a * np.sin(4 * t) + rng.randn(N) * 0.2
        X[ix] = np.c_[r * np.sin(t), r * np.cos(t)]
    return X.T.copy(), _labels(N)


def moons(m: int = 400, noise: float = 0.2, seed: Seed = 0) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles: class 0 on (cos θ, sin θ), class 1 on
    (1 - cos θ, 1/2 - sin θ), θ in [0, π], plus N(0, noise²) on each coordinate."""
    N = _count(m, "moons")
    rng = _rng(seed, "moons")
    t = np.linspace(0.0, np.pi, N)
    x = np.concatenate([np.cos(t), 1.0 - np.cos(t)])
    y = np.concatenate([np.sin(t), 0.5 - np.sin(t)])
    X = np.vstack([x, y]) + noise * _normal(rng, 4 * N).reshape(2, 2 * N)
    return X, _labels(N)


def circles(
    m: int = 400, noise: float = 0.1, factor: float = 0.5, seed: Seed = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two concentric circles: class 0 of radius 1, class 1 of radius ``factor``,
    plus N(0, noise²) on each coordinate."""
    N = _count(m, "circles")
    if not 0.0 < factor < 1.0:
        raise ValueError(f"circles: factor = {factor!r}; the inner radius must be in (0, 1)")
    rng = _rng(seed, "circles")
    t = np.linspace(0.0, 2 * np.pi, N, endpoint=False)
    radius = np.repeat([1.0, factor], N)
    tt = np.concatenate([t, t])
    X = np.vstack([radius * np.cos(tt), radius * np.sin(tt)])
    X += noise * _normal(rng, 4 * N).reshape(2, 2 * N)
    return X, _labels(N)


def blobs(
    m: int = 400, distance: float = 3.0, std: float = 1.0, seed: Seed = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clouds of standard deviation ``std`` centred at (0, 0) and
    (distance, distance)/√2: linearly separable when distance >> std."""
    N = _count(m, "blobs")
    rng = _rng(seed, "blobs")
    centres = np.repeat([0.0, distance / np.sqrt(2.0)], N)
    X = np.vstack([centres, centres]) + std * _normal(rng, 4 * N).reshape(2, 2 * N)
    return X, _labels(N)


#: The built-in data sets by name (``micrograd-dls train --data NAME``).
DATASETS = {
    "planar": planar_flower,
    "moons": moons,
    "circles": circles,
    "blobs": blobs,
}
