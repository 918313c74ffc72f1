"""The :class:`Tensor` node: its operations, the chain rule's bookkeeping, and
the checks and messages for its operands.

Every operation's forward computation is a ``Tensor`` method whose docstring
states both directions; its vector-Jacobian products are the rule it records
(:mod:`.rules`).
"""

from __future__ import annotations

import operator as _operator
from collections.abc import Callable, Iterator
from sys import getrefcount
from typing import Any

import numpy as np

from .. import graph as _graph
from ..checks import quote
from ..graph import Node, backward, grad_mode
from .rules import (
    ABS,
    ADD,
    ADD_C,
    C_DIV,
    C_POW,
    CLIP,
    DIV,
    DIV_BY_C,
    EXP,
    INDEX,
    LEAKY_RELU,
    LINEAR,
    LOG,
    MATMUL,
    MATVEC,
    MAX,
    MEAN,
    MUL,
    MUL_C,
    NEG,
    POW,
    POW_C,
    RELU,
    RESHAPE,
    SIGMOID,
    SQRT,
    SUB,
    SUB_FROM_C,
    SUM,
    TANH,
    TRANSPOSE,
    VIEWS,
    _Rule,
    _sigmoid,
    _summed_axes,
    _unbroadcast,
)

_new = object.__new__
_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


class _Clock:
    """Counts in-place writes to tensors' data, process-wide (see :func:`_touch`)."""

    __slots__ = ("now",)

    def __init__(self) -> None:
        self.now = 0


_clock = _Clock()


def _touch(t: Tensor) -> None:
    """Record that ``t``'s data was just changed in place: a node made before now that
    saved it can no longer backpropagate (:func:`_check_unchanged`)."""
    _clock.now += 1
    t._version = _clock.now


def _as_array(data: Any, dtype: Any, what: str, copy: bool = True) -> np.ndarray:
    """``data`` as a float array of its own: an array the caller still holds is copied
    (as ``torch.tensor`` does), so changing it later cannot change the tensor;
    ``copy=False`` wraps it."""
    if isinstance(data, Tensor):
        raise TypeError(
            f"{what} got a Tensor; it is already a node -- use it directly, or "
            "t.detach() for a leaf that shares its data"
        )
    if dtype is not None:
        dtype = np.dtype(dtype)
        if dtype not in _FLOATS:
            raise TypeError(f"{what}: dtype must be float64 or float32, got {dtype}")
    try:
        arr = np.asarray(data)
    except ValueError as e:  # ragged nested lists
        raise ValueError(f"{what}: the data is not a rectangular array ({e})") from None
    kind = arr.dtype.kind
    if kind == "f" and arr.dtype in _FLOATS:
        if dtype is not None and arr.dtype != dtype:
            return arr.astype(dtype)
        # the caller's own array, or a view of one (np.asarray of a buffer)
        return arr.copy() if copy and (arr is data or arr.base is not None) else arr
    if kind in "biuf":  # bools, integers (labels Y in {0, 1}), float16/longdouble
        return arr.astype(np.float64 if dtype is None else dtype)
    raise TypeError(
        f"{what}: data must be real numbers, got an array of dtype {arr.dtype}"
        + (" (a nested sequence of unequal lengths?)" if kind == "O" else "")
        + "; convert it first, e.g. np.asarray(data, dtype=float)"
    )


def _leaf(data: np.ndarray, requires_grad: bool, label: str | None) -> Tensor:
    t = _new(Tensor)
    t._data = data
    t.grad = None
    t.label = label
    t._op = ""
    t.requires_grad = requires_grad
    t._parents = ()
    t._rule = None
    t._saved = None
    t._version = 0
    return t


def _result(data: Any, parents: tuple[Tensor, ...], rule: _Rule, saved: tuple, op: Any) -> Tensor:
    """A new node out = op(parents); records the rule only when some parent needs a gradient."""
    out = _new(Tensor)
    # numpy returns a scalar, not an array, from a full reduction or a 0-d operation
    out._data = data = data if type(data) is np.ndarray else np.asarray(data)
    out.grad = None
    out.label = None
    out._version = _clock.now
    if grad_mode.enabled:
        # A result in a graph is never changed: backward and the picture read its data.
        # Nothing in the engine writes into it, and every way out to the caller (.data,
        # numpy(), detach()) hands the array over read-only (see _shown).
        out._parents = parents
        out._op = op
        out._rule = rule
        if grad_mode.anomaly:  # inside graph.detect_anomaly()
            _graph.check_forward(out, *_finite(data))
        for p in parents:
            if p.requires_grad:
                out.requires_grad = True
                out._saved = saved
                return out
    else:
        out._parents = ()
        out._op = ""
        out._rule = None
    # Nothing below needs a gradient: keep the structure for the picture, not the arrays.
    out.requires_grad = False
    out._saved = None
    return out


def _shown(t: Tensor) -> np.ndarray:
    """The data of a result in a graph as the caller gets it: read-only, since backward
    and the picture use it as the forward pass computed it. Setting the flag here, where
    the array leaves the engine, and not on every result, keeps a step free of the call."""
    data = t._data
    data.setflags(write=False)
    return data


class Tensor(Node):
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

    # A leaf keeps no saved arrays; it uses `_saved` to remember the gradient
    # array it owns -- the only one it ever adds into in place. `_data` holds
    # `data` (a property, so that assigning it can be checked and counted);
    # `_version` is the clock's count when a result was made, or when a leaf's
    # data was last changed in place.
    __slots__ = ("requires_grad", "_parents", "_rule", "_saved", "_data", "_version", "_site")

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        label: str | None = None,
        dtype: Any = None,
        check_finite: bool = False,
    ) -> None:
        what = f"Tensor({quote(label)})" if label is not None else "Tensor(data)"
        arr = _as_array(data, dtype, what)
        if check_finite and not np.isfinite(arr).all():
            bad = np.argwhere(~np.isfinite(arr))
            where = tuple(int(i) for i in bad[0])
            raise ValueError(
                f"{what}: {len(bad)} entr{'y is' if len(bad) == 1 else 'ies are'} NaN or "
                f"infinite (the first at index {where}, value {arr[where]}); "
                "clean or impute the data before training"
            )
        self._data = arr
        self.grad = None
        self.label = label
        self._op = ""
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._rule = None
        self._saved = None
        self._version = 0

    @property
    def data(self) -> np.ndarray:
        """The array. A result's is read-only while it is in a graph; a leaf's may be
        changed (``W.data -= lr * W.grad``), which a graph that saved it detects."""
        return _shown(self) if self._parents else self._data

    @data.setter
    def data(self, value: Any) -> None:
        try:
            update = value is self._data and not self._parents
        except AttributeError:  # a node being built
            update = False
        if update:  # `W.data -= d`: numpy changed the leaf's array in place; count it
            _touch(self)
        else:
            _set_data(self, value)

    # --- graph plumbing --------------------------------------------------------

    def _chain(self, retain_graph: bool) -> None:
        if not self.requires_grad:
            return
        saved = self._saved
        if saved is None:
            raise RuntimeError(_freed_message(self))
        version = self._version
        for parent in self._parents:  # was an array it saved changed since? (rarely)
            if parent._version > version or parent._rule in VIEWS:
                _check_unchanged(self, parent)
        g = self.grad
        for parent, vjp in zip(self._parents, self._rule.vjps):
            if parent.requires_grad:
                _receive(parent, vjp(g, *saved), g)
        if grad_mode.anomaly:  # inside graph.detect_anomaly()
            for parent in self._parents:
                if parent.requires_grad:
                    _graph.check_backward(self, *_finite(parent.grad, f"d{_name(parent)}: "))
        if not retain_graph:
            self._saved = None

    def _seed(self, grad: Any) -> None:
        g = _seed_array(self, grad)
        _receive(self, g, None if grad is None else g)

    def _backprop(self, grad: Any, retain_graph: bool) -> None:
        """``graph.generic_backward`` over the nodes that need a gradient, each node's
        ``_chain`` inline: the same order and the same additions, so the same gradients.

        The walk enters only the nodes that need a gradient (``graph._order``'s
        ``needing_grad``) and pushes no leaf, which only receives. Anomaly mode and
        a leaf root take the generic walk.
        """
        if grad_mode.anomaly or not self._parents:
            _graph.generic_backward(self, grad, retain_graph)
            return
        order = _graph._order(self, leaves=False, needing_grad=True)
        for node in order:
            node.grad = None
        self._seed(grad)
        for node in reversed(order):
            saved = node._saved
            if saved is None:
                raise RuntimeError(_freed_message(node, root=node is self))
            version = node._version
            parents = node._parents
            for parent in parents:  # was an array it saved changed since? (rarely)
                if parent._version > version or parent._rule in VIEWS:
                    _check_unchanged(node, parent)
            g = node.grad
            for parent, vjp in zip(parents, node._rule.vjps):
                if parent.requires_grad:
                    d = vjp(g, *saved)
                    data = parent._data
                    if (parent.grad is None and parent._parents and type(d) is np.ndarray
                            and d.shape == data.shape and d.dtype == data.dtype):
                        parent.grad = d  # the first case of _receive, the most common
                    else:
                        _receive(parent, d, g)
            if not retain_graph:
                node._saved = None

    def _shape(self) -> tuple[int, ...]:
        return self._data.shape

    def _edge_derivatives(self) -> tuple[Any, ...]:
        rule = self._rule
        if rule is None:
            return ()
        if rule.numbers is None:
            return (None,) * len(self._parents)
        op = self._op
        return rule.numbers(op[2] if type(op) is tuple else None)

    def _broadcast_axes(self) -> tuple[tuple[int, ...], ...]:
        rule = self._rule
        if rule is None:
            return ()
        shape = self._data.shape
        return tuple(
            _summed_axes(p._data.shape, shape) if may and p._data.shape != shape else ()
            for p, may in zip(self._parents, rule.broadcasts)
        )

    def _edge_rules(self) -> tuple[str, ...]:
        rule = self._rule
        if rule is None:
            return ()
        op = self._op
        c = f"{op[2]:g}" if type(op) is tuple else ""
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
                f"backward() from {_name(self)}: it does not require a gradient -- none of "
                "the tensors it was computed from was created with requires_grad=True, "
                "or it was computed under no_grad()"
            )
        if self._parents and self._saved is None:
            raise RuntimeError(_freed_message(self, root=True))
        # The rules give PyTorch's IEEE values where data hold 0, inf or NaN (0·inf in
        # a product, x/0): the intended numbers, so numpy is not to warn about them.
        with np.errstate(all="ignore"):
            backward(self, _seed_array(self, grad), retain_graph, keep_grads)

    # --- arithmetic: forward here, vector-Jacobian products in the table above --

    def __add__(self, other: Any) -> Tensor:
        """out = x + y (broadcast);  dx = dout, dy = dout, each summed back to its shape.

        ``W @ A + b`` becomes the one node ``linear(W, A, b)`` -- the lecture's
        z = W a + b -- when nothing else holds the product ``W @ A``.
        """
        c = _number(other)
        if c is not None:
            return _result(self._data + c, (self,), ADD_C, (), ("+", 1, c))
        if self._rule is MATMUL and getrefcount(self) <= _TEMPORARY_REFS:
            fused = _fused_linear(self, other)
            if fused is not None:
                return fused
        return _binary(self, other, "+", _add)

    def __radd__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            return _result(c + self._data, (self,), ADD_C, (), ("+", 0, c))
        return _binary(other, self, "+", _add)

    def __sub__(self, other: Any) -> Tensor:
        """out = x - y;  dx = dout, dy = -dout."""
        c = _number(other)
        if c is not None:
            return _result(self._data - c, (self,), ADD_C, (), ("-", 1, c))
        return _binary(self, other, "-", _sub)

    def __rsub__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            return _result(c - self._data, (self,), SUB_FROM_C, (), ("-", 0, c))
        return _binary(other, self, "-", _sub)

    def __mul__(self, other: Any) -> Tensor:
        """out = x * y (elementwise);  dx = dout * y, dy = dout * x."""
        c = _number(other)
        if c is not None:
            return _result(self._data * c, (self,), MUL_C, (c,), ("*", 1, c))
        return _binary(self, other, "*", _mul)

    def __rmul__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            return _result(c * self._data, (self,), MUL_C, (c,), ("*", 0, c))
        return _binary(other, self, "*", _mul)

    def __truediv__(self, other: Any) -> Tensor:
        """out = x / y;  dx = dout / y, dy = -dout · out / y."""
        c = _number(other)
        if c is not None:
            if c == 0.0:
                raise ZeroDivisionError(f"division of {_name(self)} by the number 0")
            return _result(self._data / c, (self,), DIV_BY_C, (c,), ("/", 1, c))
        return _binary(self, other, "/", _div)

    def __rtruediv__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            out = c / self._data
            return _result(out, (self,), C_DIV, (self._data, out), ("/", 0, c))
        return _binary(other, self, "/", _div)

    def __pow__(self, other: Any) -> Tensor:
        """out = x ** n;  dx = dout · n x^(n-1);  for a Tensor n also dn = dout · out log x
        (PyTorch's values where x = 0: dx = 0 where n = 0, dn = 0 where n >= 0)."""
        c = _number(other)
        if c is not None:
            return _result(self._data**c, (self,), POW_C, (self._data, c), ("**", 1, c))
        return _binary(self, other, "**", _pow)

    def __rpow__(self, other: Any) -> Tensor:
        """out = c ** x;  dx = dout · out log c (0 where c = 0 and x >= 0, as PyTorch;
        NaN for c < 0, whose log is not real -- the values are numpy's)."""
        c = _number(other)
        if c is not None:
            out = np.power(c, self._data)
            x = self._data if c == 0.0 else None  # the rule reads x only for c = 0
            return _result(out, (self,), C_POW, (x, out, c), ("**", 0, c))
        return _binary(other, self, "**", _pow)

    def __neg__(self) -> Tensor:
        """out = -x;  dx = -dout."""
        return _result(-self._data, (self,), NEG, (), "neg")

    def __pos__(self) -> Tensor:
        return self

    def __matmul__(self, other: Any) -> Tensor:
        """Z = W @ A (matrix product);  dW = dZ·Aᵀ, dA = Wᵀ·dZ."""
        return _matmul(self, other if type(other) is Tensor else _tensor(other, "@"))

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(_tensor(other, "@"), self)

    # --- functions ---------------------------------------------------------------

    def exp(self) -> Tensor:
        """a = eˣ;  dx = dout · a."""
        a = np.exp(self._data)
        return _result(a, (self,), EXP, (a,), "exp")

    def log(self) -> Tensor:
        """a = log x (natural);  dx = dout / x."""
        return _result(np.log(self._data), (self,), LOG, (self._data,), "log")

    def sqrt(self) -> Tensor:
        """a = √x;  dx = dout / (2a)."""
        a = np.sqrt(self._data)
        return _result(a, (self,), SQRT, (a,), "sqrt")

    def abs(self) -> Tensor:
        """a = |x|;  dx = dout · sign(x) (0 at x = 0)."""
        return _result(np.abs(self._data), (self,), ABS, (self._data,), "abs")

    __abs__ = abs

    def tanh(self) -> Tensor:
        """A = tanh(Z);  dZ = dA · (1 - A²)."""
        a = np.tanh(self._data)
        return _result(a, (self,), TANH, (a,), "tanh")

    def sigmoid(self) -> Tensor:
        """A = σ(Z) = 1 / (1 + e⁻ᶻ);  dZ = dA · A(1 - A). Exact 1 and 0 at Z = ±inf."""
        a = _sigmoid(self._data)
        return _result(a, (self,), SIGMOID, (a,), "sigmoid")

    def relu(self) -> Tensor:
        """A = max(0, Z);  dZ = dA · (Z > 0) (0 at Z = 0, as the course's relu_backward)."""
        a = np.maximum(self._data, 0.0)
        return _result(a, (self,), RELU, (a,), "relu")

    def leaky_relu(self, slope: float = 0.01) -> Tensor:
        """A = max(slope·Z, Z);  dZ = dA · (1 if Z > 0 else slope)."""
        s = _number(slope)
        if s is None:
            raise TypeError(f"leaky_relu(slope): slope must be a number, got {quote(slope)}")
        z = self._data
        a = np.where(z > 0, z, s * z)
        return _result(a, (self,), LEAKY_RELU, (z, s), ("leaky_relu", 1, s))

    def clip(self, lo: float | None = None, hi: float | None = None) -> Tensor:
        """a = min(max(x, lo), hi);  dx = dout where lo <= x <= hi, else 0."""
        if lo is None and hi is None:
            raise ValueError("clip() needs lo, hi or both")
        lo_, hi_ = (None if v is None else _number(v) for v in (lo, hi))
        if (lo is not None and lo_ is None) or (hi is not None and hi_ is None):
            raise TypeError(f"clip(lo, hi) takes numbers, got {quote(lo)}, {quote(hi)}")
        if lo_ is not None and hi_ is not None and lo_ > hi_:
            raise ValueError(f"clip(lo={lo_:g}, hi={hi_:g}): lo is above hi")
        a = np.clip(self._data, lo_, hi_)
        return _result(a, (self,), CLIP, (self._data, lo_, hi_), "clip")

    # --- reductions and shapes ------------------------------------------------------

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = Σ x over ``axis`` (all entries by default);  dx = dout broadcast back."""
        ax = _axes(self, axis, "sum")
        out = np.add.reduce(self._data, axis=ax, keepdims=keepdims)  # ndarray.sum's own call
        back = None if keepdims else ax
        return _result(out, (self,), SUM, (self._data.shape, back), "sum")

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = (1/n) Σ x over ``axis``;  dx = dout / n broadcast back."""
        ax = _axes(self, axis, "mean")
        x = self._data
        n = x.size if ax is None else int(np.prod([x.shape[i] for i in ax]))
        if n == 0:
            raise ValueError(f"mean() of {_name(self)} over an empty axis")
        out = x.sum(axis=ax, keepdims=keepdims) / n
        back = None if keepdims else ax
        return _result(out, (self,), MEAN, (x.shape, back, n), "mean")

    def max(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = max x over ``axis``;  dx = dout at the maximum (shared equally by ties)."""
        ax = _axes(self, axis, "max")
        x = self._data
        if x.size == 0 or (ax is not None and any(x.shape[i] == 0 for i in ax)):
            raise ValueError(f"max() of {_name(self)}: it is empty, so it has no maximum")
        top = x.max(axis=ax, keepdims=True)
        if keepdims:
            out = top
        else:
            out = top.reshape([n for i, n in enumerate(x.shape) if ax is not None and i not in ax])
        return _result(out, (self,), MAX, (x, top, ax, keepdims), "max")

    def reshape(self, *shape: Any) -> Tensor:
        """out = x with a new shape, same entries;  dx = dout reshaped back."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        try:
            out = self._data.reshape(shape)
        except (ValueError, TypeError) as e:
            raise ValueError(
                f"reshape of {_name(self)} ({self._data.size} entries) to {shape}: {e}"
            ) from None
        return _result(out, (self,), RESHAPE, (self._data.shape,), "reshape")

    def transpose(self, *axes: int) -> Tensor:
        """out = xᵀ (axes reversed, or permuted as given);  dx = doutᵀ."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        x = self._data
        if axes:
            given = axes
            if not all(isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))
                       for a in axes):
                raise TypeError(
                    f"transpose{quote(tuple(given))} of {_name(self)}: axes must be ints"
                )
            axes = tuple(int(a) + x.ndim if a < 0 else int(a) for a in axes)  # -1: the last
            if sorted(axes) != list(range(x.ndim)):
                raise ValueError(
                    f"transpose{quote(tuple(given))} of {_name(self)}: give a permutation of "
                    f"{tuple(range(x.ndim))} (or those counted from the end, -1 the last)"
                )
            back = tuple(np.argsort(axes))
        else:
            axes = back = tuple(range(x.ndim - 1, -1, -1))
        return _result(x.transpose(axes), (self,), TRANSPOSE, (back,), "transpose")

    @property
    def T(self) -> Tensor:
        """Aᵀ (all axes reversed, as numpy's ``.T``)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        """out = x[index] (numpy indexing);  dx = dout scattered back, repeats accumulated."""
        if isinstance(index, Tensor):
            index = index.data
        try:
            out = self._data[index]
        except IndexError as e:
            raise IndexError(f"indexing {_name(self)}: {e}") from None
        basic = _is_basic(index)
        return _result(out, (self,), INDEX, (self._data.shape, index, basic), "index")

    # --- in-place updates, for parameters under no_grad() --------------------------------

    def __iadd__(self, other: Any) -> Tensor:
        """x += y in place, on a leaf under ``no_grad()``."""
        return _in_place(self, other, "+=", np.add)

    def __isub__(self, other: Any) -> Tensor:
        """x -= y in place: the gradient-descent update ``W -= lr * W.grad`` under ``no_grad()``."""
        return _in_place(self, other, "-=", np.subtract)

    def __imul__(self, other: Any) -> Tensor:
        """x *= y in place, on a leaf under ``no_grad()``."""
        return _in_place(self, other, "*=", np.multiply)

    def __itruediv__(self, other: Any) -> Tensor:
        """x /= y in place, on a leaf under ``no_grad()``."""
        return _in_place(self, other, "/=", np.true_divide)

    # --- no gradient: detach, comparisons, conversions ---------------------------------

    def detach(self) -> Tensor:
        """A leaf sharing this tensor's data, outside the graph (no gradient)."""
        return _leaf(_shown(self) if self._parents else self._data, False, self.label)

    def __copy__(self) -> Tensor:
        """``copy.copy(t)`` of a leaf: a leaf with its own copy of the data, the same label
        and ``requires_grad``. A result that requires a gradient is refused, as PyTorch
        refuses to deep-copy one: its copy would be cut off from the graph."""
        if self._parents and self.requires_grad:
            raise RuntimeError(
                f"copying {_name(self)}, the result of '{_op_name(self)}' in a graph that "
                "requires a gradient, would cut it off from the graph; copy t.detach() "
                "instead, or hand a library t.detach().numpy()"
            )
        return _leaf(self._data.copy(), self.requires_grad, self.label)

    def __deepcopy__(self, memo: dict) -> Tensor:
        """``copy.deepcopy(t)`` (of a model, say): as :meth:`__copy__`."""
        return self.__copy__()

    def numpy(self) -> np.ndarray:
        """The data array itself (no copy); refused while the tensor requires a gradient
        (use ``t.detach().numpy()``), as in PyTorch."""
        _check_leaves_graph(self, "t.numpy()")
        return _shown(self) if self._parents else self._data

    def item(self) -> float:
        """The one number in a tensor of size 1."""
        return self._number("item()")

    def __float__(self) -> float:
        return self._number("float()")

    def _number(self, how: str) -> float:
        if self._data.size != 1:
            raise ValueError(f"{how} needs a tensor of size 1, not {_name(self)}")
        value = float(self._data.reshape(()))
        # a number leaving the graph: recorded while a checker runs the learner's code
        return _graph.leave_graph(self, value, how) if self.requires_grad else value

    def __bool__(self) -> bool:
        return bool(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        """The rows x[0], x[1], ... as tensors in the graph (a 0-d tensor has none)."""
        if not self._data.ndim:
            raise TypeError(f"iteration over {_name(self)}: a 0-d tensor has no rows")
        return (self[i] for i in range(len(self._data)))

    def __len__(self) -> int:
        if not self._data.ndim:
            raise TypeError(f"len() of {_name(self)}: a 0-d tensor has no length")
        return len(self._data)

    def __lt__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.lt, "<")

    def __le__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.le, "<=")

    def __gt__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.gt, ">")

    def __ge__(self, other: Any) -> np.ndarray:
        return _compared(self, other, _operator.ge, ">=")

    # Elementwise like < and >, so that np.mean(predictions == Y) counts matches; a
    # plain boolean array, with no gradient. Nodes still hash by identity (sets, dicts).
    def __eq__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return _compared(self, other, _operator.eq, "==")

    def __ne__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return _compared(self, other, _operator.ne, "!=")

    __hash__ = object.__hash__

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data``."""
        return self._data.shape

    @property
    def ndim(self) -> int:
        """The number of axes of ``data``."""
        return self._data.ndim

    @property
    def size(self) -> int:
        """The number of entries of ``data``."""
        return self._data.size

    @property
    def dtype(self) -> np.dtype:
        """The dtype of ``data`` (float64 or float32)."""
        return self._data.dtype

    def __repr__(self) -> str:
        body = np.array2string(self._data, separator=", ", prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self._data.dtype != np.float64:
            extra += f", dtype={self._data.dtype}"
        if self.label is not None:
            extra += f", label={self.label!r}"
        return f"Tensor({body}{extra})"

    # --- more operations, PyTorch's names: forwards in .ops and .functions ----------------

    def maximum(self, other: Any) -> Tensor:
        """out = max(x, y) elementwise;  dx = dout where x is chosen (half at a tie of two
        tensors; a number wins its tie)."""
        return _ops.maximum(self, other)

    def minimum(self, other: Any) -> Tensor:
        """out = min(x, y) elementwise;  dx = dout where x is chosen (half at a tie of two
        tensors; a number wins its tie)."""
        return _ops.minimum(self, other)

    def log1p(self) -> Tensor:
        """a = log(1 + x);  dx = dout / (1 + x)."""
        return _ops.log1p(self)

    def sign(self) -> Tensor:
        """a = sign(x);  dx = 0."""
        return _ops.sign(self)

    def square(self) -> Tensor:
        """a = x²;  dx = dout · 2x."""
        return self**2

    def min(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = min x over ``axis``;  dx = dout at the minimum (shared equally by ties)."""
        return _ops.min(self, axis, keepdims)

    def var(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
        """out = (1/(n - ddof)) Σ (x - μ)²;  dx = dout · 2(x - μ)/(n - ddof)."""
        return _ops.var(self, axis, ddof, keepdims)

    def std(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
        """out = √var(x);  dx = dout · (x - μ)/((n - ddof) out)."""
        return _ops.std(self, axis, ddof, keepdims)

    def norm(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """out = ‖x‖ = √(Σ x²) (Frobenius for a matrix);  dx = dout · x / out."""
        return _ops.norm(self, None, axis, keepdims)

    def argmax(self, axis: int | None = None, keepdims: bool = False) -> np.ndarray:
        """The index of the largest entry (along ``axis``): a plain integer array, no gradient."""
        return _ops.argmax(self, axis, keepdims)

    def squeeze(self, axis: int | tuple[int, ...] | None = None) -> Tensor:
        """out = x without its axes of size 1 (or just ``axis``);  dx = dout reshaped back."""
        return _ops.squeeze(self, axis)

    def unsqueeze(self, dim: int) -> Tensor:
        """out = x with a new axis of size 1 at ``dim``;  dx = dout reshaped back."""
        return _ops.expand_dims(self, dim, "unsqueeze")

    def flatten(self, start_dim: int = 0, end_dim: int = -1) -> Tensor:
        """out = x with axes start_dim..end_dim merged into one;  dx = dout reshaped back."""
        return _ops.flatten(self, start_dim, end_dim)

    def copy(self) -> Tensor:
        """out = a copy of x in the graph;  dx = dout."""
        return _ops.copy(self)

    def softmax(self, axis: int = 0) -> Tensor:
        """s = exp(z) / Σ exp(z) over ``axis`` (0: the classes of Z (K, m));
        dz = s (ds - Σ ds s)."""
        return _functions.softmax(self, axis)

    def log_softmax(self, axis: int = 0) -> Tensor:
        """out = z - logsumexp(z) over ``axis``;  dz = dout - softmax(z) Σ dout."""
        return _functions.log_softmax(self, axis)

    def logsumexp(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """out = log Σ exp(z) over ``axis``, without overflow;  dz = dout · softmax(z)."""
        return _functions.logsumexp(self, axis, keepdims)


# --- the chain rule's bookkeeping ----------------------------------------------------


def _receive(node: Tensor, d: np.ndarray, upstream: np.ndarray | None) -> None:
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
            d = _unbroadcast(d, data.shape)
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
                f"backward() from {_name(root)}: the gradient can be "
                "implied only for a scalar (like the cost J); reduce it first (.sum(), .mean()) "
                f"or pass the upstream gradient, backward(grad) with an array of shape {data.shape}"
            )
        if data.ndim == 0:  # the cost J: 1.0 as an array of its own
            return np.array(1.0, dtype=data.dtype)
        return np.ones(data.shape, dtype=data.dtype)
    g = _as_array(
        grad.data if isinstance(grad, Tensor) else grad, data.dtype, "backward(grad)", False
    )
    if g.shape != data.shape:
        raise ValueError(
            f"backward(grad): grad has shape {g.shape}; it must have the shape of the output, "
            f"{_name(root)}"
        )
    return g


def _op_name(node: Tensor) -> str:
    return node._op if type(node._op) is str else node._op[0]


def _check_unchanged(node: Tensor, parent: Tensor) -> None:
    """Refuse to backpropagate through ``node`` if an array it saved -- the data of
    ``parent``, or of the tensor ``parent`` is a view of -- was changed in place
    after ``node`` was made (PyTorch's version counter)."""
    version = node._version
    base = parent
    while base._version <= version:  # not written since: maybe the base of a view was
        if base._rule not in VIEWS or not base._parents:
            return
        base = base._parents[0]
    changed = base._data
    if not any(type(s) is np.ndarray and np.may_share_memory(s, changed) for s in node._saved):
        return  # the rule does not use it (x + y saves nothing)
    via = "" if base is parent else f", through the {_op_name(parent)} {_name(parent)},"
    raise RuntimeError(
        f"backward() through '{_op_name(node)}', which made {_name(node)}: {_name(base)}"
        f"{via} was changed in place after '{_op_name(node)}' saved it for backward, so "
        "its gradient would be computed from the new numbers, not the ones the forward "
        "pass used. Compute the forward pass again after changing it (J = f(W), then "
        "J.backward()), or change a copy, e.g. Tensor(W.data) or W.data = W.data - d"
    )


def _set_data(t: Tensor, value: Any) -> None:
    """``t.data = value`` with a new array (the setter counts ``t.data -= d`` itself): a
    leaf takes it (same shape; no copy) and counts the change."""
    try:
        old = t._data
    except AttributeError:  # a node being built
        t._data = value
        t._version = 0
        return
    if t._parents:
        raise RuntimeError(
            f"assigning to .data of {_name(t)}, the result of '{_op_name(t)}' in a graph: "
            "its data is part of what backward and the picture use; compute a new tensor "
            "instead, or change a leaf (a parameter) and compute again"
        )
    arr = _as_array(value, old.dtype, f"{_name(t)}.data = ...", copy=False)
    if arr.shape != old.shape:
        raise ValueError(
            f"{_name(t)}: .data = an array of shape {arr.shape}; the data keeps its "
            f"shape {old.shape}, which its gradient and every graph built on it have. "
            "For another shape make a new tensor: Tensor(new, requires_grad=True)"
        )
    t._data = arr
    _touch(t)


def _finite(a: np.ndarray, what: str = "") -> tuple[bool, str]:
    """For anomaly mode's hooks: are all entries of ``a`` finite, and if not, which."""
    ok = np.isfinite(a)
    if ok.all():
        return True, ""
    where = tuple(int(i) for i in np.argwhere(~ok)[0])
    bad = int(ok.size - ok.sum())
    return False, f"{what}{bad} of {a.size} entries, the first {a[where]} at {where}"


def _freed_message(node: Tensor, root: bool = False) -> str:
    """Why ``node``'s saved arrays are gone: ``root`` -- backward() from the same tensor
    twice; otherwise this graph was built on a result of an earlier one, whose backward()
    freed it (the course's update W = W - learning_rate * dW on tensors, in a loop)."""
    if root:
        return (
            f"Trying to backward through the graph a second time (at {_name(node)}, op "
            f"'{_op_name(node)}'): the arrays saved for "
            "backward were freed by the first backward(). Pass retain_graph=True to the first "
            "backward() if you need to backpropagate through the same graph again"
        )
    updated = _op_name(node) in ("-", "+") and any(
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
        f"backward() reached {_name(node)}, the result of '{_op_name(node)}' in an earlier "
        f"graph whose backward() already ran and freed it: {what}. Update the parameters "
        "outside the graph, in place: with no_grad(): W -= learning_rate * dW (W stays a "
        "leaf), or W.data -= learning_rate * dW; then set W.grad = None before the next "
        "backward() (a leaf adds up its gradients). retain_graph=True does not fix this: "
        "each backward() would walk every earlier iteration again (quadratic time)"
    )


# --- operands and errors -------------------------------------------------------------


def _name(t: Tensor) -> str:
    """How an error names a tensor: ``'W' of shape (4, 2)``, or ``a tensor of shape (4, 2)``."""
    who = quote(t.label) if t.label is not None else "a tensor"
    return f"{who} of shape {t._data.shape}"


def _labels(*ts: Tensor) -> str:
    """`` ('W' @ 'X')``: the labels of tensors whose shapes a message already gives, if any."""
    if all(t.label is None for t in ts):
        return ""
    return " (" + " @ ".join(quote(t.label) if t.label is not None else "?" for t in ts) + ")"


def _number(x: Any) -> float | np.number | None:
    """``x`` as a number if it is one (int, float, numpy scalar, 0-d array), else None:
    a Python number as a float, a numpy one as the numpy scalar (its dtype counts)."""
    if type(x) is Tensor:  # the other operand of most operations: answer before the checks
        return None
    if type(x) is float:
        return x
    if type(x) is int:
        try:
            return float(x)
        except OverflowError:
            raise _too_large(x) from None
    if isinstance(x, (bool, np.bool_)):
        raise TypeError("a bool is not a number here; use 1.0 or 0.0")
    if isinstance(x, (np.integer, np.floating)):
        return x  # a numpy scalar keeps its dtype: numpy 2 promotes with it, not with a float
    if isinstance(x, (int, float)):
        try:
            return float(x)
        except OverflowError:
            raise _too_large(x) from None
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return x[()]
    return None


def _too_large(x: int) -> OverflowError:
    return OverflowError(
        f"the number {quote(x)} is too large for a float (at most about 1.8e308); "
        "scale it down, or write it as a float such as 1e300"
    )


def _tensor(x: Any, op: str) -> Tensor:
    """An operand as a Tensor: arrays become constant leaves (no gradient)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        raise TypeError(
            f"'{op}' between a Tensor and a {type(x).__name__}: mix node types through "
            "their data, e.g. Tensor(v.data)"
        )
    # under no_grad no graph keeps the array, so it need not be copied
    return _leaf(
        _as_array(x, None, f"the other operand of '{op}'", grad_mode.enabled), False, None
    )


def _data(x: Any) -> Any:
    return x._data if isinstance(x, Tensor) else x


def _compared(t: Tensor, other: Any, compare: Callable[[Any, Any], Any], op: str) -> np.ndarray:
    """t op other elementwise, as numpy compares arrays: a boolean array, no gradient."""
    if isinstance(other, Node) and not isinstance(other, Tensor):
        raise TypeError(
            f"'{op}' between a Tensor and a {type(other).__name__}: compare their data, "
            "e.g. t.data == v.data"
        )
    try:
        return compare(t._data, _data(other))
    except ValueError:  # shapes that do not broadcast
        y = other if isinstance(other, Tensor) else _leaf(np.asarray(other), False, None)
        raise _broadcast_error(t, y, op) from None


def _check_in_place(t: Tensor, op: str) -> None:
    """Refuse to overwrite an array that a graph recorded or will differentiate."""
    if t._parents:
        raise RuntimeError(
            f"in-place '{op}' on {_name(t)}, the result of '{_op_name(t)}' in a graph: its "
            "data is part of what backward and the picture use; compute a new tensor instead"
        )
    if t.requires_grad and grad_mode.enabled:
        raise RuntimeError(
            f"in-place '{op}' on {_name(t)}, a leaf that requires a gradient: do parameter "
            "updates under no_grad(), e.g.  with no_grad(): W -= lr * W.grad"
        )


def _in_place(t: Tensor, other: Any, op: str, ufunc: np.ufunc) -> Tensor:
    """t.data op= other, keeping t's array, shape and dtype."""
    _check_in_place(t, op)
    c = _number(other)
    if c == 0.0 and ufunc is np.true_divide:
        raise ZeroDivisionError(f"in-place division of {_name(t)} by the number 0")
    value = _tensor(other, op).data if c is None else c
    try:
        ufunc(t._data, value, out=t._data, casting="same_kind")
    except ValueError:
        if not t._data.flags.writeable:
            raise RuntimeError(
                f"in-place '{op}' on {_name(t)}: its data is read-only, shared with a "
                "result in a graph (t.detach() of a result shares its array); change a "
                "copy, Tensor(t.data)"
            ) from None
        raise ValueError(
            f"in-place '{op}' on {_name(t)}: the other operand has "
            f"shape {value.shape}, which does not broadcast to {t._data.shape}; an in-place "
            "update keeps the shape -- compute a new tensor instead"
        ) from None
    _touch(t)
    return t


def _broadcast_error(x: Tensor, y: Tensor, op: str) -> ValueError:
    hint = ""
    for t in (x, y):
        if t._data.ndim == 1:
            n = t._data.shape[0]
            hint = (
                f"; {_name(t)} is a rank-1 array: make it a row or a column "
                f"with reshape(1, {n}) or reshape({n}, 1)"
            )
            break
    return ValueError(
        f"'{op}': {_name(x)} and {_name(y)} do not broadcast -- aligned from the right, "
        f"each axis must match or be 1{hint}"
    )


def _binary(x: Any, y: Any, op: str, forward: Callable) -> Tensor:
    if type(x) is not Tensor or type(y) is not Tensor:
        x, y = _operands(x, y, op)
    try:
        return forward(x, y)
    except ValueError:
        raise _broadcast_error(x, y, op) from None


def _add(x: Tensor, y: Tensor) -> Tensor:
    return _result(x._data + y._data, (x, y), ADD, (), "+")


def _sub(x: Tensor, y: Tensor) -> Tensor:
    return _result(x._data - y._data, (x, y), SUB, (), "-")


def _mul(x: Tensor, y: Tensor) -> Tensor:
    return _result(x._data * y._data, (x, y), MUL, (x._data, y._data), "*")


def _div(x: Tensor, y: Tensor) -> Tensor:
    out = x._data / y._data
    return _result(out, (x, y), DIV, (y._data, out), "/")


def _pow(x: Tensor, y: Tensor) -> Tensor:
    out = x._data**y._data
    return _result(out, (x, y), POW, (x._data, y._data, out), "**")


def _fused_linear(product: Tensor, b: Any) -> Tensor | None:
    """(W @ A) + b as the one node linear(W, A, b), or None where that would change anything.

    The caller saw that nothing but the expression holds ``product``, so no
    one can read its node or gradient; adding ``b`` into its array in place
    computes the same sums as ``W @ A + b`` without a second (n, m) array.
    """
    if type(b) is not Tensor:
        return None
    z, bias = product._data, b._data
    # 3 = the local z, the node's slot and getrefcount's argument: no view of z exists
    if bias.dtype != z.dtype or getrefcount(z) > 3 or not z.flags.owndata:
        return None
    if not z.flags.writeable:  # handed out (see _shown): someone may hold it
        return None
    try:
        np.add(z, bias, out=z)
    except ValueError:  # b would broadcast the product to a bigger shape: not z = W a + b
        return None
    W, A = product._parents
    return _result(z, (W, A, b), LINEAR, (W._data, A._data), "linear")


class _Probe:
    __slots__ = ()

    def __add__(self, other: Any) -> int:
        return getrefcount(self)


def _temporary_refs() -> int:
    """The reference count of a temporary left operand inside ``__add__``, as
    ``Tensor.__add__`` sees it; 0 (never fuse) where this Python shows a named
    operand with no more references than a temporary one."""
    named = _Probe()
    temporary, held = _Probe() + _Probe(), named + _Probe()
    return temporary if temporary < held else 0


_TEMPORARY_REFS = _temporary_refs()


def _matmul(x: Tensor, y: Tensor) -> Tensor:
    a, b = x._data, y._data
    if a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0]:
        return _result(a @ b, (x, y), MATMUL, (a, b), "@")
    _check_matmul(x, y, "'@'", vectors=True)
    return _result(a @ b, (x, y), MATVEC, (a, b), "@")


def _check_matmul(x: Tensor, y: Tensor, what: str, vectors: bool) -> None:
    a, b = x._data, y._data
    low = 1 if vectors else 2
    if not (low <= a.ndim <= 2 and low <= b.ndim <= 2):
        raise ValueError(
            f"{what} takes matrices{' and vectors' if vectors else ''}, not {_name(x)} and "
            f"{_name(y)}; reshape to 2-D first"
        )
    if a.shape[-1] != b.shape[0]:
        raise ValueError(
            f"{what}: inner dimensions differ: {a.shape} @ {b.shape}{_labels(x, y)}; "
            f"the left operand's {a.shape[-1]} columns must equal the right operand's "
            f"{b.shape[0]} rows -- check the layer sizes, or transpose with .T"
        )


def _axes(t: Tensor, axis: Any, what: str) -> tuple[int, ...] | None:
    if axis is None:
        return None
    ndim = t._data.ndim
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))
               for a in items):
        raise TypeError(f"{what}(axis={quote(axis)}): axis must be an int or a tuple of ints")
    norm = tuple(int(a) + ndim if a < 0 else int(a) for a in items)
    if any(not 0 <= a < ndim for a in norm) or len(set(norm)) != len(norm):
        has = f"axes 0..{ndim - 1} (or -{ndim}..-1), each at most once" if ndim else "no axes"
        raise ValueError(f"{what}(axis={quote(axis)}) of {_name(t)}: it has {has}")
    return norm


def _is_basic(index: Any) -> bool:
    """True for ints, slices, None and Ellipsis only: no position can repeat."""
    items = index if type(index) is tuple else (index,)
    for i in items:
        if i is None or i is Ellipsis or type(i) is slice:
            continue
        if isinstance(i, (int, np.integer)) and not isinstance(i, (bool, np.bool_)):
            continue
        return False
    return True


# --- added for numpy's protocols: dtype of array operands, negative axes, conversions -----


def _operands(x: Any, y: Any, op: str) -> tuple[Tensor, Tensor]:
    """Both operands as Tensors; an array operand of a float32 tensor keeps the dtype numpy
    would give the result (a boolean mask or small ints keep float32, int64 gives float64)."""
    if type(x) is Tensor and type(y) is Tensor:
        return x, y
    tx, ty = _tensor(x, op), _tensor(y, op)
    t, c, raw = (tx, ty, y) if ty is not y else (ty, tx, x)
    if t._data.dtype != c.data.dtype and t._data.dtype == np.float32:
        # numpy 2: a Python number is weak (float32 stays), an array or numpy scalar is not
        dtype = np.result_type(t._data.dtype, raw if np.isscalar(raw) else np.asarray(raw).dtype)
        if dtype == np.float32:
            c = _leaf(c.data.astype(np.float32), False, None)
            return (t, c) if t is tx else (c, t)
    return tx, ty


def _check_leaves_graph(t: Tensor, how: str) -> None:
    """Refuse to hand out the numbers of a tensor that requires a gradient as a plain array:
    that array would be cut off from the graph, and no gradient could reach it."""
    if t.requires_grad and grad_mode.enabled:
        raise RuntimeError(
            f"{how} on {_name(t)}, which requires a gradient, would give a plain array cut "
            "off from the graph, so no gradient would reach it. For the numbers use "
            "t.detach().numpy() (or do it under no_grad()); to stay in the graph use the "
            "Tensor operation or numpy function on the tensor itself (np.concatenate, "
            "np.stack, np.dot, ... take tensors)"
        )


# The operations written as functions; imported last, as they build on the class above.
from . import functions as _functions  # noqa: E402
from . import ops as _ops  # noqa: E402
