"""``calctutor descend EXPR --from P``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression

From = Annotated[str, typer.Option(
    "--from", help="The starting point: [cyan]x=1,y=2[/cyan] (or [cyan]1[/cyan] for one variable).")]
Rate = Annotated[float | None, typer.Option(
    "--rate", help="Step size (learning rate); default 0.1, Newton 1 (a full step).")]
Steps = Annotated[int | None, typer.Option(
    "--steps", help="The most steps to take; default 50, Newton 20.")]
Method = Annotated[str, typer.Option(
    "--method", help="[cyan]gd[/cyan], [cyan]momentum[/cyan] or [cyan]newton[/cyan].")]
Beta = Annotated[float | None, typer.Option(
    "--beta", help="Momentum's memory (0 <= beta < 1); default 0.9.")]


@app.command("descend")
def descend_command(
    expr: opt.ExprArg,
    start: From,
    rate: Rate = None,
    steps: Steps = None,
    method: Method = "gd",
    beta: Beta = None,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
) -> None:
    """Watch an optimiser use the gradient: gradient descent, momentum or Newton.

    Examples: [cyan]calctutor descend "x^2 + 3y^2" --from x=1,y=2 --rate 0.3[/cyan] (the
    stretched bowl zig-zags), [cyan]calctutor descend "x^2 + 3y^2" --from x=1,y=2
    --method newton[/cyan] (one step), [cyan]calctutor descend "x^2" --from 1 --rate 1.1[/cyan]
    (diverges: rate above 2/lambda_max)
    """
    with guarded(json_out):
        from calctutor.commands.descend import run_descend
        from calctutor.render import descend as view

        result = run_descend(read_expression(expr), start, method=method, rate=rate,
                             steps=steps, beta=beta)
        emit(result, view, as_json=json_out, plain=plain)
