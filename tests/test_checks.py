"""checks.quote bounds what user input can do to a message; numeric_array names the argument."""

import numpy as np
import pytest

from micrograd_dls import Tensor
from micrograd_dls.checks import QUOTE_LIMIT, numeric_array, quote, shown

pytestmark = pytest.mark.drawing  # no BLAS-dependent figures: see conftest.py


def test_quote_short_input_is_its_repr():
    assert quote("relu") == "'relu'"
    assert quote(3) == "3"


def test_quote_escapes_control_characters():
    q = quote("a\x1b[31mb\nc")
    assert "\x1b" not in q and "\n" not in q
    assert "\\x1b" in q and "\\n" in q


def test_quote_bounds_huge_sequences_and_strings():
    for x in (list(range(100_000)), tuple(range(100_000)), "x" * 1_000_000, b"y" * 1_000_000):
        q = quote(x)
        assert len(q) <= QUOTE_LIMIT + 40, (type(x), len(q))
    assert "100000 entries" in quote(list(range(100_000)))
    assert "characters" in quote("z" * 500)


def test_quote_survives_a_failing_repr():
    class Bad:
        def __repr__(self):
            raise RuntimeError("no")

    assert "repr failed" in quote(Bad())


def test_numeric_array_takes_tensors_and_names_the_argument():
    assert numeric_array(Tensor([1.0, 2.0]), "X").tolist() == [1.0, 2.0]
    with pytest.raises(TypeError, match="Y must hold numbers, got an array of dtype <U1"):
        numeric_array(np.array(["a"]), "Y")


def test_quote_escapes_once_and_also_a_users_own_repr():
    assert quote("a\x1bb") == "'a\\x1bb'"  # one backslash: what repr shows, not repr of repr
    assert quote("θ = 1") == "'θ = 1'"  # printable letters stay readable

    class Shouting:
        def __repr__(self):
            return "\x1b[2J\n" * 100

    q = quote(Shouting())
    assert "\x1b" not in q and "\n" not in q and q.startswith("\\x1b[2J\\n")
    assert q.endswith("(500 characters)") and len(q) <= QUOTE_LIMIT + 40


def test_shown_gives_short_names_bare_and_quotes_the_rest():
    assert shown("W[1]") == "W[1]"
    assert shown("a\nb") == "'a\\nb'"
    assert shown("") == "''"
    assert shown("x" * 1000).endswith("(1000 characters)")
    assert shown(3) == "3"


def test_engine_messages_quote_user_input_in_bounded_length():
    """A huge label or axis in a Tensor error stays a short, escaped message."""
    label = "W\x1b" + "x" * 100_000
    W = Tensor(np.ones((2, 3)), label=label)
    with pytest.raises(ValueError) as e:
        W @ Tensor(np.ones((2, 3)))
    assert len(str(e.value)) < 600 and "\x1b" not in str(e.value)
    with pytest.raises(TypeError) as e:
        W.sum(axis="a" * 100_000)
    assert len(str(e.value)) < 300


def test_optional_import_names_the_feature_the_package_and_the_extra(monkeypatch):
    import sys

    from micrograd_dls.checks import optional_import

    assert optional_import("numpy.linalg", "x", "anything") is np.linalg
    monkeypatch.setitem(sys.modules, "h5py", None)
    with pytest.raises(ModuleNotFoundError) as e:
        optional_import("h5py", "data", "reading the course's .h5 files")
    assert str(e.value) == (
        "reading the course's .h5 files needs h5py, which is not installed: "
        "pip install 'micrograd_dls[data]' (or pip install h5py)"
    )
