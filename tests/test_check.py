"""Grading single answers: equivalent and non-equivalent pairs, precision traps, CLI."""

from __future__ import annotations

import json
import subprocess

import pytest
from conftest import calctutor_command, run_cli

from calctutor.commands.check import run_check
from calctutor.errors import CalcError

# (function, answer): the answer is the derivative (w.r.t. x) in another form
RIGHT_DERIVATIVES = [
    ("x^3", "3x^2"),
    ("sin(x^2)", "2x cos(x^2)"),
    ("sin(2x+3)", "2cos(2x+3)"),
    ("sin((4x)^2)", "32 x cos(16x^2)"),
    ("(2x^3+3)^2", "12x^2(2x^3+3)"),
    ("(2x^3+3)^2", "24x^5 + 36x^2"),
    ("exp(-x^2)", "-2x e^(-x^2)"),
    ("x^x", "x^x (ln x + 1)"),
    ("sigmoid(x)", "sigmoid(x)(1 - sigmoid(x))"),
    ("sigmoid(x)", "e^(-x)/(1+e^(-x))^2"),
    ("softplus(x)", "sigmoid(x)"),
    ("softplus(x)", "1/(1+e^-x)"),
    ("tanh(x)", "1 - tanh(x)^2"),
    ("tanh(x)", "sech(x)^2"),
    ("abs(x)", "x/abs(x)"),
    ("abs(x)", "sign(x)"),
    ("relu(x)", "step(x)"),
    ("ln(x)", "1/x"),
    ("log10(x)", "1/(x ln 10)"),
    ("2^x", "2^x ln 2"),
    ("tan(x)", "1 + tan(x)^2"),
    ("asin(x)", "1/sqrt(1-x^2)"),
    ("sqrt(x)", "1/(2 sqrt x)"),
    ("x/(x+1)", "1/(x+1)^2"),
    ("sin(x)^2", "sin(2x)"),
    ("ln(1+e^x)", "sigmoid(x)"),
]

WRONG_DERIVATIVES = [
    ("sin(x^2)", "cos(x^2)"),
    ("x^3", "3x^3"),
    ("relu(x)", "1"),
    ("exp(-x^2)", "2x e^(-x^2)"),
    ("x/(x+1)", "-1/(x+1)^2"),
    ("10^10 x^2", "2*10^10 x + 1"),
    ("10^10 x^2 + x", "2*10^10 x"),
    ("abs(x)", "1"),
    ("sigmoid(x)", "sigmoid(x)"),
]


@pytest.mark.parametrize("function, answer", RIGHT_DERIVATIVES)
def test_right_answers_are_accepted(function, answer):
    verdict = run_check(function, answer)
    assert verdict.correct, verdict.message
    assert verdict.mistake is None or verdict.correct


@pytest.mark.parametrize("function, answer", WRONG_DERIVATIVES)
def test_wrong_answers_are_rejected_with_a_counterexample_or_diagnosis(function, answer):
    verdict = run_check(function, answer)
    assert not verdict.correct
    assert verdict.mistake is not None
    assert verdict.numeric.status == "different" or verdict.symbolic.status == "different"


def test_huge_coefficients_do_not_hide_a_wrong_constant():
    """float64 alone would call 2e10 x + 1 equal to 2e10 x; high precision does not."""
    verdict = run_check("10^10 x^2", "2*10^10 x + 1")
    assert not verdict.correct
    assert "differs from it by 1" in verdict.message


def test_relu_one_is_wrong_because_points_cover_negative_x():
    verdict = run_check("relu(x)", "1")
    assert not verdict.correct
    counter = verdict.numeric.counterexample
    assert counter is not None and counter.point["x"] < 0


def test_kinks_get_an_almost_everywhere_note():
    verdict = run_check("abs(x)", "x/abs(x)")
    assert verdict.correct
    assert any("corner" in note for note in verdict.notes)


def test_wrong_order_and_wrong_variable_are_named():
    assert run_check("x^4", "12x^2").mistake == "wrong_order"
    assert run_check("x^2 y^3", "3x^2 y^2", wrt="x").mistake == "wrong_variable"


def test_equivalent_task():
    assert run_check("1/(1+exp(-2x))", "tanh(x)/2 + 1/2", task="equivalent").correct
    assert run_check("sqrt(x^2)", "abs(x)", task="equivalent").correct
    assert not run_check("sqrt(x^2)", "x", task="equivalent").correct
    assert run_check("(x+1)^2", "x^2 + 2x + 1", task="equivalent").correct
    assert not run_check("(x+1)^2", "x^2 + 1", task="equivalent").correct


def test_form_feedback_does_not_mark_wrong():
    verdict = run_check("(2x^3+3)^2", "24x^5 + 36x^2")
    assert verdict.correct
    assert verdict.form == "expanded"


def test_hostile_answers_are_parse_errors():
    for answer in ("__import__('os').system('echo hi')", "lambda: 1", "x.__class__"):
        with pytest.raises(CalcError):
            run_check("x^2", answer)


def test_several_variables_need_wrt():
    with pytest.raises(CalcError, match="--wrt"):
        run_check("a^2 b", "2a b")


def _calctutor() -> list[str]:
    return calctutor_command()


def test_cli_exit_codes_and_json():
    right = run_cli("check", "sin(x^2)", "2x cos(x^2)", "--json")
    assert right.returncode == 0
    doc = json.loads(right.stdout)
    assert doc["correct"] is True and doc["mistake"] is None
    assert set(doc["witnesses"]) == {"symbolic", "numeric"}
    wrong = run_cli("check", "sin(x^2)", "cos(x^2)", "--json")
    assert wrong.returncode == 1
    assert json.loads(wrong.stdout)["correct"] is False
    bad = run_cli("check", "sin(x^2)", "cos(x^2")
    assert bad.returncode == 2
    assert "Traceback" not in bad.stderr and "^" in bad.stderr


@pytest.mark.e2e
def test_cli_batch_keeps_order_and_survives_bad_rows(tmp_path):
    rows = [
        {"id": "a", "function": "x^3", "answer": "3x^2"},
        {"id": "b", "function": "sin(2x)", "answer": "cos(2x)"},
        {"id": "c", "function": "x^", "answer": "1"},
        {"id": "d", "function": "exp(x)", "answer": "exp(x)", "task": "equivalent"},
        {"id": "e", "function": "x^2 y", "answer": "x^2", "variable": "y"},
    ]
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\nnot json\n")
    out = subprocess.run(_calctutor() + ["check", "--batch", str(path), "--jobs", "2"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    docs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["id"] for d in docs] == ["a", "b", "c", "d", "e", None]
    assert docs[0]["correct"] is True and docs[1]["correct"] is False
    assert "error" in docs[2] and "error" in docs[5]
    assert docs[3]["correct"] is True and docs[4]["correct"] is True
    assert "rows" in out.stderr


@pytest.mark.e2e
def test_cli_batch_csv(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text('id,function,answer\n1,x^2,2x\n2,"sin(x)",-cos(x)\n')
    out = subprocess.run(_calctutor() + ["check", "--batch", str(path), "--jobs", "1"],
                         capture_output=True, text=True)
    docs = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["correct"] for d in docs] == [True, False]
