"""Scalar engine speed, as ratios against hand-written plain Python in the same run.

Rows (issue 11's scalar rows, each measured against its plain-Python twin):

(a) one training step (forward, backward, update) of a 2-16-16-1 tanh MLP made
    of Values on m = 100 two-dimensional points, squared-error loss, the
    inputs given as floats;
(b) forward + backward of the chain x -> tanh(1.0001 x + 0.1), 100,000 steps;

first on the plain user path, then again inside ``gc_paused()``, the
documented opt-in that pauses Python's cyclic garbage collector during graph
work (the library never changes the collector unless asked).

Why these ratios differ from a benchmark that builds the inputs as Values:
here the inputs X are floats, as the plain-Python step has them, so the first
layer's products w * x are nodes with one Value parent and one number operand.
Wrapping X in Values adds m * n_x = 200 leaves to the graph, makes those
products Value * Value nodes, and has backward compute and accumulate dJ/dx
for every input -- work the plain-Python step (and a learner) never does. That
benchmark therefore reports a larger ratio for the same engine; neither is
wrong, they time different amounts of work.

Timing: each repeat runs plain Python and then our version back to back, so a
change of load on a shared machine hits both; the clock is this process's CPU
time (``time.process_time``), which time spent waiting for a core does not
inflate. Medians over the repeats. The optional third column is micrograd 0.1.0
when it is importable.

Run:  python benchmarks/bench_value.py [--repeat N]   (or call ``main()``, which
returns the rows as dicts, from a harness).
"""

from __future__ import annotations

import argparse
import gc
import math
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from operator import mul

from micrograd_dls import Value, gc_paused

try:  # optional peer
    from micrograd.engine import Value as MicrogradValue
except ImportError:
    MicrogradValue = None


def _micrograd_tanh(self):
    """micrograd 0.1.0 has no tanh; this one is written in its own style (closure per node)."""
    t = math.tanh(self.data)
    out = MicrogradValue(t, (self,), "tanh")

    def _backward():
        self.grad += (1 - t * t) * out.grad

    out._backward = _backward
    return out


if MicrogradValue is not None and not hasattr(MicrogradValue, "tanh"):
    MicrogradValue.tanh = _micrograd_tanh

SIZES = [2, 16, 16, 1]
M = 100
LR = 0.05


def make_problem(seed: int = 0):
    rng = random.Random(seed)
    X = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(M)]
    Y = [1.0 if x0 * x1 > 0 else -1.0 for x0, x1 in X]
    weights = []
    for n_in, n_out in zip(SIZES, SIZES[1:]):
        W = [[rng.uniform(-1, 1) / math.sqrt(n_in) for _ in range(n_in)] for _ in range(n_out)]
        b = [0.0] * n_out
        weights.append((W, b))
    return X, Y, weights


# --- the same step written three ways ---------------------------------------


def autograd_step(value_cls, X, Y, weights):
    """Build the graph with `value_cls`, backpropagate, update; returns the loss."""
    params = [([[value_cls(w) for w in row] for row in W], [value_cls(bi) for bi in b])
              for W, b in weights]
    last = len(params) - 1

    def step():
        loss = 0.0
        for x, y in zip(X, Y):
            a = x
            for l, (W, b) in enumerate(params):
                z = [sum((wi * ai for wi, ai in zip(row, a)), bi) for row, bi in zip(W, b)]
                a = z if l == last else [zi.tanh() for zi in z]
            loss = loss + (a[0] - y) ** 2
        loss = loss * (1.0 / len(X))
        for W, b in params:
            for p in [w for row in W for w in row] + b:
                p.grad = 0.0
        loss.backward()
        for W, b in params:
            for p in [w for row in W for w in row] + b:
                p.data -= LR * p.grad
        return loss.data

    return step


def plain_step(X, Y, weights):
    """The same math by hand, as fast as plain Python does it: the whole batch a layer at
    a time, every dot product a ``sum(map(mul, ...))``.

    Each sum is the engine's and the loop's, term for term and in the same order:
    z = Σ_k w_k a_k + b per example; dW[j][k] = Σ_i dz_ij a_ik and db[j] = Σ_i dz_ij
    over the examples in their order (what accumulating example by example adds up);
    da_k = Σ_j W[j][k] dz_j. Only the bookkeeping is batched: transposes by ``zip(*...)``
    instead of index arithmetic, a comprehension or a C-level ``map`` instead of a loop.
    """
    params = [([row[:] for row in W], b[:]) for W, b in weights]
    last = len(params) - 1
    tanh = math.tanh
    inv_m = 1.0 / len(X)

    def step():
        acts = [X]  # a[l] of every example, one list per example
        A = X
        for l, (W, b) in enumerate(params):
            Z = [[sum(map(mul, row, a)) + bj for row, bj in zip(W, b)] for a in A]
            A = Z if l == last else [list(map(tanh, z)) for z in Z]
            acts.append(A)
        loss = 0.0
        dZ = []
        for (out,), y in zip(A, Y):
            err = out - y
            loss += err * err
            dZ.append((2.0 * err * inv_m,))
        grads = []
        for l in range(last, -1, -1):
            W, _ = params[l]
            by_unit = list(zip(*dZ))  # dz_j of every example
            dW = [[sum(map(mul, dz_j, a_k)) for a_k in zip(*acts[l])] for dz_j in by_unit]
            db = [sum(dz_j) for dz_j in by_unit]
            grads.append((dW, db))
            if l:  # dz[l-1] = da * (1 - a²), a = tanh(z[l-1]) and da_k = Σ_j W[j][k] dz_j
                columns = list(zip(*W))
                dZ = [[sum(map(mul, col, dz)) * (1.0 - o * o) for col, o in zip(columns, a)]
                      for dz, a in zip(dZ, acts[l])]
        for (W, b), (dW, db) in zip(params, reversed(grads)):
            for j, (row, drow) in enumerate(zip(W, dW)):
                W[j] = [w - LR * d for w, d in zip(row, drow)]
                b[j] -= LR * db[j]
        return loss * inv_m

    return step


def autograd_chain(value_cls, n):
    def run():
        x = value_cls(0.5)
        y = x
        for _ in range(n):
            y = (1.0001 * y + 0.1).tanh()
        y.backward()
        return x.grad

    return run


def plain_chain(n):
    """y_k = tanh(1.0001 y_(k-1) + 0.1) forward, keeping each step's local derivative
    (1 - y_k²) 1.0001; dy_n/dx is their product taken from the last step back, the order
    of backpropagation."""

    def run():
        tanh = math.tanh
        y = 0.5
        factors = [(1.0 - (y := tanh(1.0001 * y + 0.1)) * y) * 1.0001 for _ in range(n)]
        factors.reverse()
        return math.prod(factors)

    return run


def paused(fn: Callable[[], object]) -> Callable[[], object]:
    """``fn`` run inside the gc_paused() opt-in."""

    def run():
        with gc_paused():
            return fn()

    return run


def cpu_ms(fn: Callable[[], object]) -> float:
    t = time.process_time()
    fn()
    return 1000 * (time.process_time() - t)


CHAIN = 100_000


def cases():
    """(name, ours, plain Python, micrograd or None, issue 11's target as a ratio)."""
    X, Y, weights = make_problem()
    ours, plain = autograd_step(Value, X, Y, weights), plain_step(X, Y, weights)
    if abs(ours() - plain()) > 1e-9:
        raise AssertionError("the two MLP steps must compute the same loss")
    chain, plain_c = autograd_chain(Value, CHAIN), plain_chain(CHAIN)
    if not math.isclose(chain(), plain_c(), rel_tol=1e-9):
        raise AssertionError("the two chains must compute the same gradient")
    peer_step = autograd_step(MicrogradValue, X, Y, weights) if MicrogradValue else None
    peer_chain = autograd_chain(MicrogradValue, CHAIN) if MicrogradValue else None
    mlp = "scalar MLP 2-16-16-1 step, m=100 (inputs as floats)"
    line = f"scalar chain x -> tanh(1.0001x + 0.1), {CHAIN:,} steps"
    return [
        (mlp, ours, plain, peer_step, 12.0),
        (line, chain, plain_c, peer_chain, 20.0),
        (mlp + ", gc_paused()", paused(ours), plain, None, 12.0),
        (line + ", gc_paused()", paused(chain), plain_c, None, 20.0),
    ]


def main(argv: list[str] | None = None) -> list[dict]:
    """Run every row, print the table, and return the rows (one dict each)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7, help="timed runs per row (default 7)")
    args = parser.parse_args(argv)
    print(
        f"{platform.python_implementation()} {sys.version.split()[0]} on {platform.machine()}; "
        f"gc {'enabled' if gc.isenabled() else 'disabled'}, thresholds {gc.get_threshold()}; "
        f"clock: process CPU time, median of {args.repeat}; micrograd: "
        f"{'installed' if MicrogradValue else 'not installed (skipped)'}"
    )
    rows = []
    header = f"{'plain ms':>9} {'ours ms':>9} {'ratio':>7} {'target':>7} {'micrograd':>10}"
    print(f"{'case':66} {header}")
    for name, ours, plain, peer, target in cases():
        ours()
        plain()  # warm up
        t_plain, t_ours = [], []
        for _ in range(args.repeat):  # interleaved: a load change hits both
            t_plain.append(cpu_ms(plain))
            t_ours.append(cpu_ms(ours))
        m_plain, m_ours = statistics.median(t_plain), statistics.median(t_ours)
        row = {
            "case": name,
            "limit": "plain Python",
            "limit_ms": m_plain,
            "ours_ms": m_ours,
            "ratio": m_ours / m_plain,
            "target": target,
            "micrograd_ratio": None,
        }
        peer_text = "-"
        if peer is not None:
            try:
                row["micrograd_ratio"] = statistics.median(
                    cpu_ms(peer) for _ in range(max(1, args.repeat // 3))
                ) / m_plain
                peer_text = f"{row['micrograd_ratio']:.1f}x"
            except RecursionError:
                peer_text = "Recursion"
        rows.append(row)
        print(
            f"{name:66} {m_plain:9.2f} {m_ours:9.2f} {row['ratio']:6.1f}x "
            f"{'<= ' + format(target, 'g') + 'x':>7} {peer_text:>10}"
        )
    return rows


if __name__ == "__main__":
    main()
