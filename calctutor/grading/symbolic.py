"""The symbolic witness: is ``a - b`` identically zero for real values of the variables?

Only transformations valid for real variables are used (all our symbols are declared
real, so SymPy already turns sqrt(x^2) into |x| and never "simplifies" it into x).
Machine-learning functions are rewritten in exponentials first, so sigmoid(2x) can meet
tanh(x)/2 + 1/2. Nested radicals are denested (``sqrtdenest``, ``radsimp``) and constant
coefficients are tested exactly by their minimal polynomial, so sqrt(3 - 2 sqrt(2)) meets
sqrt(2) - 1. Each attempt is time-boxed; the witness answers "unknown" rather than guess.

It says "different" only with a point: where a normalisation suggests a difference (a
non-zero constant, or rational functions whose combined numerator is not zero), both
expressions are evaluated in 50-digit arithmetic at candidate points where both are
defined, and only a confirmed difference there counts; otherwise "unknown".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import sympy

from calctutor.grading import precise

from calctutor.errors import ComputationTimeout
from calctutor.mathfuncs import logsumexp, relu, sigmoid, softplus
from calctutor.timeouts import time_limit

EQUAL, DIFFERENT, UNKNOWN = "equal", "different", "unknown"


@dataclass(frozen=True)
class SymbolicFinding:
    status: str  # equal | different | unknown
    how: str  # which normalisation decided it, for the verdict's explanation
    seconds: float
    point: dict[str, float] | None = None  # where "different" was confirmed
    values: tuple[float, float] | None = None  # (a, b) there


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
    """True if expr is 0 (structurally, or an algebraic number whose minimal polynomial
    is t), False if it is a provably non-zero number, else None."""
    if expr == 0:
        return True
    if expr.is_Rational:  # exact: 10^-45 is not 0, however small
        return False
    if expr.is_number:
        if expr.has(sympy.zoo, sympy.nan, sympy.oo, sympy.S.NegativeInfinity):
            return None
        value = expr.evalf(60)
        if value.is_Number and abs(value) > sympy.Float("1e-45", 60):
            return False
        if expr.is_algebraic is not False and not expr.has(sympy.Float):
            t = sympy.Dummy("t")
            try:
                with time_limit(0.3, "a minimal polynomial"):
                    if sympy.minimal_polynomial(expr, t) == t:
                        return True
            except (ComputationTimeout, NotImplementedError, ValueError, TypeError,
                    sympy.polys.polyerrors.BasePolynomialError):
                return None
        return None
    return None


def _denest(expr: sympy.Expr) -> sympy.Expr:
    """Nested square roots denested and denominators rationalised, where SymPy can."""
    return sympy.expand(sympy.radsimp(sympy.sqrtdenest(sympy.expand(expr))))


def compare(a: sympy.Expr, b: sympy.Expr, budget: float = 2.0,
            candidates: list[dict[str, float]] | tuple = (),
            within: sympy.Expr | None = None, quick: bool = False) -> SymbolicFinding:
    """Decide symbolically whether a and b are equal as real functions.

    ``candidates`` are points inside the domain (from the numeric witness) where a
    suspected difference is confirmed; a few plain points are tried as well. A point
    counts only where ``within`` (the function, for a derivative) is defined too.
    ``quick`` keeps to the polynomial and rational normal forms (expanding, cancelling),
    for a caller that already holds a confirmed counterexample.
    """
    start = time.perf_counter()

    def done(status: str, how: str) -> SymbolicFinding:
        if status == DIFFERENT:
            return _confirm(a, b, how, candidates, start, within)
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
        ("denesting radicals", lambda d: sympy.cancel(sympy.together(_denest(d)))),
        ("rewriting in exponentials", lambda d: sympy.cancel(sympy.expand(_exp_form(d).rewrite(sympy.exp)))),
        ("simplifying", lambda d: sympy.simplify(d)),
        ("simplifying in exponentials", lambda d: sympy.simplify(_exp_form(d).rewrite(sympy.exp))),
        ("trigonometric simplification", lambda d: sympy.trigsimp(sympy.expand_trig(d))),
    )
    for how, attempt in attempts[:QUICK_ATTEMPTS] if quick else attempts:
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
        if how in ("cancelling", "denesting radicals") and _rational_nonzero(result):
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
    try:
        coefficients = sympy.Poly(sympy.expand(numerator), *symbols).coeffs()
    except sympy.PolynomialError:
        return False
    # one coefficient provably non-zero (exactly, by its minimal polynomial or 60 digits)
    return any(_is_zero(c) is False for c in coefficients)


def _exact_constant_gap(a: sympy.Expr, b: sympy.Expr) -> bool:
    """a - b is a non-zero rational number exactly (after expanding): then they differ at
    every point where both are defined, by more than any precision could hide."""
    try:
        with time_limit(0.2, "an exact difference"):
            gap = sympy.expand(a - b)
    except (ComputationTimeout, TypeError, ValueError, RecursionError):
        return False
    return bool(gap.is_Rational and gap != 0)


#: the normal forms a quick comparison tries (expanding, cancelling)
QUICK_ATTEMPTS = 2

#: plain points tried when the caller has none inside the domain
_PLAIN = (0.7, -1.3, 2.5, 0.2, -4.0, 11.0, 150.0, -0.45)


def _confirm(a: sympy.Expr, b: sympy.Expr, how: str, candidates, start: float,
             within: sympy.Expr | None = None) -> SymbolicFinding:
    """'different' only with a point where both are defined and differ in 50 digits."""
    names = sorted({s.name for s in a.free_symbols | b.free_symbols
                    | (within.free_symbols if within is not None else set())})
    points = [dict(p) for p in candidates if set(names) <= set(p)]
    if not names:
        points = [{}]
    else:
        points += [{n: _PLAIN[(i + k) % len(_PLAIN)] for k, n in enumerate(names)}
                   for i in range(len(_PLAIN))]
    exact_gap = _exact_constant_gap(a, b)
    for point in points[:16]:
        if time.perf_counter() - start > 3.0:
            break
        point = {n: point[n] for n in names}
        va, vb = precise.value_at(a, point), precise.value_at(b, point)
        if va is None or vb is None:
            continue
        if within is not None and precise.value_at(within, point) is None:
            continue
        if exact_gap or not precise.agree(va, vb) and precise.differ(a, b, point):
            return SymbolicFinding(DIFFERENT, how, time.perf_counter() - start, point,
                                   (float(va), float(vb)))
    return SymbolicFinding(UNKNOWN, f"{how}, but no point where both are defined confirmed it",
                           time.perf_counter() - start)
