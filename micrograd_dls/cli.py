"""The command line: ``micrograd-dls demo | graph | train``.

Bad options get one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import math
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


def _save_pictures(pictures: dict, out: str) -> int:
    """Render each picture to ``out/<name>.svg`` and say where; without Graphviz's
    ``dot``, write the DOT sources instead, print how to install it, and return 1."""
    import os

    from .viz import GraphvizNotFoundError, save_svg

    try:
        os.makedirs(out, exist_ok=True)
    except OSError as e:
        raise UsageError(f"--out {out!r}: cannot create the folder ({e.strerror or e})") from None
    for name, picture in pictures.items():
        path = os.path.join(out, name + ".svg")
        try:
            print(f"wrote {save_svg(picture, path)}")
        except GraphvizNotFoundError as e:
            for other, source in pictures.items():
                _write_text(os.path.join(out, other + ".dot"), source.source)
            print(f"micrograd-dls: {e}", file=sys.stderr)
            return 1
        except OSError as e:
            raise UsageError(f"cannot write {path} ({e.strerror or e})") from None
        except RuntimeError as e:  # dot itself failed: not the user's input
            print(f"micrograd-dls: error: {e}", file=sys.stderr)
            return 1
    return 0


def _write_text(path: str, text: str) -> None:
    try:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    except OSError as e:
        raise UsageError(f"cannot write {path} ({e.strerror or e})") from None
    print(f"wrote {path} (DOT source)")


def _save_stepper(root, path: str, show_ops: bool = True) -> int:
    """Write the page that steps through backprop of ``root`` to ``path``; 1 when
    Graphviz is missing or its layout fails (one line on stderr)."""
    import os

    from .viz import GraphvizNotFoundError, save_html, step_through

    if not path.lower().endswith((".html", ".htm")):
        raise UsageError(f"--html {path!r}: give a file ending in .html")
    try:
        stepper = step_through(root, show_ops=show_ops)
    except GraphvizNotFoundError as e:
        print(f"micrograd-dls: {e}", file=sys.stderr)
        return 1
    except RuntimeError as e:  # dot ran out of time or failed: not the user's input
        print(f"micrograd-dls: error: {e}", file=sys.stderr)
        return 1
    try:
        written = save_html(stepper, path)
    except OSError as e:
        raise UsageError(f"cannot write {path} ({e.strerror or e})") from None
    print(f"wrote {written} -- open file://{os.path.abspath(written)} in a browser to step "
          "through backpropagation")
    return 0


def _demo(args: argparse.Namespace) -> int:
    import os

    from .viz import draw, draw_backward, draw_forward, format_node_table

    print("The lecture's computation graph: u = b*c, v = a + u, J = 3*v with a=5, b=3, c=2")
    J = lecture_graph()
    print(format_node_table(J))
    print(f"Its pictures, forward (values), backward (dvar) and both together, in {args.out}/:")
    status = _save_pictures(
        {"forward": draw_forward(J), "backward": draw_backward(J), "lecture": draw(J)}, args.out
    )
    if status == 0:
        status = _save_stepper(J, os.path.join(args.out, "lecture.html"))
    _demo_training()  # needs no Graphviz
    return status


# --- graph -------------------------------------------------------------------


def _graph(args: argparse.Namespace) -> int:
    from .expression import ExpressionError, build, parse_values
    from .viz import draw, draw_backward, draw_forward, format_node_table

    if args.html and not args.html.lower().endswith((".html", ".htm")):
        raise UsageError(f"--html {args.html!r}: give a file ending in .html")
    try:
        parse_values([args.expression])
    except ExpressionError:
        pass  # not a name=number: an expression, as it should be
    else:
        raise UsageError(
            f"{args.expression!r} is an input value, not an expression; give the expression "
            f'first, e.g. micrograd-dls graph "J = 3*a" {args.expression}'
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
    status = _save_pictures(pictures, args.out)
    if status == 0 and args.html:
        status = _save_stepper(root, args.html, show_ops)
    return status


def _warn_if_not_finite(root) -> None:
    """Say so when a gradient is inf or nan: the table and pictures show it as such."""
    from . import graph

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


# --- train -------------------------------------------------------------------


def _load_data(args: argparse.Namespace):
    """(description, X, Y, X_test, Y_test) for --data: a built-in set or a course .h5 file."""
    import os

    from . import data

    name = args.data
    if name in data.DATASETS:
        if args.test is not None:
            raise UsageError(
                f"--test is for .h5 data; the built-in {name} set is tested on a fresh draw"
            )
        if args.m < 2 or args.m % 2:
            raise UsageError(f"--m must be an even number of examples >= 2, got {args.m}")
        make = data.DATASETS[name]
        X, Y = make(m=args.m, seed=args.data_seed)
        X_test, Y_test = make(m=args.m, seed=args.data_seed + 1)
        return f"{name} (seed {args.data_seed})", X, Y, X_test, Y_test
    if not name.endswith(".h5"):
        raise UsageError(
            f"--data: unknown data set {name!r}; choose {', '.join(data.DATASETS)} "
            "or give a course .h5 file"
        )
    paths = [name] if args.test is None else [name, args.test]
    sets = []
    for path in paths:
        if not os.path.isfile(path):
            raise UsageError(f"no such data file: {path!r}")
        try:
            sets.append(data.load_h5(path))
        except (ImportError, ValueError) as e:
            raise UsageError(str(e)) from None
    train = sets[0]
    X_test = Y_test = None
    if len(sets) == 2:
        X_test, Y_test = sets[1].X, sets[1].Y
        if X_test.shape[0] != train.X.shape[0]:
            raise UsageError(
                f"--test pictures have {X_test.shape[0]} features, the training ones "
                f"{train.X.shape[0]}; give files of the same layout"
            )
    return os.path.basename(name), train.X, train.Y, X_test, Y_test


def _layer_sizes(text: str | None, n_x: int, what: str) -> list[int]:
    if text is None:
        return [n_x, 4, 1]
    try:
        dims = [int(t) for t in text.split(",")]
    except ValueError:
        raise UsageError(
            f"--layers {text!r}: give sizes separated by commas, e.g. {n_x},4,1"
        ) from None
    if len(dims) < 2 or min(dims) < 1:
        raise UsageError(f"--layers {text!r}: give at least two positive sizes, e.g. {n_x},4,1")
    if dims[0] != n_x or dims[-1] != 1:
        raise UsageError(
            f"--layers {text!r} does not match the data: {what} has n_x = {n_x} features and "
            f"one label per example, so the sizes must read {n_x},...,1"
        )
    return dims


def _train(args: argparse.Namespace) -> int:
    import os

    from . import nn

    if not (math.isfinite(args.lr) and args.lr > 0):
        raise UsageError(f"--lr must be a positive finite number, got {args.lr:g}")
    for option, value in (("--iterations", args.iterations), ("--print-every", args.print_every)):
        if not value > 0:
            raise UsageError(f"{option} must be positive, got {value:g}")
    # numpy's legacy seeding takes 0 .. 2**32 - 1; a built-in test set uses seed + 1.
    for option, value, top, why in (("--seed", args.seed, 2**32 - 1, ""),
                                    ("--data-seed", args.data_seed, 2**32 - 2,
                                     " (the test set is drawn with seed + 1)")):
        if not 0 <= value <= top:
            raise UsageError(f"{option} must be a non-negative int up to {top}{why}, got {value}")
    if args.save and os.path.isdir(args.save):
        raise UsageError(
            f"--save {args.save!r} is a folder; give a file in it, e.g. "
            f"{os.path.join(args.save, 'model.npz')}"
        )
    if args.save and not os.path.isdir(os.path.dirname(os.path.abspath(args.save))):
        raise UsageError(f"--save {args.save!r}: the folder does not exist")
    import numpy as np

    try:
        # A diverging run ends in fit's one-line nan error; numpy's overflow
        # warnings on the way there would only bury it.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return _fit_and_report(args, nn)
    except MemoryError:
        raise UsageError(
            "not enough memory for this data set and model; use a smaller --m or --layers"
        ) from None
    except FloatingPointError as e:  # the cost diverged: the learning rate is too large
        raise UsageError(str(e).splitlines()[0]) from None


def _fit_and_report(args: argparse.Namespace, nn) -> int:
    what, X, Y, X_test, Y_test = _load_data(args)
    dims = _layer_sizes(args.layers, X.shape[0], what)
    scheme = args.init or nn.init.course_scheme(dims)
    model = nn.MLP(dims, args.hidden, "sigmoid", init=scheme, seed=args.seed)
    print(f"data: {what}, X {X.shape}, Y {Y.shape}")
    print(
        f"model: layers {dims}, hidden {args.hidden}, output sigmoid, init {scheme} "
        f"(seed {args.seed}), optimizer {args.optimizer}, learning rate {args.lr:g}"
    )
    progress = False
    if not args.no_progress and sys.stderr.isatty():
        try:
            import tqdm  # noqa: F401  (the bar is optional)

            progress = True
        except ImportError:
            pass
    model.fit(
        X, Y, args.lr, args.iterations, args.print_every,
        optimizer=args.optimizer, print_cost=True, progress=progress,
    )
    print(f"train accuracy: {100 * model.accuracy(X, Y):.1f} %")
    if X_test is not None:
        print(f"test accuracy: {100 * model.accuracy(X_test, Y_test):.1f} %")
    if args.save:
        try:
            print(f"saved the model to {model.save(args.save)}")
        except OSError as e:
            raise UsageError(f"--save {args.save!r}: cannot write ({e.strerror or e})") from None
    return 0


def flower_comparison(iterations: int = 10000) -> list[tuple[str, float]]:
    """Training accuracy on the course's flower: logistic regression, then the
    planar notebook's shallow network (4 tanh units, α = 1.2, seed 2)."""
    from . import nn
    from .data import planar_flower

    X, Y = planar_flower()
    logistic = nn.LogisticRegression(2)
    logistic.fit(X, Y, learning_rate=1.2, num_iterations=1000)
    shallow = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    shallow.fit(X, Y, learning_rate=1.2, num_iterations=iterations)
    return [
        ("logistic regression", logistic.accuracy(X, Y)),
        ("shallow network, 4 tanh hidden units", shallow.accuracy(X, Y)),
    ]


def _demo_training() -> None:
    print()
    print("The course's planar flower (400 points, two classes), training accuracy:")
    rows = flower_comparison()
    width = max(len(name) for name, _ in rows)
    for name, accuracy in rows:
        print(f"  {name.ljust(width)}  {100 * accuracy:5.1f} %")
    print("A hidden layer bends the decision boundary; logistic regression can only draw a line.")


# --- parsing -----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, status 2
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(
        prog="micrograd-dls",
        description="The course's computation graphs and models, runnable and drawn.",
        epilog="examples:\n"
        "  micrograd-dls demo --out out\n"
        '  micrograd-dls graph "u = b*c; v = a + u; J = 3*v" a=5 b=3 c=2 --out out\n'
        "  micrograd-dls train --layers 2,4,1 --hidden tanh --lr 1.2 --iterations 10000 "
        "--seed 2",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"micrograd-dls {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    demo = sub.add_parser(
        "demo", help="the lecture's graph, rendered, and the course's models",
        description="Render the lecture's J = 3(a + bc) forward, backward and both into --out "
        "(SVG), write lecture.html there, a page that steps through backpropagation, then "
        "train logistic regression and the shallow network on the planar flower.",
    )
    demo.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    demo.set_defaults(run=_demo)

    graph = sub.add_parser(
        "graph",
        help="draw the forward and backward graph of an expression",
        description="Build the expression's graph, backpropagate, print each node's value\n"
        "and gradient, and write forward.svg, backward.svg and graph.svg (both) into\n"
        "--out; --html FILE also writes a page that steps through backprop, e.g.\n"
        '  micrograd-dls graph "u = b*c; v = a + u; J = 3*v" a=5 b=3 c=2',
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    graph.add_argument(
        "expression",
        help="assignments separated by ';' (the last is the result), with + - * / ** and "
        "exp, log, tanh, sigmoid, relu",
    )
    graph.add_argument("values", nargs="*", metavar="name=value", help="each input's value")
    graph.add_argument("--out", default="out", help="folder for the pictures (default: out)")
    graph.add_argument(
        "--html", metavar="FILE",
        help="also write FILE, a page that steps through the forward and backward pass",
    )
    graph.add_argument(
        "--merge-ops", action="store_true",
        help="draw each operation inside the value it makes, not as its own node",
    )
    graph.set_defaults(run=_graph)

    from .nn import ACTIVATIONS, OPTIMIZERS
    from .nn.init import INITIALIZERS

    train = sub.add_parser("train", help="train a model on a built-in data set or an .h5 file")
    train.add_argument(
        "--data", default="planar",
        help="planar (the course's flower), moons, circles, blobs, or a course .h5 file "
        "(default: planar)",
    )
    train.add_argument("--test", help="a course .h5 file to report the test accuracy on")
    train.add_argument("--m", type=int, default=400, help="examples in a built-in set (400)")
    train.add_argument(
        "--data-seed", type=int, default=1, help="seed of a built-in set (1, the course's)"
    )
    train.add_argument(
        "--layers", help="layer sizes n[0],...,n[L], e.g. 2,4,1 (default: n_x,4,1)"
    )
    train.add_argument(
        "--hidden", default="relu", choices=list(ACTIVATIONS),
        help="hidden activation (default: relu)",
    )
    train.add_argument(
        "--init", choices=list(INITIALIZERS),
        help="initialisation (default: the course's: small for one hidden layer, deep for more)",
    )
    train.add_argument("--seed", type=int, default=1, help="seed of the initialisation (1)")
    train.add_argument("--lr", type=float, default=0.0075, help="learning rate α (0.0075)")
    train.add_argument("--iterations", type=int, default=3000, help="iterations (3000)")
    train.add_argument(
        "--print-every", type=int, default=1000, help="print the cost this often (1000)"
    )
    train.add_argument(
        "--optimizer", default="gd", choices=list(OPTIMIZERS),
        help="gd (gradient descent, the default), momentum or adam",
    )
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    train.add_argument("--save", help="write the trained model to this .npz file")
    train.set_defaults(run=_train)
    return parser


def _misread_expression(argv: Sequence[str]) -> str | None:
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``micrograd-dls`` console script."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        token = _misread_expression(argv)
        if token is not None:
            raise UsageError(
                f"{token!r} reads as an option; if it is the expression, put -- before it, "
                f"after the options (micrograd-dls graph --out DIR -- {token!r} a=1 ...), "
                f"or name it (J = {token})"
            )
        args = build_parser().parse_args(argv)
        return args.run(args)
    except UsageError as e:
        print(f"micrograd-dls: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C in a long training run: no traceback
        print("micrograd-dls: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
