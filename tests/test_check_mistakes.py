"""Mistake diagnosis: each classic slip is named, and property tests over random functions."""

from __future__ import annotations

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calctutor.commands.check import run_check
from calctutor.grading.grade import grade
from calctutor.grading.mutations import mistaken_derivatives
from calctutor.parsing import parse, to_input

# (function, wrong answer, label CLI.md prescribes)
MISTAKES = [
    ("sin(x^2)", "cos(x^2)", "missing_chain_factor"),
    ("exp(3x)", "exp(3x)", "missing_chain_factor"),
    ("ln(x^2+1)", "1/(x^2+1)", "missing_chain_factor"),
    ("(x^2+1)^3", "3(x^2+1)^2", "missing_chain_factor"),
    ("sin(x)", "-cos(x)", "wrong_outer_derivative"),
    ("cos(x)", "sin(x)", "wrong_outer_derivative"),
    ("tan(x)", "sec(x)", "wrong_outer_derivative"),
    ("sin(x^2)", "2x cos(x)", "wrong_outer_derivative"),
    ("x sin(x)", "cos(x)", "product_rule"),
    ("x^2 e^x", "2x e^x", "product_rule"),
    ("x sin(x)", "sin(x)", "product_rule"),
    ("x/(x+1)", "-1/(x+1)^2", "quotient_rule"),
    ("sin(x)/x", "(x cos(x) - sin(x))/x", "quotient_rule"),
    ("x^3", "3x^3", "power_rule"),
    ("x^3", "x^2", "power_rule"),
    ("x^5", "5x^6", "power_rule"),
    ("x^3 - x^2", "3x^2 + 2x", "sign"),
    ("2^x", "x 2^(x-1)", "exp_rule"),
    ("2^x", "2^x", "exp_rule"),
    ("log10(x)", "1/x", "log_rule"),
    ("ln(x^2+1)", "1/x", "log_rule"),
    ("5x + 3", "6", "constant_rule"),
    ("x^4", "12x^2", "wrong_order"),
    ("x^2 y^3", "3x^2 y^2", "wrong_variable"),
    # issue 14: slips at any depth, compositions read as powers, variable exponents
    ("x^x", "x x^(x-1)", "exp_rule"),
    ("x^x", "x^x ln(x)", "exp_rule"),
    ("e^(x^2)", "x^2 e^(x^2-1)", "exp_rule"),
    ("sin(x^2)", "2 sin(x) cos(x)", "wrong_outer_derivative"),
    ("sin(x)^2", "2x cos(x^2)", "wrong_outer_derivative"),
    ("x^3 - x^2 + x", "3x^2 - 2x - 1", "sign"),
    ("x^2 e^(3x)", "2x e^(3x) - 3x^2 e^(3x)", "sign"),
    ("sin(x^2 - x)", "(2x + 1) cos(x^2 - x)", "sign"),
    ("x^3 sin(x)", "-(3x^2 sin(x) + x^3 cos(x))", "sign"),
]


@pytest.mark.parametrize("function, answer, label", MISTAKES)
def test_each_classic_slip_is_named(function, answer, label):
    wrt = "x"
    verdict = run_check(function, answer, wrt=wrt)
    assert not verdict.correct
    assert verdict.mistake == label, verdict.message
    assert verdict.diagnosis is not None and verdict.diagnosis.message


def test_two_slips_are_both_named_first_by_the_table_order():
    # the chain factor dropped at both nested sites and the power rule's exponent kept
    verdict = run_check("sin(cos(x^2))", "cos(cos(x^2)) * (-sin(x^2))")
    assert verdict.mistake == "missing_chain_factor"
    verdict = run_check("exp(sin(x^2))", "exp(sin(x^2)) cos(x^2)")
    assert verdict.mistake == "missing_chain_factor"
    verdict = run_check("sin(x^3)", "3x^3 cos(x)")
    assert verdict.diagnosis is not None
    assert verdict.diagnosis.mistakes == ["wrong_outer_derivative", "power_rule"], verdict.message
    assert verdict.message.startswith("Two slips")
    verdict = run_check("x^3 - x^2 + x", "3x^2 + 2x - 1")  # two terms' signs
    assert verdict.diagnosis is not None and verdict.diagnosis.mistakes == ["sign", "sign"]
    verdict = run_check("sin(x^2) + cos(x^3)", "cos(x^2) - sin(x^3)")  # two chain factors
    assert verdict.diagnosis.mistakes == ["missing_chain_factor", "missing_chain_factor"]


def test_json_has_the_mistakes_list():
    from calctutor.grading.verdict import verdict_document

    doc = verdict_document(run_check("x^3 - x^2 + x", "3x^2 - 2x - 1"))
    assert doc["mistake"] == "sign" and doc["mistakes"] == ["sign"]
    assert verdict_document(run_check("x^2", "2x"))["mistakes"] == []


def test_the_message_names_the_rule_and_the_subexpression():
    verdict = run_check("sin(x^2)", "cos(x^2)")
    assert "chain rule at sin(x^2)" in verdict.message
    assert "cos(x^2)" in verdict.message and "2*x" in verdict.message


def test_unknown_mistake_shows_a_counterexample():
    verdict = run_check("x^2", "x + 7")
    assert verdict.mistake == "unknown"
    assert "At x = " in verdict.message


# ── properties over random functions ───────────────────────────────────────────────
_ATOMS = ["x", "2x", "x^2", "3", "(x+1)"]
_UNARY = ["sin", "cos", "exp", "ln", "tanh", "sigmoid", "sqrt"]


@st.composite
def functions(draw) -> str:
    """Small random functions of x built from compositions, products and quotients."""
    def leaf():
        return draw(st.sampled_from(_ATOMS))

    def unary(inner):
        fn = draw(st.sampled_from(_UNARY))
        if fn in ("ln", "sqrt"):
            inner = f"({inner})^2 + 1"
        return f"{fn}({inner})"

    a = unary(leaf()) if draw(st.booleans()) else leaf()
    b = unary(leaf())
    op = draw(st.sampled_from(["*", "+", "/", "-"]))
    if op == "/":
        b = f"({b})^2 + 1"
    return f"({a}) {op} ({b})"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(functions())
def test_the_engines_own_derivative_is_always_correct(text):
    function = parse(text)
    answer = sympy.diff(function, sympy.Symbol("x", real=True))
    verdict = grade(function, answer, variable="x", structured=parse(text, evaluate=False))
    assert verdict.correct, (text, to_input(answer), verdict.message)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(functions(), st.data())
def test_every_injected_mistake_is_wrong_with_a_label(text, data):
    structured = parse(text, evaluate=False)
    function = parse(text)
    x = sympy.Symbol("x", real=True)
    truth = sympy.diff(function, x)
    candidates = [c for c in mistaken_derivatives(structured, "x")
                  if sympy.simplify(c.derivative - truth) != 0]
    if not candidates:
        return
    candidate = data.draw(st.sampled_from(candidates))
    verdict = grade(function, candidate.derivative, variable="x", structured=structured)
    assert not verdict.correct, (text, candidate)
    assert verdict.mistake is not None and verdict.mistake != "unknown", (text, candidate, verdict.message)
