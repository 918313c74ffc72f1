"""``micrograd-dls check NOTEBOOK.ipynb``: a learner's assignment, read from their
notebook (or .py file), checked as the course's grader checks it.

This module owns the command's arguments, the checks on the file before it is read,
and guessing the assignment from the graded functions the file defines. Reading the
definitions -- and nothing else of the notebook, which never runs -- is
:func:`micrograd_dls.testing.functions_from_notebook`'s; the checks and the report
are :func:`micrograd_dls.testing.check_assignment`'s.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable, Iterable
from typing import Any

from ..checks import PATH_LIMIT, quote
from ..testing import check_assignment, functions_from_notebook, given_helpers, graded_names
from ..testing.assignment import ASSIGNMENTS
from .common import UsageError, paragraphs, path_text

__all__ = ["HELP", "add_parser", "guess_assignment", "run"]

#: The command's line in ``micrograd-dls -h`` and in the list of commands.
HELP = "check a notebook's graded functions as the course's grader does"


def guess_assignment(defined: Iterable[str]) -> str | None:
    """The assignment whose own graded names (those no other assignment grades) the file
    defines the most of; None when none of them, or two assignments as many."""
    defined = set(defined)
    names = {a: set(graded_names(a)) for a in ASSIGNMENTS}
    counts = {}
    for a, own in names.items():
        others = set().union(*(n for b, n in names.items() if b != a))
        counts[a] = len((own - others) & defined)
    best = max(counts.values())
    winners = [a for a, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


def _check_file(path: str) -> None:
    """The notebook must be a file that exists: a folder, a pipe or a device is refused
    before anything is read (reading a pipe would wait for ever)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise UsageError(f"no such file: {quote(path, PATH_LIMIT)}") from None
    except OSError as e:
        raise UsageError(f"cannot read {quote(path, PATH_LIMIT)} ({e.strerror or e})") from None
    if stat.S_ISDIR(mode):
        raise UsageError(f"{quote(path, PATH_LIMIT)} is a folder; give a notebook (.ipynb) "
                         "or a .py file in it")
    if not stat.S_ISREG(mode):
        raise UsageError(f"{quote(path, PATH_LIMIT)} is not a file; give a notebook (.ipynb) "
                         "or a .py file")


def _functions(path: str, name: str) -> dict[str, Callable[..., Any]]:
    try:
        return functions_from_notebook(path, graded_names(name), given_helpers(name))
    except ValueError as e:  # not a notebook, too large, no graded function, a def refused
        raise UsageError(str(e)) from None


def run(args: argparse.Namespace) -> int:
    """Read the graded functions, check them and print the report: 0 when every check
    passes, 1 otherwise; a file that cannot be read is a UsageError (2)."""
    path = args.notebook
    _check_file(path)
    name = args.assignment
    if name is None:
        every = sorted({n for a in ASSIGNMENTS for n in graded_names(a)})
        try:
            defined = functions_from_notebook(path, every)
        except ValueError as e:
            raise UsageError(str(e)) from None
        name = guess_assignment(defined)
        if name is None:
            *some, last = ASSIGNMENTS
            raise UsageError(
                f"cannot tell which assignment {quote(path, PATH_LIMIT)} is (it defines "
                f"{', '.join(sorted(defined))}); pass --assignment {', '.join(some)} or {last}"
            )
    functions = _functions(path, name)
    guessed = ", guessed from the functions it defines (--assignment chooses another)"
    print(f"{path_text(path)}: assignment {name}{'' if args.assignment else guessed}")
    try:
        report = check_assignment(name, functions)
    except SystemExit:  # exit() in a graded function: the check cannot go on
        print(f"micrograd-dls: error: {quote(path, PATH_LIMIT)}: a graded function called "
              "exit() or raised SystemExit while it was checked; take it out and check again",
              file=sys.stderr)
        return 1
    print(report)
    return 0 if report.ok else 1


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``check`` command: the notebook and --assignment."""
    parser = commands.add_parser(
        "check", help=HELP,
        description=paragraphs(
            "Take the graded functions of an assignment (propagate, forward_propagation, "
            "L_model_backward, ...) from the code cells of NOTEBOOK, and check them as the "
            "course's grader does: their values at the notebook's sizes and at others, the "
            "grader's own inputs, the inputs they change in place, the notebook variables "
            "they read, and your backward against autograd of your forward. Each mistake "
            "is named with its line in the cell.",
            "Nothing else of the notebook runs: no other cell, no magic, no data loading. "
            "The exit status is 0 when every function checked passes, 1 when one fails, "
            "2 when the file cannot be read.",
        ),
        epilog="examples:\n"
        "  micrograd-dls check Planar_data_classification_with_one_hidden_layer.ipynb\n"
        "  micrograd-dls check my_solution.py --assignment deep",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("notebook", metavar="NOTEBOOK",
                        help="the assignment's notebook (.ipynb), or a .py file")
    parser.add_argument(
        "--assignment", choices=list(ASSIGNMENTS),
        help="logistic_regression (week 2), planar (week 3) or deep (week 4); default: "
        "guessed from the graded functions the file defines",
    )
    parser.set_defaults(run=run)
