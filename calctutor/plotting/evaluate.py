"""Evaluate a parsed expression on a NumPy array of points (for plots, Monte Carlo,
quadrature and float64 difference quotients).

Everything numeric in the Taylor / limit / integrate / plot commands goes through
:func:`evaluate`, so there is one place to swap the engine:

1. ``calctutor.numeric`` (the tree-walking SymPy → NumPy evaluator that reads the
   primitives table), when it is installed and offers ``evaluate(expr, values)``;
2. otherwise ``sympy.lambdify(..., modules="numpy")`` with our ML functions (sigmoid,
   relu, softplus, logsumexp) supplied as NumPy code. lambdify is used only on a SymPy
   expression our own parser built — never on text — so it executes no user input.

Values that are undefined (log of a negative, 0/0, a complex result) come back as NaN,
overflow as ±inf; callers decide how to show them (a gap in a plot, a note in a table).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import sympy

__all__ = ["evaluate", "evaluate_at", "engine_name"]


def _sigmoid(x):
    x = np.asarray(x, dtype=float)
    # the two branches avoid overflow of exp(-x) for very negative x
    with np.errstate(over="ignore"):
        pos = 1.0 / (1.0 + np.exp(-np.abs(x)))
    return np.where(x >= 0, pos, 1.0 - pos)


def _relu(x):
    return np.maximum(0.0, x)


def _softplus(x):
    return np.logaddexp(0.0, x)


def _logsumexp(*args):
    stacked = np.stack(np.broadcast_arrays(*[np.asarray(a, dtype=float) for a in args]))
    shift = np.max(stacked, axis=0)
    shift = np.where(np.isfinite(shift), shift, 0.0)
    return shift + np.log(np.sum(np.exp(stacked - shift), axis=0))


def _heaviside(x, h0=0.5):
    return np.heaviside(x, h0)


_ML_FUNCTIONS = {
    "sigmoid": _sigmoid,
    "relu": _relu,
    "softplus": _softplus,
    "logsumexp": _logsumexp,
    "Heaviside": _heaviside,
}


def engine_name() -> str:
    """Which engine :func:`evaluate` uses ("calctutor.numeric" or "sympy.lambdify")."""
    return "calctutor.numeric" if _numeric_evaluate() is not None else "sympy.lambdify"


def _numeric_evaluate():
    try:
        from calctutor import numeric  # written in parallel; may not exist yet
    except ImportError:
        return None
    fn = getattr(numeric, "evaluate", None)
    return fn if callable(fn) else None


@lru_cache(maxsize=256)
def _compiled(expr: sympy.Expr, names: tuple[str, ...]):
    symbols = [sympy.Symbol(n, real=True) for n in names]
    # Map every free symbol by name (the parser makes real symbols; be lenient anyway).
    by_name = {s.name: s for s in expr.free_symbols}
    ordered = [by_name.get(n, s) for n, s in zip(names, symbols)]
    return sympy.lambdify(ordered, expr, modules=[_ML_FUNCTIONS, "numpy"])


def evaluate(expr: sympy.Expr, var: str | sympy.Symbol | None, xs) -> np.ndarray:
    """``expr`` at every point of ``xs`` (a float64 array), NaN where it is undefined."""
    name = var.name if isinstance(var, sympy.Symbol) else var
    values = {name: np.asarray(xs, dtype=float)} if name else {}
    shape = np.shape(xs)
    return evaluate_at(expr, values, shape)


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
    result = None
    numeric_eval = _numeric_evaluate()
    with np.errstate(all="ignore"):
        if numeric_eval is not None:
            try:
                result = numeric_eval(expr, arrays)
            except Exception:  # noqa: BLE001 - fall back to lambdify, same answers
                result = None
        if result is None:
            names = tuple(sorted(arrays))
            fn = _compiled(expr, names)
            result = fn(*(arrays[n] for n in names))
    return _as_real_array(result, shape)


def _as_real_array(result, shape) -> np.ndarray:
    out = np.asarray(result)
    if np.iscomplexobj(out):
        real = out.real.astype(float)
        real[np.abs(out.imag) > 1e-12 * np.maximum(1.0, np.abs(out.real))] = np.nan
        out = real
    out = np.array(out, dtype=float)  # a copy: callers may write NaNs into it
    if out.shape != tuple(shape):
        out = np.broadcast_to(out, shape).copy()
    return out
