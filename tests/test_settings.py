"""Settings: defaults, the TOML file, the environment, where each value came from, and a
bad file that names the key and never stops the program."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from calctutor import settings
from calctutor.cli import app


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    for name in ("NO_COLOR", "TERM", "CALCTUTOR_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def test_defaults_without_a_file(home):
    s = settings.load()
    assert s.values == {x.key: x.default for x in settings.SETTINGS}
    assert set(s.sources.values()) == {"default"} and s.problems == ()
    assert s.path == home / "config.toml"


def test_file_values_and_their_source(home):
    (home / "config.toml").write_text('steps = "brief"\nlesson_seed = 7\nrepl_keys = "VI"\n'
                                      "timeout = 3\nunicode = false\n")
    s = settings.load()
    assert (s["steps"], s["lesson_seed"], s["repl_keys"], s["timeout"]) == ("brief", 7, "vi", 3.0)
    assert s.ascii_only and s.sources["steps"].startswith("file (")
    assert s.sources["colour"] == "default"


def test_environment_beats_the_file(home, monkeypatch):
    (home / "config.toml").write_text('colour = "always"\ntimeout = 3\n')
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("CALCTUTOR_TIMEOUT", "5")
    s = settings.load()
    assert (s["colour"], s["plain"], s["timeout"]) == ("never", True, 5.0)
    assert s.sources["colour"] == "environment (NO_COLOR)"
    assert s.sources["plain"] == "environment (TERM=dumb)"


@pytest.mark.parametrize("text,problem", [
    ('colour = "purple"', "colour must be one of auto, always, never"),
    ("lesson_seed = -3", "lesson_seed must be between 0 and"),
    ("lesson_seed = 1.5", "lesson_seed must be a whole number"),
    ('unicode = "yes"', "unicode must be true or false"),
    ("timeout = 0", "timeout must be between 0.1 and 600"),
    ("bogus = 1", "unknown key 'bogus'"),
    ("x = [", "is not valid TOML"),
])
def test_a_bad_file_names_the_key_and_uses_the_default(home, text, problem):
    (home / "config.toml").write_text(text + "\nsteps = \"brief\"\n")
    s = settings.load()
    assert any(problem in p for p in s.problems), s.problems
    if "TOML" not in problem:
        assert s["steps"] == "brief"  # the good keys still count


def test_invalid_utf8_is_a_problem_not_a_crash(home):
    (home / "config.toml").write_bytes(b"steps = \"\xff\"\n")
    assert "not UTF-8" in settings.load().problems[0]


def test_template_round_trips_to_the_defaults(home):
    (home / "config.toml").write_text(settings.template())
    s = settings.load()
    assert s.problems == () and s.values == {x.key: x.default for x in settings.SETTINGS}


def test_config_command_shows_sources_and_init_never_overwrites(home):
    runner = CliRunner()
    res = runner.invoke(app, ["config", "--init", "--plain"])
    assert res.exit_code == 0 and "wrote" in res.stdout
    assert (home / "config.toml").read_text().startswith("# calctutor settings")
    again = runner.invoke(app, ["config", "--init"])
    assert again.exit_code == 2 and "already exists" in again.output
    (home / "config.toml").write_text('steps = "brief"\ncolour = 3\n')
    doc = json.loads(runner.invoke(app, ["config", "--json"]).stdout)
    assert doc["settings"]["steps"] == {"value": "brief", "source": f"file ({home / 'config.toml'})"}
    assert doc["settings"]["colour"]["source"] == "default"
    assert any("colour must be one of" in p for p in doc["problems"])
