"""Definite integrals three ways: syllabus section 11 (1/3, Monte Carlo within ~0.001)."""

from __future__ import annotations

import json
import math

import pytest
import sympy

from calctutor.commands.integrate import run_integrate
from calctutor.errors import CalcError
from calctutor.parsing import parse
from calctutor.render import integrate as view


def test_x_squared_on_0_1_is_one_third_three_ways():
    r = run_integrate("x^2", "0", "1", samples=100_000, seed=1)
    assert r.exact == sympy.Rational(1, 3)
    assert sympy.simplify(sympy.diff(r.antiderivative, sympy.Symbol("x", real=True)) - parse("x^2")) == 0
    assert r.quadrature.value == pytest.approx(1 / 3, abs=1e-14)
    mc = r.monte_carlo
    assert mc.n == 100_000 and mc.seed == 1
    assert abs(mc.estimate - 1 / 3) < 0.002  # "within about 0.001"
    # the standard error of x^2 on [0, 1]: sqrt(4/45)/sqrt(N) = 0.000943
    assert mc.stderr == pytest.approx(math.sqrt(4 / 45) / math.sqrt(100_000), rel=0.03)


def test_monte_carlo_is_repeatable_with_a_seed_and_varies_without_it():
    a = run_integrate("x^2", "0", "1", samples=1000, seed=7).monte_carlo
    b = run_integrate("x^2", "0", "1", samples=1000, seed=7).monte_carlo
    c = run_integrate("x^2", "0", "1", samples=1000, seed=8).monte_carlo
    assert a == b
    assert a.estimate != c.estimate


def test_four_times_the_samples_halves_the_standard_error():
    small = run_integrate("sin x", "0", "pi", samples=10_000, seed=3).monte_carlo
    large = run_integrate("sin x", "0", "pi", samples=40_000, seed=3).monte_carlo
    assert large.stderr / small.stderr == pytest.approx(0.5, rel=0.05)


@pytest.mark.parametrize("text, lo, hi, exact", [
    ("e^(-x^2)", "-oo", "oo", sympy.sqrt(sympy.pi)),
    ("e^(-x)", "0", "oo", 1),
    ("1/(1 + x^2)", "-oo", "0", sympy.pi / 2),
    ("sin x", "0", "pi", 2),
    ("x^2", "1", "0", sympy.Rational(-1, 3)),
    ("3", "0", "2", 6),
])
def test_exact_and_quadrature_agree(text, lo, hi, exact):
    r = run_integrate(text, lo, hi, samples=2000)
    assert sympy.simplify(r.exact - exact) == 0
    assert r.quadrature.value == pytest.approx(float(exact), rel=1e-9, abs=1e-12)


def test_no_closed_form_still_gives_numbers():
    r = run_integrate("e^(sin x)", "0", "1", samples=5000)
    assert r.quadrature.value == pytest.approx(1.6318696084180513, rel=1e-9)
    if r.exact is None:
        assert r.exact_note


def test_divergent_integral_is_flagged():
    r = run_integrate("1/x", "-1", "1", samples=1000)
    assert r.exact is None
    assert any("does not converge" in n for n in r.notes)


def test_infinite_interval_has_no_monte_carlo():
    r = run_integrate("e^(-x)", "0", "oo")
    assert r.monte_carlo is None
    assert any("infinite interval" in n for n in r.notes)


@pytest.mark.parametrize("text, lo, hi, kwargs, needle", [
    ("x y", "0", "1", {}, "one variable"),
    ("x", "a", "1", {}, "number"),
    ("x", "0", "1", {"samples": 1}, "samples"),
])
def test_user_errors(text, lo, hi, kwargs, needle):
    with pytest.raises(CalcError) as info:
        run_integrate(text, lo, hi, **kwargs)
    assert needle in info.value.message


def test_json_document_round_trips():
    doc = json.loads(json.dumps(view.to_json(run_integrate("x^2", "0", "1", seed=1)),
                                allow_nan=False))
    assert parse(doc["exact"]) == sympy.Rational(1, 3)
    assert doc["exact_value"] == pytest.approx(1 / 3)
    assert parse(doc["antiderivative"]) == parse("x^3/3")
    assert doc["quadrature"]["value"] == pytest.approx(1 / 3)
    mc = doc["monte_carlo"]
    assert set(mc) >= {"estimate", "stderr", "n", "seed"}
    assert mc["n"] == 100_000 and mc["seed"] == 1


def test_plain_view_is_ascii():
    text = view.to_plain(run_integrate("x^2", "0", "1", seed=1))
    assert text.isascii()
    assert "1/3" in text and "Monte Carlo" in text
