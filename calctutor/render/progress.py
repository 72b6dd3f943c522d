"""Renderers for :class:`calctutor.commands.progress.ProgressResult`."""

from __future__ import annotations

from calctutor.commands.progress import ProgressResult
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, WRONG_STYLE


def _stats_json(s) -> dict:
    return {"name": s.name, "attempts": s.attempts, "correct": s.correct, "mastery": s.mastery,
            "checkpoints": s.checkpoints}


def to_json(result: ProgressResult) -> dict:
    return {
        "lessons": [dict(_stats_json(s), title=result.titles.get(s.name, s.name))
                    for s in result.lessons],
        "skills": [_stats_json(s) for s in result.skills],
        "due": [{"lesson": d.lesson, "exercise": d.exercise, "box": d.box} for d in result.due],
        "attempts": result.total_attempts,
        "database": result.database,
    }


def _bar(fraction: float, width: int = 12, ascii_only: bool = False) -> str:
    full = round(max(0.0, min(1.0, fraction)) * width)
    on, off = ("#", ".") if ascii_only else ("█", "░")
    return on * full + off * (width - full)


def to_plain(result: ProgressResult) -> str:
    width = max([len(s.name) for s in result.lessons] + [6])
    lines = [f"{'lesson':<{width}}  attempts  correct  mastery"]
    for s in result.lessons:
        lines.append(f"{s.name:<{width}}  {s.attempts:>8}  {s.correct:>7}  "
                     f"{_bar(s.mastery, 10, True)} {s.mastery:.0%}")
    if result.skills:
        lines += ["", "skills:"]
        for s in result.skills:
            lines.append(f"  {s.name:<{width}}  {s.correct}/{s.attempts} right, mastery {s.mastery:.0%}")
    if result.due:
        lines += ["", "due for review: " + ", ".join(f"{d.lesson}/{d.exercise}" for d in result.due)]
    if not result.total_attempts:
        lines += ["", "No attempts yet: start with `calctutor lesson slopes-and-limits`."]
    return "\n".join(lines)


def to_rich(result: ProgressResult):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Your progress", title_justify="left")
    table.add_column("lesson", style=EXPR_STYLE, no_wrap=True)
    table.add_column("attempts", justify="right")
    table.add_column("correct", justify="right")
    table.add_column("mastery", no_wrap=True)
    for s in result.lessons:
        style = RESULT_STYLE if s.mastery >= 0.5 else ("yellow" if s.mastery > 0 else NOTE_STYLE)
        table.add_row(s.name, str(s.attempts) if s.attempts else "—",
                      str(s.correct) if s.attempts else "—",
                      Text.assemble((_bar(s.mastery), style), f" {s.mastery:.0%}"))
    parts = [table]
    if result.skills:
        skills = Table(title="by skill", title_justify="left")
        skills.add_column("skill", style="bold")
        skills.add_column("right", justify="right")
        skills.add_column("mastery", no_wrap=True)
        for s in result.skills:
            skills.add_row(s.name, f"{s.correct}/{s.attempts}",
                           Text.assemble((_bar(s.mastery, 8), RESULT_STYLE), f" {s.mastery:.0%}"))
        parts.append(skills)
    if result.recent:
        trail = Text("recent answers (newest first): ", style=NOTE_STYLE)
        for a in result.recent:
            trail.append("✓" if a["correct"] else "✗", style=RESULT_STYLE if a["correct"] else WRONG_STYLE)
        parts.append(trail)
    if result.due:
        due = Text("due for review: ", style=NOTE_STYLE)
        due.append(", ".join(f"{d.lesson}/{d.exercise}" for d in result.due), style=EXPR_STYLE)
        parts.append(due)
    if not result.total_attempts:
        parts.append(Text.assemble(("No attempts yet: start with ", NOTE_STYLE),
                                   ("calctutor lesson slopes-and-limits", EXPR_STYLE)))
    return Group(*parts)
