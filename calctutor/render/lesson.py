"""Renderers for lessons: the lesson list (``calctutor lesson``) and the pieces the
lesson runner prints (pages, worked examples, problems, verdicts, hints, the summary).

No calculus here: worked examples and solutions arrive as finished command results
(``ExampleRun``) and are drawn with that command's own renderer.
"""

from __future__ import annotations

from calctutor.commands.lesson import LessonListResult
from calctutor.numfmt import format_number
from calctutor.asciitext import sep
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, RULE_STYLE, WRONG_STYLE

STATUS_TEXT = {
    "correct": "right",
    "skipped": "skipped",
    "solution": "solution shown",
    "quit": "stopped here",
    "unanswered": "not answered",
}


# ── the list of lessons ────────────────────────────────────────────────────────────
def to_json(result: LessonListResult) -> dict:
    return {"lessons": [
        {"name": row.slug, "title": row.title, "section": row.section, "summary": row.summary,
         "exercises": row.exercises, "attempts": row.attempts, "correct": row.correct,
         "mastery": row.mastery}
        for row in result.rows
    ]}


def to_plain(result: LessonListResult) -> str:
    width = max(len(r.slug) for r in result.rows)
    lines = ["Lessons (run one with: calctutor lesson NAME)", ""]
    for row in result.rows:
        done = f"{row.correct}/{row.attempts} right, mastery {row.mastery:.0%}" if row.attempts else "not started"
        lines.append(f"{row.section:>2}. {row.slug:<{width}}  {row.title}  [{done}]")
    return "\n".join(lines)


def _bar(fraction: float, width: int = 10) -> str:
    full = round(max(0.0, min(1.0, fraction)) * width)
    return "█" * full + "░" * (width - full)


def to_rich(result: LessonListResult):
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Lessons", caption="run one with [cyan]calctutor lesson NAME[/cyan]",
                  title_justify="left", caption_justify="left")
    table.add_column("§", justify="right", style=NOTE_STYLE)
    table.add_column("name", style=EXPR_STYLE, no_wrap=True)
    table.add_column("title", ratio=1)
    table.add_column("right", justify="right", no_wrap=True)
    table.add_column("mastery", no_wrap=True)
    for row in result.rows:
        done = f"{row.correct}/{row.attempts}" if row.attempts else "—"
        mastery = Text.assemble((_bar(row.mastery, 6), RESULT_STYLE if row.mastery else NOTE_STYLE),
                                f" {row.mastery:.0%}")
        table.add_row(str(row.section), row.slug, row.title, done, mastery)
    return table


# ── pieces of a running lesson ─────────────────────────────────────────────────────
def lesson_header(lesson, seed: int):
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    goals = Text()
    for goal in lesson.goals:
        goals.append("  • ", style=RULE_STYLE)
        goals.append(goal + "\n")
    commands = Text.assemble(("commands: ", NOTE_STYLE), ("hint", "bold"), ", ", ("skip", "bold"),
                             ", ", ("solution", "bold"), ", ", ("quit", "bold"),
                             (f"  {sep()}  seed {seed} (calctutor lesson {lesson.slug} --seed {seed})",
                              NOTE_STYLE))
    body = Group(Text(lesson.summary, style="italic"), Text(""), Text("You will be able to:", style="bold"),
                 goals, commands)
    return Panel(body, title=f"[bold]{lesson.title}[/bold]", subtitle=lesson.slug, expand=False)


def page(page, number: int, total: int):
    from rich.markdown import Markdown
    from rich.panel import Panel

    return Panel(Markdown(page.text), title=f"[bold]{page.title}[/bold]",
                 subtitle=f"{number}/{total}", title_align="left", expand=True)


def example(run):
    from rich.console import Group
    from rich.text import Text

    header = Text.assemble(("worked example  ", RULE_STYLE), ("$ ", NOTE_STYLE),
                           (run.example.command_line(), EXPR_STYLE))
    parts = [header]
    if run.example.caption:
        parts.append(Text(run.example.caption, style="italic"))
    parts.append(run.view.to_rich(run.result))
    return Group(*parts)


def example_failed(example, message: str):
    from rich.text import Text

    return Text.assemble(("worked example  ", RULE_STYLE), ("$ ", NOTE_STYLE),
                         (example.command_line(), EXPR_STYLE), "\n", (message, NOTE_STYLE))


def problem(problem, label: str, *, review: bool = False, lesson_title: str = "",
            recall: float | None = None):
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    from calctutor.lessons.schema import TASKS

    title = f"Exercise {label}"
    if review:
        title += f"{sep()}review: {lesson_title}"
    sub = f"skill: {problem.exercise.skill}" + (
        f"{sep()}recall {recall:.0%}" if recall is not None else "")
    body = Group(Markdown(problem.statement),
                 Text(f"Type {TASKS[problem.task]}.", style=NOTE_STYLE))
    return Panel(body, title=f"[bold]{title}[/bold]", subtitle=sub, title_align="left",
                 border_style="yellow" if review else "blue")


def question(text: str):
    from rich.markdown import Markdown

    return Markdown(text)


def note(text: str):
    from rich.text import Text

    return Text(text, style=NOTE_STYLE)


def help_text(problem):
    from rich.text import Text

    return Text.assemble(
        ("Type your answer in calctutor's syntax (", NOTE_STYLE), ("3x^2 cos(x^3)", EXPR_STYLE),
        (", ", NOTE_STYLE), ("[2x, 3]", EXPR_STYLE), (" for a vector), or a command:\n", NOTE_STYLE),
        ("  hint", "bold"), ("      the next hint (rule, first step, full solution)\n", NOTE_STYLE),
        ("  skip", "bold"), ("      move on (it comes back later)\n", NOTE_STYLE),
        ("  solution", "bold"), ("  the worked solution\n", NOTE_STYLE),
        ("  quit", "bold"), ("      end the lesson (your progress is saved)", NOTE_STYLE),
    )


def parse_error(exc):
    from rich.text import Text

    shown, caret = exc.caret_lines()
    text = Text.assemble(("I could not read that: ", WRONG_STYLE), exc.message, "\n  ",
                         (shown, EXPR_STYLE), "\n  ", (caret, WRONG_STYLE))
    if exc.hint:
        text.append(f"\nhint: {exc.hint}", style=NOTE_STYLE)
    return text


MISTAKE_NAMES = {
    "missing_chain_factor": "missing chain factor",
    "wrong_outer_derivative": "wrong outer derivative",
    "product_rule": "product rule slip",
    "quotient_rule": "quotient rule slip",
    "power_rule": "power rule slip",
    "sign": "sign slip",
    "exp_rule": "exponential rule slip",
    "log_rule": "logarithm rule slip",
    "constant_rule": "constant rule slip",
    "wrong_order": "wrong order",
    "wrong_variable": "wrong variable",
}


def verdict(grade, what: str = ""):
    from rich.text import Text

    prefix = f"{what}: " if what else ""
    if grade.correct:
        text = Text.assemble(("✓ ", RESULT_STYLE), (prefix, "bold"), (grade.message, RESULT_STYLE))
    else:
        text = Text.assemble(("✗ ", WRONG_STYLE), (prefix, "bold"))
        label = MISTAKE_NAMES.get(grade.mistake or "")
        if label:
            text.append(f"[{label}] ", style=WRONG_STYLE)
        text.append(grade.message)
    for line in grade.notes:
        text.append("\n  " + line, style=NOTE_STYLE)
    return text


def explain(text: str):
    from rich.markdown import Markdown
    from rich.padding import Padding

    return Padding(Markdown(text), (0, 0, 0, 2))


def skipped(problem):
    from rich.text import Text

    return Text.assemble(("skipped — ", NOTE_STYLE), ("it will come back later. ", NOTE_STYLE),
                         ("Answer: ", NOTE_STYLE), (problem.expected_text, EXPR_STYLE))


def hint(hint, used: int | None, total: int | None):
    from rich.console import Group
    from rich.markdown import Markdown
    from rich.panel import Panel
    from rich.text import Text

    parts = []
    if hint.text:
        parts.append(Markdown(hint.text))
    if hint.step is not None:
        parts.append(first_step(hint.step))
    if hint.run is not None:
        parts.append(Text.assemble(("$ ", NOTE_STYLE), (hint.run.example.command_line(), EXPR_STYLE)))
        parts.append(hint.run.view.to_rich(hint.run.result))
    for line in hint.lines:
        parts.append(Markdown(line))
    title = hint.title if used is None else f"{hint.title} (hint {used}/{total})"
    return Panel(Group(*parts), title=f"[bold]{title}[/bold]", title_align="left",
                 border_style=RULE_STYLE)


def first_step(step):
    """The top rule of a derivation and what it asks for next (one level deep)."""
    from rich.text import Text

    from calctutor.parsing import to_input

    text = Text.assemble((step.rule, RULE_STYLE), " on ", (to_input(step.expr), EXPR_STYLE))
    if step.explanation:
        text.append(f"\n{step.explanation}", style=NOTE_STYLE)
    if step.key == "chain" and step.children:
        outer, inner = step.children
        text.append(f"\nlet {step.variable} = ")
        text.append(to_input(step.inner), style=EXPR_STYLE)
        text.append(f"\n  outer: d/d{step.variable} ")
        text.append(to_input(outer.expr), style=EXPR_STYLE)
        text.append(" = ")
        text.append(to_input(outer.result), style=RESULT_STYLE)
        text.append(f"\n  inner: d/d{inner.wrt} ")
        text.append(to_input(inner.expr), style=EXPR_STYLE)
        text.append(" = ?   then multiply the two (the outer one written in "
                    f"{inner.wrt})")
        return text
    for child in step.children:
        text.append(f"\n  d/d{child.wrt} ")
        text.append(to_input(child.expr), style=EXPR_STYLE)
        text.append(" = ?")
    if not step.children:
        text.append("\n  = ")
        text.append(to_input(step.result), style=RESULT_STYLE)
    return text


def graph_forward(result):
    """The forward pass of a backprop exercise: each node's value at the point."""
    from rich.table import Table

    from calctutor.parsing import to_input

    table = Table(title="forward pass", title_justify="left")
    table.add_column("node", style="bold")
    table.add_column("definition", style=EXPR_STYLE)
    table.add_column("value", justify="right", style=RESULT_STYLE)
    graph = result.graph
    for node in graph.nodes:
        if node.op == "const" or not node.name:
            continue
        value = result.value(node.index)
        table.add_row(node.name, "input" if node.op == "input" else to_input(graph.definition(node.index)),
                      format_number(value, 10))
    return table


def summary(report):
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    table = Table(show_header=True, header_style="bold", expand=False)
    table.add_column("#", justify="right", style=NOTE_STYLE)
    table.add_column("exercise")
    table.add_column("result")
    table.add_column("tries", justify="right")
    table.add_column("hints", justify="right")
    table.add_column("slips", style=WRONG_STYLE)
    for i, o in enumerate(report.outcomes, 1):
        if o.status == "correct":
            result = Text("✓ first try" if o.first_try else "✓ right", style=RESULT_STYLE)
        else:
            result = Text(STATUS_TEXT.get(o.status, o.status), style=NOTE_STYLE)
        slips = ", ".join(dict.fromkeys(MISTAKE_NAMES.get(m, m) for m in o.mistakes if m != "unknown"))
        name = o.exercise + (" (review)" if o.review else "")
        table.add_row(str(i), name, result, str(o.tries), str(o.hints), slips)
    lines = Text()
    lines.append(f"{report.correct} of {len(report.outcomes)} exercises answered right.")
    if report.mastery is not None:
        lines.append(f"  Mastery of {report.lesson}: ")
        lines.append(f"{_bar(report.mastery)} {report.mastery:.0%}", style=RESULT_STYLE)
    if report.quit and report.stored:
        lines.append("\nStopped early — everything you answered is saved.", style=NOTE_STYLE)
    elif report.quit:
        lines.append("\nStopped early.", style=NOTE_STYLE)
    missed = [o for o in report.outcomes if o.status != "correct"]
    if missed:
        lines.append("\nMissed exercises come back in your next sessions.", style=NOTE_STYLE)
    if not report.stored:
        lines.append("\n(progress not recorded)", style=NOTE_STYLE)
    from rich.console import Group

    return Panel(Group(table, lines), title=f"[bold]Summary: {report.title}[/bold]",
                 title_align="left", expand=False)


def summary_plain(report) -> str:
    lines = [f"Summary: {report.title}"]
    for i, o in enumerate(report.outcomes, 1):
        lines.append(f"  {i}. {o.exercise}: {STATUS_TEXT.get(o.status, o.status)}, "
                     f"tries {o.tries}, hints {o.hints}")
    lines.append(f"{report.correct} of {len(report.outcomes)} right")
    return "\n".join(lines)
