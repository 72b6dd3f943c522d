"""``calctutor limit EXPR --at A``: the limit of EXPR as the variable tends to A.

Three views of one limit:

- a **table** of values of f from both sides, f(a − h) and f(a + h) for h = 10⁻¹ … 10⁻⁸
  (at A = ±oo the variable runs through ±10, ±100, …), evaluated to 30 significant
  digits so that the table shows f and not float64 cancellation;
- the **one-sided limits** (SymPy ``limit`` with dir '−' and '+', time-boxed), each finite,
  infinite, oscillating, or "f is not real on that side";
- the **exact limit** with the argument that shows it: direct substitution where f is
  continuous, cancelling a common factor, L'Hôpital's rule (0/0 or ∞/∞, each round's
  u′/v′ shown), a series expansion, or one-sided limits that differ (no limit).

``limit EXPR --at A --quotient`` is the derivative as a limit of difference quotients
(:mod:`calctutor.commands.limit_quotient`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sympy

from calctutor.commands.sympy_forms import elementary
from calctutor.errors import CalcError, ComputationTimeout
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.parsing import parse, to_input
from calctutor.points import constant as parse_number, single_variable, to_float
from calctutor.textsplit import split as _split
from calctutor.timeouts import time_limit


def split_top_level(text: str) -> list[str]:
    return _split(text, ",")

DEFAULT_STEPS = tuple(sympy.Rational(1, 10**k) for k in range(1, 9))
MAX_STEPS = 40
MAX_LHOPITAL = 3
DIGITS = 30

# how a one-sided limit came out
FINITE, INFINITE, OSCILLATES, NOT_REAL, NO_SIDE, UNKNOWN = (
    "finite", "infinite", "oscillates", "not real", "no side", "unknown")

# the argument that shows the limit
SUBSTITUTION = "direct substitution"
CANCEL = "cancel a common factor"
LHOPITAL = "L'Hôpital's rule"
SERIES = "series expansion"
DOMINANT = "leading terms"
ONE_SIDED = "one-sided limits"
ALGORITHM = "SymPy's limit algorithm"
UNDETERMINED = "not determined"


@dataclass(frozen=True)
class Side:
    """A one-sided limit: its value (oo/-oo allowed) or why there is none."""

    status: str  # FINITE, INFINITE, OSCILLATES, NOT_REAL, NO_SIDE, UNKNOWN
    value: sympy.Expr | None = None
    bounds: tuple[sympy.Expr, sympy.Expr] | None = None  # where it oscillates

    @property
    def exists(self) -> bool:
        return self.status in (FINITE, INFINITE)


@dataclass(frozen=True)
class ValueRow:
    h: sympy.Expr
    x_left: sympy.Expr | None  # the point a − h (or −1/h … at ±oo), None: no such side
    x_right: sympy.Expr | None
    left: float | None  # f there, None where f is undefined or not real
    right: float | None
    left_value: sympy.Expr | None = None  # the same to 30 digits (no float64 underflow)
    right_value: sympy.Expr | None = None


@dataclass(frozen=True)
class LimitStep:
    """One line of the argument; every expression in it is also kept as an Expr."""

    rule: str
    text: str
    exprs: tuple[tuple[str, sympy.Expr], ...] = ()


@dataclass(frozen=True)
class LimitResult:
    input: str
    function: sympy.Expr
    variable: str
    point: sympy.Expr  # a number, oo or -oo
    rows: tuple[ValueRow, ...]
    left: Side
    right: Side
    exact: sympy.Expr | None  # the limit (oo/-oo allowed); None when there is none
    method: str
    steps: tuple[LimitStep, ...]
    value_at_point: sympy.Expr | None  # f(a) when it is defined and real
    removable: bool = False  # the limit exists but f(a) is undefined or different
    notes: tuple[str, ...] = field(default=())
    figure: object | None = None

    @property
    def infinite_point(self) -> bool:
        return self.point in (sympy.oo, -sympy.oo)

    @property
    def determined(self) -> bool:
        """False when SymPy could not decide a side (then "no limit" is not claimed)."""
        return self.method != UNDETERMINED


def run_limit(text: str, at: str, steps: str | None = None, plot: bool = False,
              quotient: bool = False, timeout: float = DEFAULT_TIMEOUT_SECONDS):
    """The limit of ``text`` at ``at``; with ``quotient`` the difference-quotient table."""
    if quotient:
        from calctutor.commands.limit_quotient import run_quotient

        return run_quotient(text, at=at, steps=steps, plot=plot, timeout=timeout)
    function = parse(text)
    x = single_variable(function, "limit")
    if at is None:
        raise CalcError("give the point with --at, for example --at 1 or --at oo")
    at_text = at.split("=", 1)[1] if "=" in at else at
    a = parse_number(at_text, "the point")
    if a not in (sympy.oo, -sympy.oo) and to_float(a) is None:
        raise CalcError(f"the point {at!r} must be a real number, oo or -oo")
    hs = _steps(steps)
    notes: list[str] = []
    infinite = a in (sympy.oo, -sympy.oo)
    try:
        with time_limit(timeout, "the table of values"):
            rows = tuple(_value_row(function, x, a, h) for h in hs)
    except ComputationTimeout:
        raise CalcError(f"evaluating f near {to_input(a)} took longer than {timeout:g} s",
                        hint="try a simpler expression") from None
    fa = None if infinite else _value_at(function, x, a)
    left, right = _sides(function, x, a, rows, timeout, notes)
    exact = _two_sided(left, right, infinite)
    method, value_steps, removable = _argument(function, x, a, fa, left, right, exact,
                                               timeout, notes)
    figure = _figure(function, x, a) if plot else None
    return LimitResult(text, function, x.name, a, rows, left, right, exact, method,
                       tuple(value_steps), fa, removable, tuple(notes), figure)


def _steps(text: str | None) -> list[sympy.Expr]:
    if text is None:
        return list(DEFAULT_STEPS)
    parts = split_top_level(text)
    hs = [parse_number(p, "a step h") for p in parts]
    if not hs:
        raise CalcError("--h is empty; give steps such as --h 0.1,0.001")
    if len(hs) > MAX_STEPS:
        raise CalcError(f"at most {MAX_STEPS} steps (got {len(hs)})")
    for h, source in zip(hs, parts):
        value = to_float(h)
        if value is None or value <= 0:
            raise CalcError(f"a step h must be a positive number, not {source.strip()!r}")
    return [sympy.nsimplify(h) if h.is_Float else h for h in hs]


# ── the table ──────────────────────────────────────────────────────────────────────
def _real(value: sympy.Expr) -> sympy.Expr | None:
    """A defined, finite, real value (exact where SymPy has it), else None."""
    if value is None or value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo):
        return None
    return value if to_float(value) is not None else None


def _value_at(f, x, a) -> sympy.Expr | None:
    """f(a) from the one evaluator (domain and kinks from the table), None if undefined."""
    from calctutor.pointvalue import at_point

    value = at_point(f, {x.name: a})
    return _real(value.value) if value.value is not None else None


def _evaluate(f, x, point) -> float | None:
    value = _evaluate_digits(f, x, point)
    return None if value is None else to_float(value)


def _evaluate_digits(f, x, point) -> sympy.Expr | None:
    """f at ``point`` to 30 digits (a 40-digit Float goes in: (1 + 1/x)^x at x = 10^8 must
    not be expanded as an exact rational power), None where f is undefined or not real."""
    try:
        value = f.subs(x, sympy.N(point, DIGITS + 10))
        if value.has(sympy.nan, sympy.zoo):
            return None
        value = sympy.N(value, DIGITS)
        if not value.is_number:
            return None
        re, im = value.as_real_imag()
        if im != 0 and abs(im) > 1e-25 * max(1, abs(re)):
            return None
        return re if re.is_finite else None
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None


def _value_row(f, x, a, h) -> ValueRow:
    if a is sympy.oo:
        xl, xr = 1 / h, None
    elif a is -sympy.oo:
        xl, xr = None, -1 / h
    else:
        xl, xr = a - h, a + h
    left = _evaluate_digits(f, x, xl) if xl is not None else None
    right = _evaluate_digits(f, x, xr) if xr is not None else None
    return ValueRow(h, xl, xr, to_float(left) if left is not None else None,
                    to_float(right) if right is not None else None, left, right)


# ── the one-sided limits ───────────────────────────────────────────────────────────
#: what SymPy raises when it cannot do a limit or a series (no verdict, not a user error)
_SYMPY_TROUBLE = (ComputationTimeout, NotImplementedError, ValueError, TypeError,
                  AttributeError, ArithmeticError, sympy.PoleError, RecursionError)


def _sympy_limit(f, x, a, direction):
    try:
        return sympy.limit(f, x, a, direction)
    except (NotImplementedError, ValueError, TypeError, AttributeError, sympy.PoleError):
        g = elementary(f)
        if g == f:
            raise
        return sympy.limit(g, x, a, direction)


def _classify(value) -> Side:
    if isinstance(value, sympy.AccumBounds):
        return Side(OSCILLATES, None, (value.min, value.max))
    if value in (sympy.oo, -sympy.oo):
        return Side(INFINITE, value)
    if value is None or value.has(sympy.nan, sympy.zoo, sympy.Limit):
        return Side(UNKNOWN)
    if to_float(value) is None:
        return Side(NOT_REAL)
    return Side(FINITE, value)


def _sides(f, x, a, rows, timeout, notes) -> tuple[Side, Side]:
    wanted = []
    if a is sympy.oo:
        wanted = [("-", "left")]
    elif a is -sympy.oo:
        wanted = [("+", "right")]
    else:
        wanted = [("-", "left"), ("+", "right")]
    found = {"left": Side(NO_SIDE), "right": Side(NO_SIDE)}
    for direction, name in wanted:
        values = [getattr(r, name) for r in rows]
        if all(v is None for v in values) and not _defined_nearby(f, x, a, direction):
            found[name] = Side(NOT_REAL)
            continue
        try:
            with time_limit(timeout, f"the limit from the {name}"):
                found[name] = _classify(_sympy_limit(f, x, a, direction))
        except ComputationTimeout:
            found[name] = Side(UNKNOWN)
            notes.append(f"the exact limit from the {name} took longer than {timeout:g} s; "
                         "the table shows the values")
        except _SYMPY_TROUBLE:
            found[name] = Side(UNKNOWN)
            notes.append(f"SymPy could not find the limit from the {name}; the table shows "
                         "the values")
    return found["left"], found["right"]


def _defined_nearby(f, x, a, direction) -> bool:
    """Is f real at some point very close to a on that side (closer than the table)?"""
    if a in (sympy.oo, -sympy.oo):
        return False
    sign = 1 if direction == "+" else -1
    return any(_evaluate(f, x, a + sign * sympy.Rational(1, 10**k)) is not None
               for k in (10, 14))


def _two_sided(left: Side, right: Side, infinite: bool) -> sympy.Expr | None:
    if infinite:
        side = left if left.status != NO_SIDE else right
        return side.value if side.exists else None
    if left.exists and right.exists:
        if left.value == right.value:
            return left.value
        if left.status == right.status == FINITE and sympy.simplify(left.value - right.value) == 0:
            return left.value
        return None
    # at the edge of f's domain the limit is the one from the side where f lives
    if left.status == NOT_REAL and right.exists:
        return right.value
    if right.status == NOT_REAL and left.exists:
        return left.value
    return None


# ── the argument ───────────────────────────────────────────────────────────────────
def _argument(f, x, a, fa, left, right, exact, timeout, notes):
    """(method, steps, removable) — the reasoning that shows the limit (or its absence)."""
    infinite = a in (sympy.oo, -sympy.oo)
    at = f"{x.name} = {to_input(a)}"
    steps: list[LimitStep] = []
    if not infinite and (left.status == NOT_REAL) != (right.status == NOT_REAL):
        side, other = ("left", right) if left.status == NOT_REAL else ("right", left)
        if other.exists:
            notes.append(f"f is not real just to the {side} of {at}, so only the "
                         f"one-sided limit from the other side counts there (the edge of "
                         f"f's domain)")
    if exact is None and UNKNOWN in (left.status, right.status):
        known = [f"from the {n} it is {to_input(sd.value)}" for n, sd in
                 (("left", left), ("right", right)) if sd.exists]
        text = ("the exact limit could not be determined (SymPy gave no answer"
                + (f"; {known[0]}" if known else "") + "); the table shows the values")
        return UNDETERMINED, [LimitStep(UNDETERMINED, text)], False
    if exact is None and not infinite:
        steps = _no_limit_steps(left, right, at)
        if INFINITE in (left.status, right.status):
            steps = _blow_up(f, x, a, _directions(a, left, right)) + steps
        return ONE_SIDED, steps, False
    if exact is None:
        side = left if left.status != NO_SIDE else right
        if side.status == OSCILLATES:
            steps.append(LimitStep(ONE_SIDED, f"f keeps oscillating between "
                                   f"{to_input(side.bounds[0])} and {to_input(side.bounds[1])}"
                                   f" as {x.name} -> {to_input(a)}: no limit",
                                   (("low", side.bounds[0]), ("high", side.bounds[1]))))
        return ONE_SIDED, steps, False
    if fa is not None and exact.is_finite and _equal(fa, exact):
        side = ("" if left.status != NOT_REAL and right.status != NOT_REAL else
                " from the right" if left.status == NOT_REAL else " from the left")
        steps.append(LimitStep(SUBSTITUTION, f"f is continuous{side} at {at}: the limit is "
                               f"f({to_input(a)}) = {to_input(fa)}", (("value", fa),)))
        return SUBSTITUTION, steps, False
    removable = bool(exact.is_finite) and not infinite
    if removable:
        if fa is None:
            steps.append(LimitStep("removable singularity", f"f({to_input(a)}) is undefined, "
                                   f"but the limit exists: a removable singularity at {at}"))
        else:
            steps.append(LimitStep("removable discontinuity", f"f({to_input(a)}) = "
                                   f"{to_input(fa)}, but the limit is {to_input(exact)}: a "
                                   f"removable discontinuity at {at}",
                                   (("value", fa), ("limit", exact))))
    dirs = _directions(a, left, right)
    for attempt in (_cancel, _dominant, _lhopital, _series):
        try:
            with time_limit(min(timeout, 2.5), "showing the argument"):
                shown = attempt(f, x, a, exact, dirs)
        except _SYMPY_TROUBLE:
            continue
        if shown is not None:
            method, more = shown
            return method, steps + more, removable
    if exact.is_infinite and not infinite:
        where = ("on both sides of" if len(dirs) == 2 else
                 "to the right of" if dirs == ("+",) else "to the left of")
        steps += _blow_up(f, x, a, dirs)
        steps.append(LimitStep(ONE_SIDED, f"f is unbounded {where} {at}: "
                               f"the limit is {to_input(exact)} (a vertical asymptote)",
                               (("limit", exact),)))
        return ONE_SIDED, steps, False
    steps.append(LimitStep(ALGORITHM, f"the limit is {to_input(exact)} (found by SymPy's "
                           "limit algorithm; no short hand argument is shown)",
                           (("limit", exact),)))
    return ALGORITHM, steps, removable


def _blow_up(f, x, a, dirs) -> list[LimitStep]:
    """1/x^2 at 0: the numerator tends to 1, the denominator to 0 with a sign on each side."""
    try:
        with time_limit(2.0, "explaining the infinite limit"):
            n, d = sympy.fraction(sympy.together(f))
            if not d.has(x) or sympy.simplify(d.subs(x, a)) != 0:
                return []
            top = _real(n.subs(x, a))
            if top is None or top == 0:
                return []
            signs = []
            for direction in dirs:
                name = "left" if direction == "-" else "right"
                probe = to_float(d.subs(x, a + (1 if direction == "+" else -1)
                                        * sympy.Rational(1, 10**9)))
                if probe is None or probe == 0:
                    return []
                signs.append(f"{'positive' if probe > 0 else 'negative'} on the {name}")
    except _SYMPY_TROUBLE:
        return []
    head = (f"the numerator is {to_input(n)}" if not n.has(x) else
            f"the numerator {to_input(n)} tends to {to_input(top)}")
    return [LimitStep(ONE_SIDED, f"{head} while "
                      f"the denominator {to_input(d)} tends to 0 ({', '.join(signs)}), so "
                      "|f| grows without bound", (("numerator", n), ("denominator", d)))]


def _side_text(side: Side, name: str, at: str) -> str:
    if side.status == NOT_REAL:
        return f"from the {name}: f is not real there"
    if side.status == OSCILLATES:
        return (f"from the {name}: f oscillates between {to_input(side.bounds[0])} and "
                f"{to_input(side.bounds[1])}, no limit")
    if side.status == UNKNOWN:
        return f"from the {name}: not determined"
    return f"from the {name}: {to_input(side.value)}"


def _no_limit_steps(left: Side, right: Side, at: str) -> list[LimitStep]:
    exprs = tuple((n, s.value) for n, s in (("left", left), ("right", right)) if s.exists)
    text = (f"{_side_text(left, 'left', at)}; {_side_text(right, 'right', at)}")
    if left.exists and right.exists:
        text += f": the one-sided limits differ, so the limit at {at} does not exist"
    else:
        text += f": the limit at {at} does not exist"
    return [LimitStep(ONE_SIDED, text, exprs)]


def _equal(u, v) -> bool:
    if u == v:
        return True
    try:
        return sympy.simplify(u - v) == 0
    except (TypeError, ValueError):
        return False


def _directions(a, left: Side, right: Side) -> tuple[str, ...]:
    """The sides from which a is approached: where f is real (one side at ±oo)."""
    if a is sympy.oo:
        return ("-",)
    if a is -sympy.oo:
        return ("+",)
    dirs = tuple(d for d, side in (("-", left), ("+", right)) if side.status != NOT_REAL)
    return dirs or ("-", "+")


def _lim(expr, x, a, dirs):
    """The limit from the sides in ``dirs``, or None when they disagree."""
    values = {_sympy_limit(expr, x, a, d) for d in dirs}
    return values.pop() if len(values) == 1 else None


def _cancel(f, x, a, exact, dirs):
    """(x^2 − 1)/(x − 1) = x + 1 for x ≠ 1: cancel, then substitute."""
    if a in (sympy.oo, -sympy.oo) or not f.is_rational_function(x):
        return None
    n, d = sympy.fraction(sympy.together(f))
    if not d.has(x) or sympy.simplify(d.subs(x, a)) != 0:
        return None
    g = sympy.cancel(f)
    gn, gd = sympy.fraction(g)
    value = _real(g.subs(x, a)) if gd.subs(x, a) != 0 else None
    if value is None or not _equal(value, exact):
        return None
    common = sympy.cancel(n / gn) if gn != 0 else None
    at = f"{x.name} = {to_input(a)}"
    text = (f"numerator and denominator are both 0 at {at}; cancel the common factor: "
            f"{to_input(f)} = {to_input(g)} for {x.name} != {to_input(a)}")
    exprs = [("function", f), ("cancelled", g)]
    if common is not None and common.free_symbols and common.is_polynomial(x):
        text += f" (the factor {to_input(sympy.factor(common))})"
        exprs.append(("factor", common))
    return CANCEL, [LimitStep(CANCEL, text, tuple(exprs)),
                    LimitStep(SUBSTITUTION, f"{to_input(g)} is continuous at {at}: substitute "
                              f"to get {to_input(value)}", (("limit", value),))]


def _form(n_lim, d_lim) -> str | None:
    if n_lim is None or d_lim is None:
        return None
    if n_lim == 0 and d_lim == 0:
        return "0/0"
    if n_lim.is_infinite and d_lim.is_infinite:
        return "oo/oo"
    return None


def _quotient_parts(f, x, a, dirs):
    """u/v with the indeterminate form; products 0·∞ are turned into a quotient."""
    n, d = sympy.fraction(sympy.together(f))
    if d != 1:
        return n, d
    if isinstance(f, sympy.Mul):
        zeros, rest = [], []
        for factor in f.args:
            value = _lim(factor, x, a, dirs) if factor.has(x) else factor
            (zeros if value == 0 else rest).append(factor)
        if zeros and rest:
            rest_lim = _lim(sympy.Mul(*rest), x, a, dirs)
            if rest_lim is not None and rest_lim.is_infinite:
                return sympy.Mul(*rest), 1 / sympy.Mul(*zeros)  # ∞/∞
    return None


def _lhopital(f, x, a, exact, dirs):
    """0/0 or ∞/∞: replace u/v by u′/v′ (up to three rounds) until it can be evaluated."""
    parts = _quotient_parts(f, x, a, dirs)
    if parts is None:
        return None
    u, v = parts
    steps = []
    for _ in range(MAX_LHOPITAL):
        form = _form(_lim(u, x, a, dirs), _lim(v, x, a, dirs))
        if form is None:
            return None
        du, dv = _tidy(sympy.diff(u, x)), _tidy(sympy.diff(v, x))
        steps.append(LimitStep(LHOPITAL, f"{form} form: u = {to_input(u)} and "
                               f"v = {to_input(v)} both tend to "
                               f"{'0' if form == '0/0' else 'infinity'}; "
                               f"u' = {to_input(du)}, v' = {to_input(dv)}, and the limit of "
                               "u/v is the limit of u'/v'",
                               (("u", u), ("v", v), ("du", du), ("dv", dv))))
        ratio = _tidy(du / dv)
        if a not in (sympy.oo, -sympy.oo):
            value = _real(ratio.subs(x, a)) if _real(dv.subs(x, a)) not in (None, 0) else None
            if value is not None:
                if not _equal(value, exact):
                    return None
                steps.append(LimitStep(SUBSTITUTION, f"u'/v' = {to_input(ratio)} is continuous "
                                       f"at {x.name} = {to_input(a)}: its value there is "
                                       f"{to_input(value)}", (("ratio", ratio), ("limit", value))))
                return LHOPITAL, steps
        u, v = sympy.fraction(sympy.together(ratio))
        if _form(_lim(u, x, a, dirs), _lim(v, x, a, dirs)) is None:
            limit = _lim(ratio, x, a, dirs)
            if limit is None or not _equal(limit, exact):
                return None
            steps.append(LimitStep(LHOPITAL, f"u'/v' = {to_input(ratio)}, which is no longer "
                                   f"an indeterminate form, tends to {to_input(limit)}",
                                   (("ratio", ratio), ("limit", limit))))
            return LHOPITAL, steps
    return None


def _tidy(expr):
    return sympy.simplify(expr) if sympy.count_ops(expr) < 60 else expr


def _dominant(f, x, a, exact, dirs):
    """At ±oo a rational function behaves like the ratio of its leading terms."""
    if a not in (sympy.oo, -sympy.oo) or not f.is_rational_function(x):
        return None
    n, d = sympy.fraction(sympy.cancel(f))
    if not (n.is_polynomial(x) and d.is_polynomial(x)):
        return None
    ln, ld = sympy.Poly(n, x).LT(), sympy.Poly(d, x).LT()
    lead_n = ln[1] * x ** ln[0][0]
    lead_d = ld[1] * x ** ld[0][0]
    ratio = sympy.cancel(lead_n / lead_d)
    value = _lim(ratio, x, a, dirs)
    if value is None or not _equal(value, exact):
        return None
    like = (f"its leading term {to_input(lead_n)}" if lead_d == 1 else
            f"the ratio of the leading terms {to_input(lead_n)} and {to_input(lead_d)}, "
            f"{to_input(ratio)}")
    return DOMINANT, [LimitStep(DOMINANT, f"as {x.name} -> {to_input(a)} the leading terms "
                                f"win: f behaves like {like}, which tends to {to_input(value)}",
                                (("numerator", lead_n), ("denominator", lead_d),
                                 ("ratio", ratio), ("limit", value)))]


def _series(f, x, a, exact, dirs):
    """Near a, f = c + (higher powers of x − a): the limit is c."""
    if a in (sympy.oo, -sympy.oo) or not exact.is_finite:
        return None
    s = sympy.series(elementary(f), x, a, 3)
    if s.has(sympy.Subs, sympy.Derivative):
        return None
    poly = s.removeO()
    if poly.has(sympy.log) or poly.free_symbols - {x}:
        return None
    value = _real(poly.subs(x, a)) if poly.free_symbols else _real(poly)
    if value is None or not _equal(value, exact):
        return None
    if isinstance(s, sympy.Order) or not s.has(sympy.Order):
        return None
    return SERIES, [LimitStep(SERIES, f"near {x.name} = {to_input(a)}: f = {to_input(poly)} + "
                              f"(terms of higher order in {to_input(x - a)}), so f tends to "
                              f"{to_input(value)}", (("series", poly), ("limit", value)))]


# ── a picture ──────────────────────────────────────────────────────────────────────
def _figure(f, x, a):
    from calctutor.plotting.evaluate import evaluate
    from calctutor.plotting.figure import Figure, Series

    if a in (sympy.oo, -sympy.oo):
        sign = 1.0 if a is sympy.oo else -1.0
        xs = sign * np.logspace(0, 6, 400)
        with np.errstate(all="ignore"):
            ys = evaluate(f, x, xs)
        return Figure(f"{to_input(f)} as {x.name} -> {to_input(a)}",
                      [Series(f"{to_input(f)}", xs, ys)], xlabel=x.name, xlog=sign > 0,
                      notes=["the variable runs over 1 ... 1e6 (log axis)"])
    a_f = to_float(a)
    xs = np.linspace(a_f - 1.0, a_f + 1.0, 401)
    xs = xs[np.abs(xs - a_f) > 1e-9]  # a itself is left out: the limit does not use f(a)
    with np.errstate(all="ignore"):
        ys = evaluate(f, x, xs)
        ys[~np.isfinite(ys)] = np.nan
    finite = ys[np.isfinite(ys)]
    ylim = None
    if finite.size:
        lo, hi = np.percentile(finite, [5, 95])
        if hi > lo:
            pad = (hi - lo) * 0.5
            ylim = (float(lo - pad), float(hi + pad))
    return Figure(f"{to_input(f)} near {x.name} = {to_input(a)}",
                  [Series(to_input(f), xs, ys)], xlabel=x.name, ylim=ylim,
                  notes=[f"the point {x.name} = {to_input(a)} itself is left out"])
