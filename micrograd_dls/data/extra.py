"""The course's extra data sets, from scikit-learn's own generators.

The planar notebook's ``load_extra_datasets`` draws four more two-class sets
with ``N = 200`` points each::

    noisy_circles = sklearn.datasets.make_circles(n_samples=N, factor=.5, noise=.3)
    noisy_moons = sklearn.datasets.make_moons(n_samples=N, noise=.2)
    blobs = sklearn.datasets.make_blobs(n_samples=N, random_state=5, n_features=2, centers=6)
    gaussian_quantiles = sklearn.datasets.make_gaussian_quantiles(
        mean=None, cov=0.5, n_samples=N, n_features=2, n_classes=2, shuffle=True,
        random_state=None)

and then turns each into the course's layout, ``X, Y = X.T, Y.reshape(1, m)``,
with ``Y = Y % 2`` for the six blobs. The functions here make the same calls
with the same parameters and return that layout (float64 ``X`` of shape
``(2, m)``, ``Y`` of shape ``(1, m)`` with labels 0.0 and 1.0).

Seeds: the course seeds only the blobs (``random_state=5``, our default too);
the other three draw from numpy's global generator, so they change each run.
Here every set takes an explicit ``seed`` -- an int, a
``numpy.random.RandomState`` or a ``numpy.random.Generator`` (which seeds the
draw with one 32-bit integer of its stream) -- that defaults to 1, so a run can
be repeated.

scikit-learn is optional (``pip install 'micrograd_dls[datasets]'``) and is
imported only when one of these sets is drawn.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..checks import optional_import, quote

__all__ = ["blobs", "gaussian_quantiles", "noisy_circles", "noisy_moons"]

Seed = int | np.random.Generator | np.random.RandomState | None

#: The course's number of points per set (``N = 200`` in ``load_extra_datasets``).
N = 200


def sklearn_datasets(name: str) -> Any:
    return optional_import(
        "sklearn.datasets", "datasets", f"{name} (drawn by scikit-learn's generators)"
    )


def _count(m: Any, name: str) -> int:
    if isinstance(m, bool) or not isinstance(m, (int, np.integer)) or m < 2:
        raise ValueError(f"{name}: m = {quote(m)} examples; give an int >= 2")
    return int(m)


def _random_state(seed: Seed, name: str) -> int | np.random.RandomState:
    """What scikit-learn's ``random_state`` accepts, from our seed."""
    if isinstance(seed, np.random.RandomState):
        return seed
    if isinstance(seed, np.random.Generator):
        return int(seed.integers(2**32))
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and 0 <= seed < 2**32:
        return int(seed)
    raise TypeError(
        f"{name}: seed must be an int in [0, 2**32), a numpy.random.Generator or a "
        f"numpy.random.RandomState, got {quote(seed)}"
    )


def _course_layout(X: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """X, Y = X.T, Y.reshape(1, m), as float64."""
    return np.ascontiguousarray(X.T, dtype=np.float64), y.reshape(1, -1).astype(np.float64)


def noisy_circles(
    m: int = N, factor: float = 0.5, noise: float = 0.3, seed: Seed = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Two circles, y = 0 of radius 1 and y = 1 of radius ``factor``, plus N(0, noise²):
    ``make_circles(n_samples=m, factor=.5, noise=.3)``, the course's noisy_circles."""
    m = _count(m, "noisy_circles")
    state = _random_state(seed, "noisy_circles")
    X, y = sklearn_datasets("noisy_circles").make_circles(
        n_samples=m, factor=factor, noise=noise, random_state=state
    )
    return _course_layout(X, y)


def noisy_moons(
    m: int = N, noise: float = 0.2, seed: Seed = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved half circles plus N(0, noise²):
    ``make_moons(n_samples=m, noise=.2)``, the course's noisy_moons."""
    m = _count(m, "noisy_moons")
    state = _random_state(seed, "noisy_moons")
    X, y = sklearn_datasets("noisy_moons").make_moons(
        n_samples=m, noise=noise, random_state=state
    )
    return _course_layout(X, y)


def blobs(
    m: int = N, centers: int = 6, seed: Seed = 5
) -> tuple[np.ndarray, np.ndarray]:
    """Six Gaussian blobs, y = (blob number) mod 2: ``make_blobs(n_samples=m,
    random_state=5, n_features=2, centers=6)`` then ``Y % 2``, the course's blobs."""
    m = _count(m, "blobs")
    state = _random_state(seed, "blobs")
    X, y = sklearn_datasets("blobs").make_blobs(
        n_samples=m, random_state=state, n_features=2, centers=centers
    )
    return _course_layout(X, y % 2)


def gaussian_quantiles(
    m: int = N, cov: float = 0.5, seed: Seed = 1
) -> tuple[np.ndarray, np.ndarray]:
    """A Gaussian N(0, cov·I) cut at the median of |x|: y = 0 inside, y = 1 outside;
    ``make_gaussian_quantiles(mean=None, cov=0.5, n_samples=m, n_features=2,
    n_classes=2, shuffle=True)``, the course's gaussian_quantiles."""
    m = _count(m, "gaussian_quantiles")
    state = _random_state(seed, "gaussian_quantiles")
    X, y = sklearn_datasets("gaussian_quantiles").make_gaussian_quantiles(
        mean=None, cov=cov, n_samples=m, n_features=2, n_classes=2, shuffle=True,
        random_state=state,
    )
    return _course_layout(X, y)
