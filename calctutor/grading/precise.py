"""High-precision values at exact points: the numeric witness's court of appeal.

float64 is fast but blind below 1e-16 relative: with coefficients near 10^10 a wrong
``+ 1`` hides inside rounding noise, and a right answer computed with cancellation can
look wrong. Every float64 verdict that matters is re-checked here, at the same point
(converted exactly to a rational) with 50 significant digits.
"""

from __future__ import annotations

import sympy

from calctutor.errors import ComputationTimeout
from calctutor.parsing.builder import symbol
from calctutor.timeouts import time_limit

DIGITS = 50
_TINY = sympy.Float("1e-40", DIGITS)


def value_at(expr: sympy.Expr, point: dict[str, float], budget: float = 0.5) -> sympy.Float | None:
    """expr at the point, to DIGITS digits; None where it is undefined or not real."""
    subs = {symbol(name): sympy.Rational(float(v)) for name, v in point.items()}
    try:
        with time_limit(budget, "a high-precision evaluation"):
            value = expr.xreplace(subs)
            if value.has(sympy.zoo, sympy.nan) or value.has(sympy.oo) or value.has(sympy.S.NegativeInfinity):
                return None
            value = value.evalf(DIGITS)
    except ComputationTimeout:
        return None
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, ArithmeticError):
        return None
    if value.has(sympy.zoo, sympy.nan, sympy.oo, sympy.S.NegativeInfinity):
        return None
    if not value.is_Number:
        real, imag = value.as_real_imag()
        if not (real.is_Number and imag.is_Number) or abs(imag) > _TINY * max(1, abs(real)):
            return None
        value = real
    return sympy.Float(value, DIGITS)


def agree(a: sympy.Float, b: sympy.Float, rel: float = 1e-30) -> bool:
    """Equal to within rounding at DIGITS digits."""
    scale = max(sympy.Float(1, DIGITS), abs(a), abs(b))
    return abs(a - b) <= sympy.Float(rel, DIGITS) * scale
