"""Taylor polynomials: syllabus section 10 numbers, exact coefficients, the remainder bound,
the multivariable expansion, JSON."""

from __future__ import annotations

import json
import math

import pytest
import sympy

from calctutor.commands.taylor import run_taylor
from calctutor.errors import CalcError
from calctutor.parsing import parse
from calctutor.render import taylor as view
from conftest import R

x, y = R("x"), R("y")


def test_exp_at_0_order_2_syllabus_numbers():
    r = run_taylor("e^x", at="0", order=2, eval_points="0.1,1")
    assert [t.coefficient for t in r.terms] == [1, 1, sympy.Rational(1, 2)]
    assert [t.derivative_value for t in r.terms] == [1, 1, 1]
    assert [t.factorial for t in r.terms] == [1, 1, 2]
    assert sympy.expand(r.polynomial - (1 + x + x**2 / 2)) == 0
    near, far = r.table
    assert near.approx == 1.105
    assert round(near.exact, 5) == 1.10517
    assert far.approx == 2.5
    assert round(far.exact, 5) == 2.71828
    assert far.error == pytest.approx(math.e - 2.5, rel=1e-15)


def test_partial_sums_at_1_orders_0_to_4():
    r = run_taylor("e^x", at="0", order=4, eval_points="1")
    sums = [round(v, 5) for v in r.table[0].partial_sums]
    assert sums == [1, 2, 2.5, 2.66667, 2.70833]


def test_default_eval_points_are_a_plus_tenth_half_one():
    r = run_taylor("e^x")
    assert [row.point["x"] for row in r.table] == [sympy.Rational(1, 10), sympy.Rational(1, 2), 1]


@pytest.mark.parametrize("text, at, order", [
    ("e^x", "0", 4), ("sin x", "pi/4", 3), ("cos x", "0", 6), ("e^x", "1", 2),
    ("ln(x)", "1", 3), ("x^2 - 2x", "1", 2), ("sigmoid(x)", "0", 3),
    ("x^2 + 3y^2 + x y", "x=1,y=2", 2), ("e^x sin y", "x=0,y=0", 3),
])
def test_polynomial_text_parses_back_to_the_polynomial(text, at, order):
    r = run_taylor(text, at=at, order=order)
    assert sympy.simplify(parse(r.polynomial_text) - r.polynomial) == 0
    for t in r.terms:
        assert sympy.simplify(parse(t.text) - t.term) == 0


def test_coefficients_match_sympy_series():
    r = run_taylor("sin x", at="0", order=7)
    series = sympy.series(sympy.sin(x), x, 0, 8).removeO()
    assert sympy.expand(r.polynomial - series) == 0


@pytest.mark.parametrize("text, at, points, order", [
    ("e^x", "0", "0.1,0.5,1,-1", 2),
    ("sin x", "0", "0.5,1,2", 3),
    ("ln(1 + x)", "0", "0.5,0.9", 3),
    ("cos x", "pi/3", "1,2", 4),
    ("1/(1 - x)", "0", "0.3,-0.5", 2),
])
def test_lagrange_bound_covers_the_error(text, at, points, order):
    r = run_taylor(text, at=at, order=order, eval_points=points)
    for row in r.table:
        assert row.bound is not None
        assert abs(row.error) <= row.bound * (1 + 1e-9)


def test_bound_is_null_when_the_next_derivative_blows_up_on_the_interval():
    r = run_taylor("1/(1 - x)", at="0", order=2, eval_points="2")
    assert r.table[0].bound is None


def test_multivariable_second_order():
    r = run_taylor("x^2 + 3y^2 + x y", at="x=1,y=2", order=2, eval_points="x=1.1,y=2.1; x=2,y=3")
    assert r.multivariable
    assert r.terms[0].derivative_value == 15
    assert r.gradient == (4, 13)
    assert r.hessian == ((2, 1), (1, 6))
    assert len(r.terms) == 6
    assert sympy.expand(r.polynomial - (x**2 + 3 * y**2 + x * y)) == 0  # a quadratic is its own
    assert [row.error for row in r.table] == [0.0, 0.0]
    assert [row.partial_sums for row in r.table][1] == (15.0, 32.0, 37.0)


def test_multivariable_first_order_is_the_tangent_plane():
    r = run_taylor("e^x sin y", at="x=0,y=pi/2", order=1)
    assert sympy.simplify(r.polynomial - (1 + x)) == 0


@pytest.mark.parametrize("text, kwargs, needle", [
    ("ln(x)", {"at": "0"}, "ln(x) is undefined at x = 0: ln needs its argument > 0"),
    ("sqrt(x)", {"at": "-1"}, "sqrt needs its argument >= 0"),
    ("abs(x)", {"at": "0", "order": 1}, "one-sided slopes -1 from the left and 1 from the right"),
    ("relu(x)", {"at": "0", "order": 1}, "relu(x) is not differentiable at x = 0"),
    ("abs(x)^3", {"at": "0", "order": 3}, "-6 from the left, 6 from the right"),
    ("abs(x*y)", {"at": "x=0,y=0", "order": 2}, "at a kink"),
    ("x y", {"at": "x=1,y=2", "order": 5}, "at most 4"),
    ("x^2", {"at": "y=1"}, "does not use"),
    ("x^2 + y", {"at": "x=1"}, "no value for y"),
    ("x^2", {"at": "0", "eval_points": ""}, "empty"),
])
def test_user_errors(text, kwargs, needle):
    with pytest.raises(CalcError) as info:
        run_taylor(text, **kwargs)
    assert needle in info.value.message


def test_json_document_matches_the_contract_and_round_trips():
    r = run_taylor("e^x", at="0", order=2, eval_points="0.1,1")
    doc = json.loads(json.dumps(view.to_json(r), allow_nan=False))
    assert set(doc) >= {"function", "point", "order", "polynomial", "terms", "table"}
    assert doc["point"] == 0 and doc["order"] == 2
    assert parse(doc["function"]) == sympy.exp(x)
    assert sympy.expand(parse(doc["polynomial"]) - (1 + x + x**2 / 2)) == 0
    for term in doc["terms"]:
        assert set(term) >= {"k", "derivative_value", "coefficient", "term"}
    assert [t["coefficient"] for t in doc["terms"]] == [1.0, 1.0, 0.5]
    rows = doc["table"]
    assert [row["x"] for row in rows] == [0.1, 1.0]
    assert rows[0]["approx"] == 1.105 and rows[1]["approx"] == 2.5
    assert rows[1]["exact"] == pytest.approx(math.e)
    assert rows[1]["error"] == pytest.approx(math.e - 2.5)


def test_multivariable_json_point_is_an_object():
    doc = view.to_json(run_taylor("x^2 + 3y^2 + x y", at="x=1,y=2"))
    assert doc["point"] == {"x": 1.0, "y": 2.0}
    assert doc["gradient"] == {"x": 4.0, "y": 13.0}
    assert doc["hessian"] == [[2.0, 1.0], [1.0, 6.0]]


def test_plain_view_is_ascii_and_names_the_numbers():
    text = view.to_plain(run_taylor("e^x", at="0", order=2, eval_points="0.1,1", plot=True))
    assert text.isascii()
    for needle in ("1 + x + x^2/2", "1.105", "1.10517", "2.71828", "order 2"):
        assert needle in text


def test_plot_figure_rises_in_order():
    r = run_taylor("e^x", at="0", order=3, plot=True)
    labels = [s.label for s in r.figure.series]
    assert labels[0].startswith("f(x)") and labels[1:] == ["order 1", "order 2", "order 3"]
