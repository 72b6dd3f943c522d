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
from dataclasses import dataclass, field

import numpy as np
import sympy

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
    error_estimate: float | None
    evaluations: int
    method: str


@dataclass(frozen=True)
class MonteCarlo:
    estimate: float | None
    stderr: float | None
    n: int
    seed: int
    mean: float | None  # the sample mean of f (the expectation under the uniform law)


@dataclass(frozen=True)
class IntegrateResult:
    input: str
    function: sympy.Expr
    variable: str
    lower: sympy.Expr
    upper: sympy.Expr
    antiderivative: sympy.Expr | None
    exact: sympy.Expr | None
    exact_note: str
    quadrature: Quadrature
    monte_carlo: MonteCarlo | None
    notes: tuple[str, ...] = field(default=())

    @property
    def exact_float(self) -> float | None:
        return to_float(self.exact) if self.exact is not None else None


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

    antiderivative, exact, exact_note = _exact(function, x, a, b, timeout)
    quadrature = _quadrature(function, x, a_f, b_f)
    monte_carlo = None
    if samples:
        if samples < 2 or samples > MAX_SAMPLES:
            raise CalcError(f"--monte-carlo takes 2 to {MAX_SAMPLES:,} samples (got {samples})")
        if math.isinf(a_f) or math.isinf(b_f):
            notes.append("no Monte Carlo estimate on an infinite interval (uniform samples "
                         "need a finite one)")
        else:
            monte_carlo = _monte_carlo(function, x, a_f, b_f, samples,
                                       DEFAULT_SEED if seed is None else seed)
    if exact is None and exact_note.startswith("the integral is undefined") or exact in (
            sympy.oo, -sympy.oo):
        notes.append("the integral does not converge, so the numeric estimates below mean "
                     "nothing (a singularity inside the interval can cancel by symmetry)")
    if quadrature.value is None:
        notes.append("the quadrature failed: f is undefined or infinite somewhere on the "
                     "interval")
    return IntegrateResult(text, function, x.name, a, b, antiderivative, exact, exact_note,
                           quadrature, monte_carlo, tuple(notes))


def _limit_float(value: sympy.Expr) -> float | None:
    if value is sympy.oo:
        return math.inf
    if value is -sympy.oo:
        return -math.inf
    return to_float(value)


def _exact(f, x, a, b, timeout):
    try:
        with time_limit(timeout, "the exact integral"):
            antiderivative = sympy.integrate(f, x)
            if antiderivative.has(sympy.Integral):
                antiderivative = None
            value = sympy.integrate(f, (x, a, b))
            if value.has(sympy.Integral):
                return antiderivative, None, "SymPy found no closed form for this integral"
            value = sympy.simplify(value) if sympy.count_ops(value) < 80 else value
    except ComputationTimeout:
        return None, None, f"the exact integral took longer than {timeout:g} s and was stopped"
    except (NotImplementedError, ValueError, TypeError):
        return None, None, "SymPy could not integrate this exactly"
    if value.has(sympy.nan, sympy.zoo):
        return antiderivative, None, "the integral is undefined (it does not converge)"
    if value in (sympy.oo, -sympy.oo):
        return antiderivative, value, "the integral diverges"
    if to_float(value) is None:
        return antiderivative, value, "the exact value is not a real number"
    if isinstance(value, sympy.Piecewise):
        return antiderivative, None, "the exact value depends on conditions SymPy left open"
    return antiderivative, value, ""


def _gauss_panels(fn, lo: float, hi: float, panels: int) -> tuple[float, int]:
    nodes, weights = np.polynomial.legendre.leggauss(GAUSS_POINTS)
    edges = np.linspace(lo, hi, panels + 1)
    half = (edges[1:] - edges[:-1]) / 2
    mid = (edges[1:] + edges[:-1]) / 2
    xs = (mid[:, None] + half[:, None] * nodes[None, :]).ravel()
    values = fn(xs).reshape(panels, GAUSS_POINTS)
    total = float(np.sum(half[:, None] * weights[None, :] * values))
    return total, xs.size


def _quadrature(f, x, a: float, b: float) -> Quadrature:
    sign = 1.0
    if a > b:
        a, b, sign = b, a, -1.0
    if a == b:
        return Quadrature(0.0, 0.0, 0, "empty interval")
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
                      method + " (did not settle: f may be singular on the interval)")


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
