"""The numeric witness: compare values at random points across the domain of both.

Algorithm:
1. Draw points across the whole real line (both signs, several scales) and evaluate the
   expected values and the answer in float64, vectorised. Points where either is
   undefined (NaN, ±inf, non-real) are dropped and more are drawn; NaN never counts as
   agreement.
2. Screen in float64 with a loose tolerance. Every point that looks different is
   re-evaluated in 50-digit arithmetic (:mod:`calctutor.grading.precise`); one confirmed
   difference is a counterexample.
3. With no counterexample, confirm agreement at a few spread-out points in 50-digit
   arithmetic with a tight tolerance. This is what catches ``2e10 x + 1`` against
   ``2e10 x``, which float64 cannot tell apart.
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

POINTS = 48  # float64 points per round
ROUNDS = 4  # rounds of drawing while too few points are valid
MIN_VALID = 8  # fewer valid points than this: the witness abstains
CONFIRM = 4  # high-precision confirmations of agreement
SCREEN_RTOL = 1e-7
SCREEN_ATOL = 1e-9


@dataclass(frozen=True)
class Counterexample:
    point: dict[str, float]
    expected: float
    answer: float


@dataclass(frozen=True)
class NumericFinding:
    status: str  # equal | different | unknown
    points: int  # valid points compared in float64
    confirmed: int  # points checked in 50-digit arithmetic
    counterexample: Counterexample | None
    note: str
    seconds: float
    positive_only: bool = False


FloatValues = Callable[[dict[str, np.ndarray]], np.ndarray]


def compare(
    expected: sympy.Expr,
    answer: sympy.Expr,
    variables: list[str],
    *,
    expected_values: FloatValues | None = None,
    seed: int = 20261123,
    budget: float = 2.0,
    branch_points: bool = False,
) -> NumericFinding:
    """Decide numerically whether ``answer`` equals ``expected`` where both are defined.

    ``expected_values`` computes the expected float64 values directly (for derivatives:
    the autodiff engine's exact values); by default ``expected`` is evaluated.
    ``branch_points`` also tries exact special points (negative bases, whole and half
    exponents) where identities such as (a^b)^c = a^(bc) fail — used for equivalence.
    """
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    names = sorted(set(variables))
    expected_fn = expected_values or (lambda pts: evaluate(expected, pts))

    def finish(status, valid, confirmed, counter, note, positive=False):
        return NumericFinding(status, valid, confirmed, counter, note,
                              time.perf_counter() - start, positive)

    if not names:
        return _compare_constants(expected, answer, finish)

    exponent_vars = _exponent_variables(expected) | _exponent_variables(answer)
    kept: dict[str, list[np.ndarray]] = {n: [] for n in names}
    kept_e: list[np.ndarray] = []
    kept_a: list[np.ndarray] = []
    positive_only = False
    for round_index in range(ROUNDS):
        positive_only = round_index == 2
        if round_index == 3 and exponent_vars:
            pts = sampling.draw_integer_exponents(names, exponent_vars, POINTS, rng)
            positive_only = False
        elif positive_only:
            pts = sampling.draw_positive(names, POINTS, rng)
        else:
            pts = sampling.draw(names, POINTS, rng)
        e_vals = _safe(expected_fn, pts)
        a_vals = _safe(lambda p: evaluate(answer, p), pts)
        ok = np.isfinite(e_vals) & np.isfinite(a_vals)
        for n in names:
            kept[n].append(pts[n][ok])
        kept_e.append(e_vals[ok])
        kept_a.append(a_vals[ok])
        if sum(len(v) for v in kept_e) >= MIN_VALID * 3:
            break
    pts = {n: np.concatenate(kept[n]) for n in names}
    e_vals = np.concatenate(kept_e)
    a_vals = np.concatenate(kept_a)
    valid = len(e_vals)
    if valid < MIN_VALID:
        return finish(UNKNOWN, valid, 0, None,
                      f"only {valid} random points were inside the domain of both expressions")

    scale = np.maximum(1.0, np.maximum(np.abs(e_vals), np.abs(a_vals)))
    gap = np.abs(e_vals - a_vals)
    suspicious = np.argsort(-(gap / scale))
    suspicious = [i for i in suspicious[:6] if gap[i] > SCREEN_ATOL * scale[i] + SCREEN_RTOL * max(abs(e_vals[i]), abs(a_vals[i]))]
    confirmed = 0

    def at(i) -> tuple[dict[str, float], sympy.Float, sympy.Float] | None:
        """The point and both 50-digit values there, or None where either is undefined."""
        point = {n: float(pts[n][i]) for n in names}
        pe, pa = precise.value_at(expected, point), precise.value_at(answer, point)
        return None if pe is None or pa is None else (point, pe, pa)

    for i in suspicious:
        if time.perf_counter() - start > budget:
            break
        found = at(i)
        if found is None:
            continue
        confirmed += 1
        point, pe, pa = found
        if not precise.agree(pe, pa):
            return finish(DIFFERENT, valid, confirmed, Counterexample(point, float(pe), float(pa)),
                          "a confirmed counterexample", positive_only)

    # agreement everywhere in float64: confirm at spread-out points in high precision
    agreed = 0
    order = np.argsort(np.abs(pts[names[0]]))
    picks = [order[int(k)] for k in np.linspace(0, valid - 1, num=min(CONFIRM * 2, valid))]
    for i in picks:
        if agreed >= CONFIRM or time.perf_counter() - start > budget:
            break
        found = at(i)
        if found is None:
            continue
        confirmed += 1
        point, pe, pa = found
        if not precise.agree(pe, pa):
            return finish(DIFFERENT, valid, confirmed, Counterexample(point, float(pe), float(pa)),
                          "a difference too small for float64, confirmed in 50-digit arithmetic",
                          positive_only)
        agreed += 1
    if suspicious and agreed == 0:
        return finish(UNKNOWN, valid, confirmed, None, "float64 and high precision disagree")
    if branch_points and (exponent_vars or _has_roots(expected, answer)):
        special = sampling.special_points(names, 12, rng)
        arrays = {n: np.array([p[n] for p in special]) for n in names}
        # real semantics: a point counts only if every intermediate value is real, which
        # is exactly when the float64 evaluation (NaN for non-real steps) is finite
        both = np.isfinite(_safe(expected_fn, arrays)) & np.isfinite(_safe(lambda p: evaluate(answer, p), arrays))
        for i in np.flatnonzero(both):
            point = special[i]
            if time.perf_counter() - start > budget:
                break
            pe, pa = precise.value_at(expected, point), precise.value_at(answer, point)
            if pe is None or pa is None:
                continue
            confirmed += 1
            if not precise.agree(pe, pa):
                return finish(DIFFERENT, valid, confirmed, Counterexample(point, float(pe), float(pa)),
                              "a counterexample at a special point", positive_only)
    note = f"equal at {valid} random points"
    if agreed:
        note += f", {agreed} of them confirmed to 50 digits"
    if positive_only:
        note += " (only positive values were inside the domain)"
    return finish(EQUAL, valid, confirmed, None, note, positive_only)


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
