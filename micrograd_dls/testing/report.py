"""The report of :func:`~micrograd_dls.testing.check_assignment`: one entry per graded
function, each a list of findings in the course's words, printed as a mentor would say
them -- what is wrong and where, never the solution's code.

This module only holds and prints what the checks found; it runs nothing.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["AssignmentReport", "Finding", "FunctionReport"]

_WIDTH = 100


@dataclass(frozen=True)
class Finding:
    """One thing the check found in a function. ``kind`` says which check: ``"global"``
    (a notebook variable read instead of an argument), ``"fixed"`` (a size, shape or rate
    fixed to the notebook's), ``"grader"`` (wrong with the grader's own inputs), ``"in
    place"`` (an input changed), ``"shape"`` (the shape lens), ``"values"``, ``"error"``,
    ``"gradients"``. ``text`` names the line and says what is wrong in the course's
    notation; ``fails`` is False for a note that does not fail the function."""

    kind: str
    text: str
    fails: bool = True


@dataclass
class FunctionReport:
    """The checks of one graded function: true when it was checked and nothing failed.
    ``gradients`` is the :class:`~micrograd_dls.testing.GradientReport` of the learner's
    own backward against autograd of their forward, on the entry of the backward function."""

    name: str
    checked: bool = True
    reason: str = ""
    findings: list[Finding] = field(default_factory=list)
    gradients: Any = None

    @property
    def ok(self) -> bool:
        """Checked, and no finding fails it."""
        return self.checked and not any(f.fails for f in self.findings)

    def __bool__(self) -> bool:
        return self.ok

    def lines(self) -> list[str]:
        """``ok``, ``FAIL`` or ``--`` and the name, then each finding, wrapped and indented."""
        if not self.checked:
            return [f"  --    {self.name}: not checked ({self.reason})"]
        out = [f"  {'ok  ' if self.ok else 'FAIL'}  {self.name}"]
        for finding in self.findings:
            head, *rest = finding.text.split("\n")
            note = "" if finding.fails or not self.ok else "note: "
            out.extend(textwrap.wrap(note + head, _WIDTH, initial_indent=" " * 8,
                                     subsequent_indent=" " * 10, break_on_hyphens=False,
                                     break_long_words=False))
            out.extend(" " * 8 + line for line in rest)
        return out

    def __str__(self) -> str:
        return "\n".join(self.lines())

    __repr__ = __str__


@dataclass
class AssignmentReport:
    """A learner's assignment as the grader sees it: ``functions`` maps each graded
    function's name to its :class:`FunctionReport`, in the notebook's order. True when at
    least one function was checked and every checked function passes (one that is not
    defined is not checked, and fails nothing). ``gradients`` is the gradient check of the
    learner's own forward and backward, and ``cost`` its cost J in the graph of their code,
    named after their variables, for ``viz.draw(report.cost)`` (None without a check)."""

    assignment: str
    title: str
    functions: dict[str, FunctionReport]
    gradients: Any = None

    @property
    def cost(self) -> Any:
        """J in the graph of the learner's code, or None when the gradients were not checked."""
        return None if self.gradients is None else self.gradients.cost

    @property
    def ok(self) -> bool:
        """Every function checked passes, and at least one was checked."""
        checked = [f for f in self.functions.values() if f.checked]
        return bool(checked) and all(f.ok for f in checked)

    def __bool__(self) -> bool:
        return self.ok

    def __getitem__(self, name: str) -> FunctionReport:
        return self.functions[name]

    def __iter__(self) -> Iterator[FunctionReport]:
        return iter(self.functions.values())

    def __len__(self) -> int:
        return len(self.functions)

    def __str__(self) -> str:
        entries = list(self.functions.values())
        passed = sum(f.ok for f in entries)
        failed = sum(f.checked and not f.ok for f in entries)
        unchecked = sum(not f.checked for f in entries)
        counts = [f"{passed} of {len(entries)} functions pass"]
        if failed:
            counts.append(f"{failed} fail{'s' if failed == 1 else ''}")
        if unchecked:
            counts.append(f"{unchecked} not checked")
        head = f"{self.title}, checked as the grader checks it: {', '.join(counts)}."
        return "\n".join([head, *(line for f in entries for line in f.lines())])

    __repr__ = __str__
