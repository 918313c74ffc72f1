"""The README's claims about set-up hold: its extras table is setup.cfg's extras, and
`make notebooks` installs JupyterLab and opens the notebooks folder."""

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
READMES = ["README.md", "README.ko.md", "docs/install.md"]


def name(requirement: str) -> str:
    """A requirement's project name, normalised as pip compares them (PEP 503)."""
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def setup_cfg_extras() -> dict[str, set[str]]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg", encoding="utf-8")
    extras = config["options.extras_require"]
    return {extra: {name(r) for r in extras[extra].splitlines() if r.strip()} for extra in extras}


def readme_extras(readme: str) -> dict[str, set[str]]:
    """The rows of a README's table | extra | installs | for | (in its own language)."""
    text = (ROOT / readme).read_text(encoding="utf-8")
    table = re.search(r"^\| extra \|[^|\n]+\|[^|\n]+\|\n\|[-|]+\|\n((?:\|.*\|\n)+)", text, re.M)
    assert table, f"{readme} has no table | extra | installs | for |"
    rows = {}
    for line in table.group(1).splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        extra = re.fullmatch(r"`([\w-]+)`", cells[0])
        assert extra, line
        rows[extra.group(1)] = {name(p) for p in re.findall(r"`([^`]+)`", cells[1])}
    return rows


@pytest.mark.parametrize("readme", READMES)
def test_the_readmes_extras_table_is_setup_cfgs(readme):
    ours, theirs = readme_extras(readme), setup_cfg_extras()
    assert sorted(ours) == sorted(theirs), f"an extra is missing from one of {readme} and setup.cfg"
    for extra in theirs:
        assert ours[extra] == theirs[extra], f"extra {extra!r}: {readme} vs setup.cfg"


def test_the_issues_promises_about_extras():
    extras = setup_cfg_extras()
    assert "jupyterlab" in extras["notebooks"]  # `jupyter lab` exists after .[notebooks]
    assert "torch" in extras["torch"] and "torch" not in extras["dev"]  # make test stays light
    assert "not in `dev`" in README


def test_the_readme_opens_with_the_three_set_up_commands():
    first = re.search(r"```sh\n(.*?)```", README, re.S).group(1)
    commands = [line.split("#")[0].strip() for line in first.splitlines()]
    assert commands == ["make demo", "make test", "make notebooks"]


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_notebooks_installs_jupyterlab_and_opens_the_notebooks_folder():
    # -n prints the commands without running them; -B as on a fresh clone.
    out = subprocess.run(["make", "-n", "-B", "notebooks"], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout
    lines = out.splitlines()
    install = lines.index('.venv/bin/python -m pip install --quiet -e ".[notebooks]"')
    # exec: JupyterLab takes the shell's place, so stopping make stops it (no shell between)
    (lab,) = [i for i, line in enumerate(lines)
              if line.startswith("exec .venv/bin/jupyter lab --ServerApp.root_dir=notebooks ")]
    assert any("-m venv .venv" in line for line in lines[:install])
    assert install < lab
    alias = subprocess.run(["make", "-n", "-B", "lab"], cwd=ROOT, capture_output=True,
                           text=True, check=True).stdout
    assert alias == out
