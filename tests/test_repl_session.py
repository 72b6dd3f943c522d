"""In-process REPL sessions: prompt_toolkit's pipe input and DummyOutput, keys included."""

from __future__ import annotations

import io

import pytest
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput
from rich.console import Console

from calctutor.repl import handlers, session
from calctutor.repl.session import Repl

CTRL_C, CTRL_D, ENTER, ALT_ENTER, UP = "\x03", "\x04", "\r", "\x1b\r", "\x1b[A"


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return tmp_path / "home"


def run_session(keys: str, **kwargs) -> tuple[int, str, Repl]:
    """Type ``keys`` into a fresh session; returns (exit code, what was printed, repl)."""
    out = io.StringIO()
    with create_pipe_input() as pipe:
        pipe.send_text(keys)
        repl = Repl(input=pipe, output=DummyOutput(), console=Console(file=out, width=100),
                    **kwargs)
        code = repl.run(banner=False)
    return code, out.getvalue(), repl


def test_expression_then_ctrl_d_exits_zero():
    code, out, _ = run_session(":mode brief" + ENTER + "x^2 sin x" + ENTER + CTRL_D)
    assert code == 0
    assert "product rule" in out and "x*(x*cos(x) + 2*sin(x))" in out


def test_parse_error_is_shown_with_a_caret_and_the_session_goes_on():
    code, out, repl = run_session(":parse 2x +* 1" + ENTER + ":parse x^3" + ENTER + CTRL_D)
    assert code == 0
    lines = out.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("error:"))
    assert lines[at + 1].strip() == "2x +* 1" and lines[at + 2].strip() == "^"
    assert "x^3" in out.split("error:")[1]  # the next line still ran


def test_ctrl_c_cancels_the_line():
    code, out, repl = run_session("sin(x" + CTRL_C + ":parse x^4" + ENTER + CTRL_D)
    assert code == 0
    assert "x^4" in out and "sin" not in out


def test_ctrl_c_during_a_computation_returns_to_the_prompt(monkeypatch):
    calls = []
    real = handlers.handle_line

    def first_one_interrupted(ctx, text):
        calls.append(text)
        if len(calls) == 1:
            raise KeyboardInterrupt  # what SIGINT does to the running computation
        return real(ctx, text)

    monkeypatch.setattr(handlers, "handle_line", first_one_interrupted)
    code, out, _ = run_session("x^9" + ENTER + ":parse x^5" + ENTER + CTRL_D)
    assert code == 0 and calls == ["x^9", ":parse x^5"]
    assert "cancelled" in out and "x^5" in out


def test_time_limit_stops_a_slow_line(monkeypatch):
    import time

    monkeypatch.setattr(session, "LINE_TIME_LIMIT", 0.2)
    monkeypatch.setattr(handlers, "handle_line", lambda ctx, text: time.sleep(5) or [])
    code, out, _ = run_session("x" + ENTER + CTRL_D)
    assert code == 0 and "stopped after 0.2 s" in out


def test_a_bug_in_a_command_does_not_end_the_session(monkeypatch):
    def broken(ctx, text):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(handlers, "handle_line", broken)
    code, out, _ = run_session("x" + ENTER + CTRL_D)
    assert code == 0 and "internal error: ZeroDivisionError: boom" in out


def test_enter_inside_open_brackets_continues_the_line():
    code, out, _ = run_session(":mode brief" + ENTER + "sin(x +" + ENTER + "1)" + ENTER + CTRL_D)
    assert "cos(x + 1)" in out


def test_alt_enter_makes_a_multi_line_program():
    code, out, repl = run_session("y = 2x^3 + 3" + ALT_ENTER + "z = y^2" + ENTER + CTRL_D)
    assert set(repl.ctx.state.bindings) == {"y", "z"}


def test_quit_word_leaves_with_zero():
    code, out, repl = run_session("quit" + ENTER + ":parse x" + ENTER)
    assert code == 0 and repl.ctx.quit and "read as" not in out


def test_history_is_written_and_recalled_across_sessions(home):
    run_session(":parse x^7" + ENTER + CTRL_D)
    history = (home / "repl_history").read_text()
    assert "+:parse x^7" in history
    # a new session: Up recalls the last line, Enter runs it
    code, out, _ = run_session(UP + ENTER + CTRL_D)
    assert "x^7" in out


def test_no_history_writes_nothing(home):
    run_session(":parse x" + ENTER + CTRL_D, history=False)
    assert not (home / "repl_history").exists()


def test_unusable_history_is_reported_once_and_the_session_goes_on(home):
    home.mkdir(parents=True)
    (home / "repl_history").mkdir()  # a directory where the file should be
    code, out, repl = run_session(":parse x^2" + ENTER + ":parse x^3" + ENTER + CTRL_D)
    assert code == 0 and "x^3" in out
    assert len(repl.reported) == 1 and "history" in repl.reported[0]


def test_history_file_that_becomes_unwritable_is_reported_once(home, monkeypatch):
    real = handlers.handle_line

    def break_the_file(ctx, text):
        path = home / "repl_history"
        if path.is_file():
            path.unlink()
            path.mkdir()  # appending to it now fails
        return real(ctx, text)

    monkeypatch.setattr(handlers, "handle_line", break_the_file)
    code, out, repl = run_session(":parse x^2" + ENTER + ":parse x^3" + ENTER
                                  + ":parse x^4" + ENTER + CTRL_D)
    assert code == 0 and "x^4" in out
    assert len(repl.reported) == 1 and "cannot write" in repl.reported[0]


def test_save_markdown_transcript(tmp_path):
    target = tmp_path / "session.md"
    run_session(":parse x^2" + ENTER + f":save {target}" + ENTER + CTRL_D)
    text = target.read_text()
    assert "calctutor> :parse x^2" in text and "x^2" in text


def test_plain_mode_prints_plain_text(monkeypatch):
    code, out, repl = run_session(":parse x^2" + ENTER + CTRL_D, plain=True)
    assert repl.ctx.state.format == "plain" and "read as:    x^2" in out
    monkeypatch.setenv("TERM", "dumb")
    code, out, repl = run_session(":parse x^2" + ENTER + CTRL_D)
    assert repl.ctx.state.format == "plain"


def test_no_color_only_drops_colour_and_keeps_the_rich_view(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    code, out, repl = run_session(":parse x^2" + ENTER + CTRL_D)
    assert repl.ctx.state.format == "rich" and not repl.plain


def test_lesson_list_and_a_lesson_run_inside_the_repl():
    keys = ":lesson" + ENTER + ":lesson chain-rule --seed 1" + ENTER + "quit" + ENTER
    code, out, repl = run_session(keys + ":parse x^6" + ENTER + CTRL_D)
    assert code == 0
    assert "chain-rule" in out and "The chain rule" in out
    assert "back in the REPL after the lesson 'The chain rule'" in out
    assert "x^6" in out.split("back in the REPL")[1]
