"""``calctutor stable EXPR --at P``: the naive and the stable way to compute a function in
float64, against the exact value (mpmath, 30 digits)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import sympy

from calctutor.errors import CalcError
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.stability import FloatEvaluation, Rewrite, evaluate_float, naive_form, stable_form
from calctutor.timeouts import time_limit

__all__ = ["Form", "StableResult", "run_stable"]

EXACT_DIGITS = 30


@dataclass(frozen=True)
class Form:
    """One way of computing the function: the formula and what float64 made of it."""

    name: str  # "naive" or "stable"
    expr: sympy.Expr
    evaluation: FloatEvaluation
    relative_error: float | None  # against the exact value; None when that is unknown

    @property
    def value(self) -> float:
        return self.evaluation.value

    @property
    def trouble(self) -> bool:
        """float64 got it wrong: not a finite number, or more than 1e-8 off."""
        return not math.isfinite(self.value) or (
            self.relative_error is not None and self.relative_error > 1e-8)


@dataclass(frozen=True)
class StableResult:
    input: str
    expression: sympy.Expr
    point: dict
    exact: sympy.Float | None  # None when the function is undefined there
    exact_note: str | None
    naive: Form
    stable: Form
    rewrites: tuple[Rewrite, ...]


def _relative_error(value: float, exact: sympy.Float | None) -> float | None:
    """|value - exact| / |exact| in 30-digit arithmetic (absolute error when exact is 0),
    so an exact value beyond float64's range still gives the right error."""
    if exact is None:
        return None
    if not math.isfinite(value):
        return math.inf
    diff = abs(sympy.Float(value, EXACT_DIGITS) - exact)
    return float(diff if exact.is_zero else diff / abs(exact))


#: float64's range: smallest positive (subnormal) and largest finite numbers.
FLOAT_TINY, FLOAT_HUGE = 4.9e-324, 1.7976931348623157e308


#: working precisions tried, in digits: a value is believed once two agree
PRECISIONS = (EXACT_DIGITS, 2 * EXACT_DIGITS, 120, 240, 480, 960, 1920)


def _settled(value: sympy.Expr) -> sympy.Expr:
    """``value`` to EXACT_DIGITS digits that do not change at a higher working precision.

    One evaluation at 30 digits can be all rounding: ln(1 + e^-800) comes out 0, since
    1 + e^-800 rounds to 1 below 348 digits. So the precision is raised until two
    successive results agree; a 0 is believed only at the highest precision."""
    previous = None
    for digits in PRECISIONS:
        current = sympy.N(value, digits)
        if not current.is_Number:
            return current
        if current != 0 and previous is not None and previous != 0 and \
                abs(current - previous) <= abs(current) * sympy.Float(10) ** (-EXACT_DIGITS):
            return sympy.N(current, EXACT_DIGITS)
        previous = current
    return sympy.N(previous, EXACT_DIGITS)


def representable(exact: sympy.Float | None) -> bool:
    """Whether float64 can hold the exact value at all."""
    if exact is None or exact.is_zero:
        return True
    size = abs(exact)
    return FLOAT_TINY <= size <= FLOAT_HUGE


def run_stable(text: str, at: str | dict | None = None) -> StableResult:
    """Compare the naive and stable float64 evaluations of ``text`` at ``at``."""
    from calctutor.commands.diff import load, variables_of
    from calctutor.points import parse_point

    expr = load(text).expression
    names = variables_of(expr)
    if at is None:
        if names:
            raise CalcError("say where to evaluate: --at " + ",".join(f"{n}=1" for n in names))
        point = {}
    else:
        point = dict(at) if isinstance(at, dict) else parse_point(at, names)
    missing = [n for n in names if n not in point]
    if missing:
        raise CalcError(f"the point needs a value for {', '.join(missing)}")
    floats = {}
    for name, value in point.items():
        try:
            floats[name] = float(sympy.N(value, 20))
        except (TypeError, ValueError):
            raise CalcError(f"the value of {name} must be a real number") from None

    with time_limit(DEFAULT_TIMEOUT_SECONDS, "the stability check"):
        subs = {sympy.Symbol(k, real=True): v for k, v in point.items()}
        exact, note = None, None
        try:
            value = _settled(expr.xreplace(subs))
            if value.is_real and value.is_finite:
                exact = sympy.Float(value, EXACT_DIGITS)
            else:
                note = "the function has no real value at this point"
        except (TypeError, ValueError, ArithmeticError):
            note = "the exact value could not be computed here"
        naive_expr = naive_form(expr)
        stable_expr, rewrites = stable_form(expr)
        forms = []
        for name, e in (("naive", naive_expr), ("stable", stable_expr)):
            ev = evaluate_float(e, floats, point)
            forms.append(Form(name, e, ev, _relative_error(ev.value, exact)))
    return StableResult(text, expr, point, exact, note, forms[0], forms[1], rewrites)
