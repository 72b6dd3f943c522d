"""The numeric limit table: syllabus sections 1 and 12 (exact quotients, float64
cancellation, central versus forward differences)."""

from __future__ import annotations

import json
import math

import pytest
import sympy

from calctutor.commands.limit import run_limit
from calctutor.errors import CalcError
from calctutor.parsing import parse
from calctutor.render import limit as view
from calctutor.render.limit import decimal_text, h_text


def test_syllabus_forward_table_for_3x2_minus_4x_at_1():
    r = run_limit("3x^2 - 4x", at="1")
    assert r.exact == 2
    first_five = r.rows[:5]
    assert [row.h for row in first_five] == [sympy.Rational(1, 10**k) for k in range(1, 6)]
    assert [decimal_text(row.forward_exact) for row in first_five] == [
        "2.30000", "2.03000", "2.00300", "2.00030", "2.00003"]
    assert [row.forward for row in first_five] == [2.3, 2.03, 2.003, 2.0003, 2.00003]
    # a polynomial at a rational h: the quotient is an exact rational, 2 + 3h
    for row in r.rows:
        assert row.forward_exact == 2 + 3 * row.h
        assert row.central_exact == 2


def test_h_runs_from_1e_1_to_1e_12_by_default():
    r = run_limit("3x^2 - 4x", at="1")
    assert [h_text(row.h) for row in r.rows] == [f"1e-{k}" for k in range(1, 13)]


def test_float64_column_is_what_learner_code_computes():
    r = run_limit("3x^2 - 4x", at="1")

    def f(t):
        return 3 * t**2 - 4 * t

    for row in r.rows:
        h = float(row.h)
        assert row.forward_float64 == pytest.approx((f(1 + h) - f(1)) / h, rel=1e-12, abs=1e-12)
        assert row.central_float64 == pytest.approx((f(1 + h) - f(1 - h)) / (2 * h),
                                                    rel=1e-12, abs=1e-12)


def test_cancellation_takes_over_for_small_h():
    r = run_limit("3x^2 - 4x", at="1")
    takeover = r.takeover("forward")
    assert takeover is not None and sympy.Rational(1, 10**10) <= takeover <= sympy.Rational(1, 10**6)
    last = r.rows[-1]  # h = 1e-12: float64 is far worse than exact arithmetic
    assert abs(last.forward_float64 - 2) > 1e3 * abs(last.forward - 2)
    assert all(row.rounding_wins_forward for row in r.rows if row.h < sympy.Rational(1, 10**9))
    assert not any(row.rounding_wins_forward for row in r.rows[:4])


def test_central_beats_forward_until_rounding_for_sin():
    r = run_limit("sin x", at="1")
    exact = math.cos(1)
    assert r.exact_float == pytest.approx(exact)
    row = r.rows[1]  # h = 0.01
    assert abs(row.central_float64 - exact) < abs(row.forward_float64 - exact) / 100
    assert abs(row.forward_exact - sympy.cos(1)) < sympy.Rational(1, 100)


def test_syllabus_x_squared_at_3_with_h_1e_4():
    r = run_limit("x^2", at="3", steps="0.0001")
    assert len(r.rows) == 1
    assert r.rows[0].forward_exact == sympy.Rational(60001, 10000)
    assert decimal_text(r.rows[0].forward_exact, 4) == "6.0001"
    assert r.exact == 6


def test_syllabus_3x2_plus_2x_at_1_with_h_1e_3():
    r = run_limit("3x^2 + 2x", at="1", steps="0.001")
    assert r.rows[0].forward_exact == sympy.Rational(8003, 1000)
    assert r.exact == 8
    assert str(r.derivative) == str(parse("6x + 2"))


def test_walk_the_limit_by_hand():
    r = run_limit("x^2", at="3")
    h = r.h_symbol
    assert sympy.expand(r.quotient - (6 + h)) == 0


def test_corner_has_no_derivative():
    r = run_limit("abs(x)", at="0")
    assert r.exact is None
    assert "not differentiable" in r.notes[0] and "-1" in r.notes[0]
    assert all(row.forward == 1.0 for row in r.rows)


@pytest.mark.parametrize("text, kwargs, needle", [
    ("x y", {"at": "1"}, "one variable"),
    ("ln(x)", {"at": "0"}, "not defined"),
    ("x^2", {"at": "1", "steps": "0"}, "positive"),
    ("x^2", {"at": "1", "steps": "-0.1"}, "positive"),
    ("x^2", {"at": "y"}, "number"),
])
def test_user_errors(text, kwargs, needle):
    with pytest.raises(CalcError) as info:
        run_limit(text, **kwargs)
    assert needle in info.value.message


def test_json_document_matches_the_contract():
    doc = json.loads(json.dumps(view.to_json(run_limit("3x^2 - 4x", at="1")), allow_nan=False))
    assert set(doc) >= {"function", "point", "rows", "exact"}
    assert parse(doc["function"]) == parse("3x^2 - 4x")
    assert doc["point"] == 1.0 and doc["exact"] == 2.0
    assert len(doc["rows"]) == 12
    for row in doc["rows"]:
        assert set(row) >= {"h", "forward", "central"}
    assert [row["h"] for row in doc["rows"][:3]] == [0.1, 0.01, 0.001]
    assert [round(row["forward"], 5) for row in doc["rows"][:5]] == [
        2.3, 2.03, 2.003, 2.0003, 2.00003]
    assert parse(doc["rows"][0]["forward_exact"]) == sympy.Rational(23, 10)


def test_json_exact_is_null_at_a_corner():
    doc = view.to_json(run_limit("abs(x)", at="0"))
    assert doc["exact"] is None


def test_plain_view_is_ascii_and_marks_the_takeover():
    text = view.to_plain(run_limit("3x^2 - 4x", at="1", plot=True))
    assert text.isascii()
    assert "2.30000" in text and "2.00003" in text
    assert "-1.2e-08 !" in text and "rounding error is larger than truncation" in text
    assert "1e-12" in text


def test_error_plot_uses_log_axes():
    r = run_limit("sin x", at="1", plot=True)
    assert r.figure.xlog and r.figure.ylog
    assert len(r.figure.series) == 3
