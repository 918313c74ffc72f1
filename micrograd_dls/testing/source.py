"""What a learner's function says in its source, read without running it: the lines that
hold a number fixed to the notebook's sizes, the notebook globals it reads, the lines that
call a function (``np.tanh``), the statement and assigned name at a line.

This module reads code with ``inspect``, ``ast``, ``dis`` and ``linecache``; it never
runs it, and knows nothing of the course's assignments: they say which numbers and
names to look for.
"""

from __future__ import annotations

import ast
import builtins
import dis
import inspect
import linecache
import textwrap
import types
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ..checks import quote

__all__ = [
    "GlobalRead",
    "assigned_name",
    "calls_to",
    "fixed_numbers",
    "global_reads",
    "line_text",
    "parse_function",
    "quoted_line",
    "statement_in_file",
]


def line_text(filename: str, line: int) -> str:
    """The stripped text of ``line`` in ``filename`` (a notebook cell's too), or ''."""
    return linecache.getline(filename, line).strip()


#: Characters of a learner's line a report shows before it elides the rest.
LINE_LIMIT = 110


def quoted_line(filename: str, line: int) -> str:
    """``line 7: 'm = 400'``: the line and its text, quoted (bounded) as user input."""
    text = line_text(filename, line)
    return f"line {line}: {quote(text, LINE_LIMIT)}" if text else f"line {line}"


def statement_in_file(filename: str, line: int) -> ast.stmt | None:
    """The innermost statement of a file (or notebook cell) that spans ``line``."""
    try:
        tree = ast.parse("".join(linecache.getlines(filename)))
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    found = None
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and node.lineno <= line <= (node.end_lineno or node.lineno):
            if found is None or node.lineno >= found.lineno:
                found = node
    return found


def parse_function(f: Callable[..., Any]) -> ast.FunctionDef | None:
    """The ``def`` of ``f`` as an ast node whose line numbers are the file's (the cell's),
    or None when its source cannot be read (a builtin, a lambda in a string)."""
    code = getattr(f, "__code__", None)
    if code is None:
        return None
    try:
        lines, start = inspect.getsourcelines(f)
        tree = ast.parse(textwrap.dedent("".join(lines)))
    except (OSError, TypeError, SyntaxError, ValueError):
        return None
    ast.increment_lineno(tree, max(start, 1) - 1)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and \
                node.name == code.co_name:
            return node  # type: ignore[return-value]
    return None


def _body(tree: ast.FunctionDef) -> Iterator[ast.AST]:
    """Every node of the function's body; not its defaults, annotations or decorators,
    which the grader never reaches (``learning_rate=1.2`` is the template's own)."""
    for statement in tree.body:
        yield from ast.walk(statement)


def assigned_name(statement: ast.stmt | None) -> str | None:
    """The name a statement assigns: ``dW1`` of ``dW1 = ...``, ``grads["dW1"] = ...``, or
    ``dZ1 *= ...``; None for anything else."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
        target = statement.targets[0]
    elif isinstance(statement, (ast.AugAssign, ast.AnnAssign)):
        target = statement.target
    else:
        return None
    if isinstance(target, ast.Name):
        return target.id
    if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) \
            and isinstance(target.slice.value, str):
        return target.slice.value
    return None


def calls_to(tree: ast.FunctionDef | None, name: str) -> list[int]:
    """Lines of the function's body that call ``name`` (``np.tanh(...)``, ``tanh(...)``)."""
    if tree is None:
        return []
    lines = set()
    for node in _body(tree):
        if isinstance(node, ast.Call):
            f = node.func
            called = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(
                f, ast.Name) else None
            if called == name:
                lines.add(node.lineno)
    return sorted(lines)


# --- numbers fixed to the notebook's sizes ------------------------------------------------


def _not_a_size(node: ast.Constant, parents: Mapping[ast.AST, ast.AST]) -> bool:
    """Places where a number is never a size: an exponent (``A1 ** 2``,
    ``np.power(A1, 2)``), a modulus (``i % 100``, the course's every-100-iterations), an
    index into ``.shape``, an ``axis=`` keyword."""
    parent = parents.get(node)
    if isinstance(parent, ast.BinOp) and isinstance(parent.op, (ast.Pow, ast.Mod)) and \
            parent.right is node:
        return True
    if isinstance(parent, ast.Call):
        f = parent.func
        called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
        if called in ("power", "float_power") and len(parent.args) > 1 and \
                parent.args[1] is node:
            return True
    if isinstance(parent, ast.keyword) and parent.arg in ("axis", "keepdims", "ord"):
        return True
    if isinstance(parent, ast.Subscript) and isinstance(parent.value, ast.Attribute) and \
            parent.value.attr == "shape":
        return True
    return False


def fixed_numbers(
    tree: ast.FunctionDef | None, wanted: Mapping[str, Iterable[float]]
) -> list[tuple[int, str, float]]:
    """``(line, name, value)`` for each number in the function's body equal to one of
    ``wanted[name]`` (the notebook's ``m = 400``, ``n_h = 4``, ``learning_rate = 1.2``),
    in places where it can be a size or a rate; a number that several names may hold is
    given the one it is assigned to (``L = 3``), else the first.

    0 and 1 count only where they are assigned to that very name (``n_y = 1``); an
    exponent, an index into ``.shape`` or an ``axis=`` never counts.
    """
    if tree is None:
        return []
    parents: dict[ast.AST, ast.AST] = {}
    for node in _body(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    found: list[tuple[int, str, float]] = []
    for node in _body(tree):
        if not (isinstance(node, ast.Constant) and type(node.value) in (int, float)):
            continue
        if _not_a_size(node, parents):
            continue
        target = _assigned_to(node, parents)
        names = [n for n, values in wanted.items() if any(node.value == v for v in values)
                 and (node.value not in (0, 1) or target == n)]
        if names:  # the name it is assigned to, if that is one, else the first
            found.append((node.lineno, target if target in names else names[0], node.value))  # type: ignore[arg-type]  # an int or a float
    return sorted(set(found))


def _assigned_to(node: ast.AST, parents: Mapping[ast.AST, ast.AST]) -> str | None:
    """``m`` for the 400 of ``m = 400``: the name a number is directly assigned to."""
    parent = parents.get(node)
    if isinstance(parent, ast.UnaryOp):
        node, parent = parent, parents.get(parent)
    if isinstance(parent, ast.Assign) and parent.value is node and len(parent.targets) == 1 \
            and isinstance(parent.targets[0], ast.Name):
        return parent.targets[0].id
    return None


# --- globals a function reads -------------------------------------------------------------


@dataclass(frozen=True)
class GlobalRead:
    """``name`` read as a global at ``line``: ``defined`` is False when the function's
    globals do not have it at all (a notebook variable left behind)."""

    name: str
    line: int
    defined: bool


def _codes(code: types.CodeType) -> Iterator[types.CodeType]:
    """The function's code and that of the functions and comprehensions inside it."""
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _codes(const)


def global_reads(f: Callable[..., Any]) -> list[GlobalRead]:
    """Names the function reads as globals that hold data, not code: a notebook variable
    (``X_train``, ``parameters``, ``learning_rate``) read instead of an argument, or one
    it does not define at all. Modules, functions, classes and builtins are code and pass."""
    code = getattr(f, "__code__", None)
    namespace = getattr(f, "__globals__", None)
    if code is None or namespace is None:
        return []
    found: dict[str, GlobalRead] = {}
    for c in _codes(code):
        line = c.co_firstlineno
        for instruction in dis.get_instructions(c):
            position = getattr(instruction, "positions", None)  # Python 3.11 and later
            if position is not None and position.lineno is not None:
                line = position.lineno
            elif type(instruction.starts_line) is int:  # Python 3.10
                line = instruction.starts_line
            if instruction.opname not in ("LOAD_GLOBAL", "LOAD_NAME"):
                continue
            name = instruction.argval
            if name in found:
                continue
            if name in namespace:
                if _is_code(namespace[name]):
                    continue
                found[name] = GlobalRead(name, line, True)
            elif not hasattr(builtins, name):
                found[name] = GlobalRead(name, line, False)
    return sorted(found.values(), key=lambda r: r.line)


def _is_code(value: Any) -> bool:
    return isinstance(value, (types.ModuleType, type)) or callable(value)
