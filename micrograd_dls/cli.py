"""The command line: ``micrograd-dls demo | graph | train``.

Bad options get one clear line on stderr and exit status 2.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence

from .checks import PATH_LIMIT, quote, shown

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
        raise UsageError(
            f"--out {quote(out, PATH_LIMIT)}: cannot create the folder ({e.strerror or e})"
        ) from None
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

#: The course's settings for each kind of data, taken by every option not given:
#: the planar notebook's shallow network for the two-dimensional sets (it trains
#: 10,000 iterations; 2,000 already reach about 90 % on the flower in a second or
#: two), and week 4's two-layer cat model for pictures in .h5 files.
COURSE_SETTINGS = {
    "points": {"name": "the planar notebook's shallow network", "n_h": 4, "hidden": "tanh",
               "lr": 1.2, "iterations": 2000, "seed": 2},
    "images": {"name": "week 4's two-layer model", "n_h": 7, "hidden": "relu",
               "lr": 0.0075, "iterations": 2500, "seed": 1},
}

#: Where the course's pictures come from: never shipped nor downloaded here.
COURSE_FILES = (
    "the course's cat pictures (train_catvnoncat.h5, test_catvnoncat.h5) come from its "
    "notebook workspace (the week 2 and week 4 assignments, folder datasets/): download "
    "them from there; micrograd_dls never ships nor downloads them"
)

#: Costs are recorded every 100 iterations, as the course's `costs` list.
_RECORD_EVERY = 100


def _load_data(args: argparse.Namespace):
    """(description, test description, X, Y, X_test, Y_test) for --data: a built-in
    set or a course .h5 file."""
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
        test = (f"a fresh draw of {args.m} {name} points with seed {args.data_seed + 1} "
                f"(the training set's is {args.data_seed})")
        return f"{name} (seed {args.data_seed})", test, X, Y, X_test, Y_test
    if not name.endswith(".h5"):
        raise UsageError(
            f"--data: unknown data set {quote(name)}; choose {', '.join(data.DATASETS)} "
            "or give a course .h5 file"
        )
    if args.max_values < 1:
        raise UsageError(
            f"--max-values must be a positive number of values, got {quote(args.max_values)}"
        )
    paths = [name] if args.test is None else [name, args.test]
    sets = []
    for path in paths:
        if not os.path.exists(path):  # a folder or a pipe: load_h5 says which
            raise UsageError(f"no such data file: {quote(path, PATH_LIMIT)}; {COURSE_FILES}")
        try:
            sets.append(data.load_h5(path, max_values=args.max_values))
        except (ImportError, ValueError) as e:
            # the size limit's advice, in the command line's words
            raise UsageError(
                str(e).replace("load_h5(path, max_values=...)", "--max-values N")
            ) from None
    train = sets[0]
    X_test = Y_test = None
    test = "none: give --test with the course's test_catvnoncat.h5 for a test accuracy"
    if len(sets) == 2:
        X_test, Y_test = sets[1].X, sets[1].Y
        test = os.path.basename(args.test)
        if X_test.shape[0] != train.X.shape[0]:
            raise UsageError(
                f"--test pictures have {X_test.shape[0]} features, the training ones "
                f"{train.X.shape[0]}; give files of the same layout"
            )
    return os.path.basename(name), test, train.X, train.Y, X_test, Y_test


def _layer_sizes(text: str | None, n_x: int, n_h: int, what: str) -> list[int]:
    if text is None:
        return [n_x, n_h, 1]
    example = f"{n_x},{n_h},1"
    try:
        dims = [int(t) for t in text.split(",")]
    except ValueError:
        raise UsageError(
            f"--layers {quote(text)}: give sizes separated by commas, e.g. {example}"
        ) from None
    if len(dims) < 2 or min(dims) < 1:
        raise UsageError(
            f"--layers {quote(text)}: give at least two positive sizes, e.g. {example}"
        )
    if dims[0] != n_x or dims[-1] != 1:
        raise UsageError(
            f"--layers {quote(text)} does not match the data: {what} has n_x = {n_x} features "
            f"and one label per example, so the sizes must read {n_x},...,1"
        )
    return dims


def _check_output(option: str, path: str | None) -> None:
    """A file to write must not be a folder, and its folder must exist."""
    import os

    if not path:
        return
    if os.path.isdir(path):
        example = "model.npz" if option == "--save" else "train.png"
        raise UsageError(
            f"{option} {quote(path, PATH_LIMIT)} is a folder; give a file in it, e.g. "
            f"{shown(os.path.join(path, example), PATH_LIMIT)}"
        )
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise UsageError(f"{option} {quote(path, PATH_LIMIT)}: the folder does not exist")


def _check_plot(path: str | None) -> None:
    """--plot needs matplotlib and a file type it writes; both checked before training."""
    import os

    if not path:
        return
    _check_output("--plot", path)
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise UsageError(
            "--plot needs matplotlib: pip install 'micrograd_dls[plot]'"
        ) from None
    kinds = Figure().canvas.get_supported_filetypes()
    kind = os.path.splitext(path)[1][1:].lower()
    if kind not in kinds:
        raise UsageError(
            f"--plot {quote(path, PATH_LIMIT)}: give a file ending in one of "
            f"{', '.join('.' + k for k in ('png', 'svg', 'pdf'))} (matplotlib also writes "
            f"{', '.join(sorted(set(kinds) - {'png', 'svg', 'pdf'}))})"
        )


def _write_whole(path: str, write) -> str:
    """``write(tmp)`` into a file beside ``path``, then rename it to ``path``: an error or
    Ctrl-C while writing leaves no half-written file. Returns the path written."""
    import os

    folder, name = os.path.split(os.path.abspath(path))
    root, ext = os.path.splitext(name)
    tmp = os.path.join(folder, f".{root}.{os.getpid()}.partial{ext}")
    try:
        written = write(tmp)
        os.replace(written, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


def _train(args: argparse.Namespace) -> int:
    from . import nn

    if args.lr is not None and not (math.isfinite(args.lr) and args.lr > 0):
        raise UsageError(f"--lr must be a positive finite number, got {args.lr:g}")
    for option, value in (("--iterations", args.iterations), ("--print-every", args.print_every)):
        if value is not None and not value > 0:
            raise UsageError(f"{option} must be positive, got {value:g}")
    # numpy's legacy seeding takes 0 .. 2**32 - 1; a built-in test set uses seed + 1.
    for option, value, top, why in (("--seed", args.seed, 2**32 - 1, ""),
                                    ("--data-seed", args.data_seed, 2**32 - 2,
                                     " (the test set is drawn with seed + 1)")):
        if value is not None and not 0 <= value <= top:
            raise UsageError(f"{option} must be a non-negative int up to {top}{why}, got {value}")
    _check_output("--save", args.save)
    if args.save and not args.save.endswith(".npz"):
        args.save += ".npz"  # as model.save names it
        _check_output("--save", args.save)
    _check_plot(args.plot)
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
    what, test, X, Y, X_test, Y_test = _load_data(args)
    course = COURSE_SETTINGS["images" if args.data.endswith(".h5") else "points"]
    dims = _layer_sizes(args.layers, X.shape[0], course["n_h"], what)
    hidden = args.hidden or course["hidden"]
    lr = course["lr"] if args.lr is None else args.lr
    iterations = args.iterations or course["iterations"]
    seed = course["seed"] if args.seed is None else args.seed
    scheme = args.init or nn.init.course_scheme(dims)
    model = nn.MLP(dims, hidden, "sigmoid", init=scheme, seed=seed)
    print(f"data: {what}, X {X.shape}, Y {Y.shape}")
    print(f"test set: {test}")
    print(
        f"model: layers {dims}, hidden {hidden}, output sigmoid, init {scheme} "
        f"(seed {seed}), optimizer {args.optimizer}, learning rate {lr:g}, "
        f"{iterations} iterations"
    )
    given = [args.layers, args.hidden, args.lr, args.iterations, args.seed]
    if any(option is None for option in given):
        print(f"(options not given take the settings of {course['name']})")
    progress = False
    if not args.no_progress and sys.stderr.isatty():
        try:
            import tqdm  # noqa: F401  (the bar is optional)

            progress = True
        except ImportError:
            pass
    try:
        history = model.fit(
            X, Y, lr, iterations, args.print_every, optimizer=args.optimizer,
            print_cost=True, progress=progress, record_every=_RECORD_EVERY,
        )
    except KeyboardInterrupt as e:
        done = e.history.steps if hasattr(e, "history") else 0
        print(f"micrograd-dls: interrupted after {done} of {iterations} iterations; "
              "nothing saved", file=sys.stderr)
        return 130
    train_accuracy = model.accuracy(X, Y)
    print(f"train accuracy: {100 * train_accuracy:.1f} %")
    if X_test is not None:
        print(f"test accuracy: {100 * model.accuracy(X_test, Y_test):.1f} %")
    _hint_if_near_chance(train_accuracy, float(Y.mean()), hidden, lr, iterations, scheme, dims)
    if args.plot:
        _plot(args.plot, history, model, X, Y, train_accuracy)
    if args.save:
        try:
            saved = _write_whole(args.save, model.save)
        except OSError as e:
            raise UsageError(
                f"--save {quote(args.save, PATH_LIMIT)}: cannot write ({e.strerror or e})"
            ) from None
        print(f"saved the model to {saved}")
    return 0


def _hint_if_near_chance(accuracy: float, positives: float, hidden: str, lr: float,
                         iterations: int, scheme: str, dims: list[int]) -> None:
    """Say what to change when the model does no better than always guessing one class."""
    chance = max(positives, 1.0 - positives)
    if accuracy > chance + 0.05:
        return
    deep = len(dims) > 3
    other_init = "he" if deep else ("small" if scheme != "small" else "deep")
    activation = (
        f"  the activation: --hidden tanh (now {hidden}; the course's flower network uses tanh)"
        if hidden != "tanh" else "  the activation: --hidden relu (now tanh)"
    )
    rate = (
        f"  the learning rate: --lr {10 * lr:g} (now {lr:g}; if the printed cost hardly "
        f"falls in {iterations} iterations, α is too small, if it jumps, too large)"
    )
    if scheme == "zeros":  # the course's week 4 lesson: zeros never break the symmetry
        init = (
            f"  the initialisation first: --init {other_init} (now zeros: every hidden unit "
            "starts equal and gets the same gradient, so they stay equal whatever the "
            "activation or the learning rate)"
        )
        lines = [init, activation, rate]
    else:
        init = (
            f"  the initialisation: --init {other_init} (now {scheme}; too small weights in a "
            "deep network vanish, too large ones saturate tanh and sigmoid)"
        )
        lines = [activation, rate, init]
    print(
        f"hint: {100 * accuracy:.1f} % is no better than always answering the more common "
        f"class ({100 * chance:.1f} %): the model learned nothing. Try, one at a time:\n"
        + "\n".join(lines)
    )


def _plot(path: str, history, model, X, Y, accuracy: float) -> None:
    """The cost curve, and beside it the decision boundary for two-dimensional data."""
    import os

    from matplotlib.figure import Figure

    from .viz.plots import plot_costs, plot_decision_boundary

    flat = X.shape[0] == 2
    figure = Figure(figsize=(11, 4.5) if flat else (6, 4.5), layout="constrained")
    axes = figure.subplots(1, 2 if flat else 1, squeeze=False)[0]
    plot_costs(history, ax=axes[0])
    if flat:
        plot_decision_boundary(model, X, Y, ax=axes[1])
        axes[1].set_title(f"decision boundary, train accuracy {100 * accuracy:.1f} %")

    def write(tmp: str) -> str:
        figure.savefig(tmp, format=os.path.splitext(path)[1][1:].lower())
        return tmp

    try:
        _write_whole(path, write)
    except OSError as e:
        raise UsageError(
            f"--plot {quote(path, PATH_LIMIT)}: cannot write ({e.strerror or e})"
        ) from None
    print(f"wrote {path} (the cost curve{' and the decision boundary' if flat else ''})")


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
        # 400 points: a multiple of 0.25 %, shown in full (90.75 %, 47.0 %), not rounded
        percent = f"{100 * accuracy:.2f}"
        print(f"  {name.ljust(width)}  {percent[:-1] if percent.endswith('0') else percent:>6} %")
    print("A hidden layer bends the decision boundary; logistic regression can only draw a line.")
    print(
        "(The shallow network's last digit varies between CPUs, 90.5 % or 90.75 %: after "
        "about 7,000\n iterations the rounding of the CPU's matrix-product kernel shows.)"
    )


# --- parsing -----------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, status 2
        # argparse's messages quote what was typed in full: bound and escape them.
        raise UsageError(shown(message, limit=300))


def _paragraphs(*texts: str) -> str:
    import textwrap

    return "\n\n".join(textwrap.fill(text, 79) for text in texts)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = _Parser(
        prog="micrograd-dls",
        description="The course's computation graphs and models, runnable and drawn.",
        epilog="examples:\n"
        "  micrograd-dls demo --out out\n"
        '  micrograd-dls graph "u = b*c; v = a + u; J = 3*v" a=5 b=3 c=2 --out out\n'
        "  micrograd-dls train --plot flower.png",
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

    from .data.h5 import MAX_VALUES
    from .nn import ACTIVATIONS, OPTIMIZERS
    from .nn.init import INITIALIZERS

    points, images = COURSE_SETTINGS["points"], COURSE_SETTINGS["images"]
    train = sub.add_parser(
        "train", help="train a model on a built-in data set or an .h5 file",
        description=_paragraphs(
            "Train an L-layer network with a sigmoid output on --data; report its train and "
            "test accuracy.",
            f"With no options it trains the course's flower with the settings of "
            f"{points['name']}: layers [2, {points['n_h']}, 1], {points['hidden']} hidden "
            f"units, learning rate {points['lr']:g}, seed {points['seed']}, for "
            f"{points['iterations']} iterations (the course runs 10000; "
            f"{points['iterations']} already reach about 90 % in a second or two), and tests "
            "it on a fresh draw of the flower with another seed.",
            "Options not given take the course's settings for the data: those above for the "
            f"two-dimensional sets, and for the pictures of an .h5 file those of "
            f"{images['name']}: [n_x, {images['n_h']}, 1], {images['hidden']} hidden units, "
            f"learning rate {images['lr']:g}, {images['iterations']} iterations, seed "
            f"{images['seed']}.",
        ),
        epilog="examples:\n"
        "  micrograd-dls train --plot flower.png\n"
        "  micrograd-dls train --data train_catvnoncat.h5 --test test_catvnoncat.h5 "
        "--layers 12288,20,7,5,1\n\n"
        + _paragraphs(f"Where the .h5 files come from: {COURSE_FILES}."),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    train.add_argument(
        "--data", default="planar",
        help="planar (the course's flower), noisy_circles, noisy_moons, blobs, "
        "gaussian_quantiles, or a course .h5 file "
        "(default: planar)",
    )
    train.add_argument("--test", help="a course .h5 file to report the test accuracy on")
    train.add_argument(
        "--max-values", type=int, default=MAX_VALUES, metavar="N",
        help="the most numbers an .h5 file may declare; a larger file is refused before "
        f"it is read (default: {MAX_VALUES:,}, 240 MB as float64)",
    )
    train.add_argument("--m", type=int, default=400, help="examples in a built-in set (400)")
    train.add_argument(
        "--data-seed", type=int, default=1,
        help="seed of a built-in set (1, the course's); its test set is drawn with seed + 1",
    )
    train.add_argument(
        "--layers",
        help=f"layer sizes n[0],...,n[L], e.g. 2,4,1 (default: n_x,{points['n_h']},1; "
        f"n_x,{images['n_h']},1 for .h5)",
    )
    train.add_argument(
        "--hidden", choices=list(ACTIVATIONS),
        help=f"hidden activation (default: {points['hidden']}; {images['hidden']} for .h5)",
    )
    train.add_argument(
        "--init", choices=list(INITIALIZERS),
        help="initialisation (default: the course's: small for one hidden layer, deep for more)",
    )
    train.add_argument(
        "--seed", type=int,
        help=f"seed of the initialisation (default: {points['seed']}; {images['seed']} for .h5)",
    )
    train.add_argument(
        "--lr", type=float,
        help=f"learning rate α (default: {points['lr']:g}; {images['lr']:g} for .h5)",
    )
    train.add_argument(
        "--iterations", type=int,
        help=f"iterations (default: {points['iterations']}; {images['iterations']} for .h5)",
    )
    train.add_argument(
        "--print-every", type=int, default=1000,
        help="print the cost this often and at the last iteration (1000); the History "
        f"records it every {_RECORD_EVERY}, as the course",
    )
    train.add_argument(
        "--optimizer", default="gd", choices=list(OPTIMIZERS),
        help="gd (gradient descent, the default), momentum or adam",
    )
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    train.add_argument(
        "--plot", metavar="FILE",
        help="write the cost curve, and the decision boundary for two-dimensional data, to "
        "FILE (.png, .svg, .pdf; needs matplotlib)",
    )
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


if __name__ == "__main__":
    sys.exit(main())
