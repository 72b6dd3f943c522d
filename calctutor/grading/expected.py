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
    """The teacher's form of ``expr``: the one simplifier ``diff`` uses
    (:func:`calctutor.steps.simplify.teacher_form`), so ``check`` shows the same form."""
    from calctutor.steps.simplify import teacher_form

    return teacher_form(expr, timeout=budget)[0]


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
