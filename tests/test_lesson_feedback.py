"""Lesson feedback that teaches: a wrong value or expression does not give the answer
away, Taylor slips are named, a wrong checkpoint is diagnosed and spoils "first try"."""

from __future__ import annotations

from calctutor.lessons import grading_adapter as grader
from calctutor.lessons.loader import load_lesson
from calctutor.lessons.practice import Outcome, chain_links
from calctutor.lessons.tasks import KINDS
from calctutor.lessons.templates import draw
from calctutor.parsing import parse


def test_a_wrong_number_does_not_reveal_the_right_one():
    found = grader.grade_equal(parse("15/4"), parse("5/2"))
    assert not found.correct
    assert "15/4" not in found.message and "3.75" not in found.message
    found = grader.grade_equal(parse("x^2/2 + x + 1"), parse("x^2 + x + 1"))
    assert not found.correct and "x^2/2" not in found.message and "differs" not in found.message


def _taylor(index):
    lesson = load_lesson("taylor")
    return draw("taylor", lesson.exercises[index], 1)


def test_taylor_slips_are_named():
    problem = _taylor(0)  # exp(2x) about 0, degree 2: 2x^2 + 2x + 1
    assert problem.expected_text == "2*x^2 + 2*x + 1"
    kind = KINDS["taylor"]
    assert "divide the term of degree 2 by 2!" in kind.grade(problem, "4x^2 + 2x + 1").message
    problem = _taylor(2)  # ln(x) about 1
    assert "(x - 1)" in kind.grade(problem, "-x^2/2 + x").message
    assert "by 2!" in kind.grade(problem, "-(x-1)^2 + (x-1)").message


def test_a_wrong_chain_link_is_diagnosed():
    exercise = next(e for e in load_lesson("chain-rule").exercises if e.checkpoints == "chain")
    problem = draw("chain-rule", exercise, 2)  # exp(x^2 + 1)
    inner_link = chain_links(problem)[-1]
    found = inner_link.grade("2x + 1")
    assert not found.correct and found.mistake == "constant_rule"


def test_a_wrong_checkpoint_is_not_a_first_try():
    outcome = Outcome("e", "s", "l", "st", status="correct", tries=1, checkpoint_misses=1)
    assert not outcome.first_try
    assert Outcome("e", "s", "l", "st", status="correct", tries=1).first_try


def test_hint_one_is_never_the_answer_itself():
    from calctutor.lessons.loader import load_lessons
    from calctutor.lessons.practice import HintBook

    checked = 0
    for lesson in load_lessons():
        for exercise in lesson.exercises:
            problem = draw(lesson.slug, exercise, 3)
            first = HintBook(problem).next()
            assert first is not None and first.title != "Solution", (lesson.slug, exercise.id)
            if len(problem.expected_text) > 2:  # "a" is in every sentence
                assert problem.expected_text not in (first.text or ""), (lesson.slug, exercise.id)
            checked += 1
    assert checked > 20


def test_the_first_backprop_exercise_is_not_the_worked_example(tmp_path):
    import io

    from rich.console import Console

    from calctutor.progress import ProgressStore
    from calctutor.termio import StreamIO
    from calctutor.tutor.session import run_lesson

    example = draw("backprop", load_lesson("backprop").exercises[0], 3)
    assert "at w = 3, x = 2" in example.statement  # the draw the example page shows
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, emoji=False)
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        report = run_lesson("backprop", 3, StreamIO(io.StringIO("quit\n"), console), store=store)
    assert report.outcomes[0].statement != example.statement
    assert "at w = 3, x = 2" not in report.outcomes[0].statement


def test_an_exercise_answered_wrong_comes_back_with_new_numbers(tmp_path):
    import io

    from rich.console import Console

    from calctutor.progress import ProgressStore
    from calctutor.termio import StreamIO
    from calctutor.tutor.session import run_lesson

    count = len(load_lesson("chain-rule").exercises)
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, emoji=False)
    lines = ["skip"] * count + ["quit"]
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        report = run_lesson("chain-rule", 5, StreamIO(io.StringIO("\n".join(lines) + "\n"), console),
                            store=store)
    first, again = report.outcomes[0], report.outcomes[count]
    assert again.exercise == first.exercise and again.review
    assert again.statement != first.statement
