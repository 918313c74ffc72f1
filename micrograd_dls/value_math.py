"""The numbers a :class:`~micrograd_dls.value.Value` computes with: its operands as floats
(or a TypeError that says what to pass instead), and the float math where Python's
``math`` raises but IEEE, numpy and PyTorch give an answer (``0 ** -1 = inf``,
``log 0 = -inf``).

This module knows floats and the graph's node type (to refuse another node type as a
number); it never builds a node.
"""

from __future__ import annotations

import math
from numbers import Real
from typing import Any

from .checks import quote, shown
from .graph import Node

__all__ = ["checked_exp", "log", "number", "operand", "power", "power_value"]


def number(x: Any, what: str) -> float:
    """``x`` as a float, or a TypeError that says what was wrong and what to pass instead."""
    if type(x) is float:
        return x
    if isinstance(x, Node):  # a Tensor: as a number it would be a constant, its gradient lost
        kind = shown(type(x).__name__)
        raise TypeError(
            f"{what} is a {kind}: a Value and a {kind} do not share a graph, and reading "
            f"the {kind} as a number would silently cut it out of backward; mix node types "
            f"through their data, e.g. Value(t.item()) or {kind}(v.data)"
        )
    if isinstance(x, Real) and not isinstance(x, bool):
        try:
            return float(x)
        except OverflowError:  # an int past 1.8e308
            raise OverflowError(
                f"{what} = {quote(x)} is too large for a float (at most about 1.8e308); "
                "scale it down, or write it as a float such as 1e300"
            ) from None
    if hasattr(x, "shape") and getattr(x, "shape", None) == ():
        try:
            return float(x)  # a 0-d numpy array or numpy scalar
        except (TypeError, ValueError):
            pass
    kind = shown(type(x).__name__)
    if hasattr(x, "shape"):
        hint = (
            f"an array of shape {quote(x.shape)} is not a scalar; use Tensor for arrays, "
            "or pick one element"
        )
    elif isinstance(x, bool):
        hint = "a bool is not a number here; use 1.0 or 0.0"
    elif isinstance(x, str):
        hint = f"convert the string first, e.g. float({quote(x)})"
    elif x is None:
        hint = "None is not a number; give a float"
    else:
        hint = "give an int or a float"
    raise TypeError(f"{what} must be a number or a Value, got {kind}: {hint}")


def operand(x: Any, op: str) -> float:
    # The operators test `type(other) is float` themselves before calling this:
    # one Python call less on the hot path.
    return number(x, f"the other operand of '{op}'")


def checked_exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        raise OverflowError(
            f"exp({x}) overflows a float (the largest is about exp(709.78)); "
            "scale the input down, or use sigmoid/log-sum-exp forms that stay finite"
        ) from None


def _odd_integer(y: float) -> bool:
    return y % 2.0 == 1.0


def power(x: float, y: float) -> float:
    """x**y as C's pow (and so numpy, PyTorch and Tensor) computes it.

    0 ** negative is inf (-inf for -0.0 and an odd power), an overflow is ±inf
    (see :func:`power_value`), a negative base with an integer exponent is
    computed; a negative base with a fractional exponent is not a real number:
    nan, as PyTorch, numpy and Tensor give (``detect_anomaly`` stops at it).
    """
    try:
        out = x**y
    except ZeroDivisionError:  # 0 ** negative
        return math.copysign(math.inf, x) if _odd_integer(y) else math.inf
    except OverflowError:
        return -math.inf if x < 0.0 and _odd_integer(y) else math.inf
    if type(out) is complex:  # Python's answer for a negative base, fractional exponent
        return math.nan
    return out


def power_value(x: float, y: float) -> float:
    """x**y for the forward value: as :func:`power`, but a finite x**y too large for a
    float is an error (as for exp), while a derivative may overflow to ±inf."""
    out = power(x, y)
    if out in (math.inf, -math.inf) and x != 0.0 and math.isfinite(x) and math.isfinite(y):
        raise OverflowError(f"{x} ** {y} overflows a float; scale the base or the exponent down")
    return out


def log(x: float) -> float:
    """log x with IEEE's answers where math.log raises: log 0 = -inf, log of a negative = nan."""
    if x > 0.0:
        return math.log(x)
    return -math.inf if x == 0.0 else math.nan
