"""The command line: ``micrograd-dls demo | graph | train``.

Bad options get one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]


class UsageError(Exception):
    """A mistake in what the user typed: printed as one line, exit status 2."""


# --- demo --------------------------------------------------------------------


def lecture_graph(a: float = 5.0, b: float = 3.0, c: float = 2.0):
    """The lecture's J = 3(a + bc): u = b·c, v = a + u, J = 3·v, after backward."""
    from .value import Value

    a_, b_, c_ = Value(a, label="a"), Value(b, label="b"), Value(c, label="c")
    u = b_ * c_
    u.label = "u"
    v = a_ + u
    v.label = "v"
    J = 3 * v
    J.label = "J"
    J.backward()
    return J


def format_node_table(root) -> str:
    """One line per node, in topological order: name, operation, value, gradient."""
    from . import graph

    rows = [("node", "op", "value", "grad")]
    for node in graph.topological_order(root):
        name = graph.label(node) or "?"
        rows.append((name, graph.op(node) or "input", f"{node.data:g}", f"d{name} = {node.grad:g}"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in rows)


def _demo(args: argparse.Namespace) -> int:
    print("The lecture's computation graph: u = b*c, v = a + u, J = 3*v with a=5, b=3, c=2")
    J = lecture_graph()
    print(format_node_table(J))
    return 0


# --- graph -------------------------------------------------------------------


def _graph(args: argparse.Namespace) -> int:
    raise UsageError("the graph command is not available yet")


# --- train -------------------------------------------------------------------


def _train(args: argparse.Namespace) -> int:
    raise UsageError("the train command is not available yet")


# --- parsing -----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, status 2
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="micrograd-dls", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser("demo", help="the lecture's graph, rendered, and the course's models")
    demo.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    demo.set_defaults(run=_demo)

    graph = sub.add_parser("graph", help="draw the forward and backward graph of an expression")
    graph.set_defaults(run=_graph)

    train = sub.add_parser("train", help="train a model on a built-in data set or an .h5 file")
    train.set_defaults(run=_train)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``micrograd-dls`` console script."""
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except UsageError as e:
        print(f"micrograd-dls: error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
