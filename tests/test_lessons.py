"""Lesson files: every one validates, every template yields well-posed problems whose
answers an independent computation confirms, worked examples run, and the files travel
in the wheel."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import mpmath
import pytest
import sympy

from calctutor.lessons import loader
from calctutor.tutor.examples import run_example
from calctutor.lessons.practice import grade_answer as _grade
from calctutor.lessons.schema import EXAMPLE_COMMANDS, LessonError, build_lesson
from calctutor.lessons.templates import draw

REPO = Path(__file__).resolve().parents[1]
LESSON_FILES = sorted((REPO / "lessons").glob("*.toml"))
SLUGS = [
    "slopes-and-limits", "rules", "chain-rule", "activations", "partials-and-gradients",
    "multivariate-chain-rule", "backprop", "jacobian-hessian", "directional-derivatives",
    "taylor", "integration-monte-carlo", "numerical-stability", "autodiff-modes",
    "matrix-calculus",
]
SEEDS = range(16)


def all_exercises():
    return [(lesson, ex) for lesson in loader.load_lessons() for ex in lesson.exercises]


# ── the files ─────────────────────────────────────────────────────────────────────
def test_every_syllabus_section_has_a_lesson_in_teaching_order():
    lessons = loader.load_lessons()
    assert [lesson.slug for lesson in lessons] == SLUGS
    assert {lesson.section for lesson in lessons} == set(range(1, 13))
    assert not (REPO / "lessons" / ".keep").exists()


@pytest.mark.parametrize("path", LESSON_FILES, ids=lambda p: p.stem)
def test_every_lesson_file_validates(path):
    lesson = loader.load_file(path)
    assert lesson.slug == path.stem
    assert lesson.goals and lesson.pages and lesson.exercises
    assert all(page.text for page in lesson.pages)
    for page in lesson.pages:
        for example in page.examples:
            assert example.command in EXAMPLE_COMMANDS


def test_lessons_are_found_where_the_package_is_installed():
    root = loader.lessons_root()
    names = sorted(entry.name for entry in root.iterdir() if entry.name.endswith(".toml"))
    assert names == [p.name for p in LESSON_FILES]


def test_the_wheel_carries_the_lessons_and_the_loader_reads_them_from_it(tmp_path):
    from hatchling.builders.wheel import WheelBuilder

    wheel = next(iter(WheelBuilder(str(REPO)).build(directory=str(tmp_path / "dist"),
                                                    versions=["standard"])))
    with zipfile.ZipFile(wheel) as z:
        packaged = {n for n in z.namelist() if n.startswith("calctutor/lessons_data/")}
        z.extractall(tmp_path / "site")
    assert packaged == {f"calctutor/lessons_data/{p.name}" for p in LESSON_FILES}
    code = ("import calctutor, calctutor.lessons.loader as l; "
            "print(calctutor.__file__); print(l.lessons_root()); print(len(l.load_lessons()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "/usr/bin:/bin"},
                         cwd=tmp_path)
    module, root, count = out.stdout.split("\n")[:3]
    assert module.startswith(str(tmp_path / "site"))
    assert root == str(tmp_path / "site" / "calctutor" / "lessons_data")
    assert count == str(len(LESSON_FILES))


# ── validation errors name the file and the field ────────────────────────────────
def _doc(**exercise):
    doc = tomllib.loads((REPO / "lessons" / "chain-rule.toml").read_text())
    doc["exercises"][0] = {**doc["exercises"][0], **exercise}
    return doc


@pytest.mark.parametrize("change, where, words", [
    ({"template": "sinn(a x + b)"}, "exercises[0].template", "unknown function 'sinn'"),
    ({"task": "integrate-twice"}, "exercises[0].task", "unknown task"),
    ({"params": {"a": {"int": [5, 1]}, "b": {"int": [1, 2]}}}, "exercises[0].params.a.int", "above high"),
    ({"params": {"a": {"int": [1, 3]}, "b": {"int": [1, 2]}, "k": {"int": [1, 2]}}},
     "exercises[0].params.k", "not used"),
    ({"wrt": "y"}, "exercises[0].wrt", "not a variable"),
    ({"checkpoints": "sideways"}, "exercises[0].checkpoints", "unknown kind"),
    ({"prompt": "Find {nothing}"}, "exercises[0].prompt", "unknown placeholder"),
    ({"colour": "red"}, "exercises[0].colour", "unknown field"),
])
def test_validation_errors_name_file_and_field(change, where, words):
    with pytest.raises(LessonError) as info:
        build_lesson(_doc(**change), "lessons/chain-rule.toml", "chain-rule")
    text = str(info.value)
    assert text.startswith(f"lessons/chain-rule.toml: {where}: "), text
    assert words in text


def test_validation_catches_missing_fields_and_unknown_commands():
    doc = tomllib.loads((REPO / "lessons" / "rules.toml").read_text())
    del doc["goals"]
    with pytest.raises(LessonError, match=r"^lessons/rules.toml: goals: missing required field"):
        build_lesson(doc, "lessons/rules.toml", "rules")
    doc = tomllib.loads((REPO / "lessons" / "rules.toml").read_text())
    doc["pages"][0]["examples"][0]["command"] = "differentiate"
    with pytest.raises(LessonError, match=r"pages\[0\].examples\[0\].command: unknown command"):
        build_lesson(doc, "lessons/rules.toml", "rules")
    with pytest.raises(LessonError, match="does not match the file name"):
        build_lesson(tomllib.loads((REPO / "lessons" / "rules.toml").read_text()),
                     "lessons/other.toml", "other")


def test_a_broken_toml_file_is_reported_with_its_name(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text('slug = "broken"\ntitle = \n')
    with pytest.raises(LessonError, match=r"^lessons/broken.toml: not valid TOML"):
        loader.load_file(bad)


# ── templates: well-posed, answers confirmed independently ───────────────────────
def _number(expr) -> mpmath.mpf:
    value = sympy.N(expr, 50)
    assert value.is_real and value.is_finite, expr
    return mpmath.mpf(str(value))


def _at(expr, point):
    return expr.xreplace(point)


def _numeric_derivative(function, var, point, order=1):
    """mpmath's own numerical differentiation: independent of SymPy's diff."""
    others = {k: v for k, v in point.items() if k != var}

    def f(t):
        return _number(function.xreplace({**others, var: sympy.Float(mpmath.nstr(t, 50), 60)}))

    with mpmath.workdps(50):  # explicit step: mpmath's default is tuned for exact functions
        return mpmath.diff(f, _number(point[var]), order, h=mpmath.mpf("1e-12"))


def _sample_point(problem):
    values = [sympy.Rational(7, 10), sympy.Rational(-3, 10), sympy.Rational(13, 10)]
    return {v: values[i % 3] + sympy.Rational(i, 7) for i, v in enumerate(problem.variables)}


def _confirm(problem):
    ex, f = problem.exercise, problem.function
    expected = problem.expected
    if ex.task in ("derivative", "partial"):
        point = _sample_point(problem)
        assert _at(f, point).is_finite
        approx = _numeric_derivative(f, problem.wrt, point, ex.order)
        assert abs(_number(_at(expected, point)) - approx) < mpmath.mpf("1e-12") * (1 + abs(approx))
    elif ex.task == "value":
        approx = _numeric_derivative(f, problem.wrt, problem.point, ex.order)
        assert abs(_number(expected) - approx) < mpmath.mpf("1e-12") * (1 + abs(approx))
    elif ex.task == "evaluate":
        assert abs(_number(expected) - _number(_at(f, problem.point))) < 1e-20
    elif ex.task in ("gradient", "hessian"):
        point = problem.point or _sample_point(problem)
        for i, v in enumerate(problem.variables):
            if ex.task == "gradient":
                approx = _numeric_derivative(f, v, point)
                got = expected[i] if problem.point else _at(expected[i], point)
                assert abs(_number(got) - approx) < 1e-12 * (1 + abs(approx))
            else:
                for j, w in enumerate(problem.variables):
                    other_order = _at(sympy.diff(sympy.diff(f, w), v), point)  # d/dv after d/dw
                    got = expected[i][j] if problem.point else _at(expected[i][j], point)
                    assert abs(_number(got) - _number(other_order)) < 1e-20
    elif ex.task == "directional":
        grad = [_numeric_derivative(f, v, problem.point) for v in problem.variables]
        d = [_number(c) for c in problem.direction]
        norm = mpmath.sqrt(sum(c * c for c in d))
        approx = sum(g * c for g, c in zip(grad, d)) / norm
        assert abs(_number(expected) - approx) < 1e-12 * (1 + abs(approx))
    elif ex.task == "taylor":
        a = problem.point[problem.wrt]
        series = f.series(problem.wrt, a, ex.order + 1).removeO()
        assert sympy.expand(series - expected) == 0
    elif ex.task == "integral":
        x = problem.wrt
        approx = mpmath.quad(lambda t: _number(f.xreplace({x: sympy.Float(mpmath.nstr(t, 30), 40)})),
                             [_number(problem.lower), _number(problem.upper)])
        assert abs(_number(expected) - approx) < 1e-15 * (1 + abs(approx))
    elif ex.task == "equivalent":
        assert sympy.simplify(expected - f) == 0


@pytest.mark.parametrize("lesson, exercise", all_exercises(),
                         ids=lambda v: getattr(v, "id", getattr(v, "slug", "")))
def test_every_template_is_well_posed_and_its_answer_confirmed(lesson, exercise):
    statements = set()
    for seed in SEEDS:
        problem = draw(lesson.slug, exercise, seed)
        assert problem.statement and "{" not in problem.statement, problem.statement
        assert not any(re.search(r"\{[A-Za-z_]\w*\}", h) for h in problem.hints), problem.hints
        _confirm(problem)
        statements.add(problem.statement)
        assert draw(lesson.slug, exercise, seed).statement == problem.statement  # reproducible
    if exercise.params:
        assert len(statements) > 1, f"{exercise.id}: every seed gave the same problem"


@pytest.mark.parametrize("lesson, exercise", all_exercises(),
                         ids=lambda v: getattr(v, "id", getattr(v, "slug", "")))
def test_typing_the_computed_answer_back_is_graded_correct(lesson, exercise):
    problem = draw(lesson.slug, exercise, 11)
    result = _grade(problem, problem.expected_text)
    assert result.correct, (problem.statement, problem.expected_text, result.message)


def test_worked_examples_run_live_with_their_renderers():
    from rich.console import Console

    console = Console(file=open("/dev/null", "w"), width=100)
    count = 0
    for lesson in loader.load_lessons():
        for page in lesson.pages:
            for example in page.examples:
                run = run_example(example)
                console.print(run.view.to_rich(run.result))
                count += 1
    assert count >= 30


def test_syllabus_numbers_come_out_of_the_engines():
    from calctutor.commands.diff import run_diff
    from calctutor.commands.graph import run_graph

    chain = run_diff("y = 2x^3 + 3; z = y^2", at="x=0.5")
    assert chain.value == sympy.Rational(39, 4)
    neuron = run_graph("g = w x; a = g^2; L = a", at="w=3,x=2")
    assert neuron.gradient()["w"] == 24
    three = run_diff("sin((4x)^2)")
    x = sympy.Symbol("x", real=True)
    assert sympy.simplify(three.derivative - 32 * x * sympy.cos(16 * x**2)) == 0
