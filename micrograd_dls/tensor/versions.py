"""In-place changes: what a graph saved must not change behind its back.

PyTorch's version counter, for :class:`~.tensor.Tensor`: every in-place
write into a tensor's array is counted (:func:`touch`), a node remembers the
count when it was made, and backward through a node refuses if an array it
saved was written since (:func:`check_unchanged`), naming the tensor. This
module also owns the in-place operators (``W -= lr * dW`` under
``no_grad()``) and ``t.data = new``, and the message for a graph whose saved
arrays were freed by a first backward. It reads a tensor through its slots
(``_data``, ``_version``, ``_parents``, ``_rule``, ``_saved``) and knows
numpy; it never builds a node.
"""

from __future__ import annotations

import threading
import weakref
from typing import Any

import numpy as np

from ..graph import grad_enabled
from .operands import describe, number

__all__ = [
    "WriteCounted",
    "check_in_place",
    "check_unchanged",
    "clock",
    "counted_view",
    "freed_message",
    "in_place",
    "op_name",
    "touch",
    "WRITERS",
]

class _Clock:
    """Counts in-place writes to tensors' data, process-wide: a new node records
    ``clock.now`` as its ``_version``."""

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0


clock = _Clock()
_lock = threading.Lock()


def touch(t: Any) -> None:
    """Record that ``t``'s data was just changed in place: a node made before now that
    saved it can no longer backpropagate (:func:`check_unchanged`). A leaf that shares
    its array with another (``W.detach()``) counts the change for both, as PyTorch's
    shared version counter does."""
    with _lock:  # two threads' writes get distinct, increasing counts
        now = clock.now = clock.now + 1
        t._version = now
        t = t._shares
        while t is not None:
            t._version = now
            t = t._shares


#: numpy's functions that write into their first argument, by its name.
WRITERS = frozenset((np.copyto, np.put, np.place, np.putmask, np.fill_diagonal,
                     np.put_along_axis))


def _plain(x: Any) -> Any:
    """``x`` with every :class:`WriteCounted` in it (nested in lists, tuples, dicts) seen as
    a plain ndarray, so that numpy does the work without calling back."""
    if isinstance(x, WriteCounted):
        return x.view(np.ndarray)
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(item) for item in x)
    if isinstance(x, dict):
        return {k: _plain(item) for k, item in x.items()}
    return x


class WriteCounted(np.ndarray):
    """A leaf's array as ``t.data`` hands it out: a view through which every write numpy
    makes -- ``t.data[...] = x``, ``t.data -= d``, ``out=``, ``np.add.at``,
    ``np.copyto``, ``np.put``, ``np.place``, ``np.fill_diagonal`` -- is counted
    (:func:`touch`), so that a graph that saved the array refuses to backpropagate
    with the changed numbers. Views of it (slices, ``.T``, ``reshape``) count too;
    what numpy computes from it is a plain array. It holds its tensor weakly.
    """

    _owner: Any = None
    _array: np.ndarray | None = None  # the tensor's own array, for the view t.data hands out

    def __array_finalize__(self, obj: Any) -> None:
        owner = getattr(obj, "_owner", None)
        if owner is not None and np.may_share_memory(self, obj):
            self._owner = owner

    def _written(self) -> None:
        owner = self._owner() if self._owner is not None else None
        if owner is not None:
            touch(owner)

    def __setitem__(self, index: Any, value: Any) -> None:
        self._written()
        np.ndarray.__setitem__(self.view(np.ndarray), _plain(index), _plain(value))

    # The update `W.data -= lr * dW` of every training step: counted, then numpy's own
    # in-place operation on the array this is a view of, without the ufunc dispatch.
    def _update(self, ufunc: np.ufunc, other: Any) -> WriteCounted:
        owner = self._owner
        if owner is not None:
            owner = owner()
            if owner is not None:
                touch(owner)
        if type(other) is WriteCounted:
            other = other.view(np.ndarray)
        plain = self._array if self._array is not None else self.view(np.ndarray)
        ufunc(plain, other, out=plain, casting="same_kind")
        return self

    # numpy's stubs give ndarray's in-place operators the types of its binary ones, per dtype
    def __iadd__(self, other: Any) -> WriteCounted:  # type: ignore[misc]
        return self._update(np.add, other)

    def __isub__(self, other: Any) -> WriteCounted:  # type: ignore[override, misc]
        return self._update(np.subtract, other)

    def __imul__(self, other: Any) -> WriteCounted:  # type: ignore[misc]
        return self._update(np.multiply, other)

    def __itruediv__(self, other: Any) -> WriteCounted:  # type: ignore[override, misc]
        return self._update(np.true_divide, other)

    def __array_ufunc__(self, ufunc: np.ufunc, method: str, *inputs: Any, **kwargs: Any) -> Any:
        out = kwargs.get("out")
        targets = list(out) if out else []
        if method == "at":
            targets.append(inputs[0])
        for target in targets:
            if isinstance(target, WriteCounted):
                target._written()
        if out:
            kwargs["out"] = _plain(out)
        result = getattr(ufunc, method)(*_plain(inputs), **kwargs)
        if out:  # `a -= d` rebinds a to what this returns: the view itself
            return out[0] if len(out) == 1 else out
        return result

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:  # type: ignore[override]  # numpy passes a tuple and a dict
        if func in WRITERS:
            target = args[0] if args else next(iter(kwargs.values()), None)
            if isinstance(target, WriteCounted):
                target._written()
        result = func(*_plain(args), **_plain(kwargs))
        if isinstance(result, np.ndarray) and type(result) is np.ndarray:
            # a view numpy made of the data (np.reshape, np.ravel) still counts its writes
            for a in args:
                if isinstance(a, WriteCounted) and np.may_share_memory(result, a):
                    view = result.view(WriteCounted)
                    view._owner = a._owner
                    return view
        return result

    def __repr__(self) -> str:
        return repr(self.view(np.ndarray))

    def __str__(self) -> str:
        return str(self.view(np.ndarray))

    def __reduce__(self) -> Any:  # pickled (and so copied by multiprocessing) as a plain array
        return self.view(np.ndarray).__reduce__()


def counted_view(t: Any) -> WriteCounted:
    """The leaf ``t``'s array as a :class:`WriteCounted` view of it: writes are counted.
    Made once per array and kept in ``t._view``, so ``t.data`` is the same object each time."""
    view = t._view
    if view is None:
        view = t._view = t._data.view(WriteCounted)
        view._owner = weakref.ref(t)
        view._array = t._data
    return view


def op_name(node: Any) -> str:
    return node._op[0]


def check_unchanged(node: Any, parent: Any) -> None:
    """Refuse to backpropagate through ``node`` if an array it saved -- the data of
    ``parent``, or of the tensor ``parent`` is a view of -- was changed in place
    after ``node`` was made (PyTorch's version counter)."""
    version = node._version
    base = parent
    while base._version <= version:  # not written since: maybe what it shares an array with
        if base._rule is None and base._shares is not None:  # a leaf made by detach()
            base = base._shares
        elif base._rule is not None and base._rule.view and base._parents:  # a view
            base = base._parents[0]
        else:
            return
    changed = base._data
    if not any(type(s) is np.ndarray and np.may_share_memory(s, changed) for s in node._saved):
        return  # the rule does not use it (x + y saves nothing)
    via = "" if base is parent else f", through the {op_name(parent)} {describe(parent)},"
    raise RuntimeError(
        f"backward() through '{op_name(node)}', which made {describe(node)}: {describe(base)}"
        f"{via} was changed in place after '{op_name(node)}' saved it for backward, so "
        "its gradient would be computed from the new numbers, not the ones the forward "
        "pass used. Compute the forward pass again after changing it (J = f(W), then "
        "J.backward()), or change a copy, e.g. Tensor(W.data) or W.data = W.data - d"
    )


def freed_message(node: Any, root: bool = False) -> str:
    """Why ``node``'s saved arrays are gone: ``root`` -- backward() from the same tensor
    twice; otherwise this graph was built on a result of an earlier one, whose backward()
    freed it (the course's update W = W - learning_rate * dW on tensors, in a loop)."""
    if root:
        return (
            f"Trying to backward through the graph a second time (at {describe(node)}, op "
            f"'{op_name(node)}'): the arrays saved for "
            "backward were freed by the first backward(). Pass retain_graph=True to the first "
            "backward() if you need to backpropagate through the same graph again"
        )
    updated = op_name(node) in ("-", "+") and any(
        p.requires_grad and p._data.shape == node._data.shape for p in node._parents
    )
    what = (
        "a parameter updated on tensors as the course writes it, W = W - learning_rate * "
        "dW: this iteration's W was computed from last iteration's W, so every iteration's "
        "graph hangs on the one before"
        if updated else
        "a tensor of this graph was computed from a result of the earlier one"
    )
    return (
        f"backward() reached {describe(node)}, the result of '{op_name(node)}' in an earlier "
        f"graph whose backward() already ran and freed it: {what}. Update the parameters "
        "outside the graph, in place: with no_grad(): W -= learning_rate * dW (W stays a "
        "leaf), or W.data -= learning_rate * dW; then set W.grad = None before the next "
        "backward() (a leaf adds up its gradients). retain_graph=True does not fix this: "
        "each backward() would walk every earlier iteration again (quadratic time)"
    )


def check_in_place(t: Any, op: str) -> None:
    """Refuse to overwrite an array that a graph recorded or will differentiate."""
    if t._parents:
        raise RuntimeError(
            f"in-place '{op}' on {describe(t)}, the result of '{op_name(t)}' in a graph: its "
            "data is part of what backward and the picture use; compute a new tensor instead"
        )
    if t.requires_grad and grad_enabled():
        raise RuntimeError(
            f"in-place '{op}' on {describe(t)}, a leaf that requires a gradient: do parameter "
            "updates under no_grad(), e.g.  with no_grad(): W -= lr * W.grad"
        )


def in_place(t: Any, other: Any, op: str, ufunc: np.ufunc, array_of: Any) -> Any:
    """t.data op= other, keeping t's array, shape and dtype; counted by :func:`touch`.

    ``array_of(other, op)`` gives a non-number operand's array.
    """
    check_in_place(t, op)
    c = number(other) if not hasattr(other, "_data") else None
    if c == 0.0 and ufunc is np.true_divide:
        raise ZeroDivisionError(f"in-place division of {describe(t)} by the number 0")
    value = array_of(other, op) if c is None else c
    try:
        ufunc(t._data, value, out=t._data, casting="same_kind")
    except ValueError:
        if not t._data.flags.writeable:
            raise RuntimeError(
                f"in-place '{op}' on {describe(t)}: its data is read-only, shared with a "
                "result in a graph (t.detach() of a result shares its array); change a "
                "copy, Tensor(t.data)"
            ) from None
        raise ValueError(
            f"in-place '{op}' on {describe(t)}: the other operand has "
            f"shape {np.shape(value)}, which does not broadcast to {t._data.shape}; an "
            "in-place update keeps the shape -- compute a new tensor instead"
        ) from None
    touch(t)
    return t
