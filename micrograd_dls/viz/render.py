"""Writing pictures to SVG, PNG or PDF files with Graphviz's ``dot`` program.

The DOT source of a picture never needs ``dot``; only rendering does. When the
program is missing, rendering raises :class:`GraphvizNotFoundError`, whose
message says how to install it. Every run of ``dot`` has a time limit
(:data:`DOT_TIMEOUT` seconds unless told otherwise): a layout that takes
longer ends in :class:`GraphvizTimeoutError`, one line that says what to draw
instead, never an unbounded wait.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = [
    "DOT_TIMEOUT",
    "INSTALL_HINT",
    "GraphvizNotFoundError",
    "GraphvizTimeoutError",
    "pipe",
    "render",
    "save_pdf",
    "save_png",
    "save_svg",
]

INSTALL_HINT = (
    "Graphviz's 'dot' program is needed to render the picture but was not found on PATH; "
    "install Graphviz -- apt-get install graphviz (Debian/Ubuntu), brew install graphviz "
    "(macOS), conda install graphviz (conda) -- the DOT source is in graph.source meanwhile"
)

#: Seconds one run of ``dot`` may take before it is stopped.
DOT_TIMEOUT = 60.0


class GraphvizNotFoundError(RuntimeError):
    """Rendering needs Graphviz's ``dot`` program, which is not installed."""

    def __init__(self) -> None:
        super().__init__(INSTALL_HINT)


class GraphvizTimeoutError(RuntimeError):
    """Graphviz's ``dot`` did not finish the layout within the time limit."""


def save_svg(graph: Any, path: str | os.PathLike[str], timeout: float | None = None) -> Path:
    """Render ``graph`` (from ``draw``, ``draw_forward``, ``draw_backward``) to an SVG file."""
    return _save(graph, path, "svg", timeout)


def save_png(graph: Any, path: str | os.PathLike[str], timeout: float | None = None) -> Path:
    """Render ``graph`` to a PNG file."""
    return _save(graph, path, "png", timeout)


def save_pdf(graph: Any, path: str | os.PathLike[str], timeout: float | None = None) -> Path:
    """Render ``graph`` to a PDF file."""
    return _save(graph, path, "pdf", timeout)


def _check_timeout(timeout: float | None) -> float:
    if timeout is None:
        return DOT_TIMEOUT
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"timeout={timeout!r}: give a positive number of seconds")
    return float(timeout)


def pipe(graph: Any, fmt: str, timeout: float | None = None) -> bytes:
    """The bytes of ``graph`` rendered by ``dot`` in format ``fmt`` ('svg', 'png', 'pdf'),
    within ``timeout`` seconds (default :data:`DOT_TIMEOUT`)."""
    return render(graph, (fmt,), timeout)[fmt]


def render(graph: Any, formats: tuple[str, ...], timeout: float | None = None
           ) -> dict[str, bytes]:
    """``graph`` in each of ``formats`` from one run of ``dot`` (one layout), within
    ``timeout`` seconds per run. A picture from ``draw`` is laid out to fit a notebook
    the first time it is rendered (:meth:`~micrograd_dls.viz.picture.Picture.fit`)."""
    import graphviz

    if not isinstance(graph, graphviz.Digraph):
        raise TypeError(
            f"expected the graphviz.Digraph returned by draw(...), got {type(graph).__name__}"
        )
    limit = _check_timeout(timeout)
    program = shutil.which("dot")
    if program is None:
        raise GraphvizNotFoundError()

    def run(source: str, fmts: tuple[str, ...]) -> dict[str, bytes]:
        return _run(program, source, fmts, limit)

    fit = getattr(graph, "fit", None)
    if callable(fit):
        return fit(run, tuple(formats))
    return run(graph.source, tuple(formats))


def _run(program: str, source: str, formats: tuple[str, ...], limit: float) -> dict[str, bytes]:
    """One layout by ``dot``, written in each format."""
    data = source.encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="micrograd-dls-") if len(formats) > 1 \
            else _no_folder() as folder:
        outputs = [os.path.join(folder, f"out.{fmt}") for fmt in formats]
        command = [program]
        for fmt, path in zip(formats[1:], outputs[1:]):
            command += [f"-T{fmt}", f"-o{path}"]
        command.append(f"-T{formats[0]}")  # the first on stdout
        try:
            done = subprocess.run(command, input=data, capture_output=True, timeout=limit,
                                  check=False)
        except subprocess.TimeoutExpired:
            nodes, edges = _size(source)
            raise GraphvizTimeoutError(
                f"Graphviz's dot did not finish the layout of {nodes} nodes and {edges} edges "
                f"within {limit:g} s and was stopped; draw less of the graph (max_nodes=50, "
                "zoom='layers' for an nn model, show_ops=False) or give it more time "
                "(timeout=...)"
            ) from None
        except OSError as e:
            raise RuntimeError(f"Graphviz's dot could not be run: {e}") from None
        if done.returncode != 0:
            detail = " ".join(done.stderr.decode(errors="replace").split())
            detail = detail or f"exit status {done.returncode}"
            raise RuntimeError(f"Graphviz's dot could not render the picture: {detail}")
        out = {formats[0]: done.stdout}
        for fmt, path in zip(formats[1:], outputs[1:]):
            with open(path, "rb") as f:
                out[fmt] = f.read()
    return out


@contextmanager
def _no_folder() -> Iterator[str]:
    yield ""


def _size(source: str) -> tuple[int, int]:
    """Nodes and edges declared in a DOT source (one statement per line, as ours are)."""
    edges = source.count(" -> ")
    nodes = sum(1 for line in source.splitlines()
                if line.startswith("\t") and " [" in line and " -> " not in line
                and not line.lstrip().startswith(("graph ", "node ", "edge ")))
    return nodes, edges


def _save(graph: Any, path: str | os.PathLike[str], fmt: str, timeout: float | None) -> Path:
    out = Path(path)
    if out.suffix.lower() != f".{fmt}":
        raise ValueError(f"{out} should end in .{fmt} for a {fmt.upper()} file")
    data = pipe(graph, fmt, timeout)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    return out
