"""What every node of a computation graph shares.

This module knows nothing of floats or arrays. It owns

* the node base class (:class:`Node`) with its few slots, and the one form of
  a node's operation: ``_op`` is the pair ``(name, position)``, the name of
  the operation that made the node (``''`` for a leaf) and the argument
  position of its number operand, or None when it has none (``3 * v`` is
  ``('*', 0)``; the number itself is the node type's to keep);
* the one backpropagation algorithm: an iterative topological order (no
  recursion, so a chain of a million operations works) and one reverse sweep
  in which each node applies its own local chain rule (:meth:`Node._chain`);
* grad mode, per thread as in PyTorch: the ``no_grad`` switch, and the flag
  anomaly mode (:mod:`micrograd_dls.anomaly`) sets, read by the node types on
  every operation through :func:`grad_enabled` and :func:`anomaly_on`;
* :func:`recording_exits` and :func:`leave_graph`, the per-thread hook through
  which node types report a value handed out of the graph (``float(t)``), for a
  checker of a learner's code, and :func:`user_site`, the user's line that did it;
* :func:`watching_nodes`, the per-thread hook through which a checker's lens sees
  each node an operation records, as it is made (:func:`watchers`);
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
replace the walk with a faster one of its own (:meth:`Node._backprop`) only
where a benchmark shows it pays (Value's does: ``benchmarks/bench_value.py``);
it must give the same gradients -- bit for bit, the tests check it -- and it
may specialise the walk, never its meaning.
"""

from __future__ import annotations

import gc
import os
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple

__all__ = [
    "LEAF",
    "Node",
    "anomaly_enabled",
    "anomaly_on",
    "backward",
    "constants",
    "creation_site",
    "data",
    "edge_rules",
    "exits_recorded",
    "gc_paused",
    "grad_enabled",
    "generic_backward",
    "grad",
    "is_grad_enabled",
    "is_leaf",
    "label",
    "leave_graph",
    "local_derivatives",
    "no_grad",
    "nodes_of",
    "on_anomaly_mode",
    "op",
    "parents",
    "recording_exits",
    "requires_grad",
    "set_anomaly_enabled",
    "set_grad_enabled",
    "shape",
    "topological_order",
    "user_site",
    "watchers",
    "watching_nodes",
    "zero_grad",
]

#: The ``_op`` of a leaf: no operation made it.
LEAF: tuple[str, int | None] = ("", None)


# Whether operations record themselves into the graph, and whether anomaly mode checks
# them: context variables, so one pair of switches per thread (a new thread starts with
# recording on and anomaly mode off) and per asyncio task, and `no_grad()` in one thread
# never cuts a graph another thread is building, as in PyTorch. A context variable's
# get() costs what reading an attribute costs; a threading.local costs three times that.
_recording: ContextVar[bool] = ContextVar("micrograd_dls.grad_enabled", default=True)
_anomaly: ContextVar[bool] = ContextVar("micrograd_dls.anomaly", default=False)

#: ``grad_enabled()``: True when new operations are recorded into the graph in this
#: thread. Read by the node modules on every operation; flip it with :func:`no_grad`.
grad_enabled = _recording.get
#: ``anomaly_on()``: True inside :func:`micrograd_dls.anomaly.detect_anomaly` in this thread.
anomaly_on = _anomaly.get


class Watch(NamedTuple):
    """What watches the nodes this thread records: anomaly mode's checks, a lens."""

    anomaly: bool
    lens: Callable[[Node], None] | None


_watch: ContextVar[Watch | None] = ContextVar("micrograd_dls.watch", default=None)
#: ``watchers()``: None -- the fast path, one read per operation -- or the :class:`Watch`
#: of this thread: anomaly mode on, or a checker's lens (:func:`watching_nodes`).
watchers = _watch.get


def _watching(anomaly: bool, lens: Callable[[Node], None] | None) -> None:
    _watch.set(Watch(anomaly, lens) if anomaly or lens is not None else None)


def is_grad_enabled() -> bool:
    """True when new operations are recorded into the graph (in this thread)."""
    return _recording.get()


@contextmanager
def set_grad_enabled(mode: bool) -> Iterator[None]:
    """Turn recording on or off inside a ``with`` block, restoring it afterwards; only in
    this thread."""
    previous = _recording.get()
    _recording.set(bool(mode))
    try:
        yield
    finally:
        _recording.set(previous)


def no_grad() -> Any:
    """Context in which nothing is recorded: results are leaves with no parents.

    Use it for parameter updates and for evaluation, as in PyTorch::

        with no_grad():
            w.data -= lr * w.grad
    """
    return set_grad_enabled(False)


def anomaly_enabled() -> bool:
    """True inside :func:`micrograd_dls.anomaly.detect_anomaly` in this thread."""
    return _anomaly.get()


_process_listeners: list[Callable[[bool], None]] = []
_thread_listeners: list[Callable[[bool], None]] = []
_anomaly_threads = 0  # how many threads are in anomaly mode now
_anomaly_lock = threading.Lock()


def on_anomaly_mode(listener: Callable[[bool], None], per_thread: bool = False) -> None:
    """Call ``listener(on)`` when anomaly mode turns on or off.

    By default once for the process: on when a first thread enters the mode,
    off when the last one leaves it. That is for a node type whose operations
    are too many and too small to test a flag each (Value): it swaps its
    checked operations in and out, so that outside anomaly mode its fast path
    pays nothing at all; the checked operations still read this thread's
    :func:`anomaly_on`, so a thread outside the mode is only slower, never
    checked. With ``per_thread=True``, in the thread that turns the mode on
    or off, each time (Tensor's numpy error state, which numpy keeps per thread).
    """
    (_thread_listeners if per_thread else _process_listeners).append(listener)


def set_anomaly_enabled(on: bool) -> bool:
    """Turn anomaly mode on or off in this thread; returns what it was, for restoring."""
    global _anomaly_threads
    previous = _anomaly.get()
    if previous is on:
        return previous
    with _anomaly_lock:
        _anomaly.set(on)
        watch = _watch.get()
        _watching(on, None if watch is None else watch.lens)
        _anomaly_threads += 1 if on else -1
        if _anomaly_threads == (1 if on else 0):
            for listener in _process_listeners:
                listener(on)
    for listener in _thread_listeners:
        listener(on)
    return previous


# --- values that leave the graph ------------------------------------------------

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


def user_site() -> tuple[str, int, str] | None:
    """(file, line, function) of the innermost frame on the stack that is not this
    library's: the user's line that is running now."""
    frame: Any = sys._getframe(1)
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame = frame.f_back
    if frame is None:
        return None
    return frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name


class _Exits(threading.local):
    """Per thread: the function that records values handed out of the graph, or None."""

    record: Callable[[Any, Any, str, Any], Any] | None = None


_exits = _Exits()


@contextmanager
def recording_exits(record: Callable[[Node, Any, str, Any], Any]) -> Iterator[None]:
    """Inside the block (in this thread), every value a node type hands out of the graph
    -- ``float(t)``, ``t.item()``, ``np.array(t)`` -- goes through
    ``record(node, obj, how, site)``, which returns what is handed out instead.

    ``site`` is the user's line that did it (:func:`user_site`). A checker of a
    learner's code uses it to find the cost again in the number the code
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
    return record(node, obj, how, user_site())


@contextmanager
def watching_nodes(lens: Callable[[Node], None]) -> Iterator[None]:
    """Inside the block (in this thread), ``lens(node)`` reads every node an operation
    records as it is made (op, parents, data; not yet ``requires_grad``): a checker of a
    learner's code looks at the shapes each line combines. Node types read
    :func:`watchers` once per operation. Blocks nest."""
    previous = _watch.get()
    _watching(_anomaly.get(), lens)
    try:
        yield
    finally:
        _watch.set(previous)


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


class Node:
    """Base of :class:`~micrograd_dls.value.Value` and :class:`~micrograd_dls.tensor.Tensor`.

    Slots: ``data`` (the value), ``grad`` (d root / d self after backward),
    ``label`` (a name for pictures, or None) and ``_op``, the pair
    ``(name, position)``: the operation that made this node (``''`` for a
    leaf, :data:`LEAF`) and the argument position of its number operand, or
    None (see :func:`constants`; the number itself is kept by the node type
    and given by its ``_constants``). Each subclass stores its inputs as it
    likes and shows them as ``_parents``, a tuple in argument order (empty for
    a leaf), and adds only what its chain rule needs. Nodes hash by identity.
    A node created in anomaly mode also holds ``_site``, the line of the
    user's code that created it (see :func:`micrograd_dls.anomaly.check_forward`);
    no slot is spent on it otherwise.
    """

    __slots__ = ("data", "grad", "label", "_op")

    data: Any
    grad: Any
    label: str | None
    _op: tuple[str, int | None]

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
        raise NotImplementedError

    def _backprop(self, grad: Any, retain_graph: bool) -> None:
        """The walk of :func:`backward` from this root; a node type may override it for speed."""
        generic_backward(self, grad, retain_graph)

    def zero_grad(self) -> None:
        """Reset the gradient of every node that this one depends on (itself included)."""
        zero_grad(topological_order(self))


def _order(root: Node, leaves: bool) -> list[Node]:
    """Iterative post-order depth-first search; ``leaves=False`` leaves them out."""
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
        if len(parents_) == 1:  # most nodes: skip building an iterator
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
    return node._op[0]


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
