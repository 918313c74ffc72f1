"""What every node of a computation graph shares.

This module knows nothing of floats or arrays. It owns

* the node base class (:class:`Node`) with its few slots,
* the one backpropagation algorithm: an iterative topological order (no
  recursion, so a chain of a million operations works) and one reverse sweep
  in which each node applies its own local chain rule (:meth:`Node._chain`),
* the ``no_grad`` switch,
* the small read-only API through which ``viz``, ``gradcheck`` and the tests
  walk a graph: :func:`parents`, :func:`op`, :func:`constants`,
  :func:`label`, :func:`data`, :func:`grad`, :func:`shape`,
  :func:`requires_grad`, :func:`local_derivatives`, :func:`edge_rules`,
  :func:`broadcast_axes`,
  :func:`is_leaf`, :func:`topological_order`, :func:`nodes_of`.

What a second ``backward()`` does (the same for every node type): the
intermediate nodes of the graph get fresh gradients -- they are reset before
the sweep, so nothing is ever counted twice -- while leaves accumulate into
``grad`` as in PyTorch, until ``zero_grad``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

__all__ = [
    "Node",
    "backward",
    "data",
    "edge_rules",
    "grad",
    "is_grad_enabled",
    "is_leaf",
    "label",
    "constants",
    "local_derivatives",
    "no_grad",
    "nodes_of",
    "op",
    "parents",
    "requires_grad",
    "set_grad_enabled",
    "shape",
    "topological_order",
    "zero_grad",
]


class _GradMode:
    """Whether operations record themselves into the graph (a process-wide switch)."""

    __slots__ = ("enabled",)

    def __init__(self) -> None:
        self.enabled = True


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


class Node:
    """Base of :class:`~micrograd_dls.value.Value` and :class:`~micrograd_dls.tensor.Tensor`.

    Slots: ``data`` (the value), ``grad`` (d root / d self after backward),
    ``label`` (a name for pictures, or None) and ``_op`` (the name of the
    operation that made this node, '' for a leaf; for an operation with a
    number operand the flat tuple ``(name, position, number)`` -- see
    :func:`constants`). Each subclass stores its inputs as it likes and shows
    them as ``_parents``, a tuple in argument order (empty for a leaf), and
    adds only what its chain rule needs. Nodes hash by identity.
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


def backward(root: Node, grad: Any = None, retain_graph: bool = False) -> None:
    """Backpropagate from ``root``: fill ``grad`` of every node with d root / d node.

    One topological order, then one reverse sweep in which every non-leaf node
    hands its gradient to its parents through its local derivatives (the chain
    rule). Intermediate gradients are recomputed from scratch on every call;
    leaves accumulate. ``grad`` is the upstream gradient for a non-scalar root.
    """
    if not isinstance(root, Node):
        raise TypeError(f"backward() needs a graph node, got {type(root).__name__}")
    interior = _order(root, leaves=False)  # leaves only receive
    for node in interior:
        node.grad = node._fresh_grad
    root._seed(grad)
    for node in reversed(interior):
        node._chain(retain_graph)


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
    o = node._op
    return () if type(o) is str else ((o[1], o[2]),)


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
