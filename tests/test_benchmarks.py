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
import run  # noqa: E402

PLANAR = "planar [2,4,1] tanh, m=400"


@pytest.mark.parametrize("engine", ["micrograd_dls", "micrograd_dls fit"])
def test_the_engines_planar_step_computes_the_hand_written_numpy_steps_costs(engine):
    sizes, m, hidden, _ = run.ROWS[PLANAR]
    ours, numpy = run.STEPS[engine](sizes, m, hidden), run.STEPS["numpy"](sizes, m, hidden)
    for _ in range(3):  # the same starting point, then the same updates
        np.testing.assert_allclose(ours(), numpy(), rtol=1e-12)


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
