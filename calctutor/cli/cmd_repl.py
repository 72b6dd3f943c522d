"""``calctutor repl``: the interactive REPL."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app


@app.command("repl")
def repl_command(
    plain: opt.Plain = False,
    no_history: Annotated[
        bool, typer.Option("--no-history", help="Do not read or write the history file."),
    ] = False,
) -> None:
    """The interactive REPL: type a function, see its derivative and why.

    Tab completes, Up recalls earlier lines (kept in the data directory, or
    [cyan]$CALCTUTOR_HOME[/cyan]), [cyan]:help[/cyan] lists the commands, Ctrl-D leaves.
    """
    from calctutor.repl.session import main

    raise typer.Exit(main(plain=plain, history=not no_history))
