"""The iterations themselves: one small update rule per method, over a compiled objective.

Every value, gradient and Hessian comes from calctutor's own reverse mode on the
expression's graph (compiled once), so what the learner watches is the same autodiff the
graph and backprop views teach. Each iterate keeps what a table row shows: the point,
f there, the gradient there, and the step taken from it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from calctutor.errors import CalcError

#: The methods, with what each step does (shown in help and in the result's header).
METHODS: dict[str, str] = {
    "gd": "gradient descent: x <- x - rate * grad f(x)",
    "momentum": "momentum (heavy ball): v <- beta * v - rate * grad f(x); x <- x + v",
    "newton": "Newton's method: solve H(x) d = -grad f(x); x <- x + rate * d",
}

#: A point this far out (relative to the start) counts as having run away.
RUNAWAY = 1e8
#: Gradient norm at which a run has reached a critical point.
GRADIENT_TOL = 1e-9
#: Step length (relative to the point) below which the iterates no longer move.
STEP_TOL = 1e-13


@dataclass(frozen=True)
class Iterate:
    """One row of the table: where we are, f there, its gradient, and the step taken."""

    k: int
    point: tuple[float, ...]
    value: float
    gradient: tuple[float, ...]
    step: tuple[float, ...] | None = None  # None on the last iterate
    hessian: tuple[tuple[float, ...], ...] | None = None  # Newton: the matrix solved

    @property
    def gradient_norm(self) -> float:
        return math.sqrt(sum(g * g for g in self.gradient))

    @property
    def finite(self) -> bool:
        return all(math.isfinite(v) for v in (*self.point, self.value, *self.gradient))


@dataclass(frozen=True)
class Run:
    """A finished run: the iterates and why it stopped."""

    variables: tuple[str, ...]
    method: str
    rate: float
    beta: float | None
    iterates: tuple[Iterate, ...]
    stopped: str  # "critical", "still", "runaway", "undefined", "singular", "steps"
    detail: str = ""  # for "undefined"/"singular": what went wrong, in words


class Objective:
    """f, its gradient and (on demand) its Hessian at single points, compiled once."""

    def __init__(self, expr: sympy.Expr, variables: Sequence[str]) -> None:
        from calctutor.graph import compile_gradient

        self.expr = expr
        self.variables = tuple(variables)
        self._symbols = [sympy.Symbol(v, real=True) for v in self.variables]
        self._gradient = compile_gradient(expr, self.variables)
        self._hessian_rows = None

    def _point(self, x: Sequence[float]) -> dict[str, float]:
        return {v: float(xi) for v, xi in zip(self.variables, x)}

    def value_and_gradient(self, x: Sequence[float]) -> tuple[float, tuple[float, ...]]:
        ev = self._gradient(self._point(x))
        value = float(np.asarray(ev.value, dtype=float).reshape(-1)[0])
        grad = tuple(float(np.asarray(ev.gradient[v], dtype=float).reshape(-1)[0])
                     for v in self.variables)
        if not ev.ok:
            nan = float("nan")
            return nan if not math.isfinite(value) else value, tuple(
                g if math.isfinite(g) else nan for g in grad)
        return value, grad

    def values(self, arrays: Sequence[np.ndarray]) -> np.ndarray:
        """f on arrays of points at once (NaN where undefined), for plots."""
        ev = self._gradient({v: np.asarray(a, dtype=float) for v, a in zip(self.variables, arrays)})
        out = np.array(np.broadcast_to(ev.value, np.broadcast_shapes(*(np.shape(a) for a in arrays))),
                       dtype=float)
        out[~np.isfinite(out)] = np.nan
        return out

    def why_undefined(self, x: Sequence[float]) -> str:
        """The first problem the autodiff engine reports at ``x``, in words."""
        ev = self._gradient(self._point(x))
        if ev.problems:
            return ev.problems[0].what
        return "the value or the gradient is not a finite number there"

    def hessian(self, x: Sequence[float]) -> np.ndarray:
        """The Hessian at ``x``: reverse mode over each compiled partial derivative."""
        from calctutor.graph import compile_gradient

        if self._hessian_rows is None:
            self._hessian_rows = [compile_gradient(sympy.diff(self.expr, s), self.variables)
                                  for s in self._symbols]
        point = self._point(x)
        rows = []
        for row in self._hessian_rows:
            ev = row(point)
            rows.append([float(np.asarray(ev.gradient[v], dtype=float).reshape(-1)[0])
                         for v in self.variables])
        h = np.array(rows, dtype=float)
        return (h + h.T) / 2  # symmetric up to rounding; average the two halves

    def constant_hessian(self) -> np.ndarray | None:
        """The Hessian when it is the same everywhere (f quadratic), else None."""
        second = [[sympy.diff(self.expr, a, b) for b in self._symbols] for a in self._symbols]
        if any(e.free_symbols for row in second for e in row):
            return None
        try:
            return np.array([[float(e) for e in row] for row in second], dtype=float)
        except (TypeError, ValueError):
            return None


def iterate(objective: Objective, start: Sequence[float], method: str = "gd",
            rate: float = 0.1, steps: int = 50, beta: float = 0.9) -> Run:
    """Run ``method`` from ``start`` for at most ``steps`` steps."""
    if method not in METHODS:
        raise CalcError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    x = np.array([float(v) for v in start], dtype=float)
    scale = 1.0 + float(np.linalg.norm(x))
    velocity = np.zeros_like(x)
    rows: list[Iterate] = []
    stopped, detail = "steps", ""
    for k in range(steps + 1):
        value, grad = objective.value_and_gradient(x)
        g = np.array(grad, dtype=float)
        if not (math.isfinite(value) and np.all(np.isfinite(g))):
            rows.append(Iterate(k, tuple(x.tolist()), value, grad))
            stopped, detail = "undefined", objective.why_undefined(x)
            break
        if float(np.linalg.norm(x)) > RUNAWAY * scale or abs(value) > 1e150:
            rows.append(Iterate(k, tuple(x.tolist()), value, grad))
            stopped = "runaway"
            break
        if float(np.linalg.norm(g)) <= GRADIENT_TOL:
            rows.append(Iterate(k, tuple(x.tolist()), value, grad))
            stopped = "critical"
            break
        if k == steps:
            rows.append(Iterate(k, tuple(x.tolist()), value, grad))
            break
        hessian = None
        if method == "gd":
            step = -rate * g
        elif method == "momentum":
            velocity = beta * velocity - rate * g
            step = velocity.copy()
        else:
            h = objective.hessian(x)
            hessian = tuple(tuple(float(v) for v in row) for row in h)
            if not np.all(np.isfinite(h)):
                rows.append(Iterate(k, tuple(x.tolist()), value, grad, None, hessian))
                stopped, detail = "singular", "the Hessian is not a finite matrix here"
                break
            try:
                if abs(np.linalg.det(h)) <= 1e-14 * max(1.0, float(np.max(np.abs(h)))) ** len(x):
                    raise np.linalg.LinAlgError("singular")
                step = rate * np.linalg.solve(h, -g)
            except np.linalg.LinAlgError:
                rows.append(Iterate(k, tuple(x.tolist()), value, grad, None, hessian))
                stopped, detail = "singular", ("the Hessian is singular here, so the Newton "
                                               "step H d = -grad f has no unique solution")
                break
        rows.append(Iterate(k, tuple(x.tolist()), value, grad, tuple(step.tolist()), hessian))
        if float(np.linalg.norm(step)) <= STEP_TOL * (1.0 + float(np.linalg.norm(x))):
            x = x + step
            value, grad = objective.value_and_gradient(x)
            rows.append(Iterate(k + 1, tuple(x.tolist()), value, grad))
            stopped = "still"
            break
        x = x + step
    return Run(objective.variables, method, float(rate),
               float(beta) if method == "momentum" else None, tuple(rows), stopped, detail)
