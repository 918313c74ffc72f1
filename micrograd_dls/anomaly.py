"""Anomaly mode: the first operation that makes a NaN or an infinity raises, with the
course's usual cause.

This module owns :func:`detect_anomaly`, :class:`AnomalyError`, the two hooks
every node type calls to honour the mode (:func:`check_forward`,
:func:`check_backward`), the search for the user's line that created a node,
and the course's hints by operation (``log(0)`` in the cost, a learning rate
too large, a sigmoid saturated by a large initialisation). The switch itself
is :mod:`micrograd_dls.graph`'s grad mode, per thread; this module knows a node
only through ``graph``'s read-only API, and nothing of floats or arrays.
"""

from __future__ import annotations

import linecache
from collections.abc import Iterator
from contextlib import contextmanager

from .graph import Node, anomaly_on, creation_site, op, set_anomaly_enabled
from .graph import user_site as _user_site

__all__ = ["AnomalyError", "check_backward", "check_forward", "detect_anomaly"]


class AnomalyError(FloatingPointError):
    """In anomaly mode, an operation's forward or backward produced a NaN or an infinity."""


@contextmanager
def detect_anomaly() -> Iterator[None]:
    """Inside the block, the first operation that produces a NaN or an infinity raises.

    As PyTorch's ``torch.autograd.detect_anomaly``, for learners: the forward
    of every recorded operation checks its result, and backward checks every
    gradient an operation hands to its inputs. The :class:`AnomalyError` names
    the operation, the line of your code that created the node, and the usual
    cause in this course (``log(0)`` in the cost, a learning rate too large, a
    sigmoid saturated by a large initialisation)::

        with detect_anomaly():
            J = cost(model(X), Y)
            J.backward()

    Slower than normal: each new node records where it was created (only in
    this mode -- outside it nothing is recorded and nothing checked). Nodes
    created before the block have no line to report. Blocks nest; the mode is per thread,
    as grad mode is. Tensor turns
    numpy's floating-point warnings off inside the block, so that the error,
    not a RuntimeWarning from inside numpy, reports the number.
    """
    previous = set_anomaly_enabled(True)
    try:
        yield
    finally:
        set_anomaly_enabled(previous)


def check_forward(node: Node, finite: bool, detail: str = "") -> None:
    """Anomaly mode's check of a forward: out = op(inputs) must be finite.

    The hook a node type calls right after it recorded ``node``: it notes the
    line of the user's code that created the node in ``node._site``, then
    raises :class:`AnomalyError` if ``finite`` is false. ``finite`` is the node
    type's own test of its data (``math.isfinite(x)``, ``np.isfinite(A).all()``);
    ``detail`` (optional) adds the numbers behind it to the message. Outside
    anomaly mode it returns at once, but the cheap way is to test first::

        if anomaly_on():  # the node was recorded, in anomaly mode
            check_forward(out, bool(np.isfinite(out.data).all()))

    The node must be able to hold a ``_site`` attribute: a node type with few,
    big nodes (Tensor) lists ``"_site"`` in its ``__slots__``; Value, with a
    node per number, makes its anomaly-mode nodes of a subclass that adds the
    slot, so that its ordinary nodes stay a slot smaller.
    """
    if not anomaly_on():
        return
    node._site = _user_site()  # type: ignore[attr-defined]  # a node type with a _site slot
    if not finite:
        raise AnomalyError(_anomaly_message(node, "forward", detail))


def check_backward(node: Node, finite: bool, detail: str = "") -> None:
    """Anomaly mode's check of a backward: every gradient d root / d input that ``node``'s
    chain rule just wrote must be finite.

    The hook a node type calls (in anomaly mode) right after ``node`` handed
    its gradient to its inputs; raises :class:`AnomalyError` if ``finite`` is
    false. Inside a node type's ``_chain``::

        if anomaly_on():
            check_backward(self, all(np.isfinite(p.grad).all() for p in targets))
    """
    if anomaly_on() and not finite:
        raise AnomalyError(_anomaly_message(node, "backward", detail))


_LOG_OF_ZERO = (
    "log(0) in the cost: a prediction A reached exactly 0 or 1, often a sigmoid "
    "saturated by a large initialisation (the course scales W by 0.01). Compute the cost "
    "from the logits instead (binary_cross_entropy_with_logits), which never takes log(0)"
)

#: The course's usual cause of a NaN or infinity, by operation.
_HINTS = {
    "log": _LOG_OF_ZERO,
    "BCE": _LOG_OF_ZERO,
    "**": "a power of 0 with a negative exponent, or its derivative y x**(y-1) at x = 0 "
    "for y < 1 (a square root at 0): keep the base away from 0, e.g. (x + eps) ** y; "
    "a negative base to a fractional power is nan (not a real number)",
    "sqrt": "a square root of a negative number (nan), or its derivative 1/(2 sqrt x) at "
    "x = 0 (inf): keep the argument positive, e.g. sqrt(x + eps)",
    "exp": "exp of a number above about 709 is inf: Z grew too large, from a learning rate "
    "too large or a large initialisation (the course scales W by 0.01); a cost from the "
    "logits (binary_cross_entropy_with_logits) never overflows",
    "/": "a division by a number at or near 0; in a cost this is usually log(0)'s "
    "derivative 1/A with A = 0 or 1 -- use the logits form of the cost",
    "sigmoid": "a saturated sigmoid: |Z| so large that A is exactly 0 or 1, usually from a "
    "large initialisation (the course scales W by 0.01) or a learning rate too large",
    "tanh": "a saturated tanh: |Z| so large that A is exactly -1 or 1, usually from a "
    "large initialisation (the course scales W by 0.01) or a learning rate too large",
}
_DEFAULT_HINT = (
    "numbers this large usually mean gradient descent diverged: a learning rate too large "
    "(try 10 times smaller), or weights initialised too large (the course scales W by 0.01)"
)


def _anomaly_message(node: Node, phase: str, detail: str) -> str:
    name = op(node) or "leaf"
    what = f"the {phase} of '{name}' produced a NaN or an infinity"
    if detail:
        what += f" ({detail})"
    site = creation_site(node)
    if site is None:
        where = (
            "the node was created before anomaly mode was turned on, so its line is not "
            "known: build the graph inside `with detect_anomaly():`"
        )
    else:
        filename, line, function = site
        where = f'the node was created at File "{filename}", line {line}, in {function}'
        text = linecache.getline(filename, line).strip()
        if text:
            if len(text) > 120:
                text = text[:117] + "..."
            where += "\n    " + "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return f"anomaly mode: {what};\n  {where}\n  hint: {_HINTS.get(name, _DEFAULT_HINT)}"
