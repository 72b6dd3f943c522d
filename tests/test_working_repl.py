"""The REPL's :check takes a multi-line working (Alt-Enter opens it, Enter on an empty
line submits) and grades it line by line."""

from __future__ import annotations

import pytest

from calctutor.errors import CalcError
from calctutor.repl.handlers import handle_line
from calctutor.repl.keys import should_submit
from calctutor.repl.registry import REGISTRY
from calctutor.repl.state import Context, ReplState
from calctutor.repl.transcript import Transcript


@pytest.fixture
def ctx():
    return Context(state=ReplState(), registry=REGISTRY, transcript=Transcript())


def test_enter_on_an_empty_line_submits_a_working():
    assert not should_submit(":check sin(x^2)\n")  # just opened: nothing to grade yet
    assert not should_submit(":check sin(x^2)\ncos(x^2) * d/dx(x^2)")  # next line
    assert should_submit(":check sin(x^2)\ncos(x^2) * d/dx(x^2)\n")  # empty line: submit
    assert should_submit(":check x^2 ; 2x")  # one line as before


def test_a_working_is_graded_line_by_line(ctx):
    (reply,) = handle_line(ctx, ":check sin(x^2)\ncos(x^2) * d/dx(x^2)\ncos(x^2) * 2x^2\n")
    assert reply.view.__name__ == "calctutor.render.working"
    assert [l.status for l in reply.result.lines] == ["right", "wrong"]
    assert reply.result.lines[1].mistake == "power_rule"


def test_the_first_line_may_follow_a_semicolon_or_an_equals(ctx):
    (reply,) = handle_line(ctx, ":check sin(x^2) ; cos(x^2) * d/dx(x^2)\n2x cos(x^2)\n")
    assert reply.result.correct
    (reply,) = handle_line(ctx, ":check d/dx sin(x^2) = cos(x^2) * d/dx(x^2)\n-2x cos(x^2)")
    assert [l.status for l in reply.result.lines] == ["right", "wrong"]
    assert reply.result.lines[1].mistake == "sign"


def test_an_unreadable_line_is_reported_not_raised(ctx):
    (reply,) = handle_line(ctx, ":check sin(x^2)\n2x cos(x^2\n")
    assert [l.status for l in reply.result.lines] == ["unreadable"]
    assert "parenthesis" in reply.result.lines[0].message
