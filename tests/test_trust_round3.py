"""Hostile inputs, round three: grad mode per thread, every in-place write into an array a
graph saved counted or refused, arrays the graph keeps copied, and clear, bounded messages.

Oracles: the gradients written out as numbers (what PyTorch's float64 gives for the same
graph), central differences, and the exact expected error."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls import Tensor, arange, graph, nn, no_grad
from micrograd_dls.anomaly import detect_anomaly
from micrograd_dls.data import planar_flower
from micrograd_dls.tensor import flatten

CHANGED = "was changed in place after"


def _in_threads(*bodies, timeout=60.0):
    """Run each body in its own thread, all released together by a barrier; re-raise the
    first error; fail (rather than hang) past the timeout."""
    barrier = threading.Barrier(len(bodies))
    errors: list[BaseException] = []

    def run(body):
        try:
            body(barrier)
        except BaseException as e:  # noqa: BLE001 -- handed to the main thread
            errors.append(e)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(b,), daemon=True) for b in bodies]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a thread did not finish in time"
    if errors:
        raise errors[0]


# --- grad mode and anomaly mode are per thread ---------------------------------------------


def test_no_grad_in_one_thread_does_not_cut_the_graph_another_thread_builds():
    W = Tensor([[1.0, 2.0]], requires_grad=True, label="W")
    X = Tensor([[3.0], [4.0]])
    inside, built = threading.Event(), threading.Event()
    out = {}

    def holds_no_grad(barrier):
        barrier.wait()
        with no_grad():
            inside.set()
            assert built.wait(10)  # still inside no_grad while the other thread builds
            out["enabled_here"] = graph.is_grad_enabled()

    def builds(barrier):
        barrier.wait()
        assert inside.wait(10)
        J = (W @ X).sum()
        built.set()
        J.backward()
        out["grad"] = W.grad.copy()
        out["enabled_there"] = graph.is_grad_enabled()

    _in_threads(holds_no_grad, builds)
    np.testing.assert_array_equal(out["grad"], [[3.0, 4.0]])
    assert out["enabled_there"] and not out["enabled_here"] and graph.is_grad_enabled()


def test_overlapping_no_grad_blocks_of_two_threads_leave_grad_mode_on():
    first_in, second_in, first_out = threading.Event(), threading.Event(), threading.Event()

    def first(barrier):
        barrier.wait()
        with no_grad():
            first_in.set()
            assert second_in.wait(10)
        first_out.set()

    def second(barrier):
        barrier.wait()
        assert first_in.wait(10)
        with no_grad():
            second_in.set()
            assert first_out.wait(10)  # leaves after the first one left
        assert graph.is_grad_enabled()

    _in_threads(first, second)
    assert graph.is_grad_enabled()
    W = Tensor([2.0], requires_grad=True)
    assert (W * 3.0).requires_grad


def test_anomaly_mode_in_one_thread_checks_nothing_in_another():
    entered, done = threading.Event(), threading.Event()
    out = {}

    def checks(barrier):
        barrier.wait()
        with detect_anomaly():
            entered.set()
            assert done.wait(10)
            out["anomaly_here"] = graph.anomaly_enabled()

    def computes(barrier):
        barrier.wait()
        assert entered.wait(10)
        with np.errstate(divide="ignore"):
            J = Tensor([0.0], requires_grad=True).log()  # -inf: no error outside the mode
        out["J"] = float(J.data[0])
        out["anomaly_there"] = graph.anomaly_enabled()
        done.set()

    _in_threads(checks, computes)
    assert out == {"J": -np.inf, "anomaly_there": False, "anomaly_here": True}
    assert not graph.anomaly_enabled()


def test_two_threads_training_and_predicting_at_once_end_as_training_alone():
    X, Y = planar_flower(m=80, seed=3)

    def trained(other_thread_predicts: bool):
        model = nn.MLP([2, 4, 1], "tanh", seed=2)
        other = nn.MLP([2, 4, 1], "tanh", seed=5)
        stop = threading.Event()

        def train(barrier):
            barrier.wait()
            try:
                model.fit(X, Y, learning_rate=1.2, num_iterations=60, print_every=1000)
            finally:
                stop.set()

        def predict(barrier):
            barrier.wait()
            calls = 0
            while not stop.is_set() or calls < 5:
                other.predict(X)  # enters no_grad, in this thread only
                model.predict(X)
                calls += 1

        _in_threads(train, predict) if other_thread_predicts else _in_threads(train)
        return model.state_dict()

    alone, together = trained(False), trained(True)
    for key in alone:
        np.testing.assert_allclose(together[key], alone[key], rtol=1e-12, atol=1e-12)


# --- in-place writes into an array a graph saved: counted or refused ---------------------


def _graph_saving(W):
    """J = sum(W ∘ W) saves W's array; dJ/dW = 2W."""
    return (W * W).sum()


def test_np_add_at_under_no_grad_between_forward_and_backward_is_counted():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    J = _graph_saving(W)
    with no_grad():
        np.add.at(W, [0, 0], 1.0)  # the silent answer was [24, 6] for the true [4, 6]
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()


def test_np_add_at_on_a_parameter_with_grad_mode_on_is_refused_as_an_update():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    with pytest.raises(RuntimeError, match=r"in-place 'np\.add\.at' on 'W'.*under no_grad"):
        np.add.at(W, [0], 1.0)
    np.testing.assert_array_equal(W.data, [2.0, 3.0])


def test_np_copyto_into_a_constant_the_graph_saved_is_counted():
    W = Tensor([[1.0, 2.0]], requires_grad=True, label="W")
    X = Tensor([[1.0], [2.0]], label="X")
    J = (W @ X).sum()  # dW = Xᵀ = [1, 2] needs X's numbers
    np.copyto(X, 0.0)  # the silent answer was dW = [0, 0]
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()


def test_a_detached_leaf_shares_the_version_both_ways():
    W = Tensor([2.0, 3.0], requires_grad=True, label="W")
    J = _graph_saving(W)
    D = W.detach()
    D -= 1.0  # PyTorch raises at backward; the silent answer was [2, 4] for [4, 6]
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()
    V = Tensor([2.0, 3.0], requires_grad=True, label="V")
    D = V.detach()
    J = (D * V).sum()  # saves D's array (which is V's)
    with no_grad():
        V -= 1.0
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()


def test_load_state_dict_between_forward_and_backward_is_counted():
    model = nn.MLP([2, 3, 1], "tanh", seed=0)
    X, Y = planar_flower(m=10, seed=1)
    J = model.cost(X, Y)
    model.load_state_dict({k: v + 1.0 for k, v in model.state_dict().items()})
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()


def test_writes_through_data_and_its_views_are_counted_and_reads_are_not():
    W = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True, label="W")
    J = _graph_saving(W)
    _ = W.data.T.sum() + W.data[0].max() + float(np.sum(W.data))  # reading changes nothing
    J.backward(retain_graph=True)
    np.testing.assert_array_equal(W.grad, 2 * np.arange(6.0).reshape(2, 3))
    for write in (
        lambda d: d.__setitem__((0, 0), 9.0),
        lambda d: d.T.__setitem__((1, 0), 9.0),  # a view of it
        lambda d: np.reshape(d, -1).__setitem__(4, 9.0),  # a view numpy made of it
        lambda d: np.multiply(d, 2.0, out=d),
        lambda d: np.put(d, [0], 9.0),
        lambda d: np.place(d, d > 4, 0.0),
        lambda d: np.fill_diagonal(d, 1.0),
    ):
        W2 = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
        J2 = _graph_saving(W2)
        write(W2.data)
        with pytest.raises(RuntimeError, match=CHANGED):
            J2.backward()


def test_what_numpy_computes_from_data_is_a_plain_array_that_counts_nothing():
    W = Tensor([1.0, 2.0], requires_grad=True)
    J = _graph_saving(W)
    doubled = W.data * 2.0
    copied = W.data.copy()
    assert type(doubled) is np.ndarray
    doubled[0] = 5.0
    copied[0] = 5.0
    J.backward()
    np.testing.assert_array_equal(W.grad, [2.0, 4.0])


def test_np_asarray_of_a_tensor_is_a_read_only_view():
    X = Tensor([[1.0, 2.0]])
    A = np.asarray(X)
    assert np.shares_memory(A, X.data) and not A.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        A[0, 0] = 5.0


IN_PLACE = [
    ("setitem", lambda W: W.data.__setitem__(0, 7.0)),
    ("isub", lambda W: W.data.__isub__(1.0)),
    ("out=", lambda W: np.add(W.data, 1.0, out=W.data)),
    ("add.at", lambda W: np.add.at(W, [0, 0], 1.0)),
    ("copyto", lambda W: np.copyto(W, 0.5)),
    ("put", lambda W: np.put(W, [1], 0.5)),
    ("place", lambda W: np.place(W, np.ones(W.shape, dtype=bool), 0.5)),
    ("fill_diagonal", lambda W: np.fill_diagonal(W.data.reshape(1, -1), 0.5)),
    ("tensor -=", lambda W: W.__isub__(1.0)),
]


@settings(max_examples=30, deadline=None)
@given(values=st.lists(st.floats(-5, 5), min_size=2, max_size=5),
       way=st.sampled_from(IN_PLACE), use_views=st.booleans())
def test_every_in_place_entry_point_is_counted_or_refused(values, way, use_views):
    """Hypothesis: whatever numpy's way in, a write into a saved array after the forward pass
    makes backward refuse (under no_grad the write is allowed, and counted)."""
    W = Tensor(values, requires_grad=True, label="W")
    J = (W.reshape(1, -1) * W.reshape(1, -1)).sum() if use_views else _graph_saving(W)
    with no_grad():
        way[1](W)
    with pytest.raises(RuntimeError, match=CHANGED):
        J.backward()


# --- arrays the graph keeps are its own -----------------------------------------------------


def test_an_index_array_changed_before_backward_does_not_move_the_gradient():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    idx = np.array([0, 0, 2])
    y = x[idx].sum()
    idx[:] = 1  # would send the whole gradient to x[1]
    y.backward()
    np.testing.assert_array_equal(x.grad, [2.0, 0.0, 1.0])  # torch: x[idx].sum() -> [2, 0, 1]


def test_where_keeps_its_own_condition():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([10.0, 20.0], requires_grad=True)
    cond = np.array([True, False])
    out = np.where(cond, a, b).sum()
    cond[:] = [False, True]
    out.backward()
    np.testing.assert_array_equal(a.grad, [1.0, 0.0])
    np.testing.assert_array_equal(b.grad, [0.0, 1.0])


# --- peers' operation tests: flatten with start_dim == end_dim ----------------------------


@pytest.mark.parametrize("shape, args, want", [
    ((4,), (), (4,)), ((4, 3), (0, 0), (4, 3)), ((4, 3), (1,), (4, 3)),
    ((2, 3, 4), (1, 1), (2, 3, 4)), ((2, 3, 4), (1,), (2, 12)),
])
def test_flatten_of_one_axis_is_the_tensor_with_gradient_ones(shape, args, want):
    x = Tensor(np.arange(float(np.prod(shape))).reshape(shape), requires_grad=True)
    out = x.flatten(*args)
    assert out.shape == want
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, np.ones(shape))
    assert np.ravel(Tensor([1.0, 2.0])).shape == (2,)
    assert flatten(Tensor([1.0, 2.0])).shape == (2,)


# --- clear, bounded messages -------------------------------------------------------------------


def test_bool_of_a_tensor_of_several_entries_says_what_fits_a_tensor():
    with pytest.raises(ValueError) as e:
        bool(Tensor([1.0, 2.0]))
    text = str(e.value)
    assert "a.any()" not in text and "(t.data > 0).any()" in text and "2 entries" in text
    assert bool(Tensor([[3.0]])) is True


def test_arange_with_step_zero_is_a_clear_value_error():
    with pytest.raises(ValueError, match="the step is 0"):
        arange(0, 1, 0)


def test_messages_quote_huge_shapes_and_many_tensors_in_bounded_length():
    t = Tensor(np.ones(6))
    with pytest.raises(ValueError) as e:
        t.reshape([1] * 100_000)
    assert len(str(e.value)) < 800
    parts = [Tensor(np.ones((1, 2)))] * 20_000 + [Tensor(np.ones((1, 3)))]
    with pytest.raises(ValueError) as e:
        np.concatenate(parts, axis=0)
    assert len(str(e.value)) < 800 and "20001 tensors" in str(e.value)


def test_relu_at_nan_passes_the_gradient_in_both_engines_as_relu_backward_does():
    """PyTorch's threshold_backward and the course's dZ[Z <= 0] = 0 leave the gradient at a
    NaN (NaN <= 0 is false): d relu / dz = 1 there, in Value and in Tensor alike."""
    from micrograd_dls import Value

    z = Tensor([np.nan, -1.0, 0.0, 2.0], requires_grad=True)
    with np.errstate(invalid="ignore"):
        a = z.relu()
    assert np.isnan(a.data[0])
    a.backward(np.ones(4))
    np.testing.assert_array_equal(z.grad, [1.0, 0.0, 0.0, 1.0])
    v = Value(float("nan"))
    r = v.relu()
    r.backward()
    assert v.grad == 1.0


def test_the_node_table_bounds_each_cell_so_one_huge_label_does_not_widen_every_row():
    from micrograd_dls import Value, viz

    xs = [Value(float(i), label=f"x{i}") for i in range(2000)]
    xs[0].label = "L" * 100_000
    J = sum(xs[1:], xs[0] * 1.0)
    J.backward()
    table = viz.format_node_table(J)
    assert len(table) < 1_000_000 and max(len(line) for line in table.splitlines()) < 400
    assert "LLL..." in table


def test_a_label_with_characters_xml_forbids_is_drawn():
    pytest.importorskip("graphviz")
    import shutil

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed")
    from micrograd_dls import Value, viz

    x = Value(2.0, label="x\uffff\ufffe")
    J = x * 3.0
    J.label = "J\uffff"
    J.backward()
    svg = viz.draw(J).pipe(format="svg").decode()
    assert "<svg" in svg and "\uffff" not in svg and "\ufffe" not in svg


@pytest.mark.parametrize("args, kind", [((None,), TypeError), (((0, 1),), TypeError),
                                        ((0, 5), ValueError)])
def test_flatten_with_an_axis_that_is_not_one_int_names_the_tensor_and_the_fix(args, kind):
    x = Tensor(np.ones((2, 3)), label="x")
    with pytest.raises(kind, match=r"flatten\(.*'x' of shape \(2, 3\)"):
        x.flatten(*args)
