"""``calctutor progress [--json]``."""

from __future__ import annotations

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded


@app.command("progress")
def progress_command(json_out: opt.Json = False, plain: opt.Plain = False) -> None:
    """Your progress: attempts, correct answers and mastery per lesson and per skill,
    and the exercises due for review.

    The history lives in the data directory ([cyan]CALCTUTOR_HOME[/cyan] when set).
    """
    with guarded(json_out, watch=False):
        from calctutor.commands.progress import run_progress
        from calctutor.render import progress as view

        emit(run_progress(), view, as_json=json_out, plain=plain)
