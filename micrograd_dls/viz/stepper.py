"""Step through backpropagation: one self-contained HTML page for any graph.

``step_through(J)`` lays the graph out once with Graphviz (forward above
backward, as :func:`~micrograd_dls.viz.draw`) and takes every step a learner
walks, with its text, from :mod:`.steps`, where all of it is computed in
Python. This module writes the page: the SVG, a small JSON blob of the steps,
and the page's small script, which only shows what the blob says -- it
highlights the step's nodes and edges, fades what is not computed yet, scrolls
the picture (never the page) to the step's nodes, keeps the text above the
picture at the height of its longest step so the picture never moves, and
shows a node's story over the picture when it is clicked. Where scripts do not
run, the page shows its first step and says what it is. Nothing is loaded from
the network; several steppers on one page (Jupyter) keep to their own element.
"""

from __future__ import annotations

import html
import json
import re
import secrets
from dataclasses import dataclass, field
from typing import Any

from ..graph import Node, gc_paused
from .drawing import DEFAULT_MAX_NODES, check_arguments, picture_of
from .page import Page, asset, save_html
from .scene import read_scene
from .steps import Step, walk_layers, walk_ops

__all__ = ["Stepper", "clean_svg", "save_html", "step_through"]

_SVG_START = re.compile(r"^.*?(?=<svg)", re.S)
_IDS = re.compile(r' id="[^"]*"')


def clean_svg(svg: str) -> str:
    """Graphviz's SVG without the XML prologue and without ids, which would repeat
    when several steppers share a page (the script finds elements by their titles)."""
    svg = _SVG_START.sub("", svg, count=1)
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.S)
    return _IDS.sub("", svg)


@dataclass
class Stepper(Page):
    """An interactive walk through one graph: shown inline by Jupyter, saved with
    :func:`save_html`. ``steps`` holds the text of every step as computed in Python."""

    title: str
    svg: str
    steps: list[Step]
    show: dict[str, int]
    details: dict[str, dict[str, Any]]
    extra: dict[str, Any] = field(default_factory=dict)  # more data for the page's script
    aside: str = ""  # HTML beside the text (the cost curve of a training page)
    page_id = "mgs-page"

    def data(self) -> dict[str, Any]:
        """The JSON blob the page's script reads."""
        return {"title": self.title, "steps": [s.as_json() for s in self.steps],
                "show": self.show, "details": self.details, **self.extra}

    def fragment(self, uid: str | None = None) -> str:
        """The stepper as one ``<div>`` with its style, data and script inside."""
        uid = uid or "mgs-" + secrets.token_hex(6)
        blob = json.dumps(self.data(), ensure_ascii=False, separators=(",", ":"))
        blob = blob.replace("<", "\\u003c")  # no </script> can end the blob early
        css = asset("stepper.css").replace("#ROOT", f"#{uid}")
        script = asset("stepper.js")
        first = self.steps[0]
        first_title = html.escape(first.title)
        first_lines = html.escape("\n".join(first.as_json()["lines"]))
        return (
            f'<div class="mgs" id="{uid}" tabindex="0">'
            f"<style>{css}</style>"
            '<div class="mgs-bar">'
            '<button type="button" data-go="reset" title="reset (Home)">reset</button>'
            '<button type="button" data-go="prev" title="back (←)">◀</button>'
            '<button type="button" data-go="next" title="next (→)">▶</button>'
            '<button type="button" data-go="end" title="last step (End)">end</button>'
            '<input type="range" class="mgs-slider" min="0" value="0" aria-label="step">'
            f'<span class="mgs-count">step 0 of {len(self.steps) - 1}</span></div>'
            # Where scripts do not run (an untrusted notebook, a code-hosting site) the
            # first step and this line stay; the script removes the line.
            '<p class="mgs-static">An interactive page: its buttons need a script, which '
            "runs in a trusted notebook and in the file save_html writes.</p>"
            f'<div class="mgs-text">{self.aside}<div class="mgs-title">{first_title}</div>'
            f'<pre class="mgs-lines">{first_lines}</pre></div>'
            '<div class="mgs-stage"><pre class="mgs-detail" title="click to close"></pre>'
            f'<div class="mgs-svg">{self.svg}</div></div>'
            f'<script type="application/json" class="mgs-data">{blob}</script>'
            f'<script>(function(){{var root=document.getElementById("{uid}");{script}}})();'
            "</script></div>"
        )

    def summary(self) -> str:
        """What the page is, in one line of text."""
        return (f"{self.title}: an interactive page of {len(self.steps) - 1} steps "
                "(run the notebook in Jupyter to step through it, or save_html to a file)")


def step_through(root: Node, *, zoom: str = "ops", show_ops: bool = True,
                 max_nodes: int | None = DEFAULT_MAX_NODES,
                 timeout: float | None = None) -> Stepper:
    """Forward in topological order, then backward (dvar = ∂J/∂var) in reverse, one step
    per node -- or per nn layer with ``zoom='layers'`` -- as an interactive page.

    Call ``root.backward()`` first. Options as in :func:`~micrograd_dls.viz.draw`;
    ``timeout`` bounds Graphviz's layout (seconds). Returns a :class:`Stepper`.
    """
    from .render import pipe

    check_arguments(root, zoom, max_nodes, True)
    layers = zoom == "layers"
    with gc_paused():  # as in drawing._draw: reading the graph makes no cycles
        scene = read_scene(root, None if layers else max_nodes, grouped=layers)
        picture = picture_of(scene, ("forward", "backward"), show_ops, layers, False)
        walk = walk_layers(scene) if layers else walk_ops(scene, show_ops)
        title = f"backprop through {scene.root.name.text}"
        del scene  # freed while the collector is off
    svg = clean_svg(pipe(picture, "svg", timeout).decode("utf-8"))
    return Stepper(title, svg, walk.steps, walk.show, walk.details)
