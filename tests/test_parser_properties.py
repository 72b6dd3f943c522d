"""Property tests: printer/parser round trip, fuzzing, and the STACK conformance corpus."""

from __future__ import annotations

import json

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calctutor.errors import ParseError
from calctutor.mathfuncs import logsumexp, relu, sigmoid, softplus
from calctutor.parsing import parse, to_input
from conftest import DATA, R

NAMES = ["x", "y", "z", "t", "w", "a", "b", "X", "x1", "x2", "x_1", "theta", "alpha",
         "lambda", "rho", "xi", "mu", "sigma"]

symbols = st.sampled_from(NAMES).map(R)
integers = st.integers(-50, 50).map(sympy.Integer)
rationals = st.builds(lambda p, q: sympy.Rational(p, q), st.integers(-20, 20),
                      st.integers(1, 12))
constants = st.sampled_from([sympy.pi, sympy.E])
leaves = st.one_of(symbols, symbols, integers, rationals, constants)

UNARY = [sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot, sympy.asin,
         sympy.acos, sympy.atan, sympy.acot, sympy.sinh, sympy.cosh, sympy.tanh,
         sympy.asinh, sympy.atanh, sympy.exp, sympy.log, sympy.sqrt, sympy.Abs, sympy.sign,
         sympy.Heaviside, sigmoid, relu, softplus]


def _defined(e: sympy.Expr) -> bool:
    # Real calculus: a complex value such as SymPy's principal (-1)^(1/3) is outside the
    # language, where (-1)^(1/3) is the real cube root -1 (like I, it is left out).
    return not e.has(sympy.zoo, sympy.nan, sympy.I, sympy.oo, -sympy.oo) and not any(
        p.base.is_number and p.base.is_negative and not p.exp.is_integer
        for p in e.atoms(sympy.Pow))


def _pow(base, exponent):
    # keep exact numbers small: a^b with big rationals builds huge integers
    if exponent.is_Rational and abs(exponent) > 6:
        exponent = sympy.Integer(3)
    return base**exponent


def _safe(build):
    """SymPy refuses some combinations (Max of zoo); they become nan and are filtered."""
    def run(args):
        try:
            return build(args)
        except (ValueError, TypeError, ZeroDivisionError):
            return sympy.nan
    return run


def _extend(children):
    two = st.tuples(children, children)
    return st.one_of(
        two.map(_safe(lambda p: p[0] + p[1])),
        two.map(_safe(lambda p: p[0] - p[1])),
        two.map(_safe(lambda p: p[0] * p[1])),
        two.filter(lambda p: p[1] != 0).map(_safe(lambda p: p[0] / p[1])),
        two.map(_safe(lambda p: _pow(*p))),
        st.tuples(st.sampled_from(UNARY), children).map(_safe(lambda p: p[0](p[1]))),
        two.map(_safe(lambda p: sympy.Max(*p))),
        two.map(_safe(lambda p: sympy.Min(*p))),
        st.lists(children, min_size=2, max_size=3).map(_safe(lambda a: logsumexp(*a))),
        children.map(_safe(lambda e: -e)),
    ).filter(_defined)


# .doit(): SymPy occasionally leaves a part unevaluated, e.g. Max(x, Min(0, 1)); the
# parser always gives the evaluated form, which is what the round trip promises.
expressions = st.recursive(leaves, _extend, max_leaves=8).map(_safe(lambda e: e.doit())) \
    .filter(_defined)


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.filter_too_much])
@given(expressions)
def test_round_trip(expr: sympy.Expr) -> None:
    text = to_input(expr)
    back = parse(text)
    assert back == expr, f"{expr!r} printed as {text!r}, parsed back as {back!r}"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_round_trip_through_unevaluated_parse(expr: sympy.Expr) -> None:
    # the structure-keeping mode reads the printed text to the same value
    text = to_input(expr)
    assert parse(text, evaluate=False).doit() == parse(text)


ALPHABET = list("+-*/^()|,.=; 0123456789xyzesinclogtaqrpbmhuv_") + [
    "**", "sin", "cos", "log", "ln", "sqrt", "exp", "pi", "e", "abs", "max", "min",
    "sigmoid", "relu", "logsumexp", "·", "×", "−", "²", "³", "⁻", "¹", "÷", "√", "π",
    "θ", "σ", "∞", "[", "]", "\n", "e-", "1e", "__", "'", "!", "{", "}", "\\", "\t",
]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(ALPHABET), max_size=40).map("".join))
def test_fuzz_only_parse_errors(text: str) -> None:
    try:
        expr = parse(text)
    except ParseError as err:
        assert 0 <= err.position <= len(text)
        assert err.message
        err.render()
    else:
        assert isinstance(expr, sympy.Basic)
    try:
        parse(text, evaluate=False)
    except ParseError:
        pass


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=30))
def test_fuzz_any_unicode(text: str) -> None:
    try:
        parse(text)
    except ParseError:
        pass


def _stack_rows() -> list[dict]:
    path = DATA / "conformance" / "stack_answertests.jsonl"
    assert path.is_file(), f"STACK conformance corpus missing: expected {path}"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    assert len(rows) == 201
    return rows


def test_every_stack_expression_parses(data_dir) -> None:
    failures = []
    for row in _stack_rows():
        for field in ("student", "teacher"):
            text = row[field]
            try:
                expr = parse(text)
                assert parse(to_input(expr)) == expr
            except (ParseError, AssertionError) as err:
                failures.append(f"{field} {text!r}: {err}")
    assert not failures, "\n".join(failures)


def test_stack_reading_of_names(data_dir) -> None:
    # STACK's conventions, as documented in the corpus README: case matters, e is Euler's
    # number, log is natural, scientific notation is a number.
    rows = _stack_rows()
    texts = {row["student"] for row in rows} | {row["teacher"] for row in rows}
    assert {"X", "x", "e^x", "1.41e-2"} <= texts
    assert parse("X") != parse("x")
    assert parse("e^x") == sympy.exp(R("x"))
    assert parse("log(a^2*b)") == sympy.log(R("a") ** 2 * R("b"))
    assert parse("1.41e-2") == sympy.Rational(141, 10000)
