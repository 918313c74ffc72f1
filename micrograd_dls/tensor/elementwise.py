"""Elementwise operations: arithmetic, the course's activations, and the functions of one
entry (``exp``, ``log``, ``maximum``, ``where``, ...).

Each operation is one :class:`~.rule.Rule`: its forward, its vector-Jacobian
products and their text side by side. Inputs may have been broadcast against
each other; the chain rule sums each gradient back to its input's shape
(:func:`~.rule.unbroadcast`), so no rule here has to. An operation with a
number operand (``3 * v``, ``Z - 1``) gives that number no node of its own:
the rule takes it as a parameter ``c``. This module knows numpy and the rule;
the Tensor class applies the rules (:mod:`.tensor`).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .rule import Rule, negated, passed

__all__ = ["sigmoid_of"]

# --- arithmetic between two tensors: out = x op y ------------------------------------------

# out = x + y;  dx = dout, dy = dout
ADD = Rule(
    "+", lambda x, y: (x._data + y._data, ()), (passed, passed),
    ("d{0} = d{out}", "d{1} = d{out}"), lambda c: (1.0, 1.0), True,
)

# out = x - y;  dx = dout, dy = -dout
SUB = Rule(
    "-", lambda x, y: (x._data - y._data, ()), (passed, negated),
    ("d{0} = d{out}", "d{1} = -d{out}"), lambda c: (1.0, -1.0), True,
)


# out = x * y;  dx = dout * y, dy = dout * x
def _mul(x: Any, y: Any) -> tuple[np.ndarray, tuple]:
    a, b = x._data, y._data
    return a * b, (a, b)


MUL = Rule(
    "*", _mul, (lambda g, x, y: g * y, lambda g, x, y: g * x),
    ("d{0} = d{out} * {1}", "d{1} = d{out} * {0}"), broadcasts=True,
)


# out = x / y;  dx = dout / y, dy = -dout * out / y
def _div(x: Any, y: Any) -> tuple[np.ndarray, tuple]:
    out = x._data / y._data
    return out, (y._data, out)


DIV = Rule(
    "/", _div, (lambda g, y, out: g / y, lambda g, y, out: -g * out / y),
    ("d{0} = d{out} / {1}", "d{1} = -d{out} * {out} / {1}"), broadcasts=True,
)


# out = x ** y;  dx = dout * y x^(y-1), dy = dout * out log x
def _pow(x: Any, y: Any) -> tuple[np.ndarray, tuple]:
    a, b = x._data, y._data
    out = a**b
    return out, (a, b, out)


def _pow_dx(g: np.ndarray, x: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
    """y x^(y-1), taken as 0 where y = 0 (PyTorch's rule: x**0 = 1 is flat, even at 0)."""
    return np.where(y == 0, 0.0, g * y * x ** (y - 1))


def _pow_dy(g: np.ndarray, x: np.ndarray, y: np.ndarray, out: np.ndarray) -> np.ndarray:
    """out log x, taken as 0 where x = 0 and y >= 0 (PyTorch's rule; -inf for y < 0)."""
    return np.where((x == 0) & (y >= 0), 0.0, g * out * np.log(x))


POW = Rule(
    "**", _pow, (_pow_dx, _pow_dy),
    ("d{0} = d{out} * {1} * {0}**({1} - 1)", "d{1} = d{out} * {out} * log {0}"),
    broadcasts=True,
)

# --- arithmetic with a number c, which gets no node --------------------------------------

# out = x + c (or c + x);  dx = dout
ADD_C = Rule(
    "+", lambda x, c: (x._data + c, ()), (passed,), ("d{0} = d{out}",), lambda c: (1.0,), True
)
# out = x - c;  dx = dout
SUB_C = Rule(
    "-", lambda x, c: (x._data - c, ()), (passed,), ("d{0} = d{out}",), lambda c: (1.0,), True
)
# out = c - x;  dx = -dout
C_SUB = Rule(
    "-", lambda x, c: (c - x._data, ()), (negated,), ("d{0} = -d{out}",), lambda c: (-1.0,),
    True,
)
# out = x * c (or c * x);  dx = c * dout
MUL_C = Rule(
    "*", lambda x, c: (x._data * c, (c,)), (lambda g, c: g * c,), ("d{0} = {c} * d{out}",),
    lambda c: (c,), True,
)
# out = x / c;  dx = dout / c
DIV_C = Rule(
    "/", lambda x, c: (x._data / c, (c,)), (lambda g, c: g / c,), ("d{0} = d{out} / {c}",),
    lambda c: (1.0 / c,), True,
)


# out = c / x;  dx = -dout * out / x
def _c_div(x: Any, c: Any) -> tuple[np.ndarray, tuple]:
    out = c / x._data
    return out, (x._data, out)


C_DIV = Rule(
    "/", _c_div, (lambda g, x, out: -g * out / x,), ("d{0} = -d{out} * {out} / {0}",),
    broadcasts=True,
)
# out = x ** c;  dx = dout * c x^(c-1)  (0 for c = 0: x**0 = 1 is flat)
POW_C = Rule(
    "**", lambda x, c: (x._data**c, (x._data, c)),
    (lambda g, x, c: g * c * x ** (c - 1) if c != 0 else np.zeros_like(g),),
    ("d{0} = d{out} * {c} * {0}**({c} - 1)",), broadcasts=True,
)


# out = c ** x;  dx = dout * out log c
def _c_pow(x: Any, c: Any) -> tuple[np.ndarray, tuple]:
    out = np.power(c, x._data)
    return out, (x._data if c == 0.0 else None, out, c)  # the rule reads x only for c = 0


def _c_pow_dx(g: np.ndarray, x: np.ndarray | None, out: np.ndarray, c: float) -> np.ndarray:
    """out log c; for c = 0, PyTorch's 0 where x >= 0 (and -inf where 0**x = inf)."""
    if c > 0:
        return g * out * math.log(c)
    if c == 0:
        return np.where(x >= 0, 0.0, g * out * -math.inf)  # type: ignore[operator]  # saved for c = 0
    return g * out * math.nan  # log c is not real


C_POW = Rule("**", _c_pow, (_c_pow_dx,), ("d{0} = d{out} * {out} * log {c}",), broadcasts=True)

# out = -x;  dx = -dout
NEG = Rule(
    "neg", lambda x: (-x._data, ()), (negated,), ("d{0} = -d{out}",), lambda c: (-1.0,), True
)

# --- functions of x: the derivative uses the saved input x or, cheaper, the result a ------


def _exp(x: Any) -> tuple[np.ndarray, tuple]:
    a = np.exp(x._data)
    return a, (a,)


# a = eˣ;  dx = dout * a
EXP = Rule("exp", _exp, (lambda g, a: g * a,), ("d{0} = d{out} * {out}",), broadcasts=True)
# a = log x;  dx = dout / x
LOG = Rule(
    "log", lambda x: (np.log(x._data), (x._data,)), (lambda g, x: g / x,),
    ("d{0} = d{out} / {0}",), broadcasts=True,
)
# a = log(1 + x), exact for small x;  dx = dout / (1 + x)
LOG1P = Rule(
    "log1p", lambda x: (np.log1p(x._data), (x._data,)), (lambda g, x: g / (1.0 + x),),
    ("d{0} = d{out} / (1 + {0})",), broadcasts=True,
)


def _sqrt(x: Any) -> tuple[np.ndarray, tuple]:
    a = np.sqrt(x._data)
    return a, (a,)


# a = √x;  dx = dout / (2a)
SQRT = Rule("sqrt", _sqrt, (lambda g, a: g * 0.5 / a,), ("d{0} = d{out} / (2 {out})",),
            broadcasts=True)
# a = |x|;  dx = dout * sign(x) (0 at x = 0)
ABS = Rule(
    "abs", lambda x: (np.abs(x._data), (x._data,)), (lambda g, x: g * np.sign(x),),
    ("d{0} = d{out} * sign({0})",), broadcasts=True,
)
# a = sign(x);  dx = 0 (as PyTorch)
SIGN = Rule(
    "sign", lambda x: (np.sign(x._data), ()), (lambda g: np.zeros_like(g),), ("d{0} = 0",),
    lambda c: (0.0,), True,
)
# out = x, a new array in the graph;  dx = dout
COPY = Rule(
    "copy", lambda x: (x._data.copy(), ()), (passed,), ("d{0} = d{out}",), lambda c: (1.0,)
)

# --- the course's activations ------------------------------------------------------------


def _tanh(x: Any) -> tuple[np.ndarray, tuple]:
    a = np.tanh(x._data)
    return a, (a,)


# A = tanh(Z);  dZ = dA * (1 - A²)
TANH = Rule(
    "tanh", _tanh, (lambda g, a: g * (1.0 - a * a),), ("d{0} = d{out} * (1 - {out}²)",),
    broadcasts=True,
)


def sigmoid_of(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^-z), the course's formula.

    Where e^-z overflows (z below about -709 in float64, -88 in float32) it is inf and σ
    its limit 0, without numpy's warning; σ(+inf) = 1, σ(-inf) = 0 and NaN gives NaN.
    """
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-z))


def _sigmoid(x: Any) -> tuple[np.ndarray, tuple]:
    a = sigmoid_of(x._data)
    return a, (a,)


# A = σ(Z);  dZ = dA * A(1 - A)
SIGMOID = Rule(
    "sigmoid", _sigmoid, (lambda g, a: g * a * (1.0 - a),),
    ("d{0} = d{out} * {out}(1 - {out})",), broadcasts=True,
)


def _relu(x: Any) -> tuple[np.ndarray, tuple]:
    a = np.maximum(x._data, 0.0)
    return a, (a,)


# A = max(0, Z);  dZ = dA where Z > 0, else 0: the course's relu_backward (dZ[Z <= 0] = 0),
# so relu'(0) = 0; where Z is NaN the gradient passes, as relu_backward and PyTorch leave it
RELU = Rule("relu", _relu, (lambda g, a: np.where(a <= 0, 0.0, g),),
            ("d{0} = d{out} * ({0} > 0)",), broadcasts=True)


def _leaky_relu(x: Any, slope: Any) -> tuple[np.ndarray, tuple]:
    z = x._data
    return np.where(z > 0, z, slope * z), (z, slope)


# A = max(slope·Z, Z);  dZ = dA * (1 if Z > 0 else slope)
LEAKY_RELU = Rule(
    "leaky_relu", _leaky_relu, (lambda g, x, slope: g * np.where(x > 0, 1.0, slope),),
    ("d{0} = d{out} * (1 if {0} > 0 else {c})",), broadcasts=True,
)


def _clip(x: Any, lo: Any, hi: Any) -> tuple[np.ndarray, tuple]:
    return np.clip(x._data, lo, hi), (x._data, lo, hi)


def _inside(x: np.ndarray, lo: float | None, hi: float | None) -> np.ndarray:
    inside = np.ones(x.shape, dtype=bool)
    if lo is not None:
        inside &= x >= lo
    if hi is not None:
        inside &= x <= hi
    return inside


# a = min(max(x, lo), hi);  dx = dout where lo <= x <= hi, else 0
CLIP = Rule(
    "clip", _clip, (lambda g, x, lo, hi: g * _inside(x, lo, hi),),
    ("d{0} = d{out} * (lo <= {0} <= hi)",),
)

# --- choosing between operands ----------------------------------------------------------


def _tie_share(g: np.ndarray, x: np.ndarray, y: Any, out: np.ndarray) -> np.ndarray:
    """The part of g that x receives in out = maximum(x, y) (or minimum): all of it
    where x alone is the answer, half where x and y tie (PyTorch's rule)."""
    return g * ((x == out) * np.where(x == y, 0.5, 1.0))


def _extremum(x: Any, y: Any, f: np.ufunc) -> tuple[np.ndarray, tuple]:
    a, b = x._data, y._data
    out = f(a, b)
    return out, (a, b, out)


# out = maximum(x, y) (or minimum) of two tensors;  the chosen operand gets dout, half each
# at a tie (PyTorch's rule)
MAXIMUM = Rule(
    "maximum", _extremum,
    (lambda g, x, y, out: _tie_share(g, x, y, out), lambda g, x, y, out: _tie_share(g, y, x, out)),
    ("d{0} = d{out} where {0} was chosen", "d{1} = d{out} where {1} was chosen"),
    broadcasts=True,
)


def _extremum_c(x: Any, c: Any, f: np.ufunc) -> tuple[np.ndarray, tuple]:
    out = f(x._data, c)
    return out, (x._data, c, out)


# out = maximum(x, c) (or minimum) with a number c;  dx = dout where x alone was chosen:
# the number wins a tie, so relu(Z) = maximum(0, Z) has relu'(0) = 0, as the course's
# relu_backward (dZ[Z <= 0] = 0) and Tensor.relu
MAXIMUM_C = Rule(
    "maximum", _extremum_c, (lambda g, x, c, out: g * ((x == out) & (x != c)),),
    ("d{0} = d{out} where {0} was chosen over {c}",), broadcasts=True,
)


def _where(x: Any, y: Any, cond: np.ndarray) -> tuple[np.ndarray, tuple]:
    return np.where(cond, x._data, y._data), (cond,)


# out = where(cond, x, y);  dx = dout where cond, dy = dout where not cond
WHERE = Rule(
    "where", _where, (lambda g, cond: g * cond, lambda g, cond: g * ~cond),
    ("d{0} = d{out} where cond", "d{1} = d{out} where not cond"), broadcasts=True,
)
