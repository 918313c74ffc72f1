"""The table of rules: how each Tensor operation passes the gradient back.

Given ``g = d root / d out``, each rule gives the gradient every input
receives (``dW = dZ·Aᵀ`` for ``Z = W @ A``), as a formula for people beside
the code. A node keeps a reference to its rule and a tuple of the arrays the
rule needs; no closure per node. Broadcasting is undone in one place,
:func:`unbroadcast`: ``b`` of shape ``(n, 1)`` added to ``W @ X`` of shape
``(n, m)`` receives ``sum(dZ, axis=1, keepdims=True)``.

This module knows numpy and nothing of nodes.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np


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
    if len(shape) == 2 and shape[1] == 1 and g.ndim == 2 and shape[0] == g.shape[0]:
        return np.add.reduce(g, axis=1, keepdims=True)  # the bias b (n, 1): db = Σ dZ, axis 1
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


def _pow_dx(g: np.ndarray, x: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
    """y x^(y-1), taken as 0 where y = 0 (PyTorch's rule: x**0 = 1 is flat, even at 0)."""
    return np.where(y == 0, 0.0, g * y * x ** (y - 1))


def _pow_dy(g: np.ndarray, x: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out log x, taken as 0 where x = 0 and y >= 0 (PyTorch's rule; -inf for y < 0)."""
    return np.where((x == 0) & (y >= 0), 0.0, g * out * np.log(x))


POW = _Rule(  # out = x ** y
    (_pow_dx, _pow_dy),
    ("d{0} = d{out} * {1} * {0}**({1} - 1)", "d{1} = d{out} * {out} * log {0}"),
    broadcasts=True,
)


# With an inner dimension of 1 the product is an outer product: a broadcast multiply
# computes the same single products faster than BLAS's general routine (one output
# unit: dA[L-1] = W[L]ᵀ·dZ[L]).
def _matmul_dx(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return g * y.T if g.shape[1] == 1 else g @ y.T


def _matmul_dy(g: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return x.T * g if x.shape[0] == 1 else x.T @ g


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
def _c_pow_dx(g: np.ndarray, x: np.ndarray | None, out: np.ndarray, c: float) -> np.ndarray:
    """out log c; for c = 0, PyTorch's 0 where x >= 0 (and -inf where 0**x = inf)."""
    if c > 0:
        return g * out * math.log(c)
    if c == 0:
        return np.where(x >= 0, 0.0, g * out * -math.inf)
    return g * out * math.nan  # log c is not real


C_POW = _Rule(  # out = c ** x
    (_c_pow_dx,), ("d{0} = d{out} * {out} * log {c}",), broadcasts=True
)
NEG = _Rule((_negate,), ("d{0} = -d{out}",), lambda c: (-1.0,), True)

def _sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^-z), the course's formula.

    Where e^-z overflows (z below about -709 in float64, -88 in float32) it is inf and σ
    its limit 0, without numpy's warning; σ(+inf) = 1, σ(-inf) = 0 and NaN gives NaN.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


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
    if axis is None:  # the full sum: one number to spread
        return np.full(shape, g, dtype=g.dtype)
    return np.broadcast_to(np.expand_dims(g, axis), shape).copy()


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
    """Ties share the gradient equally (the subgradient PyTorch's amax uses); where the
    maximum is NaN, the NaN entries share it (as PyTorch's max)."""
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    hit = x == top
    if np.isnan(top).any():
        hit |= np.isnan(x) & np.isnan(top)
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

#: Operations whose result may be a view of the input's array: writing into the
#: input also changes the result (the version check looks through them).
VIEWS = frozenset((RESHAPE, TRANSPOSE, INDEX))


# The cost J = -(1/m) Σ (Y log A + (1-Y) log(1-A)), m = number of columns.
def _bce_da(g: np.ndarray, a: np.ndarray, y: np.ndarray, m: int) -> np.ndarray:
    # a(1-a) floored as PyTorch's BCELoss does: finite when A is exactly 0 or 1.
    return (a - y) * (float(g) / m) / np.maximum(a * (1.0 - a), 1e-12)


def _bce_dy(g: np.ndarray, a: np.ndarray, y: np.ndarray, m: int) -> np.ndarray:
    # -logit(A), not floored, as PyTorch: +inf at A = 0, -inf at A = 1
    return (np.log1p(-a) - np.log(a)) * (float(g) / m)


BCE = _Rule(
    (_bce_da, _bce_dy),
    ("d{0} = (1/m)({0} - {1}) / ({0}(1 - {0}))", "d{1} = (1/m)(log(1 - {0}) - log {0})"),
)
# From logits: J = (1/m) Σ (softplus(Z) - Y Z), and σ(Z) = exp(Z - softplus(Z)) never
# overflows; where some Z is not finite the forward pass saved no softplus.
def _bce_logits_dz(g: np.ndarray, z: np.ndarray, y: np.ndarray, softplus, m: int) -> np.ndarray:
    a = _sigmoid(z) if softplus is None else np.exp(z - softplus)
    return (a - y) * (float(g) / m)


BCE_LOGITS = _Rule(
    (_bce_logits_dz, lambda g, z, y, softplus, m: z * (-float(g) / m)),
    ("d{0} = (1/m)(σ({0}) - {1})", "d{1} = -(1/m) {0}"),
)


# --- the operations numpy's functions and PyTorch's names add (forwards in .ops, .functions)


def _tie_share(g: np.ndarray, x: np.ndarray, y: Any, out: np.ndarray) -> np.ndarray:
    """The part of g that x receives in out = maximum(x, y) (or minimum): all of it
    where x alone is the answer, half where x and y tie (PyTorch's rule)."""
    return g * ((x == out) * np.where(x == y, 0.5, 1.0))


MAXIMUM = _Rule(  # out = maximum(x, y), also minimum(x, y): the chosen operand gets dout
    (lambda g, x, y, out: _tie_share(g, x, y, out), lambda g, x, y, out: _tie_share(g, y, x, out)),
    ("d{0} = d{out} where {0} was chosen", "d{1} = d{out} where {1} was chosen"),
    broadcasts=True,
)
MAXIMUM_C = _Rule(  # out = maximum(x, c), also minimum(x, c), with a number c
    # The number wins a tie: relu(Z) = maximum(0, Z) has relu'(0) = 0, as the course's
    # relu_backward (dZ[Z <= 0] = 0) and Tensor.relu.
    (lambda g, x, c, out: g * ((x == out) & (x != c)),),
    ("d{0} = d{out} where {0} was chosen over {c}",),
    broadcasts=True,
)
WHERE = _Rule(  # out = where(cond, x, y)
    (lambda g, cond: g * cond, lambda g, cond: g * ~cond),
    ("d{0} = d{out} where cond", "d{1} = d{out} where not cond"),
    broadcasts=True,
)
LOG1P = _Rule((lambda g, x: g / (1.0 + x),), ("d{0} = d{out} / (1 + {0})",), broadcasts=True)
SIGN = _Rule((lambda g: np.zeros_like(g),), ("d{0} = 0",), lambda c: (0.0,), True)
COPY = _Rule((_pass,), ("d{0} = d{out}",), lambda c: (1.0,))

MIN = _Rule((_max_vjp,), ("d{0} = d{out} where {0} is the min, else 0",))


def _var_vjp(g: np.ndarray, centred: np.ndarray, axis: Any, keepdims: bool, dof: int):
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    return g * centred * (2.0 / dof)


def _std_vjp(g, centred, axis, keepdims, dof, sigma):
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
        sigma = np.expand_dims(sigma, axis)
    # where σ = 0 every x - μ is 0 too: the subgradient 0, not 0/0
    scale = np.divide(g, dof * sigma, out=np.zeros(np.broadcast_shapes(g.shape, sigma.shape),
                                                  dtype=centred.dtype), where=sigma != 0)
    return centred * scale


VAR = _Rule(  # out = (1/(n - ddof)) Σ (x - μ)²
    (_var_vjp,), ("d{0} = d{out} · 2({0} - μ) / (n - ddof)",)
)
STD = _Rule(  # out = √var
    (_std_vjp,), ("d{0} = d{out} · ({0} - μ) / ((n - ddof) {out})",)
)


def _norm_vjp(g, x, norm, axis, keepdims):
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
        norm = np.expand_dims(norm, axis)
    # at x = 0 the subgradient 0 (PyTorch's choice), not 0/0
    scale = np.divide(g, norm, out=np.zeros(np.broadcast_shapes(g.shape, norm.shape),
                                            dtype=x.dtype), where=norm != 0)
    return x * scale


NORM = _Rule((_norm_vjp,), ("d{0} = d{out} · {0} / ‖{0}‖",))


def _piece(g: np.ndarray, axis: int, lo: int, hi: int, squeeze: bool) -> np.ndarray:
    part = g[(slice(None),) * axis + (slice(lo, hi),)]
    return part.squeeze(axis) if squeeze else part


_JOINS: dict[tuple[int, bool], _Rule] = {}


def join_rule(n: int, stacked: bool) -> _Rule:
    """The rule of concatenate (or stack) of n inputs: input i gets its own slice of dout.

    One rule per number of inputs, made once and kept (no closure per node).
    """
    rule = _JOINS.get((n, stacked))
    if rule is None:
        vjps = tuple(partial(_join_vjp, i) for i in range(n))
        texts = tuple(
            f"d{{{i}}} = d{{out}}[{i}]" if stacked else f"d{{{i}}} = d{{out}}[the part of {{{i}}}]"
            for i in range(n)
        )
        rule = _JOINS[(n, stacked)] = _Rule(vjps, texts)
    return rule


def _join_vjp(i: int, g: np.ndarray, bounds: tuple[int, ...], axis: int, stacked: bool):
    return _piece(g, axis, bounds[i], bounds[i + 1], stacked)


# Softmax over an axis (the course's classes are rows: Z of shape (K, m), axis 0).
def _softmax_vjp(g: np.ndarray, s: np.ndarray, axis: int) -> np.ndarray:
    return s * (g - (g * s).sum(axis=axis, keepdims=True))


def _log_softmax_vjp(g: np.ndarray, ls: np.ndarray, axis: int) -> np.ndarray:
    return g - np.exp(ls) * g.sum(axis=axis, keepdims=True)


def _logsumexp_vjp(g, x, out, axis, keepdims):
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
        out = np.expand_dims(out, axis)
    return g * np.exp(x - out)


SOFTMAX = _Rule((_softmax_vjp,), ("d{0} = {out} * (d{out} - Σ d{out} * {out})",))
LOG_SOFTMAX = _Rule((_log_softmax_vjp,), ("d{0} = d{out} - softmax({0}) Σ d{out}",))
LOGSUMEXP = _Rule((_logsumexp_vjp,), ("d{0} = d{out} · softmax({0})",))
# J = -(1/m) Σ Y log softmax(Z): dZ = (1/m)(softmax(Z) Σ_k Y - Y), dY = -(1/m) log softmax(Z)
CROSS_ENTROPY = _Rule(
    (
        lambda g, ls, y, m: (np.exp(ls) * y.sum(axis=0, keepdims=True) - y) * (float(g) / m),
        lambda g, ls, y, m: ls * (-float(g) / m),
    ),
    ("d{0} = (1/m)(softmax({0}) - {1})", "d{1} = -(1/m) log softmax({0})"),
)
