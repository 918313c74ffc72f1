"""Scalar engine speed, as ratios against hand-written plain Python in the same run.

(a) one training step (forward, backward, update) of a 2-16-16-1 tanh MLP made
    of Values on 100 two-dimensional points, squared-error loss;
(b) forward + backward of chains x -> tanh(1.0001 x + 0.1) of 10,000 and
    100,000 steps.

Columns: this engine, plain Python (the limit), and micrograd 0.1.0 when it is
importable (optional). Run:  python benchmarks/bench_value.py [--repeat N]
"""

from __future__ import annotations

import argparse
import math
import random
import statistics
import sys
import time
from collections.abc import Callable

from micrograd_dls import Value

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
    """The same math by hand: forward keeping activations, backward by the chain rule."""
    params = [([row[:] for row in W], b[:]) for W, b in weights]
    last = len(params) - 1

    def step():
        grads = [([[0.0] * len(W[0]) for _ in W], [0.0] * len(b)) for W, b in params]
        loss = 0.0
        inv_m = 1.0 / len(X)
        for x, y in zip(X, Y):
            acts = [x]
            a = x
            for l, (W, b) in enumerate(params):
                z = [sum(wi * ai for wi, ai in zip(row, a)) + bi for row, bi in zip(W, b)]
                a = z if l == last else [math.tanh(zi) for zi in z]
                acts.append(a)
            err = a[0] - y
            loss += err * err
            da = [2.0 * err * inv_m]
            for l in range(last, -1, -1):
                W, _ = params[l]
                dW, db = grads[l]
                out = acts[l + 1]
                dz = da if l == last else [d * (1.0 - o * o) for d, o in zip(da, out)]
                a_prev = acts[l]
                for j, dzj in enumerate(dz):
                    row = dW[j]
                    for k, ak in enumerate(a_prev):
                        row[k] += dzj * ak
                    db[j] += dzj
                if l:
                    da = [sum(W[j][k] * dz[j] for j in range(len(dz))) for k in range(len(a_prev))]
        for (W, b), (dW, db) in zip(params, grads):
            for row, drow in zip(W, dW):
                for k in range(len(row)):
                    row[k] -= LR * drow[k]
            for j in range(len(b)):
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
    def run():
        ys = [0.5]
        y = 0.5
        for _ in range(n):
            y = math.tanh(1.0001 * y + 0.1)
            ys.append(y)
        g = 1.0
        for k in range(n, 0, -1):
            g *= (1.0 - ys[k] * ys[k]) * 1.0001
        return g

    return run


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm up
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args(argv)
    print(f"Python {sys.version.split()[0]}; micrograd: "
          f"{'installed' if MicrogradValue else 'not installed (skipped)'}")

    X, Y, weights = make_problem()
    ours, plain = autograd_step(Value, X, Y, weights), plain_step(X, Y, weights)
    assert abs(ours() - plain()) < 1e-9, "the two steps must compute the same loss"
    rows = [("MLP 2-16-16-1 step, m=100", ours, plain,
             autograd_step(MicrogradValue, X, Y, weights) if MicrogradValue else None)]
    for n in (10_000, 100_000):
        rows.append((f"chain of {n:,} steps", autograd_chain(Value, n), plain_chain(n),
                     autograd_chain(MicrogradValue, n) if MicrogradValue else None))

    print(f"{'case':28} {'plain ms':>10} {'ours ms':>10} {'ours/plain':>11} "
          f"{'micrograd ms':>13} {'micrograd/plain':>16}")
    for name, f_ours, f_plain, f_peer in rows:
        t_plain = median_ms(f_plain, args.repeat)
        t_ours = median_ms(f_ours, args.repeat)
        if f_peer is None:
            peer = ("-", "-")
        else:
            try:
                t_peer = median_ms(f_peer, max(1, args.repeat // 3))
                peer = (f"{t_peer:.1f}", f"{t_peer / t_plain:.1f}x")
            except RecursionError:
                peer = ("RecursionError", "-")
        print(f"{name:28} {t_plain:10.2f} {t_ours:10.2f} {t_ours / t_plain:10.1f}x "
              f"{peer[0]:>13} {peer[1]:>16}")


if __name__ == "__main__":
    main()
