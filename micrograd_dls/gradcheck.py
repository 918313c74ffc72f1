"""Gradient checking by central differences, the course's way.

    g_approx[i] = (J(θ + ε eᵢ) - J(θ - ε eᵢ)) / (2ε)
    difference  = ‖g - g_approx‖ / (‖g‖ + ‖g_approx‖)

for each input (a ``Value`` or a float64 ``Tensor``), with a report that names
the inputs -- and for arrays the entries -- that disagree. A NaN or infinity
in J, in autograd's gradient or in the differences fails the input and says
where it appeared: a number that is not finite agrees with nothing.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from numbers import Integral, Real
from typing import Any

import numpy as np

from . import graph
from .checks import quote, shown
from .graph import Node, no_grad

__all__ = ["GradcheckReport", "InputCheck", "gradcheck", "relative_difference", "worst_entries"]


@dataclass
class InputCheck:
    """The comparison for one input: autograd's gradient against central differences."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    difference: float
    ok: bool
    worst: list[tuple[tuple[int, ...], float, float]] = field(default_factory=list)
    #: Why the check could not compare numbers (a NaN or infinity, and where), else "".
    reason: str = ""

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        lines = [f"  {mark} {self.name}: relative difference {self.difference:.3e}"]
        if self.reason:
            lines.append(f"         {self.reason}")
        for index, a, n in self.worst:
            entry = _entry(self.name, index)
            lines.append(f"         {entry}: autograd {a:.10g}, numeric {n:.10g}")
        return "\n".join(lines)


@dataclass
class GradcheckReport:
    """The result of :func:`gradcheck`: true when every input passes."""

    inputs: list[InputCheck]
    eps: float
    tol: float
    atol: float

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.inputs)

    @property
    def max_difference(self) -> float:
        return max((c.difference for c in self.inputs), default=0.0)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = "gradcheck passed" if self.ok else "gradcheck FAILED"
        body = "\n".join(str(c) for c in self.inputs)
        return f"{head} (eps={self.eps:g}, tolerance {self.tol:g}, atol {self.atol:g}):\n{body}"

    __repr__ = __str__


def _as_scalar(out: Any) -> float:
    if not isinstance(out, Node):
        raise TypeError(
            f"gradcheck: f must return a Value or Tensor (the cost J), got {type(out).__name__}"
        )
    d = graph.data(out)
    if isinstance(d, float):
        return d
    arr = np.asarray(d)
    if arr.size != 1:
        raise ValueError(
            f"gradcheck: f must return a scalar cost, got shape {arr.shape}; "
            "reduce it first, e.g. with .sum() or .mean()"
        )
    if arr.dtype.kind not in "fiub":
        raise TypeError(f"gradcheck: f must return a real cost J, got dtype {arr.dtype}")
    return float(arr.reshape(()))


def _name(node: Node, i: int) -> str:
    label = graph.label(node)
    return shown(label) if label else f"input {i}"


def _entry(name: str, index: tuple[int, ...]) -> str:
    return f"{name}[{', '.join(map(str, index))}]" if index else name


def _setting(name: str, x: Any, low: str) -> float:
    """A tolerance or step as a float: finite, and > 0 (``low='> 0'``) or >= 0."""
    if isinstance(x, bool) or not isinstance(x, Real):
        raise TypeError(f"gradcheck: {name} must be a number, got {quote(x)}")
    x = float(x)
    if not math.isfinite(x) or x < 0 or (low == "> 0" and x == 0):
        hint = {
            "eps": "the step ε of J(θ ± ε); e.g. eps=1e-6",
            "tol": "the largest relative difference that passes; e.g. tol=1e-6",
            "atol": "the largest absolute difference that passes; e.g. atol=1e-8",
        }[name]
        raise ValueError(f"gradcheck: {name} = {quote(x)} must be a finite number {low}: {hint}")
    return x


def gradcheck(
    f: Callable[..., Any],
    inputs: Sequence[Node],
    eps: float = 1e-6,
    tol: float = 1e-6,
    atol: float = 1e-8,
    show: int = 5,
) -> GradcheckReport:
    """g_approx = (J(θ + ε) - J(θ - ε)) / (2ε) against autograd's dJ/dθ, for each θ in ``inputs``.

    ``f(*inputs)`` must return a scalar node J. Each input is perturbed in
    place by ±``eps`` one entry at a time (and restored); the difference is
    divided by the step float64 actually took, which is 2ε up to rounding. An
    input passes when ``‖g - g_approx‖ / (‖g‖ + ‖g_approx‖) <= tol`` (0 when
    both are 0), or when ``‖g - g_approx‖ <= atol``: a gradient near 0 makes
    the relative measure meaningless, since central differences carry a
    rounding error of about 1e-16·|J|/eps whatever the gradient. An input
    fails, with the reason in its report, when autograd's gradient, J at a
    shifted point or a difference is NaN or infinite. The report lists, for a
    failing input, the ``show`` entries that disagree most.

    Raises ValueError when J itself is not finite at ``inputs``, when an input
    holds NaN or infinity, when ``eps`` is not a finite number > 0 or too small
    to move an entry, and when ``tol`` or ``atol`` is not a finite number >= 0.
    """
    eps = _setting("eps", eps, "> 0")
    tol = _setting("tol", tol, ">= 0")
    atol = _setting("atol", atol, ">= 0")
    if isinstance(show, bool) or not isinstance(show, Integral) or show < 0:
        raise ValueError(f"gradcheck: show = {quote(show)} must be an int >= 0 (entries listed)")
    if isinstance(inputs, Node):
        inputs = [inputs]
    try:
        inputs = list(inputs)
    except TypeError:
        raise TypeError(
            f"gradcheck: inputs must be a list of Values or Tensors, got {type(inputs).__name__}"
        ) from None
    if not inputs:
        raise ValueError("gradcheck: give at least one input to check")
    for i, x in enumerate(inputs):
        if not isinstance(x, Node):
            raise TypeError(
                f"gradcheck: input {i} is a {type(x).__name__}; wrap it as Value(...) or "
                "Tensor(..., requires_grad=True)"
            )
        if getattr(x, "requires_grad", True) is False:
            raise ValueError(
                f"gradcheck: {_name(x, i)} does not require a gradient; "
                "create it with requires_grad=True"
            )
        d = graph.data(x)
        if isinstance(d, np.ndarray) and d.dtype != np.float64:
            raise TypeError(
                f"gradcheck: {_name(x, i)} is {d.dtype}; central differences need float64 "
                "(eps=1e-6 is below float32's precision) -- build it with dtype float64"
            )
        if isinstance(d, np.ndarray) and not d.flags.writeable:
            raise ValueError(
                f"gradcheck: {_name(x, i)}'s array is read-only, so it cannot be perturbed "
                "in place; build the input from a writable copy, e.g. np.array(data)"
            )
        if not np.all(np.isfinite(d)):
            raise ValueError(
                f"gradcheck: {_name(x, i)} contains NaN or infinite entries; differences "
                "around them mean nothing -- check the input data"
            )

    graph.zero_grad(inputs)
    out = f(*inputs)
    J = _as_scalar(out)
    if not math.isfinite(J):
        raise ValueError(
            f"gradcheck: J = f(inputs) is {J} at the given inputs, so there is no gradient "
            "to check; find what makes the cost not finite (log(0) in a cross-entropy? an "
            "overflow from large weights?)"
        )
    out.backward()
    analytic = [
        np.zeros(np.shape(graph.data(x))) if graph.grad(x) is None
        else np.array(graph.grad(x), dtype=np.float64)
        for x in inputs
    ]

    checks = []
    with no_grad():
        for i, x in enumerate(inputs):
            name = _name(x, i)
            numeric = np.zeros_like(analytic[i])
            reason = _not_finite(name, "autograd's gradient", analytic[i])
            d = graph.data(x)
            first, count = "", 0
            for k in np.ndindex(np.shape(d)):
                plus, minus, step = _shifted(f, inputs, x, d, k, eps, name)
                numeric[k] = (plus - minus) / step
                if not (math.isfinite(plus) and math.isfinite(minus)):
                    count += 1
                    side, value = ("+", plus) if not math.isfinite(plus) else ("-", minus)
                    first = first or f"J is {value} at {_entry(name, k)} {side} eps (eps={eps:g})"
            if first and not reason:
                more = f" and {count - 1} more entries" if count > 1 else ""
                reason = (
                    f"{first}{more}: the cost is not finite next to the point, so no "
                    "difference can be taken there"
                )
            if not reason:
                reason = _not_finite(name, "the central difference", numeric)
            checks.append(_compare(name, analytic[i], numeric, tol, atol, show, reason))
    return GradcheckReport(checks, eps, tol, atol)


def _shifted(
    f: Callable[..., Any],
    inputs: list[Node],
    x: Node,
    d: Any,
    k: tuple[int, ...],
    eps: float,
    name: str,
) -> tuple[float, float, float]:
    """J(θ + ε), J(θ - ε) for entry ``k`` of ``x`` (``()`` for a Value), and the step taken."""
    array = isinstance(d, np.ndarray)
    # Index x's own array: a wrapped array may be a strided view (e.g. a
    # transpose), where reshape(-1) would copy and the writes be lost.
    old = float(d[k]) if array else d
    hi, lo = old + eps, old - eps
    if not (math.isfinite(hi) and math.isfinite(lo)):
        raise ValueError(
            f"gradcheck: eps={eps:g} moves {_entry(name, k)} = {old:g} beyond the largest "
            "float; use a small eps, e.g. 1e-6"
        )
    if hi == old or lo == old:
        raise ValueError(
            f"gradcheck: eps={eps:g} is too small to move {_entry(name, k)} = {old:g} "
            "(float64 keeps about 16 significant digits); use a larger eps, about "
            "1e-6 times the entry's size"
        )

    def J_at(value: float) -> float:
        if array:
            d[k] = value
        else:
            x.data = value
        return _as_scalar(f(*inputs))

    try:  # put the entry back even when f fails
        # A NaN or infinity here is reported by the check itself, not as a warning.
        with np.errstate(all="ignore"):
            plus, minus = J_at(hi), J_at(lo)
    finally:
        if array:
            d[k] = old
        else:
            x.data = d
    return plus, minus, hi - lo


def _not_finite(name: str, what: str, g: np.ndarray) -> str:
    """Where ``g`` first holds NaN or infinity, in words, or "" when all is finite."""
    bad = ~np.isfinite(g)
    if not bad.any():
        return ""
    index = tuple(int(j) for j in np.argwhere(bad)[0])
    more = f" and {int(bad.sum()) - 1} more entries" if bad.sum() > 1 else ""
    return f"{what} is {g[index]} at {_entry(name, index)}{more}"


def relative_difference(g: np.ndarray, n: np.ndarray) -> float:
    """difference = ‖g - n‖ / (‖g‖ + ‖n‖), the course's figure; 0 when both are 0, inf when
    either holds NaN or infinity (NaN compares false with every threshold)."""
    with np.errstate(over="ignore", invalid="ignore"):
        gap = float(np.linalg.norm(g - n))
        denom = float(np.linalg.norm(g) + np.linalg.norm(n))
    if not (math.isfinite(gap) and math.isfinite(denom)):
        return math.inf
    return gap / denom if denom > 0 else 0.0


def worst_entries(
    g: np.ndarray, n: np.ndarray, show: int
) -> list[tuple[tuple[int, ...], float, float]]:
    """The ``show`` entries where g and n differ most, as (index, g, n); NaN counts as the worst."""
    if not g.size:
        return []
    with np.errstate(over="ignore", invalid="ignore"):
        err = np.abs(g - n).reshape(-1)
    err = np.where(np.isnan(err), np.inf, err)
    return [
        (tuple(int(j) for j in np.unravel_index(k, g.shape)) if g.shape else (),
         float(g.reshape(-1)[k]), float(n.reshape(-1)[k]))
        for k in np.argsort(-err, kind="stable")[:show]
    ]


def _compare(
    name: str, g: np.ndarray, n: np.ndarray, tol: float, atol: float, show: int, reason: str
) -> InputCheck:
    diff = relative_difference(g, n)
    if reason or not math.isfinite(diff):
        ok, diff = False, math.inf
    else:
        ok = diff <= tol or float(np.linalg.norm(g - n)) <= atol
    worst = [] if ok else worst_entries(g, n, show)
    return InputCheck(name, g, n, diff, ok, worst, reason)
