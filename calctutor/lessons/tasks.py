"""Task kinds: what an exercise asks for, one class per kind.

Each class says, for its kind: what the learner types (:attr:`~TaskKind.answer`), which
fields a lesson file must give (:meth:`~TaskKind.problems`), the question in words
(:meth:`~TaskKind.prompt`), the expected answer computed by the engine
(:meth:`~TaskKind.expected`), how an answer is graded (:meth:`~TaskKind.grade`), whether
the step engine's first step is a hint (:attr:`~TaskKind.first_step_hint`) and which
command shows the worked solution (:meth:`~TaskKind.solution`).

To add a task kind: a subclass here, registered in :data:`KINDS`. Nothing else branches
on the task's name.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sympy

from calctutor.errors import CalcError
from calctutor.lessons import grading_adapter as grader
from calctutor.parsing import to_input
from calctutor.textsplit import split

if TYPE_CHECKING:  # pragma: no cover - types only
    from calctutor.lessons.templates import Problem

_ORDINAL = {1: "", 2: "second ", 3: "third ", 4: "fourth ", 5: "fifth ", 6: "sixth "}


class Degenerate(Exception):
    """A drawn exercise whose answer is unusable (the template draws again)."""


def bad_value(expr: sympy.Expr) -> bool:
    """Undefined or infinite somewhere in the expression (zoo, nan, ±oo)."""
    return bool(expr.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo))


def _at(expr: sympy.Expr, point: dict) -> sympy.Expr:
    if not point:
        return expr
    value = expr.xreplace(point)
    value = sympy.simplify(value) if value.free_symbols == set() and not value.is_Number else value
    return value


def _names(problem: Problem) -> list[str]:
    return [v.name for v in problem.variables]


class TaskKind:
    """The behaviour every kind shares; subclasses override what differs."""

    name = ""
    answer = ""  # what the learner types, in words
    needs_wrt = False  # the exercise names (or implies) the variable
    min_variables = 0
    needs_point = False  # a value for every variable
    numeric = False  # the answer is a number
    first_step_hint = False  # the step engine's first step is a hint level
    checkpoints: tuple[str, ...] = ()  # checkpoint kinds that go with this task

    # ── the lesson file ───────────────────────────────────────────────────────────
    def problems(self, variables, wrt, at, direction, lower, upper) -> list[tuple[str, str]]:
        """(field, message) for each thing the exercise lacks for this kind."""
        out = []
        if len(variables) < self.min_variables:
            out.append(("template", f"a {self.name} exercise needs at least "
                                    f"{self.min_variables} variable(s)"))
        if self.needs_point:
            missing = [v for v in variables if v not in at]
            if missing:
                out.append(("at", f"task {self.name!r} needs a value for {', '.join(missing)}"))
        return out

    # ── the question ──────────────────────────────────────────────────────────────
    def prompt(self, ex) -> str:
        raise NotImplementedError

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper) -> Any:
        raise NotImplementedError

    def expected_text(self, expected: Any) -> str:
        if isinstance(expected, tuple):
            return "[" + ", ".join(self.expected_text(e) for e in expected) + "]"
        return to_input(expected)

    def check_expected(self, ex, expected: Any) -> None:
        """Degenerate when the drawn answer would make a poor exercise."""
        if self.numeric or (ex.at and isinstance(expected, tuple)):
            for item in _flat(expected):
                if item.free_symbols:
                    raise Degenerate("the answer is not a number")
                if not item.is_real:
                    raise Degenerate("the answer is not a real number")

    # ── the answer ────────────────────────────────────────────────────────────────
    def grade(self, problem: Problem, text: str) -> grader.Grade:
        answer = grader.read_answer(text, _names(problem))
        forbidden = _forbidden(problem, answer)
        if forbidden is not None:
            return forbidden
        if self.numeric and answer.free_symbols:
            names = ", ".join(sorted(s.name for s in answer.free_symbols))
            raise CalcError(f"the answer should be a number, but it still contains {names}",
                            hint=f"substitute {problem.point_text}" if problem.point else None)
        return grader.grade_equal(problem.expected, answer, tolerance=problem.exercise.tolerance)

    def solution(self, problem: Problem) -> tuple[str, dict[str, Any]] | None:
        """The command (and its options) that shows the worked solution, or None."""
        return None


def _flat(expected: Any) -> list[sympy.Expr]:
    if isinstance(expected, tuple):
        return [e for item in expected for e in _flat(item)]
    return [expected]


def _forbidden(problem: Problem, answer: sympy.Expr) -> grader.Grade | None:
    for name in problem.exercise.forbid:
        if _uses(answer, name):
            return grader.Grade(False, f"Equal, perhaps, but the exercise asks for a form "
                                       f"without {name}.", problem.expected_text,
                                to_input(answer), "unknown")
    return None


def _uses(expr: sympy.Expr, name: str) -> bool:
    from calctutor.primitives import by_name
    from calctutor.rules import sympy_function

    fn = sympy_function(by_name(name))
    return any(isinstance(node, fn) if isinstance(fn, type) else node.func == fn
               for node in sympy.preorder_traversal(expr)) or (
        name == "exp" and any(n.is_Pow and n.base == sympy.E for n in sympy.preorder_traversal(expr)))


def _point_text(problem: Problem) -> str:
    return ",".join(f"{k}={to_input(v)}" for k, v in problem.point.items())


# ── derivatives ─────────────────────────────────────────────────────────────────────
class Derivative(TaskKind):
    name = "derivative"
    answer = "the derivative (an expression)"
    needs_wrt = True
    first_step_hint = True
    checkpoints = ("chain",)
    word = "derivative"

    def prompt(self, ex) -> str:
        order = _ORDINAL.get(ex.order, f"order-{ex.order} ")
        return f"Find the {order}{self.word} of f = {{f}} with respect to {{wrt}}."

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        return sympy.diff(function, wrt, ex.order)

    def expected_text(self, expected: Any) -> str:
        from calctutor.steps import teacher_form

        return to_input(teacher_form(expected)[0])

    def check_expected(self, ex, expected: Any) -> None:
        if expected == 0:
            raise Degenerate("the derivative is identically 0")

    def grade(self, problem: Problem, text: str) -> grader.Grade:
        answer = grader.read_answer(text, _names(problem))
        forbidden = _forbidden(problem, answer)
        if forbidden is not None:
            return forbidden
        return grader.grade_derivative(problem.function, answer, wrt=problem.wrt.name,
                                       order=problem.exercise.order, structured=problem.structure)

    def solution(self, problem: Problem):
        options: dict[str, Any] = {"wrt": problem.wrt.name}
        if problem.exercise.order != 1:
            options["order"] = problem.exercise.order
        return "diff", options


class Partial(Derivative):
    name = "partial"
    answer = "a partial derivative (an expression)"
    min_variables = 2
    word = "partial derivative"

    def problems(self, variables, wrt, at, direction, lower, upper):
        if len(variables) < 2:
            return [("task", "a partial derivative needs a template with two or more variables")]
        return []


class Value(TaskKind):
    name = "value"
    answer = "the value of the derivative at a point (a number)"
    needs_wrt = True
    needs_point = True
    numeric = True
    first_step_hint = True
    checkpoints = ("graph",)

    def prompt(self, ex) -> str:
        order = _ORDINAL.get(ex.order, f"order-{ex.order} ")
        return f"For f = {{f}}, find the {order}derivative with respect to {{wrt}} at {{at}}."

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        return _at(sympy.diff(function, wrt, ex.order), point)

    def solution(self, problem: Problem):
        if problem.exercise.checkpoints == "graph":
            return "graph", {"at": _point_text(problem)}
        options: dict[str, Any] = {"wrt": problem.wrt.name}
        if problem.exercise.order != 1:
            options["order"] = problem.exercise.order
        options["at"] = _point_text(problem)
        return "diff", options


class Evaluate(TaskKind):
    name = "evaluate"
    answer = "the value of the expression itself at the point (a number)"
    needs_point = True
    numeric = True

    def prompt(self, ex) -> str:
        return "Evaluate {f} at {at}."

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        return _at(function, point)


# ── several variables ───────────────────────────────────────────────────────────────
class Gradient(TaskKind):
    name = "gradient"
    answer = "the gradient, as a list [df/dx, df/dy, ...]"
    min_variables = 1
    first_step_hint = True

    def problems(self, variables, wrt, at, direction, lower, upper):
        return [("template", "a gradient needs at least one variable")] if not variables else []

    def prompt(self, ex) -> str:
        return ("Find the gradient of f = {f}, as [" + ", ".join(f"df/d{v}" for v in ex.variables)
                + "]" + (" at {at}." if ex.at else "."))

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        return tuple(_at(sympy.diff(function, v), point) for v in variables)

    def check_expected(self, ex, expected: Any) -> None:
        super().check_expected(ex, expected)
        if all(item == 0 for item in _flat(expected)):
            raise Degenerate("the gradient is zero")

    def entries(self, problem: Problem, text: str):
        parts = _split_list(text)
        if len(parts) != len(problem.expected):
            raise CalcError(f"expected {len(problem.expected)} entries, shaped like "
                            f"{_shape(problem.expected)}")
        labels = [f"df/d{v}" for v in _names(problem)]
        return labels, list(problem.expected), parts

    def grade_entry(self, problem: Problem, label: str, want, got) -> grader.Grade:
        if not problem.point:
            return grader.grade_derivative(problem.function, got, wrt=label.split("/d", 1)[1],
                                           order=1)
        return grader.grade_equal(want, got, tolerance=problem.exercise.tolerance)

    def grade(self, problem: Problem, text: str) -> grader.Grade:
        labels, flat_expected, flat_answer = self.entries(problem, text)
        answers = [grader.read_answer(a, _names(problem)) for a in flat_answer]
        shown = "[" + ", ".join(to_input(a) for a in answers) + "]"
        for label, want, got in zip(labels, flat_expected, answers):
            result = self.grade_entry(problem, label, want, got)
            if not result.correct:
                return grader.Grade(False, f"{label}: {result.message}", problem.expected_text,
                                    shown, result.mistake, result.witnesses)
        return grader.Grade(True, "Correct: every entry matches.", problem.expected_text,
                            shown, None, {"symbolic": "equal", "numeric": "equal"})

    def solution(self, problem: Problem):
        at = _point_text(problem)
        return "grad", ({"at": at} if at else {})


class Hessian(Gradient):
    name = "hessian"
    answer = "the Hessian matrix, as [[..], [..]]"

    def prompt(self, ex) -> str:
        return ("Find the Hessian of f = {f}" + (" at {at}" if ex.at else "")
                + ", as [[row 1], [row 2], ...].")

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        return tuple(tuple(_at(sympy.diff(function, a, b), point) for b in variables)
                     for a in variables)

    def check_expected(self, ex, expected: Any) -> None:
        TaskKind.check_expected(self, ex, expected)

    def entries(self, problem: Problem, text: str):
        expected = problem.expected
        rows = [_split_list(p) for p in _split_list(text)]
        if not (len(rows) == len(expected) and all(len(r) == len(e) for r, e in zip(rows, expected))):
            raise CalcError(f"expected {sum(len(r) for r in expected)} entries, shaped like "
                            f"{_shape(expected)}")
        labels = [f"row {i + 1}, column {j + 1}" for i in range(len(expected))
                  for j in range(len(expected[0]))]
        return labels, [e for row in expected for e in row], [a for row in rows for a in row]

    def grade_entry(self, problem: Problem, label: str, want, got) -> grader.Grade:
        return grader.grade_equal(want, got, tolerance=problem.exercise.tolerance)

    def solution(self, problem: Problem):
        command, options = super().solution(problem)
        return command, {**options, "hessian": True}


class Directional(TaskKind):
    name = "directional"
    answer = "the directional derivative at a point (a number)"
    needs_point = True
    numeric = True
    first_step_hint = True

    def problems(self, variables, wrt, at, direction, lower, upper):
        out = super().problems(variables, wrt, at, direction, lower, upper)
        if len(direction) != len(variables):
            out.append(("dir", f"needs {len(variables)} components, one per variable "
                               f"({', '.join(variables)})"))
        return out

    def prompt(self, ex) -> str:
        return "Find the directional derivative of f = {f} at {at} in the direction {dir}."

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        norm = sympy.sqrt(sum(d**2 for d in direction))
        if norm == 0:
            raise Degenerate("the direction is the zero vector")
        grad = [_at(sympy.diff(function, v), point) for v in variables]
        return sympy.nsimplify(sympy.simplify(sum(g * d for g, d in zip(grad, direction)) / norm))

    def solution(self, problem: Problem):
        return "grad", {"at": _point_text(problem),
                        "dir": ",".join(to_input(d) for d in problem.direction)}


# ── series, integrals, forms ────────────────────────────────────────────────────────
class Taylor(TaskKind):
    name = "taylor"
    answer = "the Taylor polynomial (an expression)"
    needs_wrt = True

    def problems(self, variables, wrt, at, direction, lower, upper):
        if set(at) != {wrt}:
            return [("at", f"a Taylor exercise needs the centre, as at = {{ {wrt} = ... }}")]
        return []

    def prompt(self, ex) -> str:
        return "Write the Taylor polynomial of degree {order} of f = {f} about {at}."

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        a = point[wrt]
        terms = [sympy.diff(function, wrt, k).xreplace({wrt: a}) / sympy.factorial(k) * (wrt - a) ** k
                 for k in range(ex.order + 1)]
        if any(bad_value(t) for t in terms):
            raise Degenerate("a derivative is undefined at the centre")
        return sympy.expand(sum(terms))

    def solution(self, problem: Problem):
        return "taylor", {"at": to_input(problem.point[problem.wrt]),
                          "order": problem.exercise.order}


class Integral(TaskKind):
    name = "integral"
    answer = "the value of a definite integral (a number)"
    needs_wrt = True
    numeric = True

    def problems(self, variables, wrt, at, direction, lower, upper):
        if lower is None or upper is None:
            return [("lower" if lower is None else "upper", "an integral needs both bounds")]
        return []

    def prompt(self, ex) -> str:
        return "Compute the integral of {f} d{wrt} from {lower} to {upper}."

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        result = sympy.integrate(function, (wrt, lower, upper))
        if result.has(sympy.Integral):
            raise Degenerate("SymPy cannot do this integral exactly")
        return sympy.simplify(result)

    def solution(self, problem: Problem):
        return "integrate", {"lower": to_input(problem.lower), "upper": to_input(problem.upper)}


class Equivalent(TaskKind):
    name = "equivalent"
    answer = "an equivalent form of the expression"
    min_variables = 1

    def problems(self, variables, wrt, at, direction, lower, upper):
        return [("template", "an equivalent-form exercise needs a variable")] if not variables else []

    def prompt(self, ex) -> str:
        return "Write {f} in an equivalent form."

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        return function


def _split_list(text: str) -> list[str]:
    inner = text.strip()
    if inner[:1] in "[(" and inner[-1:] in "])":
        inner = inner[1:-1]
    return split(inner, ",")


def _shape(expected) -> str:
    if isinstance(expected[0], tuple):
        return "[" + ", ".join("[" + ", ".join("…" for _ in row) + "]" for row in expected) + "]"
    return "[" + ", ".join("…" for _ in expected) + "]"


# ── optimisation ────────────────────────────────────────────────────────────────────
class StableRate(TaskKind):
    """On a quadratic, plain gradient descent converges exactly when the rate is below
    2/lambda_max (lambda_max: the Hessian's largest eigenvalue); the answer is that bound."""

    name = "stable-rate"
    answer = "the rate above which gradient descent diverges (a number)"
    min_variables = 1
    numeric = True

    def prompt(self, ex) -> str:
        return ("Plain gradient descent with a fixed rate on f = {f}: above which rate does it "
                "diverge? (f is quadratic, so its Hessian is the same everywhere.)")

    def expected(self, ex, function, variables, wrt, point, direction, lower, upper):
        symbols = [sympy.Symbol(v, real=True) if isinstance(v, str) else v for v in variables]
        hessian = sympy.Matrix([[sympy.diff(function, a, b) for b in symbols] for a in symbols])
        if hessian.free_symbols:
            raise Degenerate("the function is not quadratic")
        eigenvalues = [sympy.nsimplify(e) for e in hessian.eigenvals()]
        top = max(eigenvalues, key=lambda e: float(e))
        if not all(float(e) > 0 for e in eigenvalues):
            raise Degenerate("the quadratic is not a bowl")
        return sympy.nsimplify(2 / top)

    def solution(self, problem: Problem):
        start = ",".join(f"{s.name}=1" for s in sorted(problem.function.free_symbols,
                                                       key=lambda s: s.name))
        rate = float(problem.expected) * 1.05
        return "descend", {"start": start, "rate": f"{rate:.4g}", "steps": 20}


#: Every task kind by name, in the order the documentation lists them.
KINDS: dict[str, TaskKind] = {k.name: k for k in (
    Derivative(), Partial(), Value(), Evaluate(), Gradient(), Hessian(), Directional(),
    Taylor(), Integral(), Equivalent(), StableRate(),
)}


def kind(name: str) -> TaskKind:
    return KINDS[name]
