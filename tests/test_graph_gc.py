"""The library leaves Python's garbage collector as it found it; gc_paused is the opt-in."""

import gc

import pytest

from micrograd_dls import AnomalyError, Value, backward, detect_anomaly, gc_paused


@pytest.fixture
def collector():
    """Restore the collector whatever a test does to it."""
    enabled, thresholds = gc.isenabled(), gc.get_threshold()
    yield
    gc.set_threshold(*thresholds)
    (gc.enable if enabled else gc.disable)()


def state():
    return gc.isenabled(), gc.get_threshold()


def chain(n=2000):
    x = Value(0.3)
    y = x
    for _ in range(n):
        y = (1.0001 * y + 0.1).tanh() * y
    return x, y


@pytest.mark.parametrize("enabled", [True, False])
def test_backward_leaves_the_collector_as_it_was(collector, enabled):
    (gc.enable if enabled else gc.disable)()
    gc.set_threshold(555, 7, 3)
    before = state()
    x, y = chain()
    y.backward()
    backward(y, 2.0)
    assert state() == before == (enabled, (555, 7, 3))


def test_backward_that_raises_leaves_the_collector_as_it_was(collector):
    before = state()
    x, y = chain()
    with pytest.raises(TypeError, match="backward\\(grad\\)"):
        y.backward("1.0")
    assert state() == before
    r = Value(0.0) ** 0.5
    with detect_anomaly(), pytest.raises(AnomalyError):
        r.backward()  # raises from inside the sweep
    assert state() == before


def test_gc_paused_pauses_inside_and_restores_after(collector):
    gc.set_threshold(700, 10, 10)
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        x, y = chain()
        y.backward()
        assert not gc.isenabled()  # backward inside does not switch it back on
        with gc_paused():  # nested
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner block restores the outer's state
    assert state() == (True, (700, 10, 10))


def test_gc_paused_restores_when_the_block_raises(collector):
    with pytest.raises(ZeroDivisionError):
        with gc_paused():
            1 / Value(0.0)
    assert gc.isenabled()


def test_gc_paused_leaves_a_disabled_collector_disabled(collector):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()


def test_graph_built_while_paused_is_freed_by_reference_counting(collector):
    gc.collect()
    with gc_paused():
        x, y = chain()
        y.backward()
        del x, y
        assert gc.collect() == 0  # nothing was left for the collector
