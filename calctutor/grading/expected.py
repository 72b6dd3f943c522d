"""The expected answer: the derivative in a teacher's form, and its exact float values."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy

from calctutor.errors import CalcError, ComputationTimeout
from calctutor.parsing.builder import symbol
from calctutor.timeouts import time_limit


def expected_derivative(function: sympy.Expr, variable: str | None, order: int,
                        structured: sympy.Expr | None = None) -> sympy.Expr:
    """d^order f / d variable^order in the teacher's form the step engine gives ``diff``.

    The step engine's answer is the one the learner sees from ``calctutor diff``; if it
    cannot take the function, SymPy's derivative is tidied here instead.
    """
    if variable is None:
        raise CalcError("say which variable to differentiate with respect to (--wrt)")
    x = symbol(variable)
    try:
        from calctutor.steps import derive

        with time_limit(3.0, "the expected derivative"):
            return derive(structured if structured is not None else function, x, order).result
    except (ComputationTimeout, CalcError, RecursionError):
        return tidy(sympy.diff(function, x, order))


def tidy(expr: sympy.Expr, budget: float = 0.8) -> sympy.Expr:
    """The smallest of a few equal forms (raw, factored, simplified), by operation count.

    A factored product gets one operation of credit: 12x^2(2x^3 + 3) is how a teacher
    writes it, although it counts one multiplication more than 24x^5 + 36x^2.
    """
    def weight(candidate: sympy.Expr) -> int:
        credit = 1 if candidate.is_Mul and any(a.is_Add for a in candidate.args) else 0
        return sympy.count_ops(candidate) - credit

    best, best_weight = expr, weight(expr)
    for transform in (sympy.factor_terms, sympy.cancel, sympy.simplify):
        try:
            with time_limit(budget, "tidying the expected answer"):
                candidate = transform(expr)
        except (ComputationTimeout, TypeError, ValueError, NotImplementedError, sympy.PolynomialError):
            continue
        if weight(candidate) < best_weight:
            best, best_weight = candidate, weight(candidate)
    return best


def derivative_values(function: sympy.Expr, variable: str | None,
                      order: int) -> Callable[[dict[str, np.ndarray]], np.ndarray] | None:
    """Exact float64 derivative values from our autodiff engine, without symbolic diff.

    Nested forward mode over the function's computational graph
    (:func:`calctutor.graph.compile_derivative`). Returns None when the engine cannot
    take this function; the witness then evaluates the symbolic derivative instead.
    """
    if variable is None:
        return None
    from calctutor.graph import compile_derivative

    try:
        compiled = compile_derivative(function, variable, order)
    except (CalcError, ValueError, TypeError, NotImplementedError):
        return None

    def values(points: dict[str, np.ndarray]) -> np.ndarray:
        with np.errstate(all="ignore"):
            return np.asarray(compiled(points).value, dtype=float)

    return values
