"""The numeric witness: compare values at points chosen from the expressions themselves.

Algorithm:
1. Where to look comes from the expressions (:func:`calctutor.grading.sampling.landmarks`):
   every kink, pole and domain edge of the function, the expected derivative and the
   answer, solved for the variable; the critical points of smooth functions' arguments
   (narrow bumps); magnitudes log-uniform out to far past the largest constant; plus the
   old box 0.05 <= |x| <= 15. The landmarks cut the line into regions.
2. Only points where the function and the expected value are defined count (the
   domain). Where the answer is undefined although the expected value exists, and a
   50-digit evaluation confirms it, the answer is right at most on part of the domain:
   ``agrees_on`` names that part. An answer also defined outside the domain is noted.
3. Screen in float64 with a loose tolerance. Every point that looks different is
   re-evaluated in 50-digit arithmetic (:mod:`calctutor.grading.precise`); one confirmed
   difference is a counterexample.
4. With no counterexample, confirm agreement in 50-digit arithmetic at spread-out points
   and in every region. "equal" needs agreement in every region of the domain; a region
   with too few points where both are defined leaves the witness "unknown", naming it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import sympy

from calctutor.grading import precise, sampling
from calctutor.grading.floats import evaluate
from calctutor.grading.symbolic import DIFFERENT, EQUAL, UNKNOWN

POINTS = 48  # box points (the old fixed box stays in the mix)
LANDMARK_POINTS = 160  # points drawn around landmarks and across scales
MIN_VALID = 8  # fewer valid points than this: the witness abstains
MIN_PER_REGION = 3  # agreeing points a region of the domain needs
MAX_REGION_CONFIRM = 8  # regions that get their own high-precision confirmation
CONFIRM = 4  # high-precision confirmations of agreement at spread-out points
SUSPICIOUS = 16  # float64 differences re-checked in high precision
UNDEFINED_CHECKS = 6  # points where only the answer is undefined, re-checked
SCREEN_RTOL = 1e-7
SCREEN_ATOL = 1e-9


@dataclass(frozen=True)
class Counterexample:
    point: dict[str, float]
    expected: float
    answer: float  # NaN when the answer is undefined there


@dataclass(frozen=True)
class NumericFinding:
    status: str  # equal | different | unknown
    points: int  # valid points compared in float64
    confirmed: int  # points checked in 50-digit arithmetic
    counterexample: Counterexample | None
    note: str
    seconds: float
    positive_only: bool = False
    #: the answer is undefined on part of the domain; where it is defined (and agrees)
    agrees_on: str | None = None
    #: the domain the comparison covered, in words ("x > 0"), single-variable only
    domain: str | None = None
    #: where the answer is defined although the function / expected value is not
    beyond: str | None = None
    #: a region of the domain where agreement could not be confirmed
    unconfirmed: str | None = None
    #: the answer is undefined at a point where the expected value exists
    undefined_answer: bool = False
    #: where (in words) the answer is undefined although the expected value exists
    undefined_on: str | None = None
    #: several variables: a point where only the answer is undefined (graded elsewhere)
    undefined_at: dict[str, float] | None = None
    samples: tuple[dict[str, float], ...] = ()  # a few points of the domain


FloatValues = Callable[[dict[str, np.ndarray]], np.ndarray]


def compare(
    expected: sympy.Expr,
    answer: sympy.Expr,
    variables: list[str],
    *,
    expected_values: FloatValues | None = None,
    function: sympy.Expr | None = None,
    seed: int = 20261123,
    budget: float = 2.0,
    branch_points: bool = False,
) -> NumericFinding:
    """Decide numerically whether ``answer`` equals ``expected`` on the domain.

    The domain is where ``expected`` (and ``function``, when given: the function whose
    derivative ``expected`` is) is defined. ``expected_values`` computes the expected
    float64 values directly (for derivatives: the autodiff engine's exact values); by
    default ``expected`` is evaluated. ``branch_points`` also tries exact special points
    (negative bases, whole and half exponents) where identities such as
    (a^b)^c = a^(bc) fail — used for equivalence.
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    names = sorted(set(variables))
    expected_fn = expected_values or (lambda pts: evaluate(expected, pts))
    extra: dict = {}

    def finish(status, valid, confirmed, counter, note, positive=False):
        return NumericFinding(status, valid, confirmed, counter, note,
                              time.perf_counter() - start, positive, **extra)

    if not names:
        return _compare_constants(expected, answer, finish)

    exprs = [expected, answer] + ([function] if function is not None else [])
    marks = {n: sampling.landmarks(exprs, n, names, budget=min(0.3, budget / 4)) for n in names}
    exponent_vars = _exponent_variables(expected) | _exponent_variables(answer)
    pts = _draw(names, marks, exponent_vars, rng)
    e_vals = _safe(expected_fn, pts)
    a_vals = _safe(lambda p: evaluate(answer, p), pts)
    f_ok = (np.isfinite(_safe(lambda p: evaluate(function, p), pts)) if function is not None
            else np.ones(len(e_vals), bool))
    domain = np.isfinite(e_vals) & f_ok
    positive_only = False
    if domain.sum() < MIN_VALID:
        # a second try with every variable positive (and whole-number exponents)
        more = {n: np.abs(v) for n, v in _draw(names, marks, exponent_vars, rng).items()}
        pts = {n: np.concatenate([pts[n], more[n]]) for n in names}
        e_vals = _safe(expected_fn, pts)
        a_vals = _safe(lambda p: evaluate(answer, p), pts)
        f_ok = (np.isfinite(_safe(lambda p: evaluate(function, p), pts)) if function is not None
                else np.ones(len(e_vals), bool))
        domain = np.isfinite(e_vals) & f_ok
        positive_only = bool(domain.sum()) and all(
            (pts[n][domain] > 0).all() for n in names)
    a_ok = np.isfinite(a_vals)
    both = domain & a_ok
    single = marks[names[0]] if len(names) == 1 else None
    regions = sampling.region_index(single, pts[names[0]]) if single is not None else None
    if single is not None:
        in_domain = _regions_with(regions, domain, len(single.boundaries) + 1)
        extra["domain"] = (sampling.describe_regions(single, names[0], in_domain,
                                                     _excluded(single, names[0], expected, function))
                           if in_domain else None)
    confirmed = 0

    def point_at(i) -> dict[str, float]:
        return {n: float(pts[n][i]) for n in names}

    def at(i) -> tuple[dict[str, float], sympy.Float, sympy.Float] | None:
        """The point and both 50-digit values there, or None where either is undefined."""
        point = point_at(i)
        pe, pa = precise.value_at(expected, point), precise.value_at(answer, point)
        return None if pe is None or pa is None else (point, pe, pa)

    # 1. float64 differences at points where both are defined, confirmed in high precision
    index = np.flatnonzero(both)
    valid = len(index)
    spread = index[np.linspace(0, max(valid - 1, 0), num=min(8, valid)).astype(int)] if valid else []
    extra["samples"] = tuple(point_at(i) for i in spread)  # for the symbolic witness
    e_b, a_b = e_vals[index], a_vals[index]
    with np.errstate(over="ignore", invalid="ignore"):  # huge values: inf gaps are flagged
        scale = np.maximum(1.0, np.maximum(np.abs(e_b), np.abs(a_b)))
        gap = np.abs(e_b - a_b)
        flagged = gap > SCREEN_ATOL * scale + SCREEN_RTOL * np.maximum(np.abs(e_b), np.abs(a_b))
        order = np.argsort(-(gap / scale))
    suspicious = [index[k] for k in order if flagged[k]]
    unresolved = 0
    for i in _spread_by_region(suspicious, regions)[:SUSPICIOUS]:
        if time.perf_counter() - start > budget:
            unresolved += 1
            break
        found = at(i)
        if found is None:
            continue
        confirmed += 1
        point, pe, pa = found
        if not precise.agree(pe, pa) and precise.differ(expected, answer, point):
            return finish(DIFFERENT, valid, confirmed,
                          _nicer_difference(expected, answer, function, point, pe, pa, marks),
                          "a confirmed counterexample", positive_only)

    # 2. the answer undefined where the expected value exists: right only on part of it
    missing = np.flatnonzero(domain & ~a_ok)
    if len(missing):
        ordered = [missing[k] for k in np.argsort(_plainness(pts, names, missing), kind="stable")]
        for i in _spread_by_region(ordered, regions)[:UNDEFINED_CHECKS]:
            if time.perf_counter() - start > budget:
                break
            point = point_at(i)
            pe = precise.value_at(expected, point)
            if pe is None or (function is not None and precise.value_at(function, point) is None):
                continue
            if precise.value_at(answer, point) is not None:
                continue
            confirmed += 1
            if single is None:
                # several variables: the region cannot be named, so the answer is graded
                # where both are defined, and a note names a point where it is not
                extra["undefined_at"] = _nicer_undefined(expected, answer, function, point, pe, marks).point
                break
            extra["undefined_answer"] = True
            extra["agrees_on"], extra["undefined_on"] = _agreeing_regions(
                single, names[0], regions, domain, both)
            return finish(DIFFERENT, valid, confirmed,
                          _nicer_undefined(expected, answer, function, point, pe, marks),
                          "your answer is undefined at a point where the value exists",
                          positive_only)

    if valid < MIN_VALID:
        return finish(UNKNOWN, valid, confirmed, None,
                      f"only {valid} of the points tried were inside the domain of both expressions")

    # 3. agreement everywhere in float64: confirm at spread-out points in high precision,
    #    and in every region of the domain
    agreed = 0
    by_size = index[np.argsort(np.abs(pts[names[0]][index]))]
    picks = [by_size[int(k)] for k in np.linspace(0, valid - 1, num=min(CONFIRM * 2, valid))]
    wanted = CONFIRM
    if regions is not None:
        firsts = _spread_by_region(list(index), regions, first_only=True)[:MAX_REGION_CONFIRM]
        picks = firsts + picks
        wanted = max(CONFIRM, len(firsts))
    for i in picks:
        if agreed >= wanted or time.perf_counter() - start > budget:
            break
        found = at(i)
        if found is None:
            continue
        confirmed += 1
        point, pe, pa = found
        if not precise.agree(pe, pa) and precise.differ(expected, answer, point):
            return finish(DIFFERENT, valid, confirmed, Counterexample(point, float(pe), float(pa)),
                          "a difference too small for float64, confirmed in 50-digit arithmetic",
                          positive_only)
        agreed += 1
    if suspicious and agreed == 0:
        return finish(UNKNOWN, valid, confirmed, None, "float64 and high precision disagree")
    if unresolved:
        return finish(UNKNOWN, valid, confirmed, None,
                      f"{len(suspicious)} points looked different in float64 and not all could "
                      "be checked in high precision")
    if branch_points and (exponent_vars or _has_roots(expected, answer)):
        special = sampling.special_points(names, 12, rng)
        arrays = {n: np.array([p[n] for p in special]) for n in names}
        # real semantics: a point counts only if every intermediate value is real, which
        # is exactly when the float64 evaluation (NaN for non-real steps) is finite
        ok = np.isfinite(_safe(expected_fn, arrays)) & np.isfinite(_safe(lambda p: evaluate(answer, p), arrays))
        for i in np.flatnonzero(ok):
            point = special[i]
            if time.perf_counter() - start > budget:
                break
            pe, pa = precise.value_at(expected, point), precise.value_at(answer, point)
            if pe is None or pa is None:
                continue
            confirmed += 1
            if not precise.agree(pe, pa) and precise.differ(expected, answer, point):
                return finish(DIFFERENT, valid, confirmed, Counterexample(point, float(pe), float(pa)),
                              "a counterexample at a special point", positive_only)

    if single is not None:
        count = len(single.boundaries) + 1
        dom_r = np.bincount(regions[domain], minlength=count)
        both_r = np.bincount(regions[both], minlength=count)
        total_r = np.bincount(regions, minlength=count)
        beyond = _regions_with(regions, ~domain & a_ok, count, at_least=2)
        beyond = [r for r in beyond if dom_r[r] == 0]
        if beyond:
            extra["beyond"] = sampling.describe_regions(single, names[0], beyond)
        weak = [r for r in range(count)
                if dom_r[r] >= max(2, 0.25 * total_r[r]) and both_r[r] < MIN_PER_REGION]
        if weak:
            where = sampling.describe_regions(single, names[0], weak)
            extra["unconfirmed"] = where
            return finish(UNKNOWN, valid, confirmed, None,
                          "too few points where both are defined to confirm agreement "
                          + (f"for {where}" if where else f"in {len(weak)} regions of the domain"),
                          positive_only)
    note = f"equal at {valid} points"
    if single is not None and len(single.boundaries):
        regions_used = len(set(regions[both].tolist()))
        note += f" in {regions_used} region{'s' if regions_used != 1 else ''}"
    if agreed:
        note += f", {agreed} of them confirmed to 50 digits"
    if positive_only:
        note += " (only positive values were inside the domain)"
    return finish(EQUAL, valid, confirmed, None, note, positive_only)


def _draw(names: list[str], marks: dict, exponent_vars: set[str],
          rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Points for every variable: landmark draws plus the box, same length for all."""
    columns = {}
    for n in names:
        values = np.concatenate([sampling.draw_landmarks(marks[n], LANDMARK_POINTS, rng),
                                 sampling.draw([n], POINTS, rng)[n]])
        columns[n] = values
    size = max(len(v) for v in columns.values())
    if len(names) > 1:
        columns = {n: (v if len(v) == size else rng.choice(v, size=size)) for n, v in columns.items()}
        for n in names:
            columns[n] = rng.permutation(columns[n])
        _place_on_solved(columns, names, marks, rng)
    for n in exponent_vars & set(names):
        whole = rng.random(size) < 0.3
        columns[n] = np.where(whole, rng.integers(-6, 7, size=size).astype(float), columns[n])
    return columns


def _place_on_solved(columns: dict[str, np.ndarray], names: list[str], marks: dict,
                     rng: np.random.Generator) -> None:
    """Put some points next to multivariable landmarks such as x = y or x = -y^2."""
    size = len(columns[names[0]])
    for n in names:
        for root in marks[n].solved:
            others = sorted(s.name for s in root.free_symbols)
            if not set(others) <= set(names):
                continue
            chosen = rng.choice(size, size=min(24, size), replace=False)
            try:
                where = evaluate(root, {o: columns[o][chosen] for o in others})
            except (KeyError, ValueError, TypeError):
                continue
            offsets = np.exp(rng.uniform(np.log(1e-8), np.log(10.0), len(chosen)))
            sides = np.where(rng.random(len(chosen)) < 0.5, -1.0, 1.0)
            placed = where + sides * offsets * np.maximum(1.0, np.abs(where))
            keep = np.isfinite(placed)
            columns[n][chosen[keep]] = placed[keep]


def _spread_by_region(indices: list, regions: np.ndarray | None, first_only: bool = False) -> list:
    """The indices reordered so that every region comes up early (one of each first)."""
    if regions is None:
        return list(indices)
    seen: set[int] = set()
    first, rest = [], []
    for i in indices:
        r = int(regions[i])
        (rest if r in seen else first).append(i)
        seen.add(r)
    return first if first_only else first + rest


def _regions_with(regions: np.ndarray, mask: np.ndarray, count: int, at_least: int = 1) -> list[int]:
    tally = np.bincount(regions[mask], minlength=count)
    return [r for r in range(count) if tally[r] >= at_least]


def _agreeing_regions(marks, var: str, regions: np.ndarray, domain: np.ndarray,
                      both: np.ndarray) -> tuple[str | None, str | None]:
    """Words for the regions of the domain where the answer is defined (mostly), and for
    those where it is not; (None, None) when the regions do not tell them apart."""
    count = len(marks.boundaries) + 1
    dom_r = np.bincount(regions[domain], minlength=count)
    both_r = np.bincount(regions[both], minlength=count)
    good = [r for r in range(count) if dom_r[r] and both_r[r] >= max(MIN_PER_REGION, 0.5 * dom_r[r])]
    partial = [r for r in range(count) if dom_r[r] >= 2 and r not in good]
    if not good or not partial:
        return None, None
    agrees = sampling.describe_regions(marks, var, good)
    return (agrees, sampling.describe_regions(marks, var, partial) if agrees else None)


def _rounded(point: dict[str, float], marks: dict) -> list[dict[str, float]]:
    """The point rounded to 1, 2, 3 … significant digits, never onto a landmark."""
    out = []
    for digits in range(1, 7):
        candidate = {}
        for n, v in point.items():
            r = float(f"{v:.{digits}g}")
            if any(abs(r - c) <= 1e-12 * max(1.0, abs(c)) for c in marks[n].centres):
                break
            candidate[n] = r
        else:
            if candidate != point and candidate not in out:
                out.append(candidate)
    if len(point) == 1:
        # plain numbers in the same region (between the same landmarks) as the point
        (n, v), = point.items()
        region = sampling.region_index(marks[n], np.array([v]))[0]
        plain = np.array([1.0, 2.0, 3.0, 0.5, 5.0, 10.0, 0.1, 20.0, 100.0, 1000.0])
        plain = np.concatenate([plain, -plain])
        plain = plain[np.argsort(np.abs(plain - v))]
        same = plain[sampling.region_index(marks[n], plain) == region]
        nearby = [{n: float(c)} for c in same[:3]
                  if not any(abs(c - m) <= 1e-12 * max(1.0, abs(m)) for m in marks[n].centres)]
        # a tiny or huge point reads badly: plain numbers of the same region first
        out = nearby + out if not 0.1 <= abs(v) <= 1000 else out + nearby
    return out


def _nicer_difference(expected, answer, function, point, pe, pa, marks) -> Counterexample:
    """A counterexample at a plainer point near this one, when there is one."""
    for candidate in _rounded(point, marks)[:6]:
        ce, ca = precise.value_at(expected, candidate), precise.value_at(answer, candidate)
        if ce is None or ca is None or not precise.differ(expected, answer, candidate):
            continue
        if function is not None and precise.value_at(function, candidate) is None:
            continue
        if np.isfinite(_safe(lambda p: evaluate(answer, p), {n: np.array([v]) for n, v in candidate.items()}))[0]:
            return Counterexample(candidate, float(ce), float(ca))
    return Counterexample(point, float(pe), float(pa))


def _nicer_undefined(expected, answer, function, point, pe, marks) -> Counterexample:
    """A point where the answer is undefined but the value exists, as plain as possible."""
    for candidate in _rounded(point, marks)[:6]:
        ce = precise.value_at(expected, candidate)
        if ce is None or (function is not None and precise.value_at(function, candidate) is None):
            continue
        if precise.value_at(answer, candidate) is None:
            return Counterexample(candidate, float(ce), float("nan"))
    return Counterexample(point, float(pe), float("nan"))


def _excluded(marks, var: str, expected: sympy.Expr, function: sympy.Expr | None) -> frozenset[int]:
    """Boundaries where the expected value (or the function) is itself undefined."""
    out = set()
    for k, b in enumerate(marks.boundaries[:12]):
        point = {var: float(b)}
        if precise.value_at(expected, point) is None or (
                function is not None and precise.value_at(function, point) is None):
            out.add(k)
    return frozenset(out)


def _plainness(pts: dict[str, np.ndarray], names: list[str], index: np.ndarray) -> np.ndarray:
    """How far from magnitude 1 the points are: plain points (|x| near 1) come first."""
    stacked = np.abs(np.stack([pts[n][index] for n in names]))
    with np.errstate(all="ignore"):
        logs = np.abs(np.log10(np.where(stacked > 0, stacked, 1e-300)))
    return np.max(logs, axis=0)


def _exponent_variables(expr: sympy.Expr) -> set[str]:
    """Names of variables that appear inside an exponent."""
    names: set[str] = set()
    for node in sympy.preorder_traversal(expr):
        if node.is_Pow and not node.exp.is_number:
            names |= {s.name for s in node.exp.free_symbols}
    return names


def _has_roots(*exprs: sympy.Expr) -> bool:
    """True if a power with a fractional exponent appears (square roots and kin)."""
    return any(node.is_Pow and node.exp.is_Rational and not node.exp.is_Integer
               for e in exprs for node in sympy.preorder_traversal(e))


def _compare_constants(expected, answer, finish) -> NumericFinding:
    pe, pa = precise.value_at(expected, {}), precise.value_at(answer, {})
    if pe is None or pa is None:
        return finish(UNKNOWN, 0, 0, None, "a value is undefined")
    if precise.agree(pe, pa):
        return finish(EQUAL, 1, 1, None, "equal to 50 digits")
    if not precise.differ(expected, answer, {}):
        return finish(UNKNOWN, 1, 1, None, "the two numbers did not settle in high precision")
    return finish(DIFFERENT, 1, 1, Counterexample({}, float(pe), float(pa)), "different numbers")


def _safe(fn: FloatValues, pts: dict[str, np.ndarray]) -> np.ndarray:
    """Values as a float array; anything undefined becomes NaN (dropped, never agreed on)."""
    count = len(next(iter(pts.values())))
    try:
        with np.errstate(all="ignore"):
            values = np.asarray(fn(pts))
    except (ValueError, ZeroDivisionError, OverflowError, TypeError, FloatingPointError):
        return np.full(count, np.nan)
    if np.iscomplexobj(values):
        real = np.where(np.abs(values.imag) <= 1e-12 * np.maximum(1, np.abs(values.real)), values.real, np.nan)
        values = real
    values = np.broadcast_to(values.astype(float, copy=False), (count,)).copy()
    return values


__all__ = ["compare", "NumericFinding", "Counterexample", "EQUAL", "DIFFERENT", "UNKNOWN"]
