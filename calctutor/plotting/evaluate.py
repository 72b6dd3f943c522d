"""Evaluate a parsed expression on a NumPy array of points (for plots, Monte Carlo,
quadrature and float64 difference quotients).

The numbers come from :func:`calctutor.numeric.evaluate`, the one NumPy evaluator, which
reads every function from the primitives table. An expression it cannot evaluate raises
its :class:`~calctutor.numeric.UnsupportedExpression` (a ``CalcError``, so the user sees
one line naming the function) — never a silent fallback that might compute something else.

Values that are undefined (log of a negative, 0/0, a complex result) come back as NaN,
overflow as ±inf; callers decide how to show them (a gap in a plot, a note in a table).
"""

from __future__ import annotations

import numpy as np
import sympy

from calctutor import numeric

__all__ = ["evaluate", "evaluate_at"]


def evaluate(expr: sympy.Expr, var: str | sympy.Symbol | None, xs) -> np.ndarray:
    """``expr`` at every point of ``xs`` (a float64 array), NaN where it is undefined."""
    name = var.name if isinstance(var, sympy.Symbol) else var
    values = {name: np.asarray(xs, dtype=float)} if name else {}
    return evaluate_at(expr, values, np.shape(xs))


def evaluate_at(expr: sympy.Expr, values: dict[str, np.ndarray], shape=None) -> np.ndarray:
    """``expr`` with each variable replaced by an array of values (all the same shape)."""
    from calctutor.parsing.builder import carry_out

    expr = carry_out(expr)  # d/dx(x^2) written in the input is plotted as 2x
    arrays = {k: np.asarray(v, dtype=float) for k, v in values.items()}
    if shape is None:
        shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    missing = {s.name for s in expr.free_symbols} - set(arrays)
    if missing:
        raise ValueError(f"no values for {', '.join(sorted(missing))}")
    with np.errstate(all="ignore"):
        result = numeric.evaluate(expr, arrays)
    out = np.array(result, dtype=float)  # a copy: callers may write NaNs into it
    if out.shape != tuple(shape):
        out = np.broadcast_to(out, shape).copy()
    return out
