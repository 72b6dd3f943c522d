"""Notation a learner writes: the derivative operator, the real cube root, and the inputs
that used to be misread silently (each is now read as meant, or refused with the likely
reading).

Expected values are built with SymPy directly, never with our parser.
"""

from __future__ import annotations

import json

import pytest
import sympy
from sympy import Derivative, Heaviside, Rational, cos, exp, sin
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.errors import ParseError
from calctutor.mathfuncs import cbrt, sigmoid
from calctutor.parsing import parse, parse_program, to_input
from conftest import R

x, y, t, theta, sigma = R("x"), R("y"), R("t"), R("theta"), R("sigma")
runner = CliRunner()


def cli(*args: str) -> dict:
    result = runner.invoke(app, list(args), env={"COLUMNS": "100"})
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def refused(text: str, **kwargs) -> ParseError:
    with pytest.raises(ParseError) as info:
        parse(text, **kwargs)
    return info.value


# ── the derivative operator ─────────────────────────────────────────────────────────
DERIVATIVES = [
    ("d/dx x^2", Derivative(x**2, x)),
    ("d/dx(x^2)", Derivative(x**2, x)),
    ("d/dx (x^2)", Derivative(x**2, x)),
    ("d / dx x^2", Derivative(x**2, x)),
    ("∂/∂x(x^2 y)", Derivative(x**2 * y, x)),
    ("∂/∂y x^2 y", Derivative(x**2 * y, y)),
    ("d^2/dx^2 sin x", Derivative(sin(x), (x, 2))),
    ("d²/dx² sin x", Derivative(sin(x), (x, 2))),
    ("d^3/dt^3(t^4)", Derivative(t**4, (t, 3))),
    ("d/dθ sin θ", Derivative(sin(theta), theta)),
    ("d/dtheta sin(theta)", Derivative(sin(theta), theta)),
    ("d/dx_1 x_1^2", Derivative(R("x_1") ** 2, R("x_1"))),
    # without parentheses: the term to the right, up to the next + or -
    ("d/dx x^2 + 1", Derivative(x**2, x) + 1),
    ("d/dx x sin x", Derivative(x * sin(x), x)),
    ("d/dx x^2/2 - x", Derivative(x**2 / 2, x) - x),
    ("-d/dx x^2 + 3", 3 - Derivative(x**2, x)),
    # with parentheses: the group, like a function call
    ("d/dx(x^2) cos(x^2)", cos(x**2) * Derivative(x**2, x)),
    ("cos(x^2) * d/dx(x^2)", cos(x**2) * Derivative(x**2, x)),
    ("cos(x^2) d/dx(x^2)", cos(x**2) * Derivative(x**2, x)),
    ("2d/dx x^3", 2 * Derivative(x**3, x)),
    ("d/dx(x^2)^2", Derivative(x**2, x) ** 2),
    ("1/d/dx(x^2)", 1 / Derivative(x**2, x)),
    ("d/dx d/dy (x y)", Derivative(x * y, y, x)),
]


@pytest.mark.parametrize(("text", "expected"), DERIVATIVES, ids=[c[0] for c in DERIVATIVES])
def test_derivative_operator(text, expected):
    got = parse(text)
    assert got == expected, f"{text!r} parsed as {got!r}"
    assert parse(text, evaluate=False).doit() == expected.doit()


def test_derivative_stays_unevaluated():
    got = parse("d/dx x^2")
    assert isinstance(got, Derivative) and got.doit() == 2 * x
    # d/dx is no longer d * (1/d) * x * x^2 (which is x^3 after cancelling)
    assert got != x**3


@pytest.mark.parametrize("text", [text for text, _ in DERIVATIVES])
def test_derivative_round_trip(text):
    expr = parse(text)
    assert expr.has(Derivative)
    printed = to_input(expr)
    assert "Derivative" not in printed
    assert parse(printed) == expr, printed


def test_printer_writes_our_syntax():
    assert to_input(Derivative(x**2, x)) == "d/dx(x^2)"
    assert to_input(Derivative(sin(x), (x, 2))) == "d^2/dx^2(sin(x))"
    assert to_input(Derivative(x**2 * y, x, y)) == "d/dy(d/dx(x^2*y))"


def test_derivative_in_a_program():
    prog = parse_program("u = x^2; v = d/dx u")
    assert prog.expression("v") == Derivative(R("u"), x)
    assert prog.inlined().doit() == 2 * x


@pytest.mark.parametrize(("text", "message"), [
    ("d/dx", "d/dx needs something to differentiate"),
    ("d/dx + x", "d/dx needs something to differentiate"),
    ("d^2/dx x^3", "is not the same above and below"),
    ("d^2/dx^3 x^3", "is not the same above and below"),
    ("d/dxsin x", "put a space or parentheses after d/dx"),
    ("d/de e^x", "'e' is not a variable"),
    ("d/dpi x", "'pi' is not a variable"),
    ("d^30/dx^30 x", "the order of a derivative must be 1 to 20"),
    ("d/dx (x+1)^2", "is ambiguous"),
    ("∂x", "partial derivative operator"),
])
def test_derivative_errors(text, message):
    err = refused(text)
    assert message in err.message


def test_leibniz_quotient_is_not_a_product_of_letters():
    # dy/dx used to be d*y/d*x = x*y
    err = refused("dy/dx")
    assert "names a derivative" in err.message and "d/dx(" in err.hint
    assert "names a derivative" in refused("2 + df/dt").message
    assert parse("dy/dx", names=["dy"]) == R("dy") * x / R("d")  # a defined name dy


def test_derivative_parenthesis_hint():
    assert "d/dx((...)^n)" in refused("d/dx (x+1)^2").hint
    assert refused("d/dx").hint == "for example d/dx(x^2)"


def test_a_word_ending_in_d_is_not_the_operator():
    # the d at the end of the name bd is not the start of d/dx: bd/d*x, left to right
    assert parse("bd/dx", names=["bd"]) == R("bd") * x / R("d")


# ── diff: d/dx around the whole input is the request ────────────────────────────────
def test_diff_d_dx_is_the_request():
    out = cli("diff", "d/dx x^2", "--json")
    assert out["derivative"] == "2*x" and out["variable"] == "x" and out["order"] == 1


def test_diff_d_dy_sets_the_variable():
    out = cli("diff", "d/dy (x^2 y)", "--json")
    assert out["variable"] == "y" and out["derivative"] == "x^2"


def test_diff_second_order_operator_sets_the_order():
    out = cli("diff", "d^2/dx^2 sin x", "--json")
    assert out["order"] == 2 and out["derivative"] == "-sin(x)"
    out = cli("diff", "d²/dx² x^4", "--json", "--at", "1")
    assert out["order"] == 2 and out["value"] == 12


def test_diff_operator_agrees_with_options():
    assert cli("diff", "d/dx x^3", "--wrt", "x", "--json")["derivative"] == "3*x^2"
    for extra in (["--wrt", "y"], ["--order", "2"]):
        result = runner.invoke(app, ["diff", "d/dx x^3", *extra])
        assert result.exit_code == 2 and "Traceback" not in result.output


def test_diff_operator_on_part_of_the_input_is_refused():
    result = runner.invoke(app, ["diff", "d/dx x^2 + 1"], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert "only part of this expression" in result.output
    assert "d/dx(x^2 + ...)" in result.output  # parentheses recommended


def test_parse_json_prints_the_operator_in_our_syntax():
    out = cli("parse", "cos(x^2) * d/dx(x^2)", "--json")
    assert out["expression"] == "cos(x^2)*d/dx(x^2)"


def test_plot_and_integrate_carry_out_a_written_derivative():
    result = runner.invoke(app, ["plot", "d/dx x^2", "--range", "-1,1", "--plain"])
    assert result.exit_code == 0, result.output
    out = cli("integrate", "d/dx x^3", "--from", "0", "--to", "1", "--json")
    assert out["exact"] == "1"


# ── the real cube root ──────────────────────────────────────────────────────────────
@pytest.mark.parametrize(("text", "expected"), [
    ("cbrt(-8)", sympy.Integer(-2)),
    ("cbrt(-27/8)", Rational(-3, 2)),
    ("cbrt(8)", sympy.Integer(2)),
    ("cbrt(0)", sympy.Integer(0)),
    ("∛(-8)", sympy.Integer(-2)),
    ("cbrt(-2)", -(sympy.Integer(2) ** Rational(1, 3))),
    ("(-8)^(1/3)", sympy.Integer(-2)),
    ("(-8)^(2/3)", sympy.Integer(4)),
    ("(-8)^(-1/3)", Rational(-1, 2)),
])
def test_cbrt_is_real(text, expected):
    got = parse(text)
    assert got == expected
    assert got.is_real


def test_cbrt_of_a_variable_is_real_for_negative_values():
    f = parse("cbrt(x)")
    assert f == cbrt(x)
    assert f.subs(x, -8) == -2
    assert sympy.N(f.subs(x, -5)) == pytest.approx(-(5 ** (1 / 3)))
    d = sympy.diff(f, x)
    assert d.subs(x, -8) == Rational(1, 12)
    assert sympy.diff(f, x, 2).subs(x, -8) == Rational(1, 144)  # -2/9 (-8)^(-5/3) = 1/144


def test_cbrt_prints_back_and_has_latex():
    assert to_input(parse("cbrt(x)^2")) == "cbrt(x)^2"
    assert parse(to_input(parse("cbrt(x - 1)"))) == cbrt(x - 1)
    assert sympy.latex(parse("cbrt(x)")) == r"\sqrt[3]{x}"
    assert sympy.latex(parse("cbrt(x)^2")) == r"\left(\sqrt[3]{x}\right)^{2}"


def test_cbrt_in_the_cli():
    assert cli("parse", "cbrt(-8)", "--json")["expression"] == "-2"
    out = cli("diff", "cbrt(x)", "--at", "-8", "--json")
    assert out["derivative"] == "1/(3*cbrt(x)^2)"
    assert out["value"] == pytest.approx(1 / 12)
    graph = cli("graph", "cbrt(x)", "--at", "-8", "--json")
    assert graph["gradient"]["x"] == pytest.approx(1 / 12)
    assert [n["value"] for n in graph["nodes"] if n["op"] == "cbrt"] == [pytest.approx(-2)]


def test_cbrt_plot_is_drawn_on_the_negative_side():
    from calctutor.plotting.evaluate import evaluate

    import numpy as np

    values = evaluate(parse("cbrt(x)"), "x", np.array([-8.0, -1.0, 0.0, 8.0]))
    assert values.tolist() == pytest.approx([-2.0, -1.0, 0.0, 2.0])


# ── silent misreadings ──────────────────────────────────────────────────────────────
def test_signed_exponent_with_implicit_product_is_refused():
    err = refused("e^-2x")
    assert "ambiguous" in err.message
    assert "did you mean e^(-2x)?" in err.hint
    assert "e^-xy" in refused("e^-xy").message
    assert "did you mean e^(2x)?" in refused("e^2x").hint
    # what the hint suggests reads as meant
    assert parse("e^(-2x)") == exp(-2 * x)
    assert parse("e^(-2)*x") == x * exp(-2)
    # unambiguous neighbours are unchanged
    assert parse("e^-x") == exp(-x)
    assert parse("e^-x^2") == exp(-(x**2))
    assert parse("e^2 x") == x * exp(2)
    assert parse("x^2y") == x**2 * y


def test_one_over_n_exponent_is_refused():
    for text, meant in [("x^1/2", "x^(1/2)"), ("x^-1/2", "x^(-1/2)"), ("x¹/2", "x^(1/2)"),
                        ("x^1/3", "x^(1/3)")]:
        err = refused(text)
        assert "ambiguous" in err.message and f"did you mean {meant}?" in err.hint, text
    assert parse("x^(1/2)") == sympy.sqrt(x)
    assert parse("x^2/2") == x**2 / 2  # an ordinary fraction of a power is unchanged


def test_sigma_applied_is_the_sigmoid():
    assert parse("sigma(x)") == sigmoid(x)
    assert parse("sigma (w x)") == sigmoid(R("w") * x)
    assert parse("σ(x)") == sigmoid(x)
    assert parse("sigma") == sigma
    assert parse("sigma x") == sigma * x
    assert parse("sigma^2") == sigma**2
    # a learner's own variable named sigma stays a variable
    assert parse("sigma(x + 1)", names=["sigma"]) == sigma * (x + 1)


def test_unknown_function_with_underscore_is_refused():
    err = refused("leaky_relu(x)")
    assert err.message.startswith("unknown function 'leaky_relu'")
    assert err.position == 0 and err.width == len("leaky_relu")


def test_y_hat_is_a_variable_not_a_function():
    y_hat = R("y_hat")
    assert parse("y_hat") == y_hat
    assert parse("ŷ") == y_hat
    assert parse("(y_hat - y)^2") == (y_hat - y) ** 2
    err = refused("y_hat(x)")
    assert err.message == "y_hat is a variable, not a function"
    assert "y_hat*(...)" in err.hint
    assert "variable, not a function" in refused("w_out(x + 1)").message


def test_transpose_is_refused_with_shapes_hint():
    for text in ("x^T", "x^T A x", "(A x)^T"):
        err = refused(text)
        assert "transpose" in err.message and "--shape" in err.hint, text
    assert parse("2^T") == 2 ** R("T")  # a number to the power T is an ordinary power
    assert parse("x^T", names=["T"]) == x ** R("T")  # a learner's own T


def test_norm_bars_are_refused():
    for text in ("||x||^2", "||x||", "||x - y||", "‖x‖"):
        err = refused(text)
        assert "norm" in err.message and "--shape" in err.hint, text
        assert "|x|" in err.hint
    # ordinary nested absolute values are unchanged
    assert parse("||x|-1|") == abs(abs(x) - 1)
    assert parse("|x||y|") == abs(x) * abs(y)


def test_heaviside_spelling():
    assert parse("Heaviside(x)") == Heaviside(x)
    assert parse("heaviside(x)") == Heaviside(x)
    assert parse("step(x)") == Heaviside(x)


@pytest.mark.parametrize("word", ["next", "idk", "clear", "help", "hint", "skip", "quit",
                                  "exit", "yes", "done", "speed", "answer"])
def test_words_are_not_products_of_letters(word):
    err = refused(word)
    assert err.message == f"'{word}' is not a function or variable I know"
    assert err.position == 0 and err.width == len(word)
    assert err.hint.startswith("for a product write ")  # the product reading, shown
    assert "*".join(word) in err.hint or word == "exit"  # exit splits as e*xi*t


def test_a_word_inside_an_expression_is_refused_at_its_place():
    err = refused("2x + next")
    assert err.position == 5 and err.width == 4


@pytest.mark.parametrize(("text", "expected"), [
    ("xy", x * y),
    ("xyz", x * y * R("z")),
    ("abc", R("a") * R("b") * R("c")),
    ("ab", R("a") * R("b")),
    ("hx", R("h") * x),
    ("2pix", 2 * sympy.pi * x),
    ("xsinx", x * sin(x)),
    ("x1x2x3", R("x1") * R("x2") * R("x3")),
    ("thetax", theta * x),
])
def test_plausible_juxtapositions_still_multiply(text, expected):
    assert parse(text) == expected


def test_defined_names_are_words():
    assert parse("next + 1", names=["next"]) == R("next") + 1
    assert parse_program("speed = 2t; speed^2").inlined() == 4 * t**2


# ── property: a derivative inside any expression prints back to itself ──────────────
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from test_parser_properties import NAMES, expressions  # noqa: E402

_wrt = st.sampled_from(NAMES).map(R)


def _with_derivative(parts):
    inner, outer, var, order, how = parts
    d = Derivative(inner, (var, order))
    return (d, outer * d, outer + d, d ** 2, sin(d), outer - d / 2)[how]


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.tuples(expressions, expressions, _wrt, st.integers(1, 3), st.integers(0, 5))
       .map(_with_derivative))
def test_derivative_round_trip_property(expr):
    text = to_input(expr)
    assert parse(text) == expr, f"{expr!r} printed as {text!r}"


@settings(max_examples=100, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(expressions)
def test_cbrt_round_trip_property(expr):
    wrapped = cbrt(expr)
    text = to_input(wrapped)
    assert parse(text) == wrapped, f"{wrapped!r} printed as {text!r}"
