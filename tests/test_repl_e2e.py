"""End-to-end: the installed ``calctutor repl`` in a pseudo-terminal, driven with pexpect.

Each test waits for what the learner would see, then for the prompt ``> ``. On a timeout
the whole log is dumped (pgcli style). Timeouts are generous: the first SymPy import on a
slow CI machine can take many seconds.
"""

from __future__ import annotations

import os
import re

import pexpect
import pytest
from conftest import calctutor_command

pytestmark = pytest.mark.e2e
TIMEOUT = 30
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")


def command() -> list[str]:
    return [*calctutor_command(), "repl"]


class Repl:
    def __init__(self, home, *args: str, term: str = "xterm") -> None:
        env = dict(os.environ, CALCTUTOR_HOME=str(home), TERM=term, PROMPT_TOOLKIT_NO_CPR="1",
                   COLUMNS="100", LINES="40")
        env.pop("NO_COLOR", None)
        argv = command() + list(args)
        self.child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8",
                                   timeout=TIMEOUT, dimensions=(40, 100))
        self.log: list[str] = []
        self.prompt()

    def expect(self, text: str) -> str:
        """Wait for ``text`` as displayed: colour codes may sit between its characters
        (the input line is syntax-highlighted)."""
        pattern = "(?:" + ANSI.pattern + ")*"
        try:
            self.child.expect(pattern.join(re.escape(ch) for ch in text))
        except (pexpect.TIMEOUT, pexpect.EOF):
            pytest.fail(f"did not see {text!r}; the session so far:\n"
                        + ANSI.sub("", "".join(self.log) + str(self.child.before)))
        seen = self.child.before + self.child.after
        self.log.append(seen)
        return ANSI.sub("", seen)

    def prompt(self) -> str:
        return self.expect("> ")

    def send(self, text: str) -> None:
        self.child.send(text)

    def line(self, text: str) -> None:
        self.child.send(text + "\r")

    def close(self) -> int:
        self.send("\x04")
        try:
            self.child.expect(pexpect.EOF)
        except pexpect.TIMEOUT:
            pytest.fail("Ctrl-D did not end the session:\n" + ANSI.sub("", "".join(self.log)))
        self.child.close()
        return self.child.exitstatus


def test_type_a_function_and_see_its_steps(tmp_path):
    repl = Repl(tmp_path)
    repl.line("x^2 sin x")
    seen = repl.expect("paste back")
    assert "product rule" in seen and "power rule" in seen
    repl.prompt()
    repl.line("d/dx sin(x^2)")
    assert "chain rule" in repl.expect("paste back")
    repl.prompt()
    assert repl.close() == 0


def test_bad_input_shows_a_caret_and_the_prompt_comes_back(tmp_path):
    repl = Repl(tmp_path)
    repl.line(":parse 2x +* 1")
    seen = repl.expect("^")
    assert "error:" in seen and "2x +* 1" in seen
    repl.prompt()
    repl.line(":parse x^3")
    assert "x^3" in repl.expect("expression tree")
    repl.prompt()
    assert repl.close() == 0


def test_ctrl_c_cancels_the_line_and_ctrl_d_leaves_with_zero(tmp_path):
    repl = Repl(tmp_path)
    repl.send("sin(x")
    repl.expect("sin(x")
    repl.send("\x03")
    repl.prompt()
    repl.line(":parse x^4")
    seen = repl.expect("expression tree")
    assert "error" not in seen and "cos" not in seen  # the cancelled line never ran
    repl.prompt()
    assert repl.close() == 0


def test_history_survives_a_restart(tmp_path):
    first = Repl(tmp_path)
    first.line(":parse x^7 + 1")
    first.expect("expression tree")
    first.prompt()
    assert first.close() == 0
    second = Repl(tmp_path)
    second.send("\x1b[A")  # Up recalls the last line of the previous session
    second.expect("x^7 + 1")
    second.send("\r")
    assert "x^7 + 1" in second.expect("expression tree")
    second.prompt()
    assert second.close() == 0


def test_dumb_terminal_and_plain_output(tmp_path):
    repl = Repl(tmp_path, "--plain", term="dumb")
    repl.line(":parse 1/(x")
    assert "unclosed parenthesis" in repl.expect("^")
    repl.prompt()
    repl.line("quit")
    repl.child.expect(pexpect.EOF)
    repl.child.close()
    assert repl.child.exitstatus == 0
