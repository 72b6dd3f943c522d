"""``calctutor config [--init]``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded

Init = Annotated[bool, typer.Option(
    "--init", help="Write a commented settings file with every key at its default (never over an existing one).")]


@app.command("config")
def config_command(init: Init = False, json_out: opt.Json = False, plain: opt.Plain = False) -> None:
    """The settings in force (colour, Unicode, lesson seed, step detail, REPL keys,
    time limit) and where each came from: default, the settings file or the environment.

    Examples: [cyan]calctutor config[/cyan], [cyan]calctutor config --init[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.config import run_config
        from calctutor.render import config as view

        emit(run_config(init=init), view, as_json=json_out, plain=plain)
