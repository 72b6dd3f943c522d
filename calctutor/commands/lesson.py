"""``calctutor lesson`` without a name: the list of lessons with the learner's progress.

Running a lesson is interactive, so it is a shell's job: :func:`calctutor.tutor.session.run_lesson`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["LessonRow", "LessonListResult", "run_lesson_list"]


@dataclass(frozen=True)
class LessonRow:
    slug: str
    title: str
    summary: str
    section: int
    exercises: int
    attempts: int = 0
    correct: int = 0
    mastery: float = 0.0


@dataclass(frozen=True)
class LessonListResult:
    rows: tuple[LessonRow, ...]


def run_lesson_list(with_progress: bool = True) -> LessonListResult:
    """Every lesson in teaching order, with attempts, correct answers and mastery."""
    from calctutor.lessons.loader import load_lessons

    lessons = load_lessons()
    stats = {}
    if with_progress:
        from calctutor.progress import ProgressStore

        with ProgressStore() as store:
            catalog = {lesson.slug: [e.id for e in lesson.exercises] for lesson in lessons}
            stats = {s.name: s for s in store.lesson_stats(catalog)}
    rows = []
    for lesson in lessons:
        s = stats.get(lesson.slug)
        rows.append(LessonRow(lesson.slug, lesson.title, lesson.summary, lesson.section,
                              len(lesson.exercises), s.attempts if s else 0,
                              s.correct if s else 0, s.mastery if s else 0.0))
    return LessonListResult(tuple(rows))
