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
            assert problem.expected_text not in (first.text or ""), (lesson.slug, exercise.id)
            checked += 1
    assert checked > 20
