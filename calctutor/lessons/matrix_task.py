"""The ``matrix-gradient`` task: an exercise in matrix notation with declared shapes
(``shapes = ["x=n", "A=nxn"]``), whose answer (a gradient or Jacobian, in matrix notation)
is graded by the matrix grader — so ``2 A x`` for xᵀAx is wrong unless A is declared
symmetric. The template is read by the matrix parser, never the scalar one.

The lesson engine calls four hooks: :func:`build_exercise` (schema), :func:`draw`
(templates), :func:`grade` (practice) and :func:`solution` (the worked example).
"""

from __future__ import annotations

from typing import Any

import sympy

from calctutor.errors import CalcError

TASK = "matrix-gradient"
DESCRIPTION = "the gradient or Jacobian in matrix notation (x^T, A^-1, .*, ||x||)"
FIELDS = {"id", "task", "template", "skill", "prompt", "wrt", "shapes", "hints", "explain"}


def _decls(shapes):
    from calctutor.matrix.shapes import parse_shapes

    return parse_shapes(list(shapes))


def build_exercise(c, raw: dict, where: str, exercise_cls):
    """Validate a matrix exercise (``c`` is the schema's checker) and build it."""
    from calctutor.matrix.derive import derivative
    from calctutor.matrix.parser import parse_matrix

    c.only(raw, where, FIELDS)
    ex_id = c.get(raw, "id", where, str, required=True)
    template = c.get(raw, "template", where, str, required=True)
    skill = c.get(raw, "skill", where, str, required=True)
    shapes = c.strings(raw, "shapes", where, required=True)
    wrt = c.get(raw, "wrt", where, str, required=True)
    try:
        decls = _decls(shapes)
    except CalcError as exc:
        c.fail(f"{where}.shapes", exc.message)
    if wrt not in decls:
        c.fail(f"{where}.wrt", f"{wrt!r} has no shape in shapes")
    try:
        f = parse_matrix(template, decls)
        derivative(f, wrt, decls[wrt].shape,
                   frozenset(k for k, d in decls.items() if d.symmetric),
                   frozenset(k for k, d in decls.items() if d.prob))
    except CalcError as exc:
        c.fail(f"{where}.template", exc.message)
    hints = c.strings(raw, "hints", where)
    prompt = c.get(raw, "prompt", where, str, default="")
    explain = c.get(raw, "explain", where, str, default="")
    return exercise_cls(ex_id, TASK, template, skill, prompt=prompt, wrt=wrt, hints=hints,
                        explain=explain, shapes=shapes)


def check_example(c, expr: str, raw: dict, where: str) -> None:
    """A worked ``matgrad`` example: its shapes and expression must read."""
    from calctutor.matrix.parser import parse_matrix

    shapes = raw.get("shapes")
    if not isinstance(shapes, list) or not shapes:
        c.fail(f"{where}.shapes", "a matgrad example needs shapes = [\"x=n\", ...]")
    try:
        parse_matrix(expr, _decls(shapes))
    except CalcError as exc:
        c.fail(f"{where}.expr", exc.message)


def draw(lesson: str, ex, seed: int, problem_cls):
    """The problem (no random parameters: the sizes are symbols or fixed)."""
    from calctutor.matrix.derive import derivative
    from calctutor.matrix.parser import parse_matrix
    from calctutor.matrix.printer import to_text

    decls = _decls(ex.shapes)
    f = parse_matrix(ex.template, decls)
    d = derivative(f, ex.wrt, decls[ex.wrt].shape,
                   frozenset(k for k, x in decls.items() if x.symmetric),
                   frozenset(k for k, x in decls.items() if x.prob))
    # There is no scalar function here: ``function`` holds NaN so that no scalar path can
    # pass it off as the exercise; the text is the program field, the answer a string.
    return problem_cls(lesson, ex, seed, {}, sympy.S.NaN, ex.template, (), None, {}, (),
                       None, None, to_text(d.result), statement=statement(ex), hints=ex.hints)


def statement(ex) -> str:
    decls = _decls(ex.shapes)
    shapes = "; ".join(d.describe() for _, d in sorted(decls.items()))
    what = "gradient" if _is_scalar(ex, decls) else "Jacobian"
    return (ex.prompt or f"Find the {what} of f = `{ex.template}` with respect to {ex.wrt}.") \
        + f"  \nShapes: {shapes}."


def _is_scalar(ex, decls) -> bool:
    from calctutor.matrix.parser import parse_matrix

    return parse_matrix(ex.template, decls).shape == (1, 1)


def grade(problem, text: str):
    from calctutor.lessons.grading_adapter import Grade
    from calctutor.matrix.grade import grade_matrix
    from calctutor.matrix.printer import to_text

    ex = problem.exercise
    v = grade_matrix(ex.template, text, ex.wrt, _decls(ex.shapes))
    return Grade(v.correct, v.message, to_text(v.expected), to_text(v.answer),
                 None if v.correct else v.mistake, dict(v.witnesses), tuple(v.notes))


def solution(problem, example_cls) -> tuple[Any, str]:
    ex = problem.exercise
    return (example_cls("matgrad", ex.template, {"wrt": ex.wrt, "shapes": list(ex.shapes)}),
            f"Answer: `{problem.expected}`")
