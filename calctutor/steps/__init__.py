"""Step-by-step derivatives: rule trees a teacher would write on the board.

Entry points:

- :func:`derive` — the whole derivation of d^n f / dx^n (rule trees per order, a
  "simplify" step, the final teacher-style answer);
- :func:`differentiate` — one rule tree (no simplification);
- :func:`teacher_form` — the tidy final form of a derivative;
- :func:`chain_breakdowns` / :func:`peel` — chain-rule layers outermost → innermost.

See :mod:`calctutor.steps.model` for the step node and :mod:`calctutor.steps.engine` for
the mistake hook (``mutate``).
"""

from __future__ import annotations

import sympy

from calctutor.primitives import rule
from calctutor.steps.engine import Engine, Mutate, Site, differentiate
from calctutor.steps.layers import Breakdown, Layer, chain_breakdowns, peel
from calctutor.steps.model import Derivation, Step
from calctutor.steps.shape import evaluated, free_names, normalise
from calctutor.steps.simplify import size, teacher_form

__all__ = [
    "Breakdown", "Derivation", "Engine", "Layer", "Mutate", "Site", "Step",
    "chain_breakdowns", "derive", "differentiate", "evaluated", "normalise", "peel",
    "size", "teacher_form",
]

_ORDINALS = {1: "1st", 2: "2nd", 3: "3rd"}


def ordinal(n: int) -> str:
    return _ORDINALS.get(n, f"{n}th")


def derive(expr: sympy.Expr, wrt: sympy.Symbol, order: int = 1, *,
           mutate: Mutate | None = None, names: dict | None = None,
           simplify: bool = True) -> Derivation:
    """The derivation of d^order expr / d wrt^order.

    ``expr`` is the as-typed expression (``parse(text, evaluate=False)``); ``names`` maps
    sub-expressions to the learner's own names for them (a program's ``y = ...``), used
    as chain-rule letters; ``mutate`` is the grader's mistake hook (see
    :class:`calctutor.steps.engine.Site`). Each order differentiates the tidy form of the
    previous one.
    """
    expr = normalise(expr)
    taken = free_names(expr) | {str(n) for n in (names or {}).values()}
    current = expr
    top: list[Step] = []
    orders: list[sympy.Expr] = []
    raw = final = evaluated(expr)
    how: str | None = None
    mutated = False
    for k in range(1, order + 1):
        prefix = "" if order == 1 else f"{k}."
        engine = Engine(wrt, taken=taken, names=names if k == 1 else None, mutate=mutate)
        tree = engine.step(current, f"{prefix}1")
        mutated = mutated or engine.mutated
        raw = tree.result
        final, how = raw, None
        if simplify:
            baseline = None if mutated else sympy.diff(evaluated(current), wrt)
            final, how = teacher_form(raw, baseline=baseline)
        parts = [tree]
        if how is not None:
            r = rule("simplify")
            parts.append(Step(f"{prefix}2", r.name, "simplify", raw, final, wrt, note=how,
                              explanation=r.explanation))
        if order == 1:
            top.extend(parts)
        else:
            r = rule("higher_order")
            note = (f"{ordinal(k)} derivative: differentiate the {ordinal(k - 1)} derivative"
                    if k > 1 else "1st derivative")
            top.append(Step(str(k), r.name, "higher_order", current, final, wrt,
                            children=tuple(parts), note=note, explanation=r.explanation))
        orders.append(final)
        current = final
    return Derivation(expr, wrt, order, tuple(top), raw, final, mutated, how, tuple(orders))
