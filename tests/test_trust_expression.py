"""Messages that say what was really wrong, and stay short whatever the user passed:
the expression's fractional power of a negative base, and huge names, types and values
quoted in bounded length by Value, the expression builder and the data sets."""

import numpy as np
import pytest

from micrograd_dls import Value, graph
from micrograd_dls.checks import QUOTE_LIMIT
from micrograd_dls.data import flatten_images, planar_flower
from micrograd_dls.expression import ExpressionError, build, parse_values

# --- a negative base to a fractional power --------------------------------------


@pytest.mark.parametrize(
    ("source", "values", "power"),
    [
        ("J = a**0.5", {"a": -8}, "(-8) ** 0.5"),
        ("J = (-8)**a", {"a": 0.5}, "(-8) ** 0.5"),
        ("J = a**b", {"a": -8, "b": 0.25}, "(-8) ** 0.25"),
        ("J = a + (-2)**0.5", {"a": 1}, "(-2) ** 0.5"),
    ],
)
def test_a_negative_base_to_a_fractional_power_says_so_not_too_large(source, values, power):
    # Python's own float arithmetic: the answer is not a real number at all
    base, exponent = (float(t) for t in power.replace("(", "").replace(")", "").split(" ** "))
    assert isinstance(base**exponent, complex)
    with pytest.raises(ExpressionError) as e:
        build(source, values)
    message = str(e.value)
    assert f"a negative base has no real fractional power: {power} is not a real number; " \
        "make the base positive or the exponent a whole number" in message
    assert "too large" not in message and "(column" in message


def test_a_negative_base_to_a_whole_power_and_a_positive_base_still_work():
    J = build("J = a**3 + b**0.5", {"a": -2, "b": 9})
    J.backward()
    leaves = {graph.label(n): n for n in graph.nodes_of(J)}
    assert J.data == -8.0 + 3.0
    # d(a³)/da = 3a² = 12, d(√b)/db = 1 / (2√b) = 1/6
    assert leaves["a"].grad == 12.0 and leaves["b"].grad == pytest.approx(1 / 6, rel=1e-15)


def test_an_overflow_is_still_too_large():
    with pytest.raises(ExpressionError, match="too large for a float; scale the inputs down"):
        build("J = a*b", {"a": 1e300, "b": 1e300})


# --- huge input quoted in bounded length ---------------------------------------------

HUGE = 10_000
BOUND = 400 + 3 * QUOTE_LIMIT  # a message's own words plus a few bounded quotes


def huge_type():
    return type("T" * HUGE, (), {})()


def test_value_of_an_object_with_a_huge_type_name_is_bounded():
    for call in (lambda x: Value(x), lambda x: Value(1.0) * x, lambda x: x - Value(1.0)):
        with pytest.raises(TypeError) as e:
            call(huge_type())
        assert "must be a number or a Value" in str(e.value)
        assert len(str(e.value)) < BOUND


def test_a_ufunc_with_a_huge_name_on_a_value_is_bounded():
    def f(x):
        return x

    f.__name__ = "g" * HUGE
    ufunc = np.frompyfunc(f, 1, 1)
    with pytest.raises(TypeError) as e:
        ufunc(Value(1.0))
    assert "is not an operation of Value" in str(e.value) and len(str(e.value)) < BOUND


def test_the_expressions_inputs_with_huge_types_are_bounded():
    cases = [
        lambda: build("J = 2*a", {"a": huge_type()}),
        lambda: build(huge_type(), {"a": 1}),
        lambda: build("J = 2*a", huge_type()),
        lambda: parse_values(huge_type()),
        lambda: parse_values([huge_type()]),
    ]
    for call in cases:
        with pytest.raises(TypeError) as e:
            call()
        assert len(str(e.value)) < BOUND, str(e.value)[:200]


@pytest.mark.parametrize(("kwargs", "words"), [({"m": "7" * HUGE}, "examples"),
                                               ({"seed": "s" * HUGE}, "seed must be")])
def test_the_flower_quotes_a_huge_m_or_seed_bounded(kwargs, words):
    with pytest.raises((TypeError, ValueError)) as e:
        planar_flower(**kwargs)
    assert words in str(e.value) and len(str(e.value)) < BOUND


def test_flatten_images_quotes_a_huge_dtype_bounded():
    dtype = np.dtype([(f"field_{i}", "U1") for i in range(500)])
    with pytest.raises(TypeError) as e:
        flatten_images(np.zeros((2, 3), dtype=dtype))
    assert "pixels must be numbers" in str(e.value) and len(str(e.value)) < BOUND
