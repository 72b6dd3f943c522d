"""``calctutor grad EXPR``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression

WrtList = Annotated[str | None, typer.Option(
    "--wrt", help="Variables, comma-separated: [cyan]x,y[/cyan] (default: all, sorted).")]
Hessian = Annotated[bool, typer.Option("--hessian", help="Also the Hessian and what its signs say.")]
Direction = Annotated[str | None, typer.Option(
    "--dir", help="Directional derivative along this vector, e.g. [cyan]1,0[/cyan] (normalised first).")]
Steps = Annotated[bool, typer.Option("--steps", help="Show each partial derivative's steps.")]


@app.command("grad")
def grad_command(
    expr: opt.ExprArg,
    wrt: WrtList = None,
    at: opt.At = None,
    hessian: Hessian = False,
    direction: Direction = None,
    steps: Steps = False,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
    latex: opt.Latex = False,
) -> None:
    """Partials, gradient, Hessian, directional derivative; a list of outputs: Jacobian.

    Examples: [cyan]calctutor grad "x^2 y + 3y" --at x=2,y=1[/cyan],
    [cyan]calctutor grad "x^2 + 3y^2" --hessian[/cyan],
    [cyan]calctutor grad "x^2 + y^2" --at x=3,y=4 --dir 1,0[/cyan],
    [cyan]calctutor grad "x y, x + y"[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.grad import run_grad
        from calctutor.render import grad as view

        result = run_grad(read_expression(expr), wrt=wrt, at=at, hessian=hessian,
                          direction=direction, steps=steps)
        emit(result, view, as_json=json_out, plain=plain, latex=latex)
