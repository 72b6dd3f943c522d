"""The REPL survives what a learner's keyboard and terminal can throw at it: control
characters, escape sequences, huge pastes, a slow line killed by the watchdog (names and
history kept), a broken history file, a dumb terminal, a non-terminal stdin, and a lesson
that is not cut off by the per-line limit."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from calctutor.repl import handlers, session
from calctutor.repl.session import Repl

CTRL_D, ENTER, UP = "\x04", "\r", "\x1b[A"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "home"


def run_session(keys: str, **kwargs) -> tuple[int, str, Repl]:
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        repl = Repl(input=pipe, output=DummyOutput(), console=Console(file=out, width=100),
                    **kwargs)
        code = repl.run(banner=False)
    return code, out.getvalue(), repl


CONTROL_BURST = "".join(chr(c) for c in range(0, 32) if chr(c) not in "\r\n\x03\x04") + "\x7f" * 5


def test_a_burst_of_control_characters_leaves_a_working_session():
    code, out, _ = run_session(CONTROL_BURST + ENTER + ":parse x^3" + ENTER + CTRL_D)
    assert code == 0
    assert "expression tree" in out and "x^3" in out


def test_an_ansi_escape_sequence_typed_is_just_text_or_a_clean_error():
    code, out, _ = run_session("\x1b[31mx^2\x1b[0m" + ENTER + "\x1b]0;pwned\x07" + ENTER
                               + ":parse x^5" + ENTER + CTRL_D)
    assert code == 0
    assert "x^5" in out and "Traceback" not in out
    assert "\x1b]0;" not in out  # an input cannot set the terminal title


def test_a_10kb_paste_gets_a_clean_refusal():
    code, out, _ = run_session("x+" * 5000 + "1" + ENTER + ":parse x^6" + ENTER + CTRL_D)
    assert code == 0
    assert "error" in out and "x^6" in out


def _power_tower(ctx, text):
    if text.startswith("slow"):
        return [pow(7, 10**10)]  # one C call: only a killed process stops it
    return REAL_HANDLE_LINE(ctx, text)


REAL_HANDLE_LINE = handlers.handle_line


def test_a_line_killed_by_the_watchdog_keeps_names_and_history(monkeypatch):
    monkeypatch.setattr(session, "LINE_TIME_LIMIT", 3.0)
    monkeypatch.setattr(handlers, "handle_line", _power_tower)
    keys = ("a = x^3" + ENTER + "slow" + ENTER + "a" + ENTER + CTRL_D)
    code, out, repl = run_session(keys, watch=True)
    assert code == 0
    assert out.count("stopped after 3 s") == 1
    assert list(repl.session.history.get_strings()) == ["a = x^3", "slow", "a"]
    assert "3*x^2" in out  # 'a' was still defined after the killed line
    assert repl.ctx.state.bindings["a"].source.strip() == "x^3"


def test_replies_and_names_come_back_from_the_worker():
    code, out, repl = run_session("f(x) = sin(x)^2" + ENTER + "f'" + ENTER + ":help" + ENTER
                                  + CTRL_D, watch=True, history=False)
    assert code == 0
    assert "f" in repl.ctx.state.bindings
    assert "cos" in out and ":lesson" in out  # help (not picklable) ran here instead


def test_a_lesson_in_the_repl_is_not_under_the_per_line_limit(monkeypatch):
    import time

    monkeypatch.setattr(session, "LINE_TIME_LIMIT", 0.2)

    def reading_slowly(ctx, text):
        if text.startswith(":lesson"):
            time.sleep(0.6)  # a learner reading a page
            return [handlers.say("back in the REPL", "ok")]
        return REAL_HANDLE_LINE(ctx, text)

    monkeypatch.setattr(handlers, "handle_line", reading_slowly)
    code, out, _ = run_session(":lesson chain-rule" + ENTER + CTRL_D, watch=True)
    assert code == 0
    assert "back in the REPL" in out and "stopped" not in out


def test_a_broken_history_file_is_reported_and_the_session_goes_on(home):
    home.mkdir(parents=True, exist_ok=True)
    (home / "repl_history").write_bytes(b"\xff\xfe\x00garbage\n+\xc3(\n")
    code, out, repl = run_session(":parse x^2" + ENTER + CTRL_D)
    assert code == 0 and "x^2" in out


def test_a_non_terminal_stdin_reads_lines_and_exits_zero(tmp_path):
    env = dict(os.environ, CALCTUTOR_HOME=str(tmp_path), TERM="dumb")
    done = subprocess.run([sys.executable, "-m", "calctutor", "repl", "--plain"],
                          input=":parse x^2\n\x01\x02\n:parse x^4\n", capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "x^4" in done.stdout and "Traceback" not in done.stdout + done.stderr


def test_a_dumb_terminal_with_a_slow_line_in_a_pseudo_terminal(tmp_path):
    import pexpect
    env = dict(os.environ, CALCTUTOR_HOME=str(tmp_path), TERM="dumb", CALCTUTOR_TIMEOUT="2",
               PROMPT_TOOLKIT_NO_CPR="1")
    child = pexpect.spawn(sys.executable, ["-m", "calctutor", "repl"], env=env,
                          encoding="utf-8", timeout=60, dimensions=(40, 100))
    try:
        child.expect("> ")
        child.send("b = x^4\r")
        child.expect("> ")
        slow = ("x - 2*atan(2*sin(x)*cos(x)/(2*cos(x)^2 - cos(x) + 1)) ; "
                "1 - 2*(2*cos(2*x))/(1+(2*sin(x)*cos(x)/(2*cos(x)^2 - cos(x) + 1))^2)")
        child.send(":check " + slow + "\r")
        child.expect("stopped after 2 s")
        child.expect("> ")
        child.send("b\r")
        child.expect(r"4\*x\^3")
        child.expect("> ")
        child.send("\x04")
        child.expect(pexpect.EOF, timeout=180)
    finally:
        child.close()
    assert child.exitstatus == 0


def test_error_carets_show_control_characters_escaped():
    from calctutor.errors import ParseError

    exc = ParseError("bad", "x\x1b]0;title\x07 +", 12)
    shown, caret = exc.caret_lines()
    assert "\x1b" not in shown and "\x07" not in shown
    assert "\\x1b" in shown and "\\x07" in shown
    assert shown[caret.index("^")] == "+"


def test_piped_lines_on_a_colour_terminal_are_read_plainly(tmp_path):
    """A pipe is not a screen: no line editor drawing prompts and toolbars into it."""
    env = dict(os.environ, CALCTUTOR_HOME=str(tmp_path), TERM="xterm-256color")
    done = subprocess.run([sys.executable, "-m", "calctutor", "repl", "--plain"],
                          input="f(x) = x^3\nf'(2)\n2x +* 3\n:parse x^4\n", capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "not a terminal" not in done.stdout + done.stderr
    assert "\x1b" not in done.stdout  # no cursor movement, no toolbar
    assert "calctutor> f'(2)" in done.stdout and "at x = 2: 12" in done.stdout
    assert "needs something before it" in done.stdout + done.stderr  # the typo, then on
    assert "x^4" in done.stdout.split("calctutor> :parse x^4", 1)[1]
