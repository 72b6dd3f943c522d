"""``calctutor integrate``: a definite integral three ways.

1. **exact** — SymPy's antiderivative F and F(b) − F(a) (the fundamental theorem),
   time-boxed: some integrals have no closed form, and the command says so;
2. **quadrature** — composite Gauss–Legendre on NumPy values (16-point rule on panels,
   the panel count doubled until two estimates agree), with its error estimate;
3. **Monte Carlo** — (b − a) × the mean of f at N uniform random points, with the
   standard error (b − a)·s/√N: the integral as an expectation, with its own error bar.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import sympy

from calctutor.commands.sympy_forms import elementary, piecewise
from calctutor.errors import CalcError, ComputationTimeout
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.parsing import parse, to_input
from calctutor.points import constant as parse_number, single_variable, to_float
from calctutor.plotting.evaluate import evaluate
from calctutor.timeouts import time_limit

DEFAULT_SAMPLES = 100_000
MAX_SAMPLES = 10_000_000
DEFAULT_SEED = 0
GAUSS_POINTS = 16


@dataclass(frozen=True)
class Quadrature:
    value: float | None
    error_estimate: float | None  # the routine's own: the change between the last two refinements
    evaluations: int
    method: str
    true_error: float | None = None  # |value − exact| where the exact value is known
    settled: bool = True  # did two refinements agree to 1e-12?

    @property
    def estimate_honest(self) -> bool | None:
        """Is the routine's estimate at least the true error (None: no exact value)?"""
        if self.true_error is None or self.error_estimate is None:
            return None
        return self.error_estimate >= self.true_error


@dataclass(frozen=True)
class MonteCarlo:
    estimate: float | None
    stderr: float | None
    n: int
    seed: int
    mean: float | None  # the sample mean of f (the expectation under the uniform law)
    #: f² has no finite integral (f unbounded near a point): the variance is infinite and
    #: the standard error means nothing
    infinite_variance: bool = False
    variance_reason: str = ""


@dataclass(frozen=True)
class Piece:
    """f on one subinterval where it is a single smooth formula, with its antiderivative."""

    lower: sympy.Expr
    upper: sympy.Expr
    function: sympy.Expr
    antiderivative: sympy.Expr | None
    value: sympy.Expr | None


@dataclass(frozen=True)
class Improper:
    """Why the integral is improper, and whether it converges."""

    kind: str  # "interior singularity", "endpoint singularity", "infinite interval"
    points: tuple[sympy.Expr, ...]  # where f is unbounded (empty for an infinite interval)
    converges: bool | None
    text: str  # the plain-words verdict
    principal_value: sympy.Expr | None = None  # an aside for an interior singularity


@dataclass(frozen=True)
class IntegrateResult:
    input: str
    function: sympy.Expr
    variable: str
    lower: sympy.Expr
    upper: sympy.Expr
    antiderivative: sympy.Expr | None  # shown only where F' = f on the whole interval
    exact: sympy.Expr | None
    exact_note: str
    quadrature: Quadrature
    monte_carlo: MonteCarlo | None
    notes: tuple[str, ...] = field(default=())
    improper: Improper | None = None
    pieces: tuple[Piece, ...] = ()  # when f is split at kinks or singularities
    antiderivative_note: str = ""  # where F is (or is not) an antiderivative

    @property
    def exact_float(self) -> float | None:
        return to_float(self.exact) if self.exact is not None else None

    @property
    def diverges(self) -> bool:
        return self.improper is not None and self.improper.converges is False


def run_integrate(text: str, lower: str, upper: str, samples: int | None = DEFAULT_SAMPLES,
                  seed: int | None = DEFAULT_SEED,
                  timeout: float = DEFAULT_TIMEOUT_SECONDS) -> IntegrateResult:
    function = parse(text)
    x = single_variable(function, "integrate")
    a = parse_number(lower, "the lower limit --from")
    b = parse_number(upper, "the upper limit --to")
    if a.has(sympy.zoo, sympy.nan) or b.has(sympy.zoo, sympy.nan):
        raise CalcError("the limits must be real numbers or oo / -oo")
    a_f, b_f = _limit_float(a), _limit_float(b)
    if a_f is None or b_f is None:
        raise CalcError("the limits must be real numbers (or oo / -oo)")
    notes: list[str] = []
    if a_f > b_f:
        notes.append("the lower limit is above the upper one: the integral is minus the "
                     "integral the other way round")
    if samples and (samples < 2 or samples > MAX_SAMPLES):
        raise CalcError(f"--monte-carlo takes 2 to {MAX_SAMPLES:,} samples (got {samples})")

    lo, hi = (a, b) if a_f <= b_f else (b, a)
    exact_part = _exact(function, x, a, b, lo, hi, timeout)
    if exact_part.exact is not None and not printable(exact_part.exact):
        shown = sympy.Float(sympy.N(exact_part.exact, 20), 15)
        exact_part = replace(exact_part, exact=shown, note=(
            "SymPy's closed form uses a function calctutor cannot print (such as Si); "
            "shown to 15 digits"))
    cuts = sorted({float(p.lower) for p in exact_part.pieces[1:]} |
                  {float(p) for p in (exact_part.improper.points if exact_part.improper else ())
                   if lo.is_finite and hi.is_finite and lo < p < hi})
    quadrature = _quadrature(function, x, a_f, b_f, cuts)
    exact_f = to_float(exact_part.exact) if exact_part.exact is not None else None
    if exact_f is not None and quadrature.value is not None:
        quadrature = replace(quadrature, true_error=abs(quadrature.value - exact_f))
    monte_carlo = None
    if samples:
        if math.isinf(a_f) or math.isinf(b_f):
            notes.append("no Monte Carlo estimate on an infinite interval (uniform samples "
                         "need a finite one)")
        else:
            monte_carlo = _monte_carlo(function, x, a_f, b_f, samples,
                                       DEFAULT_SEED if seed is None else seed)
            if monte_carlo.estimate is not None:
                reason = _infinite_variance(function, x, lo, hi, exact_part.improper)
                if reason:
                    monte_carlo = replace(monte_carlo, infinite_variance=True,
                                          variance_reason=reason)
    improper = exact_part.improper
    if improper is not None and improper.converges is False:
        notes.append("the integral diverges, so the quadrature and Monte Carlo numbers mean "
                     "nothing: they are finite sums standing for an area that is not finite")
    if quadrature.value is None:
        notes.append("the quadrature failed: f is undefined or infinite somewhere on the "
                     "interval")
    return IntegrateResult(text, function, x.name, a, b, exact_part.antiderivative,
                           exact_part.exact, exact_part.note, quadrature, monte_carlo,
                           tuple(notes), improper, exact_part.pieces,
                           exact_part.antiderivative_note)


def _limit_float(value: sympy.Expr) -> float | None:
    if value is sympy.oo:
        return math.inf
    if value is -sympy.oo:
        return -math.inf
    return to_float(value)


@dataclass(frozen=True)
class _Exact:
    antiderivative: sympy.Expr | None
    exact: sympy.Expr | None
    note: str
    improper: Improper | None = None
    pieces: tuple[Piece, ...] = ()
    antiderivative_note: str = ""


def _exact(f, x, a, b, lo, hi, timeout) -> _Exact:
    sign = 1 if a == lo else -1
    try:
        with time_limit(timeout, "the exact integral"):
            return _exact_body(f, x, lo, hi, sign)
    except ComputationTimeout:
        return _Exact(None, None, f"the exact integral took longer than {timeout:g} s and "
                      "was stopped")
    except (NotImplementedError, ValueError, TypeError, AttributeError):
        return _Exact(None, None, "SymPy could not integrate this exactly")


def _finite(value) -> bool:
    return value is not None and not value.has(sympy.Integral) and to_float(value) is not None


def _tidy(value):
    if value.has(sympy.Integral):
        return value
    return sympy.simplify(value) if sympy.count_ops(value) < 80 else value


def _antiderivative(g, x):
    F = sympy.integrate(g, x)
    return None if F.has(sympy.Integral) else F


def printable(expr) -> bool:
    """Does ``expr`` print in our input syntax and parse back to itself (no Si, floor …)?"""
    try:
        return parse(to_input(expr)) == expr or sympy.simplify(parse(to_input(expr)) - expr) == 0
    except Exception:  # noqa: BLE001 - any failure to print or read back means "no"
        return False


def _real_on(F, x, lo, hi) -> bool:
    """Is F real inside the interval (ln(x) is not, on [-2, -1])?"""
    if lo.is_finite and hi.is_finite:
        probes = [lo + (hi - lo) * k / 4 for k in (1, 2, 3)]
    elif lo.is_finite:
        probes = [lo + 1, lo + 10]
    elif hi.is_finite:
        probes = [hi - 1, hi - 10]
    else:
        probes = [sympy.S.Zero, sympy.S.One]
    return all(to_float(F.subs(x, p)) is not None for p in probes)


def _real_antiderivative(F, x, lo, hi):
    """F itself when it is real on the interval, else F with ln u read as ln|u|."""
    if F is None or _real_on(F, x, lo, hi):
        return F
    G = F.replace(sympy.log, lambda u: sympy.log(sympy.Abs(u)))
    return G if G != F and _real_on(G, x, lo, hi) else None


def _exact_body(f, x, lo, hi, sign) -> _Exact:
    if lo == hi:
        return _Exact(sympy.S.Zero * x, sympy.S.Zero, "an empty interval")
    g = piecewise(f)
    unbounded = _unbounded_points(f, x, lo, hi)
    interior = [p for p in unbounded if p != lo and p != hi]
    if interior:
        return _across_singularities(g, x, lo, hi, sign, interior)
    ends = tuple(p for p in unbounded if p == lo or p == hi)
    infinite = lo.is_infinite or hi.is_infinite
    value = _tidy(sympy.integrate(g, (x, lo, hi)))
    if value.has(sympy.Integral):
        return _Exact(_antiderivative(g, x), None, "SymPy found no closed form for this integral")
    if isinstance(value, sympy.Piecewise):
        return _Exact(None, None, "the exact value depends on conditions SymPy left open")
    diverges = value.has(sympy.nan, sympy.zoo) or value.is_infinite
    improper = None
    if ends or infinite:
        improper = _improper(g, x, lo, hi, ends, None if diverges else sign * value)
    if diverges:
        note = "the integral diverges"
        if improper is None:
            note = "the integral is undefined (it does not converge)"
        return _Exact(None, None, note, improper, (),
                      "no antiderivative formula gives a finite area here")
    if to_float(value) is None:
        return _Exact(None, None, "the exact value is not a real number")
    exact = sign * value
    pieces = _pieces(g, x, lo, hi)
    if pieces:
        where = ", ".join(f"[{to_input(p.lower)}, {to_input(p.upper)}]" for p in pieces)
        return _Exact(None, exact, "", improper, pieces,
                      f"f has a different formula on each of {where}: the integral is the "
                      "sum of the pieces, each by its own antiderivative")
    F = _real_antiderivative(_antiderivative(g, x), x, lo, hi)
    note = ""
    if F is not None and F.has(sympy.Piecewise):
        F, note = None, "SymPy's antiderivative comes in cases; the value is exact"
    elif F is not None and not printable(F):
        F, note = None, ("SymPy's antiderivative uses functions calctutor cannot print (such "
                         "as Si or floor), so it is not shown")
    elif F is not None and improper is None and not _fundamental_theorem_holds(F, x, lo, hi, value):
        note = (f"F({x.name}) = {to_input(F)} jumps inside the interval, so it is an "
                "antiderivative only between the jumps and F(b) - F(a) would be wrong")
        F = None
    elif F is not None and improper is not None:
        note = _improper_antiderivative_note(x, lo, hi, ends)
    return _Exact(F, exact, "", improper, (), note)


def _fundamental_theorem_holds(F, x, lo, hi, value) -> bool:
    try:
        total = _end_value(F, x, hi, "-") - _end_value(F, x, lo, "+")
        return sympy.simplify(total - value) == 0
    except (TypeError, ValueError, NotImplementedError):
        return False


def _end_value(F, x, point, direction):
    value = F.subs(x, point)
    if _finite(value):
        return value
    return sympy.limit(F, x, point, direction)


def _improper_antiderivative_note(x, lo, hi, ends) -> str:
    parts = []
    for p in ends:
        side = "+" if p == lo else "-"
        parts.append(f"{x.name} -> {to_input(p)}{side}")
    for end, side in ((lo, "+"), (hi, "-")):
        if end.is_infinite:
            parts.append(f"{x.name} -> {to_input(end)}")
    where = " and ".join(parts)
    return (f"F' = f inside the interval; F is evaluated as a limit at the improper end "
            f"({where})")


def _unbounded_points(f, x, lo, hi) -> list[sympy.Expr]:
    """Finite points of [lo, hi] near which f is unbounded (1/x at 0, ln x at 0)."""
    e = elementary(f)
    candidates: list[sympy.Expr] = []
    try:
        with time_limit(3.0, "finding the singularities"):
            found = sympy.singularities(e, x, sympy.Interval(lo, hi))
        if isinstance(found, sympy.FiniteSet):
            candidates = [p for p in found if p.is_real]
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError):
        candidates = []
    for end in (lo, hi):
        if end.is_finite and end not in candidates:
            candidates.append(end)
    out = []
    for p in candidates:
        sides = ([] if p == lo else ["-"]) + ([] if p == hi else ["+"])
        for direction in sides:
            try:
                with time_limit(3.0, "a one-sided limit"):
                    value = sympy.limit(e, x, p, direction)
            except (ComputationTimeout, NotImplementedError, ValueError, TypeError):
                continue
            if value.is_infinite or value.has(sympy.zoo):
                out.append(p)
                break
    return sorted(set(out), key=lambda p: float(p))


def _growth_symbol(x, name):
    return sympy.Symbol(name if x.name != name else name + "_", positive=True)


def _improper(g, x, lo, hi, ends, value) -> Improper:
    """The verdict for an improper integral without interior singularities."""
    at = ", ".join(f"{x.name} = {to_input(p)}" for p in ends)
    kind = "endpoint singularity" if ends else "infinite interval"
    why = (f"f is unbounded near {at}" if ends else "the interval is infinite")
    if value is not None:
        return Improper(kind, ends, True, f"an improper integral ({why}); it converges to "
                        f"{to_input(value)}")
    growth = _growth_text(g, x, lo, hi, ends)
    return Improper(kind, ends, False, f"the integral diverges: {growth} ({why})")


def _lead(expr, var):
    """The terms of ``expr`` that depend on ``var`` (the constant part dropped)."""
    expr = sympy.expand_log(sympy.simplify(expr), force=True)
    terms = [t for t in sympy.Add.make_args(expr) if t.has(var)]
    return sympy.Add(*terms) if terms else expr


def _growth_text(g, x, lo, hi, ends) -> str:
    try:
        with time_limit(3.0, "the growth of the area"):
            for p in ends:
                s = _growth_symbol(x, "s")
                if p == lo:
                    area = sympy.integrate(g, (x, lo + s, hi if hi.is_finite else lo + 1))
                    span = f"from {to_input(lo + s)} to {to_input(hi if hi.is_finite else lo + 1)}"
                else:
                    area = sympy.integrate(g, (x, lo if lo.is_finite else hi - 1, hi - s))
                    span = f"from {to_input(lo if lo.is_finite else hi - 1)} to {to_input(hi - s)}"
                if _finite(area.subs(s, sympy.Rational(1, 10**6))) and not area.has(sympy.Integral):
                    limit = sympy.limit(area, s, 0, "+")
                    if limit.is_infinite:
                        return (f"the area {span} grows like {to_input(_lead(area, s))}, "
                                f"without bound as s -> 0+")
            for end, name, toward in ((hi, "b", "oo"), (lo, "a", "-oo")):
                if not end.is_infinite:
                    continue
                t = _growth_symbol(x, name)
                bound = t if end is sympy.oo else -t
                other = lo if end is sympy.oo else hi
                other = other if other.is_finite else sympy.S.Zero
                area = (sympy.integrate(g, (x, other, bound)) if end is sympy.oo
                        else sympy.integrate(g, (x, bound, other)))
                if not area.has(sympy.Integral):
                    lead = _lead(area, t)
                    shown = to_input(lead if end is sympy.oo else lead.subs(t, -t))
                    return (f"the area grows like {shown} as {name} -> {toward}, "
                            "without bound")
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError):
        pass
    return "the area is unbounded"


def _across_singularities(g, x, lo, hi, sign, interior) -> _Exact:
    """f unbounded inside the interval: split there; the integral exists only if every part does."""
    pts = ", ".join(to_input(p) for p in interior)
    cuts = [lo, *interior, hi]
    total = sympy.S.Zero
    bad = None
    for u, v in zip(cuts, cuts[1:]):
        part = _tidy(sympy.integrate(g, (x, u, v)))
        if not _finite(part):
            bad = (u, v, part)
            break
        total += part
    F = _antiderivative(g, x)
    if F is not None and (F.has(sympy.Piecewise) or not printable(F)):
        pieces_note = (f"no single antiderivative works across {x.name} = {pts}: each side "
                       "is integrated on its own")
    else:
        pieces_note = (f"F({x.name}) = {to_input(F)} is an antiderivative only on each side "
                       f"of {x.name} = {pts}, not across it" if F is not None else "")
    if bad is None:
        exact = sign * _tidy(total)
        text = (f"an improper integral: f is unbounded near {x.name} = {pts} inside the "
                f"interval; split there, every part converges, and the total is "
                f"{to_input(exact)}")
        return _Exact(None, exact, "", Improper("interior singularity", tuple(interior), True,
                                                text), (), pieces_note)
    u, v, part = bad
    shown = to_input(part) if part in (sympy.oo, -sympy.oo) else "not finite"
    text = (f"the integral is improper and diverges: f has a non-integrable singularity at "
            f"{x.name} = {pts} inside the interval (the part from {to_input(u)} to "
            f"{to_input(v)} alone is {shown})")
    pv = _principal_value(g, x, lo, hi, sign)
    if pieces_note:
        pieces_note += (f", so F({to_input(hi)}) - F({to_input(lo)}) means nothing here")
    return _Exact(None, None, "the integral diverges",
                  Improper("interior singularity", tuple(interior), False, text, pv), (),
                  pieces_note)


def _principal_value(g, x, lo, hi, sign):
    try:
        with time_limit(3.0, "the principal value"):
            value = sympy.Integral(g, (x, lo, hi)).principal_value()
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError):
        return None
    return sign * value if _finite(value) else None


def _pieces(g, x, lo, hi) -> tuple[Piece, ...]:
    """Split a Piecewise integrand at its breakpoints inside (lo, hi)."""
    from sympy.core.relational import Relational

    folded = sympy.piecewise_fold(g)
    if not isinstance(folded, sympy.Piecewise):
        return ()
    points = set()
    for _, cond in folded.args:
        for rel in cond.atoms(Relational):
            solved = sympy.solveset(rel.lhs - rel.rhs, x, sympy.Interval.open(lo, hi))
            if not isinstance(solved, sympy.FiniteSet):
                return ()
            points |= set(solved)
    cuts = [lo, *sorted(points, key=float), hi]
    if len(cuts) == 2:
        return ()
    pieces = []
    for u, v in zip(cuts, cuts[1:]):
        mid = (u + v) / 2 if u.is_finite and v.is_finite else (u + 1 if u.is_finite else v - 1)
        expr = next((e for e, c in folded.args if c.subs(x, mid) == sympy.true), None)
        if expr is None or expr.has(sympy.Piecewise):
            return ()
        value = _tidy(sympy.integrate(expr, (x, u, v)))
        if not _finite(value):
            return ()
        pieces.append(Piece(u, v, expr, _antiderivative(expr, x), value))
    return tuple(pieces)


def _infinite_variance(f, x, lo, hi, improper, symbolic: bool = True) -> str:
    """Why the variance of f(U) is infinite (∫ f² diverges), or "" when it is finite.

    Symbolically when SymPy integrates f² quickly, else by the growth of f² near each
    point where f is unbounded."""
    if improper is None or not improper.points:
        return ""
    e = elementary(f)
    pts = ", ".join(f"{x.name} = {to_input(p)}" for p in improper.points)
    try:
        if not symbolic:
            raise NotImplementedError
        with time_limit(2.0, "the second moment"):
            second = sympy.integrate(e**2, (x, lo, hi))
        if not second.has(sympy.Integral):
            if second.is_infinite or second.has(sympy.nan, sympy.zoo):
                return f"the integral of f^2 diverges near {pts}"
            if _finite(second):
                return ""
    except (ComputationTimeout, NotImplementedError, ValueError, TypeError, AttributeError):
        pass
    # numerically: near p, f^2 ~ C/|x - p|^k; k >= 1 makes it non-integrable
    for p in improper.points:
        p_f = float(p)
        for direction in ([1.0] if p == lo else []) + ([-1.0] if p == hi else []) or [1.0, -1.0]:
            with np.errstate(all="ignore"):
                near = evaluate(e, x, np.array([p_f + direction * 1e-6, p_f + direction * 1e-10]))
            if not np.all(np.isfinite(near)) or np.any(near == 0):
                continue
            k = math.log((near[1] / near[0]) ** 2) / math.log(1e4)
            if k >= 0.999:
                gap = x.name if p == 0 else to_input(x - p)
                return (f"f^2 grows like 1/|{gap}|^{k:.2f} near {x.name} = {to_input(p)}, "
                        "too fast to integrate")
    return ""


def _gauss_panels(fn, lo: float, hi: float, panels: int) -> tuple[float, int]:
    nodes, weights = np.polynomial.legendre.leggauss(GAUSS_POINTS)
    edges = np.linspace(lo, hi, panels + 1)
    half = (edges[1:] - edges[:-1]) / 2
    mid = (edges[1:] + edges[:-1]) / 2
    xs = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
    values = fn(xs).reshape(panels, GAUSS_POINTS)
    total = float(np.sum(half[:, None] * weights[None, :] * values))
    return total, xs.size


def _quadrature(f, x, a: float, b: float, cuts: list[float] | None = None) -> Quadrature:
    """Gauss–Legendre on [a, b], split at ``cuts`` (kinks, singular points) when given."""
    sign = 1.0
    if a > b:
        a, b, sign = b, a, -1.0
    if a == b:
        return Quadrature(0.0, 0.0, 0, "empty interval")
    inside = [c for c in (cuts or []) if a < c < b]
    if inside and not (math.isinf(a) or math.isinf(b)):
        parts = [_quadrature(f, x, u, v) for u, v in zip([a, *inside], [*inside, b])]
        if any(p.value is None for p in parts):
            return Quadrature(None, None, sum(p.evaluations for p in parts), parts[0].method)
        method = parts[0].method.split(" (")[0] + f", split at {', '.join(f'{c:g}' for c in inside)}"
        settled = all(p.settled for p in parts)
        if not settled:
            method += " (did not settle: f may be singular on the interval)"
        return Quadrature(sign * sum(p.value for p in parts),
                          sum(p.error_estimate or 0.0 for p in parts),
                          sum(p.evaluations for p in parts), method, settled=settled)
    method = f"Gauss-Legendre, {GAUSS_POINTS} points per panel"
    if math.isinf(a) or math.isinf(b):
        fn, lo, hi = _infinite_map(f, x, a, b)
        method += ", after mapping the infinite interval to (-1, 1) or (0, 1)"
    else:
        def fn(xs):
            return evaluate(f, x, xs)
        lo, hi = a, b
    evaluations = 0
    previous = err = None
    panels = 4
    with np.errstate(all="ignore"):
        while panels <= 1024:
            value, used = _gauss_panels(fn, lo, hi, panels)
            evaluations += used
            if not math.isfinite(value):
                return Quadrature(None, None, evaluations, method)
            if previous is not None:
                err = abs(value - previous)
                if err <= 1e-12 * max(1.0, abs(value)):
                    return Quadrature(sign * value, err, evaluations, method)
            previous = value
            panels *= 2
    return Quadrature(sign * value, err, evaluations,
                      method + " (did not settle: f may be singular on the interval)",
                      settled=False)


def _infinite_map(f, x, a, b):
    """x = t/(1 − t²) on (−1, 1) for (−∞, ∞); x = a + t/(1 − t) on (0, 1) for [a, ∞)."""
    def g(xs):
        return evaluate(f, x, xs)

    if math.isinf(a) and math.isinf(b):
        def fn(t):
            return g(t / (1 - t * t)) * (1 + t * t) / (1 - t * t) ** 2
        return fn, -1.0, 1.0
    if math.isinf(b):
        def fn(t):
            return g(a + t / (1 - t)) / (1 - t) ** 2
        return fn, 0.0, 1.0

    def fn(t):  # (−∞, b]
        return g(b - t / (1 - t)) / (1 - t) ** 2
    return fn, 0.0, 1.0


def _monte_carlo(f, x, a: float, b: float, n: int, seed: int) -> MonteCarlo:
    rng = np.random.default_rng(seed)
    lo, hi = min(a, b), max(a, b)
    sign = 1.0 if b >= a else -1.0
    xs = rng.uniform(lo, hi, n)
    values = evaluate(f, x, xs)
    if not np.all(np.isfinite(values)):
        return MonteCarlo(None, None, n, seed, None)
    width = hi - lo
    mean = float(values.mean())
    stderr = width * float(values.std(ddof=1)) / math.sqrt(n)
    return MonteCarlo(sign * width * mean, stderr, n, seed, mean)
