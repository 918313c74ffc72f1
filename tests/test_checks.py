"""checks.quote bounds what user input can do to a message; numeric_array names the argument."""

import numpy as np
import pytest

from micrograd_dls import Tensor
from micrograd_dls.checks import QUOTE_LIMIT, format_bytes, numeric_array, quote, shown

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
    # the package itself installs anywhere; the extra only from a clone of micrograd_dls
    assert str(e.value) == (
        "reading the course's .h5 files needs h5py, which is not installed: pip install h5py "
        '(in a clone of micrograd_dls: pip install -e ".[data]")'
    )
    monkeypatch.setitem(sys.modules, "sklearn", None)
    monkeypatch.setitem(sys.modules, "sklearn.datasets", None)  # imported by earlier tests
    with pytest.raises(ModuleNotFoundError, match=r"pip install scikit-learn \(in a clone of "
                                                  r'micrograd_dls: pip install -e "\.\[datasets'):
        optional_import("sklearn.datasets", "datasets", "make_moons")


# --- the course's shapes: one message each, wherever the check is made --------------------

RANK1_TAIL = (" -- the course avoids rank-1 arrays: numpy broadcasts one as a row or as a "
              "column, whichever fits")


def test_rank1_message_names_the_array_its_shape_and_the_code_that_fixes_it():
    from micrograd_dls.checks import rank1_message

    assert rank1_message("Y", (400,), "Y.reshape(1, 400)", "fit") == (
        "fit: Y has shape (400,), a rank-1 array; use Y.reshape(1, 400)" + RANK1_TAIL
    )
    assert rank1_message("db1", (4,), "np.sum(dZ1, axis=1, keepdims=True)") == (
        "db1 has shape (4,), a rank-1 array; use np.sum(dZ1, axis=1, keepdims=True)" + RANK1_TAIL
    )
    # a hostile name is quoted, bounded and escaped, as every user input in a message
    message = rank1_message("Y\x1b" + "y" * 10_000, (3,), "reshape(1, 3)")
    assert "\x1b" not in message and len(message) < 250


@pytest.mark.parametrize("X, message", [
    (np.zeros((40, 2)), "X has shape (40, 2) but must be (2, m): 2 features per column, one "
                        "column per example -- examples go in columns, so pass X.T"),
    (np.zeros((3, 40)), "X has shape (3, 40) but must be (2, m): 2 features per column, one "
                        "column per example"),
    (np.zeros((5, 4, 4)), "X has shape (5, 4, 4) but must be (2, m): 2 features per column, "
                          "one column per example -- flatten each example into a column "
                          "first, e.g. X.reshape(X.shape[0], -1).T"),
    (np.zeros(40), "X has shape (40,), a rank-1 array; use X.reshape(2, -1)" + RANK1_TAIL),
    (np.zeros((2, 0)), "X has no examples (m = 0)"),
    (np.array([[1.0, np.inf]] * 2), "X contains NaN or infinity; clean or impute those "
                                    "entries first"),
])
def test_check_examples_wants_one_example_per_column(X, message):
    from micrograd_dls.checks import check_examples

    with pytest.raises(ValueError) as e:
        check_examples(X, 2)
    assert str(e.value) == message
    with pytest.raises(ValueError) as e:
        check_examples(X, 2, where="plot_dataset")
    assert str(e.value) == "plot_dataset: " + message


def test_check_examples_returns_the_array_and_refuses_text():
    from micrograd_dls.checks import check_examples

    X = check_examples([[1, 2, 3], [4, 5, 6]], 2)
    assert X.shape == (2, 3) and X.tolist() == [[1, 2, 3], [4, 5, 6]]
    with pytest.raises(TypeError, match="^fit: X must hold numbers, got an array of dtype <U1$"):
        check_examples([["a"], ["b"]], 2, where="fit")


@pytest.mark.parametrize("Y, kwargs, message", [
    (np.zeros(8), {"m": 8}, "Y has shape (8,), a rank-1 array; use Y.reshape(1, 8)" + RANK1_TAIL),
    (np.zeros(8), {"m": 4, "n_y": 2},
     "Y has shape (8,), a rank-1 array; use Y.reshape(2, -1)" + RANK1_TAIL),
    (np.zeros((8, 1)), {"m": 8}, "Y has shape (8, 1) but must be (1, 8): one label per example "
                                 "(X has m = 8), one column per example -- pass Y.T"),
    (np.zeros((1, 7)), {"m": 8}, "Y has shape (1, 7) but must be (1, 8): one label per example "
                                 "(X has m = 8), one column per example"),
    (np.zeros((3, 5)), {}, "Y has shape (3, 5) but must be (1, m): one label per example, one "
                           "column per example"),
    (np.zeros((5, 2)), {"n_y": 2}, "Y has shape (5, 2) but must be (2, m): 2 labels per "
                                   "example, one column per example -- pass Y.T"),
    (np.array([[0.0, np.nan]]), {"m": 2}, "Y contains NaN or infinity"),
    (np.array([[0.0, 2.0, 0.5, 1.0]]), {"m": 4, "binary": True},
     "Y must hold labels 0 and 1, found [0.5, 2.0]; real-valued targets need a linear output "
     "layer and the squared error"),
])
def test_check_labels_wants_a_row_of_labels(Y, kwargs, message):
    from micrograd_dls.checks import check_labels

    with pytest.raises(ValueError) as e:
        check_labels(Y, **kwargs)
    assert str(e.value) == message


def test_check_labels_returns_good_labels_as_they_are():
    from micrograd_dls.checks import check_labels

    Y = np.array([[0, 1, 1]])
    assert check_labels(Y, 3, binary=True) is Y
    assert check_labels(np.array([[0.25, 3.0]])).shape == (1, 2)  # any m, real values


def test_layer_weight_and_bias_are_n_l_by_n_prev_and_n_l_by_1():
    from micrograd_dls.checks import check_layer_bias, check_layer_weight

    assert check_layer_weight(np.ones((4, 2)), 1, 4, 2).shape == (4, 2)
    assert check_layer_bias(np.zeros((4, 1)), 1, 4).shape == (4, 1)
    cases = [
        (lambda: check_layer_weight(np.ones((2, 4)), 1, 4, 2, "W1"),
         "W1 has shape (2, 4) but layer 1 needs W[1] of shape (n[1], n[0]) = (4, 2) -- "
         "transposed: pass W1.T"),
        (lambda: check_layer_weight(np.ones((4, 3)), 2, 4, 2),
         "W[2] has shape (4, 3) but layer 2 needs W[2] of shape (n[2], n[1]) = (4, 2)"),
        (lambda: check_layer_weight(np.full((4, 2), np.nan), 1, 4, 2, "W1", where="load"),
         "load: W1 contains NaN or infinity"),
        (lambda: check_layer_bias(np.zeros(4), 3, 4, "b3"),
         "b3 has shape (4,), a rank-1 array; use b3.reshape(4, 1)" + RANK1_TAIL),
        (lambda: check_layer_bias(np.zeros((1, 4)), 1, 4),
         "b[1] has shape (1, 4) but layer 1 needs b[1] of shape (n[1], 1) = (4, 1) -- "
         "transposed: pass b[1].T"),
    ]
    for call, message in cases:
        with pytest.raises(ValueError) as e:
            call()
        assert str(e.value) == message


def test_a_learners_rank_1_bias_gradient_gets_the_same_message():
    from micrograd_dls.testing import assert_gradients_match

    X = np.arange(12.0).reshape(3, 4)
    params = {"W": np.ones((2, 3)), "b": np.zeros((2, 1))}

    def forward(X, p):
        return np.sum(np.dot(p["W"], X) + p["b"])

    grads = {"dW": np.ones((2, 1)) @ X.sum(axis=1, keepdims=True).T, "db": np.full(2, 4.0)}
    with pytest.raises(AssertionError) as e:
        assert_gradients_match(forward, grads, params, X)
    assert str(e.value) == (
        "db has shape (2,), a rank-1 array; use np.sum(dZ, axis=1, keepdims=True), which "
        "keeps (2, 1)" + RANK1_TAIL
    )


# --- the sizes of a network, against this machine's memory --------------------------------


@pytest.mark.parametrize("n, text", [
    (0, "0 bytes"), (999, "999 bytes"), (1000, "1.0 kB"), (3_200_000, "3.2 MB"),
    (16_700_000_000, "16.7 GB"), (2 * 10**12, "2.0 TB"), (16 * 10**23, "1.6e24 bytes"),
])
def test_format_bytes_reads_as_a_person_writes_it(n, text):
    from micrograd_dls.checks import format_bytes

    assert format_bytes(n) == text


def test_physical_memory_is_pages_times_page_size_with_a_fallback(monkeypatch):
    import os

    from micrograd_dls import checks

    if hasattr(os, "sysconf"):
        assert checks.physical_memory() == (os.sysconf("SC_PAGE_SIZE")
                                            * os.sysconf("SC_PHYS_PAGES"))
    monkeypatch.delattr(os, "sysconf", raising=False)
    assert checks.physical_memory() == 16 * 2**30 == checks.FALLBACK_MEMORY

    def unknown(name):
        raise ValueError(f"unrecognized configuration name {name}")

    monkeypatch.setattr(os, "sysconf", unknown, raising=False)
    assert checks.physical_memory() == checks.FALLBACK_MEMORY


@pytest.fixture
def memory_16gb(monkeypatch):
    """A machine of 16 GB, whatever runs the tests."""
    from micrograd_dls import checks

    monkeypatch.setattr(checks, "physical_memory", lambda: 16 * 10**9)


@pytest.mark.parametrize("dims", [[2], 3, [2, 0, 1], [2, True, 1], [2, 1.5, 1], "21", None])
def test_layer_sizes_wants_two_or_more_positive_ints(dims):
    from micrograd_dls.checks import layer_sizes

    with pytest.raises(ValueError) as e:
        layer_sizes(dims, "MLP")
    assert str(e.value) == (
        f"MLP: layer_dims = {quote(dims)}: give [n_x, n[1], ..., n[L]], at least two "
        "positive ints (e.g. [2, 4, 1] for a shallow network)"
    )


def test_layer_sizes_are_ints():
    from micrograd_dls.checks import layer_sizes

    dims = layer_sizes(np.array([2, 4, 1]))
    assert dims == [2, 4, 1] and all(type(n) is int for n in dims)


def test_a_layer_too_big_for_memory_is_refused_before_numpy_is_asked(memory_16gb, monkeypatch):
    from micrograd_dls import nn

    def no_draw(*args):
        raise AssertionError("the weights were drawn before the sizes were checked")

    monkeypatch.setattr(nn.init, "randn", no_draw)
    # W[1] is 10**23 x 2 float64: 2 * 10**23 * 8 = 1.6 * 10**24 bytes
    with pytest.raises(ValueError) as e:
        nn.MLP([2, 10**23, 1])
    assert str(e.value) == (
        "MLP: layer 1 would need 1.6e24 bytes for W[1] (10**23 x 2 float64), more than this "
        "machine's memory (16.0 GB); give smaller layer sizes"
    )
    # W[2] is 50,000 x 50,000 float64: 2.5 * 10**9 * 8 = 20 GB, W[1] 400 kB fits
    with pytest.raises(ValueError, match=r"^MLP: layer 2 would need 20\.0 GB for W\[2\] "
                                         r"\(50000 x 50000 float64\), more than"):
        nn.MLP([4, 50_000, 50_000, 1])
    with pytest.raises(ValueError) as e:
        nn.Linear(10**6, 10**6)  # 10**12 * 8 bytes = 8 TB
    assert str(e.value) == (
        "Linear(1000000, 1000000) would need 8.0 TB for W (10**6 x 10**6 float64), more than "
        "this machine's memory (16.0 GB); give smaller sizes"
    )


def test_layers_that_fit_one_by_one_but_not_together_are_refused(monkeypatch):
    from micrograd_dls import checks, nn

    monkeypatch.setattr(checks, "physical_memory", lambda: 10 * 10**6)
    # each W[l] is 1000 x 1000 float64 = 8 MB; all of W[1], b[1], W[2], b[2]:
    # (1000 * 1000 + 1000) * 2 = 2,002,000 numbers * 8 = 16.016 MB
    with pytest.raises(ValueError) as e:
        nn.MLP([1000, 1000, 1000])
    assert str(e.value) == (
        "MLP: the network would need 16.0 MB for its 2002000 parameters W[l] and b[l] "
        "(float64), more than this machine's memory (10.0 MB); give smaller layer sizes"
    )


def test_the_scalar_mlp_counts_a_value_per_weight(memory_16gb):
    import sys

    from micrograd_dls import Value
    from micrograd_dls.nn import scalar

    per_weight = sys.getsizeof(Value(0.0)) + sys.getsizeof(0.0) + 8
    assert 24 + 8 < per_weight < 1000
    # 10**8 weights fit in 16 GB as float64 (0.8 GB) but not as Values of > 160 bytes
    n = 10**8 if per_weight > 160 else 10**9
    with pytest.raises(ValueError) as e:
        scalar.MLP([1, n, 1])
    assert str(e.value).startswith(
        f"scalar MLP: layer 1 would need {format_bytes(per_weight * n)} for W[1] "
        f"({'10**8' if n == 10**8 else '10**9'} x 1 Values), more than this machine's memory"
    )
    with pytest.raises(ValueError, match=r"^scalar MLP: layer_dims = \[2\]: give"):
        scalar.MLP([2])
