"""Guided practice: lesson files (data), their loader and validator, seeded exercise
templates, and the grading, checkpoints and hints of one exercise.

- :mod:`schema` — the lesson dataclasses and the validation of one TOML document;
- :mod:`loader` — finding the lesson files (installed package or source tree) and loading them;
- :mod:`templates` — drawing an exercise's parameters and computing its expected answer;
- :mod:`grading_adapter` — the one place that calls the grader;
- :mod:`practice` — grading an exercise's answers, its checkpoints and its hint levels.

The interactive session is a shell, :mod:`calctutor.tutor` (:func:`calctutor.tutor.session.run_lesson`).

The lesson files themselves live in the top-level ``lessons/`` directory of the
repository, installed as ``calctutor/lessons_data``; the schema is in docs/lessons.md.
"""
