"""Value's own backward walk is graph.generic_backward's algorithm: the same gradients,
bit for bit, with the same second-backward rules (intermediates reset, leaves accumulate)."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls import Value, backward, graph

STEPS = {
    "mul": lambda a, b: a * b,
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "tanh": lambda a, b: a.tanh(),
    "affine": lambda a, b: 1.0001 * a + 0.1,
    "square": lambda a, b: a * a,  # both edges reach the same parent
    "sigmoid": lambda a, b: (a - b).sigmoid(),
    "pow": lambda a, b: (a * a + 0.5) ** b.tanh(),
}
OPS = sorted(STEPS)

programs = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 10**6), st.integers(0, 10**6)),
    min_size=1,
    max_size=60,
)


def build(program, inputs):
    """Run a random program over the inputs: each step combines two earlier nodes."""
    nodes = [Value(x, label=f"x{i}") for i, x in enumerate(inputs)]
    for op, i, j in program:
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        nodes.append(STEPS[op](a, b))
    root = nodes[-1]
    for n in nodes[len(inputs) : -1 : 3]:  # several consumers per node
        root = root + n
    return nodes, root


def bits(x):
    return (x, math.copysign(1.0, x))  # tells 0.0 from -0.0


@settings(max_examples=60, deadline=None)
@given(
    program=programs,
    inputs=st.lists(st.floats(-2, 2), min_size=1, max_size=4),
    upstream=st.floats(-3, 3),
)
def test_value_walk_equals_the_generic_algorithm_bit_for_bit(program, inputs, upstream):
    nodes, root = build(program, inputs)
    root.backward()
    root.backward(upstream)  # second call: intermediates fresh, leaves accumulate
    fast = [bits(n.grad) for n in nodes + [root]]
    nodes, root = build(program, inputs)
    graph.generic_backward(root)
    graph.generic_backward(root, upstream)
    generic = [bits(n.grad) for n in nodes + [root]]
    assert fast == generic


def test_second_backward_resets_intermediates_and_accumulates_leaves():
    a, b = Value(2.0), Value(3.0)
    u = a * b
    v = u.tanh()
    J = u * v + u
    J.backward()
    first = (u.grad, v.grad, a.grad, b.grad)
    J.backward()
    assert (u.grad, v.grad) == first[:2]
    assert (a.grad, b.grad) == (2 * first[2], 2 * first[3])


def test_a_leaf_root_accumulates_its_seed():
    x = Value(2.0)
    x.backward()
    backward(x, 2.5)
    assert x.grad == 3.5


def test_retain_graph_is_accepted_and_changes_nothing():
    x = Value(0.7)
    y = (x * x).tanh()
    y.backward(retain_graph=True)
    once = x.grad
    y.backward()
    assert x.grad == 2 * once


def test_lecture_numbers_through_the_fast_walk():
    a, b, c = Value(5.0), Value(3.0), Value(2.0)
    u = b * c
    v = a + u
    J = 3 * v
    J.backward()
    assert (J.grad, v.grad, u.grad, a.grad, b.grad, c.grad) == (1.0, 3.0, 3.0, 3.0, 6.0, 9.0)


def test_a_deep_graph_with_two_branches_per_node_has_no_recursion_limit():
    x = Value(0.5)
    y = x
    for _ in range(50_000):
        y = (y * 0.5 + y * 0.5).tanh()  # every node reached twice
    y.backward()
    # by hand, multiplied from the root down as backward does: 0.5 y + 0.5 y is y
    # exactly, each half of the gradient is exact, so every factor is 1 - tanh²
    zs = [0.5]
    for _ in range(50_000):
        zs.append(math.tanh(zs[-1]))
    g = 1.0
    for z in reversed(zs[1:]):
        t = g * (1.0 - z * z)
        g = 0.5 * t + 0.5 * t
    assert x.grad == g
