"""Checks and message helpers that every layer may use.

This module sits just above ``graph.py``: it knows numpy, and knows a node only
through ``graph``'s read-only API. It owns

* :func:`quote`, the one way user input enters an error message: bounded in
  length, with control characters escaped, so a hostile or huge argument never
  makes a huge or terminal-breaking message;
* :func:`shown`, a user's name or label as is when :func:`quote` would change
  nothing but add quote marks, else quoted;
* :func:`numeric_array`, an argument as a numpy array of numbers, or a
  ``TypeError`` that names the argument;
* :func:`optional_import`, a package of an optional extra, or a
  ``ModuleNotFoundError`` that says what needs it and how to install it.
"""

from __future__ import annotations

import importlib
from typing import Any

import numpy as np

from . import graph

__all__ = ["PATH_LIMIT", "QUOTE_LIMIT", "numeric_array", "optional_import", "quote", "shown"]

#: Characters of user input a message shows before it elides the rest.
QUOTE_LIMIT = 60
#: The same for a path, at more length: its folders are what tell two files apart.
PATH_LIMIT = 240


def quote(x: Any, limit: int = QUOTE_LIMIT) -> str:
    """``repr(x)`` cut to about ``limit`` characters, control characters escaped.

    A long value keeps its start and end with ``...`` between them and says how
    long it was, so the reader still recognises what they passed.
    """
    if isinstance(x, (list, tuple)) and len(x) > limit:
        # repr of a huge sequence would itself take time and memory: show its ends.
        head = ", ".join(quote(v, limit // 4) for v in x[:3])
        kind = "[...]" if isinstance(x, list) else "(...)"
        return f"{kind[0]}{head}, ... {len(x)} entries{kind[-1]}"
    size = len(x) if isinstance(x, (str, bytes)) else None
    if isinstance(x, (str, bytes)) and len(x) > 4 * limit:
        x = x[: 2 * limit] + x[-2 * limit:]  # only the ends can be shown; skip repr of the middle
    try:
        text = repr(x)
    except Exception as e:  # a user's object whose __repr__ fails still gets a message
        text = f"<{type(x).__name__} object (repr failed: {type(e).__name__})>"
    if len(text) <= limit and len(_escape(text)) <= limit:
        return _escape(text)
    keep = max(limit - 20, 8)
    head = _escape(text[:keep])[: keep // 2 + keep % 2]
    tail = _escape(text[-keep:])[-(keep // 2):]
    return f"{head}...{tail} ({len(text) if size is None else size} characters)"


def _escape(text: str) -> str:
    # repr escapes a string's control characters already; a user's own __repr__ may not.
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)


def shown(x: Any, limit: int = QUOTE_LIMIT) -> str:
    """``x`` itself when it is a short printable string (a name, a label), else ``quote(x)``.

    For text that reads best bare (``W[1] has shape ...``), and is still bounded
    and escaped when the user passed something hostile.
    """
    if isinstance(x, str) and 0 < len(x) <= limit and x.isprintable():
        return x
    return quote(x, limit)


def numeric_array(A: Any, name: str) -> np.ndarray:
    """``A`` (an array, nested list or Tensor) as a numpy array of numbers, or a
    TypeError naming ``name``."""
    if isinstance(A, graph.Node):
        A = graph.data(A)
    try:
        A = np.asarray(A)
    except (TypeError, ValueError) as e:
        raise TypeError(
            f"{name} must be a numeric array, got {type(A).__name__} ({quote(str(e))})"
        ) from None
    if A.dtype.kind not in "fiub":
        raise TypeError(f"{name} must hold numbers, got an array of dtype {A.dtype}")
    return A


def optional_import(module: str, extra: str, purpose: str) -> Any:
    """``import module`` for a feature of an optional extra, or a ModuleNotFoundError naming the
    feature, the package and the extra that installs it.

    A package that is installed but fails to import because one of *its* own
    dependencies is missing keeps Python's own error, which names
    the real culprit.
    """
    package = module.split(".")[0]
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as e:
        if e.name is not None and e.name.split(".")[0] != package:
            raise
    pip = {"sklearn": "scikit-learn"}.get(package, package)
    raise ModuleNotFoundError(
        f"{purpose} needs {pip}, which is not installed: pip install "
        f"'micrograd_dls[{extra}]' (or pip install {pip})"
    ) from None
