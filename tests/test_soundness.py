"""Sound verdicts: no wrong answer accepted wherever it is wrong, no right answer rejected.

The numeric witness looks where the expressions say (kinks, poles, domain edges, narrow
bumps, the scale of the constants), so answers wrong only far out, only past a far kink
or only inside a narrow bump are rejected; answers defined on only part of the domain
are "right only for ..."; batch and single calls agree row by row.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.commands.batch import grade_row
from calctutor.commands.check import run_check
from calctutor.grading import precise, sampling
from calctutor.parsing import parse

runner = CliRunner()


def cli(*args: str):
    return runner.invoke(app, ["check", *args])


def cli_json(*args: str) -> tuple[int, dict]:
    result = cli("--json", *args)
    return result.exit_code, json.loads(result.stdout)


# ── the examples of the issue, through the CLI ──────────────────────────────────────

WRONG_FAR_OUT = [
    ("abs(x - 50)", "-1"),
    ("max(x, 20)", "0"),
    ("ln(abs(x - 30))", "-1/abs(x - 30)"),
    ("abs(x^2 - 400)", "-2*x"),
    ("x^2", "2*x + step(x - 16)"),
    ("exp(x)", "exp(x) + exp(-10^6*x^2)"),
]


@pytest.mark.parametrize("function, answer", WRONG_FAR_OUT)
def test_answers_wrong_outside_the_old_box_are_not_correct(function, answer):
    code, doc = cli_json("--", function, answer)
    assert code == 1
    assert doc["correct"] is False
    assert doc["witnesses"]["numeric"] == "different"
    assert doc["counterexample"]["point"]


@pytest.mark.parametrize("function, answer", [
    ("acosh(x/20)", "1/(sqrt(x - 20)*sqrt(x + 20))"),
    ("asin(20*x)", "20/(sqrt(1 - 20*x)*sqrt(1 + 20*x))"),
    ("ln(x - 100)", "1/(x - 100)"),
    ("sqrt(x - 1000)", "1/(2 sqrt(x - 1000))"),
])
def test_right_answers_whose_domain_is_outside_the_old_box_are_correct(function, answer):
    code, doc = cli_json(function, answer)
    assert (code, doc["correct"]) == (0, True)


def test_nested_radicals_are_equal():
    code, doc = cli_json("--task", "equivalent", "sqrt(3 - 2*sqrt(2))*x + ln(x - 100)",
                         "(sqrt(2) - 1)*x + ln(x - 100)")
    assert (code, doc["correct"]) == (0, True)
    assert doc["witnesses"]["symbolic"] in ("equal", "unknown")


def test_answer_defined_beyond_the_domain_is_correct_with_a_note():
    # ln x is defined only for x > 0; there 1/|x| is its derivative
    code, doc = cli_json("ln(x)", "1/|x|")
    assert (code, doc["correct"]) == (0, True)
    assert doc["domain"] == "x > 0"
    assert any("x < 0" in n for n in doc["notes"])
    code, doc = cli_json("sqrt(x)", "1/(2 sqrt(|x|))")
    assert (code, doc["correct"]) == (0, True)
    assert any("x < 0" in n for n in doc["notes"])


@pytest.mark.parametrize("args, agrees_on, missing", [
    (("x*ln(|x|)", "ln(x) + 1"), "x > 0", "x < 0"),
    (("sqrt(x^2 - 1)", "sqrt(x+1)/sqrt(x-1)*x/(x+1)"), "x > 1", "x < -1"),
    (("--task", "equivalent", "ln(x^2)", "2 ln(x)"), "x > 0", "x < 0"),
])
def test_answer_defined_on_part_of_the_domain_is_right_only_there(args, agrees_on, missing):
    code, doc = cli_json(*args)
    assert code == 1 and doc["correct"] is False
    assert doc["agrees_on"] == agrees_on
    assert doc["message"].startswith(f"Right only for {agrees_on}")
    assert missing in doc["message"]
    assert doc["counterexample"]["answer"] is None  # the answer is undefined there


def test_plain_output_names_the_region():
    result = cli("--plain", "x*ln(|x|)", "ln(x) + 1")
    assert result.exit_code == 1
    assert "Right only for x > 0" in result.stdout


def test_right_answer_everywhere_has_no_agrees_on():
    code, doc = cli_json("x^2", "2x")
    assert code == 0 and doc["agrees_on"] is None


# ── the symbolic witness never says "different" without a point ─────────────────────

def test_symbolic_different_comes_with_a_confirmed_point():
    from calctutor.grading import symbolic

    found = symbolic.compare(parse("x/(x+1)"), parse("1/(x+2)"))
    assert found.status == "different"
    assert found.point is not None
    a, b = found.values
    assert a != pytest.approx(b)


def test_symbolic_difference_outside_every_domain_is_unknown():
    from calctutor.grading import symbolic

    # the two differ by 1, but neither is defined anywhere on the real line
    a, b = parse("sqrt(-1 - x^2) + 1"), parse("sqrt(-1 - x^2)")
    assert symbolic.compare(a, b).status == "unknown"


# ── the high-precision court of appeal ──────────────────────────────────────────────

def test_high_precision_sign_of_a_nearly_cancelling_sum():
    # next to -pi/2, sec + tan is a tiny difference of huge numbers: SymPy's own sign()
    # gets it wrong, so the derivative of ln|sec + tan| looked different from sec
    e = parse("(tan(x) + sec(x))*sec(x)*sign(tan(x) + sec(x))/abs(tan(x) + sec(x))")
    for offset in (1.6e-8, -1.6e-8):
        point = {"x": -np.pi / 2 + offset}
        assert precise.agree(precise.value_at(e, point), precise.value_at(parse("sec(x)"), point))


def test_high_precision_uses_real_arithmetic_at_every_step():
    assert precise.value_at(parse("sqrt(x + 1)/sqrt(x - 1)"), {"x": -2.0}) is None
    assert precise.value_at(parse("ln(x)"), {"x": -1.0}) is None
    assert precise.value_at(parse("asin(x)"), {"x": 1.5}) is None
    assert float(precise.value_at(parse("sqrt(x + 1)/sqrt(x - 1)"), {"x": 5.0})) == pytest.approx(1.5 ** 0.5)


def test_right_answer_next_to_poles_is_correct():
    assert run_check("ln(abs(sec(x) + tan(x)))", "sec(x)").correct


# ── landmarks come from the table, solved for the variable ──────────────────────────

@pytest.mark.parametrize("text, expected", [
    ("abs(x - 50)", [50.0]),
    ("max(x, 20)", [20.0]),
    ("step(x - 16)", [16.0]),
    ("abs(x^2 - 400)", [-20.0, 20.0]),
    ("asin(20*x)", [-0.05, 0.05]),
    ("acosh(x/20)", [20.0]),
    ("ln(x - 100)", [100.0]),
    ("1/(x - 7)", [7.0]),
])
def test_landmarks_are_the_kinks_poles_and_domain_edges(text, expected):
    marks = sampling.landmarks([parse(text)], "x", ["x"])
    assert [float(b) for b in marks.boundaries] == pytest.approx(expected)


def test_narrow_bump_has_a_centre():
    marks = sampling.landmarks([parse("exp(-10^6*x^2) + exp(-(x - 40)^2*10^4)")], "x", ["x"])
    assert 0.0 in marks.centres and 40.0 in marks.centres


def test_every_table_row_with_a_domain_gives_a_landmark():
    """Read from the table: a row whose domain is not all reals yields an edge."""
    from calctutor.primitives import PRIMITIVES
    from calctutor.rules import sympy_function

    x = parse("x")
    for row in PRIMITIVES:
        if row.sugar or row.domain == "all real numbers":
            continue
        fn = sympy_function(row)
        params = [sympy.Rational(1, 3)] * (row.arity - 1) if row.arity > 1 else []
        call = fn(x, 3 - x) if row.arity == -1 else fn(x, *params)
        edges, _ = sampling.edges_of([call])
        assert edges, row.name


# ── generated wrong answers: far out, near a far kink, inside a narrow bump ──────────

FUNCTIONS = ["x^2", "sin(x)", "exp(x/40)", "x^3 - x", "atan(x)", "ln(x^2 + 1)"]
DERIVATIVES = {"x^2": "2*x", "sin(x)": "cos(x)", "exp(x/40)": "exp(x/40)/40",
               "x^3 - x": "3*x^2 - 1", "atan(x)": "1/(1 + x^2)", "ln(x^2 + 1)": "2*x/(x^2 + 1)"}


@settings(max_examples=12, deadline=None)
@given(st.sampled_from(FUNCTIONS), st.integers(16, 900), st.sampled_from(["step", "relu"]),
       st.booleans())
def test_wrong_only_beyond_the_old_box_is_rejected(function, far, kind, negative):
    where = f"x + {far}" if negative else f"x - {far}"
    wrong = f"{DERIVATIVES[function]} + {kind}({'-' if negative else ''}({where}))"
    assert not run_check(function, wrong).correct


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(FUNCTIONS), st.integers(20, 500), st.sampled_from([1, 3]))
def test_wrong_only_near_a_far_kink_is_rejected(function, far, width):
    # differs only within `width` of x = far: a tent abs-shaped bump at the kink
    wrong = f"{DERIVATIVES[function]} + relu({width} - abs(x - {far}))"
    assert not run_check(function, wrong).correct


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(FUNCTIONS), st.integers(-60, 60), st.integers(4, 8))
def test_wrong_only_in_a_narrow_bump_is_rejected(function, centre, sharpness):
    wrong = f"{DERIVATIVES[function]} + exp(-10^{sharpness}*(x - {centre})^2)"
    assert not run_check(function, wrong).correct


@settings(max_examples=10, deadline=None)
@given(st.sampled_from(FUNCTIONS), st.integers(20, 400))
def test_right_answers_with_far_constants_stay_right(function, far):
    # the same derivative written with a far constant that cancels
    right = f"{DERIVATIVES[function]} + abs(x - {far}) - abs({far} - x)"
    assert run_check(function, right).correct


# ── batch and single calls agree ────────────────────────────────────────────────────

TABLE = [
    ("x^3", "3x^2", 1, "derivative"),
    ("x^3", "x^3", 0, "derivative"),
    ("x^3", "3x^2", 0, "derivative"),
    ("x^3", "6x", 2, "derivative"),
    ("x^3", "3x^2", 2, "derivative"),
    ("sin(x)", "cos(x)", 1, "derivative"),
    ("sin(x)", "-sin(x)", 2, "derivative"),
    ("sin(x)", "sin(x)", 0, "derivative"),
    ("exp(2x)", "2 exp(2x)", 1, "derivative"),
    ("exp(2x)", "exp(2x)", 1, "derivative"),
    ("ln(x)", "1/x", 1, "derivative"),
    ("ln(x)", "1/abs(x)", 1, "derivative"),
    ("x*ln(abs(x))", "ln(x) + 1", 1, "derivative"),
    ("abs(x - 50)", "-1", 1, "derivative"),
    ("abs(x - 50)", "sign(x - 50)", 1, "derivative"),
    ("max(x, 20)", "step(x - 20)", 1, "derivative"),
    ("max(x, 20)", "0", 1, "derivative"),
    ("x^2", "2*x + step(x - 16)", 1, "derivative"),
    ("exp(x)", "exp(x) + exp(-10^6*x^2)", 1, "derivative"),
    ("acosh(x/20)", "1/(sqrt(x - 20)*sqrt(x + 20))", 1, "derivative"),
    ("asin(20*x)", "20/sqrt(1 - 400 x^2)", 1, "derivative"),
    ("sigmoid(x)", "sigmoid(x)(1 - sigmoid(x))", 1, "derivative"),
    ("relu(x)", "step(x)", 1, "derivative"),
    ("relu(x)", "1", 1, "derivative"),
    ("x^2 y", "2 x y", 1, "derivative"),
    ("ln(x^2)", "2 ln(x)", 1, "equivalent"),
    ("(x+1)^2", "x^2 + 2x + 1", 1, "equivalent"),
    ("(x+1)^2", "x^2 + 1", 1, "equivalent"),
    ("sqrt(3 - 2*sqrt(2))*x + ln(x - 100)", "(sqrt(2) - 1)*x + ln(x - 100)", 1, "equivalent"),
    ("sin(x)^2 + cos(x)^2", "1", 1, "equivalent"),
]


@pytest.mark.parametrize("function, answer, order, task", TABLE)
def test_batch_and_single_calls_give_the_same_verdict(function, answer, order, task):
    row = {"id": 1, "function": function, "answer": answer, "order": order, "task": task}
    if "y" in function:
        row["variable"] = "x"
    doc = grade_row(row)
    assert "error" not in doc, doc
    single = run_check(function, answer, wrt="x" if task == "derivative" else None,
                       order=order, task=task)
    assert doc["correct"] == single.correct
    assert doc["order"] == order
    assert doc["mistake"] == (None if single.correct else single.mistake)


def test_batch_order_zero_is_order_zero():
    doc = grade_row({"id": "z", "function": "x^3", "answer": "x^3", "order": 0})
    assert doc["correct"] is True and doc["order"] == 0
    doc = grade_row({"id": "z", "function": "x^3", "answer": "x^3", "order": "0"})
    assert "order" in doc["error"]  # JSON types are checked: an order is a number, not text
    doc = grade_row({"id": "d", "function": "x^3", "answer": "3x^2"})  # default order 1
    assert doc["correct"] is True and doc["order"] == 1


# ── the expected answer is a teacher's: no larger than the textbook integrand ───────

X6 = ("atan(x/2^(1/6))/(3*2^(5/6)) + (atan(2*x/2^(1/6) - sqrt(3)) + atan(2*x/2^(1/6) + sqrt(3)))"
      "/(6*2^(5/6)) + sqrt(3)*ln((x^2 + sqrt(3)*2^(1/6)*x + 2^(1/3))/(x^2 - sqrt(3)*2^(1/6)*x"
      " + 2^(1/3)))/(12*2^(5/6))")


@pytest.mark.parametrize("antiderivative, integrand", [
    ("ln(abs(x))", "1/x"),
    ("ln(abs(x^2 - 4))", "2*x/(x^2 - 4)"),
    ("ln(abs(x + 1)) - ln(abs(x + 2))", "1/((x + 1)*(x + 2))"),
    ("ln(abs((x - 1)/(x + 1)))/2", "1/(x^2 - 1)"),
    ("-ln(abs(cos(x)))", "tan(x)"),
    ("sin(x) - sin(x)^3/3", "cos(x)^3"),
    (X6, "1/(x^6 + 2)"),
])
def test_expected_derivative_of_a_textbook_antiderivative_is_the_textbook_size(antiderivative,
                                                                              integrand):
    import sympy

    code, doc = cli_json("--", antiderivative, integrand)
    assert (code, doc["correct"]) == (0, True)
    assert sympy.count_ops(parse(doc["expected"])) <= sympy.count_ops(parse(integrand))
    assert "Piecewise" not in doc["expected"]


def test_every_table_row_has_a_real_50_digit_evaluator():
    """A new row without one would silently fall back to SymPy's sign-blind evaluation."""
    from calctutor.primitives import PRIMITIVES

    functions = precise._mp_functions()
    missing = [row.name for row in PRIMITIVES if precise._key(row.numpy) not in functions]
    assert not missing


def test_terms_that_cancel_exactly_are_not_a_counterexample():
    # (x+1)^20 (x-1)^20 - (x^2-1)^20 is 0, but at x = -1060 its terms are 10^121: 50 digits
    # leave rounding noise of 10^60 there, which must not pass for a difference
    verdict = run_check("sin(4x+4)", "(x+1)^20*(x-1)^20 - (x^2-1)^20 + 4cos(4x+4)")
    assert verdict.correct, verdict.message
    point = {"x": -1060.58}
    expected, answer = parse("4cos(4x+4)"), parse("(x+1)^20*(x-1)^20 - (x^2-1)^20 + 4cos(4x+4)")
    assert not precise.differ(expected, answer, point)


@pytest.mark.parametrize("answer", ["2x + 10^-30", "2x + 10^-45", "2x - 10^-60"])
def test_an_answer_off_by_a_tiny_exact_constant_is_wrong(answer):
    verdict = run_check("x^2", answer)
    assert not verdict.correct
    assert verdict.symbolic.status == "different"


def test_values_that_print_alike_are_not_shown_as_a_contradiction():
    verdict = run_check("x", "1 + 10^-45")
    assert not verdict.correct
    assert "yours gives 1.0 but the derivative is 1.0" not in verdict.message
    assert "differ beyond them" in verdict.message


def test_a_bump_s_landmark_is_found_even_with_no_time_left():
    """A loaded machine once let exp(-10^5 (x + 37)^2) through: its landmark was skipped
    when the landmark budget ran out, so no sample came near the bump."""
    exprs = [parse("exp(x/40)/40"), parse("exp(x/40)/40 + exp(-10^5*(x + 37)^2)")]
    assert -37.0 in sampling.landmarks(exprs, "x", ["x"], budget=0.0).centres
