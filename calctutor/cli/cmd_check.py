"""``calctutor check FUNCTION ANSWER`` and ``calctutor check --batch FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression


@app.command("check")
def check_command(
    function: Annotated[str | None, typer.Argument(help="The function, e.g. [cyan]sin(x^2)[/cyan].")] = None,
    answer: Annotated[str | None, typer.Argument(help="The answer to grade, e.g. [cyan]2x cos(x^2)[/cyan].")] = None,
    wrt: opt.Wrt = None,
    order: Annotated[int, typer.Option("--order", "-n", min=0, max=10, help="Order of the derivative.")] = 1,
    task: Annotated[str, typer.Option("--task", help="[cyan]derivative[/cyan] (is ANSWER f'?) or [cyan]equivalent[/cyan] (is ANSWER = FUNCTION?).")] = "derivative",
    batch: Annotated[Path | None, typer.Option("--batch", help="Grade every row of a JSON Lines or CSV file (- for stdin).")] = None,
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes for --batch (default: all cores).")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write batch results here instead of stdout.")] = None,
    working: Annotated[str | None, typer.Option("--working", "-w", help="Grade a working line by line: a file with one step per line (- for stdin).")] = None,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
) -> None:
    """Grade a typed answer: is it the derivative (or an equal form)? Names the mistake if not.

    Exit code 0 when correct, 1 when wrong, 2 for bad input.
    Examples: [cyan]calctutor check "sin(x^2)" "2x cos(x^2)"[/cyan],
    [cyan]calctutor check --batch answers.jsonl --jobs 2[/cyan]
    """
    if batch is not None:
        with guarded():
            from calctutor.cli.batch_view import run_batch_cli

            run_batch_cli(batch, jobs, output, plain)
        return
    if working is not None or (answer is not None and "\n" in answer.strip()):
        _check_working(function, answer, working, wrt, order, json_out, plain)
        return
    with guarded(json_out):
        from calctutor.errors import CalcError

        if function is None or answer is None:
            raise CalcError("give a FUNCTION and an ANSWER, e.g. calctutor check \"x^3\" \"3x^2\" "
                            "(or --batch FILE)")
        from calctutor.commands.check import run_check
        from calctutor.render import check as view

        verdict = run_check(read_expression(function), read_expression(answer), wrt=wrt,
                            order=order, task=task)
        emit(verdict, view, as_json=json_out, plain=plain)
    raise typer.Exit(0 if verdict.correct else 1)


def _check_working(function, answer, working, wrt, order, json_out, plain) -> None:
    """``check FUNCTION --working FILE`` (or an ANSWER with several lines): line by line."""
    with guarded(json_out):
        from calctutor.errors import CalcError

        if function is None:
            raise CalcError("give the FUNCTION the working differentiates, e.g. "
                            "calctutor check \"sin(x^2)\" --working steps.txt")
        if working is not None and answer is not None:
            raise CalcError("give either an ANSWER or --working FILE, not both")
        if working is None:
            text = answer
        elif working == "-":
            import sys

            text = sys.stdin.read()
        else:
            try:
                text = Path(working).read_text(encoding="utf-8")
            except OSError as exc:
                raise CalcError(f"cannot read the working {working!r}: {exc.strerror or exc}") from None
            except UnicodeDecodeError:
                raise CalcError(f"the working {working!r} is not UTF-8 text") from None
        from calctutor.commands.check import run_working
        from calctutor.render import working as view

        verdict = run_working(read_expression(function), text, wrt=wrt, order=order)
        emit(verdict, view, as_json=json_out, plain=plain)
    raise typer.Exit(0 if verdict.correct else 1)
