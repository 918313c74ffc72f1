"""The README's Python examples run as written and print what it says they print."""

import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_readme_has_examples():
    assert len(BLOCKS) >= 3


@pytest.mark.parametrize("i", range(len(BLOCKS)))
def test_readme_example_runs(i, tmp_path, monkeypatch, capsys):
    if re.search(r"^import torch$", BLOCKS[i], re.M):
        pytest.importorskip("torch")  # the torch extra, not in .[dev]
    monkeypatch.chdir(tmp_path)
    exec(compile(BLOCKS[i], f"README.md example {i + 1}", "exec"), {})
    out = capsys.readouterr().out
    for line in BLOCKS[i].splitlines():
        m = re.search(r"print\(.*\)\s+# ([\d. ]+?)\s*(?:\(|$)", line)
        if m:
            assert m.group(1) in out
