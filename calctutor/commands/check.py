"""``calctutor check``: grade one typed answer (and the row grader the batch uses)."""

from __future__ import annotations

from calctutor.errors import CalcError
from calctutor.grading.grade import TASKS, grade
from calctutor.grading.verdict import Verdict, verdict_document  # noqa: F401 - re-exported
from calctutor.parsing import parse
from calctutor.parsing.builder import carry_out
from calctutor.parsing.work import check_derivative_work
from calctutor.points import choose_variable


def run_check(function_text: str, answer_text: str, *, wrt: str | None = None, order: int = 1,
              task: str = "derivative") -> Verdict:
    """Grade ``answer_text`` as the derivative of ``function_text`` (or as equal to it)."""
    if task not in TASKS:
        raise CalcError(f"unknown task {task!r}: use derivative or equivalent")
    if order < 0 or order > 10:
        raise CalcError("the order must be between 0 and 10")
    function, structured, variable = read_problem(function_text, wrt=wrt, order=order,
                                                  task=task)
    answer = parse(answer_text, names=[s.name for s in function.free_symbols])
    verdict = grade(function, answer, task=task, variable=variable, order=order,
                    structured=structured)
    verdict.function_text = function_text
    verdict.answer_text = answer_text
    return verdict


def read_problem(function_text: str, *, wrt: str | None = None, order: int = 1,
                 task: str = "derivative"):
    """(function, structured, variable) of a problem, read the one way every grader reads
    it — ``check``, and a batch worker seeding its caches (so their keys agree). The work
    limit is checked before any d/dx typed in the function is carried out ("check 'd/dx
    x^3' 6x" asks about 3x^2)."""
    function = parse(function_text)
    check_derivative_work(function, order if task == "derivative" else 0)
    function = carry_out(function)
    structured = carry_out(parse(function_text, evaluate=False))
    variable = choose_variable(function, wrt) if task == "derivative" else None
    return function, structured, variable


# ── checked working, line by line ───────────────────────────────────────────────────
def run_working(function_text: str, working_text: str, *, wrt: str | None = None, order: int = 1):
    """Grade a learner's working (one derivation step per line) for ``function_text``;
    returns a :class:`calctutor.grading.working.WorkingVerdict`."""
    from calctutor.grading.working import check_working, split_lines

    if order < 1 or order > 10:
        raise CalcError("the order of a working must be between 1 and 10")
    function = parse(function_text)
    check_derivative_work(function, order)
    structured = parse(function_text, evaluate=False)
    variable = choose_variable(function, wrt)
    return check_working(function, split_lines(working_text), variable, order,
                         structured=structured, function_text=function_text)
