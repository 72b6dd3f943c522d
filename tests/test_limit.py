"""``calctutor limit``: the limit of an expression (values from both sides, one-sided
limits, the exact limit and the argument that shows it), and ``limit --quotient``, the
derivative as a limit of difference quotients: syllabus sections 1 and 12 (exact
quotients, float64 cancellation, central versus forward differences)."""

from __future__ import annotations

import json
import math

import pytest
import sympy

from calctutor.commands.limit import run_limit as _run_limit
from calctutor.errors import CalcError
from calctutor.parsing import parse
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.render import limit as view
from calctutor.render.limit_quotient import decimal_text, h_text


def run_limit(text, **kwargs):
    return _run_limit(text, quotient=True, **kwargs)


def cli(*args):
    return CliRunner().invoke(app, list(args))


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
    assert "does not exist" in r.notes[0] and "corner" in r.notes[0] and "-1" in r.notes[0]
    assert all(row.forward == 1.0 for row in r.rows)
    assert all(row.backward == -1.0 for row in r.rows)
    assert r.one_sided == (-1, 1)


def test_corner_plain_view_shows_both_one_sided_quotients_not_a_limit_of_1():
    out = cli("limit", "|x|", "--at", "0", "--quotient", "--plain")
    assert out.exit_code == 0, out.output
    assert "1 -> 1 as h -> 0" not in out.output  # the old false "the derivative is 1"
    assert "one-sided slopes differ" in out.output
    assert "from the right" in out.output and "from the left" in out.output
    assert "backward difference" in out.output and "-1.00000" in out.output
    assert "does not exist" in out.output


def test_corner_json_names_both_slopes():
    out = cli("limit", "relu(x)", "--at", "0", "--quotient", "--json")
    doc = json.loads(out.stdout)
    assert doc["exact"] is None and doc["differentiable"] is False
    assert doc["one_sided"] == {"left": 0.0, "right": 1.0}
    assert doc["rows"][0]["forward"] == 1.0 and doc["rows"][0]["backward"] == 0.0


def test_vertical_tangent_has_no_derivative():
    r = run_limit("sqrt(x)", at="0")
    assert r.exact is None
    assert r.one_sided == (None, sympy.oo)
    assert "vertical tangent" in r.notes[0]
    assert "not real on that side" in r.notes[1] and "infinite" in r.notes[1]


@pytest.mark.parametrize("text", ["x*abs(x)", "abs(x)^3", "step(x)*x^2"])
def test_smooth_point_that_looks_like_a_corner_has_derivative_0(text):
    r = run_limit(text, at="0")
    assert r.exact == 0 and r.one_sided is None


def test_rounding_flag_is_relative_to_the_quotient_atan_far_out():
    # issue 20: f' ~ 1e-12 at 10^6; float64 rounding (~8e-16) dwarfs the truncation
    # error (~1e-19) already at h = 0.1, and the table must say so
    r = run_limit("atan(x)", at="1000000", steps="0.1")
    row = r.rows[0]
    truncation = abs(row.forward - r.exact_float)
    assert abs(row.forward_float64 - row.forward) > 100 * truncation
    assert row.rounding_wins_forward and row.rounding_wins_central
    out = cli("limit", "atan(x)", "--at", "1000000", "--h", "0.1", "--quotient", "--plain")
    assert "!" in out.output and "rounding error is larger" in out.output


def test_cli_quotient_json_contract_and_syllabus_numbers():
    out = cli("limit", "3x^2 - 4x", "--at", "1", "--quotient", "--json")
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert set(doc) >= {"function", "point", "rows", "exact"}
    assert doc["exact"] == 2.0
    for row in doc["rows"]:
        assert set(row) >= {"h", "forward", "central"}
    assert [round(r["forward"], 5) for r in doc["rows"][:5]] == [2.3, 2.03, 2.003, 2.0003, 2.00003]
    out = cli("limit", "x^2", "--at", "3", "--quotient", "--h", "0.0001", "--plain")
    assert "6.0001" in out.output
    out = cli("limit", "3x^2 + 2x", "--at", "1", "--quotient", "--h", "0.001", "--json")
    assert json.loads(out.stdout)["rows"][0]["forward_exact"] == "8003/1000"


@pytest.mark.parametrize("text, kwargs, needle", [
    ("x y", {"at": "1"}, "one variable"),
    ("ln(x)", {"at": "0"}, "not defined"),
    ("x^2", {"at": "oo"}, "finite"),
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


# ── the limit of EXPR itself ───────────────────────────────────────────────────────
def limit_json(*args):
    out = cli("limit", *args, "--json")
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def limit_plain(*args):
    out = cli("limit", *args, "--plain")
    assert out.exit_code == 0, out.output
    assert out.output.isascii() or "Hôpital" in out.output
    return out.output


@pytest.mark.parametrize("text, at, left, right, exact, method", [
    ("sin(x)/x", "0", 1.0, 1.0, 1.0, "L'Hôpital's rule"),
    ("(x^2-1)/(x-1)", "1", 2.0, 2.0, 2.0, "cancel a common factor"),
    ("abs(x)/x", "0", -1.0, 1.0, None, "one-sided limits"),
    ("1/x^2", "0", "oo", "oo", "oo", "one-sided limits"),
    ("1/x", "0", "-oo", "oo", None, "one-sided limits"),
    ("x^2 + 1", "2", 5.0, 5.0, 5.0, "direct substitution"),
    ("(1 - cos(x))/x^2", "0", 0.5, 0.5, 0.5, "L'Hôpital's rule"),
    ("tan(x)", "pi/2", "oo", "-oo", None, "one-sided limits"),
    ("step(x)", "0", 0.0, 1.0, None, "one-sided limits"),
])
def test_limit_json_contract(text, at, left, right, exact, method):
    doc = limit_json(text, "--at", at)
    assert set(doc) >= {"function", "point", "rows", "left", "right", "exact"}
    assert parse(doc["function"]) == parse(text)
    assert (doc["left"], doc["right"], doc["exact"], doc["method"]) == (left, right, exact, method)
    assert len(doc["rows"]) == 8
    for row in doc["rows"]:
        assert set(row) >= {"h", "left", "right"}
    json.dumps(doc, allow_nan=False)


def test_table_approaches_from_both_sides():
    doc = limit_json("sin(x)/x", "--at", "0")
    assert [r["h"] for r in doc["rows"][:3]] == [0.1, 0.01, 0.001]
    first = doc["rows"][0]
    assert first["left"] == pytest.approx(math.sin(0.1) / 0.1, rel=1e-15)
    assert first["right"] == pytest.approx(math.sin(0.1) / 0.1, rel=1e-15)
    assert first["x_left"] == -0.1 and first["x_right"] == 0.1
    # 30-digit evaluation: no cancellation noise even at h = 1e-8
    assert doc["rows"][-1]["right"] == pytest.approx(1 - 1e-16 / 6, abs=1e-16)


def test_removable_singularity_with_lhopital_steps():
    doc = limit_json("sin(x)/x", "--at", "0")
    assert doc["removable"] is True and doc["value_at_point"] is None
    rules = [s["rule"] for s in doc["steps"]]
    assert "L'Hôpital's rule" in rules
    step = next(s for s in doc["steps"] if s["rule"] == "L'Hôpital's rule")
    assert parse(step["u"]) == parse("sin(x)") and parse(step["v"]) == parse("x")
    assert parse(step["du"]) == parse("cos(x)") and parse(step["dv"]) == 1
    assert "0/0" in step["text"]
    text = limit_plain("sin(x)/x", "--at", "0")
    assert "removable singularity" in text and "u' = cos(x)" in text
    assert "limit: 1" in text


def _flat(text: str) -> str:
    """Plain output wraps to the terminal: compare words, not line breaks."""
    return " ".join(text.split())


def test_cancel_a_common_factor():
    text = _flat(limit_plain("(x^2-1)/(x-1)", "--at", "1"))
    assert "(x^2 - 1)/(x - 1) = x + 1" in text and "limit: 2" in text
    assert "removable singularity" in text


def test_lhopital_twice():
    doc = limit_json("(1 - cos(x))/x^2", "--at", "0")
    lhop = [s for s in doc["steps"] if s["rule"] == "L'Hôpital's rule"]
    assert len(lhop) == 2
    assert parse(lhop[1]["du"]) == parse("cos(x)") and parse(lhop[1]["dv"]) == 2


def test_infinity_over_infinity_at_infinity():
    doc = limit_json("x/e^x", "--at", "oo")
    assert doc["point"] == "oo" and doc["exact"] == 0.0 and doc["method"] == "L'Hôpital's rule"
    assert "oo/oo" in doc["steps"][0]["text"]
    assert doc["rows"][0]["x_left"] == 10.0 and doc["rows"][0]["right"] is None
    assert doc["rows"][0]["left"] == pytest.approx(10 * math.exp(-10))


def test_rational_function_at_minus_infinity_by_leading_terms():
    doc = limit_json("(3x^2+1)/(x^2-5)", "--at", "-oo")
    assert doc["point"] == "-oo" and doc["exact"] == 3.0 and doc["method"] == "leading terms"
    assert doc["rows"][0]["x_right"] == -10.0 and doc["rows"][0]["left"] is None


def test_zero_times_infinity_becomes_a_quotient():
    doc = limit_json("x*ln(x)", "--at", "0")
    assert doc["exact"] == 0.0 and doc["left"] is None and doc["left_status"] == "not real"
    assert doc["method"] == "L'Hôpital's rule"


def test_one_sided_limits_differ_plain():
    text = limit_plain("abs(x)/x", "--at", "0")
    assert "from the left: -1" in text and "from the right: 1" in text
    assert "does not exist" in text


def test_infinite_limits_plain():
    text = _flat(limit_plain("1/x^2", "--at", "0"))
    assert "limit: oo" in text and "vertical asymptote" in text
    assert "the denominator x^2 tends to 0 (positive on the left, positive on the right)" in text
    text = _flat(limit_plain("1/x", "--at", "0"))
    assert "-oo" in text and "does not exist" in text
    assert "negative on the left, positive on the right" in text


def test_edge_of_the_domain_and_oscillation():
    doc = limit_json("ln(x)", "--at", "0")
    assert doc["left"] is None and doc["right"] == "-oo" and doc["exact"] == "-oo"
    assert "to the right of" in doc["steps"][0]["text"]
    doc = limit_json("sin(1/x)", "--at", "0")
    assert doc["exact"] is None and doc["left_status"] == "oscillates"
    assert "oscillat" in doc["steps"][0]["text"]


def test_ml_functions():
    assert limit_json("relu(x)/x", "--at", "0")["left"] == 0.0
    assert limit_json("sigmoid(x)", "--at", "oo")["exact"] == 1.0
    assert limit_json("sigmoid(x)", "--at", "-oo")["exact"] == 0.0


def test_every_printed_expression_parses_back():
    for args in (("sin(x)/x", "--at", "0"), ("(x^2-1)/(x-1)", "--at", "1"),
                 ("x/e^x", "--at", "oo"), ("(1 - cos(x))/x^2", "--at", "0")):
        doc = limit_json(*args)
        for step in doc["steps"]:
            for key, value in step.items():
                if key not in ("rule", "text"):
                    parse(value)


def test_plot_of_the_function_near_the_point():
    r = _run_limit("sin(x)/x", at="0", plot=True)
    assert r.figure is not None and len(r.figure.series[0].xs) > 100
    assert 0.0 not in list(r.figure.series[0].xs)


@pytest.mark.parametrize("args, needle", [
    (("x y", "--at", "1"), "one variable"),
    (("x^2", "--at", "y"), "number"),
    (("x^2", "--at", "1", "--h", "0"), "positive"),
])
def test_limit_user_errors_exit_2(args, needle):
    out = cli("limit", *args)
    assert out.exit_code == 2 and needle in out.output
    assert "Traceback" not in out.output


# ── the REPL's :limit ──────────────────────────────────────────────────────────────
def _repl_result(line):
    from calctutor.repl.handlers import handle_line
    from calctutor.repl.registry import REGISTRY
    from calctutor.repl.state import Context, ReplState
    from calctutor.repl.transcript import Transcript

    ctx = Context(state=ReplState(), registry=REGISTRY, transcript=Transcript())
    (reply,) = handle_line(ctx, line)
    return reply.result


def test_repl_limit_is_the_limit_and_quotient_is_the_table():
    from calctutor.commands.limit import LimitResult
    from calctutor.commands.limit_quotient import QuotientResult

    result = _repl_result(":limit sin(x)/x --at 0")
    assert isinstance(result, LimitResult) and result.exact == 1
    result = _repl_result(":limit x^2 --at 3 --quotient --h 0.0001")
    assert isinstance(result, QuotientResult)
    assert decimal_text(result.rows[0].forward_exact, 4) == "6.0001"


def test_series_when_lhopital_would_take_too_many_rounds():
    doc = limit_json("(sin(x) - x + x^3/6)/x^5", "--at", "0")
    assert doc["exact"] == pytest.approx(1 / 120) and doc["exact_expr"] == "1/120"
    assert doc["method"] == "series expansion"
    step = next(s for s in doc["steps"] if s["rule"] == "series expansion")
    assert parse(step["series"]) == parse("1/120 - x^2/5040")
    assert "higher order" in step["text"]


def test_no_short_argument_is_said_plainly_without_a_traceback():
    doc = limit_json("x^2*sin(1/x)", "--at", "0")  # SymPy's series raises here
    assert doc["exact"] == 0.0 and doc["method"] == "SymPy's limit algorithm"
    assert "no short hand argument" in doc["steps"][-1]["text"]


def test_values_below_float64_range_are_not_shown_as_zero():
    text = limit_plain("x/e^x", "--at", "oo")
    assert "5.07595889754946e-432" in text


def test_an_undecided_side_is_not_reported_as_no_limit(monkeypatch):
    import calctutor.commands.limit as lim

    real = lim._sympy_limit

    def flaky(f, x, a, direction):
        if direction == "-":
            raise NotImplementedError("no verdict")
        return real(f, x, a, direction)

    monkeypatch.setattr(lim, "_sympy_limit", flaky)
    r = lim.run_limit("sin(x)/x", at="0")
    assert r.exact is None and r.method == lim.UNDETERMINED and not r.determined
    doc = view.to_json(r)
    assert doc["exists"] is None and doc["right"] == 1.0
    assert "does not exist" not in view.to_plain(r)
    assert "could not be determined" in view.to_plain(r)


def test_vertical_tangent_of_the_real_cube_root():
    r = run_limit("cbrt(x)", at="0")
    assert r.exact is None and "vertical tangent" in r.notes[0]
    out = cli("limit", "cbrt(x)", "--at", "-8")
    assert out.exit_code == 0 and "-2" in out.output


def test_leading_minus_is_an_expression():
    doc = limit_json("-x^2", "--at", "1")
    assert doc["exact"] == -1.0


def test_jump_quotients_are_not_given_the_branches_slopes():
    r = run_limit("step(x)", at="0")
    assert r.exact is None
    assert r.one_sided is None or r.one_sided != (0, 0)
