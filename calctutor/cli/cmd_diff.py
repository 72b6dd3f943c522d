"""``calctutor diff EXPR``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression

NoSteps = Annotated[bool, typer.Option("--no-steps", help="Only the answer, without the derivation.")]
WithGraph = Annotated[bool, typer.Option("--graph", help="Show the backward pass (backprop) beside the steps; needs --at.")]


@app.command("diff")
def diff_command(
    expr: opt.ExprArg,
    wrt: opt.Wrt = None,
    order: opt.Order = 1,
    at: opt.At = None,
    no_steps: NoSteps = False,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
    latex: opt.Latex = False,
    graph: WithGraph = False,
) -> None:
    """Differentiate step by step: every rule named, chain rule layer by layer.

    Examples: [cyan]calctutor diff "sin((4x)^2)"[/cyan],
    [cyan]calctutor diff "x^x"[/cyan], [cyan]calctutor diff "x^2 y" --wrt y[/cyan],
    [cyan]calctutor diff "y = 2x^3 + 3; z = y^2" --at x=0.5[/cyan],
    [cyan]calctutor diff "sin(2x + 3)^2" --at x=1 --graph[/cyan]
    """
    if graph:
        with guarded(json_out):
            from calctutor.commands.diff_graph import run_diff_graph
            from calctutor.render import diff_graph as linked_view

            emit(run_diff_graph(read_expression(expr), wrt=wrt, at=at), linked_view,
                 as_json=json_out, plain=plain, latex=latex)
        return
    with guarded(json_out):
        from calctutor.commands.diff import run_diff
        from calctutor.render import diff as view

        result = run_diff(read_expression(expr), wrt=wrt, order=order, at=at, steps=not no_steps)
        emit(result, view, as_json=json_out, plain=plain, latex=latex)
