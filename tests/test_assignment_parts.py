"""The parts check_assignment is made of, each against an oracle of its own: the engine's
hook for a lens (graph.watching_nodes), the shape lens, the learner's names on the graph,
reading a function's source (fixed numbers, globals), and running it (inputs watched,
the line that changed one, the time limit)."""

import threading

import numpy as np
import pytest

from micrograd_dls import Tensor, graph, no_grad
from micrograd_dls.testing import check_gradients, runs, source
from micrograd_dls.testing.lens import watching
from micrograd_dls.testing.names import course_symbol

# --- graph.watching_nodes -------------------------------------------------------------------


def test_the_lens_sees_each_recorded_node_in_this_thread_only_while_the_block_lasts():
    W = Tensor(np.ones((2, 3)), requires_grad=True)
    X = Tensor(np.ones((3, 4)))
    seen = []
    other = []
    with graph.watching_nodes(seen.append):
        Z = W @ X
        A = Z.tanh()
        with no_grad():
            W * 2  # nothing recorded: nothing to see
        thread = threading.Thread(target=lambda: other.append(W @ X))
        thread.start()
        thread.join()
    after = A + 1
    assert len(seen) == 2 and seen[0] is Z and seen[1] is A  # not `after`, nor the thread's
    assert len(other) == 1 and other[0] is not after


def test_lenses_nest_and_the_outer_one_comes_back():
    x = Tensor(np.ones(3), requires_grad=True)
    outer, inner = [], []
    with graph.watching_nodes(outer.append):
        a = x + 1
        with graph.watching_nodes(inner.append):
            b = x * 2
        c = x - 1
    assert [id(n) for n in outer] == [id(a), id(c)] and [id(n) for n in inner] == [id(b)]


# --- the shape lens -------------------------------------------------------------------------


def shapes_of_the_course(A, Y, dZ, W, b):
    transposed = Y - A.T
    product = A * W
    rank1_made = np.sum(dZ, axis=1)
    rank1_entering = dZ + np.zeros(dZ.shape[1])
    outer = b * A  # (n, 1) times (1, m): an outer product, as np.dot would give
    bias = dZ + b  # b broadcast over the examples, as the course does
    return transposed, product, rank1_made, rank1_entering, outer, bias


def test_the_lens_names_each_classic_shape_mistake_with_its_line_and_shapes():
    A, Y = Tensor(np.ones((1, 5)), requires_grad=True), Tensor(np.ones((1, 5)))
    dZ, W = Tensor(np.ones((3, 5))), Tensor(np.ones((5, 5)), requires_grad=True)
    b = Tensor(np.ones((3, 1)))
    with watching() as lens:
        shapes_of_the_course(A, Y, dZ, W, b)
    found = [(f.kind, f.op, f.shapes, f.out, f.site.function) for f in lens.findings]
    assert found == [
        ("transposed", "-", ((1, 5), (5, 1)), (5, 5), "shapes_of_the_course"),
        ("product", "*", ((1, 5), (5, 5)), (5, 5), "shapes_of_the_course"),
        ("rank-1", "sum", ((3, 5),), (3,), "shapes_of_the_course"),
        ("rank-1", "+", ((3, 5), (5,)), (3, 5), "shapes_of_the_course"),
    ]
    lines = [f.site.line for f in lens.findings]
    assert lines == sorted(lines) and len(set(lines)) == 4


# --- names on the graph ----------------------------------------------------------------------


@pytest.mark.parametrize("name, symbol", [
    ("W1", "W[1]"), ("db2", "db[2]"), ("AL", "A[L]"), ("dZ10", "dZ[10]"), ("logprobs", "logprobs"),
    ("W", "W"), ("A_prev", "A_prev"), ("Wx1", "Wx1")])
def test_the_courses_symbols(name, symbol):
    assert course_symbol(name) == symbol


def sigmoid_cache(Z):
    A = 1 / (1 + np.exp(-Z))
    return A, Z


def layer(A_prev, W, b):
    Z = np.dot(W, A_prev) + b
    A, cache = sigmoid_cache(Z)
    return A


def two_layers(X, Y, parameters):
    A = layer(X, parameters["W1"], parameters["b1"])
    s = layer(A, parameters["W2"], parameters["b2"])
    return -np.sum(Y * np.log(s) + (1 - Y) * np.log(1 - s)) / X.shape[1]


def test_bare_Z_and_A_take_their_layer_from_the_W_they_were_computed_from():
    rng = np.random.default_rng(0)
    X, Y = rng.standard_normal((3, 4)), (rng.random((1, 4)) > 0.5).astype(float)
    p = {"W1": rng.standard_normal((2, 3)), "b1": np.zeros((2, 1)),
         "W2": rng.standard_normal((1, 2)), "b2": np.zeros((1, 1))}
    J = check_gradients(two_layers, {"dW1": 0 * p["W1"], "db1": 0 * p["b1"],
                                     "dW2": 0 * p["W2"], "db2": 0 * p["b2"]}, p, X, Y).cost
    results = [graph.label(n) for n in graph.nodes_of(J) if not graph.is_leaf(n)]
    assert [r for r in results if r] == ["Z[1]", "A[1]", "Z[2]", "A[2]"]


# --- reading the source ----------------------------------------------------------------------


def numbers_in_every_place(X, W1, n_h):
    m = 400
    n_y = 1
    other = 1
    squared = W1 ** 2 + np.power(W1, 2)
    every = [i for i in range(7) if i % 400 == 0]
    rows = X.shape[1] + np.sum(X, axis=1, keepdims=True).shape[0]
    shaped = np.zeros((4, 2))
    return m, n_y, other, squared, every, rows, shaped


def test_fixed_numbers_are_found_where_they_can_be_sizes_only():
    tree = source.parse_function(numbers_in_every_place)
    start = tree.lineno
    found = source.fixed_numbers(tree, {"m": (400,), "n_y": (1,), "n_h": (4,), "n_x": (2,)})
    assert found == [(start + 1, "m", 400), (start + 2, "n_y", 1), (start + 7, "n_h", 4),
                     (start + 7, "n_x", 2)]


NOTEBOOK_RATE = 1.2


def reads_globals(X):
    rate = NOTEBOOK_RATE
    rows = [np.sum(r) for r in X_train]  # noqa: F821 -- a notebook's name, not defined here
    return rate, rows, source.line_text, len(X)


def test_globals_that_hold_data_are_named_with_their_line_and_code_is_not():
    start = source.parse_function(reads_globals).lineno
    assert source.global_reads(reads_globals) == [
        source.GlobalRead("NOTEBOOK_RATE", start + 1, True),
        source.GlobalRead("X_train", start + 2, False),
    ]


# --- running ---------------------------------------------------------------------------------


def test_a_watch_sees_numbers_written_and_entries_replaced_but_not_reads():
    W = np.ones((2, 2))
    arguments = {"parameters": {"W1": W, "b1": np.zeros((2, 1))}, "caches": [(W, 3)]}
    watch = runs.Watch(arguments)
    _ = W.sum(), arguments["caches"][0]
    assert watch.changed() == []
    W[0, 0] = 5
    arguments["parameters"]["b1"] = np.ones((2, 1))
    assert watch.changed() == ["parameters['W1']", "caches[0][0]", "parameters"]


def writes_on_its_third_line(x):
    y = x + 1
    z = y * 2
    x[0] = z[0]
    return z


def test_the_line_that_changed_an_input_is_found_line_by_line():
    site, paths = runs.find_change(writes_on_its_third_line, {"x": np.zeros(3)})
    start = source.parse_function(writes_on_its_third_line).lineno
    assert (site.line, site.function, paths) == (start + 3, "writes_on_its_third_line", ["x"])


def counts_forever(n):
    while n >= 0:
        n += 1


def test_a_call_past_its_time_limit_stops_with_the_line_it_was_on():
    outcome = runs.call(counts_forever, (0,), seconds=0.1)
    assert isinstance(outcome.error, runs.TimeLimit)
    start = source.parse_function(counts_forever).lineno
    assert outcome.site.function == "counts_forever" and outcome.site.line in (
        start + 1, start + 2)


def test_float_of_the_cost_np_squeeze_handed_out_converts_once():
    """The course's cost = float(np.squeeze(cost)): one conversion, not one per frame of
    numpy calling the number's own __float__ back until Python's recursion limit."""
    import sys

    from micrograd_dls.testing.exits import recording

    J = (Tensor(np.ones((1, 3)), requires_grad=True) * 2).sum()
    calls = []

    def profile(frame, event, arg):
        if event == "call" and frame.f_code.co_name == "__float__":
            calls.append(frame)

    with recording() as log:
        cost = np.squeeze(J)
        sys.setprofile(profile)
        try:
            value = float(cost)
        finally:
            sys.setprofile(None)
    assert value == 6.0 and len(calls) == 1
    assert log.origin(value).node is J
