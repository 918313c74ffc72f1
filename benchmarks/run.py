"""Every row of the speed table in one run, as ratios against the limit.

Tensor rows -- one gradient-descent step (forward, cost, backward, update) of

* the planar network [2, 4, 1] (tanh hidden layer), m = 400;
* the course's cat network [12288, 20, 7, 5, 1] (ReLU, sigmoid output), m = 209;
* [784, 256, 128, 1] (ReLU, sigmoid output), m = 4096, also for peak memory;

on random data of those shapes, against the same step written by hand in
numpy with the course's formulas (``bench_tensor.numpy_step``, the limit).
micrograd_dls runs the plain user path -- ``Z = W @ A + b``, activations as
methods, the cost written out with ``log``, ``backward()``, then
``p.data -= lr * p.grad; p.grad = None`` -- and, for the memory row, one
iteration of ``nn.MLP.fit``. PyTorch (float64, the same plain path) and HIPS
autograd (``value_and_grad`` of the same numpy code) run when installed and
are skipped with a note otherwise.

Each engine runs in a process of its own (``--worker``), so that one
engine's garbage and allocator state do not slow another; the processes take
turns over ``--rounds`` rounds and the table gives the median of their
median step times, and as ratio the median over rounds of engine / numpy
within a round. Memory, in each engine's first-round process: the most one
step holds at once beyond what existed before it, traced by tracemalloc for
the engines whose arrays are numpy's (the figure the target is about) and as
the growth of the resident set (``VmHWM`` after resetting it) for all,
PyTorch's included, whose allocator tracemalloc does not see; and the
process's resident high-water mark (``ru_maxrss``) above its imports, which
adds the data, the parameters and any copy of them -- ``Tensor(X)`` copies X,
as ``torch.tensor`` does, where ``nn.MLP.fit`` wraps it without copying.

Scalar rows come from ``bench_value.main()``, run in a process of its own: its
table as it prints it, its rows among the targets at the end. Its MLP takes
the inputs as plain floats, as the plain-Python limit does: ``w * x`` with a
float ``x`` makes one node, and the inputs are not nodes. A benchmark that
first wraps every input in a Value (as micrograd's demos do) adds 200 leaves
per step that the backward sweep orders, visits and fills with gradients
nobody reads -- work the plain-Python limit never does -- so its ratios come
out higher, and say more about that choice than about the engine.

Drawing row from ``bench_draw.main()``, in a process of its own: ``viz.draw(root,
max_nodes=None)`` on a 100,000-node graph, both pictures, against the target
of 3 s (and, for scale, a hand-written plain-Python DOT writer of the same
nodes and edges).

Run:  make bench    (or: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE
      .venv/bin/python benchmarks/run.py [--rounds N] [--seconds S] [--only TEXT])
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import importlib.util
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from bench_tensor import LR, make_problem, numpy_step, peak_bytes  # noqa: E402

#: name: (layer sizes, m, hidden activation, seconds per engine and round, engines)
ROWS = {
    "planar [2,4,1] tanh, m=400": ([2, 4, 1], 400, "tanh", 0.5),
    "cat [12288,20,7,5,1] relu, m=209": ([12288, 20, 7, 5, 1], 209, "relu", 0.8),
    "[784,256,128,1] relu, m=4096": ([784, 256, 128, 1], 4096, "relu", 1.5),
}
MEMORY_ROW = "[784,256,128,1] relu, m=4096"
ENGINES = ("numpy", "micrograd_dls", "torch", "autograd")
#: (row, target ratio of micrograd_dls's median time to numpy's)
TIME_TARGETS = {
    "planar [2,4,1] tanh, m=400": 2.0,
    "cat [12288,20,7,5,1] relu, m=209": 0.75,
    "[784,256,128,1] relu, m=4096": 0.85,
}
MEMORY_TARGETS = {"micrograd_dls": 1.15, "micrograd_dls fit": 1.0}


# --- the steps, one per engine ---------------------------------------------------------


def _dls(sizes, m, hidden):
    from micrograd_dls import Tensor

    X, Y, params = make_problem(sizes, m)
    tX, tY = Tensor(X, label="X"), Tensor(Y, label="Y")
    ps = [(Tensor(W, requires_grad=True), Tensor(b, requires_grad=True)) for W, b in params]
    last = len(ps) - 1

    def step() -> float:
        A = tX
        for l, (W, b) in enumerate(ps):
            Z = W @ A + b
            A = (Z.tanh() if hidden == "tanh" else Z.relu()) if l < last else Z.sigmoid()
        J = -(tY * A.log() + (1 - tY) * (1 - A).log()).sum() / m
        J.backward()
        for pair in ps:
            for p in pair:
                p.data -= LR * p.grad
                p.grad = None
        return float(J.data)

    return step


def _dls_fit(sizes, m, hidden):
    from micrograd_dls import nn

    X, Y, params = make_problem(sizes, m)
    model = nn.MLP(sizes, hidden, "sigmoid", init="zeros")
    model.load_state_dict(
        {f"{p}{l}": a for l, pair in enumerate(params, 1) for p, a in zip("Wb", pair)}
    )
    return lambda: model.fit(X, Y, LR, num_iterations=1).costs[0]


def _numpy(sizes, m, hidden):
    X, Y, params = make_problem(sizes, m)
    return lambda: numpy_step(X, Y, params, hidden)


def _torch(sizes, m, hidden):
    import torch

    X, Y, params = make_problem(sizes, m)
    tX, tY = torch.from_numpy(X), torch.from_numpy(Y)
    ps = [(torch.tensor(W, requires_grad=True), torch.tensor(b, requires_grad=True))
          for W, b in params]
    g = torch.tanh if hidden == "tanh" else torch.relu
    last = len(ps) - 1

    def step() -> float:
        A = tX
        for l, (W, b) in enumerate(ps):
            Z = W @ A + b
            A = g(Z) if l < last else torch.sigmoid(Z)
        J = -(tY * torch.log(A) + (1 - tY) * torch.log(1 - A)).sum() / m
        J.backward()
        with torch.no_grad():
            for pair in ps:
                for p in pair:
                    p -= LR * p.grad
                    p.grad = None
        return float(J)

    return step


def _autograd(sizes, m, hidden):
    import autograd.numpy as anp
    from autograd import value_and_grad

    X, Y, params = make_problem(sizes, m)
    last = len(params) - 1

    def cost(ps):
        A = X
        for l, (W, b) in enumerate(ps):
            Z = W @ A + b
            if l < last:
                A = anp.tanh(Z) if hidden == "tanh" else anp.maximum(Z, 0.0)
            else:
                A = 1 / (1 + anp.exp(-Z))
        return -anp.sum(Y * anp.log(A) + (1 - Y) * anp.log(1 - A)) / m

    value_and_grad_ = value_and_grad(cost)

    def step() -> float:
        J, grads = value_and_grad_(params)
        for (W, b), (dW, db) in zip(params, grads):
            W -= LR * dW
            b -= LR * db
        return float(J)

    return step


STEPS: dict[str, Callable] = {
    "numpy": _numpy,
    "micrograd_dls": _dls,
    "micrograd_dls fit": _dls_fit,
    "torch": _torch,
    "autograd": _autograd,
}


# --- one engine in its own process -----------------------------------------------------


def _median_step(step: Callable[[], float], seconds: float) -> tuple[float, float, float]:
    """Median seconds per step (wall clock, and this process's CPU time), and the
    minor page faults per step."""
    wall: list[float] = []
    cpu: list[float] = []
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    start = time.perf_counter()
    while time.perf_counter() - start < seconds or len(wall) < 5:
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults
    return statistics.median(wall), statistics.median(cpu), faults / len(wall)


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise KeyError(field)


def _rss_peak(step: Callable[[], float]) -> int | None:
    """Growth of the resident set during one step, with freed heap returned to the system
    first (so memory a previous step left cached does not hide this one's)."""
    try:
        gc.collect()
        ctypes.CDLL("libc.so.6").malloc_trim(0)
        Path("/proc/self/clear_refs").write_text("5")  # reset VmHWM to the current VmRSS
        base = _status_kib("VmRSS")
        step()
        return 1024 * (_status_kib("VmHWM") - base)
    except (OSError, KeyError, AttributeError):
        return None


def _blas() -> list[str]:
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return ["threadpoolctl not installed: BLAS unknown"]
    return [
        f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} threads, "
        f"{p.get('architecture') or p.get('threading_layer') or '?'}) {Path(p['filepath']).name}"
        for p in threadpool_info()
    ] or ["no BLAS thread pool found"]


#: the module each engine's step imports, loaded before the memory baseline
MODULES = {"micrograd_dls": "micrograd_dls", "micrograd_dls fit": "micrograd_dls",
           "torch": "torch", "autograd": "autograd"}


def _process_peak(base_kib: int | None) -> int | None:
    """Bytes by which the resident set's high-water mark (``ru_maxrss``) rose above
    ``base_kib``: the most this process held at once, data and steps included."""
    if base_kib is None:
        return None
    return 1024 * (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base_kib)


def worker(row: str, engine: str, seconds: float, memory: bool) -> dict:
    sizes, m, hidden, _ = ROWS[row]
    base = None
    if memory:
        if engine in MODULES:
            importlib.import_module(MODULES[engine])
        try:
            base = _status_kib("VmRSS")
        except (OSError, KeyError):
            pass
    step = STEPS[engine](sizes, m, hidden)
    cost = step()
    step()  # warm up caches and the allocator
    wall, cpu, faults = _median_step(step, seconds)
    out = {"cost": cost, "median": wall, "cpu": cpu, "faults": faults, "blas": _blas()}
    if memory:
        out["process"] = _process_peak(base)  # before _rss_peak resets the high-water mark
        out["traced"] = None if engine == "torch" else peak_bytes(step)
        out["rss"] = _rss_peak(step)
    return out


# --- the table ------------------------------------------------------------------------


def available(engine: str) -> str | None:
    """None when the engine can run, else why not."""
    module = {"torch": "torch", "autograd": "autograd"}.get(engine)
    if module is None:
        return None
    if importlib.util.find_spec(module) is None:
        return f"{module} not installed (pip install {module}); column skipped"
    return None


def _run_worker(row: str, engine: str, seconds: float, memory: bool, env: dict) -> dict:
    cmd = [sys.executable, __file__, "--worker", row, engine, "--seconds", str(seconds)]
    if memory:
        cmd.append("--memory")
    done = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if done.returncode:
        raise SystemExit(f"{engine} on {row} failed:\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def _load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} CPUs"


def _ratio(engine: list[dict], limit: list[dict], key: str) -> float:
    """The median over rounds of engine / numpy within a round: a burst of load that
    lasts a round moves one ratio, not the median."""
    return statistics.median(a[key] / b[key] for a, b in zip(engine, limit))


def tensor_rows(rounds: int, scale: float, only: str | None, env: dict, clock: str) -> list[str]:
    engines = []
    for e in ENGINES:
        why = available(e)
        if why:
            print(f"  {e}: {why}")
        else:
            engines.append(e)
    verdicts = []
    for row, (_, _, _, seconds) in ROWS.items():
        if only and only not in row:
            continue
        names = engines + (["micrograd_dls fit"] if row == MEMORY_ROW else [])
        runs: dict[str, list[dict]] = {e: [] for e in names}
        for r in range(rounds):  # the engines take turns, so a change of load hits them all
            for e in names:
                runs[e].append(_run_worker(row, e, seconds * scale, r == 0, env))
        costs = {e: runs[e][0]["cost"] for e in names}
        if not all(np.isclose(c, costs["numpy"], rtol=1e-6) for c in costs.values()):
            raise SystemExit(f"{row}: the engines disagree on the first cost: {costs}")
        t = {e: statistics.median(x["median"] for x in runs[e]) for e in names}
        c = {e: statistics.median(x["cpu"] for x in runs[e]) for e in names}

        print(f"\n{row}   (median step: wall clock, ratio to numpy; CPU time, ratio; "
              "minor page faults)")
        for e in names:
            faults = statistics.median(x["faults"] for x in runs[e])
            wall, cpu = (_ratio(runs[e], runs["numpy"], k) for k in ("median", "cpu"))
            print(f"  {e:18} {t[e] * 1e3:9.3f} ms {wall:5.2f}x   "
                  f"cpu {c[e] * 1e3:9.3f} ms {cpu:5.2f}x  {faults:6.0f} faults")
        if row == MEMORY_ROW:
            _memory_table(row, {e: runs[e][0] for e in names})
        verdicts.append((row, clock, _ratio(runs["micrograd_dls"], runs["numpy"],
                                              "cpu" if clock == "cpu" else "median"),
                         TIME_TARGETS[row]))
        if row == MEMORY_ROW:
            base = runs["numpy"][0]["traced"]
            for e, target in MEMORY_TARGETS.items():
                verdicts.append((f"peak memory, {e}", "memory",
                                 runs[e][0]["traced"] / base, target))
        if row == next(iter(ROWS)) or (only and only in row):
            print("  BLAS: " + "; ".join(
                f"{e}: {', '.join(runs[e][0]['blas'])}" for e in ("numpy", "torch") if e in runs
            ))
    return _verdicts(verdicts)


def _mib(n: int | None, base: int | None = None) -> str:
    if n is None:
        return "      n/a      "
    return f"{n / 2**20:6.1f} MiB" + (f" {n / base:5.2f}x" if base else "       ")


def _memory_table(row: str, first: dict[str, dict]) -> None:
    """Each engine's memory in its first round's process: what tracemalloc saw one step
    hold beyond what existed before it (numpy's arrays; not torch's allocator), the growth
    of the resident set during that step, and the process's resident high-water mark above
    its imports (the data, the parameters, any copies and every step)."""
    sizes, m, _, _ = ROWS[row]
    x_mib = sizes[0] * m * 8 / 2**20
    numpy = first["numpy"]
    print(f"  {'memory':18} {'one step, traced':>17} {'one step, RSS':>17} "
          f"{'process RSS peak':>17}")
    for e, out in first.items():
        print(f"  {e:18} {_mib(out['traced'], numpy['traced'])} "
              f"{_mib(out['rss'], numpy['rss'])} {_mib(out['process'], numpy['process'])}")
    print(f"  X is {x_mib:.1f} MiB. Tensor(X) copies X, as torch.tensor does (a later change "
          "to the\n  caller's X cannot reach the graph): its process held X twice while "
          "wrapping it.\n  nn.MLP.fit wraps X without copying; numpy and torch.from_numpy use "
          "the caller's X.")


def _verdicts(rows: list[tuple[str, str, float, float]]) -> list[str]:
    return [
        f"  {row:66} {what:6} {ratio:5.2f}x  target <= {target:.2f}x  "
        f"{'met' if ratio <= target else 'NOT met'}"
        for row, what, ratio, target in rows
    ]


def scalar_rows() -> list[tuple[str, str, float, float]]:
    """bench_value.main() in its own process: its table as it prints it, and its rows."""
    done = subprocess.run([sys.executable, __file__, "--scalar-worker"], text=True,
                          stdout=subprocess.PIPE)
    if done.returncode:
        raise SystemExit("bench_value.py failed")
    rows = json.loads(done.stdout.splitlines()[-1])
    return [(row["case"], "cpu", row["ratio"], row["target"]) for row in rows]


def draw_row() -> tuple[str, float, float]:
    """bench_draw.main() in its own process: its line as it prints it, and its row."""
    done = subprocess.run([sys.executable, __file__, "--draw-worker"], text=True,
                          stdout=subprocess.PIPE)
    if done.returncode:
        raise SystemExit("bench_draw.py failed")
    row = json.loads(done.stdout.splitlines()[-1])
    return row["case"], row["ours_s"], row["target_s"]


def draw_worker() -> dict:
    import contextlib

    import bench_draw

    with contextlib.redirect_stdout(sys.stderr):
        return bench_draw.main([])


def scalar_worker() -> list[dict]:
    import contextlib

    import bench_value

    with contextlib.redirect_stdout(sys.stderr):  # the table shows; stdout carries the rows
        return bench_value.main([])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="turns per engine (default 5)")
    parser.add_argument("--seconds", type=float, default=1.0,
                        help="scale the seconds each engine spends per turn (default 1)")
    parser.add_argument("--only", help="run only the Tensor rows whose name contains this")
    parser.add_argument("--no-scalar", action="store_true", help="skip bench_value.py's rows")
    parser.add_argument("--threads", type=int,
                        help="BLAS and OpenMP threads per engine (default: each library's own)")
    parser.add_argument("--cpu-time", action="store_true",
                        help="judge the targets by CPU time, not wall clock: steadier on a busy "
                        "machine, and fair with --threads 1")
    parser.add_argument("--worker", nargs=2, metavar=("ROW", "ENGINE"), help=argparse.SUPPRESS)
    parser.add_argument("--memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--no-draw", action="store_true", help="skip bench_draw.py's row")
    parser.add_argument("--scalar-worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--draw-worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scalar_worker:
        print(json.dumps(scalar_worker()))
        return 0
    if args.draw_worker:
        print(json.dumps(draw_worker()))
        return 0
    if args.worker:
        row, engine = args.worker
        print(json.dumps(worker(row, engine, args.seconds, args.memory)))
        return 0

    print(f"numpy {np.__version__}; Python {sys.version.split()[0]}; {_load()}")
    for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "OPENBLAS_NUM_THREADS"):
        if var in os.environ:
            print(f"  note: {var}={os.environ[var]} is set")
    print("\n== Tensor engine against hand-written numpy, each engine in its own process")
    env = dict(os.environ)
    if args.threads:
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            env[var] = str(args.threads)
        print(f"  --threads {args.threads}: every engine's BLAS and OpenMP limited to it")
    clock = "cpu" if args.cpu_time else "wall"
    verdicts = tensor_rows(args.rounds, args.seconds, args.only, env, clock)
    if not args.no_scalar:
        print("\n== Scalar engine against plain Python (benchmarks/bench_value.py)", flush=True)
        verdicts = _verdicts(scalar_rows()) + verdicts
    if not args.no_scalar:
        print("\n== Value's own backward walk against graph.generic_backward "
              "(benchmarks/bench_sweep.py)", flush=True)
        subprocess.run([sys.executable, str(Path(__file__).with_name("bench_sweep.py"))],
                       check=True)
    if not args.no_draw:
        print("\n== Drawing (benchmarks/bench_draw.py)", flush=True)
        name, seconds, target = draw_row()
        verdicts.append(f"  {name:66} wall   {seconds:5.2f} s  target <= {target:.2f} s  "
                        f"{'met' if seconds <= target else 'NOT met'}")
    print(f"\n== Targets   ({_load()})")
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
