"""``calctutor progress``: attempts, correct answers and mastery per lesson and per skill."""

from __future__ import annotations

from dataclasses import dataclass, field

from calctutor.progress import Stats

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


def run_progress(recent: int = 8) -> ProgressResult:
    from calctutor.lessons.loader import load_lessons
    from calctutor.progress import ProgressStore

    lessons = load_lessons()
    catalog = {lesson.slug: [e.id for e in lesson.exercises] for lesson in lessons}
    skills: dict[str, list[str]] = {}
    for lesson in lessons:
        for e in lesson.exercises:
            skills.setdefault(e.skill, []).append(f"{lesson.slug}/{e.id}")
    with ProgressStore() as store:
        lesson_stats = tuple(store.lesson_stats(catalog))
        skill_stats = tuple(s for s in store.skill_stats(skills) if s.attempts or s.mastery)
        attempts = store.attempts()
        due = tuple(store.due(limit=5))
        path = str(store.path)
    last = tuple(reversed([a for a in attempts if a["kind"] != "checkpoint"][-recent:]))
    return ProgressResult(lesson_stats, skill_stats,
                          {lesson.slug: lesson.title for lesson in lessons}, last, due, path,
                          sum(1 for a in attempts if a["kind"] != "checkpoint"))
