"""The terminal is resized (SIGWINCH, a new pty size) while the REPL waits at its prompt,
while a line is half typed, while a line is being worked on, and during a lesson: the
session keeps answering, with the right derivative and its history intact."""

from __future__ import annotations

import time

import pexpect
import pytest
from conftest import spawn_lesson
from test_repl_e2e import ANSI, Repl

from calctutor.lessons.loader import load_lesson
from calctutor.lessons.templates import draw

pytestmark = pytest.mark.e2e
SIZES = [(24, 80), (50, 160), (10, 40), (40, 100)]  # (rows, columns), the last one = start


def resize_all(child) -> None:
    for rows, cols in SIZES:
        child.setwinsize(rows, cols)


def test_resizes_at_the_prompt_mid_line_and_mid_work_leave_a_working_repl(tmp_path):
    repl = Repl(tmp_path)
    resize_all(repl.child)  # while it waits for the first line
    repl.line("a = x^3")
    repl.prompt()
    resize_all(repl.child)
    repl.send("sin(")  # half a line typed, then the window changes
    repl.expect("sin(")
    resize_all(repl.child)
    repl.send("x^2)\r")
    resize_all(repl.child)  # while the derivative is being worked out
    seen = repl.expect("paste back")
    assert "chain rule" in seen
    repl.prompt()
    resize_all(repl.child)
    repl.line("a")  # the name defined before the resizes is still there
    assert "d/dx x^3" in repl.expect("paste back")
    pasted = repl.prompt().split("\n")[0]  # the paste-back line: the answer as typed
    assert pasted.replace(" ", "").replace("*", "").strip("│ \r").endswith("3x^2"), pasted
    repl.send("\x1b[A")  # Up recalls the last line, as typed
    repl.expect("a")
    repl.send("\x1b[A")
    repl.expect("sin(x^2)")
    resize_all(repl.child)  # a recalled line survives a resize too
    repl.send("\r")
    assert "chain rule" in repl.expect("paste back")
    repl.prompt()
    repl.child.setwinsize(12, 40)  # a narrow window: the reply is drawn to fit it
    repl.line("a")
    reply = repl.expect("paste back")
    assert "d/dx x^3" in reply
    assert max(len(line.rstrip("\r")) for line in reply.split("\n")[1:]) <= 40, reply
    repl.prompt()
    assert repl.close() == 0


def test_resizes_while_a_slow_line_is_graded_in_the_worker(tmp_path):
    repl = Repl(tmp_path)
    repl.line("b = x^4")
    repl.prompt()
    # grading a wrong answer to this takes a few seconds (witnesses and the diagnosis)
    repl.line(":check sin(x)*exp(x) + sin(2x)*exp(x/2) + x^3 cos(x) ; 0")
    for _ in range(8):
        resize_all(repl.child)
        time.sleep(0.15)
    seen = repl.expect("Not quite")
    assert "Traceback" not in seen and "stopped" not in seen
    repl.prompt()
    repl.line("b")
    assert "d/dx x^4" in repl.expect("paste back")
    pasted = repl.prompt().split("\n")[0]
    assert pasted.replace(" ", "").replace("*", "").strip("│ \r").endswith("4x^3"), pasted
    assert repl.close() == 0


def test_history_written_across_resizes_is_complete(tmp_path):
    first = Repl(tmp_path)
    for line in (":parse x^5", ":parse x^6"):
        resize_all(first.child)
        first.line(line)
        first.expect("expression tree")
        first.prompt()
    assert first.close() == 0
    history = (tmp_path / "repl_history").read_text(encoding="utf-8")
    assert history.index(":parse x^5") < history.index(":parse x^6")


def test_a_lesson_keeps_going_through_resizes(tmp_path):
    seed = 5
    first = draw("chain-rule", load_lesson("chain-rule").exercise("sin-linear"), seed)
    child, log = spawn_lesson(tmp_path, seed)
    try:
        child.expect_exact("The chain rule")
        child.expect_exact("> ")
        resize_all(child)  # while the learner reads the first page
        child.sendline("exercises")
        child.expect_exact("Exercise 1/6")
        child.expect_exact("answer> ")
        resize_all(child)
        child.send("0")  # a wrong answer half typed, resized, then sent
        resize_all(child)
        child.send("\r")
        child.expect_exact("answer> ")
        resize_all(child)
        child.sendline(first.expected_text)
        resize_all(child)  # while it is graded
        child.expect_exact("Correct")
        child.expect_exact("Exercise 2/6")
        child.expect_exact("> ")
        resize_all(child)
        child.sendline("quit")
        child.expect_exact("Summary")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pytest.fail("the lesson did not survive the resizes; terminal log:\n"
                    + ANSI.sub("", str(log)))
    child.close()
    assert child.exitstatus == 0, ANSI.sub("", str(log))
    assert "Traceback" not in str(log)
