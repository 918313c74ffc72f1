"""Sphinx configuration of micrograd_dls's documentation site (``make docs``).

Three things are made here, at every build, so that the site follows the code:

- the notebooks of ``notebooks/`` are copied into ``docs/notebooks/``, where MyST-NB
  executes them (stored without outputs, they get their pictures and stepper pages
  here);
- one API page per public namespace lists every name of its ``__all__``, so a name
  added to a namespace is documented without touching the docs, and a name is
  documented where users import it from, never through the private module that
  defines it today;
- the version is the installed package's.
"""

from __future__ import annotations

import importlib
import inspect
import re
import shutil
import sys
import types
from pathlib import Path

import micrograd_dls

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent

project = "micrograd_dls"
author = "the micrograd_dls authors"
copyright = "2026, the micrograd_dls authors"  # noqa: A001  (Sphinx's name)
release = micrograd_dls.__version__
version = release

extensions = [
    "myst_nb",
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
]

# --- the notebooks, executed at build time -------------------------------------------------

NOTEBOOKS = DOCS / "notebooks"


def copy_notebooks() -> None:
    """notebooks/*.ipynb -> docs/notebooks/, rewriting only what changed (Sphinx rebuilds
    a page whose source is newer than its last build)."""
    NOTEBOOKS.mkdir(exist_ok=True)
    wanted = {p.name: p for p in sorted((ROOT / "notebooks").glob("*.ipynb"))}
    for stale in NOTEBOOKS.glob("*.ipynb"):
        if stale.name not in wanted:
            stale.unlink()
    for name, path in wanted.items():
        copy = NOTEBOOKS / name
        if not copy.exists() or copy.read_bytes() != path.read_bytes():
            shutil.copyfile(path, copy)


copy_notebooks()

nb_execution_mode = "force"  # the pictures are drawn by the code being documented
nb_execution_timeout = 300  # seconds per cell; the slowest trains for a few seconds
nb_execution_raise_on_error = True  # a notebook that fails fails the build
nb_execution_show_tb = True
nb_execution_in_temp = True  # what the notebooks write stays out of the source tree
nb_merge_streams = True
myst_enable_extensions = ["colon_fence"]
myst_heading_anchors = 3

# --- the API reference, from each public namespace's __all__ -------------------------------

NAMESPACES = [
    "micrograd_dls",
    "micrograd_dls.nn",
    "micrograd_dls.viz",
    "micrograd_dls.data",
    "micrograd_dls.testing",
    "micrograd_dls.gradcheck",
    "micrograd_dls.reference",
    "micrograd_dls.graph",
]
API = DOCS / "api"
KINDS = [  # (heading, autosummary template); modules get a page of their own
    ("Classes", "autosummary/class.rst"),
    ("Exceptions", "autosummary/class.rst"),
    ("Functions", "autosummary/function.rst"),
    ("Constants", "autosummary/data.rst"),
]


def kind(obj: object) -> str:
    if isinstance(obj, type):
        return "Exceptions" if issubclass(obj, BaseException) else "Classes"
    if isinstance(obj, types.ModuleType):
        return "Modules"
    if callable(obj) or inspect.isroutine(obj):
        return "Functions"
    return "Constants"


def _title(name: str) -> list[str]:
    return [f"``{name}``", "=" * (len(name) + 4), ""]


def api_pages() -> dict[str, str]:
    """{page name: reST} for every namespace and every module a namespace exports."""
    pages = {}
    for name in NAMESPACES:
        module = importlib.import_module(name)
        groups: dict[str, list[str]] = {heading: [] for heading, _ in [*KINDS, ("Modules", "")]}
        for public in sorted(module.__all__, key=str.lower):
            groups[kind(getattr(module, public))].append(public)
        lines = [*_title(name), f".. automodule:: {name}", "   :no-members:", "",
                 f".. currentmodule:: {name}", ""]
        if groups["Modules"]:
            lines += ["Modules", "-------", "", ".. toctree::", "   :maxdepth: 1", "",
                      *(f"   {name}.{public}" for public in groups["Modules"]), ""]
            for public in groups["Modules"]:
                pages[f"{name}.{public}"] = "\n".join([
                    *_title(f"{name}.{public}"), f".. automodule:: {name}.{public}",
                    "   :members:", ""])
        for heading, template in KINDS:
            if groups[heading]:
                lines += [heading, "-" * len(heading), "", ".. autosummary::",
                          "   :toctree: generated", f"   :template: {template}", "",
                          *(f"   {public}" for public in groups[heading]), ""]
        pages[name] = "\n".join(lines)
    return pages


def write_api_pages() -> None:
    """The pages, each rewritten only when it changes; pages of names gone are removed,
    and autosummary writes every name's page anew (from the templates as they are now)."""
    shutil.rmtree(API / "generated", ignore_errors=True)
    pages = api_pages()
    for stale in API.glob("micrograd_dls*.rst"):
        if stale.stem not in pages:
            stale.unlink()
    for name, text in pages.items():
        page = API / f"{name}.rst"
        if not page.exists() or page.read_text(encoding="utf-8") != text:
            page.write_text(text, encoding="utf-8")


write_api_pages()

# The docstrings are written to be read as text (help(), an editor) as much as on this
# site: |x| is an absolute value, not a reST substitution (the site defines none), and
# ``Value``s is a plural, not a literal that fails to end.
SUBSTITUTION = re.compile(r"(?<![\\|`])\|([^|\s`][^|`]*?)\|(?![_|`])")
PLURAL_LITERAL = re.compile(r"``(?=[^`\s])([^`]+?)``(?=[A-Za-z])")


def plain_text_docstrings(app, what, name, obj, options, lines: list[str]) -> None:
    lines[:] = [PLURAL_LITERAL.sub(r"``\1``\\ ", SUBSTITUTION.sub(r"\\|\1\\|", line))
                for line in lines]


def attribute_comments(app, what, name, obj, options, lines: list[str]) -> None:
    """A constant re-exported by a namespace keeps the ``#:`` comment written where it is
    defined; without one it gets no docstring at all, rather than its type's (dict's)."""
    if what != "data" or lines != _type_doc(obj):
        return
    from sphinx.pycode import ModuleAnalyzer

    attribute = name.rpartition(".")[2]
    for module_name, module in sorted(sys.modules.items()):
        if module_name.startswith("micrograd_dls") and getattr(module, attribute, None) is obj:
            try:
                comment = ModuleAnalyzer.for_module(module_name).find_attr_docs()
            except Exception:  # noqa: BLE001  (a module without source: no comment there)
                continue
            if ("", attribute) in comment:
                lines[:] = list(comment["", attribute])
                return
    lines[:] = []


def _type_doc(obj: object) -> list[str]:
    doc = inspect.getdoc(type(obj))
    return inspect.cleandoc(doc).splitlines() + [""] if doc else []


def setup(app):
    app.connect("autodoc-process-docstring", attribute_comments)
    app.connect("autodoc-process-docstring", plain_text_docstrings)


autosummary_generate = True
autosummary_imported_members = True
autodoc_member_order = "bysource"
autodoc_typehints = "signature"
autodoc_default_options = {"show-inheritance": True}
templates_path = ["_templates"]

# --- the site ----------------------------------------------------------------------------

exclude_patterns = ["_build", "**.ipynb_checkpoints", "jupyter_execute"]
html_theme = "pydata_sphinx_theme"
html_title = f"micrograd_dls {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]
html_last_updated_fmt = None
html_show_sourcelink = False
html_copy_source = False
html_context = {"default_mode": "light"}
html_theme_options = {
    "navigation_with_keys": False,  # the stepper pages use ← and → themselves
    "show_toc_level": 2,
    # a notebook's pictures and steppers get the width of the page's table of contents
    "secondary_sidebar_items": {page: ["page-toc"] for page in (
        "index", "install", "notebooks", "guide/*", "api/**", "speed", "layout")},
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
