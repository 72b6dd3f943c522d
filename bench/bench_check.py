"""Grading: per-answer latency and batch throughput against the naive grader, same run.

The corpus is generated: functions rich in compositions, products and quotients; for
each, right answers in several forms (raw, expanded, factored) and wrong ones made by
replaying a classic slip through the step engine. Ground truth is known by
construction (and every wrong answer is re-checked to differ at a random point).

Baseline: the naive grader ``sympy.simplify(answer - diff(f)) == 0``, in-process, with a
10 s cap per answer (a capped answer counts as a wrong verdict, as it would for a
student waiting on it).
"""

from __future__ import annotations

import os
import random
import time

from timing import median, p99

FUNCTIONS = [
    "sin(x^2)", "x^2 e^(3x)", "ln(x^2 + 1)", "sqrt(1 + x^2)", "x/(x^2 + 1)", "tanh(2x)",
    "sigmoid(3x)", "exp(-x^2)", "sin(x) cos(x)", "(2x^3 + 3)^2", "x^x", "atan(x^2)",
    "cos(x)/(1 + sin(x))", "ln(sin(x)^2 + 2)", "x^3 sin(2x)", "softplus(x^2)",
    "e^x/(1 + e^x)", "(x + 1)^5 (x - 1)^3", "sin((4x)^2)", "x ln(x^2 + 1)",
    "sqrt(x^2 + 3) / x", "tan(3x) x^2", "asin(x/2)", "cosh(x)^2",
]


def build_corpus(rng: random.Random, size: int):
    import sympy

    from calctutor.grading.mutations import mistaken_derivatives
    from calctutor.parsing import parse, to_input

    x = sympy.Symbol("x", real=True)
    rows = []
    for text in FUNCTIONS:
        f = parse(text)
        d = sympy.diff(f, x)
        forms = {to_input(d), to_input(sympy.expand(d)), to_input(sympy.factor_terms(d))}
        for form in forms:
            rows.append((text, form, True))
        wrong = [c.derivative for c in mistaken_derivatives(parse(text, evaluate=False), "x")]
        rng.shuffle(wrong)
        for w in wrong[:3]:
            value = (w - d).subs(x, sympy.Rational(7, 10)).evalf(30)
            if value.is_Number and abs(value) > 1e-20:
                rows.append((text, to_input(w), False))
    rng.shuffle(rows)
    return rows[:size]


def naive(function_text: str, answer_text: str) -> tuple[bool, bool]:
    """(verdict, timed_out) of simplify(answer - diff(f)) == 0, capped at 10 s."""
    import sympy

    from calctutor.errors import ComputationTimeout
    from calctutor.parsing import parse
    from calctutor.timeouts import time_limit

    x = sympy.Symbol("x", real=True)
    f, a = parse(function_text), parse(answer_text)
    try:
        with time_limit(10.0):
            return sympy.simplify(a - sympy.diff(f, x)) == 0, False
    except ComputationTimeout:
        return False, True


def run(quick: bool) -> list[dict]:
    import sympy

    from calctutor.commands.check import run_check
    from calctutor.commands.batch import grade_rows

    rng = random.Random(11)
    corpus = build_corpus(rng, 24 if quick else 90)
    run_check("x^2", "2x")  # warm-up: imports and caches

    ours_times, ours_wrong = [], 0
    for function, answer, truth in corpus:
        start = time.perf_counter()
        verdict = run_check(function, answer, wrt="x")
        ours_times.append(time.perf_counter() - start)
        ours_wrong += verdict.correct != truth

    naive_times, naive_wrong, naive_capped = [], 0, 0
    for function, answer, truth in corpus:
        sympy.core.cache.clear_cache()
        start = time.perf_counter()
        verdict, capped = naive(function, answer)
        naive_times.append(time.perf_counter() - start)
        naive_wrong += verdict != truth
        naive_capped += capped

    rows = [{"id": i, "function": f, "answer": a} for i, (f, a, _) in enumerate(corpus)]
    jobs = os.cpu_count() or 1
    start = time.perf_counter()
    batch = list(grade_rows(rows, jobs=jobs))
    batch_per_answer = (time.perf_counter() - start) / len(rows)
    batch_wrong = sum(doc.get("correct") != truth for doc, (_, _, truth) in zip(batch, corpus))

    n = len(corpus)
    return [
        {"case": f"single check, median ({n} answers)", "ours": median(ours_times) * 1000,
         "baseline": median(naive_times) * 1000, "unit": "ms", "aim": "< 100 ms",
         "note": "baseline: naive simplify(a - diff(f)) == 0"},
        {"case": "single check, p99", "ours": p99(ours_times) * 1000,
         "baseline": p99(naive_times) * 1000, "unit": "ms", "aim": "no row > 2 s"},
        {"case": "slowest answer", "ours": max(ours_times) * 1000,
         "baseline": max(naive_times) * 1000, "unit": "ms"},
        {"case": f"batch wall time per answer (--jobs {jobs})", "ours": batch_per_answer * 1000,
         "baseline": sum(naive_times) / n * 1000, "unit": "ms",
         "aim": "≤ naive in-process", "note": "two witnesses + diagnosis vs one simplify"},
        {"case": "wrong verdicts", "ours": ours_wrong + batch_wrong, "baseline": naive_wrong,
         "unit": "answers", "aim": "0",
         "note": f"of {n} (+{n} in batch); naive capped at 10 s: {naive_capped}"},
    ]
