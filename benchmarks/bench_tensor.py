"""Tensor engine speed and memory, as ratios against hand-written numpy in the same run.

One training step -- forward, cost, backward, gradient-descent update -- for

* the planar network [2, 4, 1] (tanh hidden layer), m = 400;
* the course's deep network [12288, 20, 7, 5, 1] (ReLU, sigmoid output), m = 209;
* [784, 256, 128, 1] (ReLU, sigmoid output), m = 4096;

on random data of those shapes. Columns: the same step written by hand in
numpy with the course's formulas (the limit); this engine with each layer's
Z = W A + b as one node (``linear``); this engine with ``W @ A + b`` (two
nodes, so the product W A keeps an array of its own for the picture); and
PyTorch CPU in float64 when it is importable (optional). Times are medians
over many steps, the columns taking turns; peak memory is the most one step
holds at once beyond what existed before it, measured with tracemalloc.

Run:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_tensor.py
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from functools import partial

import numpy as np

from micrograd_dls import Tensor, binary_cross_entropy_with_logits, no_grad, zero_grad
from micrograd_dls.tensor import linear

torch = None  # the optional peer, imported by main(): not by run.py, which imports make_problem

LR = 0.01

NETWORKS = {
    # name: (layer sizes, m, hidden activation, seconds to spend per column)
    "planar [2, 4, 1] tanh, m=400": ([2, 4, 1], 400, "tanh", 1.0),
    "deep [12288, 20, 7, 5, 1] relu, m=209": ([12288, 20, 7, 5, 1], 209, "relu", 2.0),
    "[784, 256, 128, 1] relu, m=4096": ([784, 256, 128, 1], 4096, "relu", 3.0),
}


def make_problem(sizes: list[int], m: int, seed: int = 1):
    """Random X (n_x, m), labels Y (1, m) and parameters W[l] (n[l], n[l-1]), b[l] (n[l], 1)."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((sizes[0], m))
    Y = (rng.random((1, m)) < 0.5).astype(np.float64)
    params = []
    for n_prev, n in zip(sizes, sizes[1:]):
        params.append((rng.standard_normal((n, n_prev)) / np.sqrt(n_prev), np.zeros((n, 1))))
    return X, Y, params


# --- the step written by hand: the course's equations, no autograd -----------


def _transposed_product(W: np.ndarray, dZ: np.ndarray, out: np.ndarray | None = None):
    """Wᵀ dZ; with one output unit an outer product, which a broadcast multiply computes
    (the same single products) faster than BLAS's general routine."""
    if W.shape[0] == 1:
        return np.multiply(W.T, dZ, out=out)
    return np.dot(W.T, dZ, out=out)


def numpy_step(X: np.ndarray, Y: np.ndarray, params: list, hidden: str, lr: float = LR) -> float:
    """Z[l] = W[l] A[l-1] + b[l]; dZ[L] = (A[L] - Y) / m; dW = dZ A_prevᵀ; db; dA_prev = Wᵀ dZ.

    The course's equations as fast as plain numpy writes them: ``np.dot`` (less call
    overhead than ``@`` on small arrays), ``b`` added into the fresh product, each
    activation computed into its own Z (backward needs only A: relu' = [A > 0], tanh' =
    1 - A²), the 1/m of J applied once to dZ[L] (where backpropagation meets it), each
    A[l] released once its layer's gradients are taken, and the update made in place.
    A step owns no buffer across calls: like the engine's, each step starts from X, Y
    and the parameters alone.
    """
    m = X.shape[1]
    L = len(params)
    acts = [X]
    A = X
    for l, (W, b) in enumerate(params, start=1):
        Z = np.dot(W, A)
        Z += b
        if l < L:
            A = np.tanh(Z, out=Z) if hidden == "tanh" else np.maximum(Z, 0.0, out=Z)
            acts.append(A)
        else:
            A = 1 / (1 + np.exp(-Z))
    cost = -(Y * np.log(A) + (1 - Y) * np.log(1 - A)).sum() / m
    dZ = A - Y
    dZ /= m
    for l in range(L, 0, -1):
        W, b = params[l - 1]
        A_prev = acts.pop()
        dW = np.dot(dZ, A_prev.T)
        db = dZ.sum(axis=1, keepdims=True)
        if l > 1:  # dA[0] is never needed: X is data
            # g'(Z[l-1]) from A[l-1], whose last use this is: tanh' = 1 - A² computed into
            # A[l-1]; relu' = [Z > 0] = [A > 0], and then dA = Wᵀ dZ goes into A[l-1]
            if hidden == "tanh":
                g_prime = np.multiply(A_prev, A_prev, out=A_prev)
                np.subtract(1.0, g_prime, out=g_prime)
                dA = _transposed_product(W, dZ)
            else:
                g_prime = A_prev > 0
                dA = _transposed_product(W, dZ, out=A_prev)
            dA *= g_prime
            dZ = dA
        dW *= lr
        W -= dW
        db *= lr
        b -= db
    return float(cost)


# --- the same step on the engine ----------------------------------------------


def engine_step(X: Tensor, Y: Tensor, params: list, hidden: str, fused: bool = True) -> float:
    """Forward through Tensors, J from the logits, backward(), update under no_grad().

    ``fused``: each layer's Z = W A + b as one node (``linear``), else as ``W @ A + b``.
    """
    A = X
    last = len(params) - 1
    for l, (W, b) in enumerate(params):
        Z = linear(W, A, b) if fused else W @ A + b
        if l < last:
            A = Z.tanh() if hidden == "tanh" else Z.relu()
    J = binary_cross_entropy_with_logits(Z, Y)
    flat = [p for pair in params for p in pair]
    zero_grad(flat)
    J.backward()
    with no_grad():
        for p in flat:
            p.data -= LR * p.grad
    return float(J.data)


def torch_step(X, Y, params: list, hidden: str) -> float:
    A = X
    last = len(params) - 1
    for l, (W, b) in enumerate(params):
        Z = W @ A + b
        if l < last:
            A = torch.tanh(Z) if hidden == "tanh" else torch.relu(Z)
    J = torch.nn.functional.binary_cross_entropy_with_logits(Z, Y)
    flat = [p for pair in params for p in pair]
    for p in flat:
        p.grad = None
    J.backward()
    with torch.no_grad():
        for p in flat:
            p -= LR * p.grad
    return float(J)


# --- measurement -----------------------------------------------------------------


def columns(sizes: list[int], m: int, hidden: str) -> dict[str, Callable[[], float]]:
    """Each column's step as a closure over its own copy of the same problem."""
    X, Y, params = make_problem(sizes, m)
    cols: dict[str, Callable[[], float]] = {}
    np_params = [(W.copy(), b.copy()) for W, b in params]
    cols["numpy"] = lambda: numpy_step(X, Y, np_params, hidden)
    tX, tY = Tensor(X, label="X"), Tensor(Y, label="Y")
    for name, fused in (("engine", True), ("W@A+b", False)):
        t_params = [
            (Tensor(W.copy(), requires_grad=True), Tensor(b.copy(), requires_grad=True))
            for W, b in params
        ]
        cols[name] = partial(engine_step, tX, tY, t_params, hidden, fused)
    if torch is not None:
        pX, pY = torch.from_numpy(X), torch.from_numpy(Y)
        p_params = [
            (torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
            for W, b in params
        ]
        cols["torch"] = lambda: torch_step(pX, pY, p_params, hidden)
    return cols


def median_times(cols: dict[str, Callable[[], float]], seconds: float) -> dict[str, float]:
    """Median seconds per step of each column, the columns taking turns in short blocks
    so that a change in machine load hits them all alike."""
    times: dict[str, list[float]] = {k: [] for k in cols}
    start = time.perf_counter()
    block = 1
    while time.perf_counter() - start < seconds:
        for k, step in cols.items():
            for _ in range(block):
                t0 = time.perf_counter()
                step()
                times[k].append(time.perf_counter() - t0)
        # blocks of about 10 ms: many turns, little timer overhead
        block = max(1, min(200, int(0.01 / max(statistics.median(times["numpy"]), 1e-9))))
    return {k: statistics.median(v) for k, v in times.items()}


def peak_bytes(step: Callable[[], float]) -> int:
    """The most memory one step holds at once, beyond what existed before it."""
    step()
    gc.collect()
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak - base


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed: BLAS unknown"
    lines = []
    for pool in threadpool_info():
        lines.append(
            f"{pool.get('internal_api')} {pool.get('version')} "
            f"({pool.get('threading_layer', '?')} threading, {pool.get('num_threads')} threads, "
            f"{pool.get('architecture', '?')}) from {pool.get('prefix')}"
        )
    return "\n".join(lines) or "no BLAS thread pool found"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--time", type=float, default=1.0, help="scale the seconds spent per column (default 1)"
    )
    parser.add_argument("--only", help="run the networks whose name contains this text")
    parser.add_argument(
        "--threads", type=int, help="limit BLAS to this many threads (steadier on a busy machine)"
    )
    args = parser.parse_args(argv)
    global torch
    try:
        import torch
    except ImportError:
        torch = None
    if args.threads:
        from threadpoolctl import threadpool_limits

        threadpool_limits(limits=args.threads, user_api="blas")

    print(f"numpy {np.__version__}; Python {sys.version.split()[0]}")
    print(blas_info())
    print("torch", torch.__version__ if torch is not None else "not installed (column skipped)")
    print()
    names = ["engine", "W@A+b"] + (["torch"] if torch is not None else [])
    head = f"{'network':40} {'numpy':>9}" + "".join(f" {n:>9} {'ratio':>6}" for n in names)
    head += f"   {'peak MB numpy':>13} {'engine':>7} {'ratio':>6} {'W@A+b':>7} {'ratio':>6}"
    print(head)
    for name, (sizes, m, hidden, seconds) in NETWORKS.items():
        if args.only and args.only not in name:
            continue
        cols = columns(sizes, m, hidden)
        costs = {k: step() for k, step in cols.items()}  # the same problem in every column
        if not all(np.isclose(c, costs["numpy"], rtol=1e-6) for c in costs.values()):
            raise SystemExit(f"{name}: the columns disagree on the first cost: {costs}")
        for step in cols.values():  # warm up caches and the allocator
            step()
        t = median_times(cols, seconds * args.time)
        mem = {k: peak_bytes(cols[k]) for k in ("numpy", "engine", "W@A+b")}
        line = f"{name:40} {t['numpy'] * 1e3:7.3f}ms"
        for n in names:
            line += f" {t[n] * 1e3:7.3f}ms {t[n] / t['numpy']:5.2f}x"
        line += f"   {mem['numpy'] / 2**20:13.2f}"
        for n in ("engine", "W@A+b"):
            line += f" {mem[n] / 2**20:7.2f} {mem[n] / mem['numpy']:5.2f}x"
        print(line, flush=True)
    print("\nratio = this column's median step time (or peak memory) / hand-written numpy's")
    return 0


if __name__ == "__main__":
    sys.exit(main())
