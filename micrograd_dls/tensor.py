"""``Tensor``: a numpy array as a node of the computation graph.

The course's second lesson is vectorization: ``Z = W @ X + b`` over all ``m``
examples at once. A ``Tensor`` records each operation like a ``Value`` does,
and the shared core (:mod:`micrograd_dls.graph`) backpropagates through both.

Every operation is written twice: the forward computation in its ``Tensor``
method, whose docstring states both directions, and its vector-Jacobian
products in the rule table below -- given ``g = d root / d out``, the gradient
each input receives (``dW = dZ·Aᵀ`` for ``Z = W @ A``). A node keeps a reference to its rule and a
tuple of the arrays the rule needs; no closure per node. Broadcasting is undone
in one place, :func:`unbroadcast`: ``b`` of shape ``(n, 1)`` added to ``W @ X``
of shape ``(n, m)`` receives ``sum(dZ, axis=1, keepdims=True)``.

Speed comes from doing less: an input that does not require a gradient (the
data ``X``, the labels ``Y``) is kept in the graph for the picture but gets no
gradient computed; arrays are wrapped without copying; a gradient passes
through unchanged when the shapes already match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from .graph import Node, backward, grad_mode

__all__ = [
    "Tensor",
    "binary_cross_entropy",
    "binary_cross_entropy_with_logits",
    "linear",
    "unbroadcast",
]

_new = object.__new__
_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))


# --- one helper undoes broadcasting for every rule ---------------------------


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
    return _unbroadcast(g, shape)


def _unbroadcast(g: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """:func:`unbroadcast` for shapes known to fit (the chain rule's own calls)."""
    return g.sum(axis=_summed_axes(shape, g.shape)).reshape(shape)


def _summed_axes(shape: tuple[int, ...], out: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of ``out`` along which an array of ``shape`` was broadcast to it."""
    lead = len(out) - len(shape)
    return tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(shape) if n == 1 and out[lead + i] != 1
    )


# --- the rule table -----------------------------------------------------------


class _Rule:
    """How one operation passes the gradient back: one vector-Jacobian product per input.

    ``vjps[i](g, *saved)`` is the gradient of input ``i`` given ``g = d root/d out``
    and the arrays the forward pass saved; ``texts[i]`` is the same formula for
    people; ``numbers(c)`` gives the local derivative per edge where it is a
    plain number (``c`` is the operation's number operand), else None;
    ``broadcasts[i]`` says whether input ``i`` may have been broadcast, so that
    its formula is shown summed back to its shape.
    """

    __slots__ = ("vjps", "texts", "numbers", "broadcasts")

    def __init__(
        self,
        vjps: tuple[Callable[..., np.ndarray], ...],
        texts: tuple[str, ...],
        numbers: Callable[[Any], tuple[float, ...]] | None = None,
        broadcasts: bool | tuple[bool, ...] = False,
    ) -> None:
        self.vjps = vjps
        self.texts = texts
        self.numbers = numbers
        # per input: may numpy have broadcast it (so its gradient is summed back)?
        self.broadcasts = (
            broadcasts if isinstance(broadcasts, tuple) else (broadcasts,) * len(vjps)
        )


def _pass(g: np.ndarray) -> np.ndarray:
    return g


def _negate(g: np.ndarray) -> np.ndarray:
    return -g


# Two inputs x, y; `out` is the result. Elementwise rules may see broadcast shapes:
# the chain rule sums each gradient back with `unbroadcast`.
ADD = _Rule((_pass, _pass), ("d{0} = d{out}", "d{1} = d{out}"), lambda c: (1.0, 1.0), True)
SUB = _Rule((_pass, _negate), ("d{0} = d{out}", "d{1} = -d{out}"), lambda c: (1.0, -1.0), True)
MUL = _Rule(
    (lambda g, x, y: g * y, lambda g, x, y: g * x),
    ("d{0} = d{out} * {1}", "d{1} = d{out} * {0}"),
    broadcasts=True,
)
DIV = _Rule(  # out = x / y
    (lambda g, y, out: g / y, lambda g, y, out: -g * out / y),
    ("d{0} = d{out} / {1}", "d{1} = -d{out} * {out} / {1}"),
    broadcasts=True,
)
POW = _Rule(  # out = x ** y; d/dy = out·log x, taken as 0 where x = 0 (its limit for y > 0)
    (
        lambda g, x, y, out: g * y * x ** (y - 1),
        lambda g, x, y, out: g * out * np.log(x, out=np.zeros_like(out), where=x > 0),
    ),
    ("d{0} = d{out} * {1} * {0}**({1} - 1)", "d{1} = d{out} * {out} * log {0}"),
    broadcasts=True,
)


def _matmul_dx(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return g @ y.T


def _matmul_dy(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return x.T @ g


MATMUL = _Rule((_matmul_dx, _matmul_dy), ("d{0} = d{out}·{1}ᵀ", "d{1} = {0}ᵀ·d{out}"))
LINEAR = _Rule(  # Z = W A + b in one node: the lecture's z[l] = W[l] a[l-1] + b[l]
    (_matmul_dx, _matmul_dy, lambda g, w, a: g),
    ("d{0} = d{out}·{1}ᵀ", "d{1} = {0}ᵀ·d{out}", "d{2} = d{out}"),
    broadcasts=(False, False, True),
)


def _as_matrices(g: np.ndarray, x: np.ndarray, y: np.ndarray):
    """A vector x is a row (1, k), a vector y a column (k, 1): then Z = X Y as matrices."""
    x2 = x if x.ndim == 2 else x.reshape(1, -1)
    y2 = y if y.ndim == 2 else y.reshape(-1, 1)
    return g.reshape(x2.shape[0], y2.shape[1]), x2, y2


MATVEC = _Rule(  # @ with a vector on either side: the same rule on the matrix forms
    (
        lambda g, x, y: _matmul_dx(*_as_matrices(g, x, y)).reshape(x.shape),
        lambda g, x, y: _matmul_dy(*_as_matrices(g, x, y)).reshape(y.shape),
    ),
    ("d{0} = d{out}·{1}ᵀ", "d{1} = {0}ᵀ·d{out}"),
)

# One tensor input x and a number c (the operand without a node of its own).
ADD_C = _Rule((_pass,), ("d{0} = d{out}",), lambda c: (1.0,), True)
SUB_FROM_C = _Rule((_negate,), ("d{0} = -d{out}",), lambda c: (-1.0,), True)  # c - x
MUL_C = _Rule((lambda g, c: g * c,), ("d{0} = {c} * d{out}",), lambda c: (c,), True)
DIV_BY_C = _Rule((lambda g, c: g / c,), ("d{0} = d{out} / {c}",), lambda c: (1.0 / c,), True)
C_DIV = _Rule(  # out = c / x
    (lambda g, x, out: -g * out / x,), ("d{0} = -d{out} * {out} / {0}",), broadcasts=True
)
POW_C = _Rule(  # out = x ** c
    (lambda g, x, c: g * c * x ** (c - 1) if c != 0 else np.zeros_like(g),),
    ("d{0} = d{out} * {c} * {0}**({c} - 1)",),
    broadcasts=True,
)
C_POW = _Rule(  # out = c ** x
    (lambda g, out, log_c: g * out * log_c,), ("d{0} = d{out} * {out} * log {c}",), broadcasts=True
)
NEG = _Rule((_negate,), ("d{0} = -d{out}",), lambda c: (-1.0,), True)

# Functions of x: the derivative uses the saved input x or, cheaper, the result a.
EXP = _Rule((lambda g, a: g * a,), ("d{0} = d{out} * {out}",), broadcasts=True)
LOG = _Rule((lambda g, x: g / x,), ("d{0} = d{out} / {0}",), broadcasts=True)
SQRT = _Rule((lambda g, a: g * 0.5 / a,), ("d{0} = d{out} / (2 {out})",), broadcasts=True)
ABS = _Rule((lambda g, x: g * np.sign(x),), ("d{0} = d{out} * sign({0})",), broadcasts=True)
TANH = _Rule((lambda g, a: g * (1.0 - a * a),), ("d{0} = d{out} * (1 - {out}²)",), broadcasts=True)
SIGMOID = _Rule(
    (lambda g, a: g * a * (1.0 - a),), ("d{0} = d{out} * {out}(1 - {out})",), broadcasts=True
)
RELU = _Rule(  # the course's relu_backward: dZ[Z <= 0] = 0, so relu'(0) = 0
    (lambda g, a: g * (a > 0),), ("d{0} = d{out} * ({0} > 0)",), broadcasts=True
)
LEAKY_RELU = _Rule(
    (lambda g, x, slope: g * np.where(x > 0, 1.0, slope),),
    ("d{0} = d{out} * (1 if {0} > 0 else {c})",),
    broadcasts=True,
)
CLIP = _Rule(  # the gradient passes where lo <= x <= hi
    (lambda g, x, lo, hi: g * _inside(x, lo, hi),), ("d{0} = d{out} * (lo <= {0} <= hi)",)
)


def _inside(x: np.ndarray, lo: float | None, hi: float | None) -> np.ndarray:
    inside = np.ones(x.shape, dtype=bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    return inside


# Reductions and shape changes: each input element's gradient is read back from g.
def _spread(g: np.ndarray, shape: tuple[int, ...], axis: tuple[int, ...] | None) -> np.ndarray:
    """g of a reduction over ``axis`` (without kept dims) as a writable array of ``shape``."""
    if axis is not None:
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, shape).copy()


SUM = _Rule(  # out = Σ x over axis
    (lambda g, shape, axis: _spread(g, shape, axis),),
    ("d{0} = d{out} broadcast to {0}'s shape",),
    lambda c: (1.0,),
)
MEAN = _Rule(  # out = (1/n) Σ x over axis
    (lambda g, shape, axis, n: _spread(g / n, shape, axis),),
    ("d{0} = d{out} / n broadcast to {0}'s shape",),
)


def _max_vjp(g: np.ndarray, x: np.ndarray, top: np.ndarray, axis: Any, keepdims: bool):
    """Ties share the gradient equally (the subgradient PyTorch's amax uses)."""
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    hit = x == top
    return hit * (g / hit.sum(axis=axis, keepdims=True))


MAX = _Rule((_max_vjp,), ("d{0} = d{out} where {0} is the max, else 0",))
RESHAPE = _Rule((lambda g, shape: g.reshape(shape),), ("d{0} = d{out} reshaped back",))
TRANSPOSE = _Rule((lambda g, back: g.transpose(back),), ("d{0} = d{out}ᵀ",))


def _index_vjp(g: np.ndarray, shape: tuple[int, ...], index: Any, basic: bool) -> np.ndarray:
    """Scatter g back; with an index array, repeated positions accumulate (np.add.at)."""
    out = np.zeros(shape, dtype=g.dtype)
    if basic:
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


INDEX = _Rule((_index_vjp,), ("d{0}[index] += d{out}",))


# The cost J = -(1/m) Σ (Y log A + (1-Y) log(1-A)), m = number of columns.
def _bce_da(g: np.ndarray, a: np.ndarray, y: np.ndarray, log_a, log_1ma, m: int) -> np.ndarray:
    # a(1-a) floored as PyTorch's BCELoss does: finite when A is exactly 0 or 1.
    return (a - y) * (float(g) / m) / np.maximum(a * (1.0 - a), 1e-12)


BCE = _Rule(
    (_bce_da, lambda g, a, y, log_a, log_1ma, m: (log_1ma - log_a) * (float(g) / m)),
    ("d{0} = (1/m)({0} - {1}) / ({0}(1 - {0}))", "d{1} = (1/m)(log(1 - {0}) - log {0})"),
)
# From logits: J = (1/m) Σ (softplus(Z) - Y Z), and σ(Z) = exp(Z - softplus(Z)) never overflows.
BCE_LOGITS = _Rule(
    (
        lambda g, z, y, softplus, m: (np.exp(z - softplus) - y) * (float(g) / m),
        lambda g, z, y, softplus, m: z * (-float(g) / m),
    ),
    ("d{0} = (1/m)(σ({0}) - {1})", "d{1} = -(1/m) {0}"),
)


# --- the node ------------------------------------------------------------------


def _as_array(data: Any, dtype: Any, what: str) -> np.ndarray:
    """``data`` as a float array: float64/float32 arrays are wrapped, not copied."""
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
        return arr if dtype is None or arr.dtype == dtype else arr.astype(dtype)
    if kind in "biuf":  # bools, integers (labels Y in {0, 1}), float16/longdouble
        return arr.astype(np.float64 if dtype is None else dtype)
    raise TypeError(
        f"{what}: data must be real numbers, got an array of dtype {arr.dtype}"
        + (" (a nested sequence of unequal lengths?)" if kind == "O" else "")
        + "; convert it first, e.g. np.asarray(data, dtype=float)"
    )


def _leaf(data: np.ndarray, requires_grad: bool, label: str | None) -> Tensor:
    t = _new(Tensor)
    t.data = data
    t.grad = None
    t.label = label
    t._op = ""
    t.requires_grad = requires_grad
    t._parents = ()
    t._rule = None
    t._saved = None
    return t


def _result(data: Any, parents: tuple[Tensor, ...], rule: _Rule, saved: tuple, op: Any) -> Tensor:
    """A new node out = op(parents); records the rule only when some parent needs a gradient."""
    out = _new(Tensor)
    # numpy returns a scalar, not an array, from a full reduction or a 0-d operation
    out.data = data if type(data) is np.ndarray else np.asarray(data)
    out.grad = None
    out.label = None
    if grad_mode.enabled:
        out._parents = parents
        out._op = op
        out._rule = rule
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


class Tensor(Node):
    """An array with a gradient: ``Tensor(W, requires_grad=True, label='W[1]')``.

    ``data`` is a numpy array (float64, or float32 when given so or asked with
    ``dtype``); ``grad`` is d root / d self, an array of the same shape, after
    ``root.backward()`` (None before, as in PyTorch). Only tensors created with
    ``requires_grad=True`` -- and results computed from them -- get gradients:
    the data ``X`` and labels ``Y`` are wrapped without, and no work is spent
    on them. ``check_finite=True`` refuses NaN or infinite entries. numpy
    sees the data (``np.asarray(t)``, ``np.sum(X)``), except where a numpy
    function would quietly drop a tensor that requires a gradient from the
    graph (``np.dot(W, A)``): that is refused in favour of ``W @ A``.
    """

    # A leaf keeps no saved arrays; it uses `_saved` to remember the gradient
    # array it owns -- the only one it ever adds into in place.
    __slots__ = ("requires_grad", "_parents", "_rule", "_saved")
    # Keep numpy from turning `array + Tensor` into an array of Tensors: it
    # defers to Tensor.__radd__ instead.
    __array_ufunc__ = None

    def __init__(
        self,
        data: Any,
        requires_grad: bool = False,
        label: str | None = None,
        dtype: Any = None,
        check_finite: bool = False,
    ) -> None:
        what = f"Tensor({label!r})" if label is not None else "Tensor(data)"
        arr = _as_array(data, dtype, what)
        if check_finite and not np.isfinite(arr).all():
            bad = np.argwhere(~np.isfinite(arr))
            where = tuple(int(i) for i in bad[0])
            raise ValueError(
                f"{what}: {len(bad)} entr{'y is' if len(bad) == 1 else 'ies are'} NaN or "
                f"infinite (the first at index {where}, value {arr[where]}); "
                "clean or impute the data before training"
            )
        self.data = arr
        self.grad = None
        self.label = label
        self._op = ""
        self.requires_grad = bool(requires_grad)
        self._parents = ()
        self._rule = None
        self._saved = None

    # --- graph plumbing --------------------------------------------------------

    def _chain(self, retain_graph: bool) -> None:
        if not self.requires_grad:
            return
        saved = self._saved
        if saved is None:
            raise RuntimeError(_freed_message(self))
        g = self.grad
        for parent, vjp in zip(self._parents, self._rule.vjps):
            if parent.requires_grad:
                _receive(parent, vjp(g, *saved), g)
        if not retain_graph:
            self._saved = None

    def _seed(self, grad: Any) -> None:
        g = _seed_array(self, grad)
        _receive(self, g, None if grad is None else g)

    def _shape(self) -> tuple[int, ...]:
        return self.data.shape

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
        shape = self.data.shape
        return tuple(
            _summed_axes(p.data.shape, shape) if may and p.data.shape != shape else ()
            for p, may in zip(self._parents, rule.broadcasts)
        )

    def _edge_rules(self) -> tuple[str, ...]:
        rule = self._rule
        if rule is None:
            return ()
        op = self._op
        c = f"{op[2]:g}" if type(op) is tuple else ""
        names = [p.label or "xyz"[i] for i, p in enumerate(self._parents)]
        out = self.label or "out"
        shape = self.data.shape
        texts = []
        for p, text, axes in zip(self._parents, rule.texts, self._broadcast_axes()):
            text = text.format(*names, out=out, c=c)
            if axes:
                lhs, rhs = text.split(" = ", 1)
                ax = axes[0] if len(axes) == 1 else axes
                if p.data.ndim == len(shape):
                    text = f"{lhs} = sum({rhs}, axis={ax}, keepdims=True)"
                else:
                    text = f"{lhs} = sum({rhs}, axis={ax}).reshape{p.data.shape}"
            texts.append(text)
        return tuple(texts)

    def backward(self, grad: Any = None, retain_graph: bool = False) -> None:
        """Fill ``grad`` of every node this one depends on with d self / d node.

        From a scalar (e.g. the cost J) no argument is needed; from any other
        shape pass the upstream gradient, an array of this tensor's shape.
        Arrays saved for backward are freed as the sweep passes them unless
        ``retain_graph=True``. Intermediate nodes get fresh gradients on every
        call; leaves accumulate (call ``zero_grad`` between steps), as in PyTorch.
        """
        if not self.requires_grad:
            raise RuntimeError(
                f"backward() from {_name(self)}: it does not require a gradient -- none of "
                "the tensors it was computed from was created with requires_grad=True, "
                "or it was computed under no_grad()"
            )
        if self._parents and self._saved is None:
            raise RuntimeError(_freed_message(self))
        backward(self, _seed_array(self, grad), retain_graph)

    # --- arithmetic: forward here, vector-Jacobian products in the table above --

    def __add__(self, other: Any) -> Tensor:
        """out = x + y (broadcast);  dx = dout, dy = dout, each summed back to its shape."""
        c = _number(other)
        if c is not None:
            return _result(self.data + c, (self,), ADD_C, (), ("+", 1, c))
        return _binary(self, other, "+", _add)

    def __radd__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            return _result(c + self.data, (self,), ADD_C, (), ("+", 0, c))
        return _binary(other, self, "+", _add)

    def __sub__(self, other: Any) -> Tensor:
        """out = x - y;  dx = dout, dy = -dout."""
        c = _number(other)
        if c is not None:
            return _result(self.data - c, (self,), ADD_C, (), ("-", 1, c))
        return _binary(self, other, "-", _sub)

    def __rsub__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            return _result(c - self.data, (self,), SUB_FROM_C, (), ("-", 0, c))
        return _binary(other, self, "-", _sub)

    def __mul__(self, other: Any) -> Tensor:
        """out = x * y (elementwise);  dx = dout * y, dy = dout * x."""
        c = _number(other)
        if c is not None:
            return _result(self.data * c, (self,), MUL_C, (c,), ("*", 1, c))
        return _binary(self, other, "*", _mul)

    def __rmul__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            return _result(c * self.data, (self,), MUL_C, (c,), ("*", 0, c))
        return _binary(other, self, "*", _mul)

    def __truediv__(self, other: Any) -> Tensor:
        """out = x / y;  dx = dout / y, dy = -dout · out / y."""
        c = _number(other)
        if c is not None:
            if c == 0.0:
                raise ZeroDivisionError(f"division of {_name(self)} by the number 0")
            return _result(self.data / c, (self,), DIV_BY_C, (c,), ("/", 1, c))
        return _binary(self, other, "/", _div)

    def __rtruediv__(self, other: Any) -> Tensor:
        c = _number(other)
        if c is not None:
            out = c / self.data
            return _result(out, (self,), C_DIV, (self.data, out), ("/", 0, c))
        return _binary(other, self, "/", _div)

    def __pow__(self, other: Any) -> Tensor:
        """out = x ** n;  dx = dout · n x^(n-1);  for a Tensor n also dn = dout · out log x."""
        c = _number(other)
        if c is not None:
            return _result(self.data**c, (self,), POW_C, (self.data, c), ("**", 1, c))
        return _binary(self, other, "**", _pow)

    def __rpow__(self, other: Any) -> Tensor:
        """out = c ** x;  dx = dout · out log c (c > 0)."""
        c = _number(other)
        if c is not None:
            if c <= 0.0:
                raise ValueError(
                    f"{c:g} ** {_name(self)}: a number base must be positive "
                    "(d/dx c**x = c**x log c needs c > 0)"
                )
            out = np.power(c, self.data)
            return _result(out, (self,), C_POW, (out, np.log(c)), ("**", 0, c))
        return _binary(other, self, "**", _pow)

    def __neg__(self) -> Tensor:
        """out = -x;  dx = -dout."""
        return _result(-self.data, (self,), NEG, (), "neg")

    def __pos__(self) -> Tensor:
        return self

    def __matmul__(self, other: Any) -> Tensor:
        """Z = W @ A (matrix product);  dW = dZ·Aᵀ, dA = Wᵀ·dZ."""
        return _matmul(self, _tensor(other, "@"))

    def __rmatmul__(self, other: Any) -> Tensor:
        return _matmul(_tensor(other, "@"), self)

    # --- functions ---------------------------------------------------------------

    def exp(self) -> Tensor:
        """a = eˣ;  dx = dout · a."""
        a = np.exp(self.data)
        return _result(a, (self,), EXP, (a,), "exp")

    def log(self) -> Tensor:
        """a = log x (natural);  dx = dout / x."""
        return _result(np.log(self.data), (self,), LOG, (self.data,), "log")

    def sqrt(self) -> Tensor:
        """a = √x;  dx = dout / (2a)."""
        a = np.sqrt(self.data)
        return _result(a, (self,), SQRT, (a,), "sqrt")

    def abs(self) -> Tensor:
        """a = |x|;  dx = dout · sign(x) (0 at x = 0)."""
        return _result(np.abs(self.data), (self,), ABS, (self.data,), "abs")

    __abs__ = abs

    def tanh(self) -> Tensor:
        """A = tanh(Z);  dZ = dA · (1 - A²)."""
        a = np.tanh(self.data)
        return _result(a, (self,), TANH, (a,), "tanh")

    def sigmoid(self) -> Tensor:
        """A = σ(Z) = 1 / (1 + e⁻ᶻ);  dZ = dA · A(1 - A). No overflow for any Z."""
        z = self.data
        # exp(Z - softplus(Z)) == σ(Z); the exponent is <= 0, so nothing overflows.
        a = np.exp(z - np.logaddexp(0.0, z))
        return _result(a, (self,), SIGMOID, (a,), "sigmoid")

    def relu(self) -> Tensor:
        """A = max(0, Z);  dZ = dA · (Z > 0) (0 at Z = 0, as the course's relu_backward)."""
        a = np.maximum(self.data, 0.0)
        return _result(a, (self,), RELU, (a,), "relu")

    def leaky_relu(self, slope: float = 0.01) -> Tensor:
        """A = max(slope·Z, Z);  dZ = dA · (1 if Z > 0 else slope)."""
        s = _number(slope)
        if s is None:
            raise TypeError(f"leaky_relu(slope): slope must be a number, got {slope!r}")
        z = self.data
        a = np.where(z > 0, z, s * z)
        return _result(a, (self,), LEAKY_RELU, (z, s), ("leaky_relu", 1, s))

    def clip(self, lo: float | None = None, hi: float | None = None) -> Tensor:
        """a = min(max(x, lo), hi);  dx = dout where lo <= x <= hi, else 0."""
        if lo is None and hi is None:
            raise ValueError("clip() needs lo, hi or both")
        lo_, hi_ = (None if v is None else _number(v) for v in (lo, hi))
        if (lo is not None and lo_ is None) or (hi is not None and hi_ is None):
            raise TypeError(f"clip(lo, hi) takes numbers, got {lo!r}, {hi!r}")
        if lo_ is not None and hi_ is not None and lo_ > hi_:
            raise ValueError(f"clip(lo={lo_:g}, hi={hi_:g}): lo is above hi")
        a = np.clip(self.data, lo_, hi_)
        return _result(a, (self,), CLIP, (self.data, lo_, hi_), "clip")

    # --- reductions and shapes ------------------------------------------------------

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = Σ x over ``axis`` (all entries by default);  dx = dout broadcast back."""
        ax = _axes(self, axis, "sum")
        out = self.data.sum(axis=ax, keepdims=keepdims)
        back = None if keepdims else ax
        return _result(out, (self,), SUM, (self.data.shape, back), "sum")

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = (1/n) Σ x over ``axis``;  dx = dout / n broadcast back."""
        ax = _axes(self, axis, "mean")
        x = self.data
        n = x.size if ax is None else int(np.prod([x.shape[i] for i in ax]))
        if n == 0:
            raise ValueError(f"mean() of {_name(self)} over an empty axis")
        out = x.sum(axis=ax, keepdims=keepdims) / n
        back = None if keepdims else ax
        return _result(out, (self,), MEAN, (x.shape, back, n), "mean")

    def max(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = max x over ``axis``;  dx = dout at the maximum (shared equally by ties)."""
        ax = _axes(self, axis, "max")
        x = self.data
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
            out = self.data.reshape(shape)
        except (ValueError, TypeError) as e:
            raise ValueError(
                f"reshape of {_name(self)} ({self.data.size} entries) to {shape}: {e}"
            ) from None
        return _result(out, (self,), RESHAPE, (self.data.shape,), "reshape")

    def transpose(self, *axes: int) -> Tensor:
        """out = xᵀ (axes reversed, or permuted as given);  dx = doutᵀ."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        x = self.data
        if axes:
            if sorted(axes) != list(range(x.ndim)):
                raise ValueError(
                    f"transpose{axes} of {_name(self)}: give a permutation of "
                    f"{tuple(range(x.ndim))}"
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
            out = self.data[index]
        except IndexError as e:
            raise IndexError(f"indexing {_name(self)}: {e}") from None
        basic = _is_basic(index)
        return _result(out, (self,), INDEX, (self.data.shape, index, basic), "index")

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
        return _leaf(self.data, False, self.label)

    def numpy(self) -> np.ndarray:
        """The data array itself (no copy)."""
        return self.data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        if dtype is not None and np.dtype(dtype) != self.data.dtype:
            if copy is False:  # numpy 2's protocol: refuse rather than copy behind the back
                raise ValueError(
                    f"{_name(self)} holds {self.data.dtype}; giving {np.dtype(dtype)} needs a copy"
                )
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __array_function__(self, func: Any, types: Any, args: tuple, kwargs: dict) -> Any:
        """numpy functions (``np.dot``, ``np.sum``, ...) see the data -- but not when that
        would silently drop a tensor that requires a gradient from the graph."""
        if grad_mode.enabled and func not in _SHAPE_QUERIES:  # under no_grad nothing is lost
            for t in _tensors_in((args, kwargs)):
                if t.requires_grad:
                    raise TypeError(
                        f"np.{func.__name__} on {_name(t)}, which requires a gradient, would "
                        "return a plain array outside the graph, so no gradient would reach "
                        "it; use the Tensor operation instead (W @ A for np.dot, "
                        "Z.sum(axis=1, keepdims=True) for np.sum, ...), or .data for the numbers"
                    )
        return func(*_unwrap(args), **_unwrap(kwargs))

    def item(self) -> float:
        """The one number in a tensor of size 1."""
        if self.data.size != 1:
            raise ValueError(
                f"item() needs a tensor of size 1, not {_name(self)}"
            )
        return float(self.data.reshape(()))

    def __float__(self) -> float:
        return self.item()

    def __bool__(self) -> bool:
        return bool(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        """The rows x[0], x[1], ... as tensors in the graph (a 0-d tensor has none)."""
        if not self.data.ndim:
            raise TypeError(f"iteration over {_name(self)}: a 0-d tensor has no rows")
        return (self[i] for i in range(len(self.data)))

    def __len__(self) -> int:
        if not self.data.ndim:
            raise TypeError(f"len() of {_name(self)}: a 0-d tensor has no length")
        return len(self.data)

    def __lt__(self, other: Any) -> np.ndarray:
        return self.data < _data(other)

    def __le__(self, other: Any) -> np.ndarray:
        return self.data <= _data(other)

    def __gt__(self, other: Any) -> np.ndarray:
        return self.data > _data(other)

    def __ge__(self, other: Any) -> np.ndarray:
        return self.data >= _data(other)

    @property
    def shape(self) -> tuple[int, ...]:
        """The shape of ``data``."""
        return self.data.shape

    @property
    def ndim(self) -> int:
        """The number of axes of ``data``."""
        return self.data.ndim

    @property
    def size(self) -> int:
        """The number of entries of ``data``."""
        return self.data.size

    @property
    def dtype(self) -> np.dtype:
        """The dtype of ``data`` (float64 or float32)."""
        return self.data.dtype

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad else ""
        if self.data.dtype != np.float64:
            extra += f", dtype={self.data.dtype}"
        if self.label is not None:
            extra += f", label={self.label!r}"
        return f"Tensor({body}{extra})"


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
    data = node.data
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
        elif upstream is not None and np.may_share_memory(d, upstream):
            d = d.copy()
        node.grad = node._saved = d


def _seed_array(root: Tensor, grad: Any) -> np.ndarray:
    data = root.data
    if grad is None:
        if data.size != 1:
            raise RuntimeError(
                f"backward() from {_name(root)}: the gradient can be "
                "implied only for a scalar (like the cost J); reduce it first (.sum(), .mean()) "
                f"or pass the upstream gradient, backward(grad) with an array of shape {data.shape}"
            )
        return np.ones(data.shape, dtype=data.dtype)
    g = _as_array(grad.data if isinstance(grad, Tensor) else grad, data.dtype, "backward(grad)")
    if g.shape != data.shape:
        raise ValueError(
            f"backward(grad): grad has shape {g.shape}; it must have the shape of the output, "
            f"{_name(root)}"
        )
    return g


def _op_name(node: Tensor) -> str:
    return node._op if type(node._op) is str else node._op[0]


def _freed_message(node: Tensor) -> str:
    return (
        f"Trying to backward through the graph a second time (at {_name(node)}, op "
        f"'{_op_name(node)}'): the arrays saved for "
        "backward were freed by the first backward(). Pass retain_graph=True to the first "
        "backward() if you need to backpropagate through the same graph again"
    )


# --- operands and errors -------------------------------------------------------------


def _name(t: Tensor) -> str:
    """How an error names a tensor: ``'W' of shape (4, 2)``, or ``a tensor of shape (4, 2)``."""
    who = repr(t.label) if t.label is not None else "a tensor"
    return f"{who} of shape {t.data.shape}"


def _labels(*ts: Tensor) -> str:
    """`` ('W' @ 'X')``: the labels of tensors whose shapes a message already gives, if any."""
    if all(t.label is None for t in ts):
        return ""
    return " (" + " @ ".join(repr(t.label) if t.label is not None else "?" for t in ts) + ")"


def _number(x: Any) -> float | None:
    """``x`` as a float if it is a plain number (int, float, numpy scalar, 0-d array), else None."""
    if type(x) is float:
        return x
    if type(x) is int:
        return float(x)
    if isinstance(x, (bool, np.bool_)):
        raise TypeError("a bool is not a number here; use 1.0 or 0.0")
    if isinstance(x, (int, float, np.integer, np.floating)):
        return float(x)
    if isinstance(x, np.ndarray) and x.ndim == 0 and x.dtype.kind in "iuf":
        return float(x)
    return None


def _tensor(x: Any, op: str) -> Tensor:
    """An operand as a Tensor: arrays become constant leaves (no gradient)."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, Node):
        raise TypeError(
            f"'{op}' between a Tensor and a {type(x).__name__}: mix node types through "
            "their data, e.g. Tensor(v.data)"
        )
    return _leaf(_as_array(x, None, f"the other operand of '{op}'"), False, None)


def _data(x: Any) -> Any:
    return x.data if isinstance(x, Tensor) else x


#: numpy functions that only read a shape: harmless on any tensor.
_SHAPE_QUERIES = frozenset((np.shape, np.ndim, np.size))


def _tensors_in(x: Any) -> Iterator[Tensor]:
    """Every Tensor in the (nested) arguments of a numpy call."""
    if isinstance(x, Tensor):
        yield x
    elif isinstance(x, (list, tuple)):
        for item in x:
            yield from _tensors_in(item)
    elif isinstance(x, dict):
        for item in x.values():
            yield from _tensors_in(item)


def _unwrap(x: Any) -> Any:
    """The arguments of a numpy call with each Tensor replaced by its data."""
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_unwrap(item) for item in x)
    if isinstance(x, dict):
        return {k: _unwrap(v) for k, v in x.items()}
    return x


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
        ufunc(t.data, value, out=t.data, casting="same_kind")
    except ValueError:
        raise ValueError(
            f"in-place '{op}' on {_name(t)}: the other operand has "
            f"shape {value.shape}, which does not broadcast to {t.data.shape}; an in-place "
            "update keeps the shape -- compute a new tensor instead"
        ) from None
    return t


def _broadcast_error(x: Tensor, y: Tensor, op: str) -> ValueError:
    hint = ""
    for t in (x, y):
        if t.data.ndim == 1:
            n = t.data.shape[0]
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
    x, y = _tensor(x, op), _tensor(y, op)
    try:
        return forward(x, y)
    except ValueError:
        raise _broadcast_error(x, y, op) from None


def _add(x: Tensor, y: Tensor) -> Tensor:
    return _result(x.data + y.data, (x, y), ADD, (), "+")


def _sub(x: Tensor, y: Tensor) -> Tensor:
    return _result(x.data - y.data, (x, y), SUB, (), "-")


def _mul(x: Tensor, y: Tensor) -> Tensor:
    return _result(x.data * y.data, (x, y), MUL, (x.data, y.data), "*")


def _div(x: Tensor, y: Tensor) -> Tensor:
    out = x.data / y.data
    return _result(out, (x, y), DIV, (y.data, out), "/")


def _pow(x: Tensor, y: Tensor) -> Tensor:
    out = x.data**y.data
    return _result(out, (x, y), POW, (x.data, y.data, out), "**")


def _matmul(x: Tensor, y: Tensor) -> Tensor:
    a, b = x.data, y.data
    if a.ndim == 2 and b.ndim == 2 and a.shape[1] == b.shape[0]:
        return _result(a @ b, (x, y), MATMUL, (a, b), "@")
    _check_matmul(x, y, "'@'", vectors=True)
    return _result(a @ b, (x, y), MATVEC, (a, b), "@")


def _check_matmul(x: Tensor, y: Tensor, what: str, vectors: bool) -> None:
    a, b = x.data, y.data
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


def linear(W: Any, A: Any, b: Any) -> Tensor:
    """Z = W A + b as one node (the course's linear_forward);  dW = dZ·Aᵀ, dA = Wᵀ·dZ,
    db = sum(dZ, axis=1, keepdims=True).

    The same numbers and gradients as ``W @ A + b``, and the picture the
    lecture draws (one node z[l] = W[l] a[l-1] + b[l]); one array instead of
    two, since the product needs no node of its own to show. ``b`` is the
    column (n, 1) -- or a number, like logistic regression's b; a rank-1 b is
    refused, since numpy would broadcast it along the examples.
    """
    W, A, b = _tensor(W, "linear"), _tensor(A, "linear"), _tensor(b, "linear")
    w, a = W.data, A.data
    if not (w.ndim == 2 and a.ndim == 2 and w.shape[1] == a.shape[0]):
        _check_matmul(W, A, "linear(W, A, b)", vectors=False)
    if b.data.ndim not in (0, 2):
        n = w.shape[0]
        raise ValueError(
            f"linear(W, A, b): b has shape {b.data.shape}{_labels(b)}; give it the shape "
            f"({n}, 1), one bias per row of W"
            + (f": b.reshape({n}, 1)" if b.data.shape == (n,) else "")
            + " -- a rank-1 b would broadcast along the examples instead"
        )
    z = w @ a
    try:
        z += b.data  # z is ours: add the bias in place
    except ValueError:
        raise ValueError(
            f"linear(W, A, b): b of shape {b.data.shape}{_labels(b)} does not broadcast to "
            f"W A of shape {z.shape}; give b the shape ({z.shape[0]}, 1)"
        ) from None
    return _result(z, (W, A, b), LINEAR, (w, a), "linear")


def _axes(t: Tensor, axis: Any, what: str) -> tuple[int, ...] | None:
    if axis is None:
        return None
    ndim = t.data.ndim
    items = axis if isinstance(axis, (tuple, list)) else (axis,)
    if not all(isinstance(a, (int, np.integer)) and not isinstance(a, (bool, np.bool_))
               for a in items):
        raise TypeError(f"{what}(axis={axis!r}): axis must be an int or a tuple of ints")
    norm = tuple(int(a) + ndim if a < 0 else int(a) for a in items)
    if any(not 0 <= a < ndim for a in norm) or len(set(norm)) != len(norm):
        has = f"axes 0..{ndim - 1} (or -{ndim}..-1), each at most once" if ndim else "no axes"
        raise ValueError(f"{what}(axis={axis!r}) of {_name(t)}: it has {has}")
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


# --- the course's cost ------------------------------------------------------------------


def _cost_operands(a: Any, y: Any, what: str, first: str) -> tuple[Tensor, Tensor, int]:
    a, y = _tensor(a, what), _tensor(y, what)
    for t, name in ((a, first), (y, "Y")):
        if t.data.ndim != 2:
            shape = t.data.shape
            fix = f"reshape(1, {shape[0]})" if t.data.ndim == 1 else "reshape(1, m)"
            raise ValueError(
                f"{what}: {name} has shape {shape}; it must be a row (1, m) -- one column per "
                f"example. A rank-1 array breeds broadcasting bugs: use {name}.{fix}"
            )
    if a.data.shape != y.data.shape:
        raise ValueError(
            f"{what}: {first} has shape {a.data.shape} but Y has shape {y.data.shape}; they "
            "must be equal (one prediction per label)"
        )
    return a, y, a.data.shape[1]


def binary_cross_entropy(A: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ (Y log A + (1-Y) log(1-A));  dA = (1/m)(A - Y) / (A(1 - A)).

    ``A`` are probabilities (e.g. σ(Z)) of shape (1, m), ``Y`` the labels. Each
    log is floored at -100 (as PyTorch's BCELoss): J stays finite when A is
    exactly 0 or 1, and 0·log 0 counts as 0. From logits prefer
    :func:`binary_cross_entropy_with_logits`.
    """
    A, Y, m = _cost_operands(A, Y, "binary_cross_entropy(A, Y)", "A")
    a, y = A.data, Y.data
    log_a = np.maximum(np.log(a, out=np.full_like(a, -100.0), where=a > 0), -100.0)
    b = 1.0 - a
    log_1ma = np.maximum(np.log(b, out=np.full_like(b, -100.0), where=b > 0), -100.0)
    J = -(y * log_a + (1.0 - y) * log_1ma).sum() / m
    return _result(J, (A, Y), BCE, (a, y, log_a, log_1ma, m), "BCE")


def binary_cross_entropy_with_logits(Z: Any, Y: Any) -> Tensor:
    """J = -(1/m) Σ (Y log σ(Z) + (1-Y) log(1-σ(Z)));  dZ = (1/m)(σ(Z) - Y).

    The course's cost computed from the logits ``Z`` of shape (1, m) without
    forming σ(Z): J = (1/m) Σ (softplus(Z) - Y·Z), finite for any Z. The
    gradient is the course's dZ[L] = A[L] - Y (divided by m, the mean).
    """
    Z, Y, m = _cost_operands(Z, Y, "binary_cross_entropy_with_logits(Z, Y)", "Z")
    z, y = Z.data, Y.data
    softplus = np.logaddexp(0.0, z)
    J = (softplus - y * z).sum() / m
    return _result(J, (Z, Y), BCE_LOGITS, (z, y, softplus, m), "BCE")
