"""The layout page (docs/layout.md) names every module of the package, and nothing that
is not there: the map stays true to the house."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "micrograd_dls"
# Folders the page describes as a whole, not file by file.
WHOLE = {"nn", "data"}


def _tree() -> str:
    """The package's part of the tree (up to the line of the folders beside it)."""
    text = (ROOT / "docs" / "layout.md").read_text(encoding="utf-8")
    tree = re.search(r"```\nmicrograd_dls/\n(.*?)```", text, re.S).group(1)
    return tree.split("\ntests/")[0]


def _named(tree: str) -> set[str]:
    """Every file the page names, as a path under micrograd_dls/: a folder's entry
    (``tensor/``) holds the files named after it until the next entry."""
    names: set[str] = set()
    folder = ""
    for line in tree.splitlines():
        entry = line[:24].strip()
        if entry and not line.startswith(" " * 24):
            first = entry.split()[0].rstrip(",")
            folder = first if first.endswith("/") and not first.startswith(("tests", "docs")) \
                else ""
        names.update(re.findall(r"[A-Za-z_]+\.py", line[:24]))  # an entry: top level
        for name in re.findall(r"[A-Za-z_]+\.py", line[24:]):  # a description
            names.add(folder + name)
    return names


def test_every_module_of_the_package_is_on_the_layout_page_and_every_name_there_exists():
    named = _named(_tree())
    modules = {
        str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
        if p.name != "__init__.py" and p.parent.name not in WHOLE
    }
    missing = sorted(modules - named)
    assert not missing, f"modules not on docs/layout.md: {missing}"
    stale = sorted(n for n in named if not (PACKAGE / n).exists())
    assert not stale, f"docs/layout.md names files that do not exist: {stale}"
    for folder in WHOLE:
        assert f"{folder}/" in _tree() and (PACKAGE / folder).is_dir()
