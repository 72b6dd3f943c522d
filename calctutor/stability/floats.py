"""Evaluate an expression tree in float64, node by node, noting where precision is lost.

This is deliberately *not* the autodiff engine's evaluator: that one computes the table's
functions the stable way (log-sum-exp shifted, sigmoid by sign). Here each node is
computed exactly as written, so a naive formula shows what it really does in float64.
Table functions still come from :mod:`calctutor.numeric` through their rows.

An :class:`Event` is recorded where trouble first appears (not where it merely
propagates): overflow to inf, underflow to 0, NaN from inf - inf or 0 * inf,
a small term absorbed by a large one (1 + 1e-20 == 1), and cancellation in a sum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import sympy

from calctutor.errors import CalcError

#: Digits lost in a sum before it counts as cancellation.
CANCELLATION_DIGITS = 6
FLOAT_MAX = float(np.finfo(np.float64).max)


@dataclass(frozen=True)
class Event:
    kind: str  # overflow | underflow | zero | nan | absorbed | cancellation
    expr: sympy.Expr  # the subexpression where it happened
    message: str


@dataclass
class FloatEvaluation:
    value: float
    events: list[Event] = field(default_factory=list)


def _exact_magnitude(node: sympy.Expr, subs: dict) -> float | None:
    """log10 of |node| at the point, computed exactly (mpmath), or None."""
    try:
        v = sympy.N(node.xreplace(subs), 30)
        if v.is_zero:
            return None
        mag = sympy.log(abs(v), 10).evalf(15)
        return float(mag) if mag.is_real else None
    except (TypeError, ValueError, ArithmeticError):
        return None


class _Evaluator:
    def __init__(self, point: dict[str, float], exact_point: dict) -> None:
        self.point = point
        self.subs = {sympy.Symbol(k, real=True): v for k, v in exact_point.items()}
        self.events: list[Event] = []
        self.memo: dict[sympy.Expr, float] = {}

    def text(self, node: sympy.Expr) -> str:
        from calctutor.parsing import to_input

        return to_input(node)

    def note(self, kind: str, node: sympy.Expr, message: str) -> None:
        self.events.append(Event(kind, node, message))

    def value(self, node: sympy.Expr) -> float:
        if node in self.memo:
            return self.memo[node]
        with np.errstate(all="ignore"):
            v = float(self._compute(node))
        self.memo[node] = v
        return v

    def _compute(self, node: sympy.Expr) -> float:
        if node.is_Symbol:
            if node.name not in self.point:
                raise CalcError(f"the point needs a value for {node.name}")
            return self.point[node.name]
        if node.is_Number or node.is_NumberSymbol:
            try:
                return float(node)
            except OverflowError:
                self.note("overflow", node, f"{self.text(node)} is too large for float64 "
                          f"(largest about {FLOAT_MAX:.3g}), so it became inf")
                return math.inf if node > 0 else -math.inf
        args = [self.value(a) for a in node.args]
        if isinstance(node, sympy.Add):
            result = np.float64(0.0)
            for a in args:
                result = result + np.float64(a)
            self._check_sum(node, args, float(result))
        elif isinstance(node, sympy.Mul):
            result = np.float64(1.0)
            for a in args:
                result = result * np.float64(a)
        elif isinstance(node, sympy.Pow):
            result = np.power(np.float64(args[0]), np.float64(args[1]))
        else:
            from calctutor.numeric import function
            from calctutor.rules import row_for

            row = row_for(node)
            if row is None:
                raise CalcError(f"no float64 evaluation for {self.text(node)}")
            result = function(row.numpy)(*[np.float64(a) for a in args])
        result = float(result)
        self._check_value(node, args, result)
        return result

    def _check_sum(self, node: sympy.Expr, args: list[float], result: float) -> None:
        finite = [a for a in args if math.isfinite(a)]
        if len(finite) != len(args) or not math.isfinite(result):
            return
        big = max(abs(a) for a in finite)
        nonzero = [a for a in finite if a != 0]
        if len(nonzero) >= 2 and result != 0 and big > 0:
            lost = math.log10(big / abs(result))
            if lost >= CANCELLATION_DIGITS:
                self.note("cancellation", node,
                          f"{self.text(node)}: subtracting nearly equal numbers (about "
                          f"{big:.6g}) leaves {result:.6g}, losing about {lost:.0f} of "
                          "float64's 16 significant digits")
                return
        for i, a in enumerate(nonzero):
            others = nonzero[:i] + nonzero[i + 1:]
            if others and abs(a) < abs(result) * 1.1e-16 and \
                    np.float64(result) - np.float64(a) == np.float64(result):
                self.note("absorbed", node,
                          f"{self.text(node)}: adding {a:.3g} to {result - a:.6g} changes "
                          "nothing in float64 (about 16 significant digits), so the small "
                          "term is lost")
                return

    def _check_value(self, node: sympy.Expr, args: list[float], result: float) -> None:
        if math.isnan(result) and not any(math.isnan(a) for a in args):
            if any(math.isinf(a) for a in args):
                why = ("inf - inf" if isinstance(node, sympy.Add) else
                       "0 * inf" if isinstance(node, sympy.Mul) else "an operation on inf")
                self.note("nan", node, f"{self.text(node)} is {why}, which has no value: NaN")
            else:
                self.note("nan", node, f"{self.text(node)} is outside its domain here: NaN")
        elif math.isinf(result) and all(math.isfinite(a) for a in args) and \
                any(a == 0 for a in args):
            self.note("zero", node,
                      f"{self.text(node)} is {'inf' if result > 0 else '-inf'} in float64: a part "
                      "of it is exactly 0 here (ln(0) or a division by 0), though the true "
                      "value is finite" if _exact_magnitude(node, self.subs) is not None else
                      f"{self.text(node)} is {'inf' if result > 0 else '-inf'}: a part of it is 0")
        elif math.isinf(result) and all(math.isfinite(a) for a in args):
            mag = _exact_magnitude(node, self.subs)
            size = f"its true size is about 10^{mag:.0f}, " if mag is not None else ""
            self.note("overflow", node, f"{self.text(node)} overflows: {size}beyond float64's "
                                        f"largest number (about {FLOAT_MAX:.3g}), so it became inf")
        elif result == 0 and args and all(a != 0 for a in args) and \
                not isinstance(node, sympy.Add):
            mag = _exact_magnitude(node, self.subs)
            if mag is not None:
                self.note("underflow", node,
                          f"{self.text(node)} underflows: its true size is about 10^{mag:.0f}, "
                          "below float64's smallest number (about 4.9e-324), so it became 0")


def evaluate_float(expr: sympy.Expr, point: dict[str, float], exact_point: dict) -> FloatEvaluation:
    """``expr`` computed node by node in float64 at ``point`` (floats), with the events.
    ``exact_point`` holds the same point as exact numbers, for the true sizes in messages."""
    ev = _Evaluator(point, exact_point)
    value = ev.value(expr)
    return FloatEvaluation(value, ev.events)
