"""Initialisers: the course's seeded draws digit for digit, and the other schemes."""

import numpy as np
import pytest

from micrograd_dls import reference as R
from micrograd_dls.nn import init


def test_small_with_seed_2_is_the_planar_notebooks_initialize_parameters():
    p = init.initialize([2, 4, 1], "small", seed=2)
    q = R.initialize_parameters(2, 4, 1, seed=2)
    for k in q:
        np.testing.assert_array_equal(p[k], q[k])


def test_deep_with_seed_1_is_the_deep_cat_models_initialize_parameters_deep():
    dims = [12288, 20, 7, 5, 1]
    p = init.initialize(dims, "deep", seed=1)
    q = R.initialize_parameters_deep(dims, seed=1)
    assert list(p) == list(q)
    for k in q:
        np.testing.assert_array_equal(p[k], q[k])


def test_an_int_seed_leaves_numpys_global_generator_alone():
    np.random.seed(7)
    expected = np.random.randn(2)
    np.random.seed(7)
    init.initialize([3, 2, 1], "he", seed=0)
    np.testing.assert_array_equal(np.random.randn(2), expected)


def test_one_stream_draws_layer_after_layer_with_nothing_in_between():
    rng = init.make_rng(5)
    W1, W2 = init.small(3, 2, rng), init.small(1, 3, rng)
    np.random.seed(5)
    np.testing.assert_array_equal(W1, np.random.randn(3, 2) * 0.01)
    np.testing.assert_array_equal(W2, np.random.randn(1, 3) * 0.01)


def test_a_generator_is_used_as_given():
    a = init.he(4, 3, np.random.default_rng(9))
    b = np.random.default_rng(9).standard_normal((4, 3)) * np.sqrt(2.0 / 3)
    np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize(
    "name, std",
    [("small", lambda i, o: 0.01), ("deep", lambda i, o: 1 / np.sqrt(i)),
     ("he", lambda i, o: np.sqrt(2 / i)), ("xavier", lambda i, o: np.sqrt(2 / (i + o)))],
)
def test_each_scheme_has_its_standard_deviation(name, std):
    n_out, n_in = 400, 250
    W = init.INITIALIZERS[name](n_out, n_in, 0)
    assert W.shape == (n_out, n_in)
    assert W.std() == pytest.approx(std(n_in, n_out), rel=0.02)
    assert abs(W.mean()) < 0.01 * std(n_in, n_out) * 10


def test_zeros_and_biases_start_at_zero():
    p = init.initialize([3, 2, 1], "zeros", seed=0)
    assert all(not v.any() for v in p.values())
    p = init.initialize([3, 2, 1], "xavier", seed=0)
    assert p["b1"].shape == (2, 1) and not p["b1"].any()


def test_unknown_scheme_and_bad_seed_are_named():
    with pytest.raises(ValueError, match="unknown initialisation 'glorot'.*xavier"):
        init.initialize([2, 1], "glorot")
    with pytest.raises(TypeError, match="seed must be.*'abc'"):
        init.make_rng("abc")
    with pytest.raises(TypeError, match="seed must be"):
        init.make_rng(-1)


def test_course_scheme_follows_the_courses_choice_by_depth():
    assert init.course_scheme([2, 1]) == "zeros"
    assert init.course_scheme([2, 4, 1]) == "small"
    assert init.course_scheme([12288, 20, 7, 5, 1]) == "deep"
