"""Simplest form: is the derivative we show no larger than the textbook's own form?

Each row is a textbook antiderivative F with its integrand f as a textbook prints it.
Differentiating F should give back something about the size of f: that is the answer a
teacher expects to see from ``calctutor diff F`` and as ``expected`` in ``check``. Sizes
are SymPy operation counts (``count_ops``). In the same run the same ratio is measured
for ``sympy.diff(F)`` and for ``sympy.simplify(sympy.diff(F))``.

A few antiderivatives come from ``sympy.integrate`` itself (1/(x^4 + 1) and kin), and one
is the textbook formula for 1/(x^6 + 2): they are the rows where a derivative swells most.

Rows: the share of rows no larger than the textbook form (aim: most), the share more than
twice its size, and the median ratio, ours against each baseline.
"""

from __future__ import annotations

import statistics
import time

#: (antiderivative F, integrand f as a textbook writes it)
TEXTBOOK = [
    ("x^3/3", "x^2"),
    ("ln(abs(x))", "1/x"),
    ("atan(x)", "1/(1 + x^2)"),
    ("atan(x/2)/2", "1/(x^2 + 4)"),
    ("ln(x^2 + 1)/2", "x/(x^2 + 1)"),
    ("asin(x/3)", "1/sqrt(9 - x^2)"),
    ("ln(x + sqrt(x^2 + 1))", "1/sqrt(x^2 + 1)"),
    ("x ln(x) - x", "ln(x)"),
    ("e^x (x - 1)", "x e^x"),
    ("sin(x) - x cos(x)", "x sin(x)"),
    ("x sin(x) + cos(x)", "x cos(x)"),
    ("e^x (sin(x) - cos(x))/2", "e^x sin(x)"),
    ("tan(x) - x", "tan(x)^2"),
    ("ln(abs(sec(x) + tan(x)))", "sec(x)"),
    ("-ln(abs(cos(x)))", "tan(x)"),
    ("x/2 - sin(2x)/4", "sin(x)^2"),
    ("x/2 + sin(2x)/4", "cos(x)^2"),
    ("ln(abs((x - 1)/(x + 1)))/2", "1/(x^2 - 1)"),
    ("sqrt(x^2 + 1)", "x/sqrt(x^2 + 1)"),
    ("(x^2 + 1)^(3/2)/3", "x sqrt(x^2 + 1)"),
    ("-1/(x + 1)", "1/(x + 1)^2"),
    ("ln(abs(x^2 - 4))", "2x/(x^2 - 4)"),
    ("e^x (x^2 - 2x + 2)", "x^2 e^x"),
    ("x atan(x) - ln(1 + x^2)/2", "atan(x)"),
    ("x asin(x) + sqrt(1 - x^2)", "asin(x)"),
    ("sin(x)^3/3", "sin(x)^2 cos(x)"),
    ("sin(x)^4/4", "sin(x)^3 cos(x)"),
    ("(x sqrt(1 - x^2) + asin(x))/2", "sqrt(1 - x^2)"),
    ("ln(1 + e^x)", "e^x/(1 + e^x)"),
    ("ln(cosh(x))", "tanh(x)"),
    ("2 sqrt(x)", "1/sqrt(x)"),
    ("2 x^(5/2)/5", "x^(3/2)"),
    ("e^(x^2)/2", "x e^(x^2)"),
    ("-e^(-x^2)/2", "x e^(-x^2)"),
    ("ln(abs(ln(x)))", "1/(x ln(x))"),
    ("ln(x)^2/2", "ln(x)/x"),
    ("sin(x) - sin(x)^3/3", "cos(x)^3"),
    ("atan(e^x)", "e^x/(1 + e^(2x))"),
    ("-1/(2 (x^2 + 1))", "x/(x^2 + 1)^2"),
    ("ln(abs(x + 1)) - ln(abs(x + 2))", "1/((x + 1)(x + 2))"),
    ("2 atan(sqrt(x))", "1/(sqrt(x) (1 + x))"),
    ("sqrt(x^2 - 1)", "x/sqrt(x^2 - 1)"),
    # a = 2^(1/6): the standard antiderivative of 1/(x^6 + a^6) (SymPy's integrate and
    # ratint both return 2^(1/6) atan(2^(5/6) x/2)/6 here, which is wrong)
    ("atan(x/2^(1/6))/(3*2^(5/6)) + (atan(2*x/2^(1/6) - sqrt(3)) + atan(2*x/2^(1/6) + sqrt(3)))"
     "/(6*2^(5/6)) + sqrt(3)*ln((x^2 + sqrt(3)*2^(1/6)*x + 2^(1/3))/(x^2 - sqrt(3)*2^(1/6)*x"
     " + 2^(1/3)))/(12*2^(5/6))", "1/(x^6 + 2)"),
]

#: integrands whose antiderivative is taken from sympy.integrate (a CAS's textbook)
INTEGRATED = ["1/(x^4 + 1)", "1/(x^3 + 1)", "x^2/(x^4 + 1)", "1/(x^2 + 2x + 5)",
              "x/(x^2 + x + 1)"]


def _rows():
    import sympy

    from calctutor.parsing import parse, to_input

    x, t = sympy.Symbol("x", real=True), sympy.Symbol("t")
    rows = [(F, f) for F, f in TEXTBOOK]
    for text in INTEGRATED:
        antiderivative = sympy.integrate(parse(text).subs(x, t), t).subs(t, x)
        rows.append((to_input(antiderivative), text))
    return rows


def measure(rows=None) -> list[dict]:
    """Per row: sizes of the integrand, our derivative, sympy.diff, simplify(diff)."""
    import sympy

    from calctutor.commands.check import run_check
    from calctutor.parsing import parse
    from calctutor.timeouts import time_limit
    from calctutor.errors import ComputationTimeout

    x = sympy.Symbol("x", real=True)
    out = []
    for F, f in rows or _rows():
        integrand = parse(f)
        verdict = run_check(F, f, wrt="x")  # our expected derivative, as check shows it
        raw = sympy.diff(parse(F), x)
        try:
            with time_limit(10.0, "simplify"):
                simplified = sympy.simplify(raw)
        except ComputationTimeout:
            simplified = raw
        out.append({
            "F": F, "f": f, "correct": verdict.correct,
            "integrand": sympy.count_ops(integrand), "ours": sympy.count_ops(verdict.expected),
            "diff": sympy.count_ops(raw), "simplify": sympy.count_ops(simplified),
        })
    return out


def run(quick: bool) -> list[dict]:
    rows = _rows()
    if quick:
        rows = rows[::3]
    start = time.perf_counter()
    measured = measure(rows)
    seconds = time.perf_counter() - start
    n = len(measured)

    def share(key, test):
        return sum(test(r[key], max(1, r["integrand"])) for r in measured) / n * 100

    def ratio(key):
        return statistics.median(r[key] / max(1, r["integrand"]) for r in measured)

    worst = max(measured, key=lambda r: r["ours"] / max(1, r["integrand"]))
    return [
        {"case": f"no larger than the textbook form ({n} rows)", "ours": share("ours", lambda a, b: a <= b),
         "baseline": share("diff", lambda a, b: a <= b), "unit": "% rows", "aim": "most rows",
         "note": f"baseline sympy.diff; simplify(diff): {share('simplify', lambda a, b: a <= b):.0f}%"},
        {"case": "more than twice the textbook size", "ours": share("ours", lambda a, b: a > 2 * b),
         "baseline": share("diff", lambda a, b: a > 2 * b), "unit": "% rows", "aim": "few",
         "note": f"simplify(diff): {share('simplify', lambda a, b: a > 2 * b):.0f}%"},
        {"case": "median size ratio to the textbook form", "ours": ratio("ours"),
         "baseline": ratio("diff"), "unit": "×", "aim": "≤ 1",
         "note": f"simplify(diff): {ratio('simplify'):.2f}×"},
        {"case": "largest ratio", "ours": worst["ours"] / max(1, worst["integrand"]),
         "baseline": worst["diff"] / max(1, worst["integrand"]), "unit": "×",
         "note": f"d/dx of the antiderivative of {worst['f']}"},
        {"case": "every derivative checks as the integrand",
         "ours": sum(r["correct"] for r in measured), "baseline": n, "unit": "rows",
         "note": f"{seconds:.1f} s for the whole run"},
    ]


if __name__ == "__main__":
    for r in measure():
        flag = "  <-- big" if r["ours"] > 2 * max(1, r["integrand"]) else ""
        print(f"{r['ours']:4d} {r['diff']:4d} {r['simplify']:4d} {r['integrand']:4d}  "
              f"{'ok' if r['correct'] else 'NOT'}  {r['f']}{flag}")
