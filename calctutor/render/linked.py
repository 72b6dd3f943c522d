"""Renders the backward pass beside the symbolic derivation: one computation, two views.

``calctutor diff EXPR --graph`` (and the REPL) put the chain-rule derivation and this
view side by side. To make the two speak the same language, the caller passes the
step engine's layer names ({sub-expression: letter}, e.g. {2x + 3: "u"}); graph nodes
computing those sub-expressions take the same letters (other intermediates are u1,
u2, …). Matching is by expression, after SymPy's evaluation, so ``x·x`` typed and
``x^2`` match.
"""

from __future__ import annotations

from calctutor.commands.graph import GraphResult


def to_rich(result: GraphResult):
    """A compact Rich view for side-by-side use: the graph tree, the backward pass and
    the gradient."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    from calctutor.render.graph import gradient_text, rich_backward_table, rich_tree
    from calctutor.render.mathtext import RESULT_STYLE

    parts = [rich_tree(result), Text(""), rich_backward_table(result), Text(""),
             Text(gradient_text(result), style=RESULT_STYLE)]
    parts += [Text(f"warning: {m}", style="yellow") for m in result.messages]
    return Panel(Group(*parts), title="[bold]backpropagation (the same chain rule)[/bold]",
                 expand=False)


def to_plain(result: GraphResult) -> str:
    from calctutor.render.graph import tree_lines, backward_rows, gradient_text

    lines = ["backpropagation (the same chain rule):"]
    lines += ["  " + line for line in tree_lines(result, unicode=False)]
    lines.append(f"  seed: d{result.graph.out.id}/d{result.graph.out.id} = 1")
    for step, rule, numbers, running in backward_rows(result, unicode=False):
        lines.append(f"  {step:>3}. {rule}   {numbers}   -> {running}")
    lines.append("  " + gradient_text(result, unicode=False))
    lines += [f"  warning: {m}" for m in result.messages]
    return "\n".join(lines)


def to_json(result: GraphResult) -> dict:
    from calctutor.render.graph import to_json as graph_json

    return graph_json(result)
