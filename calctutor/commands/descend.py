"""``calctutor descend``: watch an optimiser use the gradient.

Runs gradient descent, momentum or Newton's method from a starting point and returns
the iterates, what happened (:mod:`calctutor.descent.outcome`) and the data of a plot:
the curve with the iterates on it for one variable, contour lines with the path for two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from calctutor.descent import METHODS, Objective, Outcome, Run, classify, iterate
from calctutor.errors import CalcError
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.timeouts import time_limit

__all__ = ["DEFAULT_RATES", "DEFAULT_STEPS", "DescendResult", "MAX_STEPS", "run_descend"]

DEFAULT_RATES = {"gd": 0.1, "momentum": 0.1, "newton": 1.0}
DEFAULT_STEPS = {"gd": 50, "momentum": 50, "newton": 20}
MAX_STEPS = 10_000
DEFAULT_BETA = 0.9
CONTOUR_LEVELS = 6
GRID = (84, 22)  # contour sampling, about one point per character cell


@dataclass(frozen=True)
class DescendResult:
    input: str
    expression: sympy.Expr
    variables: tuple[str, ...]
    start: dict
    run: Run
    outcome: Outcome
    figure: object | None  # calctutor.plotting.figure.Figure, None for 3+ variables
    plot_note: str | None = None

    @property
    def method(self) -> str:
        return self.run.method


def _number(value, what: str, low: float, high: float) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise CalcError(f"{what} must be a number, not {value!r}") from None
    if not (low < number <= high) or number != number:
        raise CalcError(f"{what} must be greater than {low:g} and at most {high:g} "
                        f"(got {number:g})")
    return number


def run_descend(text: str, start: str | dict, method: str = "gd", rate: float | None = None,
                steps: int | None = None, beta: float | None = None) -> DescendResult:
    """Iterate ``method`` on the expression (or program) ``text`` from ``start``."""
    from calctutor.commands.diff import load, variables_of
    from calctutor.points import parse_point

    method = (method or "gd").strip().lower()
    if method not in METHODS:
        raise CalcError(f"unknown method {method!r}", hint="choose gd, momentum or newton")
    rate = DEFAULT_RATES[method] if rate is None else _number(rate, "the rate", 0.0, 1e6)
    steps = DEFAULT_STEPS[method] if steps is None else int(steps)
    if not 1 <= steps <= MAX_STEPS:
        raise CalcError(f"--steps must be between 1 and {MAX_STEPS} (got {steps})")
    beta = DEFAULT_BETA if beta is None else float(beta)
    if method == "momentum" and not 0.0 <= beta < 1.0:
        raise CalcError(f"--beta must be at least 0 and below 1 (got {beta:g})")

    loaded = load(text)
    expr = loaded.expression
    variables = tuple(variables_of(expr))
    if not variables:
        raise CalcError("the function has no variables, so there is nothing to descend")
    point = dict(start) if isinstance(start, dict) else parse_point(start, list(variables))
    missing = [v for v in variables if v not in point]
    if missing:
        raise CalcError(f"the starting point needs a value for {', '.join(missing)}",
                        hint="for example --from " + ",".join(f"{v}=1" for v in variables))
    extra = sorted(set(point) - set(variables))
    if extra:
        raise CalcError(f"the starting point names {', '.join(extra)}, which the function "
                        "does not use")
    try:
        x0 = [float(sympy.N(point[v])) for v in variables]
    except (TypeError, ValueError):
        raise CalcError("the starting point must be real numbers") from None
    if not all(np.isfinite(x0)):
        raise CalcError("the starting point must be finite numbers")

    with time_limit(DEFAULT_TIMEOUT_SECONDS, "the descent"):
        objective = Objective(expr, variables)
        run = iterate(objective, x0, method, rate, steps, beta)
        outcome = classify(run, objective)
        figure, note = _figure(objective, run, text)
    return DescendResult(text, expr, variables, point, run, outcome, figure, note)


# ── plot data ───────────────────────────────────────────────────────────────────────
def _view(values: list[float]) -> tuple[float, float]:
    lo, hi = min(values), max(values)
    span = hi - lo
    pad = max(span * 0.25, 0.5 * max(1.0, abs(lo), abs(hi)) if span == 0 else span * 0.25)
    return lo - pad, hi + pad


#: Data units per character cell across, relative to up: a terminal cell is about twice
#: as tall as it is wide, so equal units keep a round bowl round.
ASPECT = 2.4


def _square(xv: tuple[float, float], yv: tuple[float, float]):
    """Widen the shorter side so one unit across looks as long as one unit up."""
    (x_lo, x_hi), (y_lo, y_hi) = xv, yv
    xs, ys = x_hi - x_lo, y_hi - y_lo
    if xs < ys * ASPECT:
        mid, xs = (x_lo + x_hi) / 2, ys * ASPECT
        x_lo, x_hi = mid - xs / 2, mid + xs / 2
    else:
        mid, ys = (y_lo + y_hi) / 2, xs / ASPECT
        y_lo, y_hi = mid - ys / 2, mid + ys / 2
    return (x_lo, x_hi), (y_lo, y_hi)


def _shown(run: Run) -> list:
    """Iterates worth drawing: finite, and not the far end of a run-away."""
    finite = [it for it in run.iterates if it.finite]
    if not finite:
        return []
    scale = 1.0 + max(abs(v) for v in finite[0].point)
    return [it for it in finite if max(abs(v) for v in it.point) <= 50 * scale]


def _figure(objective: Objective, run: Run, title: str):
    from calctutor.plotting.figure import Figure, Series, sample_grid

    shown = _shown(run)
    if not shown:
        return None, "nothing to draw: no iterate has a finite value"
    clipped = len(shown) < len([it for it in run.iterates if it.finite])
    note = "the run-away iterates are off the picture" if clipped else None
    if len(run.variables) == 1:
        xs_it = np.array([it.point[0] for it in shown])
        lo, hi = _view(xs_it.tolist())
        xs = sample_grid(lo, hi, 401)
        ys = objective.values([xs])
        fig = Figure(f"{run.method} on {title}", [
            Series("f", xs, ys, marker="*"),
            Series("iterates (in order)", xs_it, np.array([it.value for it in shown]),
                   marker="o", lines=True),
        ], xlabel=run.variables[0], xlim=(lo, hi))
        return fig, note
    if len(run.variables) == 2:
        px = [it.point[0] for it in shown]
        py = [it.point[1] for it in shown]
        (x_lo, x_hi), (y_lo, y_hi) = _square(_view(px), _view(py))
        gx = np.linspace(x_lo, x_hi, GRID[0])
        gy = np.linspace(y_lo, y_hi, GRID[1])
        X, Y = np.meshgrid(gx, gy)
        Z = objective.values([X, Y])
        cx, cy = _contour_points(X, Y, Z)
        fig = Figure(f"{run.method} on {title}", [
            Series("iterates", np.array(px), np.array(py), marker="o", lines=False),
            Series("path", np.array(px), np.array(py), marker="*", lines=True),
            Series("contour lines of f", cx, cy, marker=".", lines=False),
        ], xlabel=f"{run.variables[0]} (across), {run.variables[1]} (up)",
            xlim=(x_lo, x_hi), ylim=(y_lo, y_hi))
        return fig, note
    return None, f"no picture for {len(run.variables)} variables (the table shows every step)"


def _contour_points(X: np.ndarray, Y: np.ndarray, Z: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Points where f crosses one of a few levels between neighbouring grid points."""
    finite = Z[np.isfinite(Z)]
    if finite.size < 4:
        return np.array([]), np.array([])
    levels = np.unique(np.quantile(finite, np.linspace(0.04, 0.96, CONTOUR_LEVELS)))
    band = np.digitize(np.where(np.isfinite(Z), Z, np.inf), levels)
    edge = np.zeros(Z.shape, dtype=bool)
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    edge &= np.isfinite(Z)
    return X[edge], Y[edge]
