"""Input -> expression table for the expression language.

The expected side is built directly with SymPy (real symbols, exact numbers), never with
our parser, so a wrong reading cannot hide behind itself.
"""

from __future__ import annotations

import pytest
import sympy
from sympy import (
    Abs, E, Heaviside, Max, Min, Rational, acos, acosh, acot, acsc, asec, asin, asinh,
    atan, atanh, cos, cosh, cot, coth, csc, csch, exp, log, oo, pi, sec, sech, sign, sin,
    sinh, sqrt, tan, tanh,
)

from calctutor.mathfuncs import cbrt, logsumexp, relu, sigmoid, softplus
from calctutor.errors import ParseError
from calctutor.parsing import Definition, parse, parse_program, parse_statement
from conftest import R

x, y, z, t, w, a, b, c = (R(n) for n in "xyztwabc")
x1, x2, x_1 = R("x1"), R("x2"), R("x_1")
theta, alpha, beta, lam, rho, xi, mu = (
    R(n) for n in ("theta", "alpha", "beta", "lambda", "rho", "xi", "mu")
)
h = R("h")
X = R("X")
half = Rational(1, 2)

CASES: list[tuple[str, sympy.Expr]] = [
    # ── powers: ^ and ** ─────────────────────────────────────────────────────────
    ("x^2", x**2),
    ("x**2", x**2),
    ("x ** 2", x**2),
    ("2^3^2", sympy.Integer(512)),
    ("2**3**2", sympy.Integer(512)),
    ("(2^3)^2", sympy.Integer(64)),
    ("x^-1", 1 / x),
    ("x^-2^2", x**-4),
    ("x^2^-1", sqrt(x)),
    ("2^-x", 2 ** (-x)),
    ("x^(1/2)", sqrt(x)),
    ("x^(-1/2)", 1 / sqrt(x)),
    ("x^(2/3)", x ** Rational(2, 3)),
    ("x^y^z", x ** (y**z)),
    ("(x^2)^3", x**6),
    ("-x^2", -(x**2)),
    ("-2^2", sympy.Integer(-4)),
    ("(-2)^2", sympy.Integer(4)),
    ("(-1)^n", sympy.Integer(-1) ** R("n")),
    ("x^0", sympy.Integer(1)),
    ("x^1", x),
    # ── implicit multiplication ─────────────────────────────────────────────────
    ("2x", 2 * x),
    ("3x^2", 3 * x**2),
    ("2 sin(x)", 2 * sin(x)),
    ("x y", x * y),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("2(x+1)", 2 * x + 2),
    ("x(x+1)", x * (x + 1)),
    ("a(b+c)", a * (b + c)),
    ("(x+1)2", 2 * x + 2),
    ("(x+1)x", x * (x + 1)),
    ("sin(x)cos(x)", sin(x) * cos(x)),
    ("sin(x) cos(x)", sin(x) * cos(x)),
    ("x 2", 2 * x),
    ("2 x y", 2 * x * y),
    ("x^2 y", x**2 * y),
    ("2x^2y^3", 2 * x**2 * y**3),
    ("1/2x", x / 2),
    ("1/2 x", x / 2),
    ("x/2y", x * y / 2),
    ("6/2(1+2)", sympy.Integer(9)),
    ("-3x", -3 * x),
    # ── bare function application ────────────────────────────────────────────────
    ("sin x", sin(x)),
    ("ln x", log(x)),
    ("sin x cos x", sin(x) * cos(x)),
    ("sinx", sin(x)),
    ("sin2x", sin(2 * x)),
    ("sin 2x", sin(2 * x)),
    ("sin 2 x", sin(2 * x)),
    ("sin x^2", sin(x**2)),
    ("sin x^2 y", sin(x**2 * y)),
    ("sin x + 1", sin(x) + 1),
    ("ln x + 1", log(x) + 1),
    ("sin x/2", sin(x) / 2),
    ("sin -x", -sin(x)),
    ("cos -x", cos(x)),
    ("sin|x|", sin(Abs(x))),
    ("sin sqrt x", sin(sqrt(x))),
    ("sin cos x", sin(cos(x))),
    ("cosh x", cosh(x)),
    ("cos hx", cos(h * x)),
    ("sinhx", sinh(x)),
    ("atanx", atan(x)),
    ("sine", sin(E)),
    ("2 sin x", 2 * sin(x)),
    ("x sin x", x * sin(x)),
    # ── function powers: sin^2, sin^-1 ────────────────────────────────────────────
    ("sin^2(x)", sin(x) ** 2),
    ("sin^2 x", sin(x) ** 2),
    ("sin²x", sin(x) ** 2),
    ("sin²(x)", sin(x) ** 2),
    ("cos^3(2x)", cos(2 * x) ** 3),
    ("ln^2 x", log(x) ** 2),
    ("sin^-1(x)", asin(x)),
    ("sin^(-1)(x)", asin(x)),
    ("sin⁻¹(x)", asin(x)),
    ("sin⁻¹x", asin(x)),
    ("cos^-1 x", acos(x)),
    ("tan^-1(x)", atan(x)),
    ("sec^-1(x)", asec(x)),
    ("tanh^-1(x)", atanh(x)),
    ("asin^-1(x)", sin(x)),
    ("sin(x)^-1", 1 / sin(x)),
    ("sin(x)^2", sin(x) ** 2),
    # ── e, exp ────────────────────────────────────────────────────────────────────
    ("e^x", exp(x)),
    ("e^-x", exp(-x)),
    ("e^(-x^2)", exp(-(x**2))),
    ("exp(x)", exp(x)),
    ("exp(-x)", exp(-x)),
    ("e", E),
    ("ℯ^x", exp(x)),
    ("2e", 2 * E),
    ("ex", E * x),
    ("xe^x", x * exp(x)),
    ("e^x^2", exp(x**2)),
    ("e^1-e^(-1)", E - exp(-1)),
    # ── logarithms ────────────────────────────────────────────────────────────────
    ("ln(x)", log(x)),
    ("log(x)", log(x)),
    ("log10(x)", log(x) / log(10)),
    ("log2(x)", log(x) / log(2)),
    ("log(x, 2)", log(x) / log(2)),
    ("log(x, e)", log(x)),
    ("log(8, 2)", sympy.Integer(3)),
    ("log_2 x", log(x) / log(2)),
    ("log_2(8)", sympy.Integer(3)),
    ("log_10(x)", log(x) / log(10)),
    ("log_e x", log(x)),
    ("log_b x", log(x) / log(b)),
    # ── roots ─────────────────────────────────────────────────────────────────────
    ("sqrt(x)", sqrt(x)),
    ("sqrt x", sqrt(x)),
    ("√x", sqrt(x)),
    ("√(x+1)", sqrt(x + 1)),
    ("√2", sqrt(2)),
    ("sqrt(4)", sympy.Integer(2)),
    ("sqrt(x^2)", Abs(x)),
    ("cbrt(x)", cbrt(x)),  # the real cube root, not SymPy's principal x^(1/3)
    ("cbrt(8)", sympy.Integer(2)),
    ("cbrt(-8)", sympy.Integer(-2)),
    ("1/sqrt(x)", 1 / sqrt(x)),
    # ── absolute value ────────────────────────────────────────────────────────────
    ("abs(x)", Abs(x)),
    ("|x|", Abs(x)),
    ("||x|-1|", Abs(Abs(x) - 1)),
    ("2|x|", 2 * Abs(x)),
    ("|x||y|", Abs(x) * Abs(y)),
    ("|x| |y|", Abs(x) * Abs(y)),
    ("x|y|", x * Abs(y)),
    ("|x+|y||", Abs(x + Abs(y))),
    ("|-x|", Abs(x)),
    ("-|x|", -Abs(x)),
    ("|x|^2", x**2),
    # ── constants ─────────────────────────────────────────────────────────────────
    ("pi", pi),
    ("π", pi),
    ("2pi", 2 * pi),
    ("2πx", 2 * pi * x),
    ("pie", pi * E),
    ("oo", oo),
    ("-oo", -oo),
    ("∞", oo),
    ("inf", oo),
    ("infinity", oo),
    # ── unicode operators ─────────────────────────────────────────────────────────
    ("2·x", 2 * x),
    ("3×x", 3 * x),
    ("x⋅y", x * y),
    ("x−1", x - 1),
    ("x – 1", x - 1),
    ("x²", x**2),
    ("x³", x**3),
    ("x²y", x**2 * y),
    ("x⁻¹", 1 / x),
    ("x¹⁰", x**10),
    ("6÷2", sympy.Integer(3)),
    ("x÷y", x / y),
    ("[x+1]^2", (x + 1) ** 2),
    # ── machine-learning functions ────────────────────────────────────────────────
    ("sigmoid(x)", sigmoid(x)),
    ("σ(x)", sigmoid(x)),
    ("σ x", sigmoid(x)),
    ("logistic(x)", sigmoid(x)),
    ("sigmoid(0)", half),
    ("relu(x)", relu(x)),
    ("relu(x^2)", x**2),
    ("softplus(x)", softplus(x)),
    ("tanh(x)", tanh(x)),
    ("max(x, 0)", Max(x, 0)),
    ("max(0, x, y)", Max(0, x, y)),
    ("min(x, y)", Min(x, y)),
    ("min(1, 2)", sympy.Integer(1)),
    ("logsumexp(a, b, c)", logsumexp(a, b, c)),
    ("logsumexp(x)", x),
    ("step(x)", Heaviside(x)),
    ("heaviside(x)", Heaviside(x)),
    ("sign(x)", sign(x)),
    # ── trigonometric, inverse trigonometric, hyperbolic ──────────────────────────
    ("sin(x)", sin(x)),
    ("cos(x)", cos(x)),
    ("tan(x)", tan(x)),
    ("sec(x)", sec(x)),
    ("csc(x)", csc(x)),
    ("cot(x)", cot(x)),
    ("asin(x)", asin(x)),
    ("acos(x)", acos(x)),
    ("atan(x)", atan(x)),
    ("asec(x)", asec(x)),
    ("acsc(x)", acsc(x)),
    ("acot(x)", acot(x)),
    ("arcsin(x)", asin(x)),
    ("arccos(x)", acos(x)),
    ("arctan(x)", atan(x)),
    ("arcsec(x)", asec(x)),
    ("arccsc(x)", acsc(x)),
    ("arccot(x)", acot(x)),
    ("sinh(x)", sinh(x)),
    ("cosh(x)", cosh(x)),
    ("sech(x)", sech(x)),
    ("csch(x)", csch(x)),
    ("coth(x)", coth(x)),
    ("asinh(x)", asinh(x)),
    ("acosh(x)", acosh(x)),
    ("atanh(x)", atanh(x)),
    ("arcsinh(x)", asinh(x)),
    ("arsinh(x)", asinh(x)),
    ("arccosh(x)", acosh(x)),
    ("arcosh(x)", acosh(x)),
    ("arctanh(x)", atanh(x)),
    ("artanh(x)", atanh(x)),
    ("cos(-x)", cos(x)),
    ("sin(pi/6)", half),
    # ── names ─────────────────────────────────────────────────────────────────────
    ("x", x),
    ("X", X),
    ("x1", x1),
    ("x_1", x_1),
    ("x1^2 + x2^2", x1**2 + x2**2),
    ("x1x2", x1 * x2),
    ("w", w),
    ("theta", theta),
    ("θ", theta),
    ("alpha beta", alpha * beta),
    ("αβ", alpha * beta),
    ("λ", lam),
    ("lambda", lam),
    ("rho", rho),
    ("xi", xi),
    ("μ x", mu * x),
    ("2theta", 2 * theta),
    ("sin theta", sin(theta)),
    ("sinθ", sin(theta)),
    # ── the word rule ─────────────────────────────────────────────────────────────
    ("xy", x * y),
    ("xyz", x * y * z),
    ("2pix", 2 * pi * x),
    ("xsinx", x * sin(x)),
    ("ab", a * b),
    ("Xx", X * x),
    ("xtheta", x * theta),
    ("thetax", theta * x),
    ("x2y", x2 * y),
    # ── numbers ───────────────────────────────────────────────────────────────────
    ("0.5", half),
    (".5", half),
    ("1.", sympy.Integer(1)),
    ("0.1 + 0.2", Rational(3, 10)),
    ("1.5x", Rational(3, 2) * x),
    ("1.41e-2", Rational(141, 10000)),
    ("2e-3", Rational(1, 500)),
    ("2E3", sympy.Integer(2000)),
    ("2.5e+2", sympy.Integer(250)),
    ("1e5x", 100000 * x),
    ("2e - 3", 2 * E - 3),
    ("2e-x", 2 * E - x),
    ("1/3", Rational(1, 3)),
    ("4.52*10^2", sympy.Integer(452)),
    ("-0.25", Rational(-1, 4)),
    # ── sums and signs ────────────────────────────────────────────────────────────
    ("x - -y", x + y),
    ("--x", x),
    ("+x", x),
    ("x*-1", -x),
    ("1-x+x", sympy.Integer(1)),
    ("(x+y)+z", x + y + z),
    ("x - (y - z)", x - y + z),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_table(text: str, expected: sympy.Expr) -> None:
    got = parse(text)
    assert got == expected, f"{text!r} parsed as {got!r}, expected {expected!r}"


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 150
    assert len({text for text, _ in CASES}) == len(CASES), "duplicate inputs in the table"


def test_variables_are_real_symbols() -> None:
    expr = parse("x y + theta")
    assert all(s.is_real for s in expr.free_symbols)
    assert parse("x") != sympy.Symbol("x")  # a plain (complex) symbol is a different one


def test_decimals_are_exact_rationals() -> None:
    value = parse("0.1")
    assert value == Rational(1, 10)
    assert isinstance(value, sympy.Rational)
    assert not parse("0.333333333333333").has(sympy.Float)


# ── evaluate=False keeps the learner's structure ────────────────────────────────────
UNEVALUATED = [
    ("(x^2)^3", sympy.Pow(sympy.Pow(x, 2, evaluate=False), 3, evaluate=False)),
    ("sin((4x)^2)", sin(sympy.Pow(sympy.Mul(4, x, evaluate=False), 2, evaluate=False),
                        evaluate=False)),
    ("x + x", sympy.Add(x, x, evaluate=False)),
    ("2*3", sympy.Mul(2, 3, evaluate=False)),
    ("e^x", sympy.Pow(E, x, evaluate=False)),
    ("x^(1/2)", sympy.Pow(x, half, evaluate=False)),
    ("cbrt(x)", cbrt(x, evaluate=False)),
    ("-(-x)", sympy.Mul(-1, sympy.Mul(-1, x, evaluate=False), evaluate=False)),
    ("1/x", sympy.Pow(x, -1, evaluate=False)),
]


@pytest.mark.parametrize(("text", "expected"), UNEVALUATED, ids=[c[0] for c in UNEVALUATED])
def test_unevaluated_structure(text: str, expected: sympy.Expr) -> None:
    got = parse(text, evaluate=False)
    assert sympy.srepr(got) == sympy.srepr(expected)
    assert got.doit() == parse(text)


def test_unevaluated_chain_rule_layers() -> None:
    # the three layers of sin((4x)^2) are all still there
    got = parse("sin((4x)^2)", evaluate=False)
    assert got.func is sin
    inner = got.args[0]
    assert inner.is_Pow and inner.exp == 2
    assert inner.base.is_Mul and set(inner.base.args) == {sympy.Integer(4), x}


# ── programs and statements ─────────────────────────────────────────────────────────
def test_program_definitions_output_inputs() -> None:
    prog = parse_program("y = 2x^3 + 3; z = y^2")
    assert [d.name for d in prog.definitions] == ["y", "z"]
    assert prog.output == "z"
    assert prog.inputs == ("x",)
    assert prog.expression("y") == 2 * x**3 + 3
    assert prog.expression("z") == y**2  # later names stay symbols
    assert prog.inlined() == (2 * x**3 + 3) ** 2
    assert prog.inlined().diff(x).subs(x, half) == Rational(39, 4)  # 9.75, SYLLABUS §3


def test_program_newlines_are_separators() -> None:
    prog = parse_program("g = w x\na = g^2\nL = a")
    assert [d.name for d in prog.definitions] == ["g", "a", "L"]
    assert prog.inputs == ("w", "x")
    assert prog.inlined() == w**2 * x**2


def test_program_user_names_are_whole_words() -> None:
    prog = parse_program("loss = x1^2 + x2^2")
    assert prog.output == "loss"
    assert prog.inputs == ("x1", "x2")
    assert prog.inlined() == x1**2 + x2**2
    prog = parse_program("loss = x^2; total = 2loss")
    assert prog.expression("total") == 2 * R("loss")
    assert prog.inlined() == 2 * x**2


def test_program_bare_last_expression_is_out() -> None:
    prog = parse_program("u = x^2; v = 3x; u + v")
    assert prog.output == "out"
    assert prog.inlined() == x**2 + 3 * x


def test_program_unevaluated() -> None:
    prog = parse_program("y = (x^2)^3", evaluate=False)
    assert prog.expression("y").base == sympy.Pow(x, 2, evaluate=False)


def test_parse_statement_function_definition() -> None:
    stmt = parse_statement("f(x) = x^2")
    assert isinstance(stmt, Definition)
    assert (stmt.name, stmt.params, stmt.expr) == ("f", ("x",), x**2)
    stmt = parse_statement("g(x, y) = x y")
    assert stmt.params == ("x", "y") and stmt.expr == x * y


def test_parse_statement_plain_definition_and_expression() -> None:
    stmt = parse_statement("y = 2x + 1")
    assert isinstance(stmt, Definition) and stmt.name == "y" and stmt.params == ()
    assert stmt.expr == 2 * x + 1
    assert parse_statement("x^2") == x**2


def test_functions_application() -> None:
    functions = {"f": (("x",), x**2), "g": (("x", "y"), x * y)}
    assert parse("f(3)", functions=functions) == 9
    assert parse("f(x+1)", functions=functions) == (x + 1) ** 2
    assert parse("f(sin x)", functions=functions) == sin(x) ** 2
    assert parse("2f(y)", functions=functions) == 2 * y**2
    assert parse("g(a, b)", functions=functions) == a * b
    assert parse("f^2(x)", functions=functions) == x**4


def test_names_are_read_whole() -> None:
    assert parse("speed t", names=["speed"]) == R("speed") * t
    # without the declaration the word is refused: it used to split silently into
    # s*p*e^2*d (with e = 2.718...), which no learner means
    with pytest.raises(ParseError, match="'speed' is not a function or variable I know"):
        parse("speed")
