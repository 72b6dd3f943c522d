"""``calctutor taylor EXPR [--at A] [--order N] [--eval X,...] [--plot] [--json]``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.cmd_plot import Force, Height, Range, Save, Width
from calctutor.cli.output import emit, guarded, read_expression


@app.command("taylor")
def taylor_command(
    expr: opt.ExprArg,
    at: Annotated[str | None, typer.Option(
        "--at", help="Centre a: [cyan]0[/cyan], [cyan]pi/4[/cyan], or [cyan]x=1,y=2[/cyan] "
                     "for several variables (default 0).")] = None,
    order: Annotated[int, typer.Option("--order", "-n", min=0, max=20,
                                       help="Highest power kept (at most 4 for several variables).")] = 2,
    eval_points: Annotated[str | None, typer.Option(
        "--eval", help="Points for the error table: [cyan]0.1,1[/cyan] "
                       "(several variables: [cyan]\"x=1.1,y=2; x=2,y=3\"[/cyan]).")] = None,
    plot: Annotated[bool, typer.Option("--plot", help="Draw f with its Taylor polynomials of rising order.")] = False,
    plot_range: Range = None,
    width: Width = None,
    height: Height = None,
    save: Save = None,
    force: Force = False,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
    latex: opt.Latex = False,
) -> None:
    """Taylor polynomial term by term, with an error table and the remainder bound.

    Examples: [cyan]calctutor taylor "e^x" --at 0 --order 2 --eval 0.1,1 --plot[/cyan],
    [cyan]calctutor taylor "x^2 + 3y^2 + x y" --at x=1,y=2[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.taylor import run_taylor
        from calctutor.render import taylor as view

        if save:
            from calctutor.render.save import check_path

            check_path(save, force)
        result = run_taylor(read_expression(expr), at=at, order=order, eval_points=eval_points,
                            plot=plot or bool(save), plot_range=plot_range)
        if result.figure is not None:
            result.figure.width, result.figure.height = width, height
        emit(result, view, as_json=json_out, plain=plain, latex=latex)
        if save and result.figure is not None:
            from calctutor.cli.cmd_plot import save_figures

            save_figures([result.figure], save, force)
