"""``calctutor limit EXPR --at A [--quotient] [--h H,...] [--plot] [--json]``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.cmd_plot import Force, Height, Save, Width
from calctutor.cli.output import emit, guarded, read_expression


@app.command("limit")
def limit_command(
    expr: opt.ExprArg,
    at: Annotated[str, typer.Option(
        "--at", help="The point a, e.g. [cyan]1[/cyan], [cyan]pi/4[/cyan] or [cyan]oo[/cyan].")],
    quotient: Annotated[bool, typer.Option(
        "--quotient", help="The derivative as a limit: the difference quotients of EXPR at a "
                           "as h shrinks.")] = False,
    steps: Annotated[str | None, typer.Option(
        "--h", help="Step sizes, e.g. [cyan]0.001[/cyan] or [cyan]0.1,0.01[/cyan] "
                    "(default 1e-1 ... 1e-8; with --quotient 1e-1 ... 1e-12).")] = None,
    plot: Annotated[bool, typer.Option(
        "--plot", help="Draw f near a (with --quotient: the error against h on log-log "
                       "axes).")] = False,
    width: Width = None,
    height: Height = None,
    save: Save = None,
    force: Force = False,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
) -> None:
    """The limit of EXPR as the variable tends to a: values from both sides, the
    one-sided limits and the exact limit, with the argument that shows it (substitution,
    cancelling, L'Hôpital's rule, a series).

    With --quotient: the derivative as a limit, forward and central difference
    quotients in exact arithmetic and in float64, so you can see where floating-point
    cancellation takes over.

    Examples: [cyan]calctutor limit "sin(x)/x" --at 0[/cyan],
    [cyan]calctutor limit "abs(x)/x" --at 0[/cyan], [cyan]calctutor limit "x/e^x" --at oo[/cyan],
    [cyan]calctutor limit "3x^2 - 4x" --at 1 --quotient[/cyan],
    [cyan]calctutor limit "x^2" --at 3 --quotient --h 0.0001[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.limit import run_limit
        from calctutor.render import limit as view

        if save:
            from calctutor.render.save import check_path

            check_path(save, force)
        result = run_limit(read_expression(expr), at=at, steps=steps, plot=plot or bool(save),
                           quotient=quotient)
        if result.figure is not None:
            result.figure.width, result.figure.height = width, height
        emit(result, view, as_json=json_out, plain=plain)
        if save and result.figure is not None:
            from calctutor.cli.cmd_plot import save_figures

            save_figures([result.figure], save, force)
