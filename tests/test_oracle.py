"""The oracle: every expression and number the CLI prints in ``--json``, checked against
SymPy and mpmath computed here, independently of calctutor's engines.

Inputs come from a seeded generator of syllabus-style expressions (compositions of the
table's functions, products, quotients, powers, and ``u = ...; y = ...`` programs) with
points inside the domain. Each goes through the real command line in-process
(``typer.testing.CliRunner``) and the JSON document is checked:

- every expression field parses, and printing it again gives the same expression;
- ``diff``: the derivative (vs ``sympy.diff`` of the input), its value at the point, and
  every step's ``result`` against the derivative of its ``expr`` (rewrite steps keep the
  value of ``expr``);
- ``check``: the true derivative is graded correct and its ``expected`` equals it; the
  derivative plus one is graded wrong;
- ``grad`` / ``graph``: partial derivatives, node values and the gradient;
- ``taylor``: coefficients and derivative values (vs ``sympy.diff``), the polynomial
  (vs ``sympy.series``), and the error table;
- ``limit``: each row against direct evaluation;
- ``integrate``: the exact and numeric values against mpmath's quadrature.

Values are compared at 30 significant digits with mpmath, at the point and two nearby
points, so equal forms of one expression pass and a wrong one fails.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

import mpmath
import pytest
import sympy
from typer.testing import CliRunner

from calctutor.cli import app
from calctutor.parsing import parse, to_input
from calctutor.parsing.builder import symbol

SEED = 20261201
X, Y = symbol("x"), symbol("y")
runner = CliRunner()
DIGITS = 30

#: JSON keys whose string values are expressions in our input syntax.
EXPRESSION_KEYS = {
    "derivative", "expr", "result", "expected", "answer", "polynomial", "expanded", "term",
    "coefficient_exact", "derivative_exact", "value_exact", "function", "definition",
    "at_variable", "local_derivative", "outer", "outer_derivative", "inner_derivative",
    "work", "product", "antiderivative", "formula", "expression", "as_typed", "output",
}


# ── the generator ─────────────────────────────────────────────────────────────────

UNARY = ["sin", "cos", "exp", "ln", "sqrt", "tanh", "atan", "sigmoid", "softplus", "tan",
         "sinh", "cosh"]
LEAVES = ["x", "x", "2x", "x^2", "3x", "x/2", "(x + 1)", "(1 - x)", "x^3"]


def _expr(rng: random.Random, depth: int) -> str:
    if depth == 0:
        return rng.choice(LEAVES)
    kind = rng.choice(["unary", "unary", "unary", "add", "sub", "mul", "mul", "div",
                       "pow", "scale"])
    a = _expr(rng, depth - 1)
    if kind == "unary":
        name = rng.choice(UNARY)
        if name in ("ln", "sqrt"):  # keep the argument positive near the point
            a = rng.choice([f"{a}^2 + 1", "x", f"e^({a})", f"x^2 + {a}^2"])
        if name == "tan":
            a = f"({a})/8"
        return f"{name}({a})"
    b = _expr(rng, rng.randrange(depth))
    if kind == "add":
        return f"{a} + {b}"
    if kind == "sub":
        return f"{a} - ({b})"
    if kind == "mul":
        return rng.choice([f"({a})*({b})", f"{rng.randint(2, 5)}{a}" if a[0].isalpha()
                           else f"({a})({b})"])
    if kind == "div":
        return f"({a})/({b}^2 + 1)"
    if kind == "pow":
        return f"({a})^{rng.choice(['2', '3', '(1/2)', '(-1)'])}" if a.startswith("x") \
            else f"({a})^{rng.choice(['2', '3'])}"
    return f"{rng.choice(['2', '3', '1/2', '-1', '-3'])}*({a})"


def _program(rng: random.Random) -> str:
    inner = _expr(rng, 1)
    outer = rng.choice(["sin(u)", "u^2", "e^u", "sigmoid(u)", "ln(u^2 + 1)", "u sin(u)",
                        "tanh(u)", "sqrt(u^2 + 1)"])
    last = rng.choice(["y^2", "3y + 1", "e^(-y)", "y cos(y)", "softplus(y)"])
    return f"u = {inner}; y = {outer.replace('u', 'u')}; z = {last}"


def _function_of(text: str) -> sympy.Expr:
    """The input as one SymPy expression (programs substituted), read by the parser."""
    return parse(text) if ";" not in text else _inline(text)


def _inline(text: str) -> sympy.Expr:
    env: dict[sympy.Symbol, sympy.Expr] = {}
    expr = None
    for piece in text.split(";"):
        name, body = (p.strip() for p in piece.split("=", 1))
        expr = parse(body).subs(env)
        env[symbol(name)] = expr
    return expr


def _mp(expr: sympy.Expr, at: dict) -> mpmath.mpf | None:
    # a float point is taken as the decimal it prints as (1.7 is 17/10), so that
    # cancellation inside a long expression does not show a binary rounding error
    at = {k: sympy.Rational(repr(v)) if isinstance(v, float) else v for k, v in at.items()}
    try:
        value = sympy.N(expr.subs(at), DIGITS)
    except (TypeError, ValueError, ZeroDivisionError, RecursionError):
        return None
    if not value.is_number or value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return None
    try:
        c = complex(value)
    except (TypeError, ValueError):
        return None
    if abs(c.imag) > 1e-20 * max(1.0, abs(c.real)) or c.real != c.real:
        return None
    return mpmath.mpf(str(sympy.re(value)))


@dataclass(frozen=True)
class Case:
    text: str
    point: float
    two: bool = False  # a function of x and y


def _cases() -> list[Case]:
    rng = random.Random(SEED)
    cases: list[Case] = []
    while len(cases) < 70:
        text = _program(rng) if rng.random() < 0.15 else _expr(rng, rng.choice([1, 2, 2, 3]))
        point = rng.choice([0.5, 0.7, 1.0, 1.3, 1.5, 2.0])
        try:
            f = _function_of(text)
        except Exception:  # noqa: BLE001 - the generator wrote something unreadable
            continue
        if f.free_symbols != {X} or sympy.count_ops(f) > 40:
            continue
        d = sympy.diff(f, X)
        if any(_mp(g, {X: p}) is None for g in (f, d) for p in _near(point)):
            continue  # not defined (or not real) around the point
        cases.append(Case(text, point))
    for _ in range(12):
        a, b = _expr(rng, 1), _expr(rng, 1).replace("x", "y")
        cases.append(Case(f"{a} * {rng.choice(['sin', 'exp', 'cos'])}({b}) + {b}", 0.8,
                          two=True))
    return cases


def _near(p: float) -> tuple[float, float, float]:
    return (p, p - 0.23, p + 0.31)


CASES = _cases()


# ── checks ────────────────────────────────────────────────────────────────────────

@pytest.fixture(autouse=True)
def _precision():
    mpmath.mp.dps = DIGITS + 10  # the differences of values keep their digits
    yield
    mpmath.mp.dps = 15


def invoke(command: str, *positional: str, options: tuple[str, ...] = ()) -> dict:
    """``calctutor COMMAND OPTIONS --json -- POSITIONAL`` in-process (``--`` so that an
    expression with a leading minus is never taken for an option)."""
    args = [command, *options, "--json", "--", *positional]
    out = runner.invoke(app, args)
    assert out.exit_code in (0, 1), f"calctutor {' '.join(args)}: {out.output}"
    return json.loads(out.stdout)


def close(a, b, rel=1e-9, abs_=1e-9) -> bool:
    if a is None or b is None:
        return a is None and b is None
    a, b = mpmath.mpf(a), mpmath.mpf(b)
    return abs(a - b) <= abs_ + rel * max(abs(a), abs(b))


def same_function(p: sympy.Expr, q: sympy.Expr, points, variables=(X,)) -> bool:
    for point in points:
        at = dict(zip(variables, point if isinstance(point, tuple) else (point,)))
        u, v = _mp(p, at), _mp(q, at)
        if u is None or v is None:
            if u is not v:
                return False
            continue
        if not close(u, v, rel=1e-12, abs_=1e-12):
            return False
    return True


def _strings(doc, key=None):
    if isinstance(doc, dict):
        for k, v in doc.items():
            yield from _strings(v, k)
    elif isinstance(doc, list):
        for v in doc:
            yield from _strings(v, key)
    elif isinstance(doc, str) and key in EXPRESSION_KEYS:
        yield key, doc


def assert_round_trip(doc, where: str) -> None:
    """Every expression printed in the document parses, and prints back to itself."""
    for key, text in _strings(doc):
        if "=" in text or ";" in text:  # an echo of a program, not one expression
            continue
        expr = parse(text)
        again = to_input(expr)
        assert parse(again) == expr, f"{where}: {key} {text!r} reprints as {again!r}"


def _steps(steps):
    for s in steps:
        yield s
        yield from _steps(s.get("substeps", []))


REWRITES = {"simplify", "rewrite", "expand", "log_rewrite"}


def check_steps(doc, where: str, points) -> None:
    for s in _steps(doc["steps"]):
        expr, result = parse(s["expr"]), parse(s["result"])
        wrt = symbol(s["wrt"])
        free = sorted(expr.free_symbols | result.free_symbols | {wrt}, key=str)
        # a layer letter (u, y) is a variable of its own: sample it at the same values
        pts = [tuple(p + 0.1 * i for i in range(len(free))) for p in points]
        if s.get("key") in REWRITES or s["rule"] in ("simplify", "rewrite"):
            ok = same_function(result, expr, pts, free) or \
                same_function(result, sympy.diff(expr, wrt), pts, free)
        else:
            ok = same_function(result, sympy.diff(expr, wrt), pts, free)
        assert ok, f"{where}: step {s['id']} ({s['rule']}) d/d{s['wrt']} {s['expr']} " \
                   f"is not {s['result']}"


ONE = [c for c in CASES if not c.two]
TWO = [c for c in CASES if c.two]
PLAIN = [c for c in ONE if ";" not in c.text]
PROGRAMS = [c for c in ONE if ";" in c.text]


def _small(case: Case, ops: int) -> bool:
    return sympy.count_ops(_function_of(case.text)) <= ops


@pytest.mark.parametrize("case", ONE, ids=[c.text for c in ONE])
def test_diff(case: Case) -> None:
    f = _function_of(case.text)
    d = sympy.diff(f, X)
    points = _near(case.point)
    p = sympy.nsimplify(case.point)
    doc = invoke("diff", case.text, options=("--at", f"x={case.point}"))
    where = f"diff {case.text!r} --at x={case.point}"
    assert_round_trip(doc, where)
    assert same_function(parse(doc["derivative"]), d, points), \
        f"{where}: derivative {doc['derivative']} is not {to_input(d)}"
    assert close(doc["value"], _mp(d, {X: p})), f"{where}: value {doc['value']}"
    check_steps(doc, where, points)


@pytest.mark.parametrize("case", PROGRAMS, ids=[c.text for c in PROGRAMS])
def test_graph_of_programs(case: Case) -> None:
    d = sympy.diff(_function_of(case.text), X)
    graph = invoke("graph", case.text, options=("--at", f"x={case.point}"))
    assert_round_trip(graph, f"graph {case.text!r}")
    assert close(graph["gradient"]["x"], _mp(d, {X: sympy.nsimplify(case.point)}), rel=1e-7), \
        f"graph {case.text!r} --at x={case.point}: gradient {graph['gradient']}"


CHECKED = PLAIN[::3]


@pytest.mark.parametrize("case", CHECKED, ids=[c.text for c in CHECKED])
def test_check(case: Case) -> None:
    f = _function_of(case.text)
    d = sympy.diff(f, X)
    answer = to_input(d)
    verdict = invoke("check", case.text, answer)
    where = f"check {case.text!r} {answer!r}"
    assert_round_trip(verdict, where)
    assert verdict["correct"] is True, f"{where}: {verdict['message']}"
    assert same_function(parse(verdict["expected"]), d, _near(case.point)), f"{where}: expected"
    if len(case.text) % 3 == 0:
        wrong = invoke("check", case.text, f"{answer} + 1")
        assert wrong["correct"] is False, f"check {case.text!r} {answer + ' + 1'!r}: correct?"


TAYLORED = [c for c in PLAIN if _small(c, 15)][::2]


@pytest.mark.parametrize("case", TAYLORED, ids=[c.text for c in TAYLORED])
def test_taylor(case: Case) -> None:
    _taylor(case, _function_of(case.text), sympy.nsimplify(case.point))


LIMITED = [c for c in PLAIN if _small(c, 14)][1::4]


@pytest.mark.parametrize("case", LIMITED, ids=[c.text for c in LIMITED])
def test_limit(case: Case) -> None:
    f = _function_of(case.text)
    _limit(case, f, sympy.diff(f, X), sympy.nsimplify(case.point))


def _integrands() -> list[Case]:
    """Small integrands (one function of a simple inside, times or plus a power), where
    SymPy's exact integral is quick: the integrate command's exact value is tried with a
    time limit of several seconds, which larger ones reach."""
    rng = random.Random(SEED + 1)
    out: list[Case] = []
    while len(out) < 8:
        text = rng.choice(["{f}({a})", "x*{f}({a})", "{f}({a}) + x^2", "x^2*{f}({a})"]).format(
            f=rng.choice(["sin", "cos", "exp", "sinh", "cosh"]),
            a=rng.choice(["x", "2x", "x/2", "3x + 1"]))
        if all(c.text != text for c in out):
            out.append(Case(text, rng.choice([0.5, 1.0, 1.5])))
    return out


INTEGRATED = _integrands()


@pytest.mark.parametrize("case", INTEGRATED, ids=[c.text for c in INTEGRATED])
def test_integrate(case: Case) -> None:
    _integrate(case, _function_of(case.text), sympy.nsimplify(case.point))


@pytest.mark.parametrize("case", TWO, ids=[c.text for c in TWO])
def test_two_variables(case: Case) -> None:
    _two_variables(case)


def _taylor(case: Case, f, p) -> None:
    order = 2 + len(case.text) % 3
    doc = invoke("taylor", case.text, options=("--at", str(case.point), "--order", str(order)))
    where = f"taylor {case.text!r} --at {case.point} --order {order}"
    assert_round_trip(doc, where)
    derivative = f
    coefficients = []
    for k, term in enumerate(doc["terms"]):
        if k:
            derivative = sympy.diff(derivative, X)
        value = _mp(derivative, {X: p})
        coefficients.append(value / mpmath.factorial(k))
        assert close(term["derivative_value"], value), f"{where}: f^({k})(a)"
        assert close(term["coefficient"], coefficients[-1]), f"{where}: coefficient {k}"
    # the reference polynomial: SymPy's series where it is quick, else the derivatives
    series = sympy.series(f, X, p, order + 1).removeO() if sympy.count_ops(f) <= 10 else \
        sum(sympy.Float(str(c), DIGITS) * (X - p) ** k for k, c in enumerate(coefficients))
    polynomial = parse(doc["polynomial"])
    probe = [float(p) + h for h in (-0.3, 0.1, 0.4)]
    assert same_function(polynomial, series, probe), \
        f"{where}: polynomial {doc['polynomial']} is not the series {to_input(series)}"
    for row in doc["table"]:
        xv = mpmath.mpf(row["x"])
        approx = sum(c * (xv - mpmath.mpf(float(p))) ** k for k, c in enumerate(coefficients))
        exact = _mp(f, {X: sympy.nsimplify(row["x"])})
        assert close(row["approx"], approx, rel=1e-9), f"{where}: approx at {row['x']}"
        if exact is not None:
            assert close(row["exact"], exact), f"{where}: f({row['x']})"
            assert close(row["error"], exact - approx, rel=1e-6, abs_=1e-12), \
                f"{where}: error at {row['x']}"


def _limit(case: Case, f, d, p) -> None:
    doc = invoke("limit", case.text, options=("--at", str(case.point)))
    where = f"limit {case.text!r} --at {case.point}"
    assert_round_trip(doc, where)
    fp = _mp(f, {X: p})
    for row in doc["rows"]:
        h = sympy.nsimplify(row["h"])
        if "left" in row:  # the limit of f itself: values from both sides
            assert close(row["left"], _mp(f, {X: p - h}), rel=1e-9), f"{where}: left h={h}"
            assert close(row["right"], _mp(f, {X: p + h}), rel=1e-9), f"{where}: right h={h}"
        else:  # the difference quotients
            forward = (_mp(f, {X: p + h}) - fp) / mpmath.mpf(row["h"])
            central = (_mp(f, {X: p + h}) - _mp(f, {X: p - h})) / (2 * mpmath.mpf(row["h"]))
            assert close(row["forward"], forward, rel=1e-7), f"{where}: forward h={h}"
            assert close(row["central"], central, rel=1e-7), f"{where}: central h={h}"
    if doc.get("exact") is not None and not isinstance(doc["exact"], str):
        target = fp if "left" in doc["rows"][0] else _mp(d, {X: p})
        assert close(doc["exact"], target), f"{where}: exact {doc['exact']}"


def _integrate(case: Case, f, p) -> None:
    lo, hi = case.point - 0.2, case.point + 0.3
    doc = invoke("integrate", case.text, options=("--from", str(lo), "--to", str(hi)))
    where = f"integrate {case.text!r} --from {lo} --to {hi}"
    assert_round_trip(doc, where)
    fn = sympy.lambdify(X, f.rewrite(sympy.exp) if f.has(*_OURS) else f, "mpmath")
    truth = mpmath.quad(fn, [mpmath.mpf(str(lo)), mpmath.mpf(str(hi))])
    if doc.get("exact_value") is not None:
        assert close(doc["exact_value"], truth, rel=1e-9), f"{where}: exact {doc['exact']}"
    assert close(doc["quadrature"]["value"], truth, rel=1e-8), f"{where}: quadrature"
    if doc.get("exact") and doc.get("exact_value") is not None:
        assert close(_mp(parse(doc["exact"]), {}), truth, rel=1e-9), \
            f"{where}: exact {doc['exact']}"


def _ours():
    from calctutor.mathfuncs import logsumexp, relu, sigmoid, softplus

    return (sigmoid, relu, softplus, logsumexp)


_OURS = _ours()


def _two_variables(case: Case) -> None:
    f = parse(case.text)
    at = {X: sympy.Rational(4, 5), Y: sympy.Rational(13, 10)}
    doc = invoke("grad", case.text, options=("--at", "x=0.8,y=1.3"))
    where = f"grad {case.text!r} --at x=0.8,y=1.3"
    assert_round_trip(doc, where)
    pts = [(0.8, 1.3), (0.5, 0.9), (1.2, 1.7)]
    for part in doc["partials"]:
        v = symbol(part["variable"])
        truth = sympy.diff(f, v)
        assert same_function(parse(part["derivative"]), truth, pts, (X, Y)), \
            f"{where}: d/d{v} is {part['derivative']}"
        assert close(part["value"], _mp(truth, at)), f"{where}: d/d{v} value"
    graph = invoke("graph", case.text, options=("--at", "x=0.8,y=1.3"))
    where = f"graph {case.text!r} --at x=0.8,y=1.3"
    assert_round_trip(graph, where)
    for node in graph["nodes"]:
        if node["value"] is not None:
            assert close(node["value"], _mp(parse(node["expr"]), at), rel=1e-9), \
                f"{where}: node {node['id']} = {node['expr']}"
    for name, value in graph["gradient"].items():
        assert close(value, _mp(sympy.diff(f, symbol(name)), at), rel=1e-9), \
            f"{where}: gradient {name}"
