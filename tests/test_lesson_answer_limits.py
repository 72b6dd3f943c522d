"""A lesson grades each answer under the watchdog: a runaway answer is stopped at the
budget and Ctrl-C cancels that answer only — the lesson, its pace and its progress go on."""

from __future__ import annotations

import io
import textwrap
import time

import pexpect
import pytest
from conftest import spawn_lesson
from rich.console import Console

from calctutor import watchdog
from calctutor.lessons.loader import load_lesson
from calctutor.lessons.templates import draw
from calctutor.progress import ProgressStore
from calctutor.termio import StreamIO
from calctutor.tutor import session as tutor

SEED = 5
MARKER = "99*x"  # an answer the patched grader treats as pathological


def _first():
    return draw("chain-rule", load_lesson("chain-rule").exercise("sin-linear"), SEED)


def _lesson(lines, tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, emoji=False)
    stream = io.StringIO("".join(line + "\n" for line in lines))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        report = tutor.run_lesson("chain-rule", SEED, StreamIO(stream, console), store=store)
        attempts = store.attempts()
    return report, out.getvalue(), attempts


def _patch_grader(monkeypatch, pathological):
    real = tutor.grade_answer

    def grading(problem, text):
        if text == MARKER:
            pathological()
        return real(problem, text)

    monkeypatch.setattr(tutor, "grade_answer", grading)


def test_an_answer_past_the_budget_is_stopped_and_the_lesson_goes_on(monkeypatch, tmp_path):
    _patch_grader(monkeypatch, lambda: pow(7, 10**10))  # one C call: only a kill stops it
    monkeypatch.setattr(watchdog, "budget", lambda: 1.0)
    first = _first()
    report, text, attempts = _lesson([MARKER, first.expected_text, "quit"], tmp_path)
    assert "stopped after 1 s" in text
    assert "Correct" in text
    assert report.outcomes[0].status == "correct"
    assert report.outcomes[0].tries == 1  # the stopped answer was not counted
    assert [(a["exercise"], a["correct"]) for a in attempts] == [("sin-linear", 1)]


def test_ctrl_c_while_grading_cancels_that_answer_only(monkeypatch, tmp_path):
    def interrupted():
        raise KeyboardInterrupt

    _patch_grader(monkeypatch, interrupted)
    first = _first()
    report, text, attempts = _lesson([MARKER, first.expected_text, "quit"], tmp_path)
    assert "Stopped grading that answer" in text
    assert "Correct" in text and not report.outcomes[0].mistakes
    assert [(a["exercise"], a["correct"]) for a in attempts] == [("sin-linear", 1)]


SLOW_GRADER = textwrap.dedent(f"""
    import time
    import calctutor.tutor.session as tutor
    _real = tutor.grade_answer
    def _grading(problem, text):
        if text == {MARKER!r}:
            time.sleep(60)  # a slow answer, long enough to press Ctrl-C
        return _real(problem, text)
    tutor.grade_answer = _grading
""")


@pytest.mark.e2e
def test_ctrl_c_in_a_terminal_cancels_the_slow_answer_not_the_lesson(tmp_path):
    (tmp_path / "sitecustomize.py").write_text(SLOW_GRADER, encoding="utf-8")
    first = _first()
    child, seen = spawn_lesson(tmp_path / "home", SEED, PYTHONPATH=str(tmp_path))
    try:
        child.expect_exact("> ")
        child.sendline("exercises")
        child.expect_exact("answer> ")
        child.sendline(MARKER)
        child.expect(r"\r\n")  # the answer was taken; grading is under way
        time.sleep(1.5)
        child.sendintr()
        child.expect_exact("Stopped grading that answer")
        child.expect_exact("answer> ")
        child.sendline(first.expected_text)
        child.expect_exact("Correct")
        child.expect_exact("> ")
        child.sendline("quit")
        child.expect_exact("Summary")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pytest.fail("the lesson did not go on after Ctrl-C; terminal log:\n" + str(seen))
    finally:
        child.close()
    assert child.exitstatus == 0, str(seen)




def test_errors_cross_back_from_a_worker_whole():
    """A parse error raised in the grading worker keeps its caret (it is re-raised here)."""
    from calctutor.errors import ParseError
    from calctutor.parsing import parse

    with pytest.raises(ParseError) as caught:
        watchdog.call(parse, "2x +* 3", seconds=30)
    assert caught.value.position == 4 and "^" in caught.value.render()

