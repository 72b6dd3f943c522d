"""The rule that turns two witnesses into a verdict, and the verdict itself.

The rule, in order (documented in docs/grading.md):
1. The numeric witness found a counterexample *confirmed in 50-digit arithmetic* at a
   point where both expressions are defined → wrong. (A confirmed counterexample is a
   proof; no normalisation can outvote it.)
2. The symbolic witness proved the difference is 0 → correct.
3. The numeric witness found agreement at every sampled point, each confirmed in high
   precision → correct, "checked at N points".
4. The symbolic witness proved a difference (non-zero constant, or rational functions
   with a non-zero numerator) → wrong.
5. Neither could decide → not accepted, and the message says so: we never call an
   answer right without a witness for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy

from calctutor.grading.numeric import NumericFinding
from calctutor.grading.symbolic import DIFFERENT, EQUAL, SymbolicFinding
from calctutor.parsing import to_input
from calctutor.points import to_float


@dataclass
class Diagnosis:
    """Which classic mistake reproduces the learner's answer, and where."""

    label: str  # one of CLI.md's mistake labels
    rule: str  # rule name from the primitives table ("chain rule")
    at: str  # the sub-expression where the slip happened, in our syntax
    message: str  # one or two sentences for the learner
    right_step: str = ""  # the correct step, in our syntax
    step_id: str | None = None


@dataclass
class Verdict:
    correct: bool
    task: str
    function: sympy.Expr
    answer: sympy.Expr
    expected: sympy.Expr
    variable: str | None
    order: int
    symbolic: SymbolicFinding
    numeric: NumericFinding
    decided_by: str
    mistake: str | None = None
    message: str = ""
    diagnosis: Diagnosis | None = None
    notes: list[str] = field(default_factory=list)
    form: str | None = None  # form feedback when correct ("unsimplified", "expanded", ...)
    function_text: str = ""
    answer_text: str = ""

    @property
    def witnesses(self) -> dict[str, str]:
        return {"symbolic": self.symbolic.status, "numeric": self.numeric.status}


def decide(symbolic: SymbolicFinding, numeric: NumericFinding) -> tuple[bool | None, str]:
    """(correct?, which witness decided) by the documented rule; None when undecided."""
    if numeric.status == DIFFERENT:
        return False, "numeric"
    if symbolic.status == EQUAL:
        return True, "symbolic"
    if numeric.status == EQUAL:
        return True, "numeric"
    if symbolic.status == DIFFERENT:
        return False, "symbolic"
    return None, "none"


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
        doc["counterexample"] = {"point": counter.point, "expected": to_float(counter.expected),
                                 "answer": to_float(counter.answer)}
    return doc
