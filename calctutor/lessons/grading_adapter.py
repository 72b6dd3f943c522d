"""The one place where lessons call the grader (:mod:`calctutor.grading`).

Everything a lesson grades goes through three functions:

- :func:`read_answer` — the learner's text through calctutor's parser (never ``eval``);
- :func:`grade_derivative` — "is this the derivative?", with the grader's mistake
  diagnosis (``missing_chain_factor``, ``product_rule``, …, labels of shared/CLI.md);
- :func:`grade_equal` — "is this the same expression / number?" (values, gradients'
  components, Taylor polynomials, checkpoints), with an optional numeric tolerance for
  answers that are decimals of an irrational number.

Both return a small :class:`Grade`, so the runner never depends on the grader's own
verdict type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from calctutor.parsing import parse, to_input


@dataclass(frozen=True)
class Grade:
    correct: bool
    message: str
    expected: str
    answer: str
    mistake: str | None = None
    witnesses: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def read_answer(text: str, names: list[str] | tuple[str, ...] = ()) -> sympy.Expr:
    """Parse an answer (raises :class:`calctutor.errors.ParseError` with a position, and
    :class:`calctutor.errors.CalcError` for an answer that still contains a d/dx)."""
    from calctutor.grading.grade import written_out

    return written_out(parse(text, names=list(names)))


def grade_derivative(function: sympy.Expr, answer: sympy.Expr, *, wrt: str, order: int = 1,
                     structured: sympy.Expr | None = None) -> Grade:
    """Is ``answer`` the ``order``-th derivative of ``function`` with respect to ``wrt``?"""
    from calctutor.grading.grade import grade

    verdict = grade(function, answer, task="derivative", variable=wrt, order=order,
                    structured=structured)
    return _from_verdict(verdict)


def grade_working(function: sympy.Expr, text: str, *, wrt: str, order: int = 1,
                  structured: sympy.Expr | None = None) -> Grade:
    """A multi-line working (one step of the derivation per line), graded line by line;
    the message has one line per step (✓ right, ✗ wrong, → follows, ? unreadable)."""
    from calctutor.grading.working import check_working, split_lines, summary

    verdict = check_working(function, split_lines(text), wrt, order, structured=structured)
    marks = {"right": "✓", "wrong": "✗", "follows": "→", "unreadable": "?"}
    rows = []
    for line in verdict.lines:
        rule = f" ({line.rule})" if line.rule and line.status != "wrong" else ""
        rows.append(f"  {line.n}. {marks[line.status]} {line.text}{rule}")
        if line.status in ("wrong", "unreadable"):
            rows.append(f"       {line.message.splitlines()[0]}")
    mistake, message = summary(verdict)
    final = verdict.final
    answer = to_input(final.answer) if final is not None else ""
    expected = to_input(final.expected) if final is not None else ""
    head = "Every line is right." if verdict.correct else message.split(":")[0] + "."
    return Grade(verdict.correct, head + "\n" + "\n".join(rows), expected, answer,
                 None if verdict.correct else (mistake or "unknown"),
                 dict(final.witnesses) if final is not None else {})


def grade_equal(expected: sympy.Expr, answer: sympy.Expr, *,
                tolerance: float | None = None) -> Grade:
    """Is ``answer`` equal to ``expected`` (as functions, or as numbers within tolerance)?"""
    if tolerance is not None and not answer.free_symbols and not expected.free_symbols:
        try:
            a, b = float(answer.evalf(30)), float(expected.evalf(30))
        except (TypeError, ValueError):
            a = b = float("nan")
        if a == a and b == b:
            close = abs(a - b) <= tolerance * max(1.0, abs(b))
            witnesses = {"symbolic": "unknown", "numeric": "equal" if close else "different"}
            if close:
                exact = sympy.simplify(answer - expected) == 0
                note = () if exact else (f"Accepted within {tolerance:g}; the exact value is "
                                         f"{to_input(expected)} ≈ {b:.10g}.",)
                return Grade(True, "Correct.", to_input(expected), to_input(answer), None,
                             witnesses, note)
            return Grade(False, f"Not quite: your value {a:.6g} is not within {tolerance:g} "
                                f"of the answer.", to_input(expected), to_input(answer),
                         "unknown", witnesses)
    from calctutor.grading.grade import grade

    verdict = grade(expected, answer, task="equivalent", variable=None)
    found = _from_verdict(verdict)
    if found.correct:
        return found
    return Grade(False, _unrevealing(verdict), found.expected, found.answer, found.mistake,
                 found.witnesses, found.notes)


def _unrevealing(verdict) -> str:
    """A wrong value or expression, said without giving the right one away (that is for
    'solution'): the learner's own value at a point where it differs, and nothing more."""
    if not verdict.answer.free_symbols and not verdict.expected.free_symbols:
        return f"Not quite: {to_input(verdict.answer)} is not the value asked for."
    counter = verdict.numeric.counterexample
    if counter is None or counter.answer != counter.answer:
        return "Not quite: your answer is not equal to the one asked for."
    where = ", ".join(f"{k} = {v:.6g}" for k, v in counter.point.items())
    return (f"Not quite: at {where} yours gives {counter.answer:.6g}, and the right one gives "
            "a different value.")


def _from_verdict(verdict) -> Grade:
    return Grade(
        correct=bool(verdict.correct),
        message=verdict.message,
        expected=to_input(verdict.expected),
        answer=to_input(verdict.answer),
        mistake=None if verdict.correct else (verdict.mistake or "unknown"),
        witnesses=dict(verdict.witnesses),
        notes=tuple(verdict.notes),
    )
