"""Writing pictures to SVG, PNG or PDF files with Graphviz's ``dot`` program.

The DOT source of a picture never needs ``dot``; only rendering does. When the
program is missing, rendering raises :class:`GraphvizNotFoundError`, whose
message says how to install it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

__all__ = ["INSTALL_HINT", "GraphvizNotFoundError", "save_pdf", "save_png", "save_svg"]

INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to render the picture but was not found on PATH; "
    "install Graphviz -- apt-get install graphviz (Debian/Ubuntu), brew install graphviz "
    "(macOS), conda install graphviz (conda) -- the DOT source is in graph.source meanwhile"
)


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs Graphviz's ``dot`` program, which is not installed."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


def save_svg(graph: Any, path: str | os.PathLike[str]) -> Path:
    """Render ``graph`` (from ``draw``, ``draw_forward``, ``draw_backward``) to an SVG file."""
    return _save(graph, path, "svg")


def save_png(graph: Any, path: str | os.PathLike[str]) -> Path:
    """Render ``graph`` to a PNG file."""
    return _save(graph, path, "png")


def save_pdf(graph: Any, path: str | os.PathLike[str]) -> Path:
    """Render ``graph`` to a PDF file."""
    return _save(graph, path, "pdf")


def pipe(graph: Any, fmt: str) -> bytes:
    """The rendered bytes of ``graph`` in format ``fmt`` ('svg', 'png', 'pdf')."""
    import graphviz

    if not isinstance(graph, graphviz.Digraph):
        raise TypeError(
            f"expected the graphviz.Digraph returned by draw(...), got {type(graph).__name__}"
        )
    try:
        return graph.pipe(format=fmt, quiet=True)  # dot's complaints go into the error
    except graphviz.ExecutableNotFound:
        raise GraphvizNotFoundError() from None
    except graphviz.CalledProcessError as e:
        detail = " ".join((e.stderr or b"").decode(errors="replace").split())
        raise RuntimeError(
            f"Graphviz's dot could not render the picture: {detail or e}"
        ) from None


def _save(graph: Any, path: str | os.PathLike[str], fmt: str) -> Path:
    out = Path(path)
    if out.suffix.lower() != f".{fmt}":
        raise ValueError(f"{out} should end in .{fmt} for a {fmt.upper()} file")
    data = pipe(graph, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
