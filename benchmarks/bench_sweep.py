"""Why Value keeps a backward walk of its own: the sweep, timed both ways in one process.

``graph.generic_backward`` is the one backpropagation algorithm (a depth-first
order with a set of seen nodes, then each node's ``_chain``); a node type may
keep a faster walk of the same algorithm only where a benchmark shows it pays.
This one times backward alone -- the graph built once, backward run again and
again with ``retain_graph`` -- through ``Value``'s own walk and through the
generic one, on the graph of one training step of a 2-16-16-1 tanh MLP over
m = 100 points (about 20,000 nodes). The Tensor engine has no walk of its own.

Run:  python benchmarks/bench_sweep.py [--repeat N] [--m M]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_value import make_problem  # noqa: E402

from micrograd_dls import Value, graph  # noqa: E402


def loss_graph(m: int) -> Value:
    """J of one MLP step's forward pass on bench_value's problem (the first m points),
    built once: the graph both walks backpropagate through."""
    X, Y, weights = make_problem()
    params = [([[Value(w) for w in row] for row in W], [Value(bi) for bi in b])
              for W, b in weights]
    last = len(params) - 1
    loss = Value(0.0)
    for x, y in zip(X[:m], Y[:m]):
        a = x
        for l, (W, b) in enumerate(params):
            z = [sum((wi * ai for wi, ai in zip(row, a)), bi) for row, bi in zip(W, b)]
            a = z if l == last else [zi.tanh() for zi in z]
        loss = loss + (a[0] - y) ** 2
    return loss * (1.0 / m)


def time_ms(fn, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        runs.append(1000 * (time.process_time() - t))
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> dict:
    """Time both walks; print and return {'nodes', 'own_ms', 'generic_ms', 'ratio'}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--m", type=int, default=100)
    args = parser.parse_args(argv)
    J = loss_graph(args.m)
    nodes = len(graph.topological_order(J))
    own = time_ms(lambda: J.backward(), args.repeat)
    generic = time_ms(lambda: graph.generic_backward(J), args.repeat)
    row = {"nodes": nodes, "own_ms": own, "generic_ms": generic, "ratio": generic / own}
    print(f"Value backward on {nodes:,} nodes (CPU ms, median of {args.repeat}): own walk "
          f"{own:.2f}, graph.generic_backward {generic:.2f} -- the own walk is "
          f"{row['ratio']:.2f}x faster")
    return row


if __name__ == "__main__":
    main()
