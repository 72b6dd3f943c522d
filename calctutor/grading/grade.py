"""Grade one answer: run both witnesses, decide, then explain (diagnosis, form, notes)."""

from __future__ import annotations

from dataclasses import replace

import sympy

from calctutor.grading import diagnosis as diagnose
from calctutor.grading import numeric, problem, symbolic
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
    written_out(answer)
    if task == "derivative":
        expected = problem.expected_derivative(function, variable, order, structured)
    else:
        expected = function
    names = sorted({s.name for s in function.free_symbols | answer.free_symbols}
                   | ({variable} if variable else set()))

    values = None
    if task == "derivative":
        values = problem.derivative_values(function, variable, order)
    found_numeric = numeric.compare(expected, answer, names, expected_values=values,
                                    function=function if task == "derivative" else None,
                                    branch_points=(task == "equivalent"))
    # A confirmed counterexample already decides (rule 1): the symbolic witness then gets
    # only its cheap checks, so a wrong answer is answered quickly.
    refuted = found_numeric.status == symbolic.DIFFERENT
    found_symbolic = symbolic.compare(expected, answer, budget=0.25 if refuted else 1.5,
                                      candidates=found_numeric.samples, quick=refuted,
                                      within=function if task == "derivative" else None)
    if found_numeric.status == symbolic.DIFFERENT and found_symbolic.status == symbolic.UNKNOWN:
        found_symbolic = replace(found_symbolic, how="only quick checks: a confirmed "
                                 "counterexample already decides")
    correct, decided_by = decide(found_symbolic, found_numeric)
    if decided_by == "symbolic" and not correct and found_symbolic.point is not None:
        # the symbolic witness's confirmed point is the counterexample to show
        theirs, mine = found_symbolic.values
        found_numeric = replace(found_numeric, counterexample=numeric.Counterexample(
            found_symbolic.point, theirs, mine))

    verdict = Verdict(
        correct=bool(correct), task=task, function=function, answer=answer, expected=expected,
        variable=variable, order=order, symbolic=found_symbolic, numeric=found_numeric,
        decided_by=decided_by,
    )
    what = "the derivative" if task == "derivative" else "the expression"
    if found_numeric.undefined_answer:
        return _partly_defined(verdict, what)
    if correct:
        verdict.message = f"Correct: your answer equals {what}."
        if found_numeric.beyond:
            verdict.notes.append(_beyond_note(verdict))
        if found_numeric.undefined_at:
            where = ", ".join(f"{k} = {v:.12g}" for k, v in found_numeric.undefined_at.items())
            verdict.notes.append(f"equal where both are defined; your answer is undefined at "
                                 f"some points where {what} is defined (for example {where})")
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


def written_out(answer: sympy.Expr) -> sympy.Expr:
    """An answer is a result, not the question again: one that still contains a d/dx
    (``d/dx sin(3x)``) is refused in words, rather than graded as an expression that
    cannot be evaluated."""
    if answer.has(sympy.Derivative):
        from calctutor.errors import CalcError

        raise CalcError("your answer still contains d/dx: work the derivative out and type "
                        "the result", hint="for example, type 2*x rather than d/dx x^2")
    return answer


def _partly_defined(verdict: Verdict, what: str) -> Verdict:
    """The answer is undefined on part of the domain: right at most where it is defined."""
    found = verdict.numeric
    verdict.correct = False
    verdict.mistake = "unknown"
    counter = found.counterexample
    where = ", ".join(f"{k} = {v:.12g}" for k, v in counter.point.items()) if counter else ""
    at_point = (f" At {where} {what} is {counter.expected:.6g}, but your answer is undefined."
                if counter else "")
    if found.agrees_on:
        missing = f"for {found.undefined_on}" if found.undefined_on else "on part of the domain"
        verdict.message = (f"Right only for {found.agrees_on}: there your answer equals {what}, "
                           f"but it is undefined {missing}, where {what} exists.{at_point}")
        verdict.notes.append(f"where both are defined ({found.agrees_on}) your answer agrees; "
                             "a teacher may accept it with that restriction")
    else:
        verdict.message = (f"Not quite: your answer is undefined at points where {what} "
                           f"exists.{at_point}")
    return verdict


def _beyond_note(verdict: Verdict) -> str:
    found = verdict.numeric
    shown = to_input(verdict.function)
    if verdict.task == "equivalent":
        tail = f"only where it is defined ({found.domain}) do the two have to agree" if found.domain else ""
        return f"your answer is also defined for {found.beyond}, where {shown} is not" + (
            f"; {tail}." if tail else ".")
    tail = (f"a derivative exists only where the function does ({found.domain}), and there "
            "your answer is right" if found.domain else "")
    return (f"your answer is also defined for {found.beyond}, where {shown} or its derivative "
            "is undefined" + (f"; {tail}." if tail else "."))


def expected_text(verdict: Verdict) -> str:
    return to_input(verdict.expected)


def variable_symbol(name: str) -> sympy.Symbol:
    return symbol(name)
