"""The course's extra data sets (load_extra_datasets) from scikit-learn's generators."""

import subprocess
import sys

import numpy as np
import pytest

from micrograd_dls.data import (
    DATASETS,
    blobs,
    gaussian_quantiles,
    noisy_circles,
    noisy_moons,
    planar_flower,
)

sklearn_datasets = pytest.importorskip("sklearn.datasets")
N = 200  # the course's load_extra_datasets


def course_layout(X, Y):
    """The planar notebook's X, Y = X.T, Y.reshape(1, Y.shape[0])."""
    return X.T, Y.reshape(1, Y.shape[0])


# The course's own calls, with the random_state it leaves out given as ours.
COURSE_CALLS = {
    noisy_circles: lambda seed: sklearn_datasets.make_circles(
        n_samples=N, factor=.5, noise=.3, random_state=seed),
    noisy_moons: lambda seed: sklearn_datasets.make_moons(
        n_samples=N, noise=.2, random_state=seed),
    blobs: lambda seed: sklearn_datasets.make_blobs(
        n_samples=N, random_state=seed, n_features=2, centers=6),
    gaussian_quantiles: lambda seed: sklearn_datasets.make_gaussian_quantiles(
        mean=None, cov=0.5, n_samples=N, n_features=2, n_classes=2, shuffle=True,
        random_state=seed),
}


@pytest.mark.parametrize("make", list(COURSE_CALLS), ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [0, 7])
def test_each_set_is_the_courses_call_point_for_point(make, seed):
    X, Y = make(seed=seed)
    Xc, Yc = course_layout(*COURSE_CALLS[make](seed))
    if make is blobs:
        Yc = Yc % 2  # the course's "make blobs binary"
    assert X.shape == (2, N) and Y.shape == (1, N)
    assert X.dtype == np.float64 and Y.dtype == np.float64
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(Y, Yc)
    assert set(np.unique(Y)) == {0.0, 1.0}


def test_blobs_default_to_the_courses_random_state_5():
    X, Y = blobs()
    Xc, Yc = course_layout(*COURSE_CALLS[blobs](5))
    np.testing.assert_array_equal(X, Xc)
    np.testing.assert_array_equal(Y, Yc % 2)


@pytest.mark.parametrize("make", list(COURSE_CALLS), ids=lambda f: f.__name__)
def test_the_default_seed_repeats_and_another_seed_differs(make):
    np.testing.assert_array_equal(make()[0], make()[0])
    assert not np.array_equal(make(seed=1)[0], make(seed=2)[0])


def test_a_generator_or_random_state_seeds_the_draw():
    X1, _ = noisy_moons(seed=np.random.default_rng(3))
    X2, _ = noisy_moons(seed=np.random.default_rng(3))
    np.testing.assert_array_equal(X1, X2)
    X3, _ = noisy_moons(seed=np.random.RandomState(4))
    Xc, _ = course_layout(*COURSE_CALLS[noisy_moons](np.random.RandomState(4)))
    np.testing.assert_array_equal(X3, Xc)


def test_circles_put_y1_on_the_inner_circle_of_radius_factor():
    X, Y = noisy_circles(m=100, noise=0.0, factor=0.3)
    radius = np.hypot(X[0], X[1])
    np.testing.assert_allclose(radius[Y[0] == 0], 1.0)
    np.testing.assert_allclose(radius[Y[0] == 1], 0.3)


def test_gaussian_quantiles_put_y1_outside_the_median_radius():
    X, Y = gaussian_quantiles(m=400, seed=0)
    r2 = (X ** 2).sum(axis=0)
    assert r2[Y[0] == 1].min() >= r2[Y[0] == 0].max()
    assert Y.sum() == 200


@pytest.mark.parametrize("make", list(COURSE_CALLS), ids=lambda f: f.__name__)
@pytest.mark.parametrize("seed", [-1, "1", 1.5, True, 2**32])
def test_a_bad_seed_is_named(make, seed):
    with pytest.raises(TypeError, match=f"{make.__name__}: seed must be .*got {seed!r}"):
        make(seed=seed)


@pytest.mark.parametrize("m", [0, 1, 2.5, True, "200"])
def test_a_bad_m_is_refused_with_the_reason(m):
    with pytest.raises(ValueError, match=r"noisy_moons: m = .* give an int >= 2"):
        noisy_moons(m=m)


def test_datasets_registry_keys_the_sets_as_the_courses_datasets_dict():
    assert DATASETS == {
        "planar": planar_flower,
        "noisy_circles": noisy_circles,
        "noisy_moons": noisy_moons,
        "blobs": blobs,
        "gaussian_quantiles": gaussian_quantiles,
    }


def test_without_scikit_learn_the_error_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)
    with pytest.raises(ImportError, match=r'noisy_moons .*pip install -e "\.\[datasets\]"'):
        noisy_moons()


def test_importing_the_library_and_its_data_loads_neither_scikit_learn_nor_h5py():
    code = ("import sys, micrograd_dls, micrograd_dls.data; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('sklearn', 'h5py')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
