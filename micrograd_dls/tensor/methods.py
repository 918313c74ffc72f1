"""The operations as Tensor methods and operators: ``W @ A + b``, ``Z.tanh()``,
``dZ.sum(axis=1, keepdims=True)``.

Each method applies one rule -- the operation's forward, vector-Jacobian
product and text, written once in the module of its kind -- and its
docstring states both directions. :class:`Operations` is a mixin of
:class:`~.tensor.Tensor`, which supplies ``_operand`` (an array or number as a
constant tensor); :func:`~.record.apply` records each rule as a node. This
module knows the rules and nothing of how a node is kept.
"""

from __future__ import annotations

from sys import getrefcount
from typing import TYPE_CHECKING, Any

import numpy as np

from ..checks import quote
from .costs import LOG_SOFTMAX, SOFTMAX
from .elementwise import (
    ABS,
    ADD,
    ADD_C,
    C_DIV,
    C_POW,
    C_SUB,
    CLIP,
    COPY,
    DIV,
    DIV_C,
    EXP,
    LEAKY_RELU,
    LOG,
    LOG1P,
    MAXIMUM,
    MAXIMUM_C,
    MUL,
    MUL_C,
    NEG,
    POW,
    POW_C,
    RELU,
    SIGMOID,
    SIGN,
    SQRT,
    SUB,
    SUB_C,
    TANH,
)
from .operands import broadcast_error, describe, number
from .products import LINEAR, MATMUL, MATVEC, bias_fits
from .record import apply
from .reductions import LOGSUMEXP, MAX, MEAN, MIN, NORM, STD, SUM, VAR
from .rule import Rule
from .shapes import INDEX, RESHAPE, TRANSPOSE, expanded, flattened, squeezed, transpose_order

if TYPE_CHECKING:
    from collections.abc import Callable

    from typing_extensions import Self

    from .tensor import Tensor

__all__ = ["Operations"]


class _Probe:
    __slots__ = ()

    def __add__(self, other: Any) -> int:
        return getrefcount(self)


def _temporary_refs() -> int:
    """How many references a temporary left operand has inside ``__add__`` on this Python
    (on CPython 3.11: the evaluation stack, ``self`` and getrefcount's own argument), when
    a named one has more; 0 where the two cannot be told apart, so that nothing is fused."""
    named = _Probe()
    temporary, held = _Probe() + _Probe(), named + _Probe()
    return temporary if temporary < held else 0


#: The reference count of ``W @ A`` inside ``__add__`` when only the expression holds it.
_TEMPORARY = _temporary_refs()


class Operations:
    """The Tensor operations, each a rule applied to ``self`` (see the module docstring)."""

    __slots__ = ()

    _data: np.ndarray
    _rule: Rule | None
    _parents: tuple[Tensor, ...]
    _operand: Callable[[Any, str], Tensor]

    # --- arithmetic -------------------------------------------------------------------

    def _arithmetic(self, other: Any, rule: Rule, with_number: Rule, shown: tuple,
                    swapped: bool = False) -> Tensor:
        """``self op other`` (``other op self`` when ``swapped``): a number operand gets no
        node, and ``shown`` is the node's ``_op`` then (the operation's name and the
        number's position); shapes that do not broadcast get an error naming both."""
        name = shown[0]
        if type(other) is not type(self):
            c = number(other)
            if c is not None:
                return apply(with_number, (self,), c, op=shown, const=c)
            other = self._operand(other, name)
        x, y = (other, self) if swapped else (self, other)
        try:
            return apply(rule, (x, y))
        except ValueError:
            raise broadcast_error(x, y, name) from None

    def __add__(self, other: Any) -> Tensor:
        """out = x + y (broadcast);  dx = dout, dy = dout, each summed back to its shape.

        ``W @ A + b`` written as one expression is the one node ``linear(W, A, b)``,
        the lecture's z = W a + b, as nn's layers build it: when nothing but the
        expression holds the product (CPython's reference count says so, see
        :data:`_TEMPORARY`), b is added into the product's array, which no one else
        can see, instead of into a second (n, m) array. A product held by a name
        (``P = W @ A; P + b``) stays a node of its own, and so does its array.
        """
        if (self._rule is MATMUL and type(other) is type(self)
                and getrefcount(self) <= _TEMPORARY and bias_fits(self, other)):
            W, A = self._parents
            try:
                return apply(LINEAR, (W, A, other), self._data)
            except ValueError:  # b broadcasts the product to a bigger shape: not W a + b
                pass
        if type(other) is type(self):
            try:
                return apply(ADD, (self, other))
            except ValueError:
                raise broadcast_error(self, other, "+") from None
        return self._arithmetic(other, ADD, ADD_C, ("+", 1))

    def __radd__(self, other: Any) -> Tensor:
        return self._arithmetic(other, ADD, ADD_C, ("+", 0), swapped=True)

    def __sub__(self, other: Any) -> Tensor:
        """out = x - y;  dx = dout, dy = -dout."""
        if type(other) is type(self):
            try:
                return apply(SUB, (self, other))
            except ValueError:
                raise broadcast_error(self, other, "-") from None
        return self._arithmetic(other, SUB, SUB_C, ("-", 1))

    def __rsub__(self, other: Any) -> Tensor:
        return self._arithmetic(other, SUB, C_SUB, ("-", 0), swapped=True)

    def __mul__(self, other: Any) -> Tensor:
        """out = x * y (elementwise);  dx = dout * y, dy = dout * x."""
        if type(other) is type(self):
            try:
                return apply(MUL, (self, other))
            except ValueError:
                raise broadcast_error(self, other, "*") from None
        return self._arithmetic(other, MUL, MUL_C, ("*", 1))

    def __rmul__(self, other: Any) -> Tensor:
        return self._arithmetic(other, MUL, MUL_C, ("*", 0), swapped=True)

    def __truediv__(self, other: Any) -> Tensor:
        """out = x / y;  dx = dout / y, dy = -dout · out / y."""
        if type(other) is not type(self) and number(other) == 0.0:
            raise ZeroDivisionError(f"division of {describe(self)} by the number 0")
        return self._arithmetic(other, DIV, DIV_C, ("/", 1))

    def __rtruediv__(self, other: Any) -> Tensor:
        return self._arithmetic(other, DIV, C_DIV, ("/", 0), swapped=True)

    def __pow__(self, other: Any) -> Tensor:
        """out = x ** n;  dx = dout · n x^(n-1);  for a Tensor n also dn = dout · out log x
        (PyTorch's values where x = 0: dx = 0 where n = 0, dn = 0 where n >= 0)."""
        return self._arithmetic(other, POW, POW_C, ("**", 1))

    def __rpow__(self, other: Any) -> Tensor:
        """out = c ** x;  dx = dout · out log c (0 where c = 0 and x >= 0, as PyTorch;
        NaN for c < 0, whose log is not real -- the values are numpy's)."""
        return self._arithmetic(other, POW, C_POW, ("**", 0), swapped=True)

    def __neg__(self) -> Tensor:
        """out = -x;  dx = -dout."""
        return apply(NEG, (self,))

    def __pos__(self) -> Self:
        return self

    def _product(self, other: Any, name: str = "@", swapped: bool = False) -> Tensor:
        """Z = W @ A (np.dot and np.matmul name the node as written)."""
        if type(other) is not type(self):
            other = self._operand(other, name)
        x, y = (other, self) if swapped else (self, other)
        rule = MATMUL if x._data.ndim == 2 and y._data.ndim == 2 else MATVEC
        if name == "@":
            return apply(rule, (x, y))
        return apply(rule, (x, y), op=(name, None))

    def __matmul__(self, other: Any) -> Tensor:
        """Z = W @ A (matrix product);  dW = dZ·Aᵀ, dA = Wᵀ·dZ."""
        if type(other) is type(self) and self._data.ndim == 2 and other._data.ndim == 2:
            return apply(MATMUL, (self, other))
        return self._product(other)

    def __rmatmul__(self, other: Any) -> Tensor:
        return self._product(other, swapped=True)

    # --- functions of each entry ------------------------------------------------------------

    def exp(self) -> Tensor:
        """a = eˣ;  dx = dout · a."""
        return apply(EXP, (self,))

    def log(self) -> Tensor:
        """a = log x (natural);  dx = dout / x."""
        return apply(LOG, (self,))

    def log1p(self) -> Tensor:
        """a = log(1 + x);  dx = dout / (1 + x)."""
        return apply(LOG1P, (self,))

    def sqrt(self) -> Tensor:
        """a = √x;  dx = dout / (2a)."""
        return apply(SQRT, (self,))

    def abs(self) -> Tensor:
        """a = |x|;  dx = dout · sign(x) (0 at x = 0)."""
        return apply(ABS, (self,))

    __abs__ = abs

    def sign(self) -> Tensor:
        """a = sign(x);  dx = 0."""
        return apply(SIGN, (self,))

    def square(self) -> Tensor:
        """a = x²;  dx = dout · 2x."""
        return self**2

    def copy(self) -> Tensor:
        """out = a copy of x in the graph;  dx = dout."""
        return apply(COPY, (self,))

    def tanh(self) -> Tensor:
        """A = tanh(Z);  dZ = dA · (1 - A²)."""
        return apply(TANH, (self,))

    def sigmoid(self) -> Tensor:
        """A = σ(Z) = 1 / (1 + e⁻ᶻ);  dZ = dA · A(1 - A). Exact 1 and 0 at Z = ±inf."""
        return apply(SIGMOID, (self,))

    def relu(self) -> Tensor:
        """A = max(0, Z);  dZ = dA · (Z > 0) (0 at Z = 0, as the course's relu_backward)."""
        return apply(RELU, (self,))

    def leaky_relu(self, slope: float = 0.01) -> Tensor:
        """A = max(slope·Z, Z);  dZ = dA · (1 if Z > 0 else slope)."""
        s = number(slope)
        if s is None:
            raise TypeError(f"leaky_relu(slope): slope must be a number, got {quote(slope)}")
        return apply(LEAKY_RELU, (self,), s, op=("leaky_relu", 1), const=s)

    def clip(self, lo: float | None = None, hi: float | None = None) -> Tensor:
        """a = min(max(x, lo), hi);  dx = dout where lo <= x <= hi, else 0."""
        if lo is None and hi is None:
            raise ValueError("clip() needs lo, hi or both")
        lo_, hi_ = (None if v is None else number(v) for v in (lo, hi))
        if (lo is not None and lo_ is None) or (hi is not None and hi_ is None):
            raise TypeError(f"clip(lo, hi) takes numbers, got {quote(lo)}, {quote(hi)}")
        if lo_ is not None and hi_ is not None and lo_ > hi_:
            raise ValueError(f"clip(lo={lo_:g}, hi={hi_:g}): lo is above hi")
        return apply(CLIP, (self,), lo_, hi_)

    def _extremum(self, other: Any, f: np.ufunc, name: str, swapped: bool = False) -> Tensor:
        """maximum / minimum of self and other; a number operand gets no node."""
        if type(other) is not type(self):
            c = number(other)
            if c is not None:
                return apply(MAXIMUM_C, (self,), c, f, op=(name, 0 if swapped else 1),
                                   const=c)
            other = self._operand(other, name)
        x, y = (other, self) if swapped else (self, other)
        try:
            return apply(MAXIMUM, (x, y), f, op=(name, None))
        except ValueError:
            raise broadcast_error(x, y, name) from None

    def maximum(self, other: Any) -> Tensor:
        """out = max(x, y) elementwise;  dx = dout where x is chosen (half at a tie of two
        tensors; a number wins its tie: ``maximum(0, Z)`` has relu'(0) = 0, as the course)."""
        return self._extremum(other, np.maximum, "maximum")

    def minimum(self, other: Any) -> Tensor:
        """out = min(x, y) elementwise;  dx = dout where x is chosen (half at a tie of two
        tensors; a number wins its tie)."""
        return self._extremum(other, np.minimum, "minimum")

    # --- reductions ---------------------------------------------------------------------

    def sum(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = Σ x over ``axis`` (all entries by default);  dx = dout broadcast back."""
        return apply(SUM, (self,), axis, keepdims)

    def mean(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = (1/n) Σ x over ``axis``;  dx = dout / n broadcast back."""
        return apply(MEAN, (self,), axis, keepdims)

    def max(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = max x over ``axis``;  dx = dout at the maximum (shared equally by ties)."""
        return apply(MAX, (self,), axis, keepdims)

    def min(self, axis: int | tuple[int, ...] | None = None, keepdims: bool = False) -> Tensor:
        """out = min x over ``axis``;  dx = dout at the minimum (shared equally by ties)."""
        return apply(MIN, (self,), axis, keepdims)

    def var(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
        """out = (1/(n - ddof)) Σ (x - μ)²;  dx = dout · 2(x - μ)/(n - ddof).

        ``n - ddof <= 0`` is a ValueError, where numpy gives nan with a warning."""
        return apply(VAR, (self,), axis, ddof, keepdims)

    def std(self, axis: Any = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
        """out = √var(x);  dx = dout · (x - μ)/((n - ddof) out), 0 where out = 0.

        ``n - ddof <= 0`` is a ValueError, where numpy gives nan with a warning."""
        return apply(STD, (self,), axis, ddof, keepdims)

    def norm(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """out = ‖x‖ = √(Σ x²) (Frobenius for a matrix);  dx = dout · x / out."""
        return apply(NORM, (self,), None, axis, keepdims)

    def logsumexp(self, axis: Any = None, keepdims: bool = False) -> Tensor:
        """out = log Σ exp(z) over ``axis``, without overflow;  dz = dout · softmax(z)."""
        return apply(LOGSUMEXP, (self,), axis, keepdims)

    def softmax(self, axis: int = 0) -> Tensor:
        """s = exp(z) / Σ exp(z) over ``axis`` (0: the classes of Z (K, m));
        dz = s (ds - Σ ds s)."""
        return apply(SOFTMAX, (self,), axis)

    def log_softmax(self, axis: int = 0) -> Tensor:
        """out = z - logsumexp(z) over ``axis``;  dz = dout - softmax(z) Σ dout."""
        return apply(LOG_SOFTMAX, (self,), axis)

    # --- shapes -------------------------------------------------------------------------

    def reshape(self, *shape: Any) -> Tensor:
        """out = x with a new shape, same entries;  dx = dout reshaped back."""
        if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
            shape = tuple(shape[0])
        return apply(RESHAPE, (self,), shape)

    def _reshaped(self, shape: tuple, name: str) -> Tensor:
        return apply(RESHAPE, (self,), shape, op=(name, None))

    def squeeze(self, axis: int | tuple[int, ...] | None = None) -> Tensor:
        """out = x without its axes of size 1 (or just ``axis``);  dx = dout reshaped back.

        ``squeeze(cost)`` turns the cost of shape (1, 1) into a number, as the course does.
        """
        return self._reshaped(squeezed(self, axis), "squeeze")

    def expand_dims(self, axis: Any, name: str = "expand_dims") -> Tensor:
        """out = x with new axes of size 1 at ``axis``;  dx = dout reshaped back."""
        return self._reshaped(expanded(self, axis, name), name)

    def unsqueeze(self, dim: int) -> Tensor:
        """out = x with a new axis of size 1 at ``dim``;  dx = dout reshaped back."""
        return self.expand_dims(dim, "unsqueeze")

    def flatten(self, start_dim: int = 0, end_dim: int = -1, name: str = "flatten") -> Tensor:
        """out = x with axes start_dim..end_dim merged into one;  dx = dout reshaped back."""
        return self._reshaped(flattened(self, start_dim, end_dim, name), name)

    def transpose(self, *axes: int | tuple[int, ...] | list[int]) -> Tensor:
        """out = xᵀ (axes reversed, or permuted as given);  dx = doutᵀ."""
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        return apply(TRANSPOSE, (self,), transpose_order(self, axes))

    @property
    def T(self) -> Tensor:
        """Aᵀ (all axes reversed, as numpy's ``.T``)."""
        return self.transpose()

    def __getitem__(self, index: Any) -> Tensor:
        """out = x[index] (numpy indexing);  dx = dout scattered back, repeats accumulated."""
        if type(index) is type(self):
            index = index._data
        return apply(INDEX, (self,), index)
