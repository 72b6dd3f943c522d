"""``calctutor progress``: attempts, correct answers and mastery per lesson and per skill,
and each skill's review schedule (when it is due, how likely it is recalled now)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from calctutor.progress import SkillSchedule, Stats

__all__ = ["ProgressResult", "run_progress"]


@dataclass(frozen=True)
class ProgressResult:
    lessons: tuple[Stats, ...]
    skills: tuple[Stats, ...]
    titles: dict[str, str] = field(default_factory=dict)
    recent: tuple[dict, ...] = ()  # the last attempts, newest first
    due: tuple = ()  # exercises due for review (calctutor.progress.Due)
    database: str = ""
    total_attempts: int = 0
    schedule: tuple[SkillSchedule, ...] = ()  # every reviewed skill, soonest due first
    now: datetime | None = None  # when the schedule was read (UTC)


def run_progress(recent: int = 8) -> ProgressResult:
    from calctutor.lessons.loader import load_lessons
    from calctutor.progress import ProgressStore

    lessons = load_lessons()
    catalog = {lesson.slug: [e.id for e in lesson.exercises] for lesson in lessons}
    skills: dict[str, list[str]] = {}
    for lesson in lessons:
        for e in lesson.exercises:
            skills.setdefault(e.skill, []).append(f"{lesson.slug}/{e.id}")
    now = datetime.now(timezone.utc)
    with ProgressStore() as store:
        schedule = tuple(store.schedule(now.timestamp()))
        lesson_stats = tuple(store.lesson_stats(catalog))
        skill_stats = tuple(s for s in store.skill_stats(skills) if s.attempts or s.mastery)
        attempts = store.attempts()
        due = tuple(store.due(limit=5, now=now.timestamp(), within=0))
        path = str(store.path)
    last = tuple(reversed([a for a in attempts if a["kind"] != "checkpoint"][-recent:]))
    return ProgressResult(lesson_stats, skill_stats,
                          {lesson.slug: lesson.title for lesson in lessons}, last, due, path,
                          sum(1 for a in attempts if a["kind"] != "checkpoint"), schedule, now)
