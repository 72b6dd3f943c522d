"""The symbolic witness: is ``a - b`` identically zero for real values of the variables?

Only transformations valid for real variables are used (all our symbols are declared
real, so SymPy already turns sqrt(x^2) into |x| and never "simplifies" it into x).
Machine-learning functions are rewritten in exponentials first, so sigmoid(2x) can meet
tanh(x)/2 + 1/2. Each attempt is time-boxed; the witness answers "unknown" rather than
guess. It can prove "different" only where that is decidable: a non-zero constant
difference, or rational functions whose combined numerator is not zero.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy

from calctutor.errors import ComputationTimeout
from calctutor.mathfuncs import logsumexp, relu, sigmoid, softplus
from calctutor.timeouts import time_limit

EQUAL, DIFFERENT, UNKNOWN = "equal", "different", "unknown"


@dataclass(frozen=True)
class SymbolicFinding:
    status: str  # equal | different | unknown
    how: str  # which normalisation decided it, for the verdict's explanation
    seconds: float


def _exp_form(expr: sympy.Expr) -> sympy.Expr:
    """Rewrite the ML functions (and hyperbolics) in exp/log so SymPy can compare them."""
    replacements = {}
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sigmoid):
            replacements[node] = 1 / (1 + sympy.exp(-node.args[0]))
        elif isinstance(node, softplus):
            replacements[node] = sympy.log(1 + sympy.exp(node.args[0]))
        elif isinstance(node, logsumexp):
            replacements[node] = sympy.log(sum(sympy.exp(a) for a in node.args))
        elif isinstance(node, relu):
            replacements[node] = (node.args[0] + sympy.Abs(node.args[0])) / 2
    if replacements:
        expr = expr.xreplace(replacements)
        if any(isinstance(n, (sigmoid, softplus, logsumexp, relu)) for n in sympy.preorder_traversal(expr)):
            return _exp_form(expr)  # nested ML functions: rewrite the inner ones too
    return expr


def _is_zero(expr: sympy.Expr) -> bool | None:
    """True if expr is structurally 0, False if it is a provably non-zero number, else None."""
    if expr == 0:
        return True
    if expr.is_number:
        if expr.has(sympy.zoo, sympy.nan, sympy.oo, sympy.S.NegativeInfinity):
            return None
        value = expr.evalf(60)
        if value.is_Number and abs(value) > sympy.Float("1e-45", 60):
            return False
        return None
    return None


def compare(a: sympy.Expr, b: sympy.Expr, budget: float = 2.0) -> SymbolicFinding:
    """Decide symbolically whether a and b are equal as real functions."""
    start = time.perf_counter()

    def done(status: str, how: str) -> SymbolicFinding:
        return SymbolicFinding(status, how, time.perf_counter() - start)

    if a == b:
        return done(EQUAL, "identical after parsing")
    diff = a - b
    zero = _is_zero(diff)
    if zero is True:
        return done(EQUAL, "the difference is 0")
    if zero is False:
        return done(DIFFERENT, "the difference is a non-zero constant")

    attempts = (
        ("expanding", lambda d: sympy.expand(d)),
        ("cancelling", lambda d: sympy.cancel(sympy.together(d))),
        ("rewriting in exponentials", lambda d: sympy.cancel(sympy.expand(_exp_form(d).rewrite(sympy.exp)))),
        ("simplifying", lambda d: sympy.simplify(d)),
        ("simplifying in exponentials", lambda d: sympy.simplify(_exp_form(d).rewrite(sympy.exp))),
        ("trigonometric simplification", lambda d: sympy.trigsimp(sympy.expand_trig(d))),
    )
    for how, attempt in attempts:
        remaining = budget - (time.perf_counter() - start)
        if remaining <= 0.01:
            return done(UNKNOWN, "out of time")
        try:
            with time_limit(remaining, "symbolic comparison"):
                result = attempt(diff)
        except ComputationTimeout:
            return done(UNKNOWN, f"timed out while {how}")
        except (TypeError, ValueError, NotImplementedError, AttributeError, ZeroDivisionError,
                RecursionError, sympy.PolynomialError):
            continue
        zero = _is_zero(result)
        if zero is True:
            return done(EQUAL, how)
        if zero is False:
            return done(DIFFERENT, f"{how} leaves a non-zero constant")
        if how == "cancelling" and _rational_nonzero(result):
            return done(DIFFERENT, "the difference of two rational functions is not zero")
    return done(UNKNOWN, "no normalisation reduced the difference to 0")


def _rational_nonzero(expr: sympy.Expr) -> bool:
    """For a rational function in the variables, a non-zero numerator decides 'different'."""
    symbols = sorted(expr.free_symbols, key=lambda s: s.name)
    if not symbols or not expr.is_rational_function(*symbols):
        return False
    if expr.has(sympy.Float):
        return False
    numerator, _ = sympy.fraction(expr)
    return sympy.expand(numerator) != 0
