"""Autodiff: (a) the cheap-gradient principle, (b) vectorised gradients against lambdify.

(a) For f = Σ sigmoid(w_i x_i) with n = 10, 100, 1000 inputs x_i (weights w_i fixed
    numbers), the time of one reverse-mode gradient (forward pass + backward sweep + the
    NaN/inf check, all n partials) over the time of one forward evaluation of the same
    graph, both on a batch of points. Aim: ≤ 4× (Griewank's cheap-gradient principle).
(b) Value and gradient at 10⁵ points: our compiled graph (reverse mode) against
    ``sympy.lambdify`` (NumPy backend) of the value and the symbolic gradient from
    ``sympy.diff``, timed in the same run. Aim: within 2×. Compilation (ours: building
    the graph; lambdify: diff + code generation) is not timed.
"""

from __future__ import annotations


import numpy as np
import sympy
from timing import paired

from calctutor.graph import build_graph, compile_gradient, forward_pass
from calctutor.mathfuncs import sigmoid, softplus
from calctutor.parsing import parse


def _neuron_sum(n: int) -> tuple[sympy.Expr, list[sympy.Symbol]]:
    rng = np.random.default_rng(n)
    xs = [sympy.Symbol(f"x{i}", real=True) for i in range(n)]
    ws = [sympy.Rational(int(k), 100) for k in rng.integers(-300, 300, n)]
    return sympy.Add(*[sigmoid(w * x) for w, x in zip(ws, xs)]), xs


_paired = paired  # interleaved timing, shared by the benchmarks (timing.py)


def run(quick: bool) -> list[dict]:
    rows: list[dict] = []
    repeat = 5 if quick else 25
    rng = np.random.default_rng(0)
    for batch in (1, 1000):
        for n in (10, 100, 1000):
            expr, xs = _neuron_sum(n)
            graph = build_graph(expr)
            grad = compile_gradient(graph)
            points = {x.name: rng.normal(size=batch) if batch > 1 else float(rng.normal())
                      for x in xs}
            t_grad, t_fwd = _paired(lambda: grad(points), lambda: forward_pass(graph, points),
                                    repeat)
            rows.append({
                "case": f"(a) reverse gradient / forward pass, n = {n}, {batch} point"
                        + ("s" if batch > 1 else ""),
                "ours": t_grad * 1e3, "baseline": t_fwd * 1e3, "unit": "ms",
                "aim": "≤ 4×", "note": f"all {n} partials in one backward sweep",
            })

    size = 10_000 if quick else 100_000
    cases = {
        "sin(x y) + exp(x)/(1 + y^2) + sigmoid(x - y) ln(1 + x^2)": ["x", "y"],
        "tanh(w1 x + b1)^2 + softplus(w2 x - b2) + sqrt(1 + (w1 w2)^2)": ["b1", "b2", "w1", "w2",
                                                                          "x"],
    }
    for text, names in cases.items():
        expr = parse(text)
        symbols = [sympy.Symbol(n, real=True) for n in names]
        points = {n: rng.uniform(-2, 2, size) for n in names}
        ours_fn = compile_gradient(expr, names)
        # lambdify has no printer for sigmoid/softplus: write those two in exponentials
        plain = expr.replace(lambda e: isinstance(e, (sigmoid, softplus)),
                             lambda e: e.rewrite(sympy.exp))
        lam = sympy.lambdify(symbols, [plain] + [sympy.diff(plain, s) for s in symbols], "numpy")
        args = [points[n] for n in names]
        ev = ours_fn(points)
        ref = lam(*args)
        assert np.allclose(ev.value, ref[0], rtol=1e-10)
        for n, r in zip(names, ref[1:]):
            assert np.allclose(ev.gradient[n], r, rtol=1e-9, atol=1e-12)
        t_ours, t_lam = _paired(lambda: ours_fn(points), lambda: lam(*args), repeat)
        rows.append({
            "case": f"(b) value + gradient at {size:,} points: {text}",
            "ours": t_ours * 1e3, "baseline": t_lam * 1e3, "unit": "ms",
            "aim": "≤ 2×", "note": "baseline: lambdify of sympy.diff (NumPy)",
        })
    return rows
