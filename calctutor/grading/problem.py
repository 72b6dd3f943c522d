"""Work that belongs to a problem, not to an answer: done once, shared by every answer.

A class file is many learners answering the same few problems, so the grader's costliest
steps would otherwise be repeated for every row: the expected derivative in the
teacher's form (a derivation plus the simplifier), the compiled autodiff of its values,
the plan of classic slips and each slip's replayed derivative, and the float64 look of
each candidate at the diagnosis's screening points. They depend only on
(function, variable, order), so they are kept here, per process, keyed by the parsed
expressions (SymPy expressions compare structurally, so ``2x`` and ``2*x`` are one key).
The caches are bounded; every entry is a pure function of its key, so sharing one can
never change a verdict. The batch grader sends the rows of one problem to the same worker
(:mod:`calctutor.commands.batch`), so each problem is prepared once per worker.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sympy

T = TypeVar("T")

#: problems kept per process (a class file has a few dozen; the oldest go first)
MAX_PROBLEMS = 256


class _Bounded:
    """A small least-recently-used map (``functools.lru_cache`` cannot skip ``None``
    results of failed preparations without caching them forever, and cannot be
    inspected by tests)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.items: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        try:
            self.items.move_to_end(key)
            return self.items[key]
        except KeyError:
            pass
        value = make()
        self.items[key] = value
        if len(self.items) > self.size:
            self.items.popitem(last=False)
        return value

    def clear(self) -> None:
        self.items.clear()


_expected = _Bounded(MAX_PROBLEMS)
_values = _Bounded(MAX_PROBLEMS)
_plans = _Bounded(MAX_PROBLEMS)


def expected_derivative(function: sympy.Expr, variable: str | None, order: int,
                        structured: sympy.Expr | None = None) -> sympy.Expr:
    """:func:`calctutor.grading.expected.expected_derivative`, once per problem."""
    from calctutor.grading import expected

    key = (function, structured, variable, order)
    return _expected.get(key, lambda: expected.expected_derivative(function, variable, order,
                                                                   structured))


def seed_expected(function: sympy.Expr, variable: str, order: int,
                  structured: sympy.Expr | None, value: sympy.Expr) -> None:
    """Record a problem's expected derivative found elsewhere (another batch worker)."""
    key = (function, structured, variable, order)
    _expected.get(key, lambda: value)


def derivative_values(function: sympy.Expr, variable: str | None, order: int):
    """:func:`calctutor.grading.expected.derivative_values`, compiled once per problem."""
    from calctutor.grading import expected

    return _values.get((function, variable, order),
                       lambda: expected.derivative_values(function, variable, order))


class SlipPlan:
    """The classic slips of one problem, in label priority, each replayed at most once.

    ``candidate(i)`` is the derivative a learner gets by the i-th slip of ``plan`` (None
    where the slip makes no sense); ``pair(i, j)`` that of two slips together; ``screen``
    keeps each candidate's float64 values at the diagnosis's fixed screening points.
    """

    def __init__(self, function: sympy.Expr, variable: str, order: int,
                 rank: Callable[[str], int]) -> None:
        from calctutor.grading.mutations import planned_slips

        self.function, self.variable, self.order = function, variable, order
        self.plan = sorted(planned_slips(function, variable, order),
                           key=lambda pair: rank(pair[1].label))
        self._single: dict[int, Any] = {}
        self._pairs: dict[tuple[int, int], sympy.Expr | None] = {}
        self.screen: dict[tuple, Any] = {}

    def candidate(self, index: int):
        if index not in self._single:
            from calctutor.grading.mutations import replay

            site, slip = self.plan[index]
            self._single[index] = replay(self.function, self.variable, self.order, site, slip)
        return self._single[index]

    def pair(self, first: int, second: int) -> sympy.Expr | None:
        key = (first, second)
        if key not in self._pairs:
            from calctutor.grading.mutations import replay_many

            self._pairs[key] = replay_many(self.function, self.variable, self.order,
                                           [self.plan[first], self.plan[second]])
        return self._pairs[key]


def slip_plan(function: sympy.Expr, variable: str, order: int,
              rank: Callable[[str], int]) -> SlipPlan:
    """The problem's :class:`SlipPlan` (planned once; slips replayed as they are asked)."""
    return _plans.get((function, variable, order),
                      lambda: SlipPlan(function, variable, order, rank))


def clear() -> None:
    """Forget every prepared problem (tests; a long-lived process that wants memory back)."""
    for cache in (_expected, _values, _plans):
        cache.clear()
