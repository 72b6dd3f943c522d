"""The settings file in the shells: the lesson seed, the REPL's step detail and key
bindings, the output choice (plain / unicode / colour), and a bad file that is reported
once on stderr and never stops the program."""

from __future__ import annotations

import os
import subprocess

import pytest
from prompt_toolkit.enums import EditingMode
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output import DummyOutput

from calctutor import settings, termio
from conftest import calctutor_command


def _run(args, home, stdin=None, **extra) -> subprocess.CompletedProcess:
    env = {**os.environ, "CALCTUTOR_HOME": str(home), "COLUMNS": "80", "TERM": "xterm", **extra}
    env.pop("NO_COLOR", None)
    env.pop("CALCTUTOR_TIMEOUT", None)
    return subprocess.run([*calctutor_command(), *args], input=stdin, capture_output=True,
                          text=True, timeout=300, env=env)


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A fresh CALCTUTOR_HOME, with the process's settings read again from it."""
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    for name in ("NO_COLOR", "TERM", "CALCTUTOR_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(settings, "_CACHE", None)
    monkeypatch.setattr(termio, "_REPORTED_SETTINGS", False)
    return tmp_path


def repl(**kw):
    from calctutor.repl.session import Repl

    with create_pipe_input() as pipe:
        return Repl(input=pipe, output=DummyOutput(), history=False, **kw)


@pytest.mark.e2e
def test_lesson_seed_is_the_default_seed_and_the_option_wins(home):
    (home / "config.toml").write_text("lesson_seed = 7\n")
    out = _run(["lesson", "chain-rule", "--plain"], home, stdin="quit\n")
    assert out.returncode == 0, out.stderr
    assert "--seed 7" in out.stdout
    out = _run(["lesson", "chain-rule", "--plain", "--seed", "3"], home, stdin="quit\n")
    assert "--seed 3" in out.stdout and "--seed 7" not in out.stdout


def test_steps_is_the_repls_starting_mode(home):
    assert repl().ctx.state.mode == "full"
    (home / "config.toml").write_text('steps = "brief"\n')
    settings._CACHE = None
    assert repl().ctx.state.mode == "brief"


def test_repl_keys_choose_vi_or_emacs_editing(home):
    assert repl().session.editing_mode == EditingMode.EMACS
    (home / "config.toml").write_text('repl_keys = "vi"\n')
    settings._CACHE = None
    assert repl().session.editing_mode == EditingMode.VI


def test_plain_and_unicode_settings_make_the_repl_plain(home):
    assert not repl().plain
    (home / "config.toml").write_text("unicode = false\n")
    settings._CACHE = None
    assert repl().plain and repl().ctx.state.format == "plain"
    (home / "config.toml").write_text("plain = true\n")
    settings._CACHE = None
    assert repl().plain


@pytest.mark.e2e
def test_colour_never_drops_colour_only_and_always_forces_it(home):
    (home / "config.toml").write_text('colour = "always"\n')
    forced = _run(["diff", "sin(x^2)"], home)
    assert forced.returncode == 0 and "\x1b[" in forced.stdout  # even into a pipe
    (home / "config.toml").write_text('colour = "never"\n')
    never = _run(["diff", "sin(x^2)"], home, FORCE_COLOR="1")
    assert never.returncode == 0 and "\x1b[" not in never.stdout
    assert not never.stdout.isascii()  # Unicode kept: that is what plain is for


@pytest.mark.e2e
@pytest.mark.parametrize("content, words", [
    ('steps = "loud"\nbogus = 1\n', ["steps must be one of", "unknown key 'bogus'"]),
    ("this is = = not toml\n", ["not valid TOML"]),
])
def test_a_bad_file_is_reported_once_and_the_command_still_runs(home, content, words):
    (home / "config.toml").write_text(content)
    out = _run(["diff", "x^3", "--plain"], home)
    assert out.returncode == 0 and "3*x^2" in out.stdout
    assert "Traceback" not in out.stderr
    for word in words:
        assert out.stderr.count(word) == 1, out.stderr
    lesson = _run(["lesson", "rules", "--seed", "1"], home, stdin="quit\n")
    assert lesson.returncode == 0 and "Traceback" not in lesson.stderr
    assert lesson.stderr.count(words[0]) == 1, lesson.stderr
    as_json = _run(["diff", "x^3", "--json"], home)
    assert as_json.returncode == 0 and as_json.stdout.startswith("{")
    assert as_json.stderr.count(words[0]) == 1


def test_a_bad_file_is_reported_once_in_the_repl(home, capsys):
    (home / "config.toml").write_text('repl_keys = "nano"\n')
    first = repl()
    second = repl()
    err = capsys.readouterr().err
    assert err.count("repl_keys") == 1 and "emacs" in err
    assert first.session.editing_mode == second.session.editing_mode == EditingMode.EMACS
