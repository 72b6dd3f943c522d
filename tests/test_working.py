"""Checked working, line by line: hand-written workings in learners' notation, a generator
of workings with one slip at line k carried forward (a property: the first wrong line and
its label are found), and the command line (file, stdin, exit codes, JSON)."""

from __future__ import annotations

import json

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.commands.check import run_working
from calctutor.grading.working import split_lines, working_document
from calctutor.parsing import to_input


def statuses(function: str, working: str, **kw):
    verdict = run_working(function, working, **kw)
    return [(l.status, l.mistake) for l in verdict.lines], verdict


# (function, working, [(status, mistake) per line], first wrong line)
WORKINGS = [
    ("sin(x^2)", "cos(x^2) * d/dx(x^2)\ncos(x^2) * 2x\n2x cos(x^2)",
     [("right", None)] * 3, None),
    ("sin(x^2)", "cos(x^2)*d/dx(x^2)\n= 2x cos(x^2)", [("right", None)] * 2, None),
    ("sin(x^2)", "2x cos(x^2)", [("right", None)], None),
    ("sin(x^2)", "cos(x^2)\n", [("wrong", "missing_chain_factor")], 1),
    ("sin(x^2)", "-cos(x^2) * d/dx(x^2)\n-2x cos(x^2)",
     [("wrong", "wrong_outer_derivative"), ("follows", None)], 1),
    ("sin(x^2)", "cos(x^2) * d/dx(x^2)\ncos(x^2) * 2x^2\n2x^2 cos(x^2)",
     [("right", None), ("wrong", "power_rule"), ("follows", None)], 2),
    ("x^2 sin(x)", "d/dx(x^2) sin(x) + x^2 d/dx(sin(x))\n2x sin(x) + x^2 cos(x)\nx(2 sin(x) + cos(x))",
     [("right", None), ("right", None), ("wrong", "algebra")], 3),
    ("x^2 sin(x)", "d/dx(x^2) * d/dx(sin(x))\n2x cos(x)",
     [("wrong", "product_rule"), ("follows", None)], 1),
    ("sin(x^2)", "cos(x^2) * d/dx(x^2)\ncos(x^2 * 2x", [("right", None), ("unreadable", None)], None),
    ("e^(3x)", "e^(3x) d/dx(3x)\n3e^(3x)", [("right", None)] * 2, None),
    ("ln(x^2 + 1)", "1/(x^2+1) * d/dx(x^2 + 1)\n1/(x^2+1) * (2x + 1)\n(2x+1)/(x^2+1)",
     [("right", None), ("wrong", "constant_rule"), ("follows", None)], 2),
    ("(x^2 + 1)^3", "3(x^2+1)^2 d/dx(x^2+1)\n3(x^2+1)^2 * 2x\n6x(x^2+1)^2",
     [("right", None)] * 3, None),
    ("x^3 - x^2", "d/dx(x^3) - d/dx(x^2)\n3x^2 + 2x", [("right", None), ("wrong", "sign")], 2),
]


@pytest.mark.parametrize("function, working, expected, first", WORKINGS)
def test_hand_written_workings(function, working, expected, first):
    got, verdict = statuses(function, working)
    assert got == expected, [l.message for l in verdict.lines]
    assert verdict.first_wrong_line == first
    assert verdict.correct == all(s == "right" for s, _ in expected)


def test_rules_are_named_for_each_step():
    verdict = run_working("sin(x^2)", "cos(x^2) * d/dx(x^2)\ncos(x^2) * 2x\n2x cos(x^2)")
    assert [l.rule for l in verdict.lines] == ["chain rule", "power rule", "simplify"]
    verdict = run_working("x^2 sin(x)", "d/dx(x^2) sin(x) + x^2 d/dx(sin(x))")
    assert verdict.lines[0].rule == "product rule"


def test_the_first_wrong_line_shows_the_right_step_one_rule_at_a_time():
    verdict = run_working("sin(x^2)", "-cos(x^2) * d/dx(x^2)")
    assert verdict.lines[0].right_step == "cos(x^2)*d/dx(x^2)"
    verdict = run_working("sin(x^2)", "cos(x^2)*d/dx(x^2)\ncos(x^2) * 2x^2")
    assert verdict.lines[1].right_step == to_input(2 * sympy.Symbol("x", real=True)
                                                   * sympy.cos(sympy.Symbol("x", real=True) ** 2))


def test_an_unfinished_working_is_not_correct():
    verdict = run_working("sin(x^2)", "cos(x^2) * d/dx(x^2)")
    assert [l.status for l in verdict.lines] == ["right"]
    assert not verdict.correct
    doc = working_document(verdict)
    assert doc["correct"] is False and doc["mistake"] == "unknown" and "stops" in doc["message"]


def test_blank_lines_and_leading_equals_are_ignored():
    assert split_lines("\n  = a\n\n b \n") == ["a", "b"]


def test_second_order_working():
    got, verdict = statuses("x^4", "d/dx(4x^3)\n12x^2", order=2)
    assert got == [("right", None), ("right", None)] and verdict.correct


# ── generated workings: one slip at line k, carried forward ─────────────────────────
X = sympy.Symbol("x", real=True)
U = sympy.Symbol("u", real=True)
OUTER = {"sin": sympy.sin, "cos": sympy.cos, "exp": sympy.exp, "tanh": sympy.tanh}


def working_with_slip(name: str, a: int, n: int, k: int | None) -> tuple[str, str]:
    """(function, working) for d/dx name(a x^n): three lines, one slip at line k (None:
    no slip), every later line a correct step from the learner's own previous line."""
    fn = OUTER[name]
    inner = a * X**n
    outer_d = sympy.diff(fn(U), U).subs(U, inner)
    inner_d = sympy.diff(inner, X)
    shown = f"({to_input(outer_d)})"
    line1 = f"{shown} * d/dx({to_input(inner)})"
    if k == 1:  # the inner derivative dropped
        return to_input(fn(inner)), "\n".join([to_input(outer_d)] * 2 + [to_input(sympy.expand(outer_d))])
    wrong_inner = a * n * X**n if k == 2 else inner_d  # exponent kept by the power rule
    line2 = f"{shown} * ({to_input(wrong_inner)})"
    value = outer_d * wrong_inner
    line3 = to_input(value / 2 if k == 3 else value)  # a factor lost when tidying up
    return to_input(fn(inner)), "\n".join([line1, line2, line3])


LABELS = {1: "missing_chain_factor", 2: "power_rule", 3: "algebra"}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(OUTER)), st.integers(1, 3), st.integers(2, 4),
       st.sampled_from([None, 1, 2, 3]))
def test_the_first_wrong_line_and_its_label_are_found(name, a, n, k):
    function, working = working_with_slip(name, a, n, k)
    verdict = run_working(function, working)
    assert verdict.first_wrong_line == k, (function, working, [l.message for l in verdict.lines])
    if k is None:
        assert verdict.correct
        return
    wrong = verdict.lines[k - 1]
    assert wrong.status == "wrong" and wrong.mistake == LABELS[k], (function, working, wrong.message)
    assert [l.status for l in verdict.lines[k:]] == ["follows"] * (3 - k)


# ── the command line ────────────────────────────────────────────────────────────────
def test_cli_working_file_json(tmp_path):
    path = tmp_path / "steps.txt"
    path.write_text("cos(x^2) * d/dx(x^2)\ncos(x^2) * 2x^2\n2x^2 cos(x^2)\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["check", "sin(x^2)", "--working", str(path), "--json"])
    assert res.exit_code == 1, res.output
    doc = json.loads(res.stdout)
    assert doc["correct"] is False and doc["first_wrong_line"] == 2
    assert doc["mistake"] == "power_rule"
    assert [l["status"] for l in doc["lines"]] == ["right", "wrong", "follows"]
    assert set(doc["lines"][0]) >= {"n", "text", "status", "rule", "mistake", "message"}
    for key in ("task", "answer", "expected", "witnesses"):
        assert key in doc


def test_cli_working_stdin_right_exits_0():
    res = CliRunner().invoke(app, ["check", "sin(x^2)", "--working", "-", "--plain"],
                             input="cos(x^2) * d/dx(x^2)\n2x cos(x^2)\n")
    assert res.exit_code == 0, res.output
    assert "CORRECT" in res.stdout and "1. ok" in res.stdout


def test_cli_answer_with_newlines_is_a_working():
    res = CliRunner().invoke(app, ["check", "sin(x^2)", "cos(x^2)*d/dx(x^2)\n-2x cos(x^2)", "--json"])
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["first_wrong_line"] == 2 and doc["lines"][1]["mistake"] == "sign"


def test_cli_plain_marks_the_first_wrong_line_with_its_right_step():
    res = CliRunner().invoke(app, ["check", "sin(x^2)", "-cos(x^2) * d/dx(x^2)", "--working", "-",
                                   "--plain"], input="x")
    assert res.exit_code == 2  # an ANSWER and --working together
    res = CliRunner().invoke(app, ["check", "sin(x^2)", "--working", "-", "--plain"],
                             input="-cos(x^2) * d/dx(x^2)\n")
    assert res.exit_code == 1
    assert "WRONG" in res.stdout and "right step: cos(x^2)*d/dx(x^2)" in res.stdout
    assert all(ord(c) < 128 for c in res.stdout)


def test_cli_missing_file_and_unreadable_lines():
    res = CliRunner().invoke(app, ["check", "sin(x^2)", "--working", "/nonexistent/steps.txt"])
    assert res.exit_code == 2 and "cannot read" in res.output
    res = CliRunner().invoke(app, ["check", "sin(x^2)", "--working", "-", "--json"],
                             input="2x cos(x^2\n")
    assert res.exit_code == 1
    doc = json.loads(res.stdout)
    assert doc["lines"][0]["status"] == "unreadable" and "parenthesis" in doc["lines"][0]["message"]
