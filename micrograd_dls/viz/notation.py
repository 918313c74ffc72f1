"""How pictures write numbers, shapes, operations and local derivatives.

Pure text, no Graphviz: ``u = b·c``, ``∂u/∂b = c``, ``(4, 400)``. An operation
the user wrote as one symbol is written with that symbol; an operation this
table does not know is written as a function call, ``op(x, y)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Operand", "derivative_formula", "expression", "number", "shape_text"]

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

    @classmethod
    def of_number(cls, c: Any) -> Operand:
        text = number(c)
        # A negative number reads best in parentheses next to any operator: x·(-1).
        return cls(text, 0 if text.startswith("-") else ATOM, float(c))


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
            if y.value is not None and y.value == int(y.value) and 0 <= y.value < 10:
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
    if n == int(n) and -10 < n < 10:
        return _wrap(x, ATOM) + str(int(n)).translate(_SUPERSCRIPT)
    return f"{_wrap(x, ATOM)}^{number(n)}"


def derivative_formula(op: str, args: list[Operand], position: int, out: Operand) -> str | None:
    """∂out/∂(argument ``position``) in symbols -- ``c`` for u = b·c -- when that says more
    than the number alone; None otherwise (a sum's 1, a constant factor's 3)."""
    x = args[position]
    others = [a for i, a in enumerate(args) if i != position]
    other = others[0] if others else None
    if op == "*" and other is not None and other.value is None:
        return other.text
    if op == "/" and len(args) == 2:
        num, den = args
        if position == 0:
            return None if den.value is not None else f"1/{_wrap(den, ATOM)}"
        return f"-{_wrap(num, POWER)}/{_wrap(den, ATOM)}²"
    if op == "**" and len(args) == 2:
        base, exponent = args
        if position == 0:
            if exponent.value is None:
                return f"{_wrap(exponent, POWER)}·{_wrap(base, ATOM)}^({exponent.text} - 1)"
            n = exponent.value
            if n in (0.0, 1.0):
                return None
            return f"{number(n)}·{_power_of(base, n - 1.0)}"
        return f"{_wrap(out, POWER)}·log {_wrap(base, ATOM)}"
    one = _ONE_ARGUMENT.get(op)
    if one is not None and len(args) == 1:
        return one(x, out)
    return None


# d out / dx of the functions of one argument, from x and out
_ONE_ARGUMENT: dict[str, Callable[[Operand, Operand], str]] = {
    "exp": lambda x, out: f"exp({x.text})",
    "log": lambda x, out: f"1/{_wrap(x, ATOM)}",
    "tanh": lambda x, out: f"1 - {_wrap(out, ATOM)}²",
    "sigmoid": lambda x, out: f"{_wrap(out, POWER)}·(1 - {out.text})",
    "relu": lambda x, out: f"[{x.text} > 0]",
}


def partial(out: Operand, x: Operand) -> str:
    """``∂u/∂b``."""
    return f"∂{_wrap(out, ATOM)}/∂{_wrap(x, ATOM)}"


def gradient_name(name: Operand) -> str:
    """The lecture's ``dvar``: ``dv``, ``dW[1]``, ``d(b·c)``, ``d(log(w))``."""
    plain = name.strength >= ATOM and "(" not in name.text
    return f"d{name.text}" if plain else f"d({name.text})"
