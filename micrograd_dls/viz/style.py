"""How the pictures look: the colour and legend of each kind of node, the ink of each
pass, the fonts and Graphviz's defaults for graph, nodes and edges.

Constants only, no text and no graph: what a node says is :mod:`.labels`' job,
which nodes there are :mod:`.scene`'s.
"""

from __future__ import annotations

__all__ = ["BACKWARD", "EDGE_ATTR", "FONT", "FORWARD", "GRAPH_ATTR", "KINDS", "MUTED",
           "NODE_ATTR", "node_style"]

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


def node_style(kind: str) -> dict[str, str]:
    """The fill and border colour of a node of ``kind`` ('input', 'parameter', ...)."""
    fill, border, _ = KINDS[kind]
    return {"fillcolor": fill, "color": border}
