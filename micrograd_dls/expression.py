"""A scalar computation graph from text: ``"u = b*c; v = a + u; J = 3*v"`` with a=5, b=3, c=2.

The text is parsed with :mod:`ast` and walked against a whitelist -- numbers,
names, ``+ - * / **``, unary minus and the functions exp, log, tanh, sigmoid,
relu -- and never evaluated by Python, so nothing else (attributes, other
calls, imports) can run. Every assignment names the node it makes, so the
drawn graph carries the user's own names. Every mistake is one line that
quotes the offending token and gives its column.
"""

from __future__ import annotations

import ast
import keyword
import math
import re
import unicodedata
import warnings
from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any

from . import graph
from .checks import quote, shown
from .graph import no_grad
from .value import Value

__all__ = ["FUNCTIONS", "ExpressionError", "build", "parse_values"]

#: The functions an expression may call, each with one argument.
FUNCTIONS = ("exp", "log", "tanh", "sigmoid", "relu")

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}

# What to call a rejected piece of syntax in an error message.
_KIND = {
    ast.Attribute: "attribute access",
    ast.Subscript: "indexing",
    ast.Compare: "a comparison",
    ast.BoolOp: "'and'/'or'",
    ast.IfExp: "'if ... else'",
    ast.Lambda: "lambda",
    ast.List: "a list",
    ast.Tuple: "a tuple",
    ast.Dict: "a dict",
    ast.Set: "a set",
    ast.Starred: "'*' unpacking",
    ast.NamedExpr: "':='",
    ast.JoinedStr: "an f-string",
    ast.ListComp: "a comprehension",
    ast.SetComp: "a comprehension",
    ast.DictComp: "a comprehension",
    ast.GeneratorExp: "a comprehension",
    ast.Await: "await",
    ast.Yield: "'yield'",
    ast.YieldFrom: "'yield'",
    ast.Import: "import",
    ast.ImportFrom: "import",
    ast.AugAssign: "augmented assignment",
    ast.AnnAssign: "an annotated assignment",
    ast.If: "'if'",
    ast.For: "a loop",
    ast.AsyncFor: "a loop",
    ast.While: "a loop",
    ast.FunctionDef: "'def'",
    ast.AsyncFunctionDef: "'def'",
    ast.ClassDef: "'class'",
    ast.Return: "'return'",
    ast.Delete: "'del'",
    ast.With: "'with'",
    ast.AsyncWith: "'with'",
    ast.Try: "'try'",
    ast.Raise: "'raise'",
    ast.Assert: "'assert'",
    ast.Global: "'global'",
    ast.Nonlocal: "'nonlocal'",
}


class ExpressionError(ValueError):
    """A mistake in an expression or in its input values, told in one line."""


def parse_values(items: Iterable[str]) -> dict[str, float]:
    """``["a=5", "b=3"]`` -> ``{"a": 5.0, "b": 3.0}``: the value of each input name."""
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise TypeError(
            f"parse_values takes a list of 'name=number' strings, got {shown(type(items).__name__)}"
        )
    values: dict[str, float] = {}
    for item in items:
        if not isinstance(item, str):
            raise TypeError(
                f"an input value must be a 'name=number' string, got {shown(type(item).__name__)} "
                f"{quote(item)}"
            )
        name, sep, text = item.partition("=")
        name, text = name.strip(), text.strip()
        it = quote(item)
        if not sep or not name or not text:
            raise ExpressionError(f"{it} is not an input value; write name=number, e.g. a=5")
        if not name.isidentifier():
            raise ExpressionError(f"{it}: {quote(name)} is not a valid name (letters, digits, _)")
        if keyword.iskeyword(name):
            raise ExpressionError(f"{it}: {name} is a Python keyword; give the input another name")
        if name in FUNCTIONS:
            raise ExpressionError(f"{it}: {name} is a function; give the input another name")
        name = _python_name(name)
        try:
            number = float(text)
        except ValueError:
            if "=" in text:
                raise ExpressionError(f"{it}: give each value as its own argument: a=5 b=3") \
                    from None
            raise ExpressionError(f"{it}: {quote(text)} is not a number") from None
        if not math.isfinite(number):
            raise ExpressionError(f"{it}: give a finite number")
        if name in values:
            raise ExpressionError(
                f"{shown(name)} is given twice ({shown(name)}={values[name]:g} and {shown(item)})"
            )
        values[name] = number
    return values


def build(source: str, values: Mapping[str, float | Value]) -> Value:
    """J = f(inputs): the graph of the assignments in ``source``; returns the last one's node.

    ``source`` holds assignments separated by ``;`` or newlines
    (``"u = b*c; v = a + u; J = 3*v"``); the last may be a bare expression.
    Each assigned name labels its node; every other name is an input and
    needs a value in ``values``: a number (its leaf gets the name as label) or
    a ``Value`` to build on.

    Raises ExpressionError for a mistake in the text or in a value (one line,
    pointing at the offending token), TypeError when ``source`` is not a str or
    ``values`` not a mapping of names to numbers.
    """
    if not isinstance(source, str):
        hint = "; decode it first, e.g. source.decode()" if isinstance(source, bytes) else ""
        raise TypeError(f"the expression must be a str, got {shown(type(source).__name__)}{hint}")
    if not isinstance(values, Mapping):
        raise TypeError(
            "values must map each input name to its number, e.g. {'a': 5}, got "
            f"{shown(type(values).__name__)}"
        )
    try:
        return _Builder(source, values).run()
    except RecursionError:
        raise ExpressionError(
            "the expression is too long or nests too deeply to walk; split it into named steps "
            "(u = ...; v = ...)"
        ) from None


class _Builder:
    def __init__(self, source: str, values: Mapping[str, float | Value]) -> None:
        # Blanks at the start of a line (an indented multi-line string) would be an
        # IndentationError for Python; here they mean nothing, so they are dropped
        # and added back to the columns that messages report.
        pieces = re.split(r"(\r\n|\r|\n)", source)
        self.lines = [piece.lstrip(" \t\f") for piece in pieces[::2]]
        self.indent = [len(piece) - len(line) for piece, line in zip(pieces[::2], self.lines)]
        pieces[::2] = self.lines
        self.source = "".join(pieces)
        checked = {k: _input_value(k, v) for k, v in values.items()}
        self.values = {_python_name(k): v for k, v in checked.items()}
        if len(self.values) < len(values):
            raise ExpressionError(
                f"two of the names {quote(list(values))} are the same name for Python; "
                "give each input one name"
            )
        self.inputs: dict[str, Value] = {}
        self.assigned: dict[str, Value] = {}
        self.order: list[str] = []

    # --- statements ------------------------------------------------------------

    def run(self) -> Value:
        tree = self._parse()
        if not tree.body:
            raise ExpressionError("the expression is empty; write e.g. 'J = 3*(a + b*c)'")
        root: Any = None
        last = len(tree.body) - 1
        for i, stmt in enumerate(tree.body):
            if isinstance(stmt, ast.Assign):
                root = self._assign(stmt)
            elif isinstance(stmt, ast.Expr) and i == last:
                root = self._result(self._expr(stmt.value), stmt.value, None)
            elif isinstance(stmt, ast.Expr):
                raise self._error(
                    stmt, "an expression that is not the last one must be assigned: name = ..."
                )
            elif type(stmt) in _KIND:
                raise self._error(stmt, f"{_KIND[type(stmt)]} is not allowed; write name = ...")
            else:
                raise self._error(stmt, "only assignments are allowed; write name = ...")
        self._check_everything_used(root)
        return root

    def _parse(self) -> ast.Module:
        try:
            # Python's warnings about the text ("invalid decimal literal" in 3if) would be
            # printed apart from the one-line error; the walk below judges the text itself.
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                return ast.parse(self.source, mode="exec")
        except SyntaxError as e:
            if e.msg.startswith("Exceeds the limit"):  # Python's cap on the digits of an int
                raise ExpressionError(
                    "a number in the expression has thousands of digits, far beyond a float; "
                    "write it with an exponent, e.g. 1e300"
                ) from None
            where = self._position(e.lineno or 1, (e.offset or 1) - 1, in_bytes=False)
            raise ExpressionError(f"syntax error {where}: {e.msg}") from None
        except (RecursionError, MemoryError):
            raise RecursionError from None
        except ValueError as e:
            raise ExpressionError(f"the expression cannot be parsed: {e}") from None

    def _assign(self, stmt: ast.Assign) -> Value:
        if len(stmt.targets) != 1 or not isinstance(stmt.targets[0], ast.Name):
            raise self._error(stmt, "assign one name at a time: name = expression")
        target = stmt.targets[0]
        name = target.id
        if name in FUNCTIONS:
            raise self._error(target, f"{name} is a function and cannot be assigned")
        shown_name = shown(name)
        if name in self.assigned:
            raise self._error(
                target, f"{shown_name} is assigned twice; give each node its own name"
            )
        if name in self.inputs:
            raise self._error(
                target, f"{shown_name} is already an input; it cannot also be assigned"
            )
        if name in self.values:
            raise self._error(
                target,
                f"{shown_name} is assigned here and also given a value ({shown_name}=...); "
                "drop one",
            )
        node = self._result(self._expr(stmt.value), stmt.value, name)
        node.label = name
        self.assigned[name] = node
        self.order.append(name)
        return node

    def _result(self, node: Any, expr: ast.expr, name: str | None) -> Value:
        what = shown(name) if name else "the result"
        if not isinstance(node, Value):
            raise self._error(
                expr,
                f"{what} does not depend on any input; use a name with a value (e.g. a, with a=5)",
            )
        other = graph.label(node)
        if other is not None:
            other = shown(other)
            example = f"{what} = 1*{other}" if name else f"1*{other}"
            raise self._error(
                expr,
                f"{what} would only be a second name for {other}; write an operation, "
                f"e.g. {example}",
            )
        return node

    def _check_everything_used(self, root: Value) -> None:
        # Under no_grad nothing is linked, so only the given values can be checked.
        reached = set(graph.nodes_of(root)) if graph.is_grad_enabled() else set()
        for name in self.order if reached else ():
            if self.assigned[name] not in reached and self.assigned[name] is not root:
                raise ExpressionError(
                    f"{shown(name)} is computed but the result does not use it; use it or "
                    "remove it"
                )
        for name, given in self.values.items():
            if name not in self.inputs:
                number = given.data if isinstance(given, Value) else given
                raise ExpressionError(
                    f"{shown(name)}={number:g} is given but the expression does not use "
                    f"{shown(name)}"
                )

    # --- expressions -------------------------------------------------------------

    def _expr(self, node: ast.expr) -> Any:
        if isinstance(node, ast.Constant):
            value = node.value
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self._error(node, "only numbers and names can be operands")
            try:
                number = float(value)
            except OverflowError:
                number = math.inf
            if not math.isfinite(number):  # 1e400 reads as inf
                raise self._error(node, "this number is too large for a float") from None
            return number
        if isinstance(node, ast.Name):
            return self._name(node)
        if isinstance(node, ast.BinOp):
            op = _BINARY.get(type(node.op))
            if op is None:
                raise self._error(node, "uses an operator that is not allowed; use + - * / **")
            return self._compute(node, op, self._expr(node.left), self._expr(node.right))
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return self._compute(node, "neg", self._expr(node.operand))
            if isinstance(node.op, ast.UAdd):
                return self._expr(node.operand)
            raise self._error(node, "uses an operator that is not allowed; use + - * / **")
        if isinstance(node, ast.Call):
            return self._call(node)
        if type(node) in _KIND:
            raise self._error(node, f"{_KIND[type(node)]} is not allowed")
        raise self._error(
            node, f"this is not allowed; use numbers, names, + - * / ** and {', '.join(FUNCTIONS)}"
        )

    def _name(self, node: ast.Name) -> Any:
        name = node.id
        if name in self.assigned:
            return self.assigned[name]
        if name in self.inputs:
            return self.inputs[name]
        if name in FUNCTIONS:
            raise self._error(node, f"{name} is a function; call it, e.g. {name}(a)")
        shown_name = shown(name)
        if name in self.values:
            given = self.values[name]
            leaf = given if isinstance(given, Value) else Value(given, label=name)
            self.inputs[name] = leaf
            return leaf
        if name.startswith("__"):
            raise self._error(node, f"the name {shown_name} is not allowed")
        raise self._error(
            node,
            f"{shown_name} has no value; give one (e.g. {shown_name}=1) or assign "
            f"{shown_name} = ... before",
        )

    def _call(self, node: ast.Call) -> Any:
        func = node.func
        if not isinstance(func, ast.Name):
            what = _KIND.get(type(func), "this")
            raise self._error(func, f"{what} is not allowed as a function")
        if func.id not in FUNCTIONS:
            raise self._error(
                func,
                f"{shown(func.id)} is not an allowed function; use one of {', '.join(FUNCTIONS)}",
            )
        if node.keywords or len(node.args) != 1 or isinstance(node.args[0], ast.Starred):
            raise self._error(node, f"{func.id} takes exactly one argument: {func.id}(x)")
        return self._compute(node, func.id, self._expr(node.args[0]))

    def _compute(self, node: ast.expr, op: str, *args: Any) -> Any:
        """Apply ``op`` through Value's operations, numbers too: one definition of each."""
        try:
            if not any(isinstance(a, Value) for a in args):
                with no_grad():
                    result = float(_apply(op, Value(args[0]), *args[1:]).data)
            else:
                result = _apply(op, *args)
        except (ArithmeticError, ValueError, TypeError) as e:
            raise self._error(node, str(e).splitlines()[0]) from None
        # A product or sum can overflow without an error; an inf would be drawn
        # and differentiated as if it were a number.
        number = result.data if isinstance(result, Value) else result
        if number != number and op == "**":  # finite inputs: only a power gives NaN here
            base, exponent = (a.data if isinstance(a, Value) else a for a in args)
            raise self._error(
                node,
                f"a negative base has no real fractional power: ({base:g}) ** {exponent:g} "
                "is not a real number; make the base positive or the exponent a whole number",
            )
        if not math.isfinite(number):  # inputs are finite, so this is an overflow
            raise self._error(
                node, f"the result is {number}, too large for a float; scale the inputs down"
            )
        return result

    # --- messages ---------------------------------------------------------------

    def _error(self, node: ast.stmt | ast.expr, problem: str) -> ExpressionError:
        where = self._position(node.lineno, node.col_offset, in_bytes=True)
        segment = ast.get_source_segment(self.source, node) or ""
        quoted = f"{quote(segment, 40)} " if segment else ""
        return ExpressionError(f"{quoted}{where}: {problem}")

    def _position(self, lineno: int, offset: int, in_bytes: bool) -> str:
        known = 0 < lineno <= len(self.lines)
        text = self.lines[lineno - 1] if known else ""
        column = len(text.encode()[:offset].decode(errors="replace")) if in_bytes else offset
        column += self.indent[lineno - 1] if known else 0
        if len(self.lines) > 1:
            return f"(line {lineno}, column {column + 1})"
        return f"(column {column + 1})"


def _input_value(name: Any, value: Any) -> float | Value:
    """A given input checked: a name (str) with a finite number or a Value holding one."""
    if not isinstance(name, str):
        raise TypeError(
            f"input names must be strings, got {shown(type(name).__name__)} {quote(name)}"
        )
    if isinstance(value, Value):
        number = value.data
    elif isinstance(value, Real) and not isinstance(value, bool):
        try:
            number = value = float(value)
        except OverflowError:
            raise ExpressionError(
                f"{shown(name)} = {quote(value)} is too large for a float (at most about 1.8e308)"
            ) from None
    else:
        raise TypeError(
            f"the value of {shown(name)} must be a number or a Value, got "
            f"{shown(type(value).__name__)} {quote(value)}"
        )
    if not math.isfinite(number):
        raise ExpressionError(f"{shown(name)} = {number}: give a finite number")
    return value


def _python_name(name: str) -> str:
    # Python reads identifiers in NFKC form (the full-width ａ is a), so the
    # names given with values must be compared in that form too.
    return unicodedata.normalize("NFKC", name)


def _apply(op: str, x: Any, y: Any = None) -> Any:
    if op == "+":
        return x + y
    if op == "-":
        return x - y
    if op == "*":
        return x * y
    if op == "/":
        return x / y
    if op == "**":
        return x**y
    if op == "neg":
        return -x
    return getattr(x, op)()
