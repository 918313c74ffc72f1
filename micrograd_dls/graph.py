"""What every node of a computation graph shares.

This module knows nothing of floats or arrays. It owns

* the node base class (:class:`Node`) with its few slots,
* the one backpropagation algorithm: an iterative topological order (no
  recursion, so a chain of a million operations works) and one reverse sweep
  in which each node applies its own local chain rule (:meth:`Node._chain`),
* the ``no_grad`` switch, and anomaly mode (:func:`detect_anomaly`) with the
  two hooks every node type calls to honour it (:func:`check_forward`,
  :func:`check_backward`),
* :func:`recording_exits` and :func:`leave_graph`, the per-thread hook through
  which node types report a value handed out of the graph (``float(t)``), for a
  checker of a learner's code,
* :func:`gc_paused`, the opt-in pause of Python's cyclic garbage collector for
  a block of graph work,
* the small read-only API through which ``viz``, ``gradcheck`` and the tests
  walk a graph: :func:`parents`, :func:`op`, :func:`constants`,
  :func:`label`, :func:`data`, :func:`grad`, :func:`shape`,
  :func:`requires_grad`, :func:`local_derivatives`, :func:`edge_rules`,
  :func:`broadcast_axes`, :func:`creation_site`,
  :func:`is_leaf`, :func:`topological_order`, :func:`nodes_of`.

What a second ``backward()`` does (the same for every node type): the
intermediate nodes of the graph get fresh gradients -- they are reset before
the sweep, so nothing is ever counted twice -- while leaves accumulate into
``grad`` as in PyTorch, until ``zero_grad``.

:func:`generic_backward` is that algorithm for any node type. A node type may
replace the walk with a faster one of its own (:meth:`Node._backprop`; Value
does), which must give the same gradients -- bit for bit, the tests check it --
and honour anomaly mode; it may specialise the walk, never its meaning.
"""

from __future__ import annotations

import gc
import linecache
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = [
    "AnomalyError",
    "Node",
    "anomaly_enabled",
    "backward",
    "check_backward",
    "check_forward",
    "creation_site",
    "data",
    "detect_anomaly",
    "edge_rules",
    "exits_recorded",
    "gc_paused",
    "generic_backward",
    "grad",
    "is_grad_enabled",
    "is_leaf",
    "leave_graph",
    "label",
    "constants",
    "local_derivatives",
    "no_grad",
    "nodes_of",
    "on_anomaly_mode",
    "op",
    "parents",
    "recording_exits",
    "requires_grad",
    "set_grad_enabled",
    "shape",
    "topological_order",
    "zero_grad",
]


class _GradMode:
    """Whether operations record themselves into the graph (a process-wide switch),
    and whether anomaly mode checks them."""

    __slots__ = ("enabled", "anomaly")

    def __init__(self) -> None:
        self.enabled = True
        self.anomaly = False


#: Read by the node modules on every operation; flip it with :func:`no_grad`.
grad_mode = _GradMode()


def is_grad_enabled() -> bool:
    """True when new operations are recorded into the graph."""
    return grad_mode.enabled


@contextmanager
def set_grad_enabled(mode: bool) -> Iterator[None]:
    """Turn recording on or off inside a ``with`` block, restoring it afterwards."""
    previous = grad_mode.enabled
    grad_mode.enabled = bool(mode)
    try:
        yield
    finally:
        grad_mode.enabled = previous


def no_grad() -> Any:
    """Context in which nothing is recorded: results are leaves with no parents.

    Use it for parameter updates and for evaluation, as in PyTorch::

        with no_grad():
            w.data -= lr * w.grad
    """
    return set_grad_enabled(False)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Python's cyclic garbage collector does not run inside the block; afterwards it is as before.

    An opt-in for speed. Building a graph allocates one object per node, and
    every few hundred allocations the collector walks the young objects -- and
    now and then every object of the process -- looking for reference cycles.
    A graph of this library has none (reference counting alone frees it), so
    on a scalar network that walk can double the time spent building the
    graph. Wrap a training step, or a loop of them, to skip it::

        for step in range(1000):
            with gc_paused():
                J = cost(model, X, Y)
                J.backward()
            update(model)

    On leaving, the collector is enabled again if it was enabled on entering
    (also when the block raises; blocks nest); its thresholds are not touched.
    Cyclic garbage that your own code makes inside the block waits until the
    collector runs again, so keep the block to graph work. Nothing in the
    library pauses the collector unless you ask for it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


# --- anomaly mode -------------------------------------------------------------


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
    created before the block have no line to report. Blocks nest. Tensor turns
    numpy's floating-point warnings off inside the block, so that the error,
    not a RuntimeWarning from inside numpy, reports the number.
    """
    previous = grad_mode.anomaly
    _set_anomaly(True)
    try:
        yield
    finally:
        _set_anomaly(previous)


_anomaly_listeners: list[Callable[[bool], None]] = []


def on_anomaly_mode(listener: Callable[[bool], None]) -> None:
    """Call ``listener(on)`` whenever anomaly mode turns on or off.

    For a node type whose operations are too many and too small to test a
    flag each (Value): it swaps its checked operations in and out, so that
    outside anomaly mode its fast path pays nothing at all.
    """
    _anomaly_listeners.append(listener)


def _set_anomaly(on: bool) -> None:
    if grad_mode.anomaly is on:
        return
    grad_mode.anomaly = on
    for listener in _anomaly_listeners:
        listener(on)


def anomaly_enabled() -> bool:
    """True inside :func:`detect_anomaly`."""
    return grad_mode.anomaly


def check_forward(node: Node, finite: bool, detail: str = "") -> None:
    """Anomaly mode's check of a forward: out = op(inputs) must be finite.

    The hook a node type calls right after it recorded ``node``: it notes the
    line of the user's code that created the node in ``node._site``, then
    raises :class:`AnomalyError` if ``finite`` is false. ``finite`` is the node
    type's own test of its data (``math.isfinite(x)``, ``np.isfinite(A).all()``);
    ``detail`` (optional) adds the numbers behind it to the message. Outside
    anomaly mode it returns at once, but the cheap way is to test first::

        if grad_mode.anomaly:  # the node was recorded, in anomaly mode
            check_forward(out, bool(np.isfinite(out.data).all()))

    The node must be able to hold a ``_site`` attribute: a node type with few,
    big nodes (Tensor) lists ``"_site"`` in its ``__slots__``; Value, with a
    node per number, makes its anomaly-mode nodes of a subclass that adds the
    slot, so that its ordinary nodes stay a slot smaller.
    """
    if not grad_mode.anomaly:
        return
    node._site = _user_site()
    if not finite:
        raise AnomalyError(_anomaly_message(node, "forward", detail))


def check_backward(node: Node, finite: bool, detail: str = "") -> None:
    """Anomaly mode's check of a backward: every gradient d root / d input that ``node``'s
    chain rule just wrote must be finite.

    The hook a node type calls (in anomaly mode) right after ``node`` handed
    its gradient to its inputs; raises :class:`AnomalyError` if ``finite`` is
    false. Inside a node type's ``_chain``::

        if grad_mode.anomaly:
            check_backward(self, all(np.isfinite(p.grad).all() for p in targets))
    """
    if grad_mode.anomaly and not finite:
        raise AnomalyError(_anomaly_message(node, "backward", detail))


_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def _user_site() -> tuple[str, int, str] | None:
    """The innermost frame on the stack that is not this library's: the user's line."""
    frame: Any = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return None
    return frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name


# --- values that leave the graph ------------------------------------------------


class _Exits(threading.local):
    """Per thread: the function that records values handed out of the graph, or None."""

    record: Callable[[Any, Any, str, Any], Any] | None = None


_exits = _Exits()


@contextmanager
def recording_exits(record: Callable[[Node, Any, str, Any], Any]) -> Iterator[None]:
    """Inside the block (in this thread), every value a node type hands out of the graph
    -- ``float(t)``, ``t.item()``, ``np.array(t)`` -- goes through
    ``record(node, obj, how, site)``, which returns what is handed out instead.

    ``site`` is the user's line that did it, as anomaly mode finds it. A checker
    of a learner's code uses it to find the cost again in the float the code
    returned, and to name the line where a gradient was cut. Outside the block
    nothing is recorded and the node types behave as always. Blocks nest.
    """
    previous = _exits.record
    _exits.record = record
    try:
        yield
    finally:
        _exits.record = previous


def exits_recorded() -> bool:
    """True inside :func:`recording_exits` (in this thread)."""
    return _exits.record is not None


def leave_graph(node: Node, obj: Any, how: str) -> Any:
    """``obj``, a value of ``node`` handed out of the graph by ``how`` (``"float()"``),
    or what :func:`recording_exits`' recorder hands out instead; ``obj`` itself outside it."""
    record = _exits.record
    if record is None:
        return obj
    return record(node, obj, how, _user_site())


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


class Node:
    """Base of :class:`~micrograd_dls.value.Value` and :class:`~micrograd_dls.tensor.Tensor`.

    Slots: ``data`` (the value), ``grad`` (d root / d self after backward),
    ``label`` (a name for pictures, or None) and ``_op`` (the name of the
    operation that made this node, '' for a leaf; for an operation with a
    number operand the flat tuple ``(name, position, number)``, or a node
    type's own form read by its ``_constants`` -- see :func:`constants`).
    Each subclass stores its inputs as it likes and shows them as
    ``_parents``, a tuple in argument order (empty for a leaf), and adds only
    what its chain rule needs. Nodes hash by identity. A node created in
    anomaly mode also holds ``_site``, the line of the user's code that
    created it (see :func:`check_forward`); no slot is spent on it otherwise.
    """

    __slots__ = ("data", "grad", "label", "_op")

    #: What an intermediate node's ``grad`` is reset to before a sweep.
    _fresh_grad: Any = None

    @property
    def _parents(self) -> tuple[Node, ...]:
        raise NotImplementedError

    def _chain(self, retain_graph: bool) -> None:
        """Add ``self.grad`` times the local derivatives into each parent's ``grad``."""
        raise NotImplementedError

    def _seed(self, grad: Any) -> None:
        """Set ``self.grad`` to d self / d self (or to the given upstream gradient)."""
        raise NotImplementedError

    def _edge_derivatives(self) -> tuple[Any, ...]:
        """Local derivative d self / d parent per edge where it is a number, else None."""
        return (None,) * len(self._parents)

    def _edge_rules(self) -> tuple[str, ...]:
        """A short formula per edge saying how the gradient flows to that parent."""
        return ("",) * len(self._parents)

    def _broadcast_axes(self) -> tuple[tuple[int, ...], ...]:
        """Per edge, the axes along which backward sums the parent's gradient back."""
        return ((),) * len(self._parents)

    def _shape(self) -> tuple[int, ...]:
        return ()

    def _constants(self) -> tuple[tuple[int, Any], ...]:
        """Number operands as (argument position, value); see :func:`constants`."""
        o = self._op
        return () if type(o) is str else ((o[1], o[2]),)

    def _backprop(self, grad: Any, retain_graph: bool) -> None:
        """The walk of :func:`backward` from this root; a node type may override it for speed."""
        generic_backward(self, grad, retain_graph)

    def zero_grad(self) -> None:
        """Reset the gradient of every node that this one depends on (itself included)."""
        zero_grad(topological_order(self))


def _order(root: Node, leaves: bool, needing_grad: bool = False) -> list[Node]:
    """Iterative post-order depth-first search; ``leaves=False`` leaves them out.

    ``needing_grad`` (with ``leaves=False``) enters only the nodes that require a
    gradient: nothing before a node that needs none needs one, so leaving it out
    moves no other node in the order.
    """
    order: list[Node] = []
    seen: set[Node] = set()
    stack: list[Any] = [root]
    pop = stack.pop
    push = stack.append
    extend = stack.extend
    emit = order.append
    mark = seen.add
    while stack:
        node = pop()
        if node is None:  # every parent of the node under this marker is emitted
            emit(pop())
            continue
        if node in seen:  # reached again through another consumer
            continue
        mark(node)
        parents_ = node._parents
        if not parents_:
            if leaves:
                emit(node)
            continue
        push(node)
        push(None)
        if needing_grad:  # reversed, so the first argument is visited (and emitted) first
            for i in range(len(parents_) - 1, -1, -1):
                p = parents_[i]
                if p._parents and p.requires_grad and p not in seen:
                    push(p)
        elif len(parents_) == 1:  # most nodes: skip building an iterator
            push(parents_[0])
        else:  # reversed, so the first argument is visited (and emitted) first
            extend(reversed(parents_))
    return order


def topological_order(root: Node) -> list[Node]:
    """Every node that ``root`` depends on, each after all of its parents; ``root`` last.

    Iterative depth-first search with an explicit stack: no recursion limit.
    The order is deterministic: parents are visited in argument order.
    """
    return _order(root, leaves=True)


def backward(
    root: Node, grad: Any = None, retain_graph: bool = False, keep_grads: bool = True
) -> None:
    """Backpropagate from ``root``: fill ``grad`` of every node with d root / d node.

    One topological order, then one reverse sweep in which every non-leaf node
    hands its gradient to its parents through its local derivatives (the chain
    rule). Intermediate gradients are recomputed from scratch on every call;
    leaves accumulate. ``grad`` is the upstream gradient for a non-scalar root.
    The work is :func:`generic_backward`, or the node type's own faster walk of
    the same algorithm. ``keep_grads=False`` resets each non-leaf's gradient
    once it is passed on (always through :func:`generic_backward`).
    """
    if not isinstance(root, Node):
        raise TypeError(f"backward() needs a graph node, got {type(root).__name__}")
    if keep_grads:
        root._backprop(grad, retain_graph)
    else:
        generic_backward(root, grad, retain_graph, keep_grads=False)


def generic_backward(
    root: Node, grad: Any = None, retain_graph: bool = False, keep_grads: bool = True
) -> None:
    """The backpropagation algorithm, for any node type: what :func:`backward` means.

    Reset every intermediate gradient, seed the root, then in reverse
    topological order let each non-leaf node apply its own chain rule
    (``_chain``); with ``keep_grads=False`` its gradient is reset right after.
    Leaves are never reset, so they accumulate.
    """
    interior = _order(root, leaves=False)  # leaves only receive
    for node in interior:
        node.grad = node._fresh_grad
    root._seed(grad)
    for node in reversed(interior):
        node._chain(retain_graph)
        if not keep_grads:
            node.grad = node._fresh_grad


def zero_grad(nodes: Iterable[Node]) -> None:
    """Set ``grad`` of each node back to its empty state (0 for Value, None for Tensor)."""
    for node in nodes:
        node.grad = node._fresh_grad


# --- the read-only graph API used by viz, gradcheck and the tests -----------


def parents(node: Node) -> tuple[Node, ...]:
    """The inputs of the operation that produced ``node``, in argument order."""
    return node._parents


def op(node: Node) -> str:
    """The name of the operation that produced ``node`` ('' for a leaf): '+', '*', 'tanh', ..."""
    o = node._op
    return o if type(o) is str else o[0]


def constants(node: Node) -> tuple[tuple[int, Any], ...]:
    """Number operands of the operation that made ``node``, as (argument position, value).

    A constant needs no node of its own: ``3 * v`` has one parent (``v``) and
    the constant ``((0, 3.0),)``, so a picture can still write ``3·v``.
    """
    return node._constants()


def is_leaf(node: Node) -> bool:
    """True for a node no operation produced (an input, a parameter, a constant)."""
    return not node._parents


def requires_grad(node: Node) -> bool:
    """True when backward computes a gradient for ``node`` (always, for a Value)."""
    return getattr(node, "requires_grad", True)


def label(node: Node) -> str | None:
    """The user's name for ``node`` (``a``, ``W[1]``, ``J``), or None."""
    return node.label


def data(node: Node) -> Any:
    """The forward value of ``node``."""
    return node.data


def grad(node: Node) -> Any:
    """d root / d node after ``backward()``."""
    return node.grad


def shape(node: Node) -> tuple[int, ...]:
    """The shape of ``node``'s value: ``()`` for a scalar."""
    return node._shape()


def local_derivatives(node: Node) -> tuple[Any, ...]:
    """Per edge (one per parent), the local derivative d node / d parent where it
    is a number -- what the lecture writes on the edge -- else None."""
    return node._edge_derivatives()


def broadcast_axes(node: Node) -> tuple[tuple[int, ...], ...]:
    """Per edge, the axes of ``node`` along which the parent was broadcast in the
    forward pass -- and along which backward sums its gradient back (``b`` of
    shape (n, 1) in ``W A + b``: ``(1,)``); ``()`` where nothing was broadcast."""
    return node._broadcast_axes()


def creation_site(node: Node) -> tuple[str, int, str] | None:
    """(file, line, function) of the user's code that created ``node`` -- recorded only in
    anomaly mode (:func:`detect_anomaly`); None for a node created outside it."""
    return getattr(node, "_site", None)


def edge_rules(node: Node) -> tuple[str, ...]:
    """Per edge, a short formula for how backward passes the gradient to that parent."""
    return node._edge_rules()


def nodes_of(roots: Node | Sequence[Node]) -> list[Node]:
    """All nodes reachable from one or several roots, each once, parents first."""
    if isinstance(roots, Node):
        return topological_order(roots)
    seen: set[Node] = set()
    out: list[Node] = []
    for r in roots:
        for n in topological_order(r):
            if n not in seen:
                seen.add(n)
                out.append(n)
    return out
