"""``calctutor limit``: the derivative as the limit of difference quotients, numerically.

For h = 10⁻¹ … 10⁻¹² the table shows the forward quotient (f(a+h) − f(a))/h and the
central quotient (f(a+h) − f(a−h))/(2h) twice:

- in **exact arithmetic** (SymPy numbers; for a polynomial at a rational h the quotient is
  an exact rational, so 3x² − 4x at 1 gives 2.3, 2.03, 2.003, … exactly), which tends to
  f'(a) as h → 0 — only truncation error, O(h) forward and O(h²) central;
- in **float64**, as a learner's NumPy code computes it: f(a+h) and f(a) agree in more and
  more leading digits, their difference cancels them, and below some h the rounding
  error (≈ ε|f|/h) outgrows the truncation error. The table marks where that happens.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import sympy

from calctutor.errors import CalcError
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.parsing import parse, to_input
from calctutor.points import constant as parse_number, single_variable, split, to_float
from calctutor.plotting.evaluate import evaluate
from calctutor.plotting.figure import Figure, Series
from calctutor.timeouts import time_limit

DEFAULT_STEPS = tuple(sympy.Rational(1, 10**k) for k in range(1, 13))
EPS = float(np.finfo(float).eps)
MAX_STEPS = 40


@dataclass(frozen=True)
class LimitRow:
    h: sympy.Expr  # exact step
    forward_exact: sympy.Expr  # the quotient in exact arithmetic (or 40 digits)
    central_exact: sympy.Expr
    forward_float64: float | None
    central_float64: float | None
    forward: float | None  # float(forward_exact)
    central: float | None
    rounding_wins_forward: bool = False  # float64 rounding error > truncation error
    rounding_wins_central: bool = False

    def error(self, kind: str, exact: float | None) -> float | None:
        value = self.forward_float64 if kind == "forward" else self.central_float64
        if value is None or exact is None:
            return None
        return value - exact


@dataclass(frozen=True)
class LimitResult:
    input: str
    function: sympy.Expr
    variable: str
    point: sympy.Expr
    derivative: sympy.Expr | None  # f'(x)
    exact: sympy.Expr | None  # f'(a), None if it does not exist
    rows: tuple[LimitRow, ...]
    quotient: sympy.Expr | None = None  # (f(a+h) − f(a))/h simplified, when it is tidy
    h_symbol: sympy.Symbol | None = None
    figure: Figure | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def exact_float(self) -> float | None:
        return to_float(self.exact) if self.exact is not None else None

    def takeover(self, kind: str = "forward") -> sympy.Expr | None:
        """The largest h at which float64 rounding error outgrows truncation error."""
        for row in self.rows:
            if (row.rounding_wins_forward if kind == "forward" else row.rounding_wins_central):
                return row.h
        return None


def run_limit(text: str, at: str, steps: str | None = None, plot: bool = False,
              timeout: float = DEFAULT_TIMEOUT_SECONDS) -> LimitResult:
    function = parse(text)
    x = single_variable(function, "limit",
                        hint="for partial derivatives use: calctutor grad EXPR --at x=1,y=2")
    if at is None:
        raise CalcError("give the point with --at, for example --at 1")
    at_text = at.split("=", 1)[1] if "=" in at else at
    a = parse_number(at_text, "the point")
    a_f = to_float(a)
    if a_f is None:
        raise CalcError(f"the point {at!r} must be a finite real number")
    hs = _steps(steps)
    notes: list[str] = []
    with time_limit(timeout, "the difference quotients"):
        derivative = sympy.diff(function, x)
        exact = derivative.subs(x, a)
        kink = _one_sided(function, x, a)
        if kink is not None:
            left, right = kink
            exact = None
            notes.append(f"f is not differentiable at {x.name} = {to_input(a)}: the slope from "
                         f"the left is {to_input(left)}, from the right {to_input(right)}")
        elif to_float(exact) is None:
            exact = None
            notes.append(f"f'({to_input(a)}) does not exist (or is not real): the quotients "
                         "need not settle")
        else:
            exact = sympy.nsimplify(exact) if exact.is_Float else exact
        fa = function.subs(x, a)
        if to_float(fa) is None:
            raise CalcError(f"f({to_input(a)}) is not defined, so no difference quotient "
                            "starts there", hint="try another point with --at")
        rows = [_row(function, x, a, a_f, h, exact) for h in hs]
        quotient, h_sym = _symbolic_quotient(function, x, a)
    figure = _figure(function, x, a, a_f, exact) if plot else None
    return LimitResult(text, function, x.name, a, derivative, exact, tuple(rows), quotient,
                       h_sym, figure, tuple(notes))


def _steps(text: str | None) -> list[sympy.Expr]:
    if text is None:
        return list(DEFAULT_STEPS)
    hs = [parse_number(p, "a step h") for p in split(text, ",")]
    if not hs:
        raise CalcError("--h is empty; give steps such as --h 0.1,0.001")
    if len(hs) > MAX_STEPS:
        raise CalcError(f"at most {MAX_STEPS} steps (got {len(hs)})")
    for h, source in zip(hs, split(text, ",")):
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


def _row(f, x, a, a_f, h, exact) -> LimitRow:
    fa = f.subs(x, a)
    forward = _exact_quotient((f.subs(x, a + h) - fa) / h)
    central = _exact_quotient((f.subs(x, a + h) - f.subs(x, a - h)) / (2 * h))
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
    return LimitRow(h, forward, central, fwd64, cen64, fwd, cen,
                    _rounding_wins(fwd64, forward, exact_f),
                    _rounding_wins(cen64, central, exact_f))


def _rounding_wins(value64, quotient, exact_f) -> bool:
    """Is |float64 − exact quotient| (rounding) larger than |exact quotient − f'(a)|?"""
    if value64 is None or exact_f is None:
        return False
    q = to_float(quotient)
    if q is None:
        return False
    rounding = abs(value64 - q)
    truncation = abs(q - exact_f)
    return rounding > truncation and rounding > 4 * EPS * max(1.0, abs(exact_f))


_KINKED = (sympy.Abs, sympy.sign, sympy.Heaviside, sympy.Max, sympy.Min, sympy.Piecewise)


def _one_sided(f, x, a):
    """(left, right) slopes when f has a corner at a (|x| at 0), else None."""
    from calctutor.mathfuncs import relu

    if not f.has(*_KINKED, relu):
        return None
    h = sympy.Symbol("h", positive=True)
    q = (f.subs(x, a + h) - f.subs(x, a)) / h
    try:
        with time_limit(2.0, "the one-sided limits"):
            right = sympy.limit(q, h, 0, "+")
            left = sympy.limit((f.subs(x, a - h) - f.subs(x, a)) / (-h), h, 0, "+")
    except Exception:  # noqa: BLE001 - no verdict: fall back to the symbolic derivative
        return None
    if left.is_number and right.is_number and sympy.simplify(left - right) != 0:
        return left, right
    return None


def _symbolic_quotient(f, x, a):
    """(f(a+h) − f(a))/h simplified, when that is a tidy rational function of h."""
    h = sympy.Symbol("h", positive=True)
    q = (f.subs(x, a + h) - f.subs(x, a)) / h
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
