"""The :class:`Tensor` class: a numpy array as a node of the computation graph, and
the chain rule's bookkeeping for it.

This module owns the class and what every Tensor node does whatever its
operation: making a leaf (:func:`leaf`; a result is made by
:func:`.record.apply`), receiving a gradient (:func:`receive`, summed back to
the node's shape), passing it on (``Tensor._chain``) and the seed of backward.
The operations themselves -- forward, vector-Jacobian products and their
text, each in one place -- are the rules of :mod:`.elementwise`,
:mod:`.products`, :mod:`.reductions` and :mod:`.shapes`; a method here only
applies one. numpy's protocols are installed by :mod:`.protocols`; the
operations written as functions are in :mod:`.functions`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from .. import anomaly
from ..checks import quote
from ..graph import LEAF, Node, anomaly_on, backward, grad_enabled
from .conversions import Conversions
from .methods import Operations
from .operands import as_array, describe, finite
from .rule import Rule, sum_back, summed_axes
from .versions import (
    WriteCounted,
    check_unchanged,
    clock,
    counted_view,
    freed_message,
    in_place,
    touch,
)

__all__ = ["Tensor", "as_tensor", "check_leaves_graph", "leaf", "operands"]

_new = object.__new__


def leaf(data: np.ndarray, requires_grad: bool, label: str | None) -> Tensor:
    """A tensor no operation made, around ``data`` as it is (no copy, no check)."""
    t = _new(Tensor)
    _as_leaf(t, data, requires_grad, label)
    return t


def _as_leaf(t: Tensor, data: np.ndarray, requires_grad: bool, label: str | None) -> None:
    t._data = data
    t.grad = None
    t.label = label
    t._op = LEAF
    t._const = None
    t.requires_grad = requires_grad
    t._parents = ()
    t._rule = None
    t._saved = None
    t._version = 0
    t._shares = None
    t._view = None


def as_tensor(x: Any, op: str) -> Tensor:
    """An operand as a Tensor: arrays and numbers become constant leaves (no gradient)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        raise TypeError(
            f"'{op}' between a Tensor and a {type(x).__name__}: mix node types through "
            "their data, e.g. Tensor(v.data)"
        )
    # under no_grad no graph keeps the array, so it need not be copied
    return leaf(as_array(x, None, f"the other operand of '{op}'", grad_enabled()), False, None)


def shown(t: Tensor) -> np.ndarray:
    """The data of a result in a graph as the caller gets it: read-only, since backward
    and the picture use it as the forward pass computed it. Setting the flag here, where
    the array leaves the engine, and not on every result, keeps a step free of the call."""
    data = t._data
    data.setflags(write=False)
    return data


def receive(node: Tensor, d: np.ndarray, upstream: np.ndarray | None) -> None:
    """Add the gradient ``d`` (summed back to node's shape) into ``node.grad``.

    ``upstream`` is the array ``d`` was computed from (None for a fresh seed).
    An interior node keeps its first gradient as it is, with no copy -- it may
    be shared with another node (``+`` passes one array to both inputs), so
    later ones are added out of place. A leaf owns its gradient array: it
    copies one that shares memory with ``upstream``, remembers it in
    ``_saved`` and accumulates into it in place, so that changing one leaf's
    ``grad`` never changes another's.
    """
    data = node._data
    if type(d) is not np.ndarray or d.shape != data.shape:
        d = np.asarray(d)
        if d.shape != data.shape:
            d = sum_back(d, data.shape)
    if d.dtype != data.dtype:
        d = d.astype(data.dtype)
    old = node.grad
    if node._parents:
        node.grad = d if old is None else np.asarray(old + d)  # 0-d + 0-d is a scalar
    elif old is not None and old is node._saved:
        old += d
    else:
        if old is not None:
            d = np.asarray(old + d)
        elif upstream is not None and (d is upstream or d.base is not None
                                       or upstream.base is not None) \
                and np.may_share_memory(d, upstream):
            d = d.copy()
        node.grad = node._saved = d


def _seed_array(root: Tensor, grad: Any) -> np.ndarray:
    data = root._data
    if type(grad) is np.ndarray and grad.shape == data.shape and grad.dtype == data.dtype:
        return grad  # already checked (Tensor.backward seeds before graph.backward)
    if grad is None:
        if data.size != 1:
            raise RuntimeError(
                f"backward() from {describe(root)}: the gradient can be "
                "implied only for a scalar (like the cost J); reduce it first (.sum(), .mean()) "
                f"or pass the upstream gradient, backward(grad) with an array of shape {data.shape}"
            )
        if data.ndim == 0:  # the cost J: 1.0 as an array of its own
            return np.array(1.0, dtype=data.dtype)
        return np.ones(data.shape, dtype=data.dtype)
    g = as_array(
        grad.data if isinstance(grad, Tensor) else grad, data.dtype, "backward(grad)", False
    )
    if g.shape != data.shape:
        raise ValueError(
            f"backward(grad): grad has shape {g.shape}; it must have the shape of the output, "
            f"{describe(root)}"
        )
    return g


def _set_data(t: Tensor, value: Any) -> None:
    """``t.data = value`` with a new array (the setter counts ``t.data -= d`` itself): a
    leaf takes it (same shape; no copy) and counts the change."""
    if t._parents:
        raise RuntimeError(
            f"assigning to .data of {describe(t)}, the result of '{t._op[0]}' in a graph: "
            "its data is part of what backward and the picture use; compute a new tensor "
            "instead, or change a leaf (a parameter) and compute again"
        )
    old = t._data
    arr = as_array(value, old.dtype, f"{describe(t)}.data = ...", copy=False)
    if arr.shape != old.shape:
        raise ValueError(
            f"{describe(t)}: .data = an array of shape {arr.shape}; the data keeps its "
            f"shape {old.shape}, which its gradient and every graph built on it have. "
            "For another shape make a new tensor: Tensor(new, requires_grad=True)"
        )
    t._data = arr
    t._view = None
    touch(t)


def _array_operand(x: Any, op: str) -> np.ndarray:
    """The array of an in-place update's other operand."""
    return as_tensor(x, op)._data


def operands(x: Any, y: Any, op: str) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors; an array operand of a float32 tensor keeps the dtype numpy
    would give the result (a boolean mask or small ints keep float32, int64 gives float64)."""
    if type(x) is Tensor and type(y) is Tensor:
        return x, y
    tx, ty = as_tensor(x, op), as_tensor(y, op)
    t, c, raw = (tx, ty, y) if ty is not y else (ty, tx, x)
    if t._data.dtype != c._data.dtype and t._data.dtype == np.float32:
        # numpy 2: a Python number is weak (float32 stays), an array or numpy scalar is not
        dtype = np.result_type(t._data.dtype, raw if np.isscalar(raw) else np.asarray(raw).dtype)
        if dtype == np.float32:
            c = leaf(c._data.astype(np.float32), False, None)
            return (t, c) if t is tx else (c, t)
    return tx, ty


def check_leaves_graph(t: Tensor, how: str) -> None:
    """Refuse to hand out the numbers of a tensor that requires a gradient as a plain array:
    that array would be cut off from the graph, and no gradient could reach it."""
    if t.requires_grad and grad_enabled():
        raise RuntimeError(
            f"{how} on {describe(t)}, which requires a gradient, would give a plain array cut "
            "off from the graph, so no gradient would reach it. For the numbers use "
            "t.detach().numpy() (or do it under no_grad()); to stay in the graph use the "
            "Tensor operation or numpy function on the tensor itself (np.concatenate, "
            "np.stack, np.dot, ... take tensors)"
        )


class Tensor(Operations, Conversions, Node):
    """An array with a gradient: ``Tensor(W, requires_grad=True, label='W[1]')``.

    ``data`` is a numpy array (float64, or float32 when given so or asked with
    ``dtype``); ``grad`` is d root / d self, an array of the same shape, after
    ``root.backward()`` (None before, as in PyTorch). Only tensors created with
    ``requires_grad=True`` -- and results computed from them -- get gradients:
    the data ``X`` and labels ``Y`` are wrapped without, and no work is spent
    on them. ``check_finite=True`` refuses NaN or infinite entries. numpy's
    own functions take tensors (``np.dot(W, A)``, ``np.maximum(0, Z)``,
    ``np.sum(dZ, axis=1, keepdims=True)``) and give nodes of the graph; numpy
    sees the data (``np.asarray(t)``) except where that would quietly drop a
    tensor that requires a gradient from the graph: that is refused, naming
    the fix (``t.detach().numpy()``).

    What backward uses cannot change behind its back, as in PyTorch: an array
    the caller still holds is copied (as ``torch.tensor`` does); a result's
    data is read-only while it is in a graph; and changing a leaf in place
    (``W -= d`` under ``no_grad()``, ``W.data -= d``) after an operation saved
    it makes that operation's backward raise, naming the tensor -- compute
    the forward pass again after the update. (Writing into ``W.data[...]``
    directly is, as in PyTorch, not tracked.)
    """

    # A leaf keeps no saved arrays; it uses `_saved` to remember the gradient array it
    # owns -- the only one it ever adds into in place. `_data` holds `data` (a property,
    # so that assigning it can be checked and counted); `_version` is the clock's count
    # when a result was made, or when a leaf's data was last changed in place; `_const`
    # is the number operand that `_op` shows (``3 * W``), or None.
    __slots__ = ("requires_grad", "_parents", "_rule", "_saved", "_data", "_version",
                 "_const", "_shares", "_view", "_site", "__weakref__")

    grad: np.ndarray | None
    requires_grad: bool
    _parents: tuple[Tensor, ...]
    _rule: Rule | None  # None for a leaf
    # a result's arrays saved for backward (None once freed); a leaf's own gradient array
    _saved: tuple[Any, ...] | np.ndarray | None
    _data: np.ndarray
    _version: int
    _const: Any  # the number operand _op shows, or None
    _shares: Tensor | None  # the leaf whose array a detached leaf shares
    _view: WriteCounted | None  # the write-counted view that .data hands out
    _site: tuple[str, int, str] | None  # set in anomaly mode only

    # Installed by .protocols: numpy's protocols, and ndarray's W.dot(A).
    __array__: Callable[..., np.ndarray]
    __array_function__: Callable[..., Any]
    __array_ufunc__: Callable[..., Any]
    dot: Callable[..., Tensor]


    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        label: str | None = None,
        dtype: Any = None,
        check_finite: bool = False,
    ) -> None:
        what = f"Tensor({quote(label)})" if label is not None else "Tensor(data)"
        arr = as_array(data, dtype, what)
        if check_finite and not np.isfinite(arr).all():
            bad = np.argwhere(~np.isfinite(arr))
            where = tuple(int(i) for i in bad[0])
            raise ValueError(
                f"{what}: {len(bad)} entr{'y is' if len(bad) == 1 else 'ies are'} NaN or "
                f"infinite (the first at index {where}, value {arr[where]}); "
                "clean or impute the data before training"
            )
        _as_leaf(self, arr, bool(requires_grad), label)

    def _operand(self, other: Any, op: str) -> Tensor:
        return operands(self, other, op)[1]

    @property
    def data(self) -> np.ndarray:
        """The array. A result's is read-only while it is in a graph; a leaf's may be
        changed (``W.data -= lr * W.grad``, ``W.data[0] = 1``): every write through it is
        counted, and a graph that saved the array refuses to backpropagate afterwards."""
        if self._parents:
            return shown(self)
        view = self._view
        return counted_view(self) if view is None else view

    @data.setter
    def data(self, value: Any) -> None:
        if not self._parents and value is self._view and value is not None:
            return  # `W.data -= d`: the view counted the change as numpy made it
        if not self._parents and (value is self._data or (
                type(value) is WriteCounted and value.base is self._data
                and value.shape == self._data.shape and value.strides == self._data.strides)):
            touch(self)  # numpy changed the leaf's array in place; count it
        else:
            _set_data(self, value)

    # --- what every node does: the chain rule's bookkeeping ----------------------------

    def _chain(self, retain_graph: bool) -> None:
        if not self.requires_grad:
            return
        saved = self._saved
        if saved is None:
            raise RuntimeError(freed_message(self))
        version = self._version
        parents = self._parents
        if clock.now != version:  # some array was written in place since: was one of ours?
            for parent in parents:
                rule = parent._rule  # a view (of a result) or a detached leaf may share one
                if parent._version > version or (
                        parent._shares is not None if rule is None else rule.view):
                    check_unchanged(self, parent)
        g = self.grad
        for parent, vjp in zip(parents, self._rule.vjps):  # type: ignore[union-attr]  # a result
            if parent.requires_grad:
                d = vjp(g, *saved)
                data = parent._data
                if (parent.grad is None and parent._parents and type(d) is np.ndarray
                        and d.shape == data.shape and d.dtype == data.dtype):
                    parent.grad = d  # receive's most common case, without the call
                else:
                    receive(parent, d, g)
        if anomaly_on():  # inside anomaly.detect_anomaly()
            for parent in parents:
                if parent.requires_grad:
                    anomaly.check_backward(self, *finite(parent.grad, f"d{describe(parent)}: "))  # type: ignore[arg-type]  # received one
        if not retain_graph:
            self._saved = None

    def _seed(self, grad: Any) -> None:
        g = _seed_array(self, grad)
        receive(self, g, None if grad is None else g)

    def _shape(self) -> tuple[int, ...]:
        return self._data.shape

    def _constants(self) -> tuple[tuple[int, Any], ...]:
        position = self._op[1]
        return () if position is None else ((position, self._const),)

    def _edge_derivatives(self) -> tuple[Any, ...]:
        rule = self._rule
        if rule is None:
            return ()
        if rule.numbers is None:
            return (None,) * len(self._parents)
        return rule.numbers(self._const)

    def _broadcast_axes(self) -> tuple[tuple[int, ...], ...]:
        rule = self._rule
        if rule is None:
            return ()
        shape = self._data.shape
        return tuple(
            summed_axes(p._data.shape, shape) if may and p._data.shape != shape else ()
            for p, may in zip(self._parents, rule.broadcasts)
        )

    def _edge_rules(self) -> tuple[str, ...]:
        rule = self._rule
        if rule is None:
            return ()
        c = "" if self._const is None else f"{self._const:g}"
        names = [p.label or ("xyz"[i] if i < 3 else f"x{i}") for i, p in enumerate(self._parents)]
        out = self.label or "out"
        shape = self._data.shape
        texts = []
        for p, text, axes in zip(self._parents, rule.texts, self._broadcast_axes()):
            text = text.format(*names, out=out, c=c)
            if axes:
                lhs, rhs = text.split(" = ", 1)
                ax = axes[0] if len(axes) == 1 else axes
                if p._data.ndim == len(shape):
                    text = f"{lhs} = sum({rhs}, axis={ax}, keepdims=True)"
                else:
                    text = f"{lhs} = sum({rhs}, axis={ax}).reshape{p._data.shape}"
            texts.append(text)
        return tuple(texts)

    def backward(
        self, grad: Any = None, retain_graph: bool = False, keep_grads: bool = True
    ) -> None:
        """Fill ``grad`` of every node this one depends on with d self / d node.

        From a scalar (e.g. the cost J) no argument is needed; from any other
        shape pass the upstream gradient, an array of this tensor's shape.
        Arrays saved for backward are freed as the sweep passes them unless
        ``retain_graph=True``. Intermediate nodes get fresh gradients on every
        call; leaves accumulate (call ``zero_grad`` between steps), as in PyTorch.
        ``keep_grads=False`` releases each intermediate gradient (dZ, dA) as soon
        as it has been passed on -- less memory when only the leaves' gradients
        are read; the picture of the backward graph needs them kept.
        """
        if not self.requires_grad:
            raise RuntimeError(
                f"backward() from {describe(self)}: it does not require a gradient -- none of "
                "the tensors it was computed from was created with requires_grad=True, "
                "or it was computed under no_grad()"
            )
        if self._parents and self._saved is None:
            raise RuntimeError(freed_message(self, root=True))
        # The rules give PyTorch's IEEE values where data hold 0, inf or NaN (0·inf in
        # a product, x/0): the intended numbers, so numpy is not to warn about them.
        with np.errstate(all="ignore"):
            backward(self, _seed_array(self, grad), retain_graph, keep_grads)

    # --- in-place updates, for parameters under no_grad() --------------------------------

    def __iadd__(self, other: Any) -> Tensor:
        """x += y in place, on a leaf under ``no_grad()``."""
        return in_place(self, other, "+=", np.add, _array_operand)

    def __isub__(self, other: Any) -> Tensor:
        """x -= y in place: the gradient-descent update ``W -= lr * W.grad`` under ``no_grad()``."""
        return in_place(self, other, "-=", np.subtract, _array_operand)

    def __imul__(self, other: Any) -> Tensor:
        """x *= y in place, on a leaf under ``no_grad()``."""
        return in_place(self, other, "*=", np.multiply, _array_operand)

    def __itruediv__(self, other: Any) -> Tensor:
        """x /= y in place, on a leaf under ``no_grad()``."""
        return in_place(self, other, "/=", np.true_divide, _array_operand)

    # --- no gradient: detach, copies, conversions, comparisons ----------------------------

    def detach(self) -> Tensor:
        """A leaf sharing this tensor's data, outside the graph (no gradient). A change
        in place of one counts for both (PyTorch's shared version counter): a graph that
        saved the array refuses to backpropagate afterwards."""
        if self._parents:
            return leaf(shown(self), False, self.label)  # read-only: nothing to count
        out = leaf(self._data, False, self.label)
        out._shares = self
        return out

    def __copy__(self) -> Tensor:
        """``copy.copy(t)`` of a leaf: a leaf with its own copy of the data, the same label
        and ``requires_grad``. A result that requires a gradient is refused, as PyTorch
        refuses to deep-copy one: its copy would be cut off from the graph."""
        if self._parents and self.requires_grad:
            raise RuntimeError(
                f"copying {describe(self)}, the result of '{self._op[0]}' in a graph that "
                "requires a gradient, would cut it off from the graph; copy t.detach() "
                "instead, or hand a library t.detach().numpy()"
            )
        return leaf(self._data.copy(), self.requires_grad, self.label)

    def __deepcopy__(self, memo: dict) -> Tensor:
        """``copy.deepcopy(t)`` (of a model, say): as :meth:`__copy__`."""
        return self.__copy__()

    def numpy(self) -> np.ndarray:
        """The data array itself (no copy, as ``t.data``); refused while the tensor requires
        a gradient (use ``t.detach().numpy()``), as in PyTorch."""
        check_leaves_graph(self, "t.numpy()")
        return self.data

