"""The training loop and the checks on X and Y that come before it."""

from __future__ import annotations

import math
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..checks import check_examples, check_labels, optional_import, quote
from ..graph import zero_grad
from .layers import as_input
from .optim import Optimizer, make_optimizer

__all__ = ["History", "check_X", "check_XY", "fit"]


@dataclass
class History:
    """The costs J recorded during :func:`fit`, with the iteration of each.

    It reads as the course's list of costs (``history[0]``, ``len(history)``,
    ``list(history)``): ``costs`` holds J at iterations 0, k, 2k, ... (the
    course's ``if i % 100 == 0: costs.append(cost)``) and ``iterations`` gives a
    plot its x-axis. ``last_iteration`` and ``last_cost`` hold the last cost fit
    computed -- at the end of a run, the final iteration's, which the course
    prints but does not append -- and :meth:`curve` joins it to the list, so a
    plotted curve ends where the printed costs end. ``steps`` counts the updates
    applied to the parameters; ``interrupted`` is True when Ctrl-C ended the run.
    """

    iterations: list[int] = field(default_factory=list)
    costs: list[float] = field(default_factory=list)
    learning_rate: float | None = None
    last_iteration: int | None = None
    last_cost: float | None = None
    steps: int = 0
    interrupted: bool = False

    def __len__(self) -> int:
        return len(self.costs)

    def __iter__(self) -> Iterator[float]:
        return iter(self.costs)

    def __getitem__(self, i: int) -> float:
        return self.costs[i]

    def curve(self) -> tuple[list[int], list[float]]:
        """(iterations, costs) with the last computed cost appended when the list stops earlier."""
        iterations, costs = list(self.iterations), list(self.costs)
        last = self.last_iteration
        later = last is not None and (not iterations or last > iterations[-1])
        if later and self.last_cost is not None:
            iterations.append(last)  # type: ignore[arg-type]  # later: not None
            costs.append(self.last_cost)
        return iterations, costs


class _HoldCtrlC:
    """Holds Ctrl-C (SIGINT) back while a ``with`` block runs, and delivers it after.

    fit updates the parameters, and its History, inside such blocks, so an
    interrupt never leaves W[1] from step k+1 beside W[2] from step k. Installed
    for the whole of fit, in the main thread only (where Python delivers
    signals), and only over a Python handler (by default the one that raises
    KeyboardInterrupt): an ignored SIGINT stays ignored, and one that ends the
    process leaves nothing half-done behind. Outside the blocks an interrupt
    goes to the handler that was there before.
    """

    def __init__(self) -> None:
        self.previous: Any = None
        self.holding = False
        self.pending = False

    def install(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        previous = signal.getsignal(signal.SIGINT)
        if not callable(previous):
            return
        signal.signal(signal.SIGINT, self._receive)
        self.previous = previous

    def uninstall(self) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)
            self.previous = None

    def _receive(self, signum: int, frame: Any) -> None:
        if self.holding:
            self.pending = True
        else:
            self.previous(signum, frame)

    def __enter__(self) -> None:
        self.holding = True

    def __exit__(self, *exc: Any) -> None:
        self.holding = False
        if self.pending:
            self.pending = False
            self.previous(signal.SIGINT, None)


def check_X(X: Any, n_x: int) -> np.ndarray:
    """X must be (n_x, m), one example per column, with no NaN or infinity."""
    return check_examples(X, n_x)


def check_XY(X: Any, Y: Any, n_x: int, n_y: int, labels01: bool) -> tuple[np.ndarray, np.ndarray]:
    """X (n_x, m) and Y (n_y, m), same m, no NaN; with ``labels01``, labels in {0, 1}."""
    X = check_examples(X, n_x)
    return X, check_labels(Y, X.shape[1], n_y, binary=labels01)


def _progress_bar(total: int) -> Any:
    tqdm = optional_import("tqdm.auto", "progress", "progress=True").tqdm
    return tqdm(total=total, unit="it", leave=True)


def _positive_int(name: str, n: Any) -> int:
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"{name} must be a positive int, got {quote(n)}")
    return int(n)


def fit(
    model: Any,
    X: Any,
    Y: Any,
    learning_rate: float | None = None,
    num_iterations: int = 3000,
    print_every: int = 100,
    optimizer: str | Optimizer = "gd",
    print_cost: bool = False,
    progress: bool = False,
    callbacks: Sequence[Callable[[int, float, Any], Any]] = (),
    record_every: int | None = None,
) -> History:
    """Minimise J(θ) by ``num_iterations`` steps of forward, cost, backward, update.

    As the course's training loops do, the cost is recorded every
    ``record_every`` iterations (by default ``print_every``), before that
    iteration's update, and printed with ``print_cost`` every ``print_every``
    iterations and at the last one; each callback gets ``(iteration, cost,
    model)`` whenever the cost is printed. ``optimizer`` is 'gd'
    (θ := θ - α dθ), 'momentum', 'adam' or an :class:`Optimizer` (then
    ``learning_rate`` comes from it). ``progress=True`` shows a tqdm bar
    (terminal or Jupyter).

    The History is also ``model.history`` from the first iteration on. Ctrl-C
    (KeyboardInterrupt) never lands inside an update: it stops fit between two
    steps, with every parameter from the same step (``history.steps`` updates
    done) and ``history.interrupted`` True, and the KeyboardInterrupt carries the
    History as ``.history`` too.
    """
    num_iterations = _positive_int("num_iterations", num_iterations)
    print_every = _positive_int("print_every", print_every)
    record_every = print_every if record_every is None else _positive_int(
        "record_every", record_every)
    params = model.parameters()
    if isinstance(optimizer, Optimizer):
        opt = optimizer
        if learning_rate is not None and float(learning_rate) != opt.learning_rate:
            raise ValueError(
                f"fit: learning_rate={quote(learning_rate)} and an optimizer with learning rate "
                f"{opt.learning_rate:g}; give the learning rate to one of them"
            )
        held = {id(p) for p in opt.parameters}
        if any(id(p) not in held for p in params):
            raise ValueError(
                "fit: the optimizer does not hold this model's parameters, so training "
                "would change nothing; build it from model.parameters()"
            )
    elif learning_rate is None:
        raise ValueError("fit: give the learning rate α (learning_rate=...), or an Optimizer")
    else:
        opt = make_optimizer(optimizer, params, learning_rate)
    X, Y = check_XY(X, Y, model.n_x, model.n_y, model.loss == "bce")
    # fit runs each forward and its backward before the caller can change X: no copy.
    X_t, Y_t = as_input(X, "X", share=True), as_input(Y, "Y", share=True)

    history = History(learning_rate=opt.learning_rate)
    model.history = history
    bar = _progress_bar(num_iterations) if progress else None
    say = print if bar is None else bar.write
    cost, step, last, done = model.cost, opt.step, num_iterations - 1, 0
    hold = _HoldCtrlC()
    hold.install()
    try:
        for i in range(num_iterations):
            J = cost(X_t, Y_t)
            zero_grad(params)
            J.backward(keep_grads=False)  # only the parameters' gradients are read
            shown = i % print_every == 0 or i == last
            if shown or i % record_every == 0:
                c = float(J.data)
                if not math.isfinite(c):
                    raise FloatingPointError(
                        f"the cost became {c} at iteration {i}; the learning rate "
                        f"{opt.learning_rate:g} is probably too large"
                    )
                with hold:  # the History's lists stay paired
                    if i % record_every == 0:  # the course's list: the last cost is printed only
                        history.iterations.append(i)
                        history.costs.append(c)
                    history.last_iteration, history.last_cost = i, c
                if shown:
                    if print_cost:
                        say(f"Cost after iteration {i}: {c:f}")
                    for callback in callbacks:
                        callback(i, c, model)
                    if bar is not None:
                        bar.set_postfix(cost=f"{c:.6f}", refresh=False)
                        bar.update(i + 1 - done)
                        done = i + 1
            with hold:  # every parameter moves, or none
                step()
                history.steps = i + 1
    except KeyboardInterrupt as e:
        history.interrupted = True
        e.history = history  # type: ignore[attr-defined]  # the run so far, for the caller
        raise
    finally:
        hold.uninstall()
        if bar is not None:
            bar.close()
    return history
