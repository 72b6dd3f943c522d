"""An argument that begins with '-' but is none of the command's options is an expression.

CLI.md: ``calctutor diff "-x^2"``, ``calctutor check "cos x" "-sin x"``; ``--`` works too;
the value of an option that takes one stays that option's (``--at -1``).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import typer.main
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.cli.argv import protect

runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"COLUMNS": "100"})


def doc(result) -> dict:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


# ── through Typer's CliRunner ───────────────────────────────────────────────────────
def test_diff_leading_minus():
    out = doc(invoke("diff", "-x^2", "--json"))
    assert out["input"] == "-x^2" and out["derivative"] == "-2*x"


def test_diff_leading_minus_with_options_after():
    out = doc(invoke("diff", "-x^2", "--at", "1", "--json"))
    assert out["derivative"] == "-2*x" and out["value"] == -2


def test_options_before_the_expression():
    out = doc(invoke("diff", "--json", "--at", "2", "-x^3"))
    assert out["derivative"] == "-3*x^2" and out["value"] == -12


def test_check_second_argument_with_minus():
    result = invoke("check", "cos x", "-sin x", "--json")
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["correct"] is True and out["answer"] == "-sin(x)"


def test_check_both_arguments_with_minus_keep_their_order():
    result = invoke("check", "-cos x", "sin x", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["correct"] is True
    wrong = invoke("check", "-cos x", "-sin x", "--json")
    assert wrong.exit_code == 1 and json.loads(wrong.stdout)["correct"] is False


def test_option_value_that_begins_with_minus_stays_a_value():
    out = doc(invoke("taylor", "-x^3", "--at", "-1", "--order", "1", "--json"))
    assert out["function"] == "-x^3" and out["point"] == -1
    # f(-1) = 1, f'(-1) = -3: P1 = 1 - 3(x + 1)
    assert [t["derivative_value"] for t in out["terms"]] == [1, -3]


def test_option_equals_value_with_minus():
    out = doc(invoke("diff", "-x^2", "--at=-3", "--json"))
    assert out["value"] == 6


def test_short_option_with_attached_value_is_still_an_option():
    out = doc(invoke("diff", "-n2", "-x^3", "--json"))
    assert out["order"] == 2 and out["derivative"] == "-6*x"


def test_short_option_prefix_with_other_text_is_an_expression():
    # -n is --order, but "-n^2" is not -n with a value: it is the expression -(n^2)
    out = doc(invoke("diff", "-n^2", "--wrt", "n", "--json"))
    assert out["derivative"] == "-2*n"


def test_double_dash_still_works():
    out = doc(invoke("diff", "--json", "--", "-x^2"))
    assert out["derivative"] == "-2*x"


def test_parse_leading_minus():
    out = doc(invoke("parse", "-sin x", "--json"))
    assert out["expression"] == "-sin(x)"


def test_mistyped_long_option_is_still_reported_as_an_option():
    result = invoke("diff", "x^2", "--jsno")
    assert result.exit_code == 2
    assert "--jsno" in result.output and "Traceback" not in result.output


def test_help_and_version_unchanged():
    assert invoke("diff", "--help").exit_code == 0
    assert invoke("diff", "-h").exit_code == 0
    result = invoke("--version")
    assert result.exit_code == 0 and result.stdout.startswith("calctutor ")


# ── the rewrite itself ──────────────────────────────────────────────────────────────
COMMAND = typer.main.get_command(app)


@pytest.mark.parametrize(("args", "expected"), [
    (["diff", "x^2"], ["diff", "x^2"]),
    (["diff", "-x^2"], ["diff", "--", "-x^2"]),
    (["diff", "-x^2", "--at", "1", "--json"], ["diff", "--at", "1", "--json", "--", "-x^2"]),
    (["taylor", "-x^3", "--at", "-1"], ["taylor", "--at", "-1", "--", "-x^3"]),
    (["check", "cos x", "-sin x"], ["check", "--", "cos x", "-sin x"]),
    (["check", "-cos x", "--wrt", "x", "sin x"], ["check", "--wrt", "x", "--", "-cos x", "sin x"]),
    (["diff", "--", "-x"], ["diff", "--", "-x"]),
    (["diff", "-", "--json"], ["diff", "-", "--json"]),  # '-' is stdin, not an expression
    (["diff", "-x", "--", "-y"], ["diff", "--", "-x", "-y"]),
    (["diff", "-h"], ["diff", "-h"]),
    (["--version"], ["--version"]),
    (["nosuch", "-x"], ["nosuch", "-x"]),  # Click reports the unknown command
])
def test_protect(args, expected):
    assert protect(COMMAND, args) == expected


def test_protect_reads_options_from_every_command():
    # every command: each of its value options keeps a '-'-led value, and a '-'-led
    # positional goes behind '--'
    for name, command in COMMAND.commands.items():
        valued = [p for p in command.params
                  if p.param_type_name == "option" and not p.is_flag and not p.count]
        has_positional = any(p.param_type_name == "argument" for p in command.params)
        for param in valued:
            spelled = param.opts[0]
            args = [name, spelled, "-1"] + (["-x"] if has_positional else [])
            want = [name, spelled, "-1"] + (["--", "-x"] if has_positional else [])
            assert protect(COMMAND, args) == want, (name, spelled)


# ── the installed program, in a real process ────────────────────────────────────────
@pytest.mark.e2e
def test_real_process_leading_minus():
    exe = shutil.which("calctutor")
    cmd = [exe] if exe else [sys.executable, "-m", "calctutor"]
    out = subprocess.run([*cmd, "diff", "-x^2", "--at", "1", "--json"], capture_output=True,
                         text=True, timeout=120, env={**os.environ, "COLUMNS": "100"})
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["derivative"] == "-2*x" and result["value"] == -2
    check = subprocess.run([*cmd, "check", "cos x", "-sin x"], capture_output=True, text=True,
                           timeout=120, env={**os.environ, "COLUMNS": "100"})
    assert check.returncode == 0, check.stderr + check.stdout
