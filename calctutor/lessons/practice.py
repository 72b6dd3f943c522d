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
from calctutor.lessons.templates import Problem
from calctutor.parsing import to_input
from calctutor.textsplit import split


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


def _split_list(text: str) -> list[str]:
    inner = text.strip()
    if inner[:1] in "[(" and inner[-1:] in "])":
        inner = inner[1:-1]
    return split(inner, ",")


def grade_answer(problem: Problem, text: str) -> grader.Grade:
    """Grade the final answer typed for ``problem`` (ParseError / CalcError when unreadable)."""
    ex = problem.exercise
    task = ex.task
    if task == "matrix-gradient":
        from calctutor.lessons import matrix_task

        return matrix_task.grade(problem, text)
    if task in ("gradient", "hessian"):
        return _grade_list(problem, text)
    answer = grader.read_answer(text, _names(problem))
    for name in ex.forbid:
        if _uses(answer, name):
            return grader.Grade(False, f"Equal, perhaps, but the exercise asks for a form "
                                       f"without {name}.", problem.expected_text,
                                to_input(answer), "unknown")
    if task in ("derivative", "partial"):
        return grader.grade_derivative(problem.function, answer, wrt=problem.wrt.name,
                                       order=ex.order, structured=problem.structure)
    if task in ("value", "evaluate", "directional", "integral") and answer.free_symbols:
        names = ", ".join(sorted(s.name for s in answer.free_symbols))
        raise CalcError(f"the answer should be a number, but it still contains {names}",
                        hint=f"substitute {problem.point_text}" if problem.point else None)
    return grader.grade_equal(problem.expected, answer, tolerance=ex.tolerance)


def _uses(expr: sympy.Expr, name: str) -> bool:
    from calctutor.primitives import by_name
    from calctutor.rules import sympy_function

    fn = sympy_function(by_name(name))
    return any(isinstance(node, fn) if isinstance(fn, type) else node.func == fn
               for node in sympy.preorder_traversal(expr)) or (
        name == "exp" and any(n.is_Pow and n.base == sympy.E for n in sympy.preorder_traversal(expr)))


def _grade_list(problem: Problem, text: str) -> grader.Grade:
    expected = problem.expected
    parts = _split_list(text)
    rows: list[list[str]]
    if problem.task == "hessian":
        rows = [_split_list(p) for p in parts]
        shape_ok = len(rows) == len(expected) and all(len(r) == len(e) for r, e in zip(rows, expected))
        flat_expected = [e for row in expected for e in row]
        flat_answer = [a for row in rows for a in row]
        labels = [f"row {i + 1}, column {j + 1}" for i in range(len(expected))
                  for j in range(len(expected[0]))]
    else:
        shape_ok = len(parts) == len(expected)
        flat_expected, flat_answer = list(expected), parts
        labels = [f"df/d{v}" for v in _names(problem)]
    if not shape_ok:
        raise CalcError(f"expected {len(flat_expected)} entries, shaped like {_shape(expected)}")
    answers = [grader.read_answer(a, _names(problem)) for a in flat_answer]
    for label, want, got in zip(labels, flat_expected, answers):
        if problem.task == "gradient" and not problem.point:
            var = label.split("/d", 1)[1]
            result = grader.grade_derivative(problem.function, got, wrt=var, order=1)
        else:
            result = grader.grade_equal(want, got, tolerance=problem.exercise.tolerance)
        if not result.correct:
            return grader.Grade(False, f"{label}: {result.message}", problem.expected_text,
                                "[" + ", ".join(to_input(a) for a in answers) + "]",
                                result.mistake, result.witnesses)
    return grader.Grade(True, "Correct: every entry matches.", problem.expected_text,
                        "[" + ", ".join(to_input(a) for a in answers) + "]", None,
                        {"symbolic": "equal", "numeric": "equal"})


def _shape(expected) -> str:
    if isinstance(expected[0], tuple):
        return "[" + ", ".join("[" + ", ".join("…" for _ in row) + "]" for row in expected) + "]"
    return "[" + ", ".join("…" for _ in expected) + "]"


def final_question(problem: Problem) -> str:
    if problem.task == "value":
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
        if ex.task in ("derivative", "partial", "value", "gradient", "directional", "hessian"):
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
        ex = p.exercise
        if ex.task == "matrix-gradient":
            from calctutor.lessons import matrix_task

            return matrix_task.solution(p, Example)
        answer = f"Answer: `{p.expected_text}`"
        at = ",".join(f"{k}={to_input(v)}" for k, v in p.point.items())
        options: dict[str, Any] = {}
        command = "diff"
        if ex.task in ("derivative", "partial", "value"):
            options = {"wrt": p.wrt.name}
            if ex.order != 1:
                options["order"] = ex.order
            if ex.task == "value":
                options["at"] = at
            if ex.checkpoints == "graph":
                command, options = "graph", {"at": at}
        elif ex.task in ("gradient", "hessian", "directional"):
            command = "grad"
            if at:
                options["at"] = at
            if ex.task == "hessian":
                options["hessian"] = True
            if ex.task == "directional":
                options["dir"] = ",".join(to_input(d) for d in p.direction)
        elif ex.task == "taylor":
            command, options = "taylor", {"at": to_input(p.point[p.wrt]), "order": ex.order}
        elif ex.task == "integral":
            command, options = "integrate", {"lower": to_input(p.lower), "upper": to_input(p.upper)}
        else:
            return None, answer
        return Example(command, p.function_text, options), answer
