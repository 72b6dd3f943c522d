"""A teacher's report over graded batch lines: per problem and per learner.

Built from the JSON lines ``check --batch`` writes (one run, or the outputs of several
shards concatenated or listed one after another), so a report never regrades anything.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calctutor.errors import CalcError


@dataclass
class ProblemReport:
    function: str
    variable: str
    order: int
    task: str
    answers: int = 0
    correct: int = 0
    unreadable: int = 0
    mistakes: Counter = field(default_factory=Counter)
    wrong_answers: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))

    @property
    def title(self) -> str:
        prime = "'" * self.order if 0 < self.order <= 3 else f"^({self.order})"
        if self.task == "equivalent":
            return f"{self.function} (equal form)"
        return f"d/d{self.variable}: {self.function}" if self.order == 1 else \
            f"{self.function}{prime} (order {self.order}, in {self.variable})"

    @property
    def share_correct(self) -> float:
        graded = self.answers - self.unreadable
        return self.correct / graded if graded else 0.0

    def most_common_wrong(self, label: str) -> tuple[str, int] | None:
        counts = self.wrong_answers.get(label)
        return counts.most_common(1)[0] if counts else None


@dataclass
class LearnerReport:
    student: str
    answers: int = 0
    correct: int = 0
    slips: Counter = field(default_factory=Counter)

    @property
    def score(self) -> float:
        return self.correct / self.answers if self.answers else 0.0


@dataclass
class ClassReport:
    problems: list[ProblemReport]
    learners: list[LearnerReport]
    rows: int
    unplaced_errors: int  # rows that could not even be read (no problem to file them under)


class ReportBuilder:
    """The report, built one graded line at a time: memory grows with the problems, the
    learners and the distinct wrong answers, never with the rows."""

    def __init__(self) -> None:
        self.problems: dict[tuple, ProblemReport] = {}
        self.learners: dict[str, LearnerReport] = {}
        self.rows = 0
        self.unplaced = 0

    def add(self, doc: dict[str, Any]) -> None:
        self.rows += 1
        if "function" not in doc:
            self.unplaced += 1
            return
        key = (str(doc["function"]), str(doc.get("variable") or "x"), _order(doc),
               str(doc.get("task") or "derivative"))
        report = self.problems.get(key)
        if report is None:
            report = self.problems[key] = ProblemReport(*key)
        report.answers += 1
        student = doc.get("student")
        learner = None
        if student not in (None, ""):
            learner = self.learners.get(str(student))
            if learner is None:
                learner = self.learners[str(student)] = LearnerReport(str(student))
            learner.answers += 1
        if "error" in doc:
            report.unreadable += 1
            return
        if doc.get("correct"):
            report.correct += 1
            if learner:
                learner.correct += 1
            return
        label = doc.get("mistake") or "unknown"
        report.mistakes[label] += 1
        report.wrong_answers[label][str(doc.get("answer_as_typed") or doc.get("answer"))] += 1
        if learner:
            learner.slips[label] += 1

    def report(self) -> ClassReport:
        return ClassReport(list(self.problems.values()),
                           sorted(self.learners.values(), key=lambda l: l.student),
                           self.rows, self.unplaced)


def _order(doc: dict[str, Any]) -> int:
    try:
        return int(doc.get("order", 1))
    except (TypeError, ValueError):
        return 1


def build_report(docs: Iterable[dict[str, Any]]) -> ClassReport:
    builder = ReportBuilder()
    for doc in docs:
        builder.add(doc)
    return builder.report()


def read_results(paths: Iterable[Path]) -> Iterable[dict[str, Any]]:
    """Graded lines from output files (several shards are read one after another)."""
    for path in paths:
        try:
            with open(path, "rb") as handle:
                for raw in handle:
                    try:
                        doc = json.loads(raw.decode("utf-8"))
                    except (UnicodeDecodeError, ValueError, RecursionError):
                        continue  # a torn or foreign line: not a graded row
                    if isinstance(doc, dict):
                        yield doc
        except OSError as exc:
            raise CalcError(f"cannot read {path}: {exc.strerror or exc}") from None
