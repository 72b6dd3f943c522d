"""calctutor.numeric: every table row's NumPy function and compiled local derivative
against SymPy, evaluated independently (evalf and sympy.diff)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
import sympy

from calctutor import numeric
from calctutor.primitives import OPERATORS, PRIMITIVES
from calctutor.rules import sympy_function
from conftest import R

CANDIDATES = [-2.5, -1.3, -0.7, -0.2, 0.3, 0.6, 1.4, 2.2, 3.7]
A, B, C = R("a"), R("b"), R("c")


def _call(row, args):
    if row.kind == "operator":
        a = args
        return {"add": lambda: a[0] + a[1], "sub": lambda: a[0] - a[1], "neg": lambda: -a[0],
                "mul": lambda: a[0] * a[1], "div": lambda: a[0] / a[1],
                "pow": lambda: a[0] ** a[1]}[row.name]()
    return sympy_function(row)(*args)


def _arity(row) -> int:
    return 3 if row.arity == -1 else row.arity


def _points(row):
    """Argument tuples (Rationals) where the row's SymPy value is real and finite."""
    n = _arity(row)
    out = []
    for i, first in enumerate(CANDIDATES):
        args = [sympy.Rational(str(first))]
        for k in range(1, n):
            args.append(sympy.Rational(str(CANDIDATES[(i + 3 * k) % len(CANDIDATES)])))
        if row.name == "pow":
            args[0] = abs(args[0])  # real powers need a positive base
        value = _call(row, args).evalf(30)
        if value.is_real and value.is_finite:
            out.append(args)
    return out


ALL_ROWS = [*PRIMITIVES, *OPERATORS]


def test_every_numpy_reference_names_a_function():
    assert numeric.unresolved() == set()
    with pytest.raises(KeyError):
        numeric.function("os:system")  # only NumPy, math and calctutor modules


@pytest.mark.parametrize("row", ALL_ROWS, ids=lambda r: r.name)
def test_numpy_function_matches_sympy_evalf(row):
    fn = numeric.function(row.numpy)
    points = _points(row)
    assert len(points) >= 2, f"no domain points for {row.name}"
    for args in points:
        expected = float(_call(row, args).evalf(30))
        got = float(fn(*[float(a) for a in args]))
        assert math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-14), (row.name, args)


@pytest.mark.parametrize("row", ALL_ROWS, ids=lambda r: r.name)
def test_compiled_local_derivative_matches_sympy_diff(row):
    n = _arity(row)
    symbols = [A, B, C][:n]
    call = _call(row, symbols)
    op = row.name
    for index in range(n):
        ld = numeric.local_derivative_fn(op, n, index)
        exact = sympy.diff(call, symbols[index])
        checked = 0
        for args in _points(row):
            sub = dict(zip(symbols, args))
            expected = exact.xreplace(sub).evalf(30)
            if not (expected.is_real and expected.is_finite):
                continue  # a kink (step at 0) or the edge of the domain
            floats = [np.float64(a) for a in args]
            out = numeric.function(row.numpy)(*floats)
            rest = None
            if op == "mul" and n > 2:
                rest = np.prod([f for j, f in enumerate(floats) if j != index])
            got = float(ld(floats, out, rest))
            assert math.isclose(got, float(expected), rel_tol=1e-11, abs_tol=1e-13), (
                op, index, args, got, expected)
            checked += 1
        assert checked >= 2, (op, index)


def test_nary_products_and_sums_use_the_binary_rows():
    ld = numeric.local_derivative_fn("mul", 3, 1)
    assert ld.formula == numeric.REST
    assert numeric.local_derivative_fn("add", 4, 3).constant == 1.0


def test_forward_value_is_reused_where_the_formula_allows():
    assert numeric.local_derivative_fn("exp", 1, 0).formula == numeric.OUT
    sig = numeric.local_derivative_fn("sigmoid", 1, 0).formula
    assert sig.free_symbols == {numeric.OUT}


def test_stable_functions_do_not_overflow():
    x = np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])
    with np.errstate(over="raise", invalid="raise", divide="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        s = numeric.sigmoid(x)
        sp = numeric.softplus(x)
        lse = numeric.logsumexp(np.float64(1000), np.float64(1001), np.float64(1002))
    assert s[0] == 0.0 and s[2] == 0.5 and s[-1] == 1.0
    assert sp[-1] == 1000.0 and sp[0] == 0.0
    assert math.isclose(float(lse), 1002.40760596444, rel_tol=1e-13)


def test_conventions_follow_sympy():
    f = numeric.function
    assert f("calctutor.numeric:heaviside")(0.0) == 0.5 == float(sympy.Heaviside(0))
    assert f("numpy:sign")(0.0) == 0.0
    assert f("calctutor.numeric:arccot")(0.0) == pytest.approx(math.pi / 2)
    assert f("calctutor.numeric:arccot")(-1.0) == pytest.approx(float(sympy.acot(-1)))
    with np.errstate(all="ignore"):
        assert math.isnan(f("numpy:log")(-1.0))
        assert math.isnan(f("numpy:power")(-8.0, 1 / 3))


def test_compiler_shares_common_subexpressions():
    x = R("x")
    tape = numeric.compile_expr(sympy.sin(x) + sympy.sin(x) ** 2, ["x"])
    sins = [fn for fn, _ in tape.instructions if fn is np.sin]
    assert len(sins) == 1
    assert tape.evaluate({"x": 0.5}) == pytest.approx(math.sin(0.5) + math.sin(0.5) ** 2)


def test_compiler_is_vectorised_and_handles_constants():
    x, y = R("x"), R("y")
    expr = sympy.log(x, 2) + sympy.pi * y / (1 + x ** 2) + sympy.E ** x
    xs = np.linspace(0.5, 3, 7)
    got = numeric.evaluate(expr, {"x": xs, "y": 2.0})
    want = np.log2(xs) + np.pi * 2 / (1 + xs ** 2) + np.exp(xs)
    np.testing.assert_allclose(got, want, rtol=1e-14)


def test_compiler_refuses_unknown_objects():
    with pytest.raises(numeric.UnsupportedExpression):
        numeric.compile_expr(sympy.gamma(R("x")), ["x"])
