"""``calctutor lesson [NAME] [--seed N]``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded


@app.command("lesson")
def lesson_command(
    name: Annotated[str | None, typer.Argument(
        help="The lesson to run, e.g. [cyan]chain-rule[/cyan]; leave out to list them.")] = None,
    seed: Annotated[int | None, typer.Option(
        "--seed", min=0, help="Seed for the exercises' random numbers (repeat a session).")] = None,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
) -> None:
    """List the lessons with your progress, or run one: explanations, live worked examples,
    exercises graded with the mistake named, hints (rule → first step → solution).

    In a lesson type an answer, or [bold]hint[/bold], [bold]skip[/bold],
    [bold]solution[/bold], [bold]quit[/bold]. Answers can also be piped in, one per line.

    Examples: [cyan]calctutor lesson[/cyan], [cyan]calctutor lesson chain-rule --seed 7[/cyan]
    """
    with guarded(json_out, watch=False):
        if name is None:
            from calctutor.commands.lesson import run_lesson_list
            from calctutor.render import lesson as view

            emit(run_lesson_list(), view, as_json=json_out, plain=plain)
            return
        from calctutor.termio import default_io, setting
        from calctutor.tutor.session import run_lesson

        if seed is None:
            seed = setting("lesson_seed")  # the settings' default, else fresh numbers
        run_lesson(name, seed, default_io(plain))
