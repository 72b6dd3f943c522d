"""Renderers for ``diff --graph``: the derivation and the backward pass side by side."""

from __future__ import annotations

from calctutor.commands.diff_graph import LinkedDiff
from calctutor.render import diff as diff_view
from calctutor.render import linked


def _letters(result: LinkedDiff) -> str:
    pairs = ", ".join(f"{letter} ↔ node {node}" for letter, node in result.layer_nodes.items())
    return f"the chain-rule layers are the graph's nodes: {pairs}" if pairs else ""


def to_json(result: LinkedDiff) -> dict:
    doc = diff_view.to_json(result.diff)
    doc["graph"] = linked.to_json(result.graph)
    doc["layer_nodes"] = dict(result.layer_nodes)
    return doc


def to_latex(result: LinkedDiff) -> str:
    return diff_view.to_latex(result.diff)


def to_plain(result: LinkedDiff) -> str:
    note = _letters(result).replace("↔", "<->")
    parts = [diff_view.to_plain(result.diff), "", linked.to_plain(result.graph)]
    if note:
        parts += ["", note]
    return "\n".join(parts)


def to_rich(result: LinkedDiff):
    from rich.columns import Columns
    from rich.console import Group
    from rich.text import Text

    note = _letters(result)
    body = [Columns([diff_view.to_rich(result.diff), linked.to_rich(result.graph)], equal=False)]
    if note:
        body.append(Text(note, style="italic"))
    return Group(*body)
