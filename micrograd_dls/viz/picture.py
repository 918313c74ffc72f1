"""The graph type every drawing function returns (imported only when drawing).

A :class:`Picture` is a ``graphviz.Digraph`` that knows its parts -- the title
lines, the legend, the notes and the DOT statements of each pass -- so that it
can be laid out to fit where it is read. The first time it is rendered it
tries the lecture's direction (values left to right, the backward pass under
the forward one) and, when that is wider than a notebook
(:data:`NOTEBOOK_WIDTH` pixels), top to bottom with the passes side by side.
A picture that fits neither way is drawn the narrower way and says so in its
title: how large it is and how to draw less. Jupyter shows it as SVG, with a
PNG for where SVG is not shown (an untrusted notebook, a code-hosting site)
and a line of text for where no picture is.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Callable
from typing import Any

import graphviz

from .labels import escaped
from .render import INSTALL_HINT, GraphvizNotFoundError, render
from .style import LegendEntry

__all__ = ["LAYOUTS", "NOTEBOOK_HEIGHT", "NOTEBOOK_WIDTH", "Picture", "poster_note", "svg_size"]

#: The width of a notebook's output, in CSS pixels: a picture wider than this would be
#: scaled down, its text with it.
NOTEBOOK_WIDTH = 900
#: The height beyond which a picture is a poster even when it fits the width.
NOTEBOOK_HEIGHT = 3600
_PX_PER_PT = 4 / 3  # Graphviz writes points; a CSS pixel is 3/4 of a point
_MEASURED_UP_TO = 600  # DOT statements: a bigger picture is laid out once, left to right
_WRAP = 100  # characters of one line of the title


_SIZE = re.compile(rb'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', re.S)


def svg_size(svg: bytes) -> tuple[float, float]:
    """(width, height) in CSS pixels of Graphviz's SVG."""
    found = _SIZE.search(svg)
    if not found:
        return 0.0, 0.0
    return float(found.group(1)) * _PX_PER_PT, float(found.group(2)) * _PX_PER_PT


#: The ways a picture can be laid out, in the order they are tried: the lecture's (values
#: left to right, the backward pass under the forward one), top to bottom with the passes
#: side by side, and top to bottom with the backward pass under the forward one.
LAYOUTS = ("LR", "TB", "TB-stacked")
_EDGE = re.compile(r"^\t+(\w+) -> (\w+)", re.M)
_NODE = re.compile(r"^\t+(\w+) \[", re.M)


class Picture(graphviz.Digraph):  # type: ignore[misc]  # graphviz ships no type hints
    """A ``graphviz.Digraph`` that Jupyter shows inline as SVG (and PNG, and text).

    Rendering has the time limit of :func:`~micrograd_dls.viz.render.pipe`.
    Without Graphviz's ``dot`` program, or when the layout runs out of time,
    the cell says so and shows the DOT source, instead of a traceback.
    """

    def __init__(self, *args: Any, passes: list[tuple[str, str]] | None = None,
                 titles: dict[str, list[str]] | None = None,
                 legend: list[LegendEntry] | None = None, notes: list[str] | None = None,
                 summary: str = "", **kwargs: Any) -> None:
        # graphviz makes copies and subgraphs with graphviz's own arguments alone: those
        # are plain graphs, which render as they are.
        super().__init__(*args, **kwargs)
        self.passes = passes or []  # (name, DOT statements), forward first
        self.titles = titles or {}  # the title lines of each layout
        self.legend = legend or []
        self.notes = notes or []
        #: One line that says what the picture is, for where no picture can be shown.
        self.summary = summary or f"a graph drawn by Graphviz: {self.name}"
        self.poster: tuple[float, float] | None = None  # its size, when it cannot fit
        self.layout = "LR"
        self._placed = 0  # statements at the start of the body that _arrange writes
        if self.passes:
            self._arrange("LR", None)
        #: Laid out for good: by :meth:`fit` at the first rendering, or by use_layout.
        self.fitted = not self.passes

    def copy(self) -> Picture:
        """An independent copy, laid out (or still to be) as this one."""
        other = super().copy()
        other.passes, other.titles = list(self.passes), dict(self.titles)
        other.legend, other.notes, other.summary = list(self.legend), list(self.notes), \
            self.summary
        other.poster, other.layout, other._placed, other.fitted = \
            self.poster, self.layout, self._placed, self.fitted
        return other

    @property
    def layouts(self) -> tuple[str, ...]:
        """The layouts this picture can take: :data:`LAYOUTS`, the stacked one only for
        two passes."""
        return LAYOUTS if len(self.passes) > 1 else LAYOUTS[:2]

    def use_layout(self, layout: str, poster: tuple[float, float] | None = None) -> None:
        """Lay the picture out as ``layout`` (one of :attr:`layouts`) from now on;
        ``poster``: its size in pixels when it is larger than a notebook, which its title
        then says."""
        if layout not in self.layouts:
            raise ValueError(f"layout={layout!r}: use one of {', '.join(self.layouts)}")
        self._arrange(layout, poster)
        self.fitted = True

    def _arrange(self, layout: str, poster: tuple[float, float] | None) -> None:
        self.layout = layout
        self.graph_attr["rankdir"] = layout[:2]
        self.poster = poster
        # dot places separate components side by side in the order they are declared
        # (left to right, or, rotated for LR, bottom to top): forward comes first on the
        # left, last on top.
        bodies = [body for _, body in self.passes]
        if layout == "LR":
            bodies.reverse()
        elif layout == "TB-stacked":
            bodies.append(self._stacking())
        # What was added to the body since (g.node(...), g.edge(...)) stays after it.
        self.body[:self._placed] = [f"\tlabel={self._header()} labelloc=t\n", *bodies]
        self._placed = 1 + len(bodies)

    def _stacking(self) -> str:
        """Invisible edges from the last nodes of the first pass to the first nodes of
        the second, which put the second pass under the first."""
        (first, _), (_, second) = [self._ends(body) for _, body in self.passes]
        # weight=0: each node of the second pass stays where its own edges want it
        return "".join(f"\t{a} -> {b} [style=invis weight=0]\n" for a in first for b in second)

    @staticmethod
    def _ends(body: str) -> tuple[list[str], list[str]]:
        """The nodes of a pass no edge leaves, and those no edge enters."""
        edges = _EDGE.findall(body)
        tails, heads = {t for t, _ in edges}, {h for _, h in edges}
        nodes = [n for n in dict.fromkeys(_NODE.findall(body))
                 if n not in ("graph", "node", "edge")]
        return [n for n in nodes if n not in tails], [n for n in nodes if n not in heads]

    def _header(self) -> str:
        notes = list(self.notes)
        if self.poster is not None:
            notes.insert(0, poster_note(self.poster))
        lines = self.titles[self.layout] + [
            part for note in notes for part in textwrap.wrap(note, _WRAP)]
        rows = [f'<tr><td align="left">{escaped(line)}</td></tr>' for line in lines]
        if self.legend:
            grid = "".join("<tr>" + "".join(_legend_cell(e) for e in row) + "</tr>"
                           for row in _legend_rows(self.legend))
            rows.append('<tr><td align="left"><table border="0" cellspacing="4" '
                        f'cellpadding="3">{grid}</table></td></tr>')
        return f'<<table border="0" cellspacing="0" cellpadding="1">{"".join(rows)}</table>>'

    def fit(self, run: Callable[[str, tuple[str, ...]], dict[str, bytes]],
            formats: tuple[str, ...]) -> dict[str, bytes]:
        """Render ``formats`` with ``run(source, formats)``, choosing the layout the first
        time: the first of :attr:`layouts` that fits a notebook, else the narrowest, with
        a note that says it is a poster."""
        wanted = tuple(dict.fromkeys(("svg", *formats)))
        if self.fitted:
            return run(self.source, tuple(formats))
        tried = []
        lines = sum(body.count("\n") for _, body in self.passes)
        layouts = self.layouts if lines <= _MEASURED_UP_TO else ("LR",)
        for n, layout in enumerate(layouts):
            self._arrange(layout, None)
            out = run(self.source, wanted if n == 0 else ("svg",))
            width, height = svg_size(out["svg"])
            if width <= NOTEBOOK_WIDTH and height <= NOTEBOOK_HEIGHT:
                self.fitted = True
                if n > 0 and set(formats) - {"svg"}:
                    out = run(self.source, wanted)
                return out
            tried.append((width, height, n, layout))
        width, height, _, layout = min(tried)
        self.use_layout(layout, poster=(width, height))
        return run(self.source, wanted)

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None, **kwargs: Any
    ) -> dict[str, Any]:
        try:
            formats = ("svg",) if self.poster is not None else ("svg", "png")
            out = render(self, formats)
            if self.poster is not None:
                out.pop("png", None)  # a poster's PNG would be megabytes and illegible
        except GraphvizNotFoundError:
            text = f"{self.summary}\n\n{INSTALL_HINT}\n\n{self.source}"
            return {"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}
        except RuntimeError as e:  # out of time, or dot failed
            text = f"{self.summary}\n\n{e}\n\n{self.source}"
            return {"text/plain": text, "text/html": f"<pre>{html.escape(text)}</pre>"}
        bundle: dict[str, Any] = {"image/svg+xml": out["svg"].decode("utf-8")}
        if "png" in out:
            bundle["image/png"] = out["png"]
            shown = "SVG and PNG"
        else:
            shown = "SVG only: a poster"
        bundle["text/plain"] = f"{self.summary} ({shown}; run the notebook in Jupyter to see it)"
        return bundle


def _legend_cell(entry: LegendEntry | None) -> str:
    if entry is None:
        return "<td></td>"
    dashed = ' style="dashed"' if entry.dashed else ""
    return (f'<td bgcolor="{entry.fill}" border="1" color="{entry.border}"{dashed}> '
            f"{escaped(entry.text)} </td>")


def _legend_rows(legend: list[LegendEntry], width: int = 100) -> list[list[LegendEntry | None]]:
    """The legend's cells: one row when it is at most ``width`` characters, else a grid
    of two columns (Graphviz stretches a row of cells narrower than the widest row)."""
    if sum(len(e.text) + 4 for e in legend) <= width:
        return [list(legend)]
    cells: list[LegendEntry | None] = list(legend) + [None] * (len(legend) % 2)
    return [cells[i:i + 2] for i in range(0, len(cells), 2)]


def poster_note(size: tuple[float, float]) -> str:
    """What the title of a picture too large for a notebook says."""
    width, height = size
    which = "wide" if width > NOTEBOOK_WIDTH else "tall"
    return (f"a poster: {width:,.0f} × {height:,.0f} px, too {which} for a notebook "
            f"({NOTEBOOK_WIDTH} px wide); open the SVG file and scroll, or draw less "
            "(a smaller max_nodes, zoom='layers' for a network, show_ops=False)")
