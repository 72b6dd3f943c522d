"""The terminal side of batch grading: progress bar and summary on stderr."""

from __future__ import annotations

import sys
from pathlib import Path

from calctutor.cli.output import console, dump_json


def run_batch_cli(path: Path, jobs: int | None, output: Path | None, plain: bool) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from calctutor.commands.batch import grade_rows, read_rows, summarise
    from calctutor.render import batch as batch_view

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
    err.print(batch_view.summary_table(summarise(docs)))
