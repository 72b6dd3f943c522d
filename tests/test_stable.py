"""calctutor stable: naive vs stable float64 forms against the exact value (syllabus 12),
the rewrites' correctness as real functions, the events, and the log1p/expm1 rows."""

from __future__ import annotations

import json
import math

import mpmath
import numpy as np
import pytest
import sympy
from typer.testing import CliRunner

from calctutor.commands.stable import run_stable
from calctutor.errors import CalcError
from calctutor.parsing import parse, to_input
from calctutor.render import stable as view
from calctutor.stability import naive_form, stable_form
from conftest import R


def test_the_syllabus_logsumexp():
    r = run_stable("logsumexp(1000, 1001, 1002)")
    assert math.isinf(r.naive.value)
    assert r.stable.value == pytest.approx(1002.40760596444438, rel=1e-15)
    assert str(r.exact).startswith("1002.40760596")
    assert [e.kind for e in r.naive.evaluation.events] == ["overflow"] * 3
    assert r.rewrites[0].name == "log-sum-exp max shift"
    assert "the naive form fails here; the stable form is accurate" in view.to_plain(r)


@pytest.mark.parametrize("text,at,kind", [
    ("softplus(x)", "x=800", "overflow"),
    ("ln(1 + x)", "x=1e-20", "absorbed"),
    ("e^x - 1", "x=1e-12", "cancellation"),
    ("ln(sigmoid(x))", "x=-800", "zero"),
    ("logsumexp(x, y)", "x=-1000,y=-1000", "underflow"),
])
def test_naive_fails_and_stable_is_accurate(text, at, kind):
    r = run_stable(text, at=at)
    assert r.naive.trouble and not r.stable.trouble
    assert kind in {e.kind for e in r.naive.evaluation.events}
    assert r.stable.relative_error < 1e-14


def test_a_value_outside_float64_range_is_said_plainly():
    r = run_stable("sigmoid(x)", at="x=-800")
    assert float(r.exact) == 0.0 and r.exact > 0  # 3.67e-348 exactly, 0 in float64
    assert "outside float64's range" in view.to_plain(r)


def test_nothing_to_rewrite():
    r = run_stable("x^2 + 1", at="x=3")
    assert r.rewrites == () and r.naive.value == r.stable.value == 10.0
    assert "no stable rewrite is known" in view.to_plain(r)


X = R("x")
Y = R("y")


@pytest.mark.parametrize("text", [
    "sigmoid(x)", "softplus(x)", "logsumexp(x, y)", "ln(1 + x^2)", "e^x - 1",
    "ln(sigmoid(x))", "ln(1 - sigmoid(x))", "softplus(2x) - logsumexp(x, 2y, 0)",
])
def test_naive_and_stable_forms_equal_the_function(text):
    expr = parse(text)
    stable, _ = stable_form(expr)
    naive = naive_form(expr)
    for a, b in [(-7.5, 0.3), (-0.2, 2.0), (0.0, -1.0), (3.0, 4.0), (40.0, -30.0)]:
        subs = {X: sympy.Float(a, 40), Y: sympy.Float(b, 40)}
        truth = sympy.N(expr.xreplace(subs), 30)
        for form in (stable, naive):
            assert sympy.N(form.xreplace(subs), 30) == pytest.approx(float(truth), rel=1e-12)


def test_forms_print_in_our_syntax_and_parse_back():
    for text in ["softplus(x)", "logsumexp(x, y)", "sigmoid(x)", "ln(1 + x)", "e^x - 1"]:
        stable, _ = stable_form(parse(text))
        for form in (stable, naive_form(parse(text))):
            assert parse(to_input(form)) == form


def test_float64_values_are_ieee_results():
    # the naive softplus at 30 is computed as written: log(1 + exp(30)) in float64
    r = run_stable("softplus(x)", at="x=30")
    assert r.naive.value == float(np.log(1.0 + np.exp(30.0)))


@pytest.mark.parametrize("name,fn,mp,point", [
    ("log1p", np.log1p, mpmath.log1p, 1e-12), ("expm1", np.expm1, mpmath.expm1, 1e-12),
    ("log1p", np.log1p, mpmath.log1p, 3.5), ("expm1", np.expm1, mpmath.expm1, -2.0),
])
def test_log1p_and_expm1_rows(name, fn, mp, point):
    from calctutor.graph import derivative_values, gradient_values

    expr = parse(f"{name}(x)")
    value, _ = gradient_values(expr, {"x": np.array([point])})
    assert value[0] == pytest.approx(fn(point), rel=1e-15)
    assert sympy.N(expr.xreplace({X: sympy.Rational(point)}), 25) == pytest.approx(
        float(mp(mpmath.mpf(point))), rel=1e-15)
    d = derivative_values(expr, "x", {"x": np.array([point])})[0]
    h = 1e-6 * max(1.0, abs(point))
    assert d == pytest.approx((fn(point + h) - fn(point - h)) / (2 * h), rel=1e-6)
    truth = sympy.diff(expr.rewrite(sympy.log) if name == "log1p" else expr.rewrite(sympy.exp), X)
    assert sympy.simplify(sympy.diff(expr, X) - truth) == 0


def test_json_document_and_cli():
    from calctutor.cli import app

    res = CliRunner().invoke(app, ["stable", "logsumexp(1000, 1001, 1002)", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["naive"]["value"] == "oo" and doc["stable"]["value"] == pytest.approx(1002.4076059644444)
    assert doc["exact"].startswith("1002.4076059644")
    assert parse(doc["stable"]["expression"]) is not None
    res = CliRunner().invoke(app, ["stable", "x^2"])
    assert res.exit_code == 2 and "--at" in res.output


def test_missing_value_is_refused():
    with pytest.raises(CalcError, match="needs a value for y"):
        run_stable("x + y", at="x=1")


def test_the_exact_value_survives_cancellation_below_30_digits():
    # 1 + e^-800 is 1 to 347 digits: one 30-digit evaluation says ln(...) = 0
    r = run_stable("ln(1 + exp(x))", at="x=-800")
    assert r.exact > 0
    assert float(r.exact / sympy.Float(mpmath.log1p(mpmath.exp(-800)), 30)) == pytest.approx(1)
    assert "outside float64's range" in view.to_plain(r)
    assert run_stable("sin(x)", at="x=pi").exact.is_zero  # a true 0 is still 0


def test_softplus_spelled_out_gets_the_softplus_rewrite():
    r = run_stable("ln(1 + e^x)", at="x=800")
    assert math.isinf(r.naive.value)
    assert r.stable.value == pytest.approx(800.0) and not r.stable.trouble
    assert r.rewrites[0].name.startswith("softplus")
