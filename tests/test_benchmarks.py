"""The benchmarks measure what they say: each engine's step computes the limit's numbers,
and the drawing row draws every node and edge. (Their timings are not tested: speed is
a ratio printed by `make bench`, never a wall time asserted here.)"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import bench_draw  # noqa: E402
import bench_nn  # noqa: E402
import bench_tensor  # noqa: E402
import bench_value  # noqa: E402
import run  # noqa: E402

PLANAR = "planar [2,4,1] tanh, m=400"


@pytest.mark.parametrize("engine", ["micrograd_dls", "micrograd_dls fit"])
def test_the_engines_planar_step_computes_the_hand_written_numpy_steps_costs(engine):
    sizes, m, hidden, _ = run.ROWS[PLANAR]
    ours, numpy = run.STEPS[engine](sizes, m, hidden), run.STEPS["numpy"](sizes, m, hidden)
    for _ in range(3):  # the same starting point, then the same updates
        np.testing.assert_allclose(ours(), numpy(), rtol=1e-12)


@pytest.mark.parametrize("row", list(run.ROWS))
def test_every_rows_numpy_limit_computes_the_engines_costs_step_after_step(row):
    sizes, m, hidden, _ = run.ROWS[row]
    ours, numpy = run.STEPS["micrograd_dls"](sizes, m, hidden), run.STEPS["numpy"](sizes, m, hidden)
    for _ in range(3):
        np.testing.assert_allclose(numpy(), ours(), rtol=1e-12)


def test_the_numpy_limit_updates_the_parameters_as_the_course_formulas_do():
    """The in-place limit against the course's equations written out with fresh arrays."""
    X, Y, params = bench_tensor.make_problem([5, 4, 3, 1], 7)
    for hidden in ("tanh", "relu"):
        fast = [(W.copy(), b.copy()) for W, b in params]
        m, lr = X.shape[1], 0.5
        bench_tensor.numpy_step(X, Y, fast, hidden, lr)
        g = np.tanh if hidden == "tanh" else (lambda z: np.maximum(z, 0))
        (W1, b1), (W2, b2), (W3, b3) = params
        Z1 = W1 @ X + b1
        A1 = g(Z1)
        Z2 = W2 @ A1 + b2
        A2 = g(Z2)
        A3 = 1 / (1 + np.exp(-(W3 @ A2 + b3)))
        dg = (lambda z, a: 1 - a**2) if hidden == "tanh" else (lambda z, a: (z > 0) * 1.0)
        dZ3 = A3 - Y
        dZ2 = (W3.T @ dZ3) * dg(Z2, A2)
        dZ1 = (W2.T @ dZ2) * dg(Z1, A1)
        expected = [(W - lr * dZ @ A.T / m, b - lr * dZ.sum(axis=1, keepdims=True) / m)
                    for (W, b), dZ, A in zip(params, (dZ1, dZ2, dZ3), (X, A1, A2))]
        for (W, b), (eW, eb) in zip(fast, expected):
            np.testing.assert_allclose(W, eW, rtol=1e-12, atol=1e-15)
            np.testing.assert_allclose(b, eb, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("fused", [True, False])
def test_bench_tensors_engine_columns_compute_the_numpy_limits_costs(fused):
    sizes, m, hidden, _ = bench_tensor.NETWORKS["planar [2, 4, 1] tanh, m=400"]
    cols = bench_tensor.columns(sizes, m, hidden)
    ours = cols["engine" if fused else "W@A+b"]
    for _ in range(3):
        np.testing.assert_allclose(cols["numpy"](), ours(), rtol=1e-12)


def test_the_plain_python_mlp_step_computes_the_engines_losses_step_after_step():
    X, Y, weights = bench_value.make_problem()
    ours = bench_value.autograd_step(bench_value.Value, X, Y, weights)
    plain = bench_value.plain_step(X, Y, weights)
    for _ in range(3):  # the same loss, then the same updates
        assert plain() == pytest.approx(ours(), rel=1e-12)


def test_the_plain_python_chain_computes_the_engines_gradient():
    n = 1000
    ours = bench_value.autograd_chain(bench_value.Value, n)()
    assert bench_value.plain_chain(n)() == pytest.approx(ours, rel=1e-12)
    y, g = 0.5, 1.0  # and the chain rule, step by step from the last one back
    ys = []
    for _ in range(n):
        y = bench_value.math.tanh(1.0001 * y + 0.1)
        ys.append(y)
    for y in reversed(ys):
        g = g * (1.0 - y * y) * 1.0001
    assert bench_value.plain_chain(n)() == pytest.approx(g, rel=1e-12)


def test_the_training_benchmarks_lean_column_trains_as_the_library_and_the_course():
    X, Y = bench_nn.planar_flower()
    columns = bench_nn.case([2, 4, 1], "tanh", "small", 2, X, Y, 1.2, 201)
    costs = {name: f() for name, f in columns.items()}
    assert len(costs["lean numpy, no dA[0]"]) == 3
    for name, c in costs.items():
        np.testing.assert_allclose(c, costs["reference.py"], rtol=1e-9, err_msg=name)


def test_a_worker_reports_a_median_step_and_the_blas_it_ran():
    out = run.worker(PLANAR, "micrograd_dls", 0.01, memory=False)
    assert out["median"] > 0 and out["cpu"] > 0 and out["blas"]
    assert np.isclose(out["cost"], run.STEPS["numpy"](*run.ROWS[PLANAR][:3])())


def test_the_drawing_rows_plain_writer_and_draw_cover_the_same_graph():
    root = bench_draw.make_graph(10)  # x and three operations a step, each on one node
    plain = bench_draw.plain_dot(root)
    assert plain.count(" [label=") == 2 * (31 + 30)  # both pictures: 31 nodes, 30 edges
    assert plain.count(" -> ") == 2 * 30
    assert bench_draw.viz.draw(root, max_nodes=None).source.count(" -> ") >= 2 * 30
    row = bench_draw.main(["--repeat", "1", "--steps", "10"])
    assert row["case"].startswith("draw(max_nodes=None), 31 nodes")
    assert row["ours_s"] > 0 and row["plain_s"] > 0 and row["target_s"] == 3.0


def test_the_sweep_benchmark_times_two_walks_that_give_the_same_gradients():
    import bench_sweep

    from micrograd_dls import graph

    row = bench_sweep.main(["--repeat", "1", "--m", "3"])
    assert row["nodes"] > 500 and row["own_ms"] > 0 and row["generic_ms"] > 0
    J = bench_sweep.loss_graph(3)
    leaves = [n for n in graph.topological_order(J) if graph.is_leaf(n)]
    J.backward()
    own = [leaf.grad for leaf in leaves]
    graph.zero_grad(leaves)
    graph.generic_backward(J)
    assert [leaf.grad for leaf in leaves] == own  # bit for bit
