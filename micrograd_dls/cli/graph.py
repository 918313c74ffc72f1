"""``micrograd-dls graph "J = 3*a" a=5``: an expression's graph, its table of values and
gradients, its pictures and, on request, the page that steps through it.

This module owns the command's arguments and their mistakes; parsing the
expression itself is :mod:`micrograd_dls.expression`'s.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

from .. import graph
from ..checks import quote, shown
from ..expression import ExpressionError, build, parse_values
from ..viz import draw, draw_backward, draw_forward, format_node_table
from .common import UsageError, check_html, save_pictures, save_stepper

__all__ = ["HELP", "add_parser", "misread_expression", "run"]

#: The command's line in ``micrograd-dls -h`` and in the list of commands.
HELP = "draw the forward and backward graph of an expression"


def run(args: argparse.Namespace) -> int:
    """Build, backpropagate, print the table and write the pictures (and --html)."""
    if args.html:
        check_html(args.html)
    try:
        parse_values([args.expression])
    except ExpressionError:
        pass  # not a name=number: an expression, as it should be
    else:
        raise UsageError(
            f"{quote(args.expression)} is an input value, not an expression; give the "
            f'expression first, e.g. micrograd-dls graph "J = 3*a" {shown(args.expression)}'
        )
    try:
        root = build(args.expression, parse_values(args.values))
    except ExpressionError as e:
        raise UsageError(str(e)) from None
    root.backward()
    print(format_node_table(root))
    _warn_if_not_finite(root)
    show_ops = not args.merge_ops
    pictures = {
        "forward": draw_forward(root, show_ops=show_ops),
        "backward": draw_backward(root, show_ops=show_ops),
        "graph": draw(root, show_ops=show_ops),
    }
    status = save_pictures(pictures, args.out)
    if status == 0 and args.html:
        status = save_stepper(root, args.html, show_ops)
    return status


def _warn_if_not_finite(root: graph.Node) -> None:
    """Say so when a gradient is inf or nan: the table and pictures show it as such."""
    bad = [n for n in graph.topological_order(root) if not math.isfinite(graph.grad(n))]
    if bad:
        # Inputs come first in the order, and every input of an expression is named.
        first = bad[0]
        name = f"d{graph.label(first)}" if graph.label(first) else "an unnamed node's gradient"
        print(
            f"micrograd-dls: warning: {len(bad)} gradients are not finite, {name} = "
            f"{graph.grad(first)} first; a local derivative overflows a float",
            file=sys.stderr,
        )


def misread_expression(argv: Sequence[str]) -> str | None:
    """An expression such as ``-a*b`` that argparse would take for an option, if any.

    Only the ``graph`` command takes an expression; its options are ``-h`` and
    long ones, so a token with one leading minus is the expression.
    """
    if not argv or argv[0] != "graph":
        return None
    for token in argv[1:]:
        if token == "--":
            return None
        if token.startswith("-") and not token.startswith("--") and token != "-h":
            try:
                float(token)  # argparse reads a negative number as a value
            except ValueError:
                return token
    return None


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``graph`` command: the expression, the input values, --out, --html, --merge-ops."""
    parser = commands.add_parser(
        "graph",
        help=HELP,
        description="Build the expression's graph, backpropagate, print each node's value\n"
        "and gradient, and write forward.svg, backward.svg and graph.svg (both) into\n"
        "--out; --html FILE also writes a page that steps through backprop, e.g.\n"
        '  micrograd-dls graph "u = b*c; v = a + u; J = 3*v" a=5 b=3 c=2',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "expression",
        help="assignments separated by ';' (the last is the result), with + - * / ** and "
        "exp, log, tanh, sigmoid, relu",
    )
    parser.add_argument("values", nargs="*", metavar="name=value", help="each input's value")
    parser.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    parser.add_argument(
        "--html", metavar="FILE",
        help="also write FILE, a page that steps through the forward and backward pass",
    )
    parser.add_argument(
        "--merge-ops", action="store_true",
        help="draw each operation inside the value it makes, not as its own node",
    )
    parser.set_defaults(run=run)
