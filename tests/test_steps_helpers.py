"""Helpers for the step-engine tests: value equality at sample points, invariant walks."""

from __future__ import annotations

import sympy

from calctutor.steps import evaluated

POINTS = ((0.37, 0.61, 0.83), (0.71, 0.29, 0.44), (1.31, 0.53, 0.66), (0.23, 1.17, 0.91))


def values_equal(a: sympy.Expr, b: sympy.Expr, min_points: int = 2) -> bool:
    """a == b in value at sample points where both are finite (exact check first)."""
    a, b = evaluated(a), evaluated(b)
    if a == b:
        return True
    names = sorted({s for s in (a.free_symbols | b.free_symbols)}, key=lambda s: s.name)
    ok = 0
    for point in POINTS:
        subs = {s: sympy.Float(point[i % 3] + 0.1 * (i // 3), 30) for i, s in enumerate(names)}
        va = complex(a.xreplace(subs).evalf(30)) if not a.xreplace(subs).has(sympy.zoo, sympy.nan) else None
        vb = complex(b.xreplace(subs).evalf(30)) if not b.xreplace(subs).has(sympy.zoo, sympy.nan) else None
        if va is None or vb is None or va != va or vb != vb:
            continue
        if abs(va - vb) > 1e-9 * max(1.0, abs(va), abs(vb)):
            return False
        ok += 1
    return ok >= min_points


def check_every_step(root) -> int:
    """Assert the invariant on every node; returns how many steps were checked."""
    n = 0
    for step in root.walk():
        if step.rewrites:
            assert values_equal(step.expr, step.result), (step.id, step.expr, step.result)
        else:
            truth = sympy.diff(evaluated(step.expr), step.wrt)
            assert values_equal(step.result, truth), (step.id, step.rule, step.expr, step.result, truth)
        n += 1
    return n
