"""``calctutor diff`` / ``calctutor grad`` through the CLI: in-process with Typer's
CliRunner (pinned width), and one run of the installed executable."""

from __future__ import annotations

import json

import pytest
from conftest import run_calctutor, run_cli

run = run_cli


@pytest.mark.e2e
def test_diff_json_from_the_installed_executable():
    out = run_calctutor("diff", "sin((4x)^2)", "--json", "--at", "x=0")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["derivative"] == "32*x*cos(16*x^2)" and doc["value"] == 0
    assert doc["steps"][0]["rule"] == "chain rule"


def test_diff_plain_is_ascii_and_rich_works():
    out = run("diff", "x^x", "--plain")
    assert out.returncode == 0 and out.stdout.isascii()
    assert "logarithmic differentiation" in out.stdout
    rich = run("diff", "x sin(x) cos(x)")
    assert rich.returncode == 0 and "product rule" in rich.stdout


def test_diff_latex_no_steps_order_and_stdin():
    out = run("diff", "x^3", "--latex", "--no-steps", "--order", "2")
    assert out.returncode == 0 and out.stdout.strip().endswith("= 6 x")
    piped = run("diff", "-", "--json", stdin="x^2\n")
    assert json.loads(piped.stdout)["derivative"] == "2*x"


def test_diff_bad_input_exit_2():
    out = run("diff", "a b")
    assert out.returncode == 2 and "--wrt" in out.stderr and "Traceback" not in out.stderr
    out = run("diff", "sin(", "--json")
    assert out.returncode == 2 and "error" in json.loads(out.stdout)


def test_grad_json_hessian_and_direction():
    out = run("grad", "x^2 + 3y^2", "--at", "x=1,y=2", "--hessian", "--json")
    doc = json.loads(out.stdout)
    assert doc["gradient_value"] == [2, 12] and doc["hessian_value"] == [[2, 0], [0, 6]]
    assert doc["curvature"]["kind"] == "bowl"
    out = run("grad", "x^2 + y^2", "--at", "x=3,y=4", "--dir", "0.6,0.8", "--plain")
    assert out.returncode == 0 and out.stdout.isascii() and "10" in out.stdout
    out = run("grad", "x y, x + y", "--json")
    assert json.loads(out.stdout)["jacobian"] == [["y", "x"], ["1", "1"]]
