"""The graph type every drawing function returns (imported only when drawing)."""

from __future__ import annotations

import html
from typing import Any

import graphviz

from .render import INSTALL_HINT, GraphvizNotFoundError, pipe

__all__ = ["Picture"]


class Picture(graphviz.Digraph):
    """A ``graphviz.Digraph`` that Jupyter shows inline as SVG.

    Rendering has the time limit of :func:`~micrograd_dls.viz.render.pipe`.
    Without Graphviz's ``dot`` program, or when the layout runs out of time,
    the cell says so and shows the DOT source, instead of a traceback.
    """

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            return {"image/svg+xml": pipe(self, "svg").decode("utf-8")}
        except GraphvizNotFoundError:
            text = f"{INSTALL_HINT}\n\n{self.source}"
        except RuntimeError as e:  # out of time, or dot failed
            text = f"{e}\n\n{self.source}"
        return {"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}
