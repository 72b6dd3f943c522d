"""Renderers for :class:`calctutor.commands.parse.ParseResult`."""

from __future__ import annotations

from calctutor.commands.parse import ParseResult, TreeNode
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RULE_STYLE, inline, latex, pretty


def to_json(result: ParseResult) -> dict:
    doc = {
        "input": result.input,
        "expression": result.canonical,
        "latex": result.latex,
        "as_typed": result.as_typed,
        "variables": list(result.variables),
        "tree": _tree_json(result.tree),
    }
    if result.program is not None:
        doc["definitions"] = [
            {"name": d.name, "expr": inline(d.expr)} for d in result.program.definitions
        ]
        doc["output"] = result.program.output
    return doc


def _tree_json(node: TreeNode) -> dict:
    doc = {"label": node.label, "expr": node.text}
    if node.children:
        doc["children"] = [_tree_json(c) for c in node.children]
    return doc


def to_latex(result: ParseResult) -> str:
    return result.latex


def to_plain(result: ParseResult) -> str:
    lines = [f"input:      {result.input}"]
    if result.program is not None:
        lines.append("program:")
        for d in result.program.definitions:
            lines.append(f"  {d.name} = {inline(d.expr)}")
    lines += [
        f"read as:    {result.as_typed}",
        f"canonical:  {result.canonical}",
        f"variables:  {', '.join(result.variables) or '(none)'}",
        f"latex:      {result.latex}",
        "",
        pretty(result.expression, unicode=False),
        "",
        "tree:",
    ]
    lines += _tree_lines(result.tree, "  ")
    return "\n".join(lines)


def _tree_lines(node: TreeNode, indent: str) -> list[str]:
    text = node.label if not node.children else f"{node.label}: {node.text}"
    out = [indent + text]
    for child in node.children:
        out += _tree_lines(child, indent + "  ")
    return out


def to_rich(result: ParseResult):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    facts = Table.grid(padding=(0, 2))
    facts.add_column(style=NOTE_STYLE, justify="right")
    facts.add_column()
    facts.add_row("you typed", Text(result.input))
    if result.program is not None:
        for d in result.program.definitions:
            facts.add_row("defines", Text.assemble((d.name, "bold"), " = ", (inline(d.expr), EXPR_STYLE)))
    facts.add_row("read as", Text(result.as_typed, style=EXPR_STYLE))
    if result.canonical != result.as_typed:
        facts.add_row("simplified", Text(result.canonical, style=EXPR_STYLE))
    facts.add_row("variables", Text(", ".join(result.variables) or "(none)"))
    facts.add_row("LaTeX", Text(result.latex, style=NOTE_STYLE))

    tree = Tree(Text("expression tree", style="bold"), guide_style=NOTE_STYLE)
    _add_branch(tree, result.tree)

    body = Group(facts, Text(""), Text(pretty(result.expression)), Text(""), tree)
    return Panel(body, title="[bold]how calctutor read your input[/bold]", expand=False)


def _add_branch(parent, node: TreeNode) -> None:
    from rich.text import Text

    if node.children:
        label = Text.assemble((node.label, RULE_STYLE), "  ", (node.text, EXPR_STYLE))
        branch = parent.add(label)
        for child in node.children:
            _add_branch(branch, child)
    else:
        parent.add(Text(node.text, style=EXPR_STYLE))
