"""Random points for the numeric witness, spread across the whole real line.

Why the spread matters: drawing only x > 0 would accept 1 as the derivative of relu,
and drawing only small |x| would miss a wrong sign in a term that dominates far out.
Each variable takes values of both signs at several scales. Points are exact binary
fractions, so the same point can be evaluated in float64 and in high precision.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import sympy

#: (low, high, share) magnitude bands; signs are drawn separately.
_BANDS = ((0.05, 0.5, 0.2), (0.5, 2.5, 0.5), (2.5, 6.0, 0.2), (6.0, 15.0, 0.1))


def draw(variables: list[str], count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``count`` random points: {variable: array of float64 values}, both signs, many scales."""
    points: dict[str, np.ndarray] = {}
    shares = np.array([b[2] for b in _BANDS])
    for name in variables:
        band = rng.choice(len(_BANDS), size=count, p=shares / shares.sum())
        low = np.array([_BANDS[i][0] for i in band])
        high = np.array([_BANDS[i][1] for i in band])
        magnitude = low + (high - low) * rng.random(count)
        sign = np.where(rng.random(count) < 0.5, -1.0, 1.0)
        # round to a multiple of 2^-20: exact in binary, and away from 0, ±1, ±1/2 exactly
        values = np.round(sign * magnitude * 2.0**20) / 2.0**20
        points[name] = values
    return points


def draw_positive(variables: list[str], count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Points with every variable positive: a second try when the domain is x > 0."""
    points = draw(variables, count, rng)
    return {k: np.abs(v) for k, v in points.items()}


def draw_integer_exponents(variables: list[str], exponent_vars: set[str], count: int,
                           rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Ordinary points, but variables that sit in exponents take whole-number values.

    (-1)^n is real only for whole n: without this draw, (-1)^n cos(x)^n has no real
    points at all and the witness could not say anything.
    """
    points = draw(variables, count, rng)
    for name in exponent_vars & set(variables):
        points[name] = rng.integers(-6, 7, size=count).astype(float)
    return points


#: Exact values for branch-sensitive identities: negative bases with whole or half
#: exponents are where (a^b)^c = a^(bc) and sqrt(ab) = sqrt(a) sqrt(b) break.
SPECIAL_VALUES = (-3.0, -2.0, -0.5, 0.5, 2.0, 3.0)


def special_points(variables: list[str], count: int, rng: np.random.Generator) -> list[dict[str, float]]:
    """A few points with every variable at a small special value."""
    return [{name: float(rng.choice(SPECIAL_VALUES)) for name in variables} for _ in range(count)]


# ── Landmarks: where to look, read from the expressions themselves ───────────────────
#
# A wrong answer can hide anywhere a fixed box does not reach: past a far kink
# (abs(x - 50)), beyond a far domain edge (ln(x - 100)), inside a narrow bump
# (exp(-10^6 x^2)). So the points come from the expressions: every kink, pole and domain
# edge of every sub-expression (which functions have them is read from the primitives
# table), solved for the variable where possible; the critical points of the arguments of
# smooth functions (where a narrow bump peaks); and the magnitudes of the constants.

#: how many landmarks of one variable are kept (nearest to 0 first)
MAX_LANDMARKS = 40
#: offsets around a landmark, log-uniform from this fraction of its scale upwards
TINY = 1e-8


@dataclass(frozen=True)
class Landmarks:
    """What the expressions say about where to sample one variable."""

    boundaries: tuple[sympy.Expr, ...]  # exact kinks, poles, domain edges (region ends)
    centres: tuple[float, ...]  # boundaries plus critical points of arguments, plus 0
    scale: float  # the largest magnitude that matters: constants and landmarks
    smallest: float  # the smallest positive constant (sets how close to look)
    solved: tuple = field(default=())  # (expression in the other variables) roots


def _row_edges(row, args: list[sympy.Expr]) -> list[sympy.Expr]:
    """The row's domain edges and kinks instantiated at ``args``: expressions whose zeros
    are where the function (or its derivative) stops being defined or smooth.

    Reads the row's machine-readable ``conditions`` / ``derivative_conditions`` /
    ``kinks`` when the table has them, else its ``domain`` text.
    """
    from calctutor.rules import U, V, formula

    mapping = {U: args[0]}
    if len(args) > 1:
        mapping[V] = args[1]
    texts: list[str] = []
    ties = False
    structured = False
    for attr in ("conditions", "derivative_conditions"):
        for cond in getattr(row, attr, ()) or ():
            structured = True
            texts.append(cond.expr)
    for kink in getattr(row, "kinks", ()) or ():
        structured = True
        if getattr(kink, "ties", False):
            ties = True
        elif kink.where:
            texts.append(kink.where)
    if not structured:
        fallback, ties = _domain_text_edges(row.domain)
        texts += fallback
    edges: list[sympy.Expr] = []
    for text in texts:
        try:
            edges.append(formula(text).xreplace(mapping))
        except Exception:  # noqa: BLE001 - a table formula we cannot read adds no landmark
            continue
    if ties and len(args) > 1:
        edges += [a - b for i, a in enumerate(args) for b in args[i + 1:]]
    return edges


_RELATION = re.compile(r"(?<![A-Za-z0-9.|(\-])(?=((?:[a-z]+\()?\|?-?[a-z0-9.]+\|?\)?)\s*(<=|>=|!=|<|>|=)\s*((?:[a-z]+\()?-?[a-z0-9.]+\)?))")


def _domain_text_edges(text: str) -> tuple[list[str], bool]:
    """Edge formulas from a row's domain text ("-1 <= u <= 1", "cos(u) != 0",
    "derivative undefined at u = 0"): for each relation ``a REL b``, ``a - b``."""
    if not text or text == "all real numbers":
        return [], False
    ties = "tie" in text
    found: list[str] = []
    for lhs, _rel, rhs in _RELATION.findall(text):
        lhs, rhs = (_balanced(s.replace("|u|", "abs(u)")) for s in (lhs, rhs))
        if "u" not in lhs + rhs and "v" not in lhs + rhs:
            continue
        found.append(f"({lhs}) - ({rhs})")
    if not found and not ties:
        found.append("u")
    return found, ties


def _balanced(text: str) -> str:
    while text.count(")") > text.count("(") and text.endswith(")"):
        text = text[:-1]
    return text


def edges_of(exprs: list[sympy.Expr]) -> tuple[list[sympy.Expr], list[sympy.Expr]]:
    """(edges, smooth arguments) of every sub-expression.

    Edges: kinks, domain edges and poles (zeros of: table rows' condition and kink
    formulas at their arguments, denominators, bases of roots and of variable powers).
    Smooth arguments: the non-linear arguments of every other function, whose critical
    points are where a narrow bump sits.
    """
    edges: list[sympy.Expr] = []
    bumps: list[sympy.Expr] = []
    for expr in exprs:
        e, b = _edges_one(expr)
        edges += e
        bumps += b
    return _unique(edges), _unique(bumps)


@lru_cache(maxsize=1024)
def _edges_one(expr: sympy.Expr) -> tuple[tuple, tuple]:
    """:func:`edges_of` for one expression, cached."""
    from calctutor.rules import row_for

    edges: list[sympy.Expr] = []
    bumps: list[sympy.Expr] = []
    for node in sympy.preorder_traversal(expr):
        if node.is_Atom or not node.free_symbols:
            continue
        if node.is_Pow:
            base, exp = node.args
            if not base.free_symbols:
                if exp.free_symbols:
                    bumps.append(exp)
                continue
            if exp.is_number and exp.is_Integer and exp > 0:
                continue
            edges.append(base)  # pole (negative power), root's domain edge, or u > 0
            continue
        if node.is_Add or node.is_Mul:
            continue
        row = row_for(node)
        if row is not None:
            found = _row_edges(row, list(node.args))
            edges += found
            if not found:
                bumps += [a for a in node.args if a.free_symbols]
        elif isinstance(node, sympy.Function):
            bumps += [a for a in node.args if a.free_symbols]
    return tuple(_unique(edges)), tuple(_unique(bumps))


def _unique(items: list[sympy.Expr]) -> list[sympy.Expr]:
    seen: dict[sympy.Expr, None] = {}
    for item in items:
        if item.free_symbols:
            seen.setdefault(item, None)
    return list(seen)


def _constants(exprs: list[sympy.Expr]) -> list[float]:
    values = []
    for expr in exprs:
        for atom in expr.atoms(sympy.Number):
            try:
                v = abs(float(atom))
            except (TypeError, ValueError, OverflowError):
                continue
            if v and math.isfinite(v):
                values.append(v)
    return values


def _exact_roots(expr: sympy.Expr, var: sympy.Symbol) -> list[sympy.Expr] | None:
    """Real zeros (and poles) of a univariate expression, exactly, when it is a polynomial
    or rational function of low degree; None when that does not apply."""
    slope = sympy.diff(expr, var)
    if slope.is_number:  # linear: one root, exactly
        return [] if slope == 0 else [-expr.xreplace({var: 0}) / slope]
    try:
        num, den = sympy.fraction(sympy.together(expr))
        roots: list[sympy.Expr] = []
        for part in (num, den):
            if not part.free_symbols:
                continue
            if not part.is_polynomial(var):
                return None
            poly = sympy.Poly(part, var)
            if poly.degree() > 8 or not all(c.is_number for c in poly.all_coeffs()):
                return None
            if not all(c.is_Rational for c in poly.all_coeffs()):
                # irrational coefficients: numeric roots are fine as sampling landmarks
                for r in sympy.Poly(poly.as_expr().evalf(30), var).nroots(n=30):
                    if abs(sympy.im(r)) < 1e-20:
                        roots.append(sympy.Float(sympy.re(r), 30))
                continue
            for r in poly.real_roots():
                roots.append(r if r.is_Rational else sympy.nsimplify(r) if _surd(r) else r)
        return roots
    except (sympy.PolynomialError, TypeError, ValueError, NotImplementedError):
        return None


def _surd(r: sympy.Expr) -> bool:
    return not isinstance(r, sympy.CRootOf)


def _numeric_roots(expr: sympy.Expr, var: str, span: float) -> list[float]:
    """Sign changes of a univariate expression on a log grid out to ``span``, bisected."""
    from calctutor.grading.floats import evaluate

    mags = np.geomspace(TINY, span, 1500)
    grid = np.concatenate([-mags[::-1], [0.0], mags])
    with np.errstate(all="ignore"):
        values = evaluate(expr, {var: grid})
    finite = np.isfinite(values)
    s = np.sign(values)
    change = np.flatnonzero(finite[:-1] & finite[1:] & (s[:-1] * s[1:] < 0))
    # a jump between finite values and undefined ones is a domain edge too
    edge = np.flatnonzero(finite[:-1] != finite[1:])
    candidates = np.concatenate([change, edge])
    candidates = candidates[np.argsort(np.abs(grid[candidates]), kind="stable")][:MAX_LANDMARKS]
    if not len(candidates):
        return []
    lo, hi = grid[candidates].copy(), grid[candidates + 1].copy()
    sign_lo = s[candidates]
    finite_lo = finite[candidates]
    is_change = np.isin(candidates, change)
    for _ in range(55):  # every bracket bisected at once
        mid = 0.5 * (lo + hi)
        with np.errstate(all="ignore"):
            fm = evaluate(expr, {var: mid})
        fin = np.isfinite(fm)
        same = np.where(is_change, ~fin | (np.sign(fm) == sign_lo), fin == finite_lo)
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
    return [float(v) for v in 0.5 * (lo + hi)]


def landmarks(exprs: list[sympy.Expr], var: str, names: list[str], budget: float = 0.3) -> Landmarks:
    """The landmarks of ``var`` in the expressions (see the section comment above)."""
    import time

    from calctutor.errors import ComputationTimeout
    from calctutor.parsing.builder import symbol
    from calctutor.timeouts import time_limit

    start = time.perf_counter()
    x = symbol(var)
    edges, bumps = edges_of(exprs)
    constants = _constants(exprs)
    scale = max([15.0] + constants)
    smallest = min([0.05] + [c for c in constants if c > 0])
    boundaries: list[sympy.Expr] = []
    floats: list[float] = []
    centres: list[float] = [0.0]
    solved = []
    for kind, items in (("edge", edges), ("bump", bumps)):
        for item in items:
            target = item if kind == "edge" else sympy.diff(item, x)
            if x not in target.free_symbols:
                continue
            # past the budget only the landmarks solved at once are still found (a bump
            # exp(-k(x - c)^2) has the linear edge x = c): a loaded machine must not lose them
            if time.perf_counter() - start > budget and not _linear_or_quadratic(target, x):
                continue
            if target.free_symbols != {x}:
                if kind == "edge":
                    solved += _solve_for(target, x, budget / 4)
                continue
            try:
                values = _roots_of(target, x, var, 100 * scale,
                                   max(0.05, budget - (time.perf_counter() - start)))
            except ComputationTimeout:
                values = []
            for r, v in values:
                if not math.isfinite(v):
                    continue
                centres.append(v)
                if kind == "edge" and all(abs(v - f) > 1e-12 * max(1.0, abs(v)) for f in floats):
                    floats.append(v)
                    boundaries.append(r if r is not None else sympy.Float(v, 17))
    # exact landmarks (kinks and edges solved exactly) are all kept; landmarks found
    # numerically (the poles of tan, say: infinitely many) fill up to MAX_LANDMARKS more
    exact_ones = [i for i in range(len(floats)) if not isinstance(boundaries[i], sympy.Float)]
    numeric_ones = [i for i in range(len(floats)) if isinstance(boundaries[i], sympy.Float)]
    order = (sorted(exact_ones, key=lambda i: abs(floats[i]))[:MAX_LANDMARKS]
             + sorted(numeric_ones, key=lambda i: abs(floats[i]))[:MAX_LANDMARKS])
    keep = sorted(order, key=lambda i: floats[i])
    boundaries = [boundaries[i] for i in keep]
    kept = [floats[i] for i in keep]
    centres = sorted(set(centres), key=abs)[: 2 * MAX_LANDMARKS]
    scale = max([scale] + [abs(v) for v in kept])
    return Landmarks(tuple(boundaries), tuple(centres), scale, smallest, tuple(solved))


def _linear_or_quadratic(target: sympy.Expr, x: sympy.Symbol) -> bool:
    try:
        return bool(target.is_polynomial(x) and sympy.degree(target, x) <= 2)
    except (sympy.PolynomialError, TypeError, ValueError):
        return False


_ROOTS: dict = {}


def _roots_of(target: sympy.Expr, x: sympy.Symbol, var: str, span: float,
              seconds: float) -> list[tuple[sympy.Expr | None, float]]:
    """(exact root or None, float root) of a univariate edge; cached per edge, since a
    batch or a diagnosis asks about the same expressions again and again."""
    from calctutor.timeouts import time_limit

    key = (target, var, span)
    if key in _ROOTS:
        return _ROOTS[key]
    exact = _exact_roots(target, x)
    if exact is None:
        with time_limit(seconds, "finding landmarks"):
            values = [(None, r) for r in _numeric_roots(target, var, span)]
    else:
        values = []
        for r in exact:
            try:
                values.append((r, float(r)))
            except (TypeError, ValueError):
                continue
    if len(_ROOTS) > 4096:
        _ROOTS.clear()
    _ROOTS[key] = values
    return values


def _solve_for(edge: sympy.Expr, x: sympy.Symbol, budget: float) -> list[sympy.Expr]:
    """Roots of a multivariate edge for x, in the other variables (low degree only)."""
    from calctutor.errors import ComputationTimeout
    from calctutor.timeouts import time_limit

    try:
        num = sympy.fraction(sympy.together(edge))[0]
        if not num.is_polynomial(x) or sympy.degree(num, x) > 2:
            return []
        with time_limit(max(0.01, budget), "solving a landmark"):
            return [r for r in sympy.solve(num, x) if r.free_symbols]
    except (ComputationTimeout, NotImplementedError, TypeError, ValueError, sympy.PolynomialError):
        return []


def _log_uniform(low: float, high: float, count: int, rng: np.random.Generator) -> np.ndarray:
    return np.exp(rng.uniform(math.log(low), math.log(high), size=count))


def draw_landmarks(marks: Landmarks, count: int, rng: np.random.Generator) -> np.ndarray:
    """Values of one variable: around every landmark, inside every region, and far out."""
    parts: list[np.ndarray] = []
    far = 100.0 * marks.scale
    near = min(TINY, marks.smallest * TINY)
    # log-uniform magnitudes over the whole range the constants set, both signs
    parts.append(_log_uniform(min(1e-3, marks.smallest), far, count, rng) * rng.choice([-1.0, 1.0], count))
    # around each landmark: offsets from tiny to far, both sides
    per = max(6, count // max(1, len(marks.centres)) // 2)
    per = min(per, 24)
    for c in marks.centres:
        width = max(1.0, abs(c))
        offsets = _log_uniform(near * width, far, per, rng)
        sides = np.where(np.arange(per) % 2 == 0, -1.0, 1.0)
        parts.append(c + sides * offsets)
    # inside each bounded region between boundaries: uniform, and close to both ends
    ends = [float(b) for b in marks.boundaries]
    for lo, hi in zip(ends, ends[1:]):
        width = hi - lo
        if width <= 0:
            continue
        parts.append(lo + width * rng.uniform(0.02, 0.98, size=4))
        frac = _log_uniform(1e-9, 0.5, 4, rng)
        parts.append(np.concatenate([lo + width * frac, hi - width * frac]))
    values = np.concatenate(parts)
    values = values[np.isfinite(values)]
    return values


def region_index(marks: Landmarks, values: np.ndarray) -> np.ndarray:
    """Which region (between consecutive boundaries) each value lies in: 0 … len."""
    ends = np.array([float(b) for b in marks.boundaries])
    return np.searchsorted(ends, values)


#: a union of more pieces than this is not put into words
MAX_PIECES = 3


def describe_regions(marks: Landmarks, var: str, chosen: list[int],
                     cuts: frozenset[int] = frozenset()) -> str | None:
    """Words for a union of regions, printed with the one printer: "x > 0",
    "x < -1 or x > 1", "-20 < x < 20", "all x"; None when that would not be readable
    (more than MAX_PIECES pieces, or landmarks too close to print apart). Adjacent
    regions are merged except across the boundaries numbered in ``cuts`` (points that
    are themselves excluded): "x < 0 or x > 0" is said "x != 0"."""
    from calctutor.parsing import to_input

    count = len(marks.boundaries) + 1
    chosen_set = sorted(set(chosen))
    if not chosen_set:
        return "nowhere"
    runs: list[tuple[int, int]] = []
    for r in chosen_set:
        if runs and runs[-1][1] == r - 1 and (r - 1) not in cuts:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))

    def show(b: sympy.Expr) -> str:
        if isinstance(b, sympy.Float) or isinstance(b, sympy.CRootOf):
            return f"{float(b):.6g}"
        return to_input(b)

    if len(runs) > MAX_PIECES:
        return None
    pieces = []
    for lo, hi in runs:
        left = None if lo == 0 else show(marks.boundaries[lo - 1])
        right = None if hi == count - 1 else show(marks.boundaries[hi])
        if left is None and right is None:
            pieces.append(f"all {var}")
        elif left is None:
            pieces.append(f"{var} < {right}")
        elif right is None:
            pieces.append(f"{var} > {left}")
        else:
            if left == right:
                return None  # landmarks too close to tell apart in words
            pieces.append(f"{left} < {var} < {right}")
    if len(pieces) == 2 and len(runs) == 2 and runs[0][0] == 0 and runs[1][1] == count - 1 \
            and runs[1][0] == runs[0][1] + 1:
        return f"{var} != {show(marks.boundaries[runs[0][1]])}"
    return " or ".join(pieces)
