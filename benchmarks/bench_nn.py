"""Training the course's models: micrograd_dls.nn against reference.py, as time ratios.

(a) the planar notebook's shallow network: [2, 4, 1], tanh, α = 1.2, on
    planar_flower (m = 400), from the course's initialisation (seed 2);
(b) the deep cat model's network: [12288, 20, 7, 5, 1], ReLU, sigmoid output,
    α = 0.0075, on random pictures of the course's shape (m = 209), from the
    course's initialisation (seed 1).

Each column trains from the same starting parameters for the same number of
iterations (cost computed every iteration, recorded every 100, as the course
does); the time is the median over rounds run interleaved in this process.
Columns: ``nn.MLP.fit``; ``reference.L_layer_model`` (the course's loop, the
limit); and the same course formulas as fast as plain numpy computes them
(``bench_tensor.numpy_step``: without the one product the course computes but
never uses -- dA[0] = W[1]ᵀ dZ[1] -- and with the arrays updated in place), so
that the ratio against it shows how much of the library's lead over the course's
loop is only that product and those copies.

Run:  env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE python benchmarks/bench_nn.py
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

import numpy as np
from bench_tensor import numpy_step

from micrograd_dls import nn
from micrograd_dls import reference as R
from micrograd_dls.data import planar_flower


def lean_numpy(X, Y, parameters, learning_rate, num_iterations, hidden):
    """The course's loop as fast as plain numpy runs it: ``bench_tensor.numpy_step`` (no
    dA[0] = W[1]ᵀ dZ[1], in-place updates) each iteration, on copies of the parameters."""
    L = len(parameters) // 2
    params = [(parameters[f"W{l}"].copy(), parameters[f"b{l}"].copy()) for l in range(1, L + 1)]
    costs = []
    for i in range(num_iterations):
        cost = numpy_step(X, Y, params, hidden, learning_rate)
        if i % 100 == 0:
            costs.append(cost)
    return costs


def case(dims, hidden, init, seed, X, Y, lr, iterations) -> dict[str, Callable[[], list]]:
    start = nn.init.initialize(dims, init, seed)

    def library():
        model = nn.MLP(dims, hidden, "sigmoid", init="zeros")
        model.load_state_dict(start)
        return model.fit(X, Y, lr, iterations).costs

    def reference():
        return R.L_layer_model(X, Y, dict(start), lr, iterations, hidden_activation=hidden)[1]

    def lean():
        return lean_numpy(X, Y, dict(start), lr, iterations, hidden)

    return {"nn.MLP.fit": library, "reference.py": reference, "lean numpy, no dA[0]": lean}


def run(columns: dict[str, Callable[[], list]], rounds: int) -> dict[str, float]:
    results = {name: f() for name, f in columns.items()}  # warm up, and check they agree
    first = next(iter(results.values()))
    for name, costs in results.items():
        if not np.allclose(costs, first, rtol=1e-6):
            raise AssertionError(f"{name} trained differently: {costs[:3]} vs {first[:3]}")
    times: dict[str, list[float]] = {name: [] for name in columns}
    for _ in range(rounds):
        for name, f in columns.items():
            t = time.perf_counter()
            f()
            times[name].append(time.perf_counter() - t)
    return {name: statistics.median(ts) for name, ts in times.items()}


def blas_info() -> str:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return "threadpoolctl not installed: BLAS unknown"
    lines = [
        f"{p.get('internal_api')} {p.get('version')} ({p.get('threading_layer', '?')}), "
        f"{p.get('num_threads')} threads"
        for p in threadpool_info()
        if p.get("user_api") == "blas"
    ]
    return "\n".join(lines) or "no BLAS thread pool found"


def report(title: str, medians: dict[str, float], iterations: int) -> None:
    ours = medians["nn.MLP.fit"]
    print(f"\n{title}")
    for name, t in medians.items():
        ratio = ours / t
        print(f"  {name:22s} {1e3 * t / iterations:8.3f} ms/iteration   nn / this = {ratio:.2f}x")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--planar-iterations", type=int, default=2000)
    parser.add_argument("--deep-iterations", type=int, default=100)
    args = parser.parse_args(argv)
    print(f"numpy {np.__version__}; BLAS:\n  " + blas_info().replace("\n", "\n  "))

    X, Y = planar_flower()
    n = args.planar_iterations
    medians = run(case([2, 4, 1], "tanh", "small", 2, X, Y, 1.2, n), args.rounds)
    report(f"(a) shallow [2, 4, 1] tanh on planar_flower, m = 400, {n} iterations", medians, n)

    rng = np.random.default_rng(0)
    X = rng.integers(0, 256, size=(12288, 209)) / 255.0
    Y = (rng.random((1, 209)) > 0.65).astype(float)
    n = args.deep_iterations
    medians = run(case([12288, 20, 7, 5, 1], "relu", "deep", 1, X, Y, 0.0075, n), args.rounds)
    report(f"(b) deep [12288, 20, 7, 5, 1] relu, m = 209, {n} iterations", medians, n)
    ratio = medians["nn.MLP.fit"] / medians["reference.py"]
    print(f"\ntarget: deep network within 1.10x of reference.py -> {ratio:.2f}x "
          f"({'met' if ratio <= 1.10 else 'NOT met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
