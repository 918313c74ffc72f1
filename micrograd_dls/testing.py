"""Check a learner's own backprop: hand-derived gradients against autograd of
the learner's own forward function.

The course's assignments write ``forward_propagation`` and
``backward_propagation`` in plain numpy. This module runs the forward function
unchanged on :class:`~micrograd_dls.Tensor` parameters (numpy's own functions
dispatch to the Tensor engine), backpropagates the cost, and compares each
hand-derived gradient with autograd's by the course's relative difference

    difference = ‖grad - grad_autograd‖ / (‖grad‖ + ‖grad_autograd‖)

under the course's threshold ``2e-7``. :func:`assert_gradients_match` raises
an ``AssertionError`` short enough to read in pytest's output;
:func:`check_gradients` returns a :class:`GradientReport` that prints in the
course's own words, for notebooks.

The hand-derived gradients come as the course gives them: a dict such as
``{"dW1": ..., "db1": ...}`` (the gradient of parameter ``W1`` is ``dW1``, the
course's naming), or a function returning one.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import graph
from .checks import quote, rank1_message
from .gradcheck import relative_difference, worst_entries
from .tensor import Tensor

__all__ = ["COURSE_THRESHOLD", "GradientReport", "assert_gradients_match", "check_gradients"]

#: The course's gradient-checking threshold: below it "your backward propagation
#: works perfectly fine".
COURSE_THRESHOLD = 2e-7


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
    learner's own code, ready for ``viz.draw(report.cost)``.
    """

    checks: list[ParameterCheck]
    difference: float
    threshold: float
    cost: Tensor

    @property
    def ok(self) -> bool:
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
        body = [line for c in self.checks for line in c.lines()]
        return "\n".join([head, *body])

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
    is called once with the parameters as Tensors. ``grads`` is the learner's
    dict of hand-derived gradients (``dW1`` for ``W1``; other entries such as
    ``dA1`` or ``dZ1`` are ignored), or a function called as
    ``grads(*inputs, parameters)`` with the plain numpy parameters that returns
    one. ``show`` entries that disagree most are listed per failing parameter.
    """
    params = _check_parameters(parameters)
    threshold = _positive(threshold, "threshold")
    hand = _hand_gradients(grads, params, inputs)
    tensors = {k: Tensor(v, requires_grad=True, label=k) for k, v in params.items()}
    J = _cost(forward, inputs, tensors)
    J.backward(retain_graph=True)  # retained: the report's cost can still be drawn with grads
    checks = []
    for name, p in params.items():
        auto = graph.grad(tensors[name])
        auto = np.zeros(p.shape) if auto is None else np.asarray(auto, dtype=np.float64)
        checks.append(_compare(name, hand[name], auto, threshold, show))
    g_all = np.concatenate([c.grad.reshape(-1) for c in checks])
    a_all = np.concatenate([c.autograd.reshape(-1) for c in checks])
    return GradientReport(checks, relative_difference(g_all, a_all), threshold, J)


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
    factor, a flipped sign, a transposed shape), and the worst entries.
    """
    report = check_gradients(forward, grads, parameters, *inputs, threshold=threshold, show=show)
    if not report.ok:
        raise AssertionError(str(report))


# --- the pieces -------------------------------------------------------------------------


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
            raise AssertionError(_shape_message(key, name, g.shape, p.shape))
        out[name] = g
    return out


def _shape_message(key: str, name: str, got: tuple, want: tuple) -> str:
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


def _cost(forward: Callable[..., Any], inputs: tuple, tensors: dict[str, Tensor]) -> Tensor:
    if not callable(forward):
        raise TypeError(f"forward must be the learner's forward function, got {quote(forward)}")
    out = forward(*_labelled(forward, inputs), dict(tensors))
    if isinstance(out, tuple) and out:
        out = out[0]  # the course's (cost, cache)
    if not isinstance(out, Tensor):
        raise TypeError(
            f"forward returned {type(out).__name__}, not a Tensor: the cost left the graph -- "
            "return the cost itself (not float(cost), cost.item() or an array built from it), "
            "and compute it with numpy functions or Tensor operations"
            + ("; the course's cost = float(np.squeeze(cost)) becomes cost = np.squeeze(cost) "
               "for the check" if isinstance(out, float) else "")
        )
    if out.data.size != 1:
        raise ValueError(
            f"forward returned shape {out.data.shape}; it must return the scalar cost J "
            "(or (J, cache)), e.g. -np.sum(...) / m"
        )
    if not out.requires_grad:
        raise ValueError("forward's cost does not depend on any of the parameters")
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


def _compare(name: str, g: np.ndarray, a: np.ndarray, threshold: float, show: int):
    diff = relative_difference(g, a)
    if diff <= threshold:
        return ParameterCheck(name, g, a, diff, True)
    return ParameterCheck(name, g, a, diff, False, _diagnose(g, a), worst_entries(g, a, show))


def _diagnose(g: np.ndarray, a: np.ndarray) -> str:
    """Name the classic mistakes that leave a gradient a constant multiple of the truth."""
    if not np.isfinite(g).all():
        return "yours has NaN or infinite entries"
    if not np.any(a):
        return "autograd's gradient is 0 here: this parameter does not affect the cost"
    if not np.any(g):
        return "yours is all zeros"
    c = float(np.vdot(g, a) / np.vdot(a, a))  # the best factor with g ≈ c·a
    if np.linalg.norm(g - c * a) > 1e-6 * np.linalg.norm(g):
        return ""
    if abs(c + 1) < 1e-6:
        return "yours has the opposite sign"
    if c > 1.5 and abs(c - round(c)) < 1e-6:
        return f"yours is {round(c)} times autograd's: a missing 1/m (m = {round(c)})?"
    if 0 < c < 1 and abs(1 / c - round(1 / c)) < 1e-6 * (1 / c):
        return f"yours is 1/{round(1 / c)} of autograd's: a 1/m too many (m = {round(1 / c)})?"
    return f"yours is {c:.6g} times autograd's: a missing or extra factor"
