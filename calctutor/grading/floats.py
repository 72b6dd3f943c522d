"""float64 values for the numeric witness, through our own NumPy engine.

A thin adapter over :func:`calctutor.numeric.compile_expr` (the tree-walking compiler
that reads the primitives table), with a small cache so a batch reuses compiled tapes.
An expression the engine cannot compile evaluates to NaN everywhere, so the witness
abstains instead of guessing.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy

from calctutor import numeric


@lru_cache(maxsize=512)
def _tape(expr: sympy.Expr, names: tuple[str, ...]):
    return numeric.compile_expr(expr, names)


def evaluate(expr: sympy.Expr, points: dict[str, np.ndarray]) -> np.ndarray:
    """expr at the points; NaN where undefined or where the engine cannot evaluate it."""
    count = len(next(iter(points.values()))) if points else 1
    names = tuple(sorted(s.name for s in expr.free_symbols))
    missing = [n for n in names if n not in points]
    if missing:
        # a variable the other expression lacks: it is free here, so give it values too
        raise KeyError(missing[0])
    try:
        tape = _tape(expr, names)
    except numeric.UnsupportedExpression:
        return np.full(count, np.nan)
    with np.errstate(all="ignore"):
        values = tape.evaluate({n: points[n] for n in names})
    return np.broadcast_to(values, (count,)).astype(float)
