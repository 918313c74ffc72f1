"""A notebook's graded functions, taken from its code cells without running the notebook.

:func:`functions_from_notebook` reads a ``.ipynb`` (JSON) or ``.py`` file -- bounded in
bytes and cells -- and takes from its code cells only the top-level ``def`` of the graded
names and the imports of ``numpy``, ``math`` and ``copy``: no other statement runs, no
magic (lines starting with ``%`` or ``!`` are blanked before a cell is parsed), and a cell
that does not parse is skipped. A ``def`` whose decorators or default values would run
code is refused. Each function keeps its cell's line numbers, so that a report's "line 7"
is line 7 of the cell.

This module knows ``json``, ``ast`` and ``linecache``; nothing of the course's
assignments (the caller names the functions and gives the course's helpers).
"""

from __future__ import annotations
import __future__

import ast
import builtins
import importlib
import json
import linecache
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ..checks import quote

__all__ = ["MAX_BYTES", "MAX_CELLS", "functions_from_notebook"]

#: The most bytes of a notebook read (20 MB; the course's notebooks are well under 1 MB).
MAX_BYTES = 20 * 1024 * 1024
#: The most cells of a notebook looked at.
MAX_CELLS = 10_000
#: Modules whose imports the graded functions may need; no other import runs.
IMPORTABLE = ("numpy", "math", "copy")


def functions_from_notebook(
    path_or_text: str | os.PathLike[str] | bytes,
    names: Iterable[str],
    given: Mapping[str, Callable[..., Any]] | None = None,
) -> dict[str, Callable[..., Any]]:
    """The functions called ``names`` as a notebook defines them, by name, without running
    anything else of it.

    ``path_or_text`` is the path of a ``.ipynb`` or ``.py`` file, or the text of one (a
    string with a newline in it, or starting with ``{``). Only the top-level ``def`` of
    each name (the last, as running the notebook top to bottom would leave it) and the
    imports of numpy, math and copy are taken; ``given`` (the helpers the course's
    notebook imports, e.g. ``relu_backward``) is in their globals too. Names the notebook
    does not define are left out. A file that is not a notebook, larger than
    :data:`MAX_BYTES`, with more than :data:`MAX_CELLS` cells, without any of the names,
    or with a ``def`` whose decorators or default values would run code, is a ValueError.
    """
    wanted = _names(names)
    label, text, is_notebook = _read(path_or_text)
    cells = _cells(text, label) if is_notebook else [text]
    found: dict[str, tuple[ast.FunctionDef, str]] = {}
    imports: list[ast.Import | ast.ImportFrom] = []
    for number, cell in enumerate(cells, start=1):
        filename = f"{label}, cell {number}" if is_notebook else label
        tree = _parse(cell)
        if tree is None:
            continue
        used = False
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                imports.append(node)
            elif isinstance(node, ast.FunctionDef) and node.name in wanted:
                _check_definition(node, filename)
                found[node.name] = (node, filename)
                used = True
        if used:  # inspect and the report read the function's lines from here
            lines = cell.splitlines(keepends=True)
            linecache.cache[filename] = (len(cell), None, lines, filename)
    if not found:
        raise ValueError(
            f"{quote(label, 240)} defines none of {', '.join(sorted(wanted))} at the top "
            "level of a code cell"
        )
    namespace: dict[str, Any] = {"__name__": "notebook", "__builtins__": builtins}
    namespace.update(given or {})
    for node in imports:
        _bind(node, namespace)
    flags = __future__.annotations.compiler_flag  # annotations are not evaluated
    for node, filename in found.values():
        code = compile(ast.Module(body=[node], type_ignores=[]), filename, "exec",
                       flags=flags, dont_inherit=True)
        exec(code, namespace)  # defines the function: its defaults are plain constants
    return {name: namespace[name] for name in found}


def _names(names: Iterable[str]) -> set[str]:
    if isinstance(names, str):
        names = [names]
    out = set()
    for name in names:
        if not (isinstance(name, str) and name.isidentifier()):
            raise TypeError(f"function names must be identifiers, got {quote(name)}")
        out.add(name)
    return out


def _read(path_or_text: Any) -> tuple[str, str, bool]:
    """(label, text, is a notebook) of a path or of the text itself, bounded in size."""
    if isinstance(path_or_text, bytes):
        return "notebook", _decode(path_or_text[:MAX_BYTES + 1], "the text"), \
            path_or_text.lstrip().startswith(b"{")
    if isinstance(path_or_text, str) and ("\n" in path_or_text or
                                          path_or_text.lstrip().startswith("{")):
        if len(path_or_text) > MAX_BYTES:
            raise ValueError(f"the notebook's text is larger than {MAX_BYTES} characters")
        return "notebook", path_or_text, path_or_text.lstrip().startswith("{")
    if not isinstance(path_or_text, (str, os.PathLike)):
        raise TypeError(f"give a notebook's path or text, got {quote(path_or_text)}")
    path = os.fspath(path_or_text)
    suffix = os.path.splitext(path)[1].lower()
    if suffix not in (".ipynb", ".py"):
        raise ValueError(f"{quote(path, 240)} is neither a notebook (.ipynb) nor a .py file")
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_BYTES + 1)
    except OSError as e:
        raise ValueError(f"cannot read {quote(path, 240)}: {e.strerror or e}") from None
    if len(data) > MAX_BYTES:
        raise ValueError(
            f"{quote(path, 240)} is larger than {MAX_BYTES // (1024 * 1024)} MB: not one of "
            "the course's notebooks"
        )
    return os.path.basename(path), _decode(data, quote(path, 240)), suffix == ".ipynb"


def _decode(data: bytes, what: str) -> str:
    if len(data) > MAX_BYTES:
        raise ValueError(f"{what} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{what} is not UTF-8 text") from None


def _cells(text: str, label: str) -> list[str]:
    """The sources of the notebook's code cells, magics blanked."""
    try:
        notebook = json.loads(text)
    except (ValueError, RecursionError) as e:
        raise ValueError(
            f"{quote(label, 240)} is not a notebook: not JSON ({quote(str(e), 120)})"
        ) from None
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        raise ValueError(f"{quote(label, 240)} is not a notebook: it has no list of cells")
    if len(cells) > MAX_CELLS:
        raise ValueError(
            f"{quote(label, 240)} has {len(cells)} cells, more than {MAX_CELLS}: not one of "
            "the course's notebooks"
        )
    out = []
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cell.get("source")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if isinstance(source, str):
            out.append(_without_magics(source))
    return out


def _without_magics(source: str) -> str:
    """Lines starting with ``%`` or ``!`` (IPython's magics and shell) blanked, so that the
    cell parses as Python and keeps its line numbers."""
    return "".join(
        "\n" if line.lstrip().startswith(("%", "!")) else line
        for line in source.splitlines(keepends=True)
    )


def _parse(cell: str) -> ast.Module | None:
    try:
        return ast.parse(cell)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _check_definition(node: ast.FunctionDef, filename: str) -> None:
    """Refuse a ``def`` that would run code as it is defined: decorators, or defaults that
    are not plain constants (``learning_rate=1.2`` and ``activation="relu"`` are)."""
    line = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    where = f"def {node.name} in {quote(filename, 240)} (line {line})"
    if node.decorator_list:
        raise ValueError(f"{where} has a decorator, which would run code as it is defined")
    defaults = [*node.args.defaults, *(d for d in node.args.kw_defaults if d is not None)]
    for default in defaults:
        try:
            ast.literal_eval(default)
        except (ValueError, TypeError, SyntaxError, RecursionError, MemoryError):
            raise ValueError(
                f"{where}: a default value that is not a plain constant would run code as "
                "the function is defined"
            ) from None


def _bind(node: ast.Import | ast.ImportFrom, namespace: dict[str, Any]) -> None:
    """Run an import of numpy, math or copy (and nothing else) into the namespace."""
    if isinstance(node, ast.Import):
        for alias in node.names:
            top = alias.name.split(".")[0]
            module = _module(alias.name) if top in IMPORTABLE else None
            if module is not None:
                namespace[alias.asname or top] = module if alias.asname else _module(top)
        return
    if node.level or not node.module or node.module.split(".")[0] not in IMPORTABLE:
        return
    module = _module(node.module)
    for alias in node.names if module is not None else ():
        if alias.name != "*" and hasattr(module, alias.name):
            namespace[alias.asname or alias.name] = getattr(module, alias.name)


def _module(name: str) -> Any:
    try:
        return importlib.import_module(name)
    except ImportError:  # numpy.nonexistent: the function will say what it misses
        return None
