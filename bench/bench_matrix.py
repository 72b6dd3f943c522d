"""Matrix gradients: the matrix engine against the SymPy component-wise route.

For each identity, at a concrete size n, one matrix gradient by our engine (parse, reverse
mode, simplification to the teacher's form — the result holds for every n) against the
route a learner would take with SymPy alone: build the n×n / n-vector of entry symbols,
form f as a scalar expression, and ``sympy.diff`` it by every entry of the variable
(one size only; the entries left as sympy.diff returns them, unsimplified). Both timed in the same run, interleaved. A second row per case adds our
numeric verification (5 draws at n = 2, 3, 4, central differences), which every command
result carries. Aim: the engine faster than the component route at n = 6 (and its result holds for every n).
"""

from __future__ import annotations


from timing import paired

from calctutor.matrix.components import componentwise, entry_symbols
from calctutor.matrix.derive import derivative
from calctutor.matrix.numeric import verify
from calctutor.matrix.parser import parse_matrix
from calctutor.matrix.shapes import parse_shapes

CASES = [
    ("x^T A x", "x", ["x={n}", "A={n}x{n}"], ["x=n", "A=nxn"]),
    ("||X w - y||^2", "w", ["X={n}x{n}", "w={n}", "y={n}"], ["X=nxn", "w=n", "y=n"]),
    ("-y^T log(softmax(z))", "z", ["z={n}", "y={n}"], ["z=n", "y=n"]),
    ("||sigmoid(W x + b) - y||^2", "W", ["W={n}x{n}", "x={n}", "b={n}", "y={n}"],
     ["W=nxn", "x=n", "b=n", "y=n"]),
]


def _ours(text, wrt, shapes):
    decls = parse_shapes(shapes)
    f = parse_matrix(text, decls)
    return derivative(f, wrt, decls[wrt].shape)


def _ours_verified(text, wrt, shapes):
    decls = parse_shapes(shapes)
    f = parse_matrix(text, decls)
    d = derivative(f, wrt, decls[wrt].shape)
    check = verify(f, d.result, wrt, decls, draws=5)
    assert check.ok
    return d


def _sympy_route(text, wrt, shapes):
    decls = parse_shapes(shapes)
    f = parse_matrix(text, decls)  # the same reading; only the differentiation differs
    env = entry_symbols(decls)
    return componentwise(f, wrt, env)  # raw sympy.diff, not simplified (the kind baseline)


_paired = paired  # interleaved timing, shared by the benchmarks (timing.py)


def run(quick: bool) -> list[dict]:
    rows: list[dict] = []
    repeat = 2 if quick else 5
    sizes = (3,) if quick else (3, 6)
    for text, wrt, concrete, symbolic in CASES:
        for n in sizes:
            shapes = [s.format(n=n) for s in concrete]
            t_ours, t_sym = _paired(lambda: _ours(text, wrt, symbolic),
                                    lambda: _sympy_route(text, wrt, shapes), repeat)
            rows.append({
                "case": f"∇_{wrt} {text}, engine (any n) vs sympy.diff per entry (n = {n})",
                "ours": t_ours * 1e3, "baseline": t_sym * 1e3, "unit": "ms",
                "aim": "≤ 1×" if n == 6 else "—",
                "note": "ours: parse + reverse mode + teacher form, no verification",
            })
        n = sizes[-1]
        shapes = [s.format(n=n) for s in concrete]
        t_ver, t_sym = _paired(lambda: _ours_verified(text, wrt, symbolic),
                               lambda: _sympy_route(text, wrt, shapes), repeat)
        rows.append({
            "case": f"∇_{wrt} {text}, engine + numeric verification vs sympy.diff (n = {n})",
            "ours": t_ver * 1e3, "baseline": t_sym * 1e3, "unit": "ms",
            "aim": "—", "note": "verification: 5 draws at n = 2, 3, 4, central differences",
        })
    return rows
