"""The command line: ``micrograd-dls demo | graph | train | check``.

This package owns what the user types and what they read back: one module per
command (:mod:`.demo`, :mod:`.graph`, :mod:`.train`, :mod:`.check`), each adding
its own parser and running it, and :mod:`.common` for what they share. Bad
options get one clear line on stderr and exit status 2; no command at all gets
the usage and the list of commands, also with status 2. It never knows how a
graph is drawn, a model trained or an assignment checked beyond calling
``viz``, ``nn`` and ``testing``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from .. import __version__
from ..checks import quote, shown
from . import check, demo, graph, train
from .common import Parser, UsageError
from .demo import flower_comparison, lecture_graph

__all__ = ["build_parser", "flower_comparison", "lecture_graph", "main"]

#: The commands in the order ``micrograd-dls`` lists them.
COMMANDS = {"demo": demo, "graph": graph, "train": train, "check": check}


def build_parser() -> argparse.ArgumentParser:
    """The ``micrograd-dls`` parser with every command's own."""
    parser = Parser(
        prog="micrograd-dls",
        description="The course's computation graphs and models, runnable and drawn.",
        epilog="examples:\n"
        "  micrograd-dls demo --out out\n"
        '  micrograd-dls graph "u = b*c; v = a + u; J = 3*v" a=5 b=3 c=2 --out out\n'
        "  micrograd-dls train --plot flower.png\n"
        "  micrograd-dls check assignment.ipynb",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"micrograd-dls {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for command in COMMANDS.values():
        command.add_parser(commands)
    return parser


def _commands_list() -> str:
    """The usage line, then each command with its one line of help (no command given)."""
    width = max(map(len, COMMANDS))
    lines = [f"  {name.ljust(width)}  {command.HELP}" for name, command in COMMANDS.items()]
    return (
        build_parser().format_usage()
        + "micrograd-dls: error: give a command:\n"
        + "\n".join(lines)
        + "\n(micrograd-dls COMMAND -h describes its options; micrograd-dls -h, everything)\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``micrograd-dls`` console script; returns the exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv:
        sys.stderr.write(_commands_list())
        return 2
    try:
        token = graph.misread_expression(argv)
        if token is not None:
            raise UsageError(
                f"{quote(token)} reads as an option; if it is the expression, put -- before "
                f"it, after the options (micrograd-dls graph --out DIR -- {quote(token)} "
                f"a=1 ...), or name it (J = {shown(token)})"
            )
        args = build_parser().parse_args(argv)
        return args.run(args)
    except UsageError as e:
        print(f"micrograd-dls: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C in a long training run: no traceback
        print("micrograd-dls: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the reader left (micrograd-dls check nb.ipynb | head)
        # Python would complain when it flushes stdout at exit: send the rest nowhere.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
