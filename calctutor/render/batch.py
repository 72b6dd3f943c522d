"""Renderer for a batch's :class:`~calctutor.commands.batch.BatchSummary` (the table
printed on stderr after grading)."""

from __future__ import annotations


def summary_table(summary):
    """Rows, correct, wrong, ungraded, and the five most common mistakes."""
    from rich.table import Table

    table = Table(title="batch summary", show_header=False, box=None)
    table.add_column(style="dim")
    table.add_column(justify="right")
    table.add_row("rows", str(summary.rows))
    table.add_row("correct", f"[green]{summary.correct}[/green]")
    table.add_row("wrong", f"[red]{summary.wrong}[/red]")
    table.add_row("could not grade", f"[yellow]{summary.errors}[/yellow]")
    for label, count in summary.mistakes.most_common(5):
        table.add_row(f"  {label}", str(count))
    return table
