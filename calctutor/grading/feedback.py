"""Words for a verdict: kink notes, form feedback, and what a counterexample shows."""

from __future__ import annotations

from functools import lru_cache

import sympy

from calctutor.errors import ComputationTimeout
from calctutor.parsing import to_input
from calctutor.timeouts import time_limit


@lru_cache(maxsize=1)
def _kinked() -> tuple[type, ...]:
    """The SymPy classes of the table rows that have a kink (abs, relu, max, ...)."""
    from calctutor.rules import function_rows, sympy_function

    return tuple(sympy_function(row) for row in function_rows() if row.kinks)


def almost_everywhere_note(function: sympy.Expr) -> str | None:
    """A note when equality holds except at kinks, where the derivative is undefined."""
    from calctutor.pointvalue import kinks_in

    found = kinks_in(function)
    kinks = sorted({to_input(n) for n, _ in found})
    if not kinks:
        return None
    shown = ", ".join(kinks[:3])
    jumps = {k.jump for _, k in found}
    what = "a jump" if jumps == {True} else "a corner or jump" if len(jumps) > 1 else "a corner"
    return (f"{shown} has {what} where the derivative is undefined; your answer matches "
            "everywhere else, which is what a derivative can promise there.")


def form_feedback(answer: sympy.Expr, expected: sympy.Expr) -> tuple[str | None, str | None]:
    """(label, sentence) about the answer's form, without marking it wrong."""
    ops_answer, ops_expected = sympy.count_ops(answer), sympy.count_ops(expected)
    if ops_answer > ops_expected + 3 and ops_answer > 1.5 * ops_expected:
        return "unsimplified", f"Correct, though it simplifies to {to_input(expected)}."
    if answer.is_Add and expected.is_Mul and len(answer.args) > 1:
        return "expanded", f"Correct, in expanded form; the factored form is {to_input(expected)}."
    if answer.is_Mul and expected.is_Add and any(a.is_Add for a in answer.args):
        return "factored", f"Correct, in factored form; expanded it is {to_input(expected)}."
    return None, None


def counterexample_message(verdict) -> str:
    """'Not quite' with a point, both values, and the factor or offset when it is simple."""
    found = verdict.numeric.counterexample
    what = "the derivative" if verdict.task == "derivative" else "the expression"
    message = f"Not quite: your answer is not {what}."
    relation = _relation(verdict.answer, verdict.expected)
    if relation:
        message += f" {relation}"
    if found is not None:
        where = ", ".join(f"{k} = {_short(v)}" for k, v in found.point.items()) or "the value"
        mine, theirs = _pair(found.answer, found.expected)
        if mine == theirs:  # apart only beyond float64's digits (confirmed in 50 digits)
            message += (f" At {where} both are {mine} in float64's 16 digits; they differ "
                        "beyond them.")
        else:
            message += f" At {where} yours gives {mine} but {what} is {theirs}."
    return message


def _relation(answer: sympy.Expr, expected: sympy.Expr) -> str | None:
    """'off by the factor 2x' or 'off by 3' when the ratio or difference is simple."""
    if expected == 0:
        return None
    options: list[tuple[int, str]] = []
    try:
        with time_limit(0.5, "comparing forms"):
            ratio = sympy.simplify(answer / expected)
            kinked = _kinked()
            if ratio != 1 and not ratio.has(*kinked) and not ratio.has(sympy.zoo, sympy.nan):
                options.append((sympy.count_ops(ratio), f"Yours is off by the factor {to_input(ratio)}."))
            difference = sympy.simplify(answer - expected)
            if difference != 0 and not difference.has(*kinked):
                options.append((sympy.count_ops(difference), f"Yours differs from it by {to_input(difference)}."))
    except (ComputationTimeout, TypeError, ValueError, ZeroDivisionError, NotImplementedError):
        pass
    options = [o for o in options if o[0] <= 4]
    return min(options)[1] if options else None


def _pair(a: float, b: float) -> tuple[str, str]:
    """Two values with enough digits that they visibly differ."""
    for digits in (6, 10, 14, 17):
        left, right = f"{a:.{digits}g}", f"{b:.{digits}g}"
        if left != right:
            return left, right
    return f"{a!r}", f"{b!r}"


def _short(value: float) -> str:
    from calctutor.numfmt import format_number

    return format_number(value)
