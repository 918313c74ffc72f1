"""What a disagreement between a learner's gradient and autograd's looks like, in the
course's words: a missing 1/m (only when the factor is the data's m), a flipped sign, a
transposed product, a rank-1 ``db``; entries of the forward sitting exactly on a kink;
a cost that is not finite."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from .. import graph
from ..checks import quote, rank1_message

#: The course's gradient-checking threshold: below it "your backward propagation
#: works perfectly fine".
COURSE_THRESHOLD = 2e-7


def examples(inputs: Iterable[Any]) -> int | None:
    """m, the number of examples: the columns of the first matrix among the inputs (X)."""
    for x in inputs:
        shape = np.shape(graph.data(x)) if isinstance(x, graph.Node) else np.shape(x)
        if len(shape) == 2:
            return int(shape[1])
    return None


def diagnose(g: np.ndarray, a: np.ndarray, m: int | None) -> str:
    """Name the classic mistakes that leave a gradient a constant multiple of the truth
    (or of its transpose); a missing 1/m only when the factor is the data's m."""
    if not np.isfinite(g).all():
        return "yours has NaN or infinite entries"
    if not np.any(a):
        return "autograd's gradient is 0 here: this parameter does not affect the cost"
    if not np.any(g):
        return "yours is all zeros"
    c = _factor(g, a)
    if c is None:
        if g.ndim == 2 and g.shape[0] == g.shape[1] and _factor(g, a.T) is not None:
            t = _factor(g, a.T)
            return "yours is the transpose of autograd's" + (
                "" if abs(t - 1) < 1e-6 else f", times {t:.6g}"  # type: ignore[operator]  # found above
            ) + ": check the order of the product (dW = dZ·A_prevᵀ, not A_prev·dZᵀ)"
        return ""
    if abs(c + 1) < 1e-6:
        return "yours has the opposite sign"
    if c > 1.5 and abs(c - round(c)) < 1e-6:
        if round(c) == m:
            return f"yours is {m} times autograd's: a missing 1/m (m = {m})?"
        return f"yours is {round(c)} times autograd's: a missing or extra factor"
    if 0 < c < 1 and abs(1 / c - round(1 / c)) < 1e-6 * (1 / c):
        if round(1 / c) == m:
            return f"yours is 1/{m} of autograd's: a 1/m too many (m = {m})?"
        return f"yours is 1/{round(1 / c)} of autograd's: a missing or extra factor"
    return f"yours is {c:.6g} times autograd's: a missing or extra factor"


def _factor(g: np.ndarray, a: np.ndarray) -> float | None:
    """c with g = c·a (up to rounding), or None."""
    c = float(np.vdot(g, a) / np.vdot(a, a))
    if np.linalg.norm(g - c * a) > 1e-6 * np.linalg.norm(g):
        return None
    return c


def shape_message(key: str, name: str, got: tuple, want: tuple) -> str:
    """A gradient of the wrong shape, and the usual reason."""
    hint = ""
    if len(got) == 2 and got[::-1] == want:
        hint = " -- transposed: check the order of the product (dW = dZ·A_prevᵀ)"
    elif got == want[:1] and len(want) == 2 and want[1] == 1:
        return rank1_message(key, got, f"np.sum(dZ, axis=1, keepdims=True), which keeps {want}")
    elif np.prod(got, dtype=np.int64) != np.prod(want, dtype=np.int64) and len(got) == len(want):
        hint = " -- summed over the wrong axis, or not summed over the examples?"
    return (
        f"{key} has shape {got} but {name} has shape {want}; a gradient has its "
        f"parameter's shape{hint}"
    )


def stray_keys(grads: Mapping[str, Any], names: Iterable[str]) -> str:
    """The message for gradients of parameters that do not exist (``dW3`` for a 2-layer
    network), or "". Other entries -- the course's ``dA1``, ``dZ1`` -- are not gradients
    of parameters and pass."""
    names = list(names)
    kinds = {"W", "b"} | {n.rstrip("0123456789") for n in names}
    pattern = re.compile("d(" + "|".join(re.escape(k) for k in sorted(kinds) if k) + r")\d*")
    stray = [k for k in grads if isinstance(k, str) and pattern.fullmatch(k)
             and k[1:] not in names]
    if not stray:
        return ""
    expected = ", ".join("d" + n for n in names)
    return (
        f"grads has {', '.join(quote(k) for k in stray[:4])}, but there is no parameter "
        f"{', '.join(quote(k[1:]) for k in stray[:4])}: the parameters are "
        f"{', '.join(names)}, so the gradients expected are {expected} (a network with "
        "fewer layers than your backward assumes, or a wrong 'dW' + str(l)?)"
    )


# --- kinks ------------------------------------------------------------------------------


def kinks(root: Any) -> dict[str, int]:
    """Entries of the forward computation of ``root`` that sit exactly on a kink, by
    operation: where the derivative is not defined and the one-sided ones differ."""
    found: dict[str, int] = {}
    for node in graph.nodes_of(root):
        name = graph.op(node)
        count = _kink_count(node, name)
        if count:
            found[name] = found.get(name, 0) + count
    return found


def _kink_count(node: Any, name: str) -> int:
    ps = graph.parents(node)
    if not ps or not graph.requires_grad(node):  # no gradient passes: the kink cannot matter
        return 0
    x = np.asarray(graph.data(ps[0]))
    if name in ("maximum", "minimum"):
        constants = graph.constants(node)
        if constants:
            return int(np.count_nonzero(x == constants[0][1]))
        y = np.asarray(graph.data(ps[1]))
        return int(np.count_nonzero(np.broadcast_to(x == y, np.shape(graph.data(node)))))
    if name in ("abs", "relu", "leaky_relu"):
        return int(np.count_nonzero(x == 0))
    if name == "clip":  # the bounds are where other entries were clipped to
        out = np.asarray(graph.data(node))
        bounds = np.unique(out[out != x])
        return int(np.count_nonzero(np.isin(x, bounds)))
    return 0


def kink_words(found: dict[str, int]) -> str:
    """``12 entries of your forward sit exactly on a kink (12 in maximum)``."""
    total = sum(found.values())
    parts = ", ".join(f"{n} in {op}" for op, n in found.items())
    entries = "1 entry of your forward sits" if total == 1 else (
        f"{total} entries of your forward sit")
    return f"{entries} exactly on a kink ({parts})"


# --- a cost that is not finite ----------------------------------------------------------

_CAUSES = {
    "log": "log(0): a prediction A reached exactly 0 or 1, a sigmoid saturated by large "
    "weights or a large learning rate (the course scales W by 0.01)",
    "/": "a division by 0 (in a cost, usually by A or 1 - A at exactly 0)",
    "exp": "exp of a number above about 709 overflows: Z grew too large",
    "**": "a power of 0 with a negative exponent",
    "sqrt": "a square root of a negative number",
}


def not_finite(J: Any) -> str:
    """Why the cost J is not finite: the first operation of the forward whose result is
    not, at which entries, and its inputs there."""
    value = float(np.asarray(graph.data(J)).reshape(()))
    head = f"J = {value} at the given parameters, so there is no gradient to check"
    for node in graph.nodes_of(J):
        data = np.asarray(graph.data(node))
        bad = ~np.isfinite(data)
        if graph.is_leaf(node) or not bad.any():
            continue
        name = graph.op(node)
        where = [tuple(int(i) for i in ix) for ix in np.argwhere(bad)[:3]]
        more = f" and {int(bad.sum()) - len(where)} more" if bad.sum() > len(where) else ""
        at = ", ".join(str(list(w)) for w in where) + more
        inputs = []
        for p in graph.parents(node):
            pd = np.asarray(graph.data(p))
            try:
                elementwise = np.broadcast_shapes(pd.shape, data.shape) == data.shape
            except ValueError:
                elementwise = False
            if elementwise:
                first = tuple(i if pd.shape[k] != 1 else 0 for k, i in
                              enumerate(where[0][len(where[0]) - pd.ndim:]))
                inputs.append(f"{pd[first]:.6g}")
        given = f", where its input is {', '.join(inputs)}" if inputs else ""
        cause = _CAUSES.get(name, "numbers too large: diverged, or weights initialised too "
                            "large (the course scales W by 0.01)")
        return (
            f"{head}: in your forward, '{name}' gives {data[where[0]]} at entries {at} of "
            f"its result of shape {data.shape}{given} -- {cause}"
        )
    return f"{head}: find what makes the cost not finite"
