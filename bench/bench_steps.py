"""Step-by-step derivatives: time per derivation and growth with expression size.

Ours = the whole ``calctutor diff`` pipeline without process start-up: parse (as typed
and canonical), rule tree, teacher-style simplification, plain rendering. Baseline =
``parse`` + ``sympy.diff`` + ``sympy.simplify`` on the same expressions, in the same run.
SymPy's cache is cleared before every timed call on both sides. Also the answers' size (count_ops) against sympy.diff's raw result and diff + simplify.
"""

from __future__ import annotations

import sympy
from timing import median, p99, time_call

TEXTBOOK = [
    "3x^2 - 4x", "x^x", "sin((4x)^2)", "(x^2)^3", "sin(2x + 3)^2", "exp(-x^2)",
    "sigmoid(x)", "tanh(x)", "softplus(x)", "relu(x)", "x sin(x) cos(x)", "x/(x^2 + 1)",
    "ln(x^2 + 1)", "sqrt(1 - x^2)", "asin(x)", "sinh(x^2)", "abs(x)", "2^x", "log(x, 2)",
    "x^3 - 1/x", "(2x^3 + 3)^2", "1/(1 + e^-x)", "e^x sin(x)", "tan(x)/x", "ln(cos(x))",
    "x^2 e^(3x)", "atan(x^2)", "logsumexp(x, 2x)", "(x + 1)^5 (x - 1)^3", "sin(x)^cos(x)",
]


def _fresh() -> None:
    """Both sides start with SymPy's cache empty, so neither reuses the other's work."""
    from sympy.core.cache import clear_cache

    clear_cache()


def _ours(text: str) -> None:
    from calctutor.commands.diff import run_diff

    _fresh()
    from calctutor.render.diff import to_plain

    to_plain(run_diff(text))


def _baseline(text: str):
    from calctutor.parsing import parse
    from calctutor.parsing.builder import symbol

    _fresh()
    return sympy.simplify(sympy.diff(parse(text), symbol("x")))


def _big(nodes: int):
    """A sum of varied terms with about ``nodes`` nodes (built directly: beyond the input
    length limit of typed text)."""
    from calctutor.parsing import parse

    pieces = ["sin({k}x^2 + x)", "x^{k} e^(x/{k})", "ln(x^2 + {k})", "(x + {k})^3 cos(x)",
              "sigmoid({k}x - 1)", "sqrt(x^2 + {k}) x"]
    terms, total, k = [], 0, 1
    while total < nodes:
        term = parse(pieces[k % len(pieces)].format(k=k), evaluate=False)
        terms.append(term)
        total += sum(1 for _ in sympy.preorder_traversal(term)) + 1
        k += 1
    return sympy.Add(*terms, evaluate=False), total


def _ours_big(expr) -> None:
    from calctutor.parsing.builder import symbol
    from calctutor.render.diff import step_line, view, walk_views
    from calctutor.steps import derive

    _fresh()
    derivation = derive(expr, symbol("x"))
    for top in derivation.steps:
        for v, _ in walk_views(view(top)):
            step_line(v.step, v.collapsed)


def run(quick: bool) -> list[dict]:
    from calctutor.parsing import parse
    from calctutor.parsing.builder import symbol
    from calctutor.steps import derive, evaluated, size

    x = symbol("x")
    repeat = 3 if quick else 15
    ours_samples: list[float] = []
    base_samples: list[float] = []
    ours_size = diff_size = simp_size = 0
    for text in TEXTBOOK:
        ours_samples += time_call(lambda: _ours(text), repeat, warmup=1)
        base_samples += time_call(lambda: _baseline(text), max(1, repeat // 3), warmup=1)
        ours_size += size(derive(parse(text, evaluate=False), x).result)
        diff_size += size(sympy.diff(parse(text), x))
        simp_size += size(_baseline(text))
    rows = [
        {"case": f"textbook derivation, median ({len(TEXTBOOK)} expressions)",
         "ours": median(ours_samples) * 1000, "baseline": median(base_samples) * 1000,
         "unit": "ms", "aim": "≤ 30 ms",
         "note": "steps + simplify + plain render vs sympy.diff + simplify"},
        {"case": "textbook derivation, p99", "ours": p99(ours_samples) * 1000,
         "baseline": p99(base_samples) * 1000, "unit": "ms"},
        {"case": "answer size, sum of count_ops", "ours": ours_size, "baseline": diff_size,
         "unit": "ops", "aim": "≤ 1×", "note": f"baseline sympy.diff; diff+simplify: {simp_size}"},
    ]
    previous = None
    for nodes in ((10, 100) if quick else (10, 100, 1000)):
        expr, actual = _big(nodes)
        n = 1 if nodes >= 1000 or quick else 3
        ours = median(time_call(lambda: _ours_big(expr), n, warmup=0 if nodes >= 1000 else 1))
        ev = evaluated(expr)
        base = median(time_call(lambda: (_fresh(), sympy.diff(ev, x)), n, warmup=0))
        growth = "" if previous is None else f"×{ours / previous[1]:.1f} time for ×{actual / previous[0]:.1f} nodes"
        previous = (actual, ours)
        ours_result = derive(expr, x).result
        rows.append({"case": f"growth: {actual} nodes", "ours": ours * 1000, "baseline": base * 1000,
                     "unit": "ms", "aim": "≈ linear",
                     "note": f"baseline sympy.diff alone; size {size(ours_result)} vs "
                             f"{size(sympy.diff(ev, x))} ops {growth}".strip()})
    return rows
