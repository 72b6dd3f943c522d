"""The primitives table: every row's local derivative agrees with SymPy, and every
formula, name and mistake label in it is usable."""

from __future__ import annotations

import re

import pytest
import sympy

from calctutor import rules
from calctutor.parsing import parse
from calctutor.parsing.lexer import KNOWN_FUNCTIONS
from calctutor.primitives import FUNCTION_NAMES, OPERATORS, PRIMITIVES, by_name, lookup
from conftest import R

u, v, w, s = (R(n) for n in "uvws")

# Points inside each row's domain (where the derivative exists), for numeric comparison.
DOMAIN_POINTS = {
    "ln": [0.3, 1.0, 2.5], "log10": [0.3, 1.0, 2.5], "log2": [0.3, 1.0, 2.5],
    "sqrt": [0.3, 1.0, 2.5], "cbrt": [0.3, 1.0, 2.5],
    "asin": [-0.7, 0.1, 0.6], "acos": [-0.7, 0.1, 0.6], "atanh": [-0.7, 0.1, 0.6],
    "asec": [-3.0, 1.5, 2.5], "acsc": [-3.0, 1.5, 2.5], "acosh": [1.2, 2.0, 3.5],
    "csch": [-1.5, 0.4, 2.0], "coth": [-1.5, 0.4, 2.0], "cot": [-1.0, 0.4, 2.0],
    "csc": [-1.0, 0.4, 2.0], "tan": [-1.0, 0.4, 1.2], "sec": [-1.0, 0.4, 1.2],
    "abs": [-1.5, 0.4, 2.0], "sign": [-1.5, 0.4, 2.0], "step": [-1.5, 0.4, 2.0],
    "relu": [-1.5, 0.4, 2.0],
}
DEFAULT_POINTS = [-1.3, 0.4, 2.1]


def _close(a: sympy.Expr, b: sympy.Expr, var: sympy.Symbol, points) -> None:
    for p in points:
        va = complex(a.subs(var, p).evalf(30))
        vb = complex(b.subs(var, p).evalf(30))
        assert abs(va - vb) <= 1e-9 * max(1.0, abs(vb)), (var, p, a, b, va, vb)


def _equal(a, b, var, points) -> None:
    if sympy.simplify(a - b) == 0:
        return
    _close(a, b, var, points)


UNARY_ROWS = [row for row in PRIMITIVES if row.arity == 1]
VARIADIC_ROWS = [row for row in PRIMITIVES if row.arity == -1]


def _sympy_call(row, *args):
    fn = rules.sympy_function(row)
    return fn(*args)


@pytest.mark.parametrize("row", UNARY_ROWS, ids=[r.name for r in UNARY_ROWS])
def test_unary_local_derivative_matches_sympy(row) -> None:
    x = R("x")
    inner = 3 * x  # through the chain rule too: d/dx f(3x) = 3 f'(3x)
    for arg, factor in ((x, 1), (inner, 3)):
        expected = sympy.diff(_sympy_call(row, arg), x)
        got = rules.local_derivative(row.name, [arg]) * factor
        points = [p / factor for p in DOMAIN_POINTS.get(row.name, DEFAULT_POINTS)]
        _equal(got, expected, x, points)


@pytest.mark.parametrize("row", VARIADIC_ROWS, ids=[r.name for r in VARIADIC_ROWS])
def test_variadic_local_derivative_matches_sympy(row) -> None:
    x, y, z = R("x"), R("y"), R("z")
    args = [x, 2 * y, z - 1]
    call = _sympy_call(row, *args)
    point = {x: 0.7, y: -0.4, z: 1.1}  # no ties between the arguments
    for index, (arg, var) in enumerate(zip(args, (x, y, z))):
        inner = sympy.diff(arg, var)
        got = rules.local_derivative(row.name, args, index) * inner
        expected = sympy.diff(call, var)
        got_v = complex(got.subs(point).evalf(30))
        exp_v = complex(expected.subs(point).evalf(30))
        assert abs(got_v - exp_v) < 1e-12, (row.name, index, got, expected)


def test_variadic_with_one_argument_each() -> None:
    x = R("x")
    assert rules.local_derivative("logsumexp", [x, x], 0).subs(x, 1.0) == pytest.approx(0.5)


def _operator_value(name, a, b):
    return {"add": a + b, "sub": a - b, "mul": a * b, "div": a / b, "pow": a**b,
            "neg": -a}[name]


@pytest.mark.parametrize("row", OPERATORS, ids=[r.name for r in OPERATORS])
def test_operator_local_derivatives(row) -> None:
    a, b = R("a"), R("b")
    args = [a] if row.arity == 1 else [a, b]
    value = _operator_value(row.name, a, b)
    for index, var in enumerate(args):
        got = rules.local_derivative(row.name, args, index)
        _equal(got, sympy.diff(value, var), var, [0.7, 1.3, 2.2])


# ── the formulas are in our own syntax and parse ────────────────────────────────────
ALL_ROWS = list(PRIMITIVES) + list(OPERATORS)
FORMULAS = [(row.name, f) for row in ALL_ROWS for f in row.derivatives] + [
    (row.name, m.formula) for row in ALL_ROWS for m in row.mistakes
]


@pytest.mark.parametrize(("name", "formula"), FORMULAS,
                         ids=[f"{n}:{f}" for n, f in FORMULAS])
def test_formula_parses_in_the_table_variables(name, formula) -> None:
    expr = parse(formula)
    assert {sym.name for sym in expr.free_symbols} <= {"u", "v", "w", "s"}


def test_derivative_count_matches_arity() -> None:
    for row in ALL_ROWS:
        expected = 1 if row.arity in (1, -1) else row.arity
        assert len(row.derivatives) == expected, row.name


NAMES = sorted(FUNCTION_NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_every_name_and_alias_parses_as_a_function(name) -> None:
    row = by_name(name)
    args = "x" if row.arity == 1 else "x, y"
    expr = parse(f"{name}({args})")
    expected = _sympy_call(row, *[R("x")] if row.arity == 1 else [R("x"), R("y")])
    assert expr == expected
    assert name in KNOWN_FUNCTIONS
    assert lookup(name) is row


def test_rows_have_rule_names_and_explanations() -> None:
    for row in ALL_ROWS:
        assert row.rule.strip() and row.explanation.strip(), row.name
        assert row.domain.strip(), row.name
        for m in row.mistakes:
            assert m.description.strip(), (row.name, m)


def test_inverse_names_exist_and_point_back() -> None:
    for row in PRIMITIVES:
        if row.inverse:
            inverse = by_name(row.inverse)
            assert inverse.inverse == row.name, (row.name, row.inverse)


def test_names_are_unique() -> None:
    seen: set[str] = set()
    for row in PRIMITIVES:
        for name in (row.name, *row.aliases):
            assert name not in seen, name
            seen.add(name)


def test_mistake_labels_are_the_documented_ones(data_dir) -> None:
    text = (data_dir / "CLI.md").read_text(encoding="utf-8")
    labels = set(re.findall(r"^\| `([a-z_]+)` \|", text, flags=re.MULTILINE))
    assert "missing_chain_factor" in labels and "unknown" in labels
    used = {m.label for row in ALL_ROWS for m in row.mistakes}
    assert used, "the table records no mistakes at all"
    assert used <= labels, used - labels


def test_mistakes_differ_from_the_right_derivative() -> None:
    # a "mistake" equal to the right derivative would flag correct answers as wrong
    x, y = R("x"), R("y")
    for row in ALL_ROWS:
        args = [x, y] if row.arity == 2 else [x]
        right = [rules.local_derivative(row.name, args, i) for i in range(len(args))]
        for m in row.mistakes:
            wrong = rules.mistaken_derivative(row, m, args, 0)
            if row.arity == 2:  # a binary mistake is about one of the two arguments
                assert any(sympy.simplify(wrong - r) != 0 for r in right), (row.name, m)
            else:
                assert sympy.simplify(wrong - right[0]) != 0, (row.name, m)


def test_row_for_finds_function_applications() -> None:
    x = R("x")
    assert rules.row_for(sympy.sin(x)).name == "sin"
    assert rules.row_for(parse("sigmoid(2x)")).name == "sigmoid"
    assert rules.row_for(parse("step(x)")).name == "step"
    assert rules.row_for(x**2) is None
    assert all(not row.sugar for row in rules.function_rows())
