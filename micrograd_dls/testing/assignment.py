"""check_assignment: a learner's whole assignment, checked as the course's grader checks
it -- at the notebook's sizes and at others, with the grader's own traps -- and reported
per function, with the learner's line, in the course's notation.

For each graded function: the notebook globals it reads instead of its arguments
(:mod:`.source`); its values against :mod:`micrograd_dls.reference` at the notebook's
sizes and at random ones, so that a size, shape or rate fixed to the notebook's is found
and the line that holds it named; the grader's inputs the notebook never gives (a cache
whose A1 is not tanh(Z1)); its inputs compared before and after the call, and the line
that changed one found by a line tracer (:mod:`.runs`); the shape lens while it runs on
Tensors (:mod:`.lens`). Then autograd of the learner's own forward and cost against their
own backward (:func:`.check_gradients`). The assignments are described in
:mod:`.logistic`, :mod:`.planar` and :mod:`.deep`; the report is :mod:`.report`'s.

This module never knows an assignment's particulars -- its functions, sizes, answers
and traps are data it is given -- and never prints: the report does.
"""

from __future__ import annotations

import ast
import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from ..checks import quote
from ..tensor import Tensor
from . import lens as shape_lens
from . import runs, source
from .course import Assignment, Graded, Trap, difference, sizes_text
from .deep import DEEP
from .exits import recording
from .logistic import LOGISTIC
from .planar import PLANAR
from .report import AssignmentReport, Finding, FunctionReport
from .runs import (
    Outcome,
    Site,
    TimeLimit,
    Watch,
    call,
    exception_site,
    find_change,
    guarded,
    positional,
)

__all__ = ["ASSIGNMENTS", "check_assignment", "given_helpers", "graded_names"]

#: The course's programming assignments, by the name check_assignment takes.
ASSIGNMENTS: dict[str, Assignment] = {a.name: a for a in (LOGISTIC, PLANAR, DEEP)}


def _assignment(name: Any) -> Assignment:
    if not isinstance(name, str) or name not in ASSIGNMENTS:
        raise ValueError(
            f"unknown assignment {quote(name)}; choose one of "
            + ", ".join(repr(n) for n in ASSIGNMENTS)
        )
    return ASSIGNMENTS[name]


def graded_names(name: str) -> tuple[str, ...]:
    """The names of the functions the assignment ``name`` grades, in the notebook's order."""
    return tuple(g.name for g in _assignment(name).functions)


def given_helpers(name: str) -> dict[str, Callable[..., Any]]:
    """The helpers the assignment's notebook imports from the course's files (week 4's
    ``relu``, ``sigmoid_backward``, ...), for functions read from a notebook's cells."""
    return dict(_assignment(name).given)


def check_assignment(name: str, functions: Mapping[str, Any]) -> AssignmentReport:
    """Each graded function of the assignment ``name`` checked as the grader checks it.

    ``name`` is ``"logistic_regression"`` (week 2), ``"planar"`` (week 3) or ``"deep"``
    (week 4); ``functions`` maps the course's names to the learner's functions -- in a
    notebook, ``check_assignment("planar", globals())``. A function that is missing is
    reported as not checked. The report prints in the course's words, is true when
    every function checked passes, and has one entry per function (``report["predict"]``);
    ``report.cost`` is the cost in the graph of the learner's own code, for
    ``viz.draw(report.cost)``. numpy's global random state is left as it was.
    """
    assignment = _assignment(name)
    if not isinstance(functions, Mapping):
        raise TypeError(
            "functions must map the course's names to your functions, e.g. globals() or "
            f"{{'propagate': propagate}}; got {quote(functions)}"
        )
    state = np.random.get_state()
    try:
        entries = {}
        for graded in assignment.functions:
            f = functions.get(graded.name)
            if f is None:
                entries[graded.name] = FunctionReport(graded.name, checked=False,
                                                      reason="not defined")
            elif not callable(f):
                entries[graded.name] = FunctionReport(
                    graded.name, checked=False, reason=f"{quote(f)} is not a function")
            else:
                entries[graded.name] = _Checker(assignment, graded, f).check()
        gradients = _gradient_check(assignment, functions, entries)
    finally:
        np.random.set_state(state)
    return AssignmentReport(assignment.name, assignment.title, entries, gradients)


# --- one function ---------------------------------------------------------------------------


class _Run:
    """One call at some sizes: what came back, which inputs it changed, how it differs."""

    def __init__(self, sizes: dict, seed: int, variant: Mapping, outcome: Outcome,
                 changed: list[str], problem: str | None) -> None:
        self.sizes, self.seed, self.variant = sizes, seed, variant
        self.outcome, self.changed, self.problem = outcome, changed, problem

    @property
    def ok(self) -> bool:
        return self.outcome.error is None and self.problem is None


class _Checker:
    def __init__(self, assignment: Assignment, graded: Graded, f: Callable[..., Any]) -> None:
        self.a, self.g, self.f = assignment, graded, f
        self.tree = source.parse_function(f)
        code = getattr(f, "__code__", None)
        self.filename = getattr(code, "co_filename", "")
        self.within = getattr(code, "co_name", graded.name)  # the learner's own name for it
        self.entry = FunctionReport(graded.name)
        self.configs = [(dict(assignment.notebook), 0)] + [
            (assignment.draw(np.random.default_rng(1000 + i)), i) for i in (1, 2)]

    def add(self, kind: str, text: str, fails: bool = True) -> None:
        self.entry.findings.append(Finding(kind, text, fails))

    def check(self) -> FunctionReport:
        self._globals()
        done: list[_Run] = []
        for sizes, seed in self.configs:
            for v in self.g.variants:
                done.append(self._run(sizes, seed, v))
                if isinstance(done[-1].outcome.error, TimeLimit):  # once is enough to wait
                    self._wrong(done[-1])
                    return self.entry
        notebook = [r for r in done if r.seed == 0]
        bad = [r for r in done if not r.ok]
        if bad and all(r.ok for r in notebook):
            self._fixed(bad[0])
        elif bad:
            self._wrong(next(r for r in notebook if not r.ok))
        changed = next((r for r in done if r.changed), None)
        if changed is not None:
            self._in_place(changed)
        if self.g.trap is not None and not bad:
            self._trap()
        sizes, seed = self.configs[1]
        failing = not self.entry.ok
        seen = dict.fromkeys(t for v in self.g.variants for t in self._lens(sizes, seed, v))
        for text in seen:  # each once, though every variant (activation) showed it
            self.add("shape", text, fails=failing)
        return self.entry

    # --- calling ----------------------------------------------------------------------

    def _arguments(self, sizes: dict, seed: int, variant: Mapping,
                   maker: Callable[..., dict] | None = None) -> dict[str, Any]:
        args = (maker or self.g.arguments)(np.random.default_rng(seed), sizes, **variant)
        names = list(args)  # the optional ones last: given to a function that takes them
        take = max(len(names) - len(self.g.optional), min(len(names), positional(self.f)))
        return {k: args[k] for k in names[:take]}

    def _run(self, sizes: dict, seed: int, variant: Mapping,
             maker: Callable[..., dict] | None = None) -> _Run:
        args = self._arguments(sizes, seed, variant, maker)
        full = (maker or self.g.arguments)(np.random.default_rng(seed), sizes, **variant)
        expected = self.g.answer(copy.deepcopy(full))
        watch = Watch(args)
        outcome = call(self.f, tuple(args.values()))
        problem = None
        if outcome.error is None:
            if self.g.kind == "initialization":
                problem = _initialization(outcome.value, expected, self.g, self.a, sizes)
            else:
                problem = difference(outcome.value, expected, self.g.returns, sizes,
                                     self.a.shape)
        return _Run(sizes, seed, variant, outcome, watch.changed(), problem)

    # --- what a run shows -------------------------------------------------------------

    def _globals(self) -> None:
        for read in source.global_reads(self.f):
            where = Site(self.filename, read.line, self.within).where()
            if read.defined:
                self.add("global", (
                    f"{where}: reads {read.name}, a variable of your notebook, instead of "
                    f"an argument: the grader calls {self.g.name} with its own inputs, and "
                    f"your {read.name} is not among them"))
            else:
                self.add("global", (
                    f"{where}: uses {read.name}, which {self.g.name} neither takes as an "
                    "argument nor finds defined (a name from elsewhere in your notebook?)"))

    def _at(self, run: _Run) -> str:
        shown = tuple(d for d in self.a.notebook if d in self.g.dims or not self.g.dims)
        at = sizes_text(run.sizes, shown if self.g.dims else ())
        variant = ", ".join(f"{k} = {v!r}" for k, v in run.variant.items())
        return ", ".join(filter(None, [at, variant]))

    def _wrong(self, run: _Run) -> None:
        """Wrong at the notebook's sizes too: the error with its line, or the value."""
        if run.outcome.error is not None:
            text = self._error(run.outcome)
            if text:
                self.add("error", text)
            return
        at = self._at(run)
        self.add("values", f"at {at}: {run.problem}" if at else str(run.problem))

    def _error(self, outcome: Outcome) -> str:
        error, site = outcome.error, outcome.site
        where = site.where(self.within) if site else "in a line that is not yours"
        if isinstance(error, TimeLimit):
            return f"{where}: still running after {runs.CALL_SECONDS:g} s -- an endless loop?"
        if isinstance(error, SystemExit):
            return (f"{where}: the function calls exit() (SystemExit), which would stop the "
                    "grader itself; return a value instead")
        if isinstance(error, NameError) and any(
                f.kind == "global" and f"uses {getattr(error, 'name', '')}," in f.text
                for f in self.entry.findings):
            return ""  # said already, with its line
        text = f"{where}: {type(error).__name__}: {quote(str(error), 160)}"
        return text + _product_hint(error, site)  # type: ignore[arg-type]  # an outcome that failed

    def _fixed(self, run: _Run) -> None:
        """Right at the notebook's sizes, wrong at others: find which size, and the line."""
        notebook = self.a.notebook
        culprits = []
        for d in self.g.dims:
            if run.sizes[d] == notebook[d]:
                continue
            sizes = {**notebook, d: run.sizes[d]}
            if not all(self._run(sizes, run.seed, v).ok for v in self.g.variants):
                culprits.append(d)
        wanted = {name: values for d in culprits for name, values in self.a.fixed[d].items()}
        lines: dict[int, list[tuple[str, float]]] = {}
        for line, name, value in source.fixed_numbers(self.tree, wanted):
            lines.setdefault(line, []).append((name, value))
        dims = culprits or [d for d in self.g.dims if run.sizes[d] != notebook[d]]
        right = f"right at {_sizes(notebook, dims)}, wrong at {_sizes(run.sizes, dims)}"
        for line, found in lines.items():
            where = Site(self.filename, line, self.within).where()
            fixes = " and ".join(f"{n} to the notebook's {_plain(v)}" for n, v in found)
            take = ", ".join(f"{n} from {self.g.sources.get(n, 'its arguments')}"
                             for n in dict.fromkeys(n for n, _ in found))
            self.add("fixed", f"{where}: fixes {fixes} -- {right}: {self.g.name} must take "
                     f"{take}")
        if lines or any(f.kind == "global" for f in self.entry.findings):
            return  # the line is named (a global read explains it too)
        what = run.problem if run.outcome.error is None else self._error(run.outcome)
        take = ", ".join(f"{n} from {self.g.sources.get(n, 'its arguments')}"
                         for d in dims for n in self.a.fixed.get(d, {d: ()}))
        self.add("fixed", (
            f"{right}: something in {self.g.name} is fixed to the notebook's "
            f"{' and '.join(dims)}; it must take {take}. There: {what}"))

    def _in_place(self, run: _Run) -> None:
        args = self._arguments(run.sizes, run.seed, run.variant)
        site, paths = find_change(self.f, args)
        where = site.where(self.within) if site is not None else "somewhere in the function"
        root = re.match(r"\w+", paths[0]).group(0) if paths else "its inputs"  # type: ignore[union-attr]  # a path starts with a name
        self.add("in place", (
            f"{where}: changes {', '.join(paths[:2])} in place, an input it was given: "
            f"whoever called {self.g.name} (the grader, or your next cell) now holds other "
            f"numbers in {root}, and later calls go wrong -- compute new arrays instead of "
            "writing into the inputs"))

    def _trap(self) -> None:
        trap: Trap = self.g.trap  # type: ignore[assignment]  # called only when there is one
        sizes, seed = self.configs[1]
        run = self._run(sizes, seed, {}, maker=lambda rng, s: trap.arguments(rng, s))
        if run.ok:
            return
        lines = source.calls_to(self.tree, trap.call)
        what = run.problem or self._error(run.outcome)
        if lines:
            where = "; ".join(Site(self.filename, n, self.within).where() for n in lines[:2])
            self.add("grader", (
                f"right with the notebook's inputs, wrong with {trap.what}: {where} "
                f"recomputes {trap.call} -- {trap.why}. There: {what}"))
        else:
            self.add("grader", f"right with the notebook's inputs, wrong with {trap.what} "
                     f"-- {trap.why}. There: {what}")

    def _lens(self, sizes: dict, seed: int, variant: Mapping) -> list[str]:
        """The shape mistakes the code makes while it runs on Tensors, in course words."""
        args = self._arguments(sizes, seed, variant)
        if not any(isinstance(v, np.ndarray) for v in _leaves(args)):
            return []
        tensors = [_tensors(v) for v in args.values()]
        try:
            with shape_lens.watching() as lens, recording(), guarded():
                self.f(*tensors)
        except (Exception, SystemExit, TimeLimit):
            pass  # an error is the numpy run's to report; Tensors may refuse what numpy runs
        return [self._shape_text(found, sizes) for found in lens.findings]

    def _shape_text(self, found: shape_lens.ShapeFinding, sizes: dict) -> str:
        where = found.site.where(self.within)
        key = source.assigned_name(source.statement_in_file(found.site.filename, found.site.line))
        course = self.a.shape(key, sizes) if key else None
        x = found.shapes[0] if found.shapes else ()
        y = found.shapes[1] if len(found.shapes) > 1 else ()
        if found.kind == "transposed":
            text = (f"{where}: '{found.op}' broadcasts a {x} against a {y} into a "
                    f"{found.out} matrix; both should have one shape")
        elif found.kind == "product":
            text = (f"{where}: '*' multiplies a {x} by a {y} entry by entry (broadcast to "
                    f"{found.out}); their shapes say a matrix product was meant (np.dot)")
        elif len(found.out) == 1:
            made = "np.sum without keepdims=True" if found.op == "sum" else f"'{found.op}'"
            text = f"{where}: {made} makes a rank-1 array of shape {found.out}"
        else:
            rank1 = next(s for s in found.shapes if len(s) == 1)
            text = f"{where}: a rank-1 array of shape {rank1} enters '{found.op}'"
        if course is not None and course[2] != ():
            text += f" -- the course's {course[0]} is {course[1]} = {course[2]}"
        elif found.kind == "rank-1":
            text += " -- the course keeps vectors 2-D: a column (n, 1) or a row (1, m)"
        return text


def _plain(x: Any) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def _sizes(sizes: Mapping[str, Any], dims: list[str]) -> str:
    return sizes_text(sizes, tuple(dims))


def _leaves(x: Any) -> list[Any]:
    if isinstance(x, dict):
        return [v for item in x.values() for v in _leaves(item)]
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _leaves(item)]
    return [x]


def _tensors(x: Any) -> Any:
    """The arguments with every float array a Tensor that requires a gradient."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f":
        return Tensor(x, requires_grad=True)
    if isinstance(x, dict):
        return {k: _tensors(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_tensors(v) for v in x]
    if isinstance(x, tuple):
        return tuple(_tensors(v) for v in x)
    return x


_SHAPES = re.compile(r"\((\d+(?:,\s*\d+)*),?\)")


def _product_hint(error: BaseException, site: Site | None) -> str:
    """For numpy's broadcast error on a line with ``*``: shapes that make a product."""
    if site is None or "broadcast" not in str(error):
        return ""
    shapes = [tuple(int(n) for n in s.split(",")) for s in _SHAPES.findall(str(error))]
    if len(shapes) < 2 or len(shapes[0]) != 2 or len(shapes[1]) != 2:
        return ""
    x, y = shapes[0], shapes[1]
    statement = source.statement_in_file(site.filename, site.line)
    if statement is None:
        return ""
    multiplies = any(
        (isinstance(n, ast.BinOp) and isinstance(n.op, ast.Mult)) or
        (isinstance(n, ast.Call) and getattr(n.func, "attr", getattr(n.func, "id", "")) ==
         "multiply")
        for n in ast.walk(statement))
    if not multiplies or x[1] != y[0]:
        return ""
    return (f" -- '*' multiplies entry by entry; a {x} and a {y} say a matrix product was "
            "meant (np.dot)")


def _initialization(value: Any, expected: dict, graded: Graded, a: Assignment,
                    sizes: dict) -> str | None:
    """Random weights are checked by shape, size and not being 0; biases are zeros."""
    if not isinstance(value, Mapping):
        return f"returns {quote(value)}; the course's returns the dict of parameters"
    for key, want in expected.items():
        if key not in value:
            return f"parameters has no {quote(key)}"
        symbol = a.shape(key, sizes)
        name = f"{key} ({symbol[0]})" if symbol else key
        try:
            got = np.asarray(value[key], dtype=float)
        except (TypeError, ValueError):
            return f"{name} is {quote(value[key])}, not numbers"
        if got.shape != want.shape:
            course = f"{symbol[1]} = {want.shape}" if symbol else f"{want.shape}"
            rank1 = " -- a rank-1 array" if got.ndim == 1 else ""
            return f"{name} has shape {got.shape}; the course's is {course}{rank1}"
        if not np.isfinite(got).all():
            return f"{name} has entries that are not finite"
        if key.startswith("b") and np.any(got):
            return f"{name} is not zeros: the course starts every bias at 0"
        if key.startswith("W"):
            if not np.any(got):
                return (f"{name} is all zeros: every hidden unit would compute the same "
                        "function; the course draws W at random (np.random.randn)")
            if graded.scale is not None and np.abs(got).max() > 10 * graded.scale:
                return (f"{name} has entries as large as {np.abs(got).max():.3g}: the course "
                        f"scales the random draws by {graded.scale:g}")
    return None


# --- the learner's own forward against their own backward -----------------------------------


def _gradient_check(a: Assignment, functions: Mapping[str, Any],
                    entries: dict[str, FunctionReport]) -> Any:
    """Autograd of the learner's forward and cost against their backward, on the entry of
    the backward function; not when their forward or cost fails (autograd of it would not
    be the course's gradient)."""
    entry = entries.get(a.gradient_entry)
    if a.gradients is None or entry is None or not entry.checked:
        return None
    forward = [n for n in a.gradient_needs if n != a.gradient_entry]
    of = f"autograd of your {' and '.join(forward)}" if forward else \
        "autograd of the cost it computes"
    missing = [n for n in forward if not callable(functions.get(n))]
    failing = [n for n in forward if n in entries and entries[n].checked and not entries[n].ok]
    if missing or failing:
        why = (f"that needs your {', '.join(missing)}" if missing else
               f"your {', '.join(failing)} fails above, so {of} is not the course's gradient")
        entry.findings.append(Finding("gradients", f"gradients not compared: {why}", False))
        return None
    try:
        with guarded():
            report = a.gradients(functions, np.random.default_rng(7),
                                 a.draw(np.random.default_rng(1001)))
    except (Exception, SystemExit, TimeLimit) as error:
        if entry.ok:  # else its failures above say why
            site = exception_site(error)
            how = f"your code did not run on tensors -- {site.where()}: " if site else ""
            entry.findings.append(Finding("gradients", (
                f"gradients not compared: {how}{type(error).__name__}: "
                f"{quote(str(error), 200)}"), False))
        return None
    entry.gradients = report
    if report.ok:
        entry.findings.append(Finding("gradients", (
            f"gradients: your {a.gradient_entry} agrees with {of} "
            f"(difference = {report.difference:.3g})"), False))
        return report
    wrong = [
        f"  d{c.name}: difference = {c.difference:.3g}" + (f" -- {c.hint}" if c.hint else "")
        for c in report.checks if not c.ok]
    entry.findings.append(Finding("gradients", "\n".join([
        f"gradients: your {a.gradient_entry} disagrees with {of} "
        f"(difference = {report.difference:.3g}):", *wrong])))
    return report
