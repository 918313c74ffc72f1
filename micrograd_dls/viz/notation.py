"""How pictures write numbers, shapes, operations and local derivatives.

Pure text, no Graphviz: ``u = b·c``, ``∂u/∂b = c``, ``(4, 400)``. An operation
the user wrote as one symbol is written with that symbol; an operation this
table does not know is written as a function call, ``op(x, y)``. The text of a
local derivative is the node type's own (``value.py`` keeps it beside each
operation); this module only fills in the operands' names. It never reads a
graph.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

__all__ = ["Operand", "expression", "local_derivative", "number", "shape_text"]

# Binding strength, loosest first: a weaker operand is put in parentheses.
SUM, PRODUCT, UNARY, POWER, ATOM = 1, 2, 3, 4, 5

_INFIX = {
    "+": (" + ", SUM),
    "-": (" - ", SUM),
    "*": ("·", PRODUCT),
    "/": ("/", PRODUCT),
    "@": ("·", PRODUCT),
    "**": ("^", POWER),
}
_FUNCTION_NAMES = {"sigmoid": "σ"}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")

#: The small symbol drawn in an operation's own node.
OP_SYMBOLS = {
    "+": "+", "-": "−", "*": "×", "/": "÷", "**": "^", "@": "·", "neg": "−", "sigmoid": "σ",
    "transpose": "ᵀ",
}


def number(x: Any) -> str:
    """A value as the lecture writes it: ``33``, ``0.6931``, ``-1.5e-05``."""
    if type(x) is not float:
        x = float(x if isinstance(x, int | float) else x.item())
    if x == 0.0:
        return "0"  # also for -0.0
    return f"{x:.4g}"


def shape_text(shape: tuple[int, ...]) -> str:
    """``(4, 400)``; ``(3,)`` for a rank-1 array."""
    return "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"


@dataclass(frozen=True)
class Operand:
    """One argument of an operation as text: a name, an expression or a number."""

    text: str
    strength: int = ATOM
    value: float | None = None  # set for a number operand (a constant)

    def __format__(self, spec: str) -> str:
        """The text where a derivative's text names this operand: ``{y}`` as it is,
        ``{y:atom}`` as one token, ``{y:power}`` as the base or exponent of a power,
        ``{x:^2.0}`` raised to that power (``x²``)."""
        if not spec:
            return self.text
        if spec[0] == "^":
            return _power_of(self, float(spec[1:]))
        return _wrap(self, _STRENGTHS[spec])

    @classmethod
    def of_number(cls, c: Any) -> Operand:
        value = float(c if isinstance(c, int | float) else c.item())  # also a (1, 1) array
        text = number(value)
        # A negative number reads best in parentheses next to any operator: x·(-1).
        return cls(text, 0 if text.startswith("-") else ATOM, value)


_STRENGTHS = {"atom": ATOM, "power": POWER}


def _wrap(x: Operand, at_least: int) -> str:
    return x.text if x.strength >= at_least else f"({x.text})"


def wrapped(x: Operand) -> str:
    """``x`` as one token: in parentheses unless it is a name or a call."""
    return _wrap(x, ATOM)


def expression(op: str, args: list[Operand]) -> Operand:
    """The operation written out: ('*', [b, c]) -> ``b·c``; ('tanh', [z]) -> ``tanh(z)``."""
    if op in _INFIX and len(args) == 2:
        symbol, strength = _INFIX[op]
        x, y = args
        if op == "**":
            if y.value is not None and 0 <= y.value < 10 and y.value == int(y.value):
                return Operand(_wrap(x, ATOM) + str(int(y.value)).translate(_SUPERSCRIPT), POWER)
            return Operand(f"{_wrap(x, ATOM)}^{_wrap(y, POWER)}", POWER)
        # Left-associative: the right operand of - and / needs parentheses at equal
        # strength; a right operand with its own minus sign always does (x - (-a)).
        right = strength + 1 if op in ("-", "/") else strength
        if y.text.startswith("-"):
            right = ATOM + 1
        return Operand(f"{_wrap(x, strength)}{symbol}{_wrap(y, right)}", strength)
    if op == "linear" and len(args) == 3:  # Z = W A + b as one operation
        product = expression("@", args[:2])
        return expression("+", [product, args[2]])
    if op == "neg" and len(args) == 1:
        return Operand("-" + _wrap(args[0], POWER), UNARY)
    if op == "transpose" and len(args) == 1:  # Aᵀ, as the lecture writes it
        return Operand(_wrap(args[0], ATOM) + "ᵀ", POWER)
    name = _FUNCTION_NAMES.get(op, op)
    return Operand(f"{name}({', '.join(a.text for a in args)})", ATOM)


def _power_of(x: Operand, n: float) -> str:
    """x^n with a number n, for the derivative of x**n."""
    if n == 1.0:
        return x.text
    if math.isfinite(n) and n == int(n) and -10 < n < 10:
        return _wrap(x, ATOM) + str(int(n)).translate(_SUPERSCRIPT)
    return f"{_wrap(x, ATOM)}^{number(n)}"


def local_derivative(text: str, args: list[Operand], out: Operand) -> str | None:
    """d out / d input in symbols -- ``c`` for u = b·c -- from the text a node gives
    for that edge (``graph.edge_rules``): a Value's is written over the operation's
    arguments ``{x}``, ``{y}`` and its result ``{out}`` (``1/{y:atom}``), filled in
    here with the picture's names. None where there is no such text: '' (a sum's 1
    says it all) or a tensor's rule, an equation (``dW = dZ·Aᵀ``) and no derivative.
    """
    if not text or " = " in text:
        return None
    return text.format(x=args[0], y=args[1] if len(args) > 1 else None, out=out)


def partial(out: Operand, x: Operand) -> str:
    """``∂u/∂b``."""
    return f"∂{_wrap(out, ATOM)}/∂{_wrap(x, ATOM)}"


def gradient_name(name: Operand) -> str:
    """The lecture's ``dvar``: ``dv``, ``dW[1]``, ``d(b·c)``, ``d(log(w))``."""
    plain = name.strength >= ATOM and "(" not in name.text
    return f"d{name.text}" if plain else f"d({name.text})"
