"""The final answer in the form a teacher would write.

A few candidate forms are tried — the engine's raw result, ``factor``, ``together``,
``sympy.simplify`` (only when a fraction of functions is present, and under a
time limit) and ``sympy.diff``'s own result — and the smallest by ``count_ops`` wins,
earlier candidates winning ties (so the raw form stays unless something is really
tidier). Two guards keep it teacher-like:

- no swell: ``sympy.diff``'s result is itself a candidate, so the answer is never bigger;
- no surprise identities: a candidate that introduces trigonometric or hyperbolic calls
  on new arguments (``4 sin(2x+3) cos(2x+3)`` → ``2 sin(4x+6)``) is not taken, since a
  teacher would not apply a double-angle formula unasked.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy

from calctutor.errors import ComputationTimeout
from calctutor.timeouts import time_limit

__all__ = ["teacher_form", "size"]

#: Wall-clock budget for sympy.simplify on one result.
SIMPLIFY_SECONDS = 0.5
#: Budget for recombining a large fraction (partial fractions of an integrand, with
#: radicals in the coefficients, take a while to cancel).
FRACTION_SECONDS = 1.5
#: Above these many operations the slower rewrites are skipped (factor is superlinear).
FACTOR_MAX = 40
BIG = 120

_TRIG = (sympy.sin, sympy.cos, sympy.tan, sympy.sec, sympy.csc, sympy.cot,
         sympy.sinh, sympy.cosh, sympy.tanh, sympy.sech, sympy.csch, sympy.coth)


def size(expr: sympy.Expr) -> int:
    """Operation count: the measure of swell."""
    return int(sympy.count_ops(expr))


def _trig_args(expr: sympy.Expr) -> set:
    return {f.args[0] for f in expr.atoms(*_TRIG)}


def _worth_simplifying(expr: sympy.Expr) -> bool:
    """simplify is slow; call it only where it usually pays: a fraction involving
    trigonometric, hyperbolic, exponential or logarithmic calls (-sin(x)/cos(x) → -tan(x))."""
    funcs = expr.atoms(*_TRIG, sympy.exp, sympy.log)
    if not funcs:
        return False
    has_fraction = any(p.exp.is_negative for p in expr.atoms(sympy.Pow)
                       if p.base.has(*_TRIG, sympy.exp, sympy.log))
    return has_fraction


def _rational(expr: sympy.Expr) -> bool:
    """A fraction of polynomials in its variables, not a polynomial (radicals of numbers
    allowed as coefficients)."""
    symbols = sorted(expr.free_symbols, key=lambda v: v.name)
    if not symbols or expr.has(sympy.Float) or not expr.is_rational_function(*symbols):
        return False
    # a real fraction: some power with a negative exponent over the variables
    return any(p.exp.is_negative and p.base.free_symbols for p in expr.atoms(sympy.Pow))


def _sign_over_abs(expr: sympy.Expr) -> sympy.Expr:
    """sign(u)/|u| written 1/u, and sign(u)|u| written u, in every product.

    Both rewrites keep the value wherever the expression is defined (at u = 0
    sign(u)/|u| is undefined, like 1/u; sign(u)|u| is 0, like u).
    """
    if not expr.has(sympy.sign):
        return expr

    def fix(node: sympy.Expr) -> sympy.Expr:
        if not node.is_Mul:
            return node
        factors = list(node.args)
        for i, f in enumerate(factors):
            if not isinstance(f, sympy.sign):
                continue
            u = f.args[0]
            for j, g in enumerate(factors):
                if g.is_Pow and isinstance(g.base, sympy.Abs) and g.base.args[0] == u \
                        and g.exp.is_Integer:
                    factors[i] = sympy.S.One
                    factors[j] = u ** int(sympy.sign(g.exp)) * g.base ** (g.exp - sympy.sign(g.exp))
                    return fix(sympy.Mul(*factors))
                if isinstance(g, sympy.Abs) and g.args[0] == u:
                    factors[i], factors[j] = sympy.S.One, u
                    return fix(sympy.Mul(*factors))
        return node

    return expr.replace(lambda n: n.is_Mul and n.has(sympy.sign), fix)


def teacher_form(raw: sympy.Expr, *, baseline: sympy.Expr | None = None,
                 timeout: float | None = SIMPLIFY_SECONDS) -> tuple[sympy.Expr, str | None]:
    """(tidy form, what changed) — ``what`` is None when the raw form is kept.

    ``baseline`` is ``sympy.diff``'s result for the same derivative; leave it out when the
    raw result is deliberately wrong (the grader's mistake replay), so that the answer
    stays the raw one's value.
    """
    candidates: list[tuple[sympy.Expr, str | None]] = []
    try:
        pulled = sympy.factor_terms(raw) if raw.is_Mul else raw
    except (ValueError, TypeError, RecursionError):
        pulled = raw
    # 6x^2 (4x^3 + 6) -> 12x^2 (2x^3 + 3): a number taken out of a sum inside a product
    # wins ties against the raw form (x^2 cos x + 2x sin x is left alone)
    if pulled != raw and pulled.as_coeff_Mul()[0] != raw.as_coeff_Mul()[0]:
        candidates.append((pulled, "took out a common factor"))
    candidates.append((raw, None))
    allowed = _trig_args(raw) | (_trig_args(baseline) if baseline is not None else set())
    raw_size = size(raw)

    def attempt(fn: Callable[[sympy.Expr], sympy.Expr], label: str, seconds: float | None,
                source: sympy.Expr) -> None:
        try:
            with time_limit(seconds, label):
                form = fn(source)
        except ComputationTimeout:
            return
        except (ValueError, TypeError, NotImplementedError, AttributeError,
                sympy.PolynomialError, RecursionError):
            return
        if (form is not None and form != raw and _trig_args(form) <= allowed
                and not form.has(sympy.Piecewise)):
            candidates.append((form, label))

    sources = [raw]
    unsigned = _sign_over_abs(raw)
    if unsigned != raw:
        # sign(u)/|u| is 1/u wherever either is defined: d/dx ln|u| = u'/u, as taught
        candidates.append((unsigned, "wrote sign(u)/|u| as 1/u"))
        sources.append(unsigned)
    for source in sources if raw.free_symbols else ():
        source_size = size(source)
        if source_size <= FACTOR_MAX:
            attempt(sympy.factor, "factored", timeout, source)
        if source_size <= BIG:
            attempt(sympy.together, "combined over a common denominator", timeout, source)
        if source_size <= BIG and _rational(source):
            # one fraction in lowest terms: the partial fractions of an integrand recombine
            before = len(candidates)
            attempt(lambda e: sympy.cancel(sympy.together(e)), "combined into one fraction",
                    None if timeout is None else max(timeout, FRACTION_SECONDS), source)
            if len(candidates) > before:
                attempt(lambda e: sympy.factor(candidates[-1][0]), "combined into one fraction",
                        timeout, source)
        if source_size <= FACTOR_MAX and _worth_simplifying(source):
            attempt(sympy.simplify, "simplified with identities", timeout, source)
        if source_size <= FACTOR_MAX and source.has(*_TRIG):
            attempt(sympy.trigsimp, "simplified with identities", timeout, source)
    if baseline is not None and baseline != raw and not baseline.has(sympy.Piecewise):
        candidates.append((baseline, "SymPy's form (smaller)"))

    best, label, best_size = candidates[0][0], candidates[0][1], size(candidates[0][0])
    for form, how in candidates[1:]:
        s = size(form)
        if s < best_size:
            best, label, best_size = form, how, s
    return best, label
