"""The text pictures write: formulas read back to the same numbers, broadcast marks."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from micrograd_dls import graph
from micrograd_dls.expression import build
from micrograd_dls.tensor import Tensor
from micrograd_dls.value import Value
from micrograd_dls.viz import draw_backward
from micrograd_dls.viz.notation import Operand, expression, number, shape_text

pytestmark = pytest.mark.drawing  # no BLAS-dependent figures: see conftest.py

_BACK_TO_PYTHON = str.maketrans({"·": "*", "^": "**", "σ": "sigmoid", "²": "**2", "³": "**3"})

leaves = st.sampled_from(["a", "b", "c"])
numbers = st.sampled_from([2.0, 3.0, -1.5, 0.5])
trees = st.recursive(
    st.one_of(leaves, numbers),
    lambda sub: st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*", "/"]), sub, sub),
        st.tuples(st.just("**"), sub, st.sampled_from([2.0, 3.0])),
        st.tuples(st.sampled_from(["neg", "tanh", "sigmoid"]), sub),
    ),
    max_leaves=8,
)


def written(tree) -> Operand:
    if isinstance(tree, str):
        return Operand(tree)
    if isinstance(tree, float):
        return Operand.of_number(tree)
    op, *args = tree
    return expression(op, [written(a) for a in args])


def computed(tree, env):
    if isinstance(tree, str):
        return env[tree]
    if isinstance(tree, float):
        return tree
    op, *args = tree
    x = [computed(a, env) for a in args]
    if op == "neg":
        return -x[0]
    if op in ("tanh", "sigmoid"):
        return getattr(x[0], op)() if isinstance(x[0], Value) else getattr(Value(x[0]), op)().data
    return {"+": lambda p, q: p + q, "-": lambda p, q: p - q, "*": lambda p, q: p * q,
            "/": lambda p, q: p / q, "**": lambda p, q: p**q}[op](*x)


@settings(max_examples=60, deadline=None)
@given(trees)
def test_written_formulas_read_back_to_the_same_number(tree):
    """Parentheses and precedence: the formula a picture writes means what was computed."""
    values = {"a": 1.3, "b": -0.7, "c": 2.1}
    env = {k: Value(v) for k, v in values.items()}
    try:
        expected = computed(tree, env)
    except (ZeroDivisionError, OverflowError, ValueError):
        return
    expected = expected.data if isinstance(expected, Value) else expected
    text = written(tree).text.translate(_BACK_TO_PYTHON)
    used = {k: v for k, v in values.items() if re.search(rf"\b{k}\b", text)}
    if not used:
        return
    result = build(f"J = 1*({text})", used).data
    assert math.isclose(result, expected, rel_tol=1e-12, abs_tol=1e-12), text


def test_numbers_and_shapes_are_written_as_the_lecture_does():
    assert [number(x) for x in (33.0, 6, -0.0, 0.1 + 0.2, 1 / 3, 1.5e-5, np.float64(2.5),
                                np.array([[0.25]]))] == [
        "33", "6", "0", "0.3", "0.3333", "1.5e-05", "2.5", "0.25"]
    assert shape_text((4, 400)) == "(4, 400)" and shape_text((3,)) == "(3,)"


shapes = st.tuples(st.integers(1, 4), st.integers(1, 4))


@settings(max_examples=25, deadline=None)
@given(out=shapes, keep=st.tuples(st.booleans(), st.booleans()), rank_one=st.booleans())
def test_broadcast_marks_name_the_axes_backward_sums(out, keep, rank_one):
    shape = tuple(n if k else 1 for n, k in zip(out, keep))
    if rank_one:
        shape = shape[1:]
    b = Tensor(np.ones(shape), requires_grad=True, label="b")
    z = Tensor(np.ones(out), requires_grad=True, label="Z")
    J = (z + b).sum()
    J.label = "J"
    J.backward()
    # A long label is broken into lines (<br/> in the DOT source): read it as one line.
    source = draw_backward(J).source.replace("<br/>", " ")
    # numpy's own rule: the leading axes numpy added, and the axes where b has 1 and Z more.
    lead = len(out) - len(shape)
    summed = list(range(lead)) + [
        lead + i for i, n in enumerate(shape) if n == 1 and out[lead + i] != 1
    ]
    if not summed:
        assert "broadcast" not in source
        return
    what = "axis" if len(summed) == 1 else "axes"
    note = (f"broadcast {shape_text(shape)} → {shape_text(out)}: summed over {what} "
            f"{', '.join(map(str, summed))}")
    assert source.count("summed over") == 1 and note in source
    assert np.array_equal(b.grad.shape, shape)


def test_a_transpose_is_written_as_the_lecture_writes_it():
    w = Operand("w")
    assert expression("transpose", [w]).text == "wᵀ"
    assert expression("@", [expression("transpose", [w]), Operand("X")]).text == "wᵀ·X"
    assert expression("transpose", [Operand("a + b", 1)]).text == "(a + b)ᵀ"
    X = Tensor(np.ones((3, 2)), label="X")
    W = Tensor(np.ones((3, 1)), requires_grad=True, label="w")
    J = (W.T @ X).sum()
    J.backward()
    # The gradient through a transpose is the transposed gradient, parenthesised as math.
    source = draw_backward(J).source
    assert "dw = (d(wᵀ))ᵀ" in source and "ᵀᵀ" not in source and ")ᵀ)" not in source
    # Labelled as the course writes it (notebook 06 names it wᵀ): the same parentheses.
    wT = W.T
    wT.label = "wᵀ"
    J = (wT @ X).sum()
    J.backward()
    source = draw_backward(J).source
    assert "dw = (dwᵀ)ᵀ" in source and "ᵀᵀ" not in source


def test_a_values_local_derivative_is_its_own_text_with_the_pictures_names():
    """value.py writes d out / d input beside each operation; the picture fills in names."""
    x, y = Value(2.0, label="x"), Value(3.0, label="y")
    assert graph.edge_rules(x * y) == ("{y}", "{x}")
    assert graph.edge_rules(x + y) == ("", "") and graph.edge_rules(x) == ()
    cases = [
        (x * y, ["∂(x·y)/∂x = y = 3", "∂(x·y)/∂y = x = 2"]),
        (x / y, ["∂(x/y)/∂x = 1/y = 0.3333", "∂(x/y)/∂y = -x/y² = -0.2222"]),
        (x ** 3, ["∂(x³)/∂x = 3·x² = 12"]),
        (x ** 0.5, ["∂(x^0.5)/∂x = 0.5·x^-0.5 = 0.3536"]),
        (2 ** x, ["∂(2^x)/∂x = 2^x·log 2 = 2.773"]),
        (6 / (x + y), ["∂(6/(x + y))/∂(x + y) = -6/(x + y)² = -0.24"]),
        ((x + y).log(), ["∂log(x + y)/∂(x + y) = 1/(x + y) = 0.2"]),
        (x.sigmoid(), ["∂σ(x)/∂x = σ(x)·(1 - σ(x)) = 0.105"]),
        (3 * x, ["∂(3·x)/∂x = 3"]),
        (x.relu(), ["∂relu(x)/∂x = [x &gt; 0] = 1"]),
    ]
    for out, labels in cases:
        out.backward()
        source = draw_backward(out).source.replace("<br/>", " ")
        for label in labels:
            assert f"label=<{label}>" in source, (label, source)
    for n in (math.inf, math.nan):  # a power a float cannot hold is still drawn
        out = x ** n
        out.backward()
        assert f"∂(x^{n})/∂x = {n}·x^{n} = " in draw_backward(out).source.replace("<br/>", " ")
