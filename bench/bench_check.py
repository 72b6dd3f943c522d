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
    return _class_rows(rng, corpus, quick) + [
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


def class_file(rng: random.Random, corpus, learners: int, problems: int):
    """A class-style file: many learners, few problems, answers that repeat (each learner
    picks one of the problem's few right or slipped forms, as a class does)."""
    by_function: dict[str, list[tuple[str, bool]]] = {}
    for function, answer, truth in corpus:
        by_function.setdefault(function, []).append((answer, truth))
    chosen = sorted(by_function)[:problems]
    rows = []
    for learner in range(learners):
        for function in chosen:
            answer, truth = rng.choice(by_function[function])
            rows.append(({"id": f"{learner}:{function}", "student": f"s{learner}",
                          "function": function, "answer": answer}, truth))
    return rows


def _class_rows(rng: random.Random, corpus, quick: bool) -> list[dict]:
    """check --batch on a class file (--jobs 1 and 2) against the naive grader, one run."""
    import sympy

    from calctutor.commands.batch import grade_rows

    rows = class_file(rng, corpus, learners=10 if quick else 40, problems=6 if quick else 14)
    inputs = [r for r, _ in rows]
    out = []
    # both graders start cold and keep their caches across the file, as a batch would
    # (the single-check runs above warmed this process)
    naive_times, naive_wrong = [], 0
    sympy.core.cache.clear_cache()
    for row, truth in rows:
        start = time.perf_counter()
        verdict, _ = naive(row["function"], row["answer"])
        naive_times.append(time.perf_counter() - start)
        naive_wrong += verdict != truth
    naive_rate = len(rows) / sum(naive_times)
    distinct = len({(r["function"], r["answer"]) for r in inputs})
    for jobs in (1, 2):
        _cold()
        start = time.perf_counter()
        docs = list(grade_rows(inputs, jobs=jobs))
        wall = time.perf_counter() - start
        wrong = sum(d.get("correct") != truth for d, (_, truth) in zip(docs, rows))
        out.append({"case": f"class file, answers per second per core (--jobs {jobs})",
                    "ours": len(rows) / wall / jobs, "baseline": naive_rate,
                    "unit": "answers/s", "aim": "≥ 5× naive",
                    "note": f"{len(rows)} answers, {distinct} distinct; wrong verdicts "
                            f"{wrong} (naive {naive_wrong}); both witnesses + diagnosis"})
    out.append(_slowest_row(inputs, naive_times))
    out += _memory_rows(rng, corpus, quick)
    return out


def _cold() -> None:
    """Forget every cache the workers would inherit from this process."""
    import sympy

    from calctutor.commands import batch
    from calctutor.grading import problem

    problem.clear()
    batch._answer_cache.clear()
    sympy.core.cache.clear_cache()


def _slowest_row(inputs, naive_times) -> dict:
    """The slowest distinct answer of the class file, graded cold (fresh caches)."""
    from calctutor.commands.batch import grade_row

    _cold()
    slowest, seen = 0.0, set()
    for row in inputs:
        key = (row["function"], row["answer"])
        if key in seen:
            continue
        seen.add(key)
        start = time.perf_counter()
        grade_row(row)
        slowest = max(slowest, time.perf_counter() - start)
    return {"case": "class file, slowest distinct answer", "ours": slowest * 1000,
            "baseline": max(naive_times) * 1000, "unit": "ms", "aim": "< 2 s"}


_PEAK = ("import resource, subprocess, sys; "
         "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, "
         "check=True); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def _memory_rows(rng: random.Random, corpus, quick: bool) -> list[dict]:
    """Peak memory of ``check --batch --jobs 2`` as the class file grows 4× (same problems,
    more learners): the batch streams, so the peak should not grow with the rows."""
    import json
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    learners = 10 if quick else 40
    peaks = []
    with tempfile.TemporaryDirectory() as folder:
        for size in (learners, learners * 4):
            rows = class_file(random.Random(5), corpus, learners=size, problems=14)
            path = Path(folder) / f"class{size}.jsonl"
            path.write_text("".join(json.dumps(r) + "\n" for r, _ in rows))
            command = [sys.executable, "-m", "calctutor", "check", "--batch", str(path),
                       "--output", str(Path(folder) / f"out{size}.jsonl"), "--jobs", "2"]
            done = subprocess.run([sys.executable, "-c", _PEAK, *command], capture_output=True,
                                  text=True, check=True)
            peaks.append((len(rows), int(done.stdout.strip()) / 1024))
    (small_rows, small), (big_rows, big) = peaks
    return [{"case": f"peak memory, {big_rows} rows vs {small_rows} rows (--jobs 2)",
             "ours": big, "baseline": small, "unit": "MB", "aim": "≈ 1×",
             "note": "largest process; the rows stream through a bounded window"}]
