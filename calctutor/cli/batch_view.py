"""The terminal side of batch grading: progress bar and summary on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from calctutor.cli.output import console, dump_json


def run_batch_cli(path: Path, jobs: int | None, output: Path | None, plain: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from calctutor.commands.batch import grade_rows, read_rows, summarise

    rows = read_rows(path)
    err = console(plain, stderr=True)
    sink = open(output, "w", encoding="utf-8") if output else sys.stdout  # noqa: SIM115
    docs = []
    try:
        with Progress(TextColumn("grading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err, transient=True, disable=not err.is_terminal) as bar:
            task = bar.add_task("grading", total=len(rows))
            for doc in grade_rows(rows, jobs, progress=lambda n: bar.advance(task, n)):
                docs.append(doc)
                sink.write(dump_json(doc) + "\n")
                sink.flush()
    finally:
        if output:
            sink.close()
    summary = summarise(docs)
    table = Table(title="batch summary", show_header=False, box=None)
    table.add_column(style="dim")
    table.add_column(justify="right")
    table.add_row("rows", str(summary.rows))
    table.add_row("correct", f"[green]{summary.correct}[/green]")
    table.add_row("wrong", f"[red]{summary.wrong}[/red]")
    table.add_row("could not grade", f"[yellow]{summary.errors}[/yellow]")
    for label, count in summary.mistakes.most_common(5):
        table.add_row(f"  {label}", str(count))
    err.print(table)
