"""``calctutor check``: grade one typed answer (and the row grader the batch uses)."""

from __future__ import annotations

from typing import Any

from calctutor.errors import CalcError
from calctutor.grading.grade import TASKS, grade
from calctutor.grading.verdict import Verdict
from calctutor.parsing import parse, to_input


def choose_variable(function, wrt: str | None) -> str:
    """--wrt if given; else the function's only variable; else x if present."""
    if wrt:
        return {"θ": "theta"}.get(wrt.strip(), wrt.strip())
    names = sorted(s.name for s in function.free_symbols)
    if len(names) == 1:
        return names[0]
    if "x" in names or not names:
        return "x"
    raise CalcError(f"the function has several variables ({', '.join(names)}); "
                    "say which one with --wrt")


def run_check(function_text: str, answer_text: str, *, wrt: str | None = None, order: int = 1,
              task: str = "derivative") -> Verdict:
    """Grade ``answer_text`` as the derivative of ``function_text`` (or as equal to it)."""
    if task not in TASKS:
        raise CalcError(f"unknown task {task!r}: use derivative or equivalent")
    if order < 0 or order > 10:
        raise CalcError("the order must be between 0 and 10")
    function = parse(function_text)
    structured = parse(function_text, evaluate=False)
    answer = parse(answer_text, names=[s.name for s in function.free_symbols])
    variable = choose_variable(function, wrt) if task == "derivative" else None
    verdict = grade(function, answer, task=task, variable=variable, order=order,
                    structured=structured)
    verdict.function_text = function_text
    verdict.answer_text = answer_text
    return verdict


def verdict_document(verdict: Verdict) -> dict[str, Any]:
    """The JSON document of CLI.md for one verdict (plus a few helpful extra keys)."""
    doc: dict[str, Any] = {
        "correct": verdict.correct,
        "task": verdict.task,
        "answer": to_input(verdict.answer),
        "expected": to_input(verdict.expected),
        "mistake": None if verdict.correct else verdict.mistake,
        "message": verdict.message,
        "witnesses": verdict.witnesses,
        "function": to_input(verdict.function),
        "variable": verdict.variable,
        "order": verdict.order,
        "decided_by": verdict.decided_by,
        "notes": list(verdict.notes),
        "form": verdict.form,
    }
    if verdict.diagnosis is not None:
        d = verdict.diagnosis
        doc["diagnosis"] = {"label": d.label, "rule": d.rule, "at": d.at,
                            "right_step": d.right_step, "step_id": d.step_id}
    counter = verdict.numeric.counterexample
    if counter is not None:
        doc["counterexample"] = {"point": counter.point, "expected": _finite(counter.expected),
                                 "answer": _finite(counter.answer)}
    return doc


def _finite(value: float) -> float | None:
    return value if value == value and abs(value) != float("inf") else None
