"""How a Tensor operation is written down: a :class:`Rule`, and the one :func:`unbroadcast`.

Each operation of the engine is one :class:`Rule`, defined in the module of
its kind (:mod:`.elementwise`, :mod:`.products`, :mod:`.reductions`,
:mod:`.shapes`, :mod:`.costs`) with its forward computation, its
vector-Jacobian products and their text for the pictures side by side::

    def _exp(x):
        a = np.exp(x._data)
        return a, (a,)

    EXP = Rule("exp", _exp, vjps=(lambda g, a: g * a,), texts=("d{0} = d{out} * {out}",))

Given ``g = d root / d out``, ``vjps[i](g, *saved)`` is the gradient input
``i`` receives, from the arrays the forward saved; a node keeps a reference
to its rule and the saved tuple, no closure per node. Broadcasting is undone
in one place, :func:`unbroadcast`: ``b`` of shape ``(n, 1)`` added to
``W @ X`` of shape ``(n, m)`` receives ``sum(dZ, axis=1, keepdims=True)``.

This module knows numpy and nothing of nodes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

__all__ = ["Rule", "unbroadcast"]


class Rule:
    """One operation: ``forward(*inputs, *params) -> (out, saved)`` and one
    vector-Jacobian product per input.

    ``name`` is how the graph and the pictures name the operation (``'*'``,
    ``'exp'``); ``forward`` receives the input tensors (it reads their arrays,
    ``x._data``, and names them in its errors) and the operation's other
    arguments, and returns the result's array and the arrays backward needs;
    ``vjps[i](g, *saved)`` is the gradient of input ``i`` given
    ``g = d root/d out``; ``texts[i]`` is the same formula for people;
    ``numbers(c)`` gives the local derivative per edge where it is a plain
    number (``c`` is the operation's number operand), else None;
    ``broadcasts[i]`` says whether input ``i`` may have been broadcast, so
    that its formula is shown summed back to its shape; ``view`` marks an
    operation whose result may share the input's array (the version check
    looks through it).
    """

    __slots__ = ("name", "op", "forward", "vjps", "texts", "numbers", "broadcasts", "view")

    def __init__(
        self,
        name: str,
        forward: Callable[..., tuple[Any, tuple]],
        vjps: tuple[Callable[..., np.ndarray], ...],
        texts: tuple[str, ...],
        numbers: Callable[[Any], tuple[float, ...]] | None = None,
        broadcasts: bool | tuple[bool, ...] = False,
        view: bool = False,
    ) -> None:
        self.name = name
        self.op = (name, None)  # a node's `_op` when no number operand is shown
        self.forward = forward
        self.vjps = vjps
        self.texts = texts
        self.numbers = numbers
        self.broadcasts = (
            broadcasts if isinstance(broadcasts, tuple) else (broadcasts,) * len(vjps)
        )
        self.view = view

    def __repr__(self) -> str:
        return f"Rule({self.name!r})"


def unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """Sum ``g`` back to ``shape``: dx = Σ over the axes along which x was broadcast.

    ``unbroadcast(dZ, (n, 1)) == dZ.sum(axis=1, keepdims=True)``; ``g`` itself
    (no copy) when the shapes already match.
    """
    if g.shape == shape:
        return g
    shape = tuple(shape)
    try:
        fits = np.broadcast_shapes(shape, g.shape) == g.shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"unbroadcast: shape {shape} does not broadcast to the gradient's shape {g.shape}; "
            "give the shape of an input that was broadcast to it"
        )
    return sum_back(g, shape)


def sum_back(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """:func:`unbroadcast` for shapes known to fit (the chain rule's own calls)."""
    if len(shape) == 2 and shape[1] == 1 and g.ndim == 2 and shape[0] == g.shape[0]:
        return np.add.reduce(g, axis=1, keepdims=True)  # the bias b (n, 1): db = Σ dZ, axis 1
    return g.sum(axis=summed_axes(shape, g.shape)).reshape(shape)


def summed_axes(shape: tuple[int, ...], out: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of ``out`` along which an array of ``shape`` was broadcast to it."""
    lead = len(out) - len(shape)
    return tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and out[lead + i] != 1
    )


def passed(g: np.ndarray) -> np.ndarray:
    """dx = dout: the gradient passes unchanged."""
    return g


def negated(g: np.ndarray) -> np.ndarray:
    """dx = -dout."""
    return -g
