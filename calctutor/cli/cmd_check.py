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
    resume: Annotated[bool, typer.Option("--resume", help="Continue a batch: skip the rows already in --output, append the rest.")] = False,
    force: Annotated[bool, typer.Option("--force", help="Replace an existing --output file.")] = False,
    report: Annotated[Path | None, typer.Option("--report", help="Write a teacher's report of the batch: [cyan].md[/cyan], [cyan].html[/cyan] or [cyan].csv[/cyan].")] = None,
    results: Annotated[str | None, typer.Option("--results", metavar="FILES", help="Report over batch output files already graded, comma-separated (shards); with --report.")] = None,
    batch_format: Annotated[str | None, typer.Option("--format", help="Batch input format: [cyan]jsonl[/cyan] or [cyan]csv[/cyan] (default: from the file name or its first line).")] = None,
    working: Annotated[str | None, typer.Option("--working", "-w", help="Grade a working line by line: a file with one step per line (- for stdin).")] = None,
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
    if results and batch is None:
        with guarded(watch=False):
            from calctutor.cli.batch_view import run_report_cli

            run_report_cli([Path(p.strip()) for p in results.split(",") if p.strip()],
                           report, plain, force)
        return
    if shape or symmetric:
        _matrix_check(function, answer, wrt, shape or [], symmetric or [], json_out, plain,
                      conflicts={"--batch": batch is not None, "--order": order != 1,
                                 "--task": task != "derivative"})
        return
    if batch is not None:
        with guarded(watch=False):  # each row has its own limit
            from calctutor.cli.batch_view import run_batch_cli

            run_batch_cli(batch, jobs, output, plain, resume=resume, force=force,
                          fmt=batch_format, report=report)
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
        if not verdict.correct:
            raise typer.Exit(1)


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
        if not verdict.correct:  # inside the guarded block: it runs in the watched child
            raise typer.Exit(1)


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
        if not verdict.correct:  # inside the guarded block: it runs in the watched child
            raise typer.Exit(1)
