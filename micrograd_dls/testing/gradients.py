"""check_gradients: a learner's hand-derived gradients against autograd of the learner's
own forward function, by the course's relative difference and threshold.

The forward function runs unchanged on Tensor parameters, template lines included
(``cost = float(np.squeeze(cost))``): what leaves the graph is recorded
(:mod:`.exits`) and the cost node found again from what the function returned; the
nodes of its graph are named after the learner's own variables (:mod:`.names`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .. import graph
from ..checks import quote
from ..gradcheck import relative_difference, worst_entries
from ..tensor import Tensor
from . import hints
from .exits import ExitLog, recording
from .hints import COURSE_THRESHOLD
from .names import collecting, course_symbol, name_nodes

#: How far the check moves each parameter, relative to (1 + |value|), to leave a kink.
NEARBY = 1e-6


@dataclass
class ParameterCheck:
    """One parameter: the hand-derived gradient ``d<name>`` against autograd's."""

    name: str
    grad: np.ndarray
    autograd: np.ndarray
    difference: float
    ok: bool
    hint: str = ""
    worst: list[tuple[tuple[int, ...], float, float]] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The report's lines for this parameter: verdict, hint, worst entries."""
        mark = "ok  " if self.ok else "FAIL"
        out = [f"  {mark} d{self.name}: difference = {self.difference:.3g}"]
        if self.hint:
            out.append(f"       {self.hint}")
        for index, g, a in self.worst:
            where = f"[{', '.join(map(str, index))}]" if index else ""
            out.append(f"       d{self.name}{where}: yours {g:.6g}, autograd {a:.6g}")
        return out


@dataclass
class GradientReport:
    """The result of :func:`check_gradients`, true when every gradient matches.

    ``difference`` is the course's figure over all parameters together (as its
    ``gradient_check_n`` flattens them into one vector); ``checks`` has one
    entry per parameter. ``cost`` is the cost J as a Tensor in the graph of the
    learner's own code, ready for ``viz.draw(report.cost)``, its nodes named after the
    learner's variables in the course's symbols (``W[1]``, ``Z[1]``, ``logprobs``).
    ``note`` says what else the check found: entries on a kink and the nearby point it moved to,
    or lines where a value left the graph. ``kinks`` counts, by operation, the
    entries of the forward that sat exactly on a kink where the verdict was taken.
    """

    checks: list[ParameterCheck]
    difference: float
    threshold: float
    cost: Tensor
    note: str = ""
    kinks: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        """difference <= threshold, for all parameters together and for each."""
        return self.difference <= self.threshold and all(c.ok for c in self.checks)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        if self.ok:
            head = (
                "Your backward propagation works perfectly fine! "
                f"difference = {self.difference:.3g}"
            )
        else:
            head = (
                "There is a mistake in the backward propagation! "
                f"difference = {self.difference:.3g}"
            )
        note = [f"  ({self.note})"] if self.note else []
        body = [line for c in self.checks for line in c.lines()]
        return "\n".join([head, *note, *body])

    __repr__ = __str__


def check_gradients(
    forward: Callable[..., Any],
    grads: Mapping[str, Any] | Callable[..., Mapping[str, Any]],
    parameters: Mapping[str, Any],
    *inputs: Any,
    threshold: float = COURSE_THRESHOLD,
    show: int = 3,
) -> GradientReport:
    """difference = ‖grad - grad_autograd‖ / (‖grad‖ + ‖grad_autograd‖), per parameter and
    over all of them, against the course's threshold.

    ``forward(*inputs, parameters)`` is the learner's numpy code returning the
    cost J (or a tuple whose first entry is J, as the course's
    ``forward_propagation_n(X, Y, parameters)`` returns ``(cost, cache)``); it
    is called with the parameters as Tensors, and runs unchanged: a cost ended
    as the course's templates end it (``float(np.squeeze(cost))``,
    ``np.squeeze(np.array(cost))``, ``assert(isinstance(cost, float))``) is
    followed back to its node in the graph.

    ``grads`` is the learner's dict of hand-derived gradients, ``dW1`` for
    ``W1`` (a key named as the parameter, ``W1``, is taken too); entries that
    are not gradients of parameters, such as ``dA1`` or ``dZ1``, are ignored,
    but a ``dW3`` with no ``W3`` among the parameters is refused. Or ``grads``
    is a function called as ``grads(*inputs, parameters)`` with plain numpy
    parameters that returns such a dict: then, where the two disagree only
    because entries of the forward sit exactly on a kink (relu at Z = 0), the
    check moves to a nearby point where none does (each parameter moved by
    about 1e-6, from a seeded generator) and decides there. ``show`` entries
    that disagree most are listed per failing parameter.
    """
    params = _check_parameters(parameters)
    threshold = _positive(threshold, "threshold")
    m = hints.examples(inputs)
    report = _check_at(forward, grads, params, inputs, threshold, show, m)
    if report.ok or not report.kinks:
        return report
    words = hints.kink_words(report.kinks) + (
        " at the given parameters, where the derivative is not defined and yours and "
        "autograd's may rightly differ (relu'(0) is 0 with dZ[Z <= 0] = 0, 1 with "
        "dZ[Z < 0] = 0)"
    )
    if not callable(grads):
        report.note = (
            f"{words}; pass your backward as a function, grads(X, Y, parameters), so that "
            "the check can move to a nearby point where nothing sits on a kink"
        )
        return report
    rng = np.random.default_rng(0)
    for _ in range(3):
        near = {
            k: v + NEARBY * (1 + np.abs(v)) * rng.standard_normal(v.shape)
            for k, v in params.items()
        }
        moved = _check_at(forward, grads, near, inputs, threshold, show, m)
        if not moved.kinks:
            break
    where = "none does" if not moved.kinks else "some still do"
    moved.note = "; ".join(filter(None, [
        f"{words}; checked again at a nearby point where {where} (each parameter moved "
        f"by about {NEARBY:g})", moved.note,
    ]))
    return moved


def assert_gradients_match(
    forward: Callable[..., Any],
    grads: Mapping[str, Any] | Callable[..., Mapping[str, Any]],
    parameters: Mapping[str, Any],
    *inputs: Any,
    threshold: float = COURSE_THRESHOLD,
    show: int = 3,
) -> None:
    """Raise AssertionError unless every hand-derived gradient matches autograd's:
    ‖grad - grad_autograd‖ / (‖grad‖ + ‖grad_autograd‖) <= threshold.

    The same arguments as :func:`check_gradients`; the message lists the
    course's difference per parameter, what the mistake looks like (a missing
    1/m, a flipped sign, a transposed product), and the worst entries.
    """
    report = check_gradients(forward, grads, parameters, *inputs, threshold=threshold, show=show)
    if not report.ok:
        raise AssertionError(str(report))


# --- one check at one point -------------------------------------------------------------


def _check_at(forward: Callable[..., Any],
              grads: Mapping[str, Any] | Callable[..., Mapping[str, Any]],
              params: dict[str, np.ndarray], inputs: tuple, threshold: float, show: int,
              m: int | None) -> GradientReport:
    hand = _hand_gradients(grads, params, inputs)
    tensors = {k: Tensor(v, requires_grad=True, label=course_symbol(k))
               for k, v in params.items()}
    J, log = _cost(forward, inputs, tensors)
    J.backward(retain_graph=True)  # retained: the report's cost can still be drawn with grads
    _check_nothing_cut(J, log, tensors, hand)
    checks = []
    for name, p in params.items():
        auto = graph.grad(tensors[name])
        auto = np.zeros(p.shape) if auto is None else np.asarray(auto, dtype=np.float64)
        checks.append(_compare(name, hand[name], auto, threshold, show, m))
    g_all = np.concatenate([c.grad.reshape(-1) for c in checks])
    a_all = np.concatenate([c.autograd.reshape(-1) for c in checks])
    report = GradientReport(checks, relative_difference(g_all, a_all), threshold, J)
    if not report.ok:
        report.kinks = hints.kinks(J)
        stray = _stray_exits(J, log)
        if stray:
            report.note = (
                "values computed from the parameters left the graph at "
                + "; ".join(e.where() for e in stray[:2])
                + ": autograd gives no gradient through what your code computed from them, "
                "so the disagreement may come from there"
            )
    return report


def _cost(forward: Callable[..., Any], inputs: tuple,
          tensors: dict[str, Tensor]) -> tuple[Tensor, ExitLog]:
    """J, the cost node of the learner's forward, and the log of what left the graph."""
    if not callable(forward):
        raise TypeError(f"forward must be the learner's forward function, got {quote(forward)}")
    # numpy's "divide by zero encountered in log" would come first (an error where
    # warnings are, as in pytest): a cost that is not finite is explained below instead
    with recording() as log, np.errstate(divide="ignore", over="ignore", invalid="ignore"), \
            collecting(lambda value: getattr(log.origin(value), "node", None)) as seen:
        out = forward(*_labelled(forward, inputs), dict(tensors))
    if isinstance(out, tuple) and out:
        out = out[0]  # the course's (cost, cache)
    if isinstance(out, Tensor):
        J = out
    else:
        origin = log.origin(out)
        if origin is None:
            raise TypeError(_lost(out, log))
        J = origin.node
    if J.data.size != 1:
        raise ValueError(
            f"forward returned shape {J.data.shape}; it must return the scalar cost J "
            "(or (J, cache)), e.g. -np.sum(...) / m"
        )
    if not J.requires_grad:
        if log.exits:
            raise TypeError(_lost(J, log))
        raise ValueError(
            "forward's cost does not depend on any of the parameters: compute it from them "
            "(numbers taken out through t.data, t.detach() or under no_grad() carry no "
            "gradient)"
        )
    if not np.isfinite(J.data).all():
        raise ValueError(hints.not_finite(J))
    name_nodes(J, seen)
    return J, log


def _lost(out: Any, log: ExitLog) -> str:
    """Why the returned cost is not in the graph, naming the line that took it out."""
    what = (
        "forward's cost does not depend on the parameters in the graph"
        if isinstance(out, Tensor) else
        f"forward returned {type(out).__name__}, not the cost in the graph"
    )
    if log.exits:
        return (
            f"{what}: the cost was computed from a value that left the graph at "
            f"{log.exits[-1].where()}, and what your code computed from it afterwards is "
            "plain numpy, out of autograd's reach; keep computing on the tensors there "
            "(numpy's functions take them) and end with the course's "
            "cost = float(np.squeeze(cost)) if you like"
        )
    return (
        f"{what}: the cost left the graph unseen (t.data, t.detach() or no_grad() take "
        "numbers out of it); compute the cost from the parameters with numpy functions or "
        "Tensor operations, and end with the course's cost = float(np.squeeze(cost)) if "
        "you like"
    )


def _check_nothing_cut(J: Tensor, log: ExitLog, tensors: dict[str, Tensor],
                       hand: dict) -> None:
    """A parameter that got no gradient although the learner's gradient is not 0, while a
    value computed from it left the graph: that line cut the gradient."""
    for name, t in tensors.items():
        if graph.grad(t) is not None or not np.any(hand[name]):
            continue
        for e in log.exits:
            if e.node is not J and t in graph.nodes_of(e.node):
                raise TypeError(
                    f"no gradient reached {name} through your forward: a value computed "
                    f"from {name} left the graph at {e.where()}, and autograd cannot follow "
                    "numbers outside the graph. Keep it a tensor there: numpy's own "
                    "functions take tensors (np.dot, np.tanh, np.sum(..., keepdims=True))"
                )


def _stray_exits(J: Tensor, log: ExitLog) -> list:
    """Exits of values other than the cost itself that carry a gradient."""
    return [e for e in log.exits if e.node is not J and graph.requires_grad(e.node)]


# --- the arguments ----------------------------------------------------------------------


def _positive(x: Any, name: str) -> float:
    try:
        value = float(x)
    except (TypeError, ValueError):
        raise TypeError(f"{name} must be a number, got {quote(x)}") from None
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be finite and positive, got {quote(x)}")
    return value


def _check_parameters(parameters: Any) -> dict[str, np.ndarray]:
    if not isinstance(parameters, Mapping) or not parameters:
        raise TypeError(
            "parameters must be the course's dict of arrays, e.g. {'W1': W1, 'b1': b1}, "
            f"got {quote(parameters)}"
        )
    out = {}
    for name, value in parameters.items():
        if not isinstance(name, str):
            raise TypeError(f"parameter names must be strings like 'W1', got {quote(name)}")
        if isinstance(value, Tensor):
            value = graph.data(value)
        try:
            arr = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise TypeError(
                f"parameter {quote(name)} must be a numeric array, got {quote(value)}"
            ) from None
        if not np.isfinite(arr).all():
            raise ValueError(f"parameter {quote(name)} contains NaN or infinity")
        out[name] = arr
    return out


def _hand_gradients(grads: Any, params: dict[str, np.ndarray], inputs: tuple) -> dict:
    if callable(grads):
        grads = grads(*inputs, {k: v.copy() for k, v in params.items()})
    if not isinstance(grads, Mapping):
        raise TypeError(
            "grads must be a dict of the hand-derived gradients, e.g. {'dW1': dW1, ...}, or a "
            f"function returning one; got {quote(grads)}"
        )
    stray = hints.stray_keys(grads, params)
    if stray:
        raise AssertionError(stray)
    out = {}
    for name, p in params.items():
        key = "d" + name if "d" + name in grads else name if name in grads else None
        if key is None:
            have = ", ".join(quote(k) for k in list(grads)[:8]) or "nothing"
            raise AssertionError(
                f"grads has no {quote('d' + name)}, the gradient of parameter {quote(name)} "
                f"(the course names dW1 for W1); it has {have}"
            )
        value = grads[key]
        if isinstance(value, Tensor):
            value = graph.data(value)
        try:
            g = np.asarray(value, dtype=np.float64)
        except (TypeError, ValueError):
            raise AssertionError(f"{key} must be a numeric array, got {quote(value)}") from None
        if g.shape != p.shape:
            raise AssertionError(hints.shape_message(key, name, g.shape, p.shape))
        out[name] = g
    return out


def _labelled(forward: Callable[..., Any], inputs: tuple) -> tuple:
    """Array inputs as constant Tensors named after forward's own arguments (``X``, ``Y``),
    so that the drawn graph of the learner's code says which input is which."""
    try:
        names = [
            p.name for p in inspect.signature(forward).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):  # builtins and some callables have no signature
        names = []
    out = []
    for i, x in enumerate(inputs):
        if isinstance(x, np.ndarray) and x.dtype.kind in "biuf" and i < len(names):
            x = Tensor(x, label=names[i])
        out.append(x)
    return tuple(out)


def _compare(name: str, g: np.ndarray, a: np.ndarray, threshold: float, show: int,
             m: int | None) -> ParameterCheck:
    diff = relative_difference(g, a)
    if diff <= threshold:
        return ParameterCheck(name, g, a, diff, True)
    return ParameterCheck(
        name, g, a, diff, False, hints.diagnose(g, a, m), worst_entries(g, a, show)
    )
