"""One exercise as the lesson engine sees it: the record of a session, grading an answer
(single expressions and lists), the chain-rule checkpoints built from the step tree, and
the hint levels (rule → first step → the worked solution, as an example to run).

No input, output or pacing here: that is the tutor shell's (:mod:`calctutor.tutor`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Callable

import sympy

from calctutor.errors import CalcError
from calctutor.lessons import grading_adapter as grader
from calctutor.lessons.schema import Example
from calctutor.lessons.tasks import kind
from calctutor.lessons.templates import Problem
from calctutor.parsing import to_input


# ── what a session produces ────────────────────────────────────────────────────────
@dataclass
class Outcome:
    exercise: str
    skill: str
    lesson: str
    statement: str
    status: str = "unanswered"  # correct | skipped | solution | quit | unanswered
    tries: int = 0
    hints: int = 0
    mistakes: list[str] = field(default_factory=list)
    checkpoints: int = 0  # checkpoint answers given (right or wrong)
    review: bool = False
    seconds: float = 0.0
    started: float = field(default_factory=time.monotonic)

    @property
    def first_try(self) -> bool:
        return self.status == "correct" and self.tries == 1 and self.hints == 0


@dataclass
class LessonReport:
    lesson: str
    title: str
    seed: int
    outcomes: list[Outcome] = field(default_factory=list)
    quit: bool = False
    mastery: float | None = None
    stored: bool = True

    @property
    def correct(self) -> int:
        return sum(1 for o in self.outcomes if o.status == "correct")


@dataclass
class Hint:
    """One hint level. One of ``text``, ``step`` or ``example`` carries the content."""

    title: str
    text: str = ""
    step: Any = None  # a calctutor.steps.Step, shown one level deep ("first step")
    example: Example | None = None  # a full solution: the tutor runs it live
    run: Any = None  # the example once run (a calctutor.tutor.examples.ExampleRun)
    lines: tuple[str, ...] = ()  # extra lines after the content


# ── grading one answer ─────────────────────────────────────────────────────────────
def _names(problem: Problem) -> list[str]:
    return [v.name for v in problem.variables]


def grade_answer(problem: Problem, text: str) -> grader.Grade:
    """Grade the final answer typed for ``problem`` (ParseError / CalcError when unreadable)."""
    return kind(problem.task).grade(problem, text)


def final_question(problem: Problem) -> str:
    """The last question after the checkpoints: the whole answer."""
    if kind(problem.task).needs_point:
        return f"d{_output_name(problem)}/d{problem.wrt} at {problem.point_text} = ?"
    return f"d/d{problem.wrt} [{problem.function_text}] = ?"


def _output_name(problem: Problem) -> str:
    return problem.definitions[-1][0] if problem.definitions else "f"


# ── checkpoint links ───────────────────────────────────────────────────────────────
@dataclass
class Link:
    question: str
    prompt: str
    grade: Callable[[str], grader.Grade]
    what: str = ""
    hints: tuple[Hint, ...] = ()


def _derivation(problem: Problem):
    from calctutor.steps import derive, normalise

    if problem.program:
        from calctutor.steps.program import load

        loaded = load(problem.program)
        return derive(loaded.structure, problem.wrt, max(problem.exercise.order, 1),
                      names=loaded.names)
    structure = problem.structure if problem.structure is not None else problem.function
    return derive(normalise(structure), problem.wrt, max(problem.exercise.order, 1))


def chain_links(problem: Problem) -> list[Link]:
    """One link per chain-rule layer (its local derivative, in its own letter), then the
    product of the layers — each graded against the matching node of the step tree."""
    from calctutor.steps import chain_breakdowns, evaluated

    derivation = _derivation(problem)
    tree = derivation.trees[0]
    breakdowns = chain_breakdowns(tree, output="f")
    if not breakdowns:
        return []
    breakdown = breakdowns[0]
    letters: dict[sympy.Symbol, sympy.Expr] = {}
    for layer in breakdown.layers:
        node = derivation.find(layer.step_id)
        if node is not None and node.key == "chain":
            letters[sympy.Symbol(node.variable, real=True)] = evaluated(node.inner)
    letter_names = [s.name for s in letters]

    def in_x(expr: sympy.Expr) -> sympy.Expr:
        for _ in range(len(letters) + 1):
            expr = expr.xreplace(letters)
        return evaluated(expr)

    links: list[Link] = []
    for layer in breakdown.layers:
        step = derivation.find(layer.step_id)
        rule = step.rule if step is not None else "rule"
        explanation = step.explanation if step is not None else ""
        definition = to_input(layer.definition)
        outer = layer.wrt != problem.wrt.name
        if outer:
            question = (f"Layer {layer.name} = {definition}: what is {layer.leibniz}? "
                        f"(write it in {layer.wrt}, or in {problem.wrt})")
            rule_name = step.children[0].rule if step is not None and step.children else rule
            first = Hint("Rule", f"**{rule_name}** — " + _explanation(step.children[0] if step is not None and step.children else None))
        else:
            question = f"Innermost layer {layer.name} = {definition}: what is {layer.leibniz}?"
            first = Hint("Rule", f"**{rule}** — {explanation}")
        expected = layer.local
        reveal = Hint("Answer", f"{layer.leibniz} = `{to_input(expected)}`")

        def grade(text: str, expected=expected, outer=outer) -> grader.Grade:
            answer = grader.read_answer(text, _names(problem) + letter_names)
            return grader.grade_equal(in_x(expected), in_x(answer))

        links.append(Link(question, f"{layer.leibniz}> ", grade, what=layer.leibniz,
                          hints=(first, reveal)))
    if breakdown.step_id != tree.id:  # the chain sits inside a bigger expression
        node = derivation.find(breakdown.step_id)
        piece = node.expr
        question = (f"Multiply the links: what is d/d{problem.wrt} [{to_input(piece)}]? "
                    f"({breakdown.leibniz})")
        result = evaluated(node.result)

        def grade_piece(text: str) -> grader.Grade:
            return grader.grade_equal(result, grader.read_answer(text, _names(problem)))

        links.append(Link(question, "product> ", grade_piece, what="the product",
                          hints=(Hint("Rule", f"{breakdown.leibniz}: multiply the links, each "
                                              f"written in {problem.wrt}."),)))
    return links


def _explanation(step) -> str:
    return step.explanation if step is not None else ""


# ── hints ──────────────────────────────────────────────────────────────────────────
class HintBook:
    """Hint levels, computed when first asked for: the exercise's own hints (rule names),
    then the first step of the step engine's derivation, then the full solution."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        self.used = 0
        self._levels: list[Callable[[], Hint | None]] = []
        ex = problem.exercise
        for text in problem.hints:
            self._levels.append(lambda text=text: Hint("Hint", text))
        if not ex.hints:
            self._levels.append(self._rule)
        if kind(ex.task).first_step_hint:
            self._levels.append(self._first_step)
        self._levels.append(self._solution_hint)
        self.total = len(self._levels)

    def next(self) -> Hint | None:
        while self.used < len(self._levels):
            maker = self._levels[self.used]
            self.used += 1
            try:
                hint = maker()
            except CalcError as exc:
                hint = Hint("Hint", exc.message)
            if hint is not None:
                return hint
        return None

    def _tree(self):
        p = self.problem
        if p.wrt is None:
            return None
        return _derivation(p).trees[0]

    def _rule(self) -> Hint | None:
        tree = self._first_tree()
        if tree is None:
            return None
        return Hint("Rule", f"**{tree.rule}** — {tree.explanation}")

    def _first_tree(self):
        p = self.problem
        if p.wrt is not None:
            return self._tree()
        if p.variables:
            from calctutor.steps import derive, normalise

            return derive(normalise(p.function), p.variables[0]).trees[0]
        return None

    def _first_step(self) -> Hint | None:
        tree = self._first_tree()
        if tree is None:
            return None
        title = "First step"
        if self.problem.wrt is None and self.problem.variables:
            title = f"First step (for d/d{self.problem.variables[0]})"
        return Hint(title, step=tree)

    def _solution_hint(self) -> Hint:
        return self.solution_hints()[0]

    def solution_hints(self) -> list[Hint]:
        """The full worked solution: the example to run live, or the answer alone."""
        example, answer = self.solution()
        if example is None:
            return [Hint("Solution", answer)]
        return [Hint("Solution", example=example, lines=(answer,))]

    def solution(self) -> tuple[Example | None, str]:
        """The worked solution as data: the command to run live (an :class:`Example`, or
        None when no command shows this task) and the answer line."""
        p = self.problem
        answer = f"Answer: `{p.expected_text}`"
        shown = kind(p.task).solution(p)
        if shown is None:
            return None, answer
        command, options = shown
        return Example(command, p.function_text, options), answer
