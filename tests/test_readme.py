"""The README's Python examples run as written and print what it says they print.

A comment ``# 0.693048 0.288083`` after a ``print`` must appear in the output as
written. A comment ``# ≈ 90.5 % (±1, ...)`` is a figure that varies between
CPUs (the BLAS kernel's rounding, see the README): some number followed by the
same unit must be printed within the tolerance.
"""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
EXACT = re.compile(r"print\(.*\)\s+# ([\d. ]+?)\s*(?:\(|$)")
APPROX = re.compile(r"print\(.*\)\s+# ≈ ([\d.]+)\s*(\S*)\s*\(±([\d.]+)")


def test_readme_has_examples():
    assert len(BLOCKS) >= 3


def test_readme_says_which_figures_vary():
    approx = [line for block in BLOCKS for line in block.splitlines() if APPROX.search(line)]
    assert approx, "the flower's accuracy varies between CPUs and is marked with ≈"


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_readme_example_runs(i, tmp_path, monkeypatch, capsys):
    if re.search(r"^import torch$", BLOCKS[i], re.M):
        pytest.importorskip("torch")  # the torch extra, not in .[dev]
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[i], f"README.md example {i + 1}", "exec"), {})
    out = capsys.readouterr().out
    for line in BLOCKS[i].splitlines():
        m = APPROX.search(line)
        if m:
            value, unit, tol = float(m.group(1)), m.group(2), float(m.group(3))
            printed = [float(x) for x in re.findall(r"(\d+(?:\.\d+)?)\s*" + re.escape(unit), out)]
            assert any(abs(p - value) <= tol for p in printed), (line, printed)
            continue
        m = EXACT.search(line)
        if m:
            assert m.group(1) in out


def test_the_readmes_training_page_shows_an_example_learning():
    """The guide's TrainingRecorder (docs/guide/stepper.md, the README's link for training
    over time), on its flower model: the example it names is wrong at iteration 0 and right
    from iteration 1000 on, and the page says its gradients are that example's own (m = 1)."""
    import numpy as np

    from micrograd_dls import nn, viz
    from micrograd_dls.data import planar_flower

    text = (README.parent / "docs" / "guide" / "stepper.md").read_text(encoding="utf-8")
    found = re.search(r"TrainingRecorder\(X, Y, example=(\d+), at=\[([\d, ]+)\]\)", text)
    example, at = int(found.group(1)), [int(i) for i in found.group(2).split(",")]
    assert f"shows example {example}'s graph" in " ".join(text.split())
    X, Y = planar_flower()
    model = nn.MLP([2, 4, 1], "tanh", init="small", seed=2)
    rec = viz.TrainingRecorder(X, Y, example=example, at=at)
    model.fit(X, Y, learning_rate=1.2, num_iterations=10_000, print_every=1, callbacks=[rec])
    page = viz.training_page(rec, model)
    verdicts = {int(step.title.split()[1]): step.lines[1].rsplit(": ", 1)[1]
                for step in page.steps}
    assert verdicts[0] == "wrong" and all(verdicts[i] == "right" for i in at if i >= 1000)
    losses = [float(re.search(r"its own loss L = ([\d.e-]+)", step.lines[1]).group(1))
              for step in page.steps]
    assert losses[-1] < losses[0] and np.isclose(losses[0], np.log(2), atol=1e-3)
    assert all("(m = 1; training steps along their mean over the 400 examples)" in step.lines[2]
               for step in page.steps)
