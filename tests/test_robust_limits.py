"""Size limits refused before any work, and the shell boundary: one clear line for every
failure, JSON for usage errors with --json, output under an ASCII locale."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.errors import ParseError
from calctutor.limits import MAX_FUNCTION_ARGUMENTS
from calctutor.parsing import parse
from calctutor.parsing.parser import parse_program

runner = CliRunner()

DOUBLING = "; ".join(["y1 = x^2"] + [f"y{i} = y{i - 1}*y{i - 1}" for i in range(2, 26)])
GROWING = "; ".join(["y1 = x + sin(x)"] + [f"y{i} = y{i - 1} + sin(y{i - 1})" for i in range(2, 26)])


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.parametrize("program", [DOUBLING, GROWING])
def test_a_program_that_explodes_when_written_out_is_refused_before_substitution(program):
    parsed = parse_program(program)  # its graph (the DAG) is fine
    with pytest.raises(ParseError, match="too big once"):
        parsed.inlined()


@pytest.mark.parametrize("command", ["parse", "diff"])
def test_the_doubling_program_is_refused_where_it_would_be_written_out(command):
    result = runner.invoke(app, [command, DOUBLING])
    assert result.exit_code == 2
    assert "too big once" in result.output


def test_the_graph_of_the_doubling_program_answers_or_stops_within_its_budget(monkeypatch):
    from calctutor import watchdog

    monkeypatch.setattr(watchdog, "_budget_override", None)
    result = runner.invoke(app, ["--timeout", "2", "graph", DOUBLING, "--json"])
    document = json.loads(result.stdout)
    if result.exit_code == 0:
        assert len(document["nodes"]) >= 25  # the DAG, never written out
    else:
        assert result.exit_code == 2 and "stopped after 2 s" in document["error"]


def test_a_small_program_is_still_fine():
    program = parse_program("y = 2x^3 + 3; z = y^2")
    assert program.output == "z"


def test_too_many_arguments_are_refused():
    with pytest.raises(ParseError, match="too many arguments"):
        parse("max(" + ",".join(["x"] * (MAX_FUNCTION_ARGUMENTS + 1)) + ")")
    assert parse("max(" + ",".join(["x", "1"] * 4) + ")") is not None


def test_a_huge_plot_range_is_refused():
    result = runner.invoke(app, ["plot", "x", "--range", "-1e308,1e308"])
    assert result.exit_code == 2 and "too wide" in result.output


def test_taylor_eval_with_a_name_the_function_lacks_is_an_input_error():
    result = runner.invoke(app, ["taylor", "sin x", "--eval", "y=1"])
    assert result.exit_code == 2
    assert "no value for x" in result.output


@pytest.mark.parametrize("argv", [["diff", "x", "--order", "abc", "--json"],
                                  ["diff", "x", "--bogus", "--json"]])
def test_usage_errors_with_json_print_json(argv):
    done = subprocess.run([sys.executable, "-m", "calctutor", *argv], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 2
    assert "error" in json.loads(done.stdout)


def test_an_internal_error_is_one_line_exit_3_and_a_log(monkeypatch, home):
    import calctutor.commands.parse as parse_command

    def broken(*args, **kwargs):
        raise KeyError("boom")

    monkeypatch.setattr(parse_command, "run_parse", broken)
    result = runner.invoke(app, ["parse", "x"])
    assert result.exit_code == 3
    assert "please report" in result.output and "Traceback" not in result.output
    log = (home / "errors.log").read_text()
    assert "KeyError" in log and "Traceback" in log


def test_overflow_from_the_engines_is_an_input_error(monkeypatch):
    import calctutor.commands.parse as parse_command

    def overflow(*args, **kwargs):
        raise OverflowError("integer division result too large for a float")

    monkeypatch.setattr(parse_command, "run_parse", overflow)
    result = runner.invoke(app, ["parse", "10^400/3"])
    assert result.exit_code == 2 and "too large" in result.output


@pytest.mark.parametrize("argv", [["check", "sin(x^2)", "2x cos(x^2)"], ["progress"],
                                  ["plot", "sin x", "--width", "30", "--height", "8"],
                                  ["diff", "x^2 sin x"]])
def test_output_works_under_an_ascii_locale(argv, home):
    env = dict(os.environ, PYTHONIOENCODING="ascii", CALCTUTOR_HOME=str(home))
    done = subprocess.run([sys.executable, "-m", "calctutor", *argv], capture_output=True,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert b"Traceback" not in done.stderr


@pytest.mark.parametrize("text", ["2^10^400", "2^(10^400/3)", "2^(-10^400)", "(1/3)^(10^400)",
                                  "x^(10^400)"])
def test_an_exponent_too_big_for_a_float_is_refused_not_an_overflow(text):
    # 2^10^400 raised OverflowError (int too large to convert to float) inside the
    # parser's own size check; 2^(10^400/3) "integer division result too large"
    with pytest.raises(ParseError, match=r"too large: about 10\^\d+ digits|exponent about 10\^"):
        parse(text)
