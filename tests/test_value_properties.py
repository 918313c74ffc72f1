"""Property tests: random expression trees over every scalar op agree with central differences."""

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from micrograd_dls import Value, graph
from micrograd_dls.gradcheck import gradcheck

N_INPUTS = 3

# Each op keeps values in a range where it is smooth and finite, so central
# differences are a fair oracle; a tree whose ReLU or leaky ReLU sits near its kink is
# skipped (near_a_kink), since no finite difference sees a derivative there.
UNARY = {
    "neg": lambda x: -x,
    "exp": lambda x: (x * 0.3).exp(),
    "log": lambda x: (x * x + 0.5).log(),
    "tanh": lambda x: x.tanh(),
    "sigmoid": lambda x: x.sigmoid(),
    "relu": lambda x: x.relu(),
    "leaky_relu": lambda x: x.leaky_relu(0.05),
    "square": lambda x: x**2,
    "rsub": lambda x: 1.5 - x,
    "rdiv": lambda x: 1.0 / (x * x + 1.0),
    "sqrt": lambda x: (x * x + 1.0) ** 0.5,
    "rpow": lambda x: 2.0 ** (x * 0.5),
    "const": lambda x: 0.5 * x + 2,
}
BINARY = {
    "add": lambda x, y: x + y,
    "sub": lambda x, y: x - y,
    "mul": lambda x, y: x * y,
    "div": lambda x, y: x / (y * y + 1.0),
    "pow": lambda x, y: (x * x + 0.5) ** (y.tanh()),
}

leaf = st.integers(0, N_INPUTS - 1)
trees = st.recursive(
    leaf,
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(sorted(UNARY)), sub),
        st.tuples(st.sampled_from(sorted(BINARY)), sub, sub),
    ),
    max_leaves=12,
)


def evaluate(tree, xs):
    if isinstance(tree, int):
        return xs[tree]
    if len(tree) == 2:
        return UNARY[tree[0]](evaluate(tree[1], xs))
    return BINARY[tree[0]](evaluate(tree[1], xs), evaluate(tree[2], xs))


def near_a_kink(out, margin=1e-4):
    """True when a relu or leaky_relu in the graph of ``out`` has its input within
    ``margin`` of 0, where the function has no derivative."""
    return any(
        graph.op(n) in ("relu", "leaky_relu") and abs(graph.parents(n)[0].data) < margin
        for n in graph.topological_order(out)
    )


def bounded(v):
    """Keep values small so exp and powers stay well inside float range."""
    return v.tanh() * 3.0 if isinstance(v, Value) else v


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=trees, data=st.lists(st.floats(-2, 2), min_size=N_INPUTS, max_size=N_INPUTS))
def test_random_expression_trees_agree_with_gradcheck(tree, data):
    xs = [Value(d, label=f"x{i}") for i, d in enumerate(data)]

    def f(*xs):
        return bounded(evaluate(tree, list(xs))) + 0.0 * xs[0]

    out = f(*xs)
    if not math.isfinite(out.data) or near_a_kink(out):
        return
    report = gradcheck(f, xs, eps=1e-6, tol=1e-5)
    assert report, report


@settings(max_examples=60, deadline=None)
@given(
    data=st.lists(st.floats(-2, 2), min_size=2, max_size=2),
    k=st.integers(1, 6),
)
def test_shared_subexpression_used_k_times_accumulates(data, k):
    x, y = Value(data[0]), Value(data[1])
    s = x * y + x  # shared node feeding k consumers
    out = s
    for _ in range(k - 1):
        out = out + s
    out.backward()
    assert s.grad == k
    assert x.grad == pytest.approx(k * (data[1] + 1.0), rel=1e-12)
    assert y.grad == pytest.approx(k * data[0], rel=1e-12)
    assert graph.topological_order(out).count(s) == 1
