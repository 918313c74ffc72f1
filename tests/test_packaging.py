"""The package as it is shipped: an MIT LICENSE, ``py.typed``, the version written once
(setup.cfg), and the README's pip route -- the wheel alone, with only its declared
dependencies, runs the command line, draws the pictures and writes the stepper page.

The wheel test builds the wheel, installs it into a fresh virtual environment from
PyPI and runs it there: it needs the network to PyPI and takes a minute
(``-m "not packaging"`` leaves it out).
"""

from __future__ import annotations

import configparser
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import micrograd_dls

ROOT = Path(__file__).resolve().parents[1]
CONFIG = configparser.ConfigParser()
CONFIG.read(ROOT / "setup.cfg", encoding="utf-8")
VERSION = CONFIG["metadata"]["version"]


def test_the_version_is_setup_cfgs_through_the_installed_metadata():
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", VERSION), VERSION
    assert importlib.metadata.version("micrograd_dls") == VERSION, \
        "the installed metadata is stale: reinstall (make .venv/.installed)"
    assert micrograd_dls.__version__ == VERSION


def test_a_source_tree_that_was_never_installed_says_its_version_is_unknown(monkeypatch):
    def not_installed(name):
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    assert micrograd_dls.__version__ == "0+unknown"


def test_other_attributes_are_still_missing():
    with pytest.raises(AttributeError, match="no attribute '__versoin__'"):
        micrograd_dls.__versoin__  # noqa: B018


def test_no_other_file_writes_the_version_by_hand():
    pattern = re.compile(r"__version__\s*=|version\s*=\s*[\"']" + re.escape(VERSION))
    written = [str(p.relative_to(ROOT)) for folder in ("micrograd_dls", "docs", "benchmarks")
               for p in (ROOT / folder).rglob("*.py") if pattern.search(p.read_text("utf-8"))]
    assert written == []


def test_the_license_is_mit_as_declared():
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n")
    assert "Copyright (c) 2026 the micrograd_dls authors" in text
    assert CONFIG["metadata"]["license"] == "MIT"
    assert CONFIG["metadata"]["license_files"].split() == ["LICENSE"]


def test_the_package_data_ships_the_types_marker_and_the_pages_assets():
    data = CONFIG["options.package_data"]
    assert data["micrograd_dls"].split(",") == ["py.typed"]
    assert {p.strip() for p in data["micrograd_dls.viz"].split(",")} == {"*.js", "*.css"}
    assert (ROOT / "micrograd_dls" / "py.typed").is_file()
    assert {p.name for p in (ROOT / "micrograd_dls" / "viz").glob("*.[jc]s*")} >= \
        {"stepper.js", "stepper.css"}


# --- the pip route, for real -------------------------------------------------------------

#: What the wheel needs to build: the rest of the clone (tests, notebooks, .venv) stays out.
SOURCES = ("setup.cfg", "pyproject.toml", "README.md", "LICENSE", "micrograd_dls")

#: Run in the fresh environment: the lecture's graph drawn to SVG and its stepper page.
PAGES = textwrap.dedent("""
    import sys
    from importlib.resources import files
    from pathlib import Path
    import micrograd_dls
    from micrograd_dls import Value, viz

    out = Path(sys.argv[1])
    a, b, c = Value(5, label="a"), Value(3, label="b"), Value(2, label="c")
    u = b * c; u.label = "u"
    v = a + u; v.label = "v"
    J = 3 * v; J.label = "J"
    J.backward()
    viz.save_svg(viz.draw(J), out / "lecture.svg")
    viz.save_html(viz.step_through(J), out / "lecture.html")
    print(micrograd_dls.__file__)
    print(files("micrograd_dls").joinpath("py.typed").is_file())
""")


def run(args: list[str | Path], cwd: Path, timeout: float = 300) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)
    assert done.returncode == 0, f"{' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.mark.packaging
def test_the_wheel_alone_runs_the_command_line_the_pictures_and_the_pages(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    for name in SOURCES:
        copy = shutil.copytree if (ROOT / name).is_dir() else shutil.copy2
        copy(ROOT / name, source / name,
             **({"ignore": shutil.ignore_patterns("__pycache__")} if name == "micrograd_dls"
                else {}))
    run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", ".", "-w",
         tmp_path / "dist"], cwd=source)
    (wheel,) = (tmp_path / "dist").glob("micrograd_dls-*.whl")
    assert wheel.name == f"micrograd_dls-{VERSION}-py3-none-any.whl"

    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    bin_ = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_ / "python"
    run([python, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path)
    listed = json.loads(run([python, "-m", "pip", "list", "--format=json"], cwd=tmp_path))
    installed = {p["name"].lower().replace("_", "-") for p in listed}
    assert installed - {"pip", "setuptools", "wheel"} == {"micrograd-dls", "numpy", "graphviz"}

    cli = bin_ / "micrograd-dls"
    assert "micrograd-dls graph" in run([cli, "--help"], cwd=tmp_path)
    assert run([cli, "--version"], cwd=tmp_path).strip() == f"micrograd-dls {VERSION}"

    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed: the CLI starts from the wheel; its "
                    "pictures and pages were not drawn (apt-get install graphviz)")
    out = tmp_path / "out"
    printed = run([cli, "graph", "J = 3*(a + b*c)", "a=5", "b=3", "c=2", "--out", out],
                  cwd=tmp_path)
    assert "33" in printed
    for name in ("forward.svg", "backward.svg", "graph.svg"):
        assert "<svg" in (out / name).read_text(encoding="utf-8"), name

    pages = tmp_path / "pages"
    pages.mkdir()
    # -I: the package comes from the fresh environment, never from this clone.
    module, typed = run([python, "-I", "-c", PAGES, pages], cwd=tmp_path).split()
    assert Path(module).is_relative_to(venv), module
    assert typed == "True", "the wheel lacks micrograd_dls/py.typed"
    assert "<svg" in (pages / "lecture.svg").read_text(encoding="utf-8")
    page = (pages / "lecture.html").read_text(encoding="utf-8")
    script = (ROOT / "micrograd_dls" / "viz" / "stepper.js").read_text(encoding="utf-8")
    style = (ROOT / "micrograd_dls" / "viz" / "stepper.css").read_text(encoding="utf-8")
    assert script in page, "the page lacks stepper.js inline: is it in the wheel?"
    assert style.splitlines()[-1].replace("#ROOT", "#mgs-page") in page, "no stepper.css"
    assert "<svg" in page and "src=" not in page and "href=\"http" not in page
