"""Mistake diagnosis: which classic slip reproduces the learner's answer?

Candidates, in the priority order of CLI.md's label table:
- the step engine re-run with one rule replaced by its classic mistake (from the
  primitives table's ``mistakes`` and the engine's structural mutations), at every place
  in the tree where it applies;
- a derivative of another order than asked (``wrong_order``);
- a derivative with respect to another variable (``wrong_variable``);
- when no single slip explains the answer, two slips together (nested sites of the same
  kind first, then mixed), a bounded number of pairs; the diagnosis then names both.
Each candidate is matched against the answer with the numeric witness (float64 screen,
high-precision confirmation), so a label is given only when the numbers say so.
"""

from __future__ import annotations

import numpy as np
import sympy

from calctutor.grading import floats, numeric, sampling
from calctutor.grading.symbolic import EQUAL
from calctutor.grading.verdict import Diagnosis
from calctutor.parsing import to_input
from calctutor.parsing.builder import symbol

LABEL_ORDER = (
    "missing_chain_factor", "wrong_outer_derivative", "product_rule", "quotient_rule",
    "power_rule", "sign", "exp_rule", "log_rule", "constant_rule", "wrong_order",
    "wrong_variable", "unknown",
)


class _Screen:
    """Cheap float64 look-alike test before the full numeric witness is asked.

    The screening points are fixed (seeded) for a set of names, so a candidate's values
    there are kept in ``memo`` (the problem's, shared by every answer to it)."""

    def __init__(self, answer: sympy.Expr, names: list[str], memo: dict | None = None) -> None:
        self.names = names
        self.memo = memo if memo is not None else {}
        self.points = sampling.draw(names, 32, np.random.default_rng(7)) if names else {}
        self.answer = self._evaluate(answer)

    def _evaluate(self, expr: sympy.Expr) -> np.ndarray:
        try:
            return floats.evaluate(expr, self.points) if self.names else np.array([np.nan])
        except KeyError:
            return np.full(32, np.nan)

    def _values(self, expr: sympy.Expr) -> np.ndarray:
        key = (tuple(self.names), expr)
        if key not in self.memo:
            if len(self.memo) >= 4096:  # answers with many stray names: stay bounded
                self.memo.clear()
            self.memo[key] = self._evaluate(expr)
        return self.memo[key]

    def plausible(self, candidate: sympy.Expr) -> bool:
        if not self.names:
            return True
        values = self._values(candidate)
        ok = np.isfinite(values) & np.isfinite(self.answer)
        if ok.sum() < 6:
            return True  # too few points to rule it out cheaply: let the witness decide
        return bool(np.allclose(values[ok], self.answer[ok], rtol=1e-6, atol=1e-9))


def _matches(candidate: sympy.Expr, answer: sympy.Expr, names: list[str],
             screen: "_Screen | None" = None) -> bool:
    if screen is not None and not screen.plausible(candidate):
        return False
    found = numeric.compare(candidate, answer, names, budget=0.6)
    return found.status == EQUAL


def diagnose(function: sympy.Expr, answer: sympy.Expr, variable: str, order: int,
             names: list[str]) -> Diagnosis | None:
    """The first mistake (by label priority) whose buggy derivative equals the answer.

    The slips and their replayed derivatives belong to the problem
    (:func:`calctutor.grading.problem.slip_plan`), so a class's answers share them."""
    from calctutor.grading.problem import slip_plan

    plan = slip_plan(function, variable, order, _rank)
    screen = _Screen(answer, names, plan.screen)
    seen: set[sympy.Expr] = set()
    found = _rule_mistakes(answer, names, screen, plan, seen)
    if found is not None:
        return found
    found = _order_or_variable(function, answer, variable, order, names, screen)
    if found is not None:
        return found
    return _two_slips(answer, names, screen, plan, seen)


_RANK = {label: i for i, label in enumerate(LABEL_ORDER)}
MAX_PAIRS = 60  # two-slip replays tried at most (each is one derivation)
PER_LABEL = 6  # slips of one label paired with each other at most


def _rank(label: str) -> int:
    return _RANK.get(label, len(_RANK))


def _rule_mistakes(answer, names, screen, plan, seen) -> Diagnosis | None:
    """Replay slips lazily, highest-priority label first; stop at the first match."""
    for index in range(len(plan.plan)):
        candidate = plan.candidate(index)
        if candidate is None or candidate.derivative in seen:
            continue
        seen.add(candidate.derivative)
        if _matches(candidate.derivative, answer, names, screen):
            return Diagnosis(candidate.label, candidate.rule, candidate.at, candidate.message,
                             candidate.right_step, candidate.step_id, (candidate.label,))
    return None


def _pairs(plan) -> list[tuple[int, int]]:
    """Pairs of slips (indices into ``plan``) at distinct sites: the same label at two
    places first (a chain factor dropped twice), then different labels, higher-priority
    labels first; at most MAX_PAIRS."""
    by_label: dict[str, list[int]] = {}
    for index, item in enumerate(plan):
        by_label.setdefault(item[1].label, []).append(index)
    out = []
    for label in sorted(by_label, key=_rank):
        group = by_label[label][:PER_LABEL]
        out += [(a, b) for i, a in enumerate(group) for b in group[i + 1:]]
    heads = [group[:3] for group in by_label.values()]
    flat = sorted((index for group in heads for index in group),
                  key=lambda index: _rank(plan[index][1].label))
    out += [(a, b) for i, a in enumerate(flat) for b in flat[i + 1:]
            if plan[a][1].label != plan[b][1].label]

    def site(index: int) -> tuple:
        where = plan[index][0]
        return (where.step_id, where.kind, where.index)

    distinct = [(a, b) for a, b in out
                if site(a) != site(b) or plan[a][1].label == plan[b][1].label == "sign"]
    return distinct[:MAX_PAIRS]


def _two_slips(answer, names, screen, plan, seen) -> Diagnosis | None:
    from calctutor.grading.mutations import _plain

    for a, b in _pairs(plan.plan):
        derivative = plan.pair(a, b)
        if derivative is None or derivative in seen:
            continue
        seen.add(derivative)
        if _matches(derivative, answer, names, screen):
            first, second = sorted((plan.plan[a], plan.plan[b]),
                                   key=lambda item: _rank(item[1].label))
            (site, slip), (_, other) = first, second
            message = f"Two slips: {slip.message} And: {other.message}"
            return Diagnosis(slip.label, slip.rule, to_input(_plain(site.expr)), message,
                             slip.right_step, site.step_id, (slip.label, other.label))
    return None


def _order_or_variable(function, answer, variable, order, names, screen) -> Diagnosis | None:
    x = symbol(variable)
    for k in sorted({0, 1, 2, 3, order + 1, order - 1} - {order}):
        if k < 0:
            continue
        candidate = sympy.diff(function, x, k) if k else function
        if candidate != 0 and _matches(candidate, answer, names, screen):
            what = "the function itself" if k == 0 else f"the derivative of order {k}"
            return Diagnosis(
                "wrong_order", "higher-order derivative", to_input(function),
                f"Your answer is {what}, but the question asks for the derivative of order "
                f"{order}.", right_step=to_input(sympy.diff(function, x, order)),
            )
    for other in sorted(s.name for s in function.free_symbols):
        if other == variable:
            continue
        candidate = sympy.diff(function, symbol(other), order)
        if candidate != 0 and _matches(candidate, answer, names, screen):
            return Diagnosis(
                "wrong_variable", "partial derivative", to_input(function),
                f"You differentiated with respect to {other}; the question asks for d/d{variable}, "
                f"holding {other} constant.", right_step=to_input(sympy.diff(function, x, order)),
            )
    return None
