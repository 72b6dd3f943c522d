"""Finding and loading lesson files.

Where the files are: an installed wheel carries the top-level ``lessons/`` directory as
``calctutor/lessons_data`` (``pyproject.toml`` force-includes it), read through
:mod:`importlib.resources`. A source checkout — including hatchling's editable install,
which puts the repository on ``sys.path`` and so imports ``calctutor`` from the tree,
where no ``lessons_data`` exists — falls back to ``<repo>/lessons`` beside the package.
``CALCTUTOR_LESSONS`` names another directory (for authors trying a new lesson).
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from importlib import resources
from importlib.abc import Traversable
from pathlib import Path

from calctutor.errors import CalcError
from calctutor.lessons.schema import Lesson, LessonError, build_lesson

LESSONS_VARIABLE = "CALCTUTOR_LESSONS"


def lessons_root() -> Traversable:
    """The directory holding the lesson files (see the module docstring for the order)."""
    override = os.environ.get(LESSONS_VARIABLE)
    if override:
        return Path(override).expanduser()
    packaged = resources.files("calctutor") / "lessons_data"
    if packaged.is_dir() and any(_lesson_files(packaged)):
        return packaged
    source_tree = Path(__file__).resolve().parents[2] / "lessons"
    if source_tree.is_dir():
        return source_tree
    return packaged


def _lesson_files(root: Traversable) -> list[Traversable]:
    try:
        entries = list(root.iterdir())
    except (FileNotFoundError, NotADirectoryError, OSError):
        return []
    return sorted((e for e in entries if e.name.endswith(".toml") and e.is_file()),
                  key=lambda e: e.name)


def load_file(entry: Traversable | Path) -> Lesson:
    """Read and validate one lesson file."""
    source = f"lessons/{entry.name}"
    try:
        text = entry.read_text(encoding="utf-8")
    except OSError as exc:
        raise LessonError(source, "", f"cannot read the file: {exc.strerror or exc}") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LessonError(source, "", f"not valid TOML: {exc}") from None
    return build_lesson(doc, source, expected_slug=entry.name[: -len(".toml")])


@lru_cache(maxsize=4)
def _load_all(root_key: str) -> tuple[Lesson, ...]:
    root = lessons_root()
    lessons = [load_file(entry) for entry in _lesson_files(root)]
    if not lessons:
        raise CalcError(f"no lesson files found in {root}")
    return tuple(sorted(lessons, key=lambda lesson: (lesson.order, lesson.slug)))


def load_lessons() -> tuple[Lesson, ...]:
    """Every lesson, validated, in teaching order."""
    return _load_all(str(lessons_root()))


def load_lesson(slug: str) -> Lesson:
    """One lesson by slug; a clear error (with suggestions) when there is no such lesson."""
    lessons = load_lessons()
    for lesson in lessons:
        if lesson.slug == slug:
            return lesson
    import difflib

    slugs = [lesson.slug for lesson in lessons]
    close = difflib.get_close_matches(slug, slugs, n=3, cutoff=0.5)
    prefix = [s for s in slugs if s.startswith(slug)] if slug else []
    guesses = close or prefix
    hint = f"did you mean {' or '.join(guesses)}?" if guesses else "run `calctutor lesson` for the list"
    raise CalcError(f"there is no lesson called {slug!r}", hint=hint)
