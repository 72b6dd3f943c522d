"""``calctutor taylor``: Taylor polynomials, term by term, with an error table.

f(x) ≈ Σ_{k=0}^{n} f⁽ᵏ⁾(a)/k! · (x − a)ᵏ. Every coefficient is exact (SymPy numbers:
``e^x`` at 0 gives 1, 1, 1/2, 1/6, …); floats appear only for the table and JSON. The
approximations and errors in the table are computed exactly (or with 30 significant
digits) before rounding, so the error column has no cancellation of its own.

For several variables the expansion is Σ_{|α| ≤ n} ∂^α f(a)/α! · (x − a)^α, which at
order 2 is value + gradient·Δ + ½ Δᵀ H Δ.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import sympy

from calctutor.errors import CalcError
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS, MAX_INPUT_LENGTH
from calctutor.parsing import parse, to_input
from calctutor.parsing.work import check_derivative_work
from calctutor.points import parse_range, split, to_float
from calctutor.plotting.evaluate import evaluate
from calctutor.plotting.figure import Figure, Series, robust_ylim, sample_grid
from calctutor.timeouts import time_limit

MAX_ORDER = 20
MAX_ORDER_MULTI = 4
BOUND_SAMPLES = 2001


@dataclass(frozen=True)
class TaylorTerm:
    """One term: ∂^α f(a) / α! · (x − a)^α (``index`` is α; (k,) for one variable)."""

    k: int  # total order |α|
    index: tuple[int, ...]
    label: str  # f''(a), f_xy(a)
    derivative: sympy.Expr | None  # the derivative as a function (None: too big to show)
    derivative_value: sympy.Expr  # its exact value at the point
    factorial: int  # α! (k! for one variable)
    coefficient: sympy.Expr
    term: sympy.Expr  # coefficient · base (evaluated: SymPy may distribute the number)
    base: sympy.Expr  # (x − a)^k, or the product of (xᵢ − aᵢ)^αᵢ

    @property
    def form(self) -> sympy.Expr:
        """coefficient · base as built (unevaluated), so (x − a)^k stays one group."""
        return term_form(self.coefficient, self.base)

    @property
    def text(self) -> str:
        """The term as coefficient · (x − a)^k in our syntax, powers of (x − a) kept."""
        return to_input(self.form, as_built=True)


@dataclass(frozen=True)
class ErrorRow:
    point: dict[str, sympy.Expr]  # where the approximation is evaluated
    approx: float | None
    exact: float | None
    error: float | None  # exact − approx
    bound: float | None  # Lagrange remainder bound, when it could be computed
    partial_sums: tuple[float | None, ...]  # the approximations of order 0, 1, …, n


@dataclass(frozen=True)
class TaylorResult:
    input: str
    function: sympy.Expr
    variables: tuple[str, ...]
    point: dict[str, sympy.Expr]
    order: int
    terms: tuple[TaylorTerm, ...]
    polynomial: sympy.Expr
    table: tuple[ErrorRow, ...]
    gradient: tuple[sympy.Expr, ...] | None = None
    hessian: tuple[tuple[sympy.Expr, ...], ...] | None = None
    bound_note: str = ""
    figure: Figure | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def multivariable(self) -> bool:
        return len(self.variables) > 1

    @property
    def variable(self) -> str:
        return self.variables[0]

    @property
    def center(self) -> sympy.Expr:
        return self.point[self.variables[0]]

    @property
    def expanded(self) -> sympy.Expr:
        return sympy.expand(self.polynomial)

    @property
    def polynomial_form(self) -> sympy.Expr:
        """The polynomial as one unevaluated sum of terms, in rising order: its value is
        :attr:`polynomial`, its shape keeps each (x − a)^k whole."""
        return polynomial_form(self.terms)

    @property
    def polynomial_text(self) -> str:
        """The polynomial in rising order, in powers of (x − a): it parses back to it."""
        return to_input(self.polynomial_form, as_built=True)


def term_form(coefficient: sympy.Expr, base: sympy.Expr) -> sympy.Expr:
    """coefficient · base, unevaluated: SymPy would distribute −1 over (x − π)."""
    if base == 1:
        return coefficient
    if coefficient == 1:
        return base
    return sympy.Mul(*sympy.Mul.make_args(coefficient), *sympy.Mul.make_args(base),
                     evaluate=False)


def polynomial_form(terms) -> sympy.Expr:
    """Σ coefficient · (x − a)^k as one unevaluated sum (zero terms left out)."""
    forms = [term_form(t.coefficient, t.base) for t in terms if t.coefficient != 0]
    if not forms:
        return sympy.Integer(0)
    if len(forms) == 1:
        return forms[0]
    return sympy.Add(*forms, evaluate=False)


def run_taylor(text: str, at: str | None = None, order: int = 2, eval_points: str | None = None,
               plot: bool = False, plot_range: str | None = None,
               timeout: float = DEFAULT_TIMEOUT_SECONDS) -> TaylorResult:
    """The Taylor polynomial of ``text`` at ``at`` (default 0) of order ``order``."""
    from calctutor.points import parse_point

    function = parse(text)
    symbols = sorted(function.free_symbols, key=lambda s: s.name)
    if not symbols:
        from calctutor.parsing.builder import symbol

        symbols = [symbol("x")]
    names = [s.name for s in symbols]
    if order < 0:
        raise CalcError("the order must be 0 or more")
    limit = MAX_ORDER if len(symbols) == 1 else MAX_ORDER_MULTI
    if order > limit:
        raise CalcError(f"the order can be at most {limit} here (asked for {order})")
    check_derivative_work(function, order, what="a Taylor polynomial")
    point = parse_point(at, names) if at else {n: sympy.Integer(0) for n in names}
    unknown = set(point) - set(names)
    if unknown:
        raise CalcError(f"the point names {', '.join(sorted(unknown))}, which the "
                        f"expression does not use (it has {', '.join(names)})")
    missing = [n for n in names if n not in point]
    if missing:
        raise CalcError(f"the point gives no value for {', '.join(missing)}",
                        hint=f"write --at {','.join(f'{n}=0' for n in names)}")
    point = {n: sympy.nsimplify(point[n]) if point[n].is_Float else point[n] for n in names}
    expand, kinked = _check_point(function, names, point, order)

    with time_limit(timeout, "the Taylor expansion"):
        if len(symbols) == 1:
            terms, top = _terms_one(expand, symbols[0], point[names[0]], order)
            top = None if kinked else top
        else:
            terms, top = _terms_many(function, symbols, point, order), None
        polynomial = sympy.Add(*[t.term for t in terms])
        if len(to_input(polynomial_form(terms), as_built=True)) > MAX_INPUT_LENGTH:
            raise CalcError(f"the exact Taylor polynomial of order {order} is too long to "
                            f"write out (more than {MAX_INPUT_LENGTH} characters)",
                            hint="ask for a lower order with --order")
        rows_at = _eval_points(eval_points, names, point)
        notes: list[str] = []
        table = tuple(_row(function, symbols, point, terms, order, top, p) for p in rows_at)
    bound_note = ""
    if len(symbols) == 1 and table:
        bound_note = (f"bound (Lagrange) = max|f^({order + 1})| on [a, x] * |x - a|^{order + 1}"
                      f"/{order + 1}!, the max taken over {BOUND_SAMPLES} evenly spaced "
                      "samples of [a, x], endpoints included; n/a where f^"
                      f"({order + 1}) is unbounded or undefined there, or too large to "
                      "write out")
    elif table:
        bound_note = "no remainder bound for several variables"
    gradient = hessian = None
    if len(symbols) > 1:
        with time_limit(timeout, "the gradient and Hessian"):
            at_point = {s: point[s.name] for s in symbols}
            gradient = tuple(_tidy(sympy.diff(function, s).subs(at_point)) for s in symbols)
            hessian = tuple(tuple(_tidy(sympy.diff(function, s, r).subs(at_point))
                                  for r in symbols) for s in symbols)
    figure = None
    if plot:
        if len(symbols) == 1:
            figure = _figure(function, symbols[0], point[names[0]], terms, order, table,
                             plot_range)
        else:
            notes.append("--plot draws functions of one variable; this one has "
                         f"{len(symbols)}")
    return TaylorResult(text, function, tuple(names), point, order, tuple(terms), polynomial,
                        table, gradient, hessian, bound_note, figure, tuple(notes))


# ── is there a Taylor polynomial at this point? ──────────────────────────────────────

def _check_point(f: sympy.Expr, names: list[str], point: dict, order: int):
    """Refuse, with the evaluator's reason, a point where f or a derivative up to ``order``
    does not exist (outside the domain; at a corner, with its one-sided slopes). Returns
    (the expression to expand, whether a kink sits at the point): at a smooth point that
    only looks like a corner (abs(x)^3 at 0) the expansion is built from the smooth
    branch on the right, which agrees with f to that order there."""
    from calctutor.pointvalue import active_kinks, at_point

    here = at_point(f, point)
    if here.value is None:
        raise CalcError(f"no Taylor polynomial there: {here.reason}",
                        hint="try a point inside the function's domain with --at")
    kinks = active_kinks(f, point) if order else []
    if not kinks:
        return f, False
    if len(names) > 1:
        raise CalcError(f"no Taylor polynomial of several variables is built at a kink: "
                        f"{to_input(kinks[0][0])} is on its kink at the point",
                        hint="try a point off the kink with --at")
    x = names[0]
    for k in range(1, order + 1):
        verdict = at_point(f, point, x, k)
        if verdict.value is None:
            where = f"{x} = {to_input(point[x])}"
            sides = verdict.one_sided
            if k == 1 and sides is not None and None not in (sides.left, sides.right):
                why = (f"{to_input(f)} is not differentiable at {where}: "
                       f"{verdict.kinks[0] if verdict.kinks else verdict.reason} (one-sided "
                       f"slopes {to_input(sides.left)} from the left and "
                       f"{to_input(sides.right)} from the right)")
            else:
                why = verdict.reason
            raise CalcError(f"no Taylor polynomial of order {order} at {where}: {why}",
                            hint="a lower --order, or a point off the kink with --at")
    from calctutor.parsing.builder import symbol
    from calctutor.pointvalue import smooth_branch

    return smooth_branch(f, symbol(x), point[x], 1), True


# ── one variable ─────────────────────────────────────────────────────────────────────

def _terms_one(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, order: int):
    """The terms, and f^(n+1) for the remainder bound (None when not computed).

    Coefficients come from truncated series arithmetic (fast and exact: the 20th
    coefficient of tan x without building its 20th derivative). Where the function is not
    smooth at a, the derivatives are taken one by one instead, which says which one does
    not exist there. The derivative functions shown in the table are computed only while
    they stay small (tan's 20th derivative would take seconds and fill the screen).
    """
    from calctutor.commands.taylor_series import NotSmooth, taylor_coefficients

    try:
        coefficients = taylor_coefficients(f, x, a, order)
    except NotSmooth:
        return _terms_by_derivatives(f, x, a, order)
    shown = _derivatives_shown(f, x, order + 1)
    terms = []
    for k, c in enumerate(coefficients):
        coefficient = _tidy_number(c)
        factorial = math.factorial(k)
        value = _tidy_number(coefficient * factorial)
        base = (x - a) ** k
        derivative = shown[k] if k < len(shown) else None
        terms.append(TaylorTerm(k, (k,), _prime_label(k, to_input(a)), derivative, value,
                                factorial, coefficient, coefficient * base, base))
    top = shown[order + 1] if len(shown) > order + 1 else None
    return terms, top


#: The derivative functions f^(k)(x) are shown while they stay this small (operations).
SHOWN_DERIVATIVE_OPS = 40
SHOWN_DERIVATIVE_ORDER = 8


def _derivatives_shown(f: sympy.Expr, x: sympy.Symbol, up_to: int) -> list[sympy.Expr]:
    """f, f', f'', … while each stays small (at most ``up_to``)."""
    out = [f]
    while len(out) <= min(up_to, SHOWN_DERIVATIVE_ORDER):
        nxt = sympy.diff(out[-1], x)
        if sympy.count_ops(nxt) > SHOWN_DERIVATIVE_OPS:
            break
        out.append(nxt)
    return out


def _terms_by_derivatives(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr, order: int):
    terms = []
    derivative = f
    for k in range(order + 1):
        if k:
            derivative = sympy.diff(derivative, x)
        value = _value_at(derivative, {x: a}, _prime_label(k, "a"))
        factorial = math.factorial(k)
        coefficient = _tidy(value / factorial)
        base = (x - a) ** k
        terms.append(TaylorTerm(k, (k,), _prime_label(k, to_input(a)), derivative, value,
                                factorial, coefficient, coefficient * base, base))
    top = sympy.diff(derivative, x)  # f^(n+1), for the remainder bound
    return terms, top


def _prime_label(k: int, at: str) -> str:
    if k <= 3:
        return f"f{chr(39) * k}({at})"
    return f"f^({k})({at})"


# ── several variables ────────────────────────────────────────────────────────────────

def _terms_many(f: sympy.Expr, xs: list[sympy.Symbol], point: dict, order: int):
    at = {s: point[s.name] for s in xs}
    terms = []
    for k in range(order + 1):
        for index in _multi_indices(len(xs), k):
            spec = [(s, n) for s, n in zip(xs, index) if n]
            derivative = sympy.diff(f, *itertools.chain.from_iterable(spec)) if spec else f
            label = "f" if not spec else "f_" + "".join(s.name * n for s, n in spec)
            value = _value_at(derivative, at, label)
            factorial = math.prod(math.factorial(n) for n in index)
            coefficient = _tidy(value / factorial)
            base = sympy.Mul(*[(s - at[s]) ** n for s, n in zip(xs, index)])
            terms.append(TaylorTerm(k, index, f"{label}(a)", derivative, value, factorial,
                                    coefficient, coefficient * base, base))
    return terms


def _multi_indices(n: int, k: int):
    """All α with n entries summing to k, x-first (x², xy, y² for n = 2, k = 2)."""
    if n == 1:
        yield (k,)
        return
    for first in range(k, -1, -1):
        for rest in _multi_indices(n - 1, k - first):
            yield (first, *rest)


# ── values ───────────────────────────────────────────────────────────────────────────

def _value_at(expr: sympy.Expr, at: dict, label: str) -> sympy.Expr:
    value = _tidy(expr.subs(at))
    if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo, sympy.DiracDelta) or (
        value.is_finite is False
    ):
        where = ", ".join(f"{s.name} = {to_input(v)}" for s, v in at.items())
        raise CalcError(f"{label} is not defined at {where}, so there is no Taylor "
                        "polynomial there", hint="try another point with --at")
    if to_float(value) is None:
        where = ", ".join(f"{s.name} = {to_input(v)}" for s, v in at.items())
        raise CalcError(f"{label} has no real value at {where}",
                        hint="try a point inside the function's domain with --at")
    return value


def _tidy(value: sympy.Expr) -> sympy.Expr:
    if value.is_Rational or value.is_Atom:
        return value
    if sympy.count_ops(value) > 60:
        return value
    simpler = sympy.simplify(value)
    return simpler if sympy.count_ops(simpler) <= sympy.count_ops(value) else value


def _tidy_number(value: sympy.Expr) -> sympy.Expr:
    """A series coefficient, with common factors taken out (e*cos(1) + e*sin(1) as
    e*(sin(1) + cos(1))); no general simplification, which can take seconds here."""
    if value.is_Rational or value.is_Atom:
        return value
    tidier = sympy.factor_terms(value)
    return tidier if sympy.count_ops(tidier) <= sympy.count_ops(value) else value


def _eval_points(text: str | None, names: list[str], center: dict) -> list[dict]:
    from calctutor.points import parse_point

    if text is None:
        steps = (sympy.Rational(1, 10), sympy.Rational(1, 2), sympy.Integer(1))
        return [{n: center[n] + h for n in names} for h in steps]
    if len(names) == 1:
        chunks = split(text.replace(";", ","), ",")
    else:
        chunks = [c for c in (p.strip() for p in text.split(";")) if c]
    if not chunks:
        raise CalcError("--eval is empty; give points such as --eval 0.1,1")
    points = [parse_point(c, names) for c in chunks]
    for point in points:
        missing = [n for n in names if n not in point]
        if missing:
            raise CalcError(f"--eval gives no value for {', '.join(missing)}",
                            hint=f"the function's variables are {', '.join(names)}")
    return points


def _row(f, symbols, center, terms, order, top, point) -> ErrorRow:
    at = {s: point[s.name] for s in symbols}
    exact_value = f.subs(at)
    partial, running = [], sympy.Integer(0)
    for k in range(order + 1):
        running += sympy.Add(*[t.term for t in terms if t.k == k]).subs(at)
        partial.append(running)
    approx_value = partial[-1]
    exact = to_float(exact_value)
    approx = to_float(approx_value)
    error = to_float(exact_value - approx_value) if exact is not None else None
    bound = None
    if top is not None:
        bound = _lagrange_bound(top, symbols[0], center[symbols[0].name], at[symbols[0]], order)
    return ErrorRow(dict(point), approx, exact, error, bound,
                    tuple(to_float(p) for p in partial))


def _lagrange_bound(top: sympy.Expr, x: sympy.Symbol, a, b, order: int) -> float | None:
    """max |f^(n+1)| on [a, b] (sampled) × |b − a|^(n+1) / (n+1)!."""
    lo, hi = to_float(a), to_float(b)
    if lo is None or hi is None or top.has(sympy.DiracDelta):
        return None
    if lo == hi:
        return 0.0
    xs = np.linspace(min(lo, hi), max(lo, hi), BOUND_SAMPLES)
    try:
        values = np.abs(evaluate(top, x, xs))
    except Exception:  # noqa: BLE001 - a function NumPy cannot evaluate: no bound
        return None
    if not np.all(np.isfinite(values)):
        return None
    peak = float(values.max())
    bound = peak * abs(hi - lo) ** (order + 1) / math.factorial(order + 1)
    return bound if math.isfinite(bound) else None


# ── the plot: f and its Taylor polynomials of rising order ───────────────────────────

def plot_orders(order: int) -> list[int]:
    """Which orders to draw: all up to 5, else a spread ending at ``order``."""
    if order <= 5:
        return list(range(order + 1)) if order <= 2 else list(range(1, order + 1))
    picks = sorted({1, 2, 3, order // 2, order})
    return picks


def _figure(f, x, a, terms, order, table, plot_range) -> Figure:
    a_f = to_float(a) or 0.0
    reach = max([2.0] + [1.25 * abs((to_float(r.point[x.name]) or a_f) - a_f) for r in table])
    lo, hi = parse_range(plot_range, (a_f - reach, a_f + reach))
    xs = sample_grid(lo, hi, 401, extra=(a_f,))
    ys = evaluate(f, x, xs)
    ylim, _ = robust_ylim([ys], pad=0.25)
    series = [Series(f"f(x) = {to_input(f)}", xs, ys)]
    sums = np.zeros_like(xs)
    running = {}
    for t in terms:
        sums = sums + evaluate(t.term, x, xs)
        running[t.k] = sums.copy()
    for k in plot_orders(order):
        series.append(Series(f"order {k}", xs, running[k]))
    return Figure(f"Taylor polynomials of {to_input(f)} at {x.name} = {to_input(a)}", series,
                  xlabel=x.name, xlim=(lo, hi), ylim=ylim,
                  notes=["higher orders hug f over a wider interval around the centre"])
