"""Writing DOT statements: quoting an attribute value, a node, an edge.

The DOT text is written here directly rather than through Graphviz's Python
package, which would quote every attribute of every node again -- on a graph of
100,000 nodes that dominates the time. Nothing here knows what a graph or a
picture is: names and attributes in, lines of DOT out.
"""

from __future__ import annotations

import re

__all__ = ["attributes", "write_edge", "write_node"]

_ID = re.compile(r"[A-Za-z_][A-Za-z0-9_]*|-?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)")
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})
_QUOTED: dict[str, str] = {}  # the few style values, quoted once


def _quote(value: str) -> str:
    """A DOT attribute value: HTML labels and plain ids as they are, else in quotes."""
    if value[:1] == "<" and value[-1:] == ">":
        return value
    quoted = _QUOTED.get(value)
    if quoted is None:
        if _ID.fullmatch(value) and value.lower() not in _KEYWORDS:
            quoted = value
        else:
            quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if len(_QUOTED) < 4096:
            _QUOTED[value] = quoted
    return quoted


def attributes(attrs: dict[str, str]) -> str:
    """``label=<...> color="#fff"``: the label first, then the rest sorted by name."""
    label = attrs.get("label")
    rest = " ".join([f"{k}={_quote(v)}" for k, v in sorted(attrs.items()) if k != "label"])
    if label is None:
        return rest
    return f"label={_quote(label)} {rest}" if rest else f"label={_quote(label)}"


def write_node(into: list[str], indent: str, name: str, attrs: dict[str, str]) -> None:
    """Append the statement ``name [attrs]`` to ``into``."""
    into.append(f"{indent}{name} [{attributes(attrs)}]\n")


def write_edge(into: list[str], tail: str, head: str, attrs: dict[str, str]) -> None:
    """Append the statement ``tail -> head [attrs]`` to ``into``."""
    into.append(f"\t{tail} -> {head} [{attributes(attrs)}]\n" if attrs
                else f"\t{tail} -> {head}\n")

