"""How the pictures look: the colour and legend of each kind of node, the ink of each
pass, the fonts and Graphviz's defaults for graph, nodes and edges.

Constants only, no text and no graph: what a node says is :mod:`.labels`' job,
which nodes there are :mod:`.scene`'s.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BACKWARD", "EDGE_ATTR", "FONT", "FORWARD", "GRAPH_ATTR", "KINDS", "MUTED",
           "NODE_ATTR", "NUMBER_STYLE", "LegendEntry", "node_style"]

#: Fill colour, border colour and legend text of each kind of node.
KINDS = {
    "input": ("#e5e7eb", "#6b7280", "input (data, no gradient)"),
    "parameter": ("#dbeafe", "#2563eb", "parameter (leaf with a gradient)"),
    "intermediate": ("#ffffff", "#64748b", "intermediate"),
    "cost": ("#fee2e2", "#dc2626", "cost (the root)"),
}
FONT = "Helvetica,Arial,sans-serif"
FORWARD = "#334155"  # the ink of the forward pass
BACKWARD = "#b91c1c"  # the ink of the backward pass
MUTED = "#64748b"  # small text: shapes, notes, stubs
GRAPH_ATTR = {"rankdir": "LR", "fontname": FONT, "fontsize": "11", "nodesep": "0.25",
              "ranksep": "0.35", "bgcolor": "white", "pad": "0.2", "labeljust": "l",
              "ordering": "in"}
NODE_ATTR = {"fontname": FONT, "fontsize": "11", "shape": "box", "style": "rounded,filled",
             "penwidth": "1.2", "margin": "0.1,0.05", "height": "0.3"}
EDGE_ATTR = {"fontname": FONT, "fontsize": "9", "arrowsize": "0.7", "color": FORWARD,
             "fontcolor": MUTED}


#: A number operand's node (the lecture's 3 in J = 3v): no node of the graph, dashed.
NUMBER_STYLE = {"style": "rounded,filled,dashed", "fillcolor": "#f8fafc", "color": "#94a3b8",
                "fontsize": "10", "width": "0.3", "height": "0.25", "margin": "0.06,0.03"}


@dataclass(frozen=True)
class LegendEntry:
    """One cell of a picture's legend: its colours, its text, whether its border is dashed."""

    fill: str
    border: str
    text: str
    dashed: bool = False


def node_style(kind: str) -> dict[str, str]:
    """The fill and border colour of a node of ``kind`` ('input', 'parameter', ...)."""
    fill, border, _ = KINDS[kind]
    return {"fillcolor": fill, "color": border}
