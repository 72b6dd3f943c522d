"""Renderers for a grading :class:`~calctutor.grading.verdict.Verdict`."""

from __future__ import annotations

from calctutor.grading.verdict import Verdict, verdict_document
from calctutor.parsing import to_input
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, RULE_STYLE, WRONG_STYLE


def to_json(verdict: Verdict) -> dict:
    return verdict_document(verdict)


def _witness_lines(verdict: Verdict) -> list[tuple[str, str, str]]:
    s, n = verdict.symbolic, verdict.numeric
    return [
        ("symbolic", s.status, s.how),
        ("numeric", n.status, n.note),
    ]


def _question(verdict: Verdict) -> str:
    if verdict.task == "equivalent":
        return f"is {to_input(verdict.answer)} equal to {to_input(verdict.function)}?"
    order = "" if verdict.order == 1 else f"^{verdict.order}"
    return (f"is {to_input(verdict.answer)} the derivative d{order}/d{verdict.variable}{order} "
            f"of {to_input(verdict.function)}?")


def to_plain(verdict: Verdict) -> str:
    lines = [("CORRECT" if verdict.correct else "NOT CORRECT") + ": " + _question(verdict),
             verdict.message]
    d = verdict.diagnosis
    if d is not None:
        lines.append(f"mistake: {d.label} ({d.rule} at {d.at})")
        if d.right_step:
            lines.append(f"right step: {d.right_step}")
    if not verdict.correct:
        lines.append(f"expected: {to_input(verdict.expected)}")
    lines += [f"note: {n}" for n in verdict.notes]
    for name, status, how in _witness_lines(verdict):
        lines.append(f"{name} witness: {status} ({how})")
    return "\n".join(lines)


def to_latex(verdict: Verdict) -> str:
    import sympy

    mark = r"\checkmark" if verdict.correct else r"\times"
    return f"{sympy.latex(verdict.answer)} \\quad {mark} \\quad {sympy.latex(verdict.expected)}"


def to_rich(verdict: Verdict):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    ok = verdict.correct
    headline = Text("✓ Correct" if ok else "✗ Not quite", style=RESULT_STYLE if ok else WRONG_STYLE)
    parts = [headline, Text(_question(verdict), style=NOTE_STYLE), Text(""), Text(verdict.message)]
    d = verdict.diagnosis
    if d is not None:
        table = Table.grid(padding=(0, 2))
        table.add_column(style=NOTE_STYLE, justify="right")
        table.add_column()
        table.add_row("mistake", Text(d.label, style=WRONG_STYLE))
        table.add_row("rule", Text(d.rule, style=RULE_STYLE))
        table.add_row("where", Text(d.at, style=EXPR_STYLE))
        if d.right_step:
            table.add_row("right step", Text(d.right_step, style=RESULT_STYLE))
        parts += [Text(""), table]
    if not ok:
        parts += [Text(""), Text.assemble(("expected  ", NOTE_STYLE), (to_input(verdict.expected), RESULT_STYLE))]
    for note in verdict.notes:
        parts.append(Text("note: " + note, style="italic"))
    witnesses = Table(box=None, show_header=False, padding=(0, 1))
    witnesses.add_column(style=NOTE_STYLE)
    witnesses.add_column()
    witnesses.add_column(style=NOTE_STYLE)
    for name, status, how in _witness_lines(verdict):
        colour = {"equal": "green", "different": "red"}.get(status, "yellow")
        witnesses.add_row(f"{name} witness", Text(status, style=colour), how)
    parts += [Text(""), witnesses]
    return Panel(Group(*parts), title="[bold]check[/bold]", border_style="green" if ok else "red",
                 expand=False)
