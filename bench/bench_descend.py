"""Gradient descent: 1000 steps on a 100-variable quadratic.

Ours: ``calctutor.descent.iterate`` (value and gradient each step by our compiled reverse
mode over the expression's graph, plus the bookkeeping a table row needs). Baseline: the
obvious alternative, ``sympy.lambdify`` (NumPy backend) of f and of its symbolic gradient
from ``sympy.diff``, called in a plain loop ``x -= rate * grad(x)``. Compilation is not
timed on either side (ours: the graph; lambdify: diff plus code generation). Both runs
must land on the same iterate; the bench checks it.
"""

from __future__ import annotations

import numpy as np
import sympy
from timing import paired

from calctutor.descent import Objective, iterate

N, STEPS, RATE = 100, 1000, 0.05


def _quadratic() -> tuple[sympy.Expr, list[sympy.Symbol]]:
    """sum a_i x_i^2 + sum b_i x_i x_(i+1) - sum c_i x_i, positive definite (a_i >= 1,
    |b_i| <= 0.5), so gradient descent at this rate converges."""
    rng = np.random.default_rng(7)
    xs = [sympy.Symbol(f"x{i}", real=True) for i in range(N)]
    a = [sympy.Rational(int(k), 10) for k in rng.integers(10, 30, N)]
    b = [sympy.Rational(int(k), 10) for k in rng.integers(-5, 6, N - 1)]
    c = [sympy.Rational(int(k), 10) for k in rng.integers(-20, 20, N)]
    f = (sympy.Add(*[ai * x ** 2 for ai, x in zip(a, xs)])
         + sympy.Add(*[bi * xs[i] * xs[i + 1] for i, bi in enumerate(b)])
         - sympy.Add(*[ci * x for ci, x in zip(c, xs)]))
    return f, xs


def run(quick: bool) -> list[dict]:
    f, xs = _quadratic()
    names = [x.name for x in xs]
    start = np.linspace(-1.0, 1.0, N)
    steps = 200 if quick else STEPS

    objective = Objective(f, names)
    value_fn = sympy.lambdify(xs, f, "numpy")
    grad_fn = sympy.lambdify(xs, [sympy.diff(f, x) for x in xs], "numpy")

    def ours():
        return iterate(objective, start, "gd", RATE, steps).iterates[-1].point

    def baseline():
        x = start.copy()
        for _ in range(steps):
            value_fn(*x)
            x = x - RATE * np.array(grad_fn(*x), dtype=float)
        return tuple(x)

    np.testing.assert_allclose(ours(), baseline(), rtol=1e-9, atol=1e-12)
    repeat = 1 if quick else 3
    t_ours, t_base = paired(ours, baseline, repeat, warmup=False)  # checked above: warm
    return [{
        "case": f"gd, {steps} steps, {N}-variable quadratic",
        "ours": t_ours / steps * 1e3,
        "baseline": t_base / steps * 1e3,
        "unit": "ms/step",
        "note": "ours: compiled reverse mode; baseline: lambdify of f and sympy.diff gradient",
    }]
