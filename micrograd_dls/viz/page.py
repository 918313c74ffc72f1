"""What every interactive page of ``viz`` shares: the stepper (:mod:`.stepper`, also
the training page) and the playground (:mod:`.playground`).

A page is one self-contained ``<div>`` -- its style, its data and its script inline,
nothing fetched from the network -- that Jupyter shows inline, with a line of text
where HTML is not shown, and that a whole HTML file wraps. This module owns that
much and the reading of the packaged ``.js`` and ``.css`` files; it knows HTML and
nothing of graphs or models.
"""

from __future__ import annotations

import html
import os
from importlib import resources
from pathlib import Path
from typing import Any

from ..checks import quote

__all__ = ["Page", "asset", "save_html"]


def asset(name: str) -> str:
    """The text of a file shipped beside this module (``stepper.js``, ``playground.css``)."""
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


class Page:
    """An interactive page: a subclass gives ``title``, ``fragment(uid)`` (the page as
    one ``<div>``) and ``summary()`` (what it is, in one line), and its ``page_id``."""

    title: str
    #: The id of the ``<div>`` in a whole file (on a notebook's page each gets its own).
    page_id = "mg-page"

    def fragment(self, uid: str | None = None) -> str:
        raise NotImplementedError

    def summary(self) -> str:
        raise NotImplementedError

    def _repr_html_(self) -> str:
        return self.fragment()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None,
                          **kwargs: Any) -> dict[str, Any]:
        return {"text/html": self.fragment(), "text/plain": self.summary()}

    def to_html(self) -> str:
        """A complete page: open it from disk, no network needed."""
        return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                f"<title>{html.escape(self.title)}</title></head><body>"
                f"{self.fragment(self.page_id)}</body></html>\n")

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the page to ``path`` (ending in .html); returns the path."""
        out = Path(path)
        if out.suffix.lower() not in (".html", ".htm"):
            raise ValueError(f"{quote(str(out))} should end in .html for a web page")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(self.to_html(), encoding="utf-8")
        return out


def save_html(page: Page, path: str | os.PathLike[str]) -> Path:
    """Write ``page`` -- from :func:`~micrograd_dls.viz.step_through`,
    :func:`~micrograd_dls.viz.training_page` or :func:`~micrograd_dls.viz.playground` --
    as one self-contained HTML file; returns its path."""
    if not isinstance(page, Page):
        raise TypeError(f"expected a page -- the Stepper of step_through(...) or "
                        f"training_page(...), or the Playground of playground(...) -- got "
                        f"{quote(type(page).__name__)}")
    return page.save(path)
