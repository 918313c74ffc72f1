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
