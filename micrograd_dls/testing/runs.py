"""Running a learner's function as a grader does: on fresh arguments, with what it prints
kept aside, numpy's warnings off, under a time limit, and with its inputs watched, so
that a change it makes to them in place is found and the line that made it named.

This module knows numpy and Python's tracing hook (``sys.settrace``); nothing of the
course's assignments or of the graph.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import os
import sys
import sysconfig
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .source import quoted_line

__all__ = ["CALL_SECONDS", "Outcome", "Site", "TimeLimit", "Watch", "call", "find_change",
           "guarded", "is_learner_file", "positional"]

#: Seconds one call of the learner's code may take before it is stopped.
CALL_SECONDS = 10.0

_LIBRARY = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep
_SYSTEM = tuple(
    os.path.abspath(p) + os.sep
    for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values()}
    if p
)
_learner_files: dict[str, bool] = {}


def is_learner_file(filename: str) -> bool:
    """True for code that is neither this library's, nor Python's or an installed
    package's: the learner's module, notebook cell or test file."""
    known = _learner_files.get(filename)
    if known is None:
        if filename.startswith("<"):  # generated code (<string>, <frozen ...>), or a
            known = filename.startswith("<ipython-input-")  # cell of a terminal IPython
        else:
            path = os.path.abspath(filename)
            known = not (path.startswith(_LIBRARY) or path.startswith(_SYSTEM))
        _learner_files[filename] = known
    return known


class TimeLimit(BaseException):
    """The learner's code ran past its time limit (a BaseException, so that a learner's
    ``except Exception`` does not swallow it)."""


@dataclass(frozen=True)
class Site:
    """A line of the learner's code: file (or cell), line number, function."""

    filename: str
    line: int
    function: str

    def where(self, within: str | None = None) -> str:
        """``line 7: 'm = 400'``, with ``in relu_backward`` when it is not ``within``."""
        text = quoted_line(self.filename, self.line)
        if within is not None and self.function != within:
            head, _, rest = text.partition(":")
            return f"{head} in {self.function}" + (f":{rest}" if rest else "")
        return text


@dataclass
class Outcome:
    """What one call gave: its value, or the error it raised and the learner's line that
    raised it; what it printed."""

    value: Any = None
    error: BaseException | None = None
    site: Site | None = None
    printed: str = ""


def positional(f: Callable[..., Any]) -> int:
    """How many positional arguments ``f`` takes (a large number for ``*args``; 0 when it
    has no signature)."""
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return 0
    if any(p.kind is p.VAR_POSITIONAL for p in parameters):
        return 1 << 10
    return sum(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in parameters)


def exception_site(error: BaseException) -> Site | None:
    """The innermost line of the learner's code in the error's traceback."""
    site = None
    for frame, line in traceback.walk_tb(error.__traceback__):
        if is_learner_file(frame.f_code.co_filename):
            site = Site(frame.f_code.co_filename, line, frame.f_code.co_name)
    return site


# --- watching the inputs ------------------------------------------------------------------


@dataclass
class Watch:
    """The arguments of one call, as they were: every array's numbers, every dict's and
    list's entries, by path (``parameters["W1"]``, ``caches[0][1]``)."""

    arguments: dict[str, Any]
    _arrays: list[tuple[str, np.ndarray, np.ndarray]] = field(default_factory=list)
    _containers: list[tuple[str, Any, list]] = field(default_factory=list)

    def __post_init__(self) -> None:
        for name, value in self.arguments.items():
            self._take(name, value, 0)

    def _take(self, path: str, value: Any, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(value, np.ndarray):
            self._arrays.append((path, value, value.copy()))
        elif isinstance(value, dict):
            self._containers.append((path, value, list(value.items())))
            for k, v in value.items():
                self._take(f"{path}[{k!r}]", v, depth + 1)
        elif isinstance(value, (list, tuple)):
            if isinstance(value, list):
                self._containers.append((path, value, list(value)))
            for i, v in enumerate(value):
                self._take(f"{path}[{i}]", v, depth + 1)

    def changed(self) -> list[str]:
        """The paths whose numbers or entries differ from what they were."""
        out = []
        for path, now, was in self._arrays:
            if now.shape != was.shape or not np.array_equal(
                    now, was, equal_nan=now.dtype.kind in "fc"):
                out.append(path)
        for path, now, was in self._containers:  # type: ignore[assignment]  # now: a container here
            items = list(now.items()) if isinstance(now, dict) else list(now)
            if len(items) != len(was) or any(
                    (a[0] != b[0] or a[1] is not b[1]) if isinstance(now, dict) else a is not b
                    for a, b in zip(items, was)):
                out.append(path)
        return out


# --- the tracer: a time limit, and the line that changed an input --------------------------


class _Tracer:
    def __init__(self, seconds: float, watch: Watch | None) -> None:
        self.deadline = time.monotonic() + seconds
        self.watch = watch
        self.last: Site | None = None
        self.found: tuple[Site, list[str]] | None = None

    def start(self, frame: Any, event: str, arg: Any) -> Any:
        if not is_learner_file(frame.f_code.co_filename):
            return None
        return self.step

    def step(self, frame: Any, event: str, arg: Any) -> Any:
        if time.monotonic() > self.deadline:
            raise TimeLimit
        if self.watch is not None and self.found is None and event in ("line", "return"):
            if self.last is not None:
                paths = self.watch.changed()
                if paths:
                    self.found = (self.last, paths)
            if event == "line":
                code = frame.f_code
                self.last = Site(code.co_filename, frame.f_lineno, code.co_name)
        return self.step


@contextlib.contextmanager
def guarded(seconds: float | None = None, watch: Watch | None = None) -> Iterator[_Tracer]:
    """Inside the block, the learner's code runs under a time limit (:class:`TimeLimit`,
    after :data:`CALL_SECONDS` unless ``seconds`` is given) and, with a ``watch``, the
    first line after which an input differs is noted, with numpy's warnings and what it
    prints kept out of the reader's way."""
    tracer = _Tracer(CALL_SECONDS if seconds is None else seconds, watch)
    previous = sys.gettrace()
    sys.settrace(tracer.start)
    try:
        with warnings.catch_warnings(), np.errstate(all="ignore"), \
                contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield tracer
    finally:
        sys.settrace(previous)


def call(f: Callable[..., Any], args: tuple, seconds: float | None = None) -> Outcome:
    """``f(*args)`` guarded; an error (or running out of time) is kept with its line."""
    buffer = io.StringIO()
    try:
        with guarded(seconds), contextlib.redirect_stdout(buffer):
            value = f(*args)
    except (Exception, SystemExit, TimeLimit) as error:
        return Outcome(error=error, site=exception_site(error), printed=buffer.getvalue())
    return Outcome(value=value, printed=buffer.getvalue())


def find_change(f: Callable[..., Any], arguments: dict[str, Any],
                seconds: float | None = None) -> tuple[Site | None, list[str]]:
    """Call ``f`` on ``arguments`` (in order) line by line, comparing them after each
    line: the line after which they first differed, and which of them changed."""
    watch = Watch(arguments)
    try:
        with guarded(seconds, watch) as tracer:
            f(*arguments.values())
    except (Exception, SystemExit, TimeLimit):
        pass
    if tracer.found is not None:
        return tracer.found
    return None, watch.changed()
