"""What happened in a run, in words a learner can use.

Outcomes (the ``outcome`` key of ``descend --json``):

- ``converged``: the gradient vanished; the Hessian there says minimum, maximum or saddle;
- ``diverged``: the iterates ran away or left the domain; on a quadratic the reason is the
  rate: gradient descent is stable only for rate < 2/lambda_max (momentum:
  2(1 + beta)/lambda_max), where lambda_max is the Hessian's largest eigenvalue;
- ``oscillating``: the run ended bouncing across a valley without shrinking;
- ``stalled``: the slope is so small that steps barely move (a plateau, such as a
  saturated sigmoid), or Newton's step is undefined (a singular Hessian);
- ``max_steps``: still making progress when the steps ran out.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from calctutor.descent.methods import GRADIENT_TOL, RUNAWAY, Iterate, Objective, Run

#: Below this gradient norm a run that ran out of steps is on a plateau.
PLATEAU_GRADIENT = 1e-3


@dataclass(frozen=True)
class Outcome:
    kind: str  # converged | diverged | oscillating | stalled | max_steps
    message: str
    critical: str | None = None  # minimum | maximum | saddle | degenerate
    eigenvalues: tuple[float, ...] = ()
    bound: float | None = None  # the largest stable rate on a quadratic
    notes: tuple[str, ...] = ()


def _fmt(x: float) -> str:
    text = f"{float(x):.6g}"
    return "0" if text == "-0" else text


def _point(run: Run, it: Iterate) -> str:
    if len(run.variables) == 1:
        return f"{run.variables[0]} = {_fmt(it.point[0])}"
    return "(" + ", ".join(_fmt(v) for v in it.point) + ")"


def critical_kind(eigenvalues: np.ndarray) -> str:
    tol = 1e-9 * max(1.0, float(np.max(np.abs(eigenvalues))))
    if np.all(eigenvalues > tol):
        return "minimum"
    if np.all(eigenvalues < -tol):
        return "maximum"
    if np.any(eigenvalues > tol) and np.any(eigenvalues < -tol):
        return "saddle"
    return "degenerate"


_KIND_WORDS = {
    "minimum": "a minimum (every curvature is positive: a bowl)",
    "maximum": "a maximum (every curvature is negative: a dome) - descent is pushed away "
               "from maxima, so it started exactly on one",
    "saddle": "a saddle point (curvatures of both signs) - a minimum along some directions, "
              "a maximum along others",
    "degenerate": "a critical point the second-derivative test cannot classify (a zero "
                  "curvature)",
}


def _stable_bound(run: Run, hessian: np.ndarray | None) -> tuple[float | None, float | None]:
    """(lambda_max, the largest stable rate) for gd/momentum on a quadratic bowl."""
    if hessian is None or run.method == "newton":
        return None, None
    eig = np.linalg.eigvalsh(hessian)
    top = float(np.max(eig))
    if top <= 0:
        return None, None
    factor = 2.0 if run.method == "gd" else 2.0 * (1.0 + (run.beta or 0.0))
    return top, factor / top


def _zigzag(run: Run) -> list[int]:
    """Coordinates whose steps flip sign in most steps (overshooting a valley floor)."""
    steps = [it.step for it in run.iterates if it.step is not None]
    if len(steps) < 4:
        return []
    out = []
    for j in range(len(run.variables)):
        signs = [math.copysign(1.0, s[j]) for s in steps if s[j] != 0]
        if len(signs) >= 4:
            flips = sum(1 for a, b in zip(signs, signs[1:]) if a != b)
            if flips >= 0.75 * (len(signs) - 1):
                out.append(j)
    return out


def _oscillating(run: Run) -> bool:
    """The last steps flip sign in some coordinate without getting shorter."""
    steps = [np.array(it.step) for it in run.iterates[-9:] if it.step is not None]
    if len(steps) < 6:
        return False
    for j in range(len(run.variables)):
        seq = [s[j] for s in steps]
        flips = all(a * b < 0 for a, b in zip(seq, seq[1:]))
        if flips and abs(seq[-1]) >= 0.98 * abs(seq[0]) and abs(seq[-1]) > 1e-9:
            return True
    return False


def classify(run: Run, objective: Objective) -> Outcome:
    """Name what happened in ``run`` and explain it in one or two sentences."""
    last = run.iterates[-1]
    n_steps = len(run.iterates) - 1
    constant_h = objective.constant_hessian()
    top, bound = _stable_bound(run, constant_h)
    notes: list[str] = []
    zig = _zigzag(run) if run.method != "newton" else []
    if zig and len(run.variables) > 1:
        names = ", ".join(run.variables[j] for j in zig)
        text = (f"zig-zag along {names}: each step overshoots the valley floor in that "
                "direction and comes back")
        if constant_h is not None:
            eig = np.linalg.eigvalsh(constant_h)
            if eig[0] > 0 and eig[-1] / eig[0] >= 2:
                text += (f" - the bowl is stretched (curvatures {_fmt(eig[0])} and "
                         f"{_fmt(eig[-1])}), so one rate cannot suit both directions")
        notes.append(text)

    if run.stopped == "critical":
        h = objective.hessian(last.point)
        eig = np.linalg.eigvalsh(h) if np.all(np.isfinite(h)) else np.array([np.nan])
        kind = critical_kind(eig) if np.all(np.isfinite(eig)) else "degenerate"
        steps_text = "at the start" if n_steps == 0 else f"in {n_steps} step{'s' * (n_steps != 1)}"
        message = (f"converged {steps_text} to {_point(run, last)}, where the gradient is 0: "
                   f"{_KIND_WORDS[kind]}")
        if np.all(np.isfinite(eig)):
            message += f"; Hessian eigenvalues {', '.join(_fmt(v) for v in eig)}"
        if run.method == "newton" and n_steps == 1 and constant_h is not None:
            notes.append("f is quadratic, so its second-order Taylor model is exact and one "
                         "Newton step lands on the critical point")
        return Outcome("converged", message, kind, tuple(float(v) for v in eig), bound,
                       tuple(notes))

    growing = run.stopped == "steps" and (_gradient_ratio(run) or 0.0) > 1.005
    if run.stopped in ("runaway", "undefined") or growing:
        if run.stopped == "undefined":
            message = (f"diverged: after {n_steps} step{'s' * (n_steps != 1)} the iterate "
                       f"{_point(run, last)} is where f or its gradient is undefined "
                       f"({run.detail})")
        elif growing:
            message = (f"diverged: the gradient grows by a factor of about "
                       f"{_fmt(_gradient_ratio(run))} per step; after {n_steps} steps the "
                       f"iterate is {_point(run, last)}")
        else:
            message = (f"diverged: the iterates ran away (|point| > {RUNAWAY:g} times the "
                       f"start) after {n_steps} steps")
        if bound is not None and run.rate > bound:
            rule = "2/lambda_max" if run.method == "gd" else "2(1 + beta)/lambda_max"
            message += (f". On this quadratic the Hessian's largest eigenvalue is "
                        f"lambda_max = {_fmt(top)}, and the rate must stay below {rule} = "
                        f"{_fmt(bound)}; rate {_fmt(run.rate)} overshoots by more than it "
                        "corrects, so every step is longer than the last")
        return Outcome("diverged", message, None, (), bound, tuple(notes))

    if run.stopped == "singular":
        message = (f"stalled after {n_steps} step{'s' * (n_steps != 1)} at {_point(run, last)}: "
                   f"{run.detail}")
        return Outcome("stalled", message, None, (), bound, tuple(notes))

    if run.stopped == "still":
        message = (f"stalled at {_point(run, last)}: the steps became too small to move the "
                   f"point (gradient norm {_fmt(last.gradient_norm)})")
        return Outcome("stalled", message, None, (), bound, tuple(notes))

    # ran out of steps
    if _oscillating(run):
        message = (f"oscillating: after {n_steps} steps the iterates still jump back and forth "
                   "across the valley without getting closer")
        if bound is not None and abs(run.rate - bound) <= 1e-9 * bound:
            message += (f"; rate {_fmt(run.rate)} is exactly the stability limit "
                        f"{_fmt(bound)} for this quadratic, so each overshoot is as large "
                        "as the last")
        return Outcome("oscillating", message, None, (), bound, tuple(notes))
    ratio = _gradient_ratio(run)
    if ratio is not None and ratio < 0.995:
        remaining = math.log(GRADIENT_TOL / last.gradient_norm) / math.log(ratio)
        message = (f"still converging after {n_steps} steps: the gradient norm "
                   f"({_fmt(last.gradient_norm)}) shrinks by a factor of about {_fmt(ratio)} "
                   f"per step, so about {math.ceil(remaining)} more steps would reach a "
                   "critical point; try more --steps")
        if bound is not None and run.rate < bound / 4:
            message += f" or a larger --rate (below {_fmt(bound)}, the stability limit here)"
        return Outcome("max_steps", message, None, (), bound, tuple(notes))
    if last.gradient_norm < PLATEAU_GRADIENT:
        first = run.iterates[0]
        moved = math.sqrt(sum((a - b) ** 2 for a, b in zip(last.point, first.point)))
        message = (f"stalled on a plateau: after {n_steps} steps the slope is only "
                   f"{_fmt(last.gradient_norm)} and hardly changing, so each step moves about "
                   f"{_fmt(run.rate * last.gradient_norm)} (in total {_fmt(moved)}); "
                   "a saturated function (a sigmoid or tanh far from 0) is nearly flat")
        return Outcome("stalled", message, None, (), bound, tuple(notes))
    message = (f"still descending after {n_steps} steps (gradient norm "
               f"{_fmt(last.gradient_norm)}): try more --steps or a larger --rate")
    if bound is not None:
        message += f" (below {_fmt(bound)}, the stability limit on this quadratic)"
    return Outcome("max_steps", message, None, (), bound, tuple(notes))


def _gradient_ratio(run: Run) -> float | None:
    """How much the gradient norm shrinks per step over the last ten steps (geometric
    mean), or None when there are too few steps."""
    norms = [it.gradient_norm for it in run.iterates[-11:]]
    if len(norms) < 5 or norms[0] <= 0 or norms[-1] <= 0:
        return None
    return (norms[-1] / norms[0]) ** (1.0 / (len(norms) - 1))
