"""check_grads for every row of the primitives table (after HIPS/autograd's helper).

Two references, both independent of the row's own formula:

1. central differences of the row's NumPy function (the one the autodiff engine runs);
2. for the functions we define ourselves (``calctutor.mathfuncs``: sigmoid, relu,
   softplus, logsumexp, gelu, cbrt, log1p, expm1), ``sympy.diff`` of the function
   rewritten in functions SymPy knows (exp, log, erf, Max, Abs). Their ``fdiff`` reads
   the row, so ``sympy.diff`` of the unrewritten call would only compare the row with
   itself.

A wrong row fails: the test at the bottom plants one.
"""

from __future__ import annotations

import dataclasses
import math

import pytest
import sympy

from calctutor import numeric, rules
from calctutor.primitives import OPERATORS, PRIMITIVES, Primitive, by_name
from conftest import R

A, B, C = R("a"), R("b"), R("c")

#: Points inside each row's domain, away from kinks (first argument; others follow).
POINTS = {
    "ln": [0.3, 1.0, 2.5], "log1p": [-0.6, 0.3, 2.0], "log10": [0.3, 1.7], "log2": [0.3, 1.7], "sqrt": [0.3, 1.7],
    "cbrt": [0.3, 1.7], "asin": [-0.7, 0.1, 0.6], "acos": [-0.7, 0.1, 0.6],
    "atanh": [-0.7, 0.1, 0.6], "asec": [-3.0, 1.5, 2.5], "acsc": [-3.0, 1.5, 2.5],
    "acosh": [1.2, 2.0, 3.5], "csch": [-1.5, 0.4, 2.0], "coth": [-1.5, 0.4, 2.0],
    "cot": [-1.0, 0.4, 2.0], "csc": [-1.0, 0.4, 2.0], "tan": [-1.0, 0.4, 1.2],
    "sec": [-1.0, 0.4, 1.2], "pow": [0.6, 1.8], "div": [-1.3, 0.7, 2.2],
    "bce": [0.15, 0.5, 0.8], "hard_tanh": [-1.6, -0.4, 0.7, 1.9],
}
DEFAULT = [-1.3, -0.4, 0.7, 2.1]
OTHERS = [0.9, -0.35]  # second and third arguments (no ties with the first)


def _nargs(row: Primitive) -> int:
    return 3 if row.arity == -1 else row.arity


def _points(row: Primitive) -> list[list[float]]:
    n = _nargs(row)
    return [[p, *OTHERS[: n - 1]] for p in POINTS.get(row.name, DEFAULT)]


def _exact(expr: sympy.Expr, values: dict) -> float:
    value = complex(expr.xreplace(values).evalf(30))
    assert abs(value.imag) < 1e-12, (expr, values)
    return value.real


def check_grads(row: Primitive) -> None:
    """The row's local derivatives against central differences of its NumPy function."""
    fn = numeric.function(row.numpy)
    symbols = [A, B, C][: _nargs(row)]
    for point in _points(row):
        for index in range(len(symbols)):
            formula = rules.row_derivative(row, symbols, index)
            stated = _exact(formula, dict(zip(symbols, map(sympy.Float, point))))
            h = 1e-6 * max(1.0, abs(point[index]))
            up, down = list(point), list(point)
            up[index] += h
            down[index] -= h
            central = (float(fn(*up)) - float(fn(*down))) / (2 * h)
            assert math.isclose(stated, central, rel_tol=1e-6, abs_tol=1e-7), (
                f"{row.name}: d/d{symbols[index]} at {point}: the row says {stated}, "
                f"central differences of {row.numpy} say {central}")


def check_against_rewrite(row: Primitive) -> None:
    """The row's formula against sympy.diff of the function written in SymPy's own terms."""
    symbols = [A, B, C][: _nargs(row)]
    call = rules.sympy_function(by_name(row.name))(*symbols)
    plain = call
    for target in (sympy.exp, sympy.log, sympy.Max, sympy.Abs):
        plain = plain.rewrite(target)
    assert not plain.atoms(*OURS), f"{row.name} has no rewrite in SymPy's functions: {plain}"
    for index, var in enumerate(symbols):
        reference = sympy.diff(plain, var)
        formula = rules.row_derivative(row, symbols, index)
        for point in _points(row):
            values = dict(zip(symbols, map(sympy.Float, point)))
            assert math.isclose(_exact(formula, values), _exact(reference, values),
                                rel_tol=1e-12, abs_tol=1e-14), (row.name, index, point)


ROWS = [*PRIMITIVES, *OPERATORS]
OWN_ROWS = [row for row in PRIMITIVES
            if row.sympy.startswith("calctutor:") and not row.sugar]
#: Our SymPy classes: none may survive the rewrite (their fdiff would read the row).
OURS = tuple(rules.sympy_function(row) for row in OWN_ROWS)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.name)
def test_check_grads_every_row(row: Primitive) -> None:
    check_grads(row)


@pytest.mark.parametrize("row", OWN_ROWS, ids=lambda r: r.name)
def test_our_own_functions_against_their_rewrite(row: Primitive) -> None:
    check_against_rewrite(row)


def test_our_own_functions_are_all_checked() -> None:
    assert {row.name for row in OWN_ROWS} >= {
        "sigmoid", "relu", "softplus", "logsumexp", "gelu", "leaky_relu", "elu", "gelu_tanh",
        "silu", "softsign", "hard_tanh", "mse", "bce", "bce_logits", "huber"}


@pytest.mark.parametrize("wrong", ["sigmoid(u)", "sigmoid(u)*(1+sigmoid(u))", "1-sigmoid(u)"])
def test_a_wrong_sigmoid_row_fails_both_checks(wrong: str) -> None:
    row = dataclasses.replace(by_name("sigmoid"), derivatives=(wrong,))
    with pytest.raises(AssertionError):
        check_grads(row)
    with pytest.raises(AssertionError):
        check_against_rewrite(row)


def test_a_wrong_numpy_function_fails_check_grads() -> None:
    row = dataclasses.replace(by_name("gelu"), numpy="calctutor.numeric:softplus")
    with pytest.raises(AssertionError):
        check_grads(row)
