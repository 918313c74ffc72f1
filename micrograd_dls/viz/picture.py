"""The graph type every drawing function returns (imported only when drawing)."""

from __future__ import annotations

import html
from typing import Any

import graphviz

from .render import INSTALL_HINT

__all__ = ["Picture"]


class Picture(graphviz.Digraph):
    """A ``graphviz.Digraph`` that Jupyter shows inline.

    Without Graphviz's ``dot`` program the cell shows how to install it and
    the DOT source, instead of a traceback.
    """

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            text = f"{INSTALL_HINT}\n\n{self.source}"
            return {"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}
