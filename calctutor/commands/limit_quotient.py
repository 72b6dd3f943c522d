"""``calctutor limit --quotient``: the derivative as the limit of difference quotients.

For h = 10⁻¹ … 10⁻¹² the table shows the forward quotient (f(a+h) − f(a))/h and the
central quotient (f(a+h) − f(a−h))/(2h) twice:

- in **exact arithmetic** (SymPy numbers; for a polynomial at a rational h the quotient is
  an exact rational, so 3x² − 4x at 1 gives 2.3, 2.03, 2.003, … exactly), which tends to
  f'(a) as h → 0 — only truncation error, O(h) forward and O(h²) central;
- in **float64**, as a learner's NumPy code computes it: f(a+h) and f(a) agree in more and
  more leading digits, their difference cancels them, and below some h the rounding
  error (≈ ε|f|/h) outgrows the truncation error. The table marks where that happens.

At a kink (``|x|`` at 0) there is no derivative: the quotients from the right and from
the left tend to different slopes, and both are shown.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy

from calctutor.errors import CalcError, ComputationTimeout
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.parsing import parse, to_input
from calctutor.points import constant as parse_number, single_variable, to_float
from calctutor.textsplit import split as _split
from calctutor.plotting.evaluate import evaluate
from calctutor.plotting.figure import Figure, Series
from calctutor.pointvalue import at_point
from calctutor.timeouts import time_limit


def split_top_level(text: str) -> list[str]:
    return _split(text, ",")

DEFAULT_STEPS = tuple(sympy.Rational(1, 10**k) for k in range(1, 13))
EPS = float(np.finfo(float).eps)
MAX_STEPS = 40


@dataclass(frozen=True)
class QuotientRow:
    h: sympy.Expr  # exact step
    forward_exact: sympy.Expr  # the quotient in exact arithmetic (or 40 digits)
    central_exact: sympy.Expr
    forward_float64: float | None
    central_float64: float | None
    forward: float | None  # float(forward_exact)
    central: float | None
    rounding_wins_forward: bool = False  # float64 rounding error > truncation error
    rounding_wins_central: bool = False
    backward_exact: sympy.Expr | None = None  # (f(a) − f(a−h))/h, the slope from the left
    backward: float | None = None

    def error(self, kind: str, exact: float | None) -> float | None:
        value = self.forward_float64 if kind == "forward" else self.central_float64
        if value is None or exact is None:
            return None
        return value - exact


@dataclass(frozen=True)
class QuotientResult:
    input: str
    function: sympy.Expr
    variable: str
    point: sympy.Expr
    derivative: sympy.Expr | None  # f'(x)
    exact: sympy.Expr | None  # f'(a), None if it does not exist
    rows: tuple[QuotientRow, ...]
    quotient: sympy.Expr | None = None  # (f(a+h) − f(a))/h simplified, when it is tidy
    h_symbol: sympy.Symbol | None = None
    figure: Figure | None = None
    notes: tuple[str, ...] = field(default=())
    #: (slope from the left, slope from the right) when they differ: no derivative at a
    one_sided: tuple[sympy.Expr, sympy.Expr] | None = None
    #: the one-sided quotients simplified (h > 0), when f has a kink at a
    left_quotient: sympy.Expr | None = None

    @property
    def exact_float(self) -> float | None:
        return to_float(self.exact) if self.exact is not None else None

    def takeover(self, kind: str = "forward") -> sympy.Expr | None:
        """The largest h at which float64 rounding error outgrows truncation error."""
        for row in self.rows:
            if (row.rounding_wins_forward if kind == "forward" else row.rounding_wins_central):
                return row.h
        return None


def run_quotient(text: str, at: str, steps: str | None = None, plot: bool = False,
                 timeout: float = DEFAULT_TIMEOUT_SECONDS) -> QuotientResult:
    function = parse(text)
    x = single_variable(function, "limit",
                        hint="for partial derivatives use: calctutor grad EXPR --at x=1,y=2")
    if at is None:
        raise CalcError("give the point with --at, for example --at 1")
    at_text = at.split("=", 1)[1] if "=" in at else at
    a = parse_number(at_text, "the point")
    a_f = to_float(a)
    if a_f is None:
        raise CalcError(f"the point {at!r} must be a finite real number",
                        hint="the derivative is taken at a finite point")
    hs = _steps(steps)
    notes: list[str] = []
    one_sided = None
    left_q = None
    with time_limit(timeout, "the difference quotients"):
        value = at_point(function, {x.name: a})
        if not value.defined:
            raise CalcError(f"f({to_input(a)}) is not defined ({value.reason}), so no "
                            "difference quotient starts there", hint="try another point with "
                            f"--at, or calctutor limit \"{text}\" --at {at_text} for the "
                            "limit of f")
        derivative = sympy.diff(function, x)
        slope = at_point(function, {x.name: a}, wrt=x.name, order=1, derivative=derivative)
        exact = slope.value
        if (exact is None and slope.one_sided is not None and slope.kinks
                and slope.continuous is not False):
            # a corner or a jump (the table's kinks): both one-sided slopes, no derivative
            one_sided = (slope.one_sided.left, slope.one_sided.right)
            notes.append(slope.reason)
            if None not in one_sided:
                notes.append("the central quotient averages the two one-sided slopes, so "
                             "it can settle although there is no derivative")
        elif exact is None:
            notes.append(slope.reason or f"f'({to_input(a)}) does not exist")
            slopes = _one_sided(function, x, a)
            if slopes is not None and not _same(*slopes):
                one_sided = slopes
                notes.append(f"the slope from the left is {_slope_text(slopes[0])}, from "
                             f"the right {_slope_text(slopes[1])}")
            elif slopes is not None and slopes[0] is not None and slopes[0].is_infinite:
                notes.append(f"the quotients grow without bound (slope "
                             f"{to_input(slopes[0])} from both sides)")
        if exact is not None:
            exact = sympy.nsimplify(exact) if exact.is_Float else exact
        rows = [_row(function, x, a, a_f, h, exact) for h in hs]
        quotient, h_sym = _symbolic_quotient(function, x, a, one_sided is not None)
        if one_sided is not None and quotient is not None:
            left_q, _ = _symbolic_quotient(function, x, a, True, side=-1)
    figure = _figure(function, x, a, a_f, exact) if plot else None
    return QuotientResult(text, function, x.name, a, derivative, exact, tuple(rows), quotient,
                          h_sym, figure, tuple(notes), one_sided, left_q)


def _same(left, right) -> bool:
    if left is None or right is None:
        return False
    if left.is_infinite or right.is_infinite:
        return left == right
    lf, rf = to_float(left), to_float(right)
    if lf is None or rf is None:
        return False
    return sympy.simplify(left - right) == 0


def _slope_text(value) -> str:
    if value is None:
        return "undefined (f is not real on that side)"
    if value.is_infinite:
        return "infinite (" + to_input(value) + ")"
    return to_input(value)


def _steps(text: str | None) -> list[sympy.Expr]:
    if text is None:
        return list(DEFAULT_STEPS)
    hs = [parse_number(p, "a step h") for p in split_top_level(text)]
    if not hs:
        raise CalcError("--h is empty; give steps such as --h 0.1,0.001")
    if len(hs) > MAX_STEPS:
        raise CalcError(f"at most {MAX_STEPS} steps (got {len(hs)})")
    for h, source in zip(hs, split_top_level(text)):
        value = to_float(h)
        if value is None or value <= 0:
            raise CalcError(f"a step h must be a positive number, not {source.strip()!r}")
    return [sympy.nsimplify(h) if h.is_Float else h for h in hs]


def _exact_quotient(expr: sympy.Expr) -> sympy.Expr:
    """The quotient exactly when it is rational, else to 40 significant digits."""
    if expr.is_Rational:
        return expr
    simpler = sympy.nsimplify(expr) if expr.is_Float else expr
    if simpler.is_Rational:
        return simpler
    return sympy.N(expr, 40)


def _row(f, x, a, a_f, h, exact) -> QuotientRow:
    fa = f.subs(x, a)
    forward = _exact_quotient((f.subs(x, a + h) - fa) / h)
    central = _exact_quotient((f.subs(x, a + h) - f.subs(x, a - h)) / (2 * h))
    backward = _exact_quotient((fa - f.subs(x, a - h)) / h)
    h_f = float(h)
    with np.errstate(all="ignore"):
        # exactly what float64 code does: round a+h, evaluate, subtract, divide
        points = np.array([a_f + h_f, a_f, a_f - h_f], dtype=float)
        plus, mid, minus = evaluate(f, x, points)
        fwd64 = float((plus - mid) / h_f)
        cen64 = float((plus - minus) / (2.0 * h_f))
    fwd64 = fwd64 if math.isfinite(fwd64) else None
    cen64 = cen64 if math.isfinite(cen64) else None
    fwd, cen = to_float(forward), to_float(central)
    exact_f = to_float(exact) if exact is not None else None
    return QuotientRow(h, forward, central, fwd64, cen64, fwd, cen,
                       _rounding_wins(fwd64, forward, exact_f),
                       _rounding_wins(cen64, central, exact_f),
                       backward, to_float(backward))


def _rounding_wins(value64, quotient, exact_f) -> bool:
    """Is |float64 − exact quotient| (rounding) larger than |exact quotient − f'(a)|?"""
    if value64 is None or exact_f is None:
        return False
    q = to_float(quotient)
    if q is None:
        return False
    rounding = abs(value64 - q)
    truncation = abs(q - exact_f)
    # below a few units in the last place of the quotient itself, float64 cannot do better
    # whatever the step: that is not rounding error taking over. The floor is relative to
    # the quotient (atan at 10^6 has f' ~ 1e-12, and 1e-15 of rounding there is huge).
    floor = 4 * EPS * abs(q) + 1e-300
    return rounding > truncation and rounding > floor


def _one_sided(f, x, a):
    """(left, right) slopes of f at a as limits of one-sided quotients, or None.

    A side on which f is not real gives None for that slope; no verdict (SymPy gave up or
    ran out of time) gives None for the pair."""
    h = sympy.Symbol("h", positive=True)
    fa = f.subs(x, a)
    try:
        with time_limit(3.0, "the one-sided slopes"):
            slopes = []
            for side in (-1, 1):
                q = (f.subs(x, a + side * h) - fa) / (side * h)
                probe = to_float(f.subs(x, a + side * sympy.Rational(1, 10**6)))
                if probe is None:
                    slopes.append(None)
                    continue
                value = sympy.limit(q, h, 0, "+")
                if value.has(sympy.AccumBounds) or not (value.is_real or value.is_infinite):
                    return None
                slopes.append(value)
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError):
        return None
    return slopes[0], slopes[1]


def _symbolic_quotient(f, x, a, one_sided: bool = False, side: int = 1):
    """(f(a+h) − f(a))/h simplified, when that is a tidy rational function of h.

    With ``one_sided`` h is positive (the quotient from the right, or with ``side=-1``
    (f(a−h) − f(a))/(−h) from the left); otherwise h is any nonzero real."""
    h = sympy.Symbol("h", positive=True) if one_sided else sympy.Symbol("h", real=True)
    q = (f.subs(x, a + side * h) - f.subs(x, a)) / (side * h)
    if not q.is_rational_function(h):
        return None, None
    q = sympy.cancel(q)
    if sympy.count_ops(q) > 25:
        return None, None
    return q, h


def _figure(f, x, a, a_f, exact) -> Figure:
    hs = 10.0 ** np.arange(-16.0, 0.0001, 0.25)
    exact_f = to_float(exact) if exact is not None else None
    with np.errstate(all="ignore"):
        plus = evaluate(f, x, a_f + hs)
        minus = evaluate(f, x, a_f - hs)
        mid = float(evaluate(f, x, np.array([a_f]))[0])
        fwd = (plus - mid) / hs
        cen = (plus - minus) / (2 * hs)
    notes = []
    if exact_f is None:
        return Figure("no error plot: f'(a) does not exist here", [], notes=notes)
    fwd_err = np.abs(fwd - exact_f)
    cen_err = np.abs(cen - exact_f)
    for arr in (fwd_err, cen_err):
        arr[arr == 0] = np.nan  # exact hits: no point on a log axis
    # the truncation error alone (exact arithmetic), for the right arm of the V
    trunc = []
    for h in hs:
        hq = sympy.Rational(Fraction(float(h)).limit_denominator(10**20))
        q = sympy.N((f.subs(x, a + hq) - f.subs(x, a)) / hq - exact, 30)
        trunc.append(abs(float(q)) if q.is_number and q != 0 else np.nan)
    trunc = np.array(trunc, dtype=float)
    notes.append("float64 errors form a V: truncation error (slope 1 forward, 2 central) on "
                 "the right, rounding error ~ eps/h on the left")
    series = [Series("forward, float64", hs, fwd_err), Series("central, float64", hs, cen_err),
              Series("forward, exact arithmetic (truncation only)", hs, trunc)]
    return Figure(f"error of the difference quotient of {to_input(f)} at {x.name} = "
                  f"{to_input(a)}", series, xlabel="h", xlog=True, ylog=True,
                  xlim=(1e-16, 1.0), notes=notes)
