"""An answer that still contains d/dx is the question again: it is refused in words, never
graded as 'undefined'; a d/dx in the function is carried out."""

from __future__ import annotations

import pytest
from conftest import run_cli

from calctutor.commands.batch import grade_row
from calctutor.errors import CalcError
from calctutor.lessons.grading_adapter import read_answer


@pytest.mark.parametrize("answer", ["d/dx sin(3x)", "3 d/dx(x^2)", "d/dx(x^3) + 1"])
def test_check_refuses_an_answer_with_d_dx(answer):
    out = run_cli("check", "sin(3x)", answer, "--plain")
    assert out.returncode == 2
    assert "still contains d/dx" in out.stderr
    assert "undefined" not in out.stdout + out.stderr


def test_a_lesson_answer_with_d_dx_is_refused_not_counted():
    with pytest.raises(CalcError, match="still contains d/dx"):
        read_answer("d/dx sin(3x - 2)")


def test_a_batch_row_with_d_dx_is_that_row_s_error():
    doc = grade_row({"id": 1, "function": "x^2", "answer": "d/dx x^2"})
    assert "still contains d/dx" in doc["error"]


def test_a_d_dx_in_the_function_is_carried_out():
    out = run_cli("check", "d/dx x^3", "6x", "--json")
    assert out.returncode == 0
    assert '"function": "3*x^2"' in out.stdout and '"numeric": "equal"' in out.stdout
