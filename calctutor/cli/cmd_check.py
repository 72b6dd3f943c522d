"""``calctutor check FUNCTION ANSWER`` and ``calctutor check --batch FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli import shape_options as mx
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
    json_out: opt.Json = False,
    plain: opt.Plain = False,
    shape: mx.Shapes = None,
    symmetric: mx.Symmetric = None,
) -> None:
    """Grade a typed answer: is it the derivative (or an equal form)? Names the mistake if not.

    Exit code 0 when correct, 1 when wrong, 2 for bad input.
    Examples: [cyan]calctutor check "sin(x^2)" "2x cos(x^2)"[/cyan],
    [cyan]calctutor check --batch answers.jsonl --jobs 2[/cyan]
    """
    if shape or symmetric:
        _matrix_check(function, answer, wrt, shape or [], symmetric or [], json_out, plain,
                      conflicts={"--batch": batch is not None, "--order": order != 1,
                                 "--task": task != "derivative"})
    if batch is not None:
        with guarded():
            from calctutor.cli.batch_view import run_batch_cli

            run_batch_cli(batch, jobs, output, plain)
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


def _matrix_check(function, answer, wrt, shape, symmetric, json_out, plain, conflicts) -> None:
    """``check --shape``: grade a matrix answer (calctutor.matrix); exits 0, 1 or 2."""
    with guarded(json_out):
        from calctutor.commands.matgrad import run_matcheck
        from calctutor.errors import CalcError
        from calctutor.render import matrix as view

        used = [name for name, value in conflicts.items() if value]
        if used:
            raise CalcError(f"{', '.join(used)} cannot be combined with --shape")

        if function is None or answer is None:
            raise CalcError('give a FUNCTION and an ANSWER, e.g. calctutor check "x^T A x" '
                            '"(A + A^T) x" --wrt x --shape x=n --shape A=nxn')
        verdict = run_matcheck(read_expression(function), read_expression(answer), wrt=wrt,
                               shapes=shape, symmetric=symmetric)
        emit(verdict, view, as_json=json_out, plain=plain)
    raise typer.Exit(0 if verdict.correct else 1)
