"""Renderers for :class:`calctutor.commands.progress.ProgressResult`."""

from __future__ import annotations

from datetime import datetime, timezone

from calctutor.commands.progress import ProgressResult
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, WRONG_STYLE


def _stats_json(s) -> dict:
    return {"name": s.name, "attempts": s.attempts, "correct": s.correct, "mastery": s.mastery,
            "checkpoints": s.checkpoints}


def _iso(moment) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds")


def to_json(result: ProgressResult) -> dict:
    by_skill = {sc.skill: sc for sc in result.schedule}
    skills = []
    for s in result.skills:
        row = _stats_json(s)
        if s.name in by_skill:
            row.update(due=_iso(by_skill[s.name].due),
                       retrievability=by_skill[s.name].retrievability)
        skills.append(row)
    now = result.now or datetime.now(timezone.utc)
    return {
        "lessons": [dict(_stats_json(s), title=result.titles.get(s.name, s.name))
                    for s in result.lessons],
        "skills": skills,
        "due": [{"skill": sc.skill, "due": _iso(sc.due), "due_now": sc.is_due(now),
                 "retrievability": sc.retrievability, "state": sc.state.lower(),
                 "stability_days": None if sc.stability is None else round(sc.stability, 4)}
                for sc in result.schedule],
        "retrievability": {sc.skill: sc.retrievability for sc in result.schedule},
        "practise": [{"lesson": d.lesson, "exercise": d.exercise, "skill": d.skill}
                     for d in result.due],
        "attempts": result.total_attempts,
        "database": result.database,
        "now": _iso(now),
    }


def when(due, now) -> str:
    """``now`` for a review already due, else ``in 3 days (2026-12-04 10:00 UTC)``."""
    if due <= now:
        return "now"
    seconds = (due - now).total_seconds()
    for size, unit in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = round(seconds / size)
            break
    else:
        n, unit = 1, "minute"
    stamp = due.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return f"in {n} {unit}{'s' if n != 1 else ''} ({stamp})"


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
    if result.schedule:
        now = result.now or datetime.now(timezone.utc)
        swidth = max(len(sc.skill) for sc in result.schedule)
        lines += ["", "review schedule (recall = chance you still remember it now):"]
        for sc in result.schedule:
            lines.append(f"  {sc.skill:<{swidth}}  recall {sc.retrievability:>4.0%}  "
                         f"due {when(sc.due, now)}")
    if result.due:
        lines += ["", "practise now: " + ", ".join(f"{d.lesson}/{d.exercise}" for d in result.due)]
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
    if result.schedule:
        now = result.now or datetime.now(timezone.utc)
        review = Table(title="review schedule", title_justify="left",
                       caption="recall: the chance you still remember the skill now (FSRS)",
                       caption_justify="left")
        review.add_column("skill", style="bold")
        review.add_column("recall", justify="right")
        review.add_column("due")
        for sc in result.schedule:
            due_text = when(sc.due, now)
            review.add_row(sc.skill, f"{sc.retrievability:.0%}",
                           Text(due_text, style=WRONG_STYLE if due_text == "now" else NOTE_STYLE))
        parts.append(review)
    if result.due:
        due = Text("practise now: ", style=NOTE_STYLE)
        due.append(", ".join(f"{d.lesson}/{d.exercise}" for d in result.due), style=EXPR_STYLE)
        parts.append(due)
    if not result.total_attempts:
        parts.append(Text.assemble(("No attempts yet: start with ", NOTE_STYLE),
                                   ("calctutor lesson slopes-and-limits", EXPR_STYLE)))
    return Group(*parts)
