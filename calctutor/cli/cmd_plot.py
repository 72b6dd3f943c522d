"""``calctutor plot EXPR [--tangent A] [--range LO,HI] [--derivative] [--save FILE]``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression

Range = Annotated[str | None, typer.Option("--range", help="x-range as LO,HI, e.g. [cyan]-2,4[/cyan].")]
Width = Annotated[int | None, typer.Option("--width", min=30, max=240,
                                            help="Plot width in columns (default: the terminal's).")]
Height = Annotated[int | None, typer.Option("--height", min=8, max=80, help="Plot height in rows.")]
Save = Annotated[str | None, typer.Option("--save", help="Also write the plot to FILE: .svg, .png or .pdf (matplotlib, the [plots] extra), or the terminal picture as .html or .txt.")]
Force = Annotated[bool, typer.Option("--force", help="Replace an existing --save file.")]


@app.command("plot")
def plot_command(
    expr: Annotated[str, typer.Argument(
        help="Function(s) to draw: [cyan]\"3x^2 - 4x\"[/cyan], [cyan]\"sin x, cos x\"[/cyan], "
             "or the preset [cyan]activations[/cyan]; - reads stdin.")],
    tangent: Annotated[str | None, typer.Option("--tangent", help="Draw the tangent line at x = A.")] = None,
    plot_range: Range = None,
    derivative: Annotated[bool, typer.Option("--derivative", "-d", help="Also draw f'.")] = False,
    width: Width = None,
    height: Height = None,
    save: Save = None,
    force: Force = False,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
) -> None:
    """Draw functions in the terminal, with tangent lines or derivatives.

    Examples: [cyan]calctutor plot "3x^2 - 4x" --tangent 1[/cyan],
    [cyan]calctutor plot "sin x, cos x" --range -pi,pi[/cyan],
    [cyan]calctutor plot activations[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.plot import run_plot
        from calctutor.render import plot as view

        if save:
            from calctutor.render.save import check_path

            check_path(save, force)
        result = run_plot(read_expression(expr), tangent=tangent, plot_range=plot_range,
                          derivative=derivative, width=width, height=height)
        emit(result, view, as_json=json_out, plain=plain)
        if save:
            save_figures(result.figures, save, force)


def save_figures(figures, path: str, force: bool = False) -> None:
    import sys

    from calctutor.render.save import save_plot

    target = save_plot(figures, path, force)
    sys.stderr.write(f"saved the plot to {target}\n")
