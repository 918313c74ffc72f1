"""Gradient checking by central differences, the course's way.

    g_approx[i] = (J(θ + ε eᵢ) - J(θ - ε eᵢ)) / (2ε)
    difference  = ‖g - g_approx‖ / (‖g‖ + ‖g_approx‖)

for each input (a ``Value`` or a float64 ``Tensor``), with a report that names
the inputs -- and for arrays the entries -- that disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import graph
from .graph import Node, no_grad

__all__ = ["GradcheckReport", "InputCheck", "gradcheck"]


@dataclass
class InputCheck:
    """The comparison for one input: autograd's gradient against central differences."""

    name: str
    analytic: np.ndarray
    numeric: np.ndarray
    difference: float
    ok: bool
    worst: list[tuple[tuple[int, ...], float, float]] = field(default_factory=list)

    def __str__(self) -> str:
        mark = "ok  " if self.ok else "FAIL"
        lines = [f"  {mark} {self.name}: relative difference {self.difference:.3e}"]
        for index, a, n in self.worst:
            where = f"[{', '.join(map(str, index))}]" if index else ""
            lines.append(f"         {self.name}{where}: autograd {a:.10g}, numeric {n:.10g}")
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
    return float(arr.reshape(()))


def _name(node: Node, i: int) -> str:
    label = graph.label(node)
    return label if label else f"input {i}"


def gradcheck(
    f: Callable[..., Any],
    inputs: Sequence[Node],
    eps: float = 1e-6,
    tol: float = 1e-6,
    atol: float = 1e-8,
    show: int = 5,
) -> GradcheckReport:
    """Compare autograd's dJ/dθ with central differences for each θ in ``inputs``.

    ``f(*inputs)`` must return a scalar node J. Each input is perturbed in
    place by ±``eps`` one entry at a time (and restored). An input passes when
    ``‖g - g_approx‖ / (‖g‖ + ‖g_approx‖) <= tol`` (0 when both are 0), or when
    ``‖g - g_approx‖ <= atol``: a gradient near 0 makes the relative measure
    meaningless, since central differences carry a rounding error of about
    1e-16·|J|/eps whatever the gradient. The report lists, for a failing
    input, the ``show`` entries that disagree most.
    """
    inputs = list(inputs)
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
    _as_scalar(out)
    out.backward()
    analytic = [
        np.zeros(np.shape(graph.data(x))) if graph.grad(x) is None
        else np.array(graph.grad(x), dtype=np.float64)
        for x in inputs
    ]

    checks = []
    with no_grad():
        for i, x in enumerate(inputs):
            numeric = np.zeros_like(analytic[i])
            d = graph.data(x)
            if isinstance(d, np.ndarray):
                # Index x's own array: a wrapped array may be a strided view (e.g. a
                # transpose), where reshape(-1) would copy and the writes be lost.
                for k in np.ndindex(d.shape):
                    old = d[k]
                    try:  # put the entry back even when f fails
                        d[k] = old + eps
                        plus = _as_scalar(f(*inputs))
                        d[k] = old - eps
                        minus = _as_scalar(f(*inputs))
                    finally:
                        d[k] = old
                    numeric[k] = (plus - minus) / (2 * eps)
            else:
                try:
                    x.data = d + eps
                    plus = _as_scalar(f(*inputs))
                    x.data = d - eps
                    minus = _as_scalar(f(*inputs))
                finally:
                    x.data = d
                numeric[...] = (plus - minus) / (2 * eps)
            checks.append(_compare(_name(x, i), analytic[i], numeric, tol, atol, show))
    return GradcheckReport(checks, eps, tol, atol)


def _compare(
    name: str, g: np.ndarray, n: np.ndarray, tol: float, atol: float, show: int
) -> InputCheck:
    gap = float(np.linalg.norm(g - n))
    denom = np.linalg.norm(g) + np.linalg.norm(n)
    diff = gap / float(denom) if denom > 0 else 0.0
    if not np.isfinite(diff):
        diff = gap = float("inf")
    ok = diff <= tol or gap <= atol
    worst = []
    if not ok and g.size:
        err = np.abs(g - n).reshape(-1)
        for k in np.argsort(-err, kind="stable")[:show]:
            index = tuple(int(j) for j in np.unravel_index(k, g.shape)) if g.shape else ()
            worst.append((index, float(g.reshape(-1)[k]), float(n.reshape(-1)[k])))
    return InputCheck(name, g, n, diff, ok, worst)
