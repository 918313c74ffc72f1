"""Recording an operation: a rule applied to tensors, and the node that remembers it.

:func:`apply` runs a rule's forward on its input tensors and makes the result
node: its array, its parents, the rule and the arrays the rule saved for
backward -- only when some input needs a gradient, and nothing under
``no_grad()``. It is the one place a result node is made, whichever way the
operation was called (a method, an operator, a function, numpy's protocols).
This module knows the rule, grad mode and anomaly mode; it reaches the Tensor
class only as the type of the inputs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .. import anomaly
from ..graph import LEAF, grad_enabled, watchers
from .operands import finite
from .rule import Rule
from .versions import clock

if TYPE_CHECKING:
    from .tensor import Tensor

__all__ = ["apply"]

_new = object.__new__


def apply(rule: Rule, parents: tuple[Any, ...], *args: Any,
          op: tuple[str, int | None] | None = None, const: Any = None) -> Tensor:
    """out = rule(parents, args): the rule's forward, recorded as a node when some parent
    needs a gradient.

    ``op`` names the node where it differs from the rule's name (``np.dot``
    draws as dot) or shows a number operand; ``const`` is that number.
    """
    data, saved = rule.forward(*parents, *args) if args else rule.forward(*parents)
    out = _new(type(parents[0]))  # every operand is a Tensor by now
    # numpy returns a scalar, not an array, from a full reduction or a 0-d operation
    out._data = data if type(data) is np.ndarray else np.asarray(data)
    out.grad = None
    out.label = None
    out._version = clock.now
    if grad_enabled():
        # A result in a graph is never changed: backward and the picture read its data.
        # Nothing in the engine writes into it, and every way out to the caller (.data,
        # numpy(), detach()) hands the array over read-only (see shown).
        # A result shares no array with a leaf's writes and hands out no write-counted
        # view: its _shares and _view stay unset, and nothing reads them.
        out._parents = parents
        out._op = rule.op if op is None else op
        out._const = const
        out._rule = rule
        watch = watchers()
        if watch is not None:  # anomaly mode, or a checker's lens (graph.watching_nodes)
            if watch.anomaly:
                anomaly.check_forward(out, *finite(out._data))
            if watch.lens is not None:
                watch.lens(out)
        for p in parents:
            if p.requires_grad:
                out.requires_grad = True
                out._saved = saved
                return out
    else:  # a leaf, like any other: its writes are counted
        out._parents = ()
        out._op = LEAF
        out._const = None
        out._rule = None
        out._shares = None
        out._view = None
    # Nothing below needs a gradient: keep the structure for the picture, not the arrays.
    out.requires_grad = False
    out._saved = None
    return out
