"""Checked working: time per line, and the diagnosis's share on held-out slips.

Cases: a 6-line right working and a 6-line working with a slip at line 2 carried forward
(warm: one run first for imports and caches); aim under 0.5 s for the whole working.
Baseline: grading each line separately as a final answer with ``run_check`` (what a
grader without line-by-line working would have to do), same run, same machine.

Also: the share of held-out composite-function slips named correctly (the generator of
tests/test_diagnosis_coverage.py, injecting slips through the step engine's hook), and
the diagnosis time per wrong answer on that corpus.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from timing import median

RIGHT = ("sin(x^2) * x^3", """d/dx(sin(x^2)) * x^3 + sin(x^2) * d/dx(x^3)
cos(x^2) * d/dx(x^2) * x^3 + sin(x^2) * d/dx(x^3)
cos(x^2) * 2x * x^3 + sin(x^2) * d/dx(x^3)
cos(x^2) * 2x * x^3 + sin(x^2) * 3x^2
2x^4 cos(x^2) + 3x^2 sin(x^2)
x^2 (2x^2 cos(x^2) + 3 sin(x^2))""")
SLIP = ("sin(x^2) * x^3", """d/dx(sin(x^2)) * x^3 + sin(x^2) * d/dx(x^3)
cos(x^2) * x^3 + sin(x^2) * d/dx(x^3)
cos(x^2) * x^3 + sin(x^2) * 3x^2
x^3 cos(x^2) + 3x^2 sin(x^2)
x^2 (x cos(x^2) + 3 sin(x^2))
x^3 cos(x^2) + 3 x^2 sin(x^2)""")


def _time(fn, repeats):
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return median(out)


def run(quick: bool) -> list[dict]:
    from calctutor.commands.check import run_check, run_working
    from calctutor.parsing import parse, to_input
    from calctutor.parsing.builder import carry_out

    repeats = 2 if quick else 5
    run_working(*RIGHT)  # warm-up
    rows = []
    for name, (function, working) in (("right", RIGHT), ("slip at line 2", SLIP)):
        lines = working.splitlines()
        # each line as an answer of its own, its d/dx carried out (an answer must not
        # contain one): what a grader without line-by-line working would have to do
        answers = [to_input(carry_out(parse(line))) for line in lines]
        ours = _time(lambda: run_working(function, working), repeats)
        base = _time(lambda: [run_check(function, a) for a in answers], max(1, repeats // 2))
        rows.append({"case": f"6-line working, {name}", "ours": ours * 1000, "baseline": base * 1000,
                     "unit": "ms", "aim": "< 500 ms warm",
                     "note": "baseline: each line graded alone as an answer"})
        rows.append({"case": f"per line, {name}", "ours": ours / len(lines) * 1000,
                     "baseline": base / len(lines) * 1000, "unit": "ms"})

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from test_diagnosis_coverage import corpus, named_correctly

    held_out = corpus(99, 20 if quick else 60)
    start = time.perf_counter()
    named = sum(named_correctly(text, wrong, label)[0] for text, wrong, label in held_out)
    per = (time.perf_counter() - start) / len(held_out)
    rows.append({"case": f"held-out composite slips named ({len(held_out)})",
                 "ours": 100 * named / len(held_out), "baseline": None, "unit": "%", "aim": "≥ 95%"})
    rows.append({"case": "grade + diagnose one wrong answer, mean", "ours": per * 1000,
                 "baseline": None, "unit": "ms"})
    return rows
