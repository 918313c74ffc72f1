"""``micrograd-dls train``: an L-layer network with a sigmoid output trained on a
built-in data set or a course .h5 file, its accuracies, a hint when it learned
nothing, and on request its cost curve, its playground page and its model file.

This module owns the command's options and the course's settings they default
to; the training itself is :mod:`micrograd_dls.nn`'s, the pictures
:mod:`micrograd_dls.viz.plots`'s (matplotlib is imported only for ``--plot``) and
the playground page :mod:`micrograd_dls.viz.playground`'s.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from typing import Any, TypedDict

import numpy as np

from .. import data, nn
from ..checks import PATH_LIMIT, array_size, check_memory, layer_sizes, quote
from ..data.h5 import MAX_VALUES
from ..nn.init import INITIALIZERS
from .common import (
    UsageError,
    check_html,
    check_output,
    paragraphs,
    path_text,
    save_playground,
    write_whole,
)

__all__ = ["COURSE_FILES", "COURSE_SETTINGS", "HELP", "CourseSettings", "add_parser", "run"]

#: The command's line in ``micrograd-dls -h`` and in the list of commands.
HELP = "train a model on a built-in data set or an .h5 file"


class CourseSettings(TypedDict):
    """The defaults of one kind of data: whose they are, n_h, g, α, iterations, seed."""

    name: str
    n_h: int
    hidden: str
    lr: float
    iterations: int
    seed: int


#: The course's settings for each kind of data, taken by every option not given:
#: the planar notebook's shallow network for the two-dimensional sets (it trains
#: 10,000 iterations; 2,000 already reach about 90 % on the flower in a second or
#: two), and week 4's two-layer cat model for pictures in .h5 files.
COURSE_SETTINGS: dict[str, CourseSettings] = {
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

#: Features of every built-in set: points (x₁, x₂) in the plane.
_POINT_FEATURES = 2

#: Iterations the playground page shows, spread evenly over the run.
_PLAYGROUND_FRAMES = 50


def _load_data(args: argparse.Namespace) -> tuple[str, str, Any, Any, Any, Any]:
    """(description, test description, X, Y, X_test, Y_test) for --data: a built-in
    set or a course .h5 file."""
    name = args.data
    X_test: np.ndarray | None  # None when an .h5 training file comes without --test
    Y_test: np.ndarray | None
    if name in data.DATASETS:
        if args.test is not None:
            raise UsageError(
                f"--test is for .h5 data; the built-in {name} set is tested on a fresh draw"
            )
        if args.m < 2 or args.m % 2:
            raise UsageError(f"--m must be an even number of examples >= 2, got {args.m}")
        rows = _POINT_FEATURES + 1  # X and Y
        try:
            check_memory(
                2 * 8 * rows * args.m, f"--m {args.m}",
                f"the training and test sets (X {array_size((_POINT_FEATURES, args.m))} and "
                f"Y {array_size((1, args.m))}, each twice)", "give a smaller --m",
            )
        except ValueError as e:
            raise UsageError(str(e)) from None
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
        test = path_text(os.path.basename(args.test))
        if X_test.shape[0] != train.X.shape[0]:
            raise UsageError(
                f"--test pictures have {X_test.shape[0]} features, the training ones "
                f"{train.X.shape[0]}; give files of the same layout"
            )
    return path_text(os.path.basename(name)), test, train.X, train.Y, X_test, Y_test


def _layer_sizes(text: str | None, n_x: int, n_h: int, what: str) -> list[int]:
    """--layers as [n_x, n[1], ..., 1] for data of n_x features; the course's
    [n_x, n_h, 1] when not given."""
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
    try:
        return layer_sizes(dims, f"--layers {quote(text)}")
    except ValueError as e:  # more memory than the machine has
        raise UsageError(str(e)) from None


def _check_plot(path: str | None) -> None:
    """--plot needs matplotlib and a file type it writes; both checked before training."""
    if not path:
        return
    check_output("--plot", path, "train.png")
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise UsageError(
            "--plot needs matplotlib: pip install matplotlib "
            '(in a clone of micrograd_dls: pip install -e ".[plot]")'
        ) from None
    kinds = Figure().canvas.get_supported_filetypes()
    kind = os.path.splitext(path)[1][1:].lower()
    if kind not in kinds:
        raise UsageError(
            f"--plot {quote(path, PATH_LIMIT)}: give a file ending in one of "
            f"{', '.join('.' + k for k in ('png', 'svg', 'pdf'))} (matplotlib also writes "
            f"{', '.join(sorted(set(kinds) - {'png', 'svg', 'pdf'}))})"
        )


def _check_playground(path: str | None) -> None:
    """--playground takes an .html file in a folder that exists; checked before training."""
    if path is not None:
        check_html(path, "--playground")
        check_output("--playground", path, "playground.html")


def _divisors(n: int) -> set[int]:
    small = [d for d in range(1, math.isqrt(n) + 1) if n % d == 0]
    return {*small, *(n // d for d in small)}


def playground_iterations(iterations: int, print_every: int) -> tuple[int, list[int]]:
    """(stride, recorded) for a run of ``iterations``: fit calls its callbacks every
    ``stride`` iterations, a divisor of ``print_every`` so that the costs still print
    as asked, and the playground records about 50 of those, evenly spread over the
    run, the first and the last included."""
    last = iterations - 1
    most = max(1, iterations // _PLAYGROUND_FRAMES)
    if print_every >= iterations:  # the cost prints at 0 and at the last: any stride will do
        stride = most
    else:
        stride = max(d for d in _divisors(print_every) if d <= most)
    spread = np.linspace(0, last, _PLAYGROUND_FRAMES)
    recorded = {min(last, stride * round(i / stride)) for i in spread} | {last}
    return stride, sorted(recorded)


class _CostPrinter:
    """A fit callback printing ``Cost after iteration i: J`` every ``every`` iterations and
    at the last, as fit's ``print_cost`` does, when fit calls its callbacks more often
    (for the playground's recorder)."""

    def __init__(self, every: int, last: int, progress: bool) -> None:
        self.every, self.last = every, last
        if progress:  # above the progress bar, as fit writes it
            from tqdm import tqdm

            self.say = tqdm.write
        else:
            self.say = print

    def __call__(self, iteration: int, cost: float, model: Any) -> None:
        if iteration % self.every == 0 or iteration == self.last:
            self.say(f"Cost after iteration {iteration}: {cost:f}")


def run(args: argparse.Namespace) -> int:
    """Check every option, then train and report (0), or a UsageError."""
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
    check_output("--save", args.save, "model.npz")
    if args.save and not args.save.endswith(".npz"):
        args.save += ".npz"  # as model.save names it
        check_output("--save", args.save, "model.npz")
    _check_plot(args.plot)
    _check_playground(args.playground)
    try:
        # A diverging run ends in fit's one-line nan error; numpy's overflow
        # warnings on the way there would only bury it.
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            return _fit_and_report(args)
    except MemoryError:
        raise UsageError(
            "not enough memory for this data set and model; use a smaller --m or --layers"
        ) from None
    except FloatingPointError as e:  # the cost diverged: the learning rate is too large
        raise UsageError(str(e).splitlines()[0]) from None


def _fit_and_report(args: argparse.Namespace) -> int:
    what, test, X, Y, X_test, Y_test = _load_data(args)
    if args.playground and X.shape[0] != _POINT_FEATURES:
        raise UsageError(
            f"--playground draws each unit over the plane of two features (x₁, x₂); {what} "
            f"has n_x = {X.shape[0]}: give a two-dimensional data set, e.g. --data planar"
        )
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
    # fit calls its callbacks, the printer of the costs first, every `stride` iterations.
    stride, recorded = (playground_iterations(iterations, args.print_every)
                        if args.playground else (args.print_every, []))
    callbacks: list[Any] = [_CostPrinter(args.print_every, iterations - 1, progress)]
    recorder = None
    if args.playground:
        from ..viz import TrainingRecorder

        recorder = TrainingRecorder(X, Y, at=recorded)
        callbacks.append(recorder)
    try:
        history = model.fit(
            X, Y, lr, iterations, stride, optimizer=args.optimizer, progress=progress,
            callbacks=callbacks, record_every=_RECORD_EVERY,
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
            saved = write_whole(args.save, model.save)
        except OSError as e:
            raise UsageError(
                f"--save {quote(args.save, PATH_LIMIT)}: cannot write ({e.strerror or e})"
            ) from None
        print(f"saved the model to {path_text(saved)}")
    if recorder is not None:
        return save_playground(args.playground, recorder, model, X_test, Y_test)
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


def _plot(path: str, history: nn.History, model: nn.MLP, X: Any, Y: Any,
          accuracy: float) -> None:
    """The cost curve, and beside it the decision boundary for two-dimensional data."""
    from matplotlib.figure import Figure

    from ..viz.plots import plot_costs, plot_decision_boundary

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
        write_whole(path, write)
    except OSError as e:
        raise UsageError(
            f"--plot {quote(path, PATH_LIMIT)}: cannot write ({e.strerror or e})"
        ) from None
    print(f"wrote {path_text(path)} (the cost curve{' and the decision boundary' if flat else ''})")


def add_parser(commands: argparse._SubParsersAction) -> None:
    """The ``train`` command and its options, each defaulting to the course's setting."""
    points, images = COURSE_SETTINGS["points"], COURSE_SETTINGS["images"]
    train = commands.add_parser(
        "train", help=HELP,
        description=paragraphs(
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
        "  micrograd-dls train --playground flower.html\n"
        "  micrograd-dls train --data train_catvnoncat.h5 --test test_catvnoncat.h5 "
        "--layers 12288,20,7,5,1\n\n"
        + paragraphs(f"Where the .h5 files come from: {COURSE_FILES}."),
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
        "--hidden", choices=list(nn.ACTIVATIONS),
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
        "--optimizer", default="gd", choices=list(nn.OPTIMIZERS),
        help="gd (gradient descent, the default), momentum or adam",
    )
    train.add_argument("--no-progress", action="store_true", help="no progress bar")
    train.add_argument(
        "--plot", metavar="FILE",
        help="write the cost curve, and the decision boundary for two-dimensional data, to "
        "FILE (.png, .svg, .pdf; needs matplotlib)",
    )
    train.add_argument(
        "--playground", metavar="FILE",
        help="write FILE, a page that shows the network learn: every unit's activation over "
        f"the plane at about {_PLAYGROUND_FRAMES} iterations of the run (two-dimensional data)",
    )
    train.add_argument("--save", help="write the trained model to this .npz file")
    train.set_defaults(run=run)
