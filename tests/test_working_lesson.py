"""A lesson's derivative exercise accepts a multi-line working ('working' opens it, an
empty line submits) and grades it line by line."""

from __future__ import annotations

import io

import sympy
from rich.console import Console

from calctutor.lessons.loader import load_lesson
from calctutor.lessons.templates import draw
from calctutor.parsing import to_input
from calctutor.progress import ProgressStore
from calctutor.termio import StreamIO
from calctutor.tutor.session import run_lesson


def session(slug, seed, lines, tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, emoji=False)
    stream = io.StringIO("".join(line + "\n" for line in lines))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        report = run_lesson(slug, seed, StreamIO(stream, console), store=store)
    return report, out.getvalue()


def test_a_working_is_graded_line_by_line_in_a_lesson(tmp_path):
    first = draw("chain-rule", load_lesson("chain-rule").exercise("sin-linear"), 5)
    inner = first.function.args[0]
    x = sympy.Symbol("x", real=True)
    step = f"cos({to_input(inner)}) * d/dx({to_input(inner)})"
    wrong = f"cos({to_input(inner)}) * ({to_input(sympy.diff(inner, x) + 1)})"
    lines = ["working", step, wrong, "", "working", step, first.expected_text, "", "quit"]
    report, text = session("chain-rule", 5, lines, tmp_path)
    assert "one step per line" in text
    assert "1. ✓" in text and "2. ✗" in text and "Line 2 is wrong" in text
    assert "Every line is right." in text
    outcome = report.outcomes[0]
    assert outcome.status == "correct" and outcome.tries == 2
