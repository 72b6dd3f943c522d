"""Plain output (--plain, TERM=dumb, the settings plain / unicode = false) is ASCII
everywhere, with linear math, wrapped to the terminal width; NO_COLOR only drops colour."""

from __future__ import annotations

import os
import re
import subprocess

import pexpect
import pytest

from calctutor.asciitext import to_ascii, wrap
from conftest import calctutor_command

ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][0-9A-B]|\x1b[=>]")
WIDTH = 64


@pytest.mark.parametrize("text, ascii_text", [
    ("∂z/∂y · ∂y/∂x", "dz/dy * dy/dx"),
    ("∇z = [∂z/∂x]", "grad z = [dz/dx]"),
    ("Σ over paths: x → u → z", "sum over paths: x -> u -> z"),
    ("x² + x⁻¹ + x¹²", "x^2 + x^(-1) + x^12"),
    ("2⋅x × 3", "2*x * 3"),
    ("✗ Not quite", "Not quite"),
    ("✓ Correct", "Correct"),
    ("✓✓✗", "++x"),
    ("  • one", "  - one"),
    ("░░██", "..##"),
    ("┌─┐│└┘", "+-+|++"),
    ("⎛x⎞ ⎝y⎠", "(x) (y)"),
    ("skipped — later…", "skipped - later..."),
    ("α + Δx ≤ π", "alpha + Delta x <= pi"),
    ("naïve", "naive"),
])
def test_symbols_become_ascii_words_and_signs(text, ascii_text):
    assert to_ascii(text) == ascii_text


def test_wrap_breaks_at_spaces_never_at_a_minus_and_keeps_the_indent():
    line = "    " + " ".join(["x - 3"] * 20)
    lines = wrap(line, 30).split("\n")
    assert all(len(piece) <= 30 for piece in lines)
    assert all(piece.startswith("      ") for piece in lines[1:])
    assert " ".join(p.strip() for p in lines) == line.strip()
    assert not any(piece.rstrip().endswith("x -") for piece in lines)
    assert wrap("short\n  kept", 30) == "short\n  kept"


def _env(tmp_path, **extra) -> dict:
    env = {**os.environ, "CALCTUTOR_HOME": str(tmp_path), "COLUMNS": str(WIDTH)}
    env.pop("NO_COLOR", None)
    env.update(extra)
    if env.get("TERM") is None:
        env["TERM"] = "xterm"
    return env


def _run(args, tmp_path, stdin=None, **extra) -> subprocess.CompletedProcess:
    return subprocess.run([*calctutor_command(), *args], input=stdin, capture_output=True,
                          text=True, timeout=300, env=_env(tmp_path, **extra))


def assert_plain(text: str, width: int = WIDTH) -> None:
    bad = sorted({ch for ch in text if ord(ch) > 127})
    assert not bad, f"non-ASCII characters {bad!r} in:\n{text}"
    long = [line for line in text.splitlines() if len(line) > width]
    assert not long, f"lines longer than {width}:\n" + "\n".join(long)


#: A whole chain-rule session: a hint, a wrong answer, a right one, the solution, a skip,
#: the chain-rule checkpoints, and a graph exercise, then quit.
ANSWERS = ["hint", "cos(2x+3)", "2cos(2x+3)", "hint", "hint", "solution", "skip", "skip",
           "skip", "skip", "skip", "skip", "skip", "quit"]


@pytest.mark.e2e
@pytest.mark.parametrize("how", ["--plain", "TERM=dumb", "plain = true", "unicode = false"])
def test_a_whole_lesson_session_is_ascii_and_wrapped(tmp_path, how):
    args, extra = ["lesson", "chain-rule", "--seed", "1"], {}
    if how == "--plain":
        args.append("--plain")
    elif how == "TERM=dumb":
        extra["TERM"] = "dumb"
    else:
        (tmp_path / "config.toml").write_text(how + "\n")
    out = _run(args, tmp_path, stdin="\n".join(ANSWERS) + "\n", **extra)
    assert out.returncode == 0, out.stderr
    assert_plain(out.stdout)
    assert_plain(out.stderr)
    text = out.stdout
    assert "d/dx(sin(2*x + 3)) = 2*cos(2*x + 3)" in text  # linear math, not 2-D art
    assert "dz/du * du/dx" in text and "Summary" in text and "Not quite" in text
    assert "answer> cos(2x+3)" in text


@pytest.mark.e2e
def test_the_same_lesson_without_plain_keeps_its_unicode_and_no_color_keeps_it(tmp_path):
    out = _run(["lesson", "chain-rule", "--seed", "1"], tmp_path,
               stdin="\n".join(ANSWERS) + "\n", NO_COLOR="1")
    assert out.returncode == 0, out.stderr
    assert "\x1b[" not in out.stdout  # no colour
    assert "∂" in out.stdout or "⋅" in out.stdout  # but Unicode math is kept


@pytest.mark.e2e
@pytest.mark.parametrize("args", [
    ["parse", "sin(x^2)/x"],
    ["diff", "sin(x^2)"],
    ["diff", "x^2*exp(x)/(1+x^2)", "--order", "2"],
    ["grad", "x^2*y+sin(x*y)", "--hessian", "--at", "x=1,y=2"],
    ["graph", "sigmoid(w*x+b)", "--at", "w=1,x=2,b=0"],
    ["check", "sin(x^2)", "cos(x^2)"],
    ["taylor", "exp(x)", "--order", "3"],
    ["limit", "sin(x)/x", "--at", "1"],
    ["lesson"],
    ["progress"],
    ["plot", "sin(x)"],
    ["diff", "--help"],
    ["diff", "x", "--no-such-option"],
])
def test_one_shot_commands_are_ascii_and_wrapped(tmp_path, args):
    out = _run([*args, "--plain"], tmp_path)
    assert_plain(out.stdout)
    assert_plain(out.stderr)
    assert out.stdout.strip() or out.stderr.strip()


@pytest.mark.e2e
def test_diff_plain_is_linear_math():
    out = subprocess.run([*calctutor_command(), "diff", "sin(x^2)", "--plain"],
                         capture_output=True, text=True, timeout=120,
                         env={**os.environ, "COLUMNS": "80"})
    assert "d/dx sin(x^2) = 2*x*cos(x^2)" in out.stdout


@pytest.mark.e2e
def test_a_repl_session_in_plain_mode_is_ascii(tmp_path):
    env = _env(tmp_path, PROMPT_TOOLKIT_NO_CPR="1", LINES="40")
    argv = [*calctutor_command(), "repl", "--plain"]
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60,
                          dimensions=(40, WIDTH))
    seen: list[str] = []

    def wait(text: str) -> None:
        child.expect(re.escape(text))
        seen.append(child.before + child.after)

    wait("> ")
    for line in [":help", "sin(x^2)", "grad x^2 y", ":mode brief", "x^2 sin x", ":parse 2x +* 1",
                 "y = 2x^3 + 3; z = y^2", ":graph"]:
        child.send(line + "\r")
        wait("> ")
    child.send(":parse x^7\r")  # the last reply, then the prompt after it: idle
    wait("canonical:")
    wait("> ")
    for _ in range(3):  # Ctrl-D at an idle prompt ends the session
        child.send("\x04")
        if child.expect([pexpect.EOF, pexpect.TIMEOUT], timeout=20) == 0:
            break
    else:
        pytest.fail("Ctrl-D did not end the session:\n" + ANSI.sub("", "".join(seen)))
    seen.append(child.before)
    child.close()
    raw = "".join(seen)
    text = ANSI.sub("", raw)
    bad = sorted({ch for ch in raw if ord(ch) > 127})
    assert not bad, f"non-ASCII characters {bad!r} in:\n{text}"
    assert "chain rule" in text and "2*x*cos(x^2)" in text


def test_the_repl_toolbar_banner_and_continuation_are_ascii_in_plain_mode(tmp_path, monkeypatch):
    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from calctutor.repl.session import Repl

    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    with create_pipe_input() as pipe:
        repl = Repl(plain=True, input=pipe, output=DummyOutput())
        toolbar = "".join(text for _, text in repl.session.bottom_toolbar())
        continuation = repl.session.prompt_continuation(6, 1, False)
    assert toolbar.isascii() and "Up history" in toolbar and "loading SymPy..." in toolbar
    assert continuation == "  ... "
    with create_pipe_input() as pipe:
        rich_repl = Repl(plain=False, input=pipe, output=DummyOutput())
        assert "↑ history" in "".join(t for _, t in rich_repl.session.bottom_toolbar())
