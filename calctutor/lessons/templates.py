"""Exercise templates: seeded parameter draws and the computed expected answer.

``draw(lesson_slug, exercise, seed)`` turns ``sin(a x + b)`` with ``a`` and ``b`` drawn
from their ranges into one concrete :class:`Problem`. The draw is a pure function of
(lesson, exercise id, seed), so ``--seed`` reproduces a session. Draws that would make a
degenerate problem (a derivative that is identically 0, a point outside the domain, a
``nonzero`` constraint broken, an integral SymPy cannot do exactly) are redrawn; an
exercise that keeps failing is an authoring error, reported with file and field.

The expected answer is always computed here — with SymPy, which the step engine and the
grader agree with — and never read from the lesson file.
"""

from __future__ import annotations

import dataclasses
import random
import re
from dataclasses import dataclass, field
from typing import Any

import sympy

from calctutor.lessons.schema import Exercise, LessonError
from calctutor.lessons.tasks import Degenerate, bad_value, kind
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.parsing import parse, parse_program, to_input
from calctutor.parsing.builder import symbol
from calctutor.timeouts import time_limit

MAX_REDRAWS = 60
MAX_EXPECTED_OPS = 400


@dataclass(frozen=True)
class Problem:
    """One concrete exercise: the function, the point, the question and its answer."""

    lesson: str
    exercise: Exercise
    seed: int
    values: dict[str, sympy.Expr]
    function: sympy.Expr
    program: str | None
    variables: tuple[sympy.Symbol, ...]
    wrt: sympy.Symbol | None
    point: dict[sympy.Symbol, sympy.Expr]
    direction: tuple[sympy.Expr, ...]
    lower: sympy.Expr | None
    upper: sympy.Expr | None
    expected: Any  # Expr, or a tuple of Expr (gradient), or a tuple of tuples (Hessian)
    statement: str = ""
    definitions: tuple[tuple[str, sympy.Expr], ...] = field(default=())
    structure: sympy.Expr | None = None  # as the template was written (for the step engine)
    hints: tuple[str, ...] = ()  # the exercise's hints with the drawn numbers filled in

    @property
    def task(self) -> str:
        return self.exercise.task

    @property
    def function_text(self) -> str:
        if self.program:
            return self.program
        return to_input(self.structure if self.structure is not None else self.function)

    @property
    def expected_text(self) -> str:
        return kind(self.task).expected_text(self.expected)

    @property
    def point_text(self) -> str:
        return ", ".join(f"{v} = {to_input(val)}" for v, val in self.point.items())

    @property
    def derivative(self) -> sympy.Expr:
        """The derivative the task is built on (for hints and worked solutions)."""
        if self.wrt is None:
            return self.function
        return sympy.diff(self.function, self.wrt, max(self.exercise.order, 1))


def answer_text(expected: Any) -> str:
    """An expected answer in our input syntax: an expression, [a, b] or [[a, b], [c, d]]."""
    if isinstance(expected, tuple):
        return "[" + ", ".join(answer_text(e) for e in expected) + "]"
    return to_input(expected)


def _rng(lesson: str, exercise_id: str, seed: int, attempt: int) -> random.Random:
    return random.Random(f"{lesson}/{exercise_id}/{seed}/{attempt}")


def _value(raw: Any) -> sympy.Expr:
    return parse(repr(raw) if isinstance(raw, float) else str(raw))


def draw_values(exercise: Exercise, rng: random.Random) -> dict[str, sympy.Expr]:
    values: dict[str, sympy.Expr] = {}
    for p in exercise.params:
        if p.choice:
            options = [v for v in p.choice if v not in p.exclude]
            values[p.name] = _value(rng.choice(options))
        else:
            options = [n for n in range(p.low, p.high + 1) if n not in p.exclude]
            values[p.name] = sympy.Integer(rng.choice(options))
    return values


def _in_params(text: str, values: dict[str, sympy.Expr]) -> sympy.Expr:
    expr = parse(text, names=list(values))
    return expr.xreplace({symbol(k): v for k, v in values.items()})


def draw(lesson: str, exercise: Exercise, seed: int) -> Problem:
    """The problem for this seed (redrawing degenerate parameter choices)."""
    last = "no draw was tried"
    for attempt in range(MAX_REDRAWS):
        rng = _rng(lesson, exercise.id, seed, attempt)
        values = draw_values(exercise, rng)
        try:
            with time_limit(DEFAULT_TIMEOUT_SECONDS, "computing the exercise's answer"):
                return _build(lesson, exercise, seed, values)
        except Degenerate as exc:
            last = str(exc)
    raise LessonError(f"lessons/{lesson}.toml", f"exercise {exercise.id!r}",
                      f"no well-posed problem in {MAX_REDRAWS} draws (last: {last})")


def _build(lesson: str, ex: Exercise, seed: int, values: dict[str, sympy.Expr]) -> Problem:
    subs = {symbol(k): v for k, v in values.items()}
    for text in ex.nonzero:
        if _in_params(text, values) == 0:
            raise Degenerate(f"{text} is 0")

    program_text = None
    definitions: tuple[tuple[str, sympy.Expr], ...] = ()
    if ex.is_program:
        program = parse_program(ex.template, names=list(values))
        definitions = tuple((d.name, d.expr.xreplace(subs)) for d in program.definitions)
        program_text = "; ".join(f"{name} = {to_input(expr)}" for name, expr in definitions)
        function = program.inlined().xreplace(subs)
        structure = None
    else:
        function = parse(ex.template, names=list(values)).xreplace(subs)
        structure = None
        if ex.as_written:
            with sympy.evaluate(False):
                structure = _tidy(parse(ex.template, names=list(values), evaluate=False).xreplace(subs))
            if parse(to_input(structure)) != function:  # the typed form must read back the same
                structure = None
    if bad_value(function):
        raise Degenerate("the function is undefined")

    variables = tuple(symbol(v) for v in ex.variables)
    wrt = symbol(ex.wrt) if ex.wrt else None
    point = {symbol(k): _in_params(v, values) for k, v in ex.at.items()}
    direction = tuple(_in_params(v, values) for v in ex.direction)
    lower = _in_params(ex.lower, values) if ex.lower is not None else None
    upper = _in_params(ex.upper, values) if ex.upper is not None else None

    if wrt is not None and wrt not in function.free_symbols:
        raise Degenerate(f"the function does not depend on {wrt}")
    if point and bad_value(function.xreplace(point)):
        raise Degenerate("the point is outside the function's domain")

    expected = _expected(ex, function, variables, wrt, point, direction, lower, upper)
    _check_expected(ex, expected)
    problem = Problem(lesson, ex, seed, values, function, program_text, variables, wrt, point,
                      direction, lower, upper, expected, "", definitions, structure)
    return _with_statement(problem)


def _tidy(expr: sympy.Expr) -> sympy.Expr:
    """Drop the 1·x, x + 0 and x^1 that substituting numbers into a typed template leaves
    (call under ``sympy.evaluate(False)``)."""
    if not expr.args or expr.is_Number:
        return expr
    args = [_tidy(a) for a in expr.args]
    if expr.is_Mul:
        kept = [a for a in args if a != 1]
        if not kept:
            return sympy.Integer(1)
        return kept[0] if len(kept) == 1 else sympy.Mul(*kept)
    if expr.is_Add:
        kept = [a for a in args if a != 0]
        if not kept:
            return sympy.Integer(0)
        return kept[0] if len(kept) == 1 else sympy.Add(*kept)
    if expr.is_Pow and args[1] == 1:
        return args[0]
    return expr.func(*args)


def _expected(ex, function, variables, wrt, point, direction, lower, upper):
    return kind(ex.task).expected(ex, function, variables, wrt, point, direction, lower, upper)


def _flat(expected: Any) -> list[sympy.Expr]:
    if isinstance(expected, tuple):
        return [e for item in expected for e in _flat(item)]
    return [expected]


def _check_expected(ex: Exercise, expected: Any) -> None:
    for item in _flat(expected):
        if bad_value(item):
            raise Degenerate("the answer is undefined")
        if sympy.count_ops(item) > MAX_EXPECTED_OPS:
            raise Degenerate("the answer is unreasonably large")
    kind(ex.task).check_expected(ex, expected)


# ── the question, in words ─────────────────────────────────────────────────────────
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def default_prompt(ex: Exercise) -> str:
    return kind(ex.task).prompt(ex)


def _with_statement(problem: Problem) -> Problem:
    ex = problem.exercise
    fields = {
        "f": problem.function_text,
        "wrt": str(problem.wrt) if problem.wrt is not None else "",
        "at": problem.point_text,
        "dir": "[" + ", ".join(to_input(d) for d in problem.direction) + "]",
        "lower": to_input(problem.lower) if problem.lower is not None else "",
        "upper": to_input(problem.upper) if problem.upper is not None else "",
        "order": str(ex.order),
        "variables": ", ".join(ex.variables),
    }
    fields.update({k: to_input(v) for k, v in problem.values.items()})
    def fill(template: str) -> str:
        return _PLACEHOLDER.sub(lambda m: fields.get(m.group(1), m.group(0)), template)

    return dataclasses.replace(problem, statement=fill(ex.prompt or default_prompt(ex)),
                               hints=tuple(fill(h) for h in ex.hints))
