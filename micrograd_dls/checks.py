"""The course's shape checks and the bounded quoting of user input, one message each.

This module sits just above ``graph.py``: it knows numpy, and knows a node only
through ``graph``'s read-only API; it never knows a layer, a model or the
command line, which call it with their own names. It owns

* :func:`quote`, the one way user input enters an error message: bounded in
  length, with control characters escaped, so a hostile or huge argument never
  makes a huge or terminal-breaking message;
* :func:`shown`, a user's name or label as is when :func:`quote` would change
  nothing but add quote marks, else quoted;
* :func:`numeric_array`, an argument as a numpy array of numbers, or a
  ``TypeError`` that names the argument;
* the course's shapes, each with the one message every layer gives for it:
  :func:`rank1_message` (a rank-1 array ``(n,)`` where a row or a column
  belongs), :func:`check_examples` (``X`` is ``(n_x, m)``, one example per
  column; :func:`examples_message` is its message for a caller that holds only
  a shape, as a layer's forward does), :func:`check_labels` (``Y`` is
  ``(1, m)``), :func:`check_layer_weight` and :func:`check_layer_bias`
  (``W[l]`` is ``(n[l], n[l-1])``, ``b[l]`` is ``(n[l], 1)``);
* the sizes of a network, checked before anything is allocated:
  :func:`layer_sizes` (``[n_x, n[1], ..., n[L]]``) and :func:`check_memory`,
  against :func:`physical_memory`, with the figures written by
  :func:`format_bytes` and :func:`array_size`;
* :func:`optional_import`, a package of an optional extra, or a
  ``ModuleNotFoundError`` that says what needs it and how to install it.

Every check takes ``where``, the caller's name for itself (``"fit"``,
``"plot_dataset"``, ``"layer 2 (W[2] of shape (1, 4))"``), which starts the
message as ``where: ...``; the rest of the message is the same wherever the
check is made.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

from . import graph

__all__ = [
    "FALLBACK_MEMORY",
    "PATH_LIMIT",
    "QUOTE_LIMIT",
    "array_size",
    "check_examples",
    "check_labels",
    "check_layer_bias",
    "check_layer_weight",
    "check_memory",
    "examples_message",
    "format_bytes",
    "layer_sizes",
    "numeric_array",
    "optional_import",
    "physical_memory",
    "quote",
    "rank1_message",
    "shown",
]

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
        x = x[: 2 * limit] + x[-2 * limit:]  # type: ignore[operator]  # only the ends can be shown; skip repr of the middle
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


# --- the course's shapes ---------------------------------------------------------------


def _at(where: str | None) -> str:
    return f"{where}: " if where else ""


def rank1_message(name: str, shape: tuple[int, ...], fix: str, where: str | None = None) -> str:
    """The message for a rank-1 array ``(n,)`` where the course wants a row or a column.

    ``name`` is what the user calls the array (``"Y"``, ``"db1"``), ``fix`` the
    code that repairs it (``"Y.reshape(1, 400)"``, ``"b.reshape(4, 1)"``,
    ``"np.sum(dZ, axis=1, keepdims=True)"``). For example
    ``rank1_message("Y", (400,), "Y.reshape(1, 400)", "fit")`` is::

        fit: Y has shape (400,), a rank-1 array; use Y.reshape(1, 400) -- the course
        avoids rank-1 arrays: numpy broadcasts one as a row or as a column, whichever fits

    Every refusal of a rank-1 array says this, whatever refuses it.
    """
    return (
        f"{_at(where)}{shown(name)} has shape {tuple(shape)}, a rank-1 array; use {fix} -- "
        "the course avoids rank-1 arrays: numpy broadcasts one as a row or as a column, "
        "whichever fits"
    )


def examples_message(name: str, shape: tuple[int, ...], n_rows: int,
                     where: str | None = None) -> str:
    """The message for an array of shape ``shape`` that should be ``(n_rows, m)``,
    one example per column (X, A[l-1]).

    A rank-1 array gets :func:`rank1_message` with ``name.reshape(n_rows, -1)``;
    otherwise the message names both shapes, and the fix when one is plain: an
    ``(m, n_rows)`` array is transposed (``pass X.T``), an array of more axes is
    flattened into columns.
    """
    shape = tuple(shape)
    label = shown(name)
    if len(shape) == 1:
        return rank1_message(name, shape, f"{label}.reshape({n_rows}, -1)", where)
    hint = ""
    if len(shape) == 2 and shape[1] == n_rows:
        hint = f" -- examples go in columns, so pass {label}.T"
    elif len(shape) > 2:
        hint = (f" -- flatten each example into a column first, e.g. "
                f"{label}.reshape({label}.shape[0], -1).T")
    return (
        f"{_at(where)}{label} has shape {shape} but must be ({n_rows}, m): {n_rows} "
        f"features per column, one column per example{hint}"
    )


def check_examples(X: Any, n_rows: int, name: str = "X", where: str | None = None) -> np.ndarray:
    """X as a numpy array of shape (n_x, m) = (n_rows, m), one example per column,
    with m >= 1 and no NaN or infinity; else a ValueError (TypeError for non-numbers)."""
    X = numeric_array(X, f"{_at(where)}{shown(name)}")
    if X.ndim != 2 or X.shape[0] != n_rows:
        raise ValueError(examples_message(name, X.shape, n_rows, where))
    if X.shape[1] == 0:
        raise ValueError(f"{_at(where)}{shown(name)} has no examples (m = 0)")
    if X.dtype.kind == "f" and not np.isfinite(X).all():
        raise ValueError(
            f"{_at(where)}{shown(name)} contains NaN or infinity; clean or impute those "
            "entries first"
        )
    return X


def check_labels(Y: Any, m: int | None = None, n_y: int = 1, name: str = "Y",
                 where: str | None = None, binary: bool = False) -> np.ndarray:
    """Y as a numpy array of shape (n_y, m), one column of labels per example, with no
    NaN or infinity; with ``binary``, every label 0 or 1.

    ``m`` is the number of examples (X's columns); None accepts any m. A rank-1
    Y gets :func:`rank1_message` with ``Y.reshape(1, m)``, an ``(m, n_y)`` Y the
    advice to pass ``Y.T``.
    """
    label = shown(name)
    Y = numeric_array(Y, f"{_at(where)}{label}")
    if Y.ndim == 1:
        fix = f"{label}.reshape(1, {Y.shape[0]})" if n_y == 1 else f"{label}.reshape({n_y}, -1)"
        raise ValueError(rank1_message(name, Y.shape, fix, where))
    if Y.ndim != 2 or Y.shape[0] != n_y or (m is not None and Y.shape[1] != m):
        want = f"({n_y}, {'m' if m is None else m})"
        per = "one label" if n_y == 1 else f"{n_y} labels"
        examples = "" if m is None else f" (X has m = {m})"
        hint = ""
        if Y.ndim == 2 and Y.shape[1] == n_y and (m is None or Y.shape[0] == m):
            hint = f" -- pass {label}.T"
        raise ValueError(
            f"{_at(where)}{label} has shape {Y.shape} but must be {want}: {per} per "
            f"example{examples}, one column per example{hint}"
        )
    if Y.dtype.kind == "f" and not np.isfinite(Y).all():
        raise ValueError(f"{_at(where)}{label} contains NaN or infinity")
    if binary:
        ok = np.isin(Y, (0, 1))
        if not ok.all():
            bad = np.unique(Y[~ok])[:5]
            raise ValueError(
                f"{_at(where)}{label} must hold labels 0 and 1, found {bad.tolist()}; "
                "real-valued targets need a linear output layer and the squared error"
            )
    return Y


def _check_parameter(P: Any, name: str, symbol: str, l: int, want: tuple[int, int],
                     rows: str, where: str | None) -> np.ndarray:
    P = numeric_array(P, f"{_at(where)}{shown(name)}")
    if P.ndim == 1 and symbol == "b":
        raise ValueError(rank1_message(name, P.shape, f"{shown(name)}.reshape({want[0]}, 1)",
                                       where))
    if P.shape != want:
        hint = f" -- transposed: pass {shown(name)}.T" if P.shape == want[::-1] else ""
        raise ValueError(
            f"{_at(where)}{shown(name)} has shape {P.shape} but layer {l} needs {symbol}[{l}] "
            f"of shape {rows} = {want}{hint}"
        )
    if not np.isfinite(P).all():
        raise ValueError(f"{_at(where)}{shown(name)} contains NaN or infinity")
    return P


def check_layer_weight(W: Any, l: int, n_l: int, n_prev: int, name: str | None = None,
                       where: str | None = None) -> np.ndarray:
    """W[l] as a finite numpy array of shape (n[l], n[l-1]) = (n_l, n_prev); else a
    ValueError naming both shapes (and ``pass W.T`` when it is transposed).

    ``name`` is the user's key for it (``"W1"``), by default ``W[l]``.
    """
    return _check_parameter(W, name or f"W[{l}]", "W", l, (int(n_l), int(n_prev)),
                            f"(n[{l}], n[{l - 1}])", where)


def check_layer_bias(b: Any, l: int, n_l: int, name: str | None = None,
                     where: str | None = None) -> np.ndarray:
    """b[l] as a finite numpy column of shape (n[l], 1) = (n_l, 1); a rank-1 b gets
    :func:`rank1_message` with ``b.reshape(n_l, 1)``."""
    return _check_parameter(b, name or f"b[{l}]", "b", l, (int(n_l), 1), f"(n[{l}], 1)", where)


# --- sizes against memory --------------------------------------------------------------

#: The memory assumed where the system does not say (``os.sysconf`` is POSIX only): 16 GiB.
FALLBACK_MEMORY = 16 * 2**30


def physical_memory() -> int:
    """This machine's physical memory in bytes: page size times pages, from
    ``os.sysconf``; :data:`FALLBACK_MEMORY` where the system does not tell."""
    try:
        size = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return FALLBACK_MEMORY
    return size if size > 0 else FALLBACK_MEMORY


def format_bytes(n: int) -> str:
    """``n`` bytes for a person: ``512 bytes``, ``3.2 MB``, ``16.7 GB``, ``1.6e24 bytes``
    (decimal units up to TB, then powers of ten)."""
    if n >= 10**15:
        return f"{n:.1e}".replace("e+", "e") + " bytes"
    for unit, size in (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{n} bytes"


def _count(n: int) -> str:
    # 10**23 reads better than 100000000000000000000000, and as typed on a command line.
    if n >= 10**6 and 10 ** (len(str(n)) - 1) == n:
        return f"10**{len(str(n)) - 1}"
    return str(n) if n < 10**12 else f"{n:.3g}"


def check_memory(n_bytes: int, who: str, what: str, fix: str) -> None:
    """A ValueError when ``n_bytes`` exceed this machine's physical memory, before anyone
    asks numpy for them::

        layer 1 would need 1.6e24 bytes for W[1] (10**23 x 2 float64), more than this
        machine's memory (16.7 GB); give smaller layer sizes

    ``who`` starts the sentence, ``what`` says what the bytes hold, ``fix`` what to do.
    """
    limit = physical_memory()
    if n_bytes > limit:
        raise ValueError(
            f"{who} would need {format_bytes(n_bytes)} for {what}, more than this machine's "
            f"memory ({format_bytes(limit)}); {fix}"
        )


def array_size(shape: Sequence[int], item: str = "float64") -> str:
    """``10**23 x 2 float64``: a shape as :func:`check_memory`'s messages write it."""
    return " x ".join(_count(int(n)) for n in shape) + f" {item}"


def layer_sizes(layer_dims: Any, where: str = "MLP", item_bytes: int = 8,
                item: str = "float64") -> list[int]:
    """``[n_x, n[1], ..., n[L]]`` as ints, at least two, each positive, and weights that
    fit in this machine's memory: W[l] holds n[l] x n[l-1] numbers of ``item_bytes``
    each (``item`` names them). A ValueError says which rule failed; for memory,
    which layer and how many bytes (:func:`check_memory`).
    """
    try:
        dims = list(layer_dims)
    except TypeError:
        dims = []
    if len(dims) < 2 or any(
        isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1 for n in dims
    ):
        raise ValueError(
            f"{_at(where)}layer_dims = {quote(layer_dims)}: give [n_x, n[1], ..., n[L]], at "
            "least two positive ints (e.g. [2, 4, 1] for a shallow network)"
        )
    dims = [int(n) for n in dims]
    fix = "give smaller layer sizes"
    for l in range(1, len(dims)):
        check_memory(item_bytes * dims[l] * dims[l - 1], f"{_at(where)}layer {l}",
                     f"W[{l}] ({array_size((dims[l], dims[l - 1]), item)})", fix)
    count = sum(dims[l] * (dims[l - 1] + 1) for l in range(1, len(dims)))
    check_memory(item_bytes * count, f"{_at(where)}the network",
                 f"its {_count(count)} parameters W[l] and b[l] ({item})", fix)
    return dims

def optional_import(module: str, extra: str, purpose: str) -> Any:
    """``import module`` for a feature of an optional extra, or a ModuleNotFoundError naming the
    feature and the package, with two commands that install it: the package itself
    (``pip install matplotlib``), which works wherever micrograd_dls came from, and
    for a clone of micrograd_dls the extra (``pip install -e ".[plot]"``), which asks
    for the versions micrograd_dls supports.

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
        f"{purpose} needs {pip}, which is not installed: pip install {pip} "
        f"(in a clone of micrograd_dls: pip install -e \".[{extra}]\")"
    ) from None
