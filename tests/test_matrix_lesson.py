"""The matrix-calculus lesson: every exercise draws, its expected answer is graded right,
the classic slips are caught, the worked solution runs, and a session grades typed answers."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from calctutor.lessons.loader import load_lesson
from calctutor.lessons.practice import HintBook, grade_answer
from calctutor.lessons.templates import draw
from calctutor.progress import ProgressStore
from calctutor.termio import StreamIO
from calctutor.tutor.examples import run_example
from calctutor.tutor.session import run_lesson

LESSON = load_lesson("matrix-calculus")
IDS = [ex.id for ex in LESSON.exercises]


def problem(exercise_id: str, seed: int = 0):
    return draw("matrix-calculus", LESSON.exercise(exercise_id), seed)


@pytest.mark.parametrize("exercise_id", IDS)
def test_expected_answer_is_graded_right(exercise_id):
    p = problem(exercise_id)
    grade = grade_answer(p, p.expected_text)
    assert grade.correct, (exercise_id, p.expected_text, grade.message)


@pytest.mark.parametrize("exercise_id,answer,expect", [
    ("quadratic-form", "2 A x", "right only when A is symmetric"),
    ("quadratic-form", "A x + A^T x", None),
    ("quadratic-form-symmetric", "2 S x", None),
    ("trace", "A", "transpose"),
    ("least-squares", "2 X^T X w - 2 X^T y", None),
    ("least-squares", "X^T (X w - y)", "constant factor"),
    ("softmax-cross-entropy", "softmax(z) - y", None),
    ("softmax-cross-entropy", "y - softmax(z)", "sign"),
    ("dense-layer-weights", "2 (W x + b - y) x^T", None),
    ("dense-layer-weights", "2 (W x + b - y)", "your answer is m×1 but"),
    ("norm", "x / ||x||", None),
])
def test_answers_and_slips(exercise_id, answer, expect):
    grade = grade_answer(problem(exercise_id), answer)
    if expect is None:
        assert grade.correct, grade.message
    else:
        assert not grade.correct and expect in grade.message, grade.message


def test_a_shape_error_in_an_answer_is_a_parse_error_with_a_caret():
    from calctutor.errors import ParseError

    with pytest.raises(ParseError, match="2 x\\^T is 1×n but \\(W x \\+ b - y\\) has m rows"):
        grade_answer(problem("dense-layer-weights"), "2 x^T (W x + b - y)")


def test_solution_is_a_matrix_example_that_runs():
    p = problem("least-squares")
    example, answer = HintBook(p).solution()
    assert example.command == "matgrad" and "2 X^T (X w - y)" in answer
    run = run_example(example)
    assert run.result.check.ok
    assert "least squares" in run.view.to_plain(run.result)


def test_statement_names_the_shapes():
    p = problem("quadratic-form")
    assert "x^T A x" in p.statement and "A: matrix n×n" in p.statement


def test_a_session_grades_matrix_answers(tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, emoji=False)
    first = problem(IDS[0], 3)
    lines = ["a^T", first.expected_text, "quit"]
    stream = io.StringIO("".join(line + "\n" for line in lines))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        report = run_lesson("matrix-calculus", 3, StreamIO(stream, console), store=store)
    text = out.getvalue()
    assert "wrong layout" in text or "transpose" in text
    assert report.outcomes[0].status == "correct" and report.outcomes[0].tries == 2


def test_matrix_task_is_one_kind_with_its_own_fields():
    from calctutor.lessons.schema import TASKS
    from calctutor.lessons.tasks import KINDS, MatrixGradient

    assert isinstance(KINDS["matrix-gradient"], MatrixGradient)
    assert TASKS["matrix-gradient"] == MatrixGradient.answer
    ex = LESSON.exercise("quadratic-form")
    assert ex.task == "matrix-gradient" and ex.shapes == ("x=n", "A=nxn")


def test_worked_example_command_line_repeats_shape():
    p = problem("least-squares")
    example, _ = HintBook(p).solution()
    line = example.command_line()
    assert line.startswith('calctutor grad "||X w - y||^2" --wrt w')
    assert line.count("--shape ") == 3 and "--shape X=mxn" in line and "matgrad" not in line


def test_example_renderer_comes_from_the_declaration():
    from calctutor import interface

    example, _ = HintBook(problem("trace")).solution()
    run = run_example(example)
    assert run.view is interface.command("matgrad").renderer()
    assert run.view.__name__ == "calctutor.render.matrix"


def test_a_shape_with_a_comma_is_one_value_in_a_lesson_example():
    from calctutor.lessons.schema import Example

    example = Example("matgrad", "x^T A x", {"wrt": "x", "shapes": ["x=n", "A=nxn,sym"]})
    run = run_example(example)
    assert "2 A x" in run.view.to_plain(run.result)
    assert "--shape A=nxn,sym" in example.command_line()


def test_a_matgrad_example_without_shapes_is_a_lesson_error():
    from calctutor.lessons import schema

    checker = schema._Checker("lessons/m.toml")
    raw = {"command": "matgrad", "expr": "x^T x", "wrt": "x"}
    with pytest.raises(schema.LessonError, match="needs shapes"):
        schema._example(checker, raw, "pages[0].examples[0]")
    with pytest.raises(schema.LessonError, match="examples\\[0\\].expr"):
        schema._example(checker, {**raw, "shapes": ["x=2", "A=3x3"], "expr": "A x"},
                        "pages[0].examples[0]")
