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
from typer.testing import CliRunner

from calctutor.cli import app


def cli(*args):
    out = CliRunner().invoke(app, ["integrate", *args])
    assert out.exit_code == 0, out.output
    return out


def cli_json(*args):
    return json.loads(cli(*args, "--json").stdout)


def cli_plain(*args):
    text = cli(*args, "--plain").output
    assert text.isascii()
    return " ".join(text.split())  # remarks wrap: compare on single spaces


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
    assert r.exact is None and r.diverges
    assert any("diverges" in n and "mean nothing" in n for n in r.notes)


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


# ── improper integrals: say whether they converge, never the fundamental theorem across
#    a singularity ───────────────────────────────────────────────────────────────────
def test_one_over_x_across_zero_diverges_and_shows_no_ftc():
    doc = cli_json("1/x", "--from", "-1", "--to", "1", "--monte-carlo", "2000")
    assert doc["exact"] is None and doc["antiderivative"] is None
    assert doc["improper"] and doc["diverges"]
    conv = doc["convergence"]
    assert conv["kind"] == "interior singularity" and conv["points"] == ["0"]
    assert conv["converges"] is False
    assert "non-integrable singularity" in conv["message"] and "inside the interval" in conv["message"]
    assert conv["principal_value"] == "0"
    text = cli_plain("1/x", "--from", "-1", "--to", "1", "--monte-carlo", "2000")
    assert "F' = f" not in text and "F(1) - F(-1) means nothing" in text
    assert "diverges" in text and "Cauchy principal value" in text and "aside" in text
    assert "only on each side of x = 0" in text


def test_one_over_x_to_infinity_diverges_like_log():
    doc = cli_json("1/x", "--from", "1", "--to", "oo")
    assert doc["exact"] is None and doc["diverges"]
    assert doc["convergence"]["kind"] == "infinite interval"
    message = doc["convergence"]["message"]
    assert message.startswith("the integral diverges: the area grows like ln(b)")
    assert "inside the interval" not in message
    text = cli_plain("1/x", "--from", "1", "--to", "oo")
    assert "the integral diverges: the area grows like ln(b)" in text
    assert "singularity inside the interval" not in text


def test_one_over_sqrt_x_is_improper_and_converges_to_2():
    doc = cli_json("1/sqrt(x)", "--from", "0", "--to", "1", "--monte-carlo", "2000")
    assert doc["exact"] == "2" and doc["improper"] and not doc["diverges"]
    assert doc["convergence"]["kind"] == "endpoint singularity"
    assert doc["convergence"]["converges"] is True
    text = cli_plain("1/sqrt(x)", "--from", "0", "--to", "1", "--monte-carlo", "2000")
    assert "improper integral" in text and "converges to 2" in text


@pytest.mark.parametrize("text, lo, hi, exact", [
    ("relu(x)", "-1", "2", 2),
    ("sigmoid(x)", "-2", "2", 2),
    ("abs(x)", "-1", "2", sympy.Rational(5, 2)),
    ("max(x, 0) + step(x)", "-1", "2", 4),
])
def test_ml_functions_and_kinks_have_exact_values(text, lo, hi, exact):
    doc = cli_json(text, "--from", lo, "--to", hi, "--monte-carlo", "2000")
    assert parse(doc["exact"]) == exact
    assert doc["quadrature"]["value"] == pytest.approx(float(exact), abs=1e-9)


def test_kinked_integrand_is_split_into_pieces_with_their_antiderivatives():
    doc = cli_json("abs(x)", "--from", "-1", "--to", "2")
    assert doc["antiderivative"] is None
    pieces = [(p["from"], p["to"], parse(p["function"]), parse(p["antiderivative"]),
               parse(p["value"])) for p in doc["pieces"]]
    x = sympy.Symbol("x", real=True)
    assert pieces == [("-1", "0", -x, -x**2 / 2, sympy.Rational(1, 2)),
                      ("0", "2", x, x**2 / 2, 2)]
    text = cli_plain("relu(x)", "--from", "-1", "--to", "2")
    assert "on [-1, 0] f = 0, F = 0" in text and "on [0, 2] f = x, F = x^2/2" in text
    assert "different formula on each" in text


def test_sigmoid_antiderivative_holds_on_the_whole_interval():
    doc = cli_json("sigmoid(x)", "--from", "-2", "--to", "2")
    x = sympy.Symbol("x", real=True)
    F = parse(doc["antiderivative"])
    assert sympy.simplify(sympy.diff(F, x) - 1 / (1 + sympy.exp(-x))) == 0


# ── honest numbers ───────────────────────────────────────────────────────────────────
@pytest.mark.parametrize("text", ["1/sqrt(x)", "1/x^0.9"])
def test_monte_carlo_warns_when_the_variance_is_infinite(text):
    doc = cli_json(text, "--from", "0", "--to", "1", "--monte-carlo", "5000", "--seed", "2")
    mc = doc["monte_carlo"]
    assert mc["infinite_variance"] is True and mc["stderr"] is None
    assert mc["sample_stderr"] > 0 and "f^2" in mc["variance_note"]
    plain = cli_plain(text, "--from", "0", "--to", "1", "--monte-carlo", "5000", "--seed", "2")
    assert "variance of f is infinite" in plain and "standard error means nothing" in plain
    assert "+/-" not in plain.split("Monte Carlo", 1)[1].split("(", 1)[0]


def test_finite_variance_keeps_its_error_bar():
    doc = cli_json("sqrt(x)", "--from", "0", "--to", "1", "--monte-carlo", "5000")
    assert doc["monte_carlo"]["infinite_variance"] is False
    assert doc["monte_carlo"]["stderr"] > 0


def test_numeric_growth_check_of_the_second_moment():
    from calctutor.commands.integrate import Improper, _infinite_variance

    x = sympy.Symbol("x", real=True)
    imp = Improper("endpoint singularity", (sympy.S.Zero,), True, "")
    # a case SymPy's integrator is not asked: the numeric slope of f^2 near 0
    assert "1/|x|^1.80" in _infinite_variance(x ** sympy.Float(-0.9), x, sympy.S.Zero,
                                                  sympy.S.One, imp, symbolic=False)
    assert _infinite_variance(x ** sympy.Float(-0.4), x, sympy.S.Zero, sympy.S.One, imp,
                              symbolic=False) == ""


def test_quadrature_estimate_below_the_true_error_is_not_called_an_estimate():
    doc = cli_json("1/x^0.9", "--from", "0", "--to", "1", "--monte-carlo", "0")
    q = doc["quadrature"]
    assert q["true_error"] > q["routine_error_estimate"]
    assert q["error_estimate"] is None and q["estimate_trusted"] is False
    text = cli_plain("1/x^0.9", "--from", "0", "--to", "1", "--monte-carlo", "0")
    assert "error against the exact value" in text and "no estimate here" in text
    assert "estimated error" not in text


def test_quadrature_estimate_without_exact_value_is_labelled_as_the_routines_own():
    text = cli_plain("e^(sin x)", "--from", "0", "--to", "1", "--monte-carlo", "0")
    if "exact n/a" in text:
        assert "routine's own error estimate" in text and "not a guaranteed bound" in text
    else:
        assert "error against the exact value" in text


def test_syllabus_one_third_cli():
    doc = cli_json("x^2", "--from", "0", "--to", "1", "--monte-carlo", "100000", "--seed", "1")
    assert doc["exact"] == "1/3" and not doc["improper"]
    assert abs(doc["monte_carlo"]["estimate"] - 1 / 3) < 0.002
    assert doc["quadrature"]["estimate_trusted"] is True


def test_antiderivative_is_real_on_a_negative_interval():
    doc = cli_json("1/x", "--from", "-1", "--to", "-2", "--monte-carlo", "0")
    assert parse(doc["exact"]) == sympy.log(2)
    x = sympy.Symbol("x", real=True)
    assert parse(doc["antiderivative"]) == sympy.log(sympy.Abs(x))  # ln|x|, not ln(x)


def test_every_printed_expression_parses_back():
    for args in (("sin(x)/x", "--from", "-1", "--to", "1"), ("abs(x)", "--from", "-1", "--to", "2"),
                 ("1/x", "--from", "-1", "--to", "1"), ("sigmoid(x)", "--from", "-2", "--to", "2")):
        doc = cli_json(*args, "--monte-carlo", "0")
        for key in ("exact", "antiderivative"):
            if doc[key] is not None:
                parse(doc[key])
        for piece in doc["pieces"]:
            for key in ("function", "antiderivative", "value"):
                parse(piece[key])
        assert "Si(" not in json.dumps(doc)
