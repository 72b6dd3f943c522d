"""Grade one answer: run both witnesses, decide, then explain (diagnosis, form, notes)."""

from __future__ import annotations

from dataclasses import replace

import sympy

from calctutor.grading import diagnosis as diagnose
from calctutor.grading import numeric, symbolic
from calctutor.grading.expected import derivative_values, expected_derivative
from calctutor.grading.feedback import almost_everywhere_note, counterexample_message, form_feedback
from calctutor.grading.verdict import Verdict, decide
from calctutor.parsing import to_input
from calctutor.parsing.builder import symbol

TASKS = ("derivative", "equivalent")


def grade(
    function: sympy.Expr,
    answer: sympy.Expr,
    *,
    task: str = "derivative",
    variable: str | None = "x",
    order: int = 1,
    diagnose_mistakes: bool = True,
    structured: sympy.Expr | None = None,
    explain: bool = True,
) -> Verdict:
    """Is ``answer`` the ``order``-th derivative of ``function`` (or equal to it)?

    ``structured`` is the function as the learner's teacher typed it (unevaluated), which
    lets the diagnosis point at sub-expressions the way they were written. ``explain=False``
    skips the words of a wrong verdict (diagnosis and counterexample message), for callers
    that write their own (checked working).
    """
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}")
    if task == "derivative":
        expected = expected_derivative(function, variable, order, structured)
    else:
        expected = function
    names = sorted({s.name for s in function.free_symbols | answer.free_symbols}
                   | ({variable} if variable else set()))

    values = None
    if task == "derivative":
        values = derivative_values(function, variable, order)
    found_numeric = numeric.compare(expected, answer, names, expected_values=values,
                                    branch_points=(task == "equivalent"))
    # A confirmed counterexample already decides (rule 1): the symbolic witness then gets
    # only its cheap checks, so a wrong answer is answered quickly.
    budget = 0.05 if found_numeric.status == symbolic.DIFFERENT else 1.5
    found_symbolic = symbolic.compare(expected, answer, budget=budget)
    if found_numeric.status == symbolic.DIFFERENT and found_symbolic.status == symbolic.UNKNOWN:
        found_symbolic = replace(found_symbolic, how="only quick checks: a confirmed "
                                 "counterexample already decides")
    correct, decided_by = decide(found_symbolic, found_numeric)

    verdict = Verdict(
        correct=bool(correct), task=task, function=function, answer=answer, expected=expected,
        variable=variable, order=order, symbolic=found_symbolic, numeric=found_numeric,
        decided_by=decided_by,
    )
    what = "the derivative" if task == "derivative" else "the expression"
    if correct:
        verdict.message = f"Correct: your answer equals {what}."
        note = almost_everywhere_note(function if task == "derivative" else expected)
        if note:
            verdict.notes.append(note)
        verdict.form, form_note = form_feedback(answer, expected)
        if form_note:
            verdict.notes.append(form_note)
        return verdict

    if correct is None:
        verdict.mistake = "unknown"
        verdict.message = ("Not accepted: neither witness could confirm your answer "
                           f"({found_symbolic.how}; {found_numeric.note}).")
        return verdict

    if not explain:
        verdict.mistake = "unknown"
        return verdict
    if task == "derivative" and diagnose_mistakes:
        found = diagnose.diagnose(structured if structured is not None else function,
                                  answer, variable, order, names)
        if found is not None:
            verdict.mistake = found.label
            verdict.diagnosis = found
            verdict.message = found.message
            return verdict
    verdict.mistake = "unknown"
    verdict.message = counterexample_message(verdict)
    return verdict


def expected_text(verdict: Verdict) -> str:
    return to_input(verdict.expected)


def variable_symbol(name: str) -> sympy.Symbol:
    return symbol(name)
