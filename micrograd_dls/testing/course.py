"""How an assignment of the course is written down for checking: what each graded function
is given and must return, at which sizes the notebook runs it, and what its outputs are
called and shaped in the course's notation; and the comparison of a learner's output with
the course's, which says where they differ in those words.

The assignments themselves are :mod:`.logistic`, :mod:`.planar` and :mod:`.deep`; the
answers come from :mod:`micrograd_dls.reference`. This module knows numpy and nothing
of running the learner's code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..checks import quote

__all__ = ["Assignment", "Graded", "Trap", "difference", "distinct", "sizes_text"]

#: Sizes (and numbers such as the learning rate) of one run: {"n_x": 3, "m": 7, ...}.
Sizes = Mapping[str, Any]


@dataclass(frozen=True)
class Trap:
    """An input of the grader's that the notebook never gives (a cache whose A1 is not
    tanh(Z1)): ``arguments(rng, sizes)`` builds it; a call to ``call`` in the learner's
    function is what usually fails there, for the reason ``why``."""

    arguments: Callable[[np.random.Generator, Sizes], dict[str, Any]]
    call: str
    what: str
    why: str


@dataclass(frozen=True)
class Graded:
    """One graded function: ``arguments(rng, sizes, **variant)`` are the course's inputs at
    those sizes, in the course's order (``optional`` ones last, given only to a learner's
    function that takes them, as an older template's ``compute_cost(A2, Y, parameters)``);
    ``answer(arguments)`` is the course's output; ``returns`` names what it returns;
    ``dims`` are the sizes and numbers it must follow, ``sources`` says where it takes
    each from. ``kind`` is ``"values"``, or ``"initialization"``: random draws, checked by
    shape, zero biases and the size of the weights (at most ``scale``)."""

    name: str
    arguments: Callable[..., dict[str, Any]]
    answer: Callable[[dict[str, Any]], Any]
    returns: tuple[str, ...]
    dims: tuple[str, ...] = ()
    sources: Mapping[str, str] = field(default_factory=dict)
    kind: str = "values"
    optional: tuple[str, ...] = ()
    variants: tuple[Mapping[str, Any], ...] = ({},)
    trap: Trap | None = None
    scale: float | None = None


@dataclass(frozen=True)
class Assignment:
    """One programming assignment: its graded functions in the notebook's order, the
    notebook's own sizes (``notebook``) and every number of the notebook a size may have
    been fixed to (``fixed``), random sizes that differ from them (``draw``), the
    course's symbol and shape of an output's name (``shape``), the helpers the notebook
    imports from the course's files (``given``), and the gradient check of the learner's
    own forward and backward (``gradients``, attached to the function ``gradient_entry``,
    needing the functions ``gradient_needs``). ``fixed`` maps each size to the names a
    learner may have fixed it under and the notebook's numbers for them
    (``{"layer_dims": {"L": (3, 4), "n[l]": (5, 4, 3)}}``); ``sources`` of a graded
    function are keyed by those names."""

    name: str
    title: str
    functions: tuple[Graded, ...]
    notebook: Sizes
    fixed: Mapping[str, Mapping[str, tuple[float, ...]]]
    draw: Callable[[np.random.Generator], dict[str, Any]]
    shape: Callable[[str, Sizes], tuple[str, str, tuple[int, ...]] | None]
    given: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    gradients: Callable[..., Any] | None = None
    gradient_entry: str = ""
    gradient_needs: tuple[str, ...] = ()

    def graded(self, name: str) -> Graded:
        """The graded function called ``name``."""
        for g in self.functions:
            if g.name == name:
                return g
        raise KeyError(name)


# --- sizes ----------------------------------------------------------------------------------


def distinct(rng: np.random.Generator, k: int, avoid: set[int], low: int = 3,
             high: int = 12) -> list[int]:
    """``k`` different sizes in [low, high], none of them in ``avoid`` (the notebook's), so
    that a fixed size and a transposed shape both show."""
    pool = [n for n in range(low, high + 1) if n not in avoid]
    return [int(n) for n in rng.choice(pool, size=k, replace=False)]


def sizes_text(sizes: Sizes, dims: tuple[str, ...]) -> str:
    """``m = 7, n_x = 3``: the sizes a run used, those the function follows."""
    return ", ".join(f"{d} = {_number(sizes[d])}" for d in dims if d in sizes)


def _number(x: Any) -> str:
    if isinstance(x, tuple):
        return "[" + ", ".join(map(str, x)) + "]"
    return f"{x:g}" if isinstance(x, float) else str(x)


# --- a learner's output against the course's ---------------------------------------------------


def difference(yours: Any, course: Any, returns: tuple[str, ...], sizes: Sizes,
               shape: Callable[[str, Sizes], Any]) -> str | None:
    """Where the learner's output first differs from the course's, in the course's words,
    or None when they agree (to 1e-6 relative, as rounding allows)."""
    if len(returns) == 1:
        return _differ(yours, course, returns[0], returns[0], sizes, shape)
    if not isinstance(yours, (tuple, list)) or len(yours) != len(returns):
        what = f"{len(yours)} values" if isinstance(yours, (tuple, list)) else \
            f"{type(yours).__name__}"
        return f"returns {what}; the course's returns {len(returns)}: {', '.join(returns)}"
    for y, c, name in zip(yours, course, returns):
        found = _differ(y, c, name, name, sizes, shape)
        if found:
            return found
    return None


def _differ(yours: Any, course: Any, path: str, key: str, sizes: Sizes,
            shape: Callable[[str, Sizes], Any]) -> str | None:
    if isinstance(course, dict):
        if not isinstance(yours, Mapping):
            return f"{path} is {_kind(yours)}; the course's is a dict"
        for k, c in course.items():
            if k not in yours:
                have = ", ".join(quote(x) for x in list(yours)[:8]) or "nothing"
                return f"{path} has no {quote(k)} (it has {have})"
            found = _differ(yours[k], c, f"{path}[{k!r}]", k, sizes, shape)
            if found:
                return found
        return None
    if isinstance(course, (tuple, list)):
        if not isinstance(yours, (tuple, list)) or len(yours) != len(course):
            n = f" of {len(yours)}" if isinstance(yours, (tuple, list)) else ""
            return f"{path} is {_kind(yours)}{n}; the course's has {len(course)} entries"
        for i, (y, c) in enumerate(zip(yours, course)):
            found = _differ(y, c, f"{path}[{i}]", "", sizes, shape)
            if found:
                return found
        return None
    return _differ_numbers(yours, course, path, key, sizes, shape)


def _kind(x: Any) -> str:
    if isinstance(x, np.ndarray):
        return f"an array of shape {x.shape}"
    return f"a {type(x).__name__}" if x is not None else "None"


def _differ_numbers(yours: Any, course: Any, path: str, key: str, sizes: Sizes,
                    shape: Callable[[str, Sizes], Any]) -> str | None:
    c = np.asarray(course, dtype=float)
    try:
        y = np.asarray(yours)
        if y.dtype.kind not in "biuf":
            raise TypeError
        y = y.astype(float)
    except (TypeError, ValueError):
        return f"{path} is {_kind(yours)}, not numbers"
    symbol = shape(key, sizes) if key else None
    if y.shape != c.shape:
        if c.shape == ():
            what = "is a number" if symbol is None else f"{symbol[0]} is a number"
            return f"{path} has shape {y.shape}; the course's {what}"
        want = f"{c.shape}" if symbol is None else f"{symbol[0]} is {symbol[1]} = {c.shape}"
        why = ""
        if y.ndim == 1:
            why = " -- a rank-1 array"
        elif y.shape == c.shape[::-1]:
            why = " -- transposed"
        return f"{path} has shape {y.shape}; the course's {want}{why}"
    if np.allclose(y, c, rtol=1e-6, atol=1e-9, equal_nan=False):
        return None
    name = path if symbol is None else f"{path} ({symbol[0]})"
    if c.shape == ():
        return f"{name} is {float(y):.6g}; the course's is {float(c):.6g}"
    gap = np.abs(y - c)
    gap[~np.isfinite(gap)] = np.inf
    where = tuple(int(i) for i in np.unravel_index(int(np.argmax(gap)), gap.shape))
    at = "[" + ", ".join(map(str, where)) + "]"
    return (f"{name} differs from the course's: at {at} yours is {y[where]:.6g}, the "
            f"course's {c[where]:.6g}")


# --- the course's symbols -------------------------------------------------------------------

_LAYERED = re.compile(r"(d?)(W|b|Z|A)(\d+|L)")


def layered(key: str) -> tuple[str, str, str] | None:
    """``dW1`` → ("d", "W", "1"), ``AL`` → ("", "A", "L"): a layer's quantity, or None."""
    match = _LAYERED.fullmatch(key)
    return match.groups() if match else None  # type: ignore[return-value]
