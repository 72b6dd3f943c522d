"""Renderers for a graded working (:class:`calctutor.grading.working.WorkingVerdict`):
a numbered table, one mark per line (✓ right, ✗ wrong, → follows, ? unreadable; ASCII in
plain output), and the right step under the first wrong line."""

from __future__ import annotations

from calctutor.grading.working import WorkingVerdict, summary, working_document
from calctutor.parsing import to_input
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, RULE_STYLE, WRONG_STYLE

MARKS = {"right": "✓", "wrong": "✗", "follows": "→", "unreadable": "?"}
PLAIN_MARKS = {"right": "ok", "wrong": "WRONG", "follows": "follows", "unreadable": "unreadable"}
_STYLES = {"right": RESULT_STYLE, "wrong": WRONG_STYLE, "follows": "yellow", "unreadable": "yellow"}


def to_json(verdict: WorkingVerdict) -> dict:
    return working_document(verdict)


def _question(verdict: WorkingVerdict) -> str:
    order = "" if verdict.order == 1 else f"^{verdict.order}"
    return f"working for d{order}/d{verdict.variable}{order} {to_input(verdict.function)}"


def _detail(line) -> str:
    if line.status == "wrong":
        return f"{line.mistake}: {line.message}"
    return line.message


def to_plain(verdict: WorkingVerdict) -> str:
    head = "CORRECT" if verdict.correct else "NOT CORRECT"
    out = [f"{head}: {_question(verdict)}"]
    width = len(str(len(verdict.lines)))
    for line in verdict.lines:
        rule = f" [{line.rule}]" if line.rule else ""
        out.append(f"{line.n:>{width}}. {PLAIN_MARKS[line.status]:<10} {line.text}{rule}")
        for part in _detail(line).splitlines():
            out.append(f"{'':>{width}}  {'':<10} {part}")
        if line.n == verdict.first_wrong_line and line.right_step:
            out.append(f"{'':>{width}}  {'':<10} right step: {line.right_step}")
    _, message = summary(verdict)
    out.append(message)
    if not verdict.correct and verdict.final is not None:
        out.append(f"expected: {to_input(verdict.final.expected)}")
    return "\n".join(out)


def to_latex(verdict: WorkingVerdict) -> str:
    import sympy

    rows = []
    for line in verdict.lines:
        mark = {"right": r"\checkmark", "wrong": r"\times", "follows": r"\to"}.get(line.status, "?")
        body = sympy.latex(line.expr) if line.expr is not None else r"\text{(unreadable)}"
        rows.append(f"{line.n}. & {body} & {mark} \\\\")
    return "\\begin{array}{rll}\n" + "\n".join(rows) + "\n\\end{array}"


def to_rich(verdict: WorkingVerdict):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    ok = verdict.correct
    table = Table(box=None, padding=(0, 1), show_header=True, header_style=NOTE_STYLE)
    table.add_column("#", justify="right", style=NOTE_STYLE)
    table.add_column("")
    table.add_column("line", style=EXPR_STYLE)
    table.add_column("rule", style=RULE_STYLE)
    table.add_column("")
    for line in verdict.lines:
        style = _STYLES[line.status]
        table.add_row(str(line.n), Text(MARKS[line.status], style=style), line.text, line.rule or "",
                      Text(_detail(line), style=style if line.status == "wrong" else ""))
        if line.n == verdict.first_wrong_line and line.right_step:
            table.add_row("", "", Text("right step: " + line.right_step, style=RESULT_STYLE), "", "")
    _, message = summary(verdict)
    headline = Text("✓ Correct" if ok else "✗ Not quite", style=RESULT_STYLE if ok else WRONG_STYLE)
    parts = [headline, Text(_question(verdict), style=NOTE_STYLE), Text(""), table, Text(""),
             Text(message)]
    if not ok and verdict.final is not None:
        parts.append(Text.assemble(("expected  ", NOTE_STYLE),
                                   (to_input(verdict.final.expected), RESULT_STYLE)))
    return Panel(Group(*parts), title="[bold]check --working[/bold]",
                 border_style="green" if ok else "red", expand=False)
