"""Options shared by several commands, declared once (Typer ``Annotated`` style)."""

from __future__ import annotations

from typing import Annotated

import typer

Json = Annotated[bool, typer.Option("--json", help="Print one JSON document on stdout.")]
Plain = Annotated[bool, typer.Option(
    "--plain", help="Plain ASCII: linear math, no colour, wrapped to the terminal (also: "
                    "TERM=dumb, or plain = true in the settings). NO_COLOR only drops colour.")]
Latex = Annotated[bool, typer.Option("--latex", help="Print LaTeX.")]
At = Annotated[
    str | None,
    typer.Option("--at", help="A point: [cyan]x=1,y=2[/cyan], or [cyan]1[/cyan] for one variable."),
]
Wrt = Annotated[str | None, typer.Option("--wrt", help="Variable to differentiate with respect to.")]
Order = Annotated[int, typer.Option("--order", "-n", min=0, max=20, help="Order of the derivative.")]
ExprArg = Annotated[
    str, typer.Argument(help="An expression such as [cyan]3x^2 sin(x)[/cyan], or - to read stdin.")
]
