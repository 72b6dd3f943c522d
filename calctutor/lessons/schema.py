"""The lesson schema: dataclasses for a lesson and the validation of one TOML document.

A lesson file is TOML (read with the standard library's ``tomllib``). Every problem found
is reported as ``<file>: <field>: <what is wrong>``, for example
``lessons/chain-rule.toml: exercises[2].template: unknown function 'sinn'``, so an author
can go straight to the line. Expressions (templates, worked examples, points) are parsed
with calctutor's own parser at load time, never evaluated. docs/lessons.md documents
every field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from calctutor import interface
from calctutor.errors import CalcError
from calctutor.lessons.tasks import KINDS

#: Tasks an exercise can set, and what the learner types for each (one class per kind
#: in :mod:`calctutor.lessons.tasks`).
TASKS: dict[str, str] = {name: kind.answer for name, kind in KINDS.items()}

#: Commands a worked example may run, and their options: both from the commands'
#: declarations (:mod:`calctutor.interface`). An example names an option by its flag
#: (``-`` written ``_``: ``monte_carlo``) or by the run function's keyword (``lower``).
EXAMPLE_COMMANDS = interface.EXAMPLE_COMMANDS

CHECKPOINT_KINDS = ("chain", "graph")

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


class LessonError(CalcError):
    """A lesson file that cannot be used, with the file and field that are wrong."""

    def __init__(self, source: str, where: str, message: str) -> None:
        text = f"{source}: {where}: {message}" if where else f"{source}: {message}"
        super().__init__(text)
        self.source = source
        self.where = where
        self.detail = message


@dataclass(frozen=True)
class Example:
    """A worked example: one calctutor command, run live when the lesson is shown."""

    command: str
    expr: str
    options: dict[str, Any] = field(default_factory=dict)
    caption: str = ""

    def command_line(self) -> str:
        """The same example as a shell command the learner can type."""
        parts = [f"calctutor {self.command}", _quote(self.expr)]
        options = dict(self.options)
        if self.command == "check" and "answer" in options:
            parts.append(_quote(str(options.pop("answer"))))
        spec = interface.command(self.command)
        for key, value in options.items():
            flag = spec.option(key.replace("_", "-") if key not in {
                o.keyword for o in spec.options} else key).flag
            if value is True:
                parts.append(flag)
            elif isinstance(value, list):
                parts.append(f"{flag} {','.join(str(v) for v in value)}")
            else:
                parts.append(f"{flag} {_quote(str(value))}")
        return " ".join(parts)


def option_text(value: Any) -> str | bool:
    """A lesson file's option value as the command line would give it (lists joined)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)


def _quote(text: str) -> str:
    return text if re.fullmatch(r"[A-Za-z0-9_.=,^*/+-]+", text) else f'"{text}"'


@dataclass(frozen=True)
class Page:
    """A short explanation (Markdown) and the worked examples that go with it."""

    title: str
    text: str
    examples: tuple[Example, ...] = ()


@dataclass(frozen=True)
class Param:
    """A random parameter: integers in a range or a choice from a list, with exclusions."""

    name: str
    low: int | None = None
    high: int | None = None
    choice: tuple[Any, ...] = ()
    exclude: tuple[Any, ...] = ()


@dataclass(frozen=True)
class Exercise:
    """An exercise template: parameters are drawn per seed, the answer is computed."""

    id: str
    task: str
    template: str
    skill: str
    params: tuple[Param, ...] = ()
    prompt: str = ""
    wrt: str | None = None
    order: int = 1
    variables: tuple[str, ...] = ()
    at: dict[str, str] = field(default_factory=dict)
    direction: tuple[str, ...] = ()
    lower: str | None = None
    upper: str | None = None
    nonzero: tuple[str, ...] = ()
    tolerance: float | None = None
    hints: tuple[str, ...] = ()
    checkpoints: str | None = None
    forbid: tuple[str, ...] = ()
    explain: str = ""
    as_written: bool = False  # show the function as the template writes it: sin((4x)^2)

    @property
    def is_program(self) -> bool:
        return "=" in self.template


@dataclass(frozen=True)
class Lesson:
    slug: str
    title: str
    order: int
    summary: str
    goals: tuple[str, ...]
    pages: tuple[Page, ...]
    exercises: tuple[Exercise, ...]
    section: int = 0
    source: str = ""

    def exercise(self, exercise_id: str) -> Exercise:
        for ex in self.exercises:
            if ex.id == exercise_id:
                return ex
        raise KeyError(exercise_id)


# ── validation ──────────────────────────────────────────────────────────────────────
class _Checker:
    """Reads one raw TOML document field by field, raising LessonError on the first fault."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str):
        raise LessonError(self.source, where, message)

    def table(self, doc: Any, where: str) -> dict:
        if not isinstance(doc, dict):
            self.fail(where, f"expected a table, got {_kind(doc)}")
        return doc

    def only(self, doc: dict, where: str, allowed: set[str]) -> None:
        for key in doc:
            if key not in allowed:
                prefix = f"{where}." if where else ""
                self.fail(f"{prefix}{key}", f"unknown field (allowed: {', '.join(sorted(allowed))})")

    def get(self, doc: dict, key: str, where: str, kind: type | tuple, required: bool = False,
            default: Any = None) -> Any:
        path = f"{where}.{key}" if where else key
        if key not in doc:
            if required:
                self.fail(path, "missing required field")
            return default
        value = doc[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if isinstance(value, bool) and bool not in kinds:
            self.fail(path, f"expected {_names(kinds)}, got a boolean")
        if not isinstance(value, kinds):
            self.fail(path, f"expected {_names(kinds)}, got {_kind(value)}")
        if isinstance(value, str) and not value.strip() and required:
            self.fail(path, "must not be empty")
        return value

    def strings(self, doc: dict, key: str, where: str, required: bool = False) -> tuple[str, ...]:
        path = f"{where}.{key}" if where else key
        values = self.get(doc, key, where, list, required, [])
        out = []
        for i, v in enumerate(values):
            if not isinstance(v, str) or not v.strip():
                self.fail(f"{path}[{i}]", "expected a non-empty string")
            out.append(v)
        if required and not out:
            self.fail(path, "must list at least one entry")
        return tuple(out)

    def expression(self, text: str, path: str, names=(), program: bool = False):
        from calctutor.errors import ParseError
        from calctutor.parsing import parse, parse_program

        try:
            if program:
                return parse_program(text, names=names)
            return parse(text, names=names)
        except ParseError as exc:
            self.fail(path, exc.message)


def _kind(value: Any) -> str:
    return {dict: "a table", list: "a list", str: "a string", int: "an integer",
            float: "a number", bool: "a boolean"}.get(type(value), type(value).__name__)


def _names(kinds: tuple) -> str:
    names = {str: "a string", int: "an integer", float: "a number", list: "a list",
             dict: "a table", bool: "true or false"}
    return " or ".join(names.get(k, k.__name__) for k in kinds)


LESSON_FIELDS = {"slug", "title", "order", "section", "summary", "goals", "pages", "exercises"}
PAGE_FIELDS = {"title", "text", "examples"}
EXAMPLE_FIELDS = {"command", "expr", "caption"}
EXERCISE_FIELDS = {
    "id", "task", "template", "skill", "params", "prompt", "wrt", "order", "variables", "at",
    "dir", "lower", "upper", "nonzero", "tolerance", "hints", "checkpoints", "forbid", "explain",
    "as_written",
}
PARAM_FIELDS = {"int", "choice", "exclude"}


def build_lesson(doc: dict, source: str, expected_slug: str | None = None) -> Lesson:
    """Validate a parsed TOML document and build the :class:`Lesson` (or raise LessonError)."""
    c = _Checker(source)
    c.table(doc, "")
    c.only(doc, "", LESSON_FIELDS)
    slug = c.get(doc, "slug", "", str, required=True)
    if not _SLUG.match(slug):
        c.fail("slug", f"{slug!r} is not a slug (lower-case words joined by '-')")
    if expected_slug is not None and slug != expected_slug:
        c.fail("slug", f"{slug!r} does not match the file name {expected_slug!r}")
    title = c.get(doc, "title", "", str, required=True)
    order = c.get(doc, "order", "", int, required=True)
    section = c.get(doc, "section", "", int, default=0)
    summary = c.get(doc, "summary", "", str, required=True)
    goals = c.strings(doc, "goals", "", required=True)

    pages_raw = c.get(doc, "pages", "", list, required=True)
    if not pages_raw:
        c.fail("pages", "a lesson needs at least one page of explanation")
    pages = tuple(_page(c, p, f"pages[{i}]") for i, p in enumerate(pages_raw))

    ex_raw = c.get(doc, "exercises", "", list, required=True)
    if not ex_raw:
        c.fail("exercises", "a lesson needs at least one exercise")
    exercises = []
    seen: set[str] = set()
    for i, e in enumerate(ex_raw):
        ex = _exercise(c, e, f"exercises[{i}]")
        if ex.id in seen:
            c.fail(f"exercises[{i}].id", f"duplicate exercise id {ex.id!r}")
        seen.add(ex.id)
        exercises.append(ex)
    return Lesson(slug, title, order, summary, goals, pages, tuple(exercises), section, source)


def _page(c: _Checker, raw: Any, where: str) -> Page:
    c.table(raw, where)
    c.only(raw, where, PAGE_FIELDS)
    title = c.get(raw, "title", where, str, required=True)
    text = c.get(raw, "text", where, str, required=True)
    examples_raw = c.get(raw, "examples", where, list, default=[])
    examples = tuple(_example(c, e, f"{where}.examples[{i}]") for i, e in enumerate(examples_raw))
    return Page(title, text.strip(), examples)


def _example(c: _Checker, raw: Any, where: str) -> Example:
    c.table(raw, where)
    command = c.get(raw, "command", where, str, required=True)
    if command not in EXAMPLE_COMMANDS:
        c.fail(f"{where}.command", f"unknown command {command!r} (known: {', '.join(EXAMPLE_COMMANDS)})")
    spec = interface.command(command)
    accepted = {name for o in spec.teaching_options for name in (o.keyword, o.name.replace("-", "_"))}
    if command == "check":
        accepted.add("answer")
    c.only(raw, where, EXAMPLE_FIELDS | accepted)
    expr = c.get(raw, "expr", where, str, required=True)
    program = ";" in expr or "=" in expr
    if command == "grad" and not program:
        from calctutor.textsplit import split

        for piece in split(expr, ","):
            c.expression(piece.strip(), f"{where}.expr")
    elif command in ("diff", "graph", "parse") or not program:
        c.expression(expr, f"{where}.expr", program=program)
    if command == "check" and "answer" in raw:
        c.expression(str(raw["answer"]), f"{where}.answer")
    caption = c.get(raw, "caption", where, str, default="")
    options = {k: v for k, v in raw.items() if k in accepted}
    for key, value in options.items():
        if not isinstance(value, (str, int, float, bool, list)):
            c.fail(f"{where}.{key}", f"expected a string, number, boolean or list, got {_kind(value)}")
        if key != "answer":
            try:
                spec.read({key: option_text(value)})
            except CalcError as exc:
                c.fail(f"{where}.{key}", exc.message)
    return Example(command, expr, options, caption)


def _exercise(c: _Checker, raw: Any, where: str) -> Exercise:
    c.table(raw, where)
    c.only(raw, where, EXERCISE_FIELDS)
    ex_id = c.get(raw, "id", where, str, required=True)
    if not _SLUG.match(ex_id):
        c.fail(f"{where}.id", f"{ex_id!r} is not an id (lower-case words joined by '-')")
    task = c.get(raw, "task", where, str, required=True)
    if task not in TASKS:
        c.fail(f"{where}.task", f"unknown task {task!r} (known: {', '.join(TASKS)})")
    template = c.get(raw, "template", where, str, required=True)
    skill = c.get(raw, "skill", where, str, required=True)
    if not _SLUG.match(skill):
        c.fail(f"{where}.skill", f"{skill!r} is not a skill name (lower-case words joined by '-')")

    params = _params(c, c.get(raw, "params", where, dict, default={}), f"{where}.params")
    names = [p.name for p in params]
    program = "=" in template
    parsed = c.expression(template, f"{where}.template", names=names, program=program)
    expr = parsed.inlined() if program else parsed
    free = {s.name for s in expr.free_symbols}
    used = set(free)
    variables_given = c.strings(raw, "variables", where)
    variables = variables_given or tuple(sorted(free - set(names)))
    for v in variables_given:
        if v in names:
            c.fail(f"{where}.variables", f"{v!r} is both a parameter and a variable")

    wrt = c.get(raw, "wrt", where, str)
    order = c.get(raw, "order", where, int, default=1)
    if not 0 <= order <= 6:
        c.fail(f"{where}.order", "must be between 0 and 6")
    if wrt is not None and wrt not in variables:
        c.fail(f"{where}.wrt", f"{wrt!r} is not a variable of the template (variables: {', '.join(variables) or 'none'})")
    kind = KINDS[task]
    if kind.needs_wrt and wrt is None:
        if len(variables) == 1:
            wrt = variables[0]
        else:
            c.fail(f"{where}.wrt", f"task {task!r} needs wrt when the template has {len(variables)} variables")

    at_raw = c.get(raw, "at", where, dict, default={})
    at: dict[str, str] = {}
    for key, value in at_raw.items():
        path = f"{where}.at.{key}"
        if key not in variables:
            c.fail(path, f"{key!r} is not a variable of the template")
        if not isinstance(value, (int, float, str)) or isinstance(value, bool):
            c.fail(path, f"expected a number or an expression in the parameters, got {_kind(value)}")
        used |= _param_expression(c, str(value), path, names)
        at[key] = str(value)

    direction = tuple(str(v) for v in c.get(raw, "dir", where, list, default=[]))
    for i, v in enumerate(direction):
        used |= _param_expression(c, v, f"{where}.dir[{i}]", names)

    lower = c.get(raw, "lower", where, (int, float, str))
    upper = c.get(raw, "upper", where, (int, float, str))
    for name, message in kind.problems(variables, wrt, at, direction, lower, upper):
        c.fail(f"{where}.{name}", message)
    for key, value in (("lower", lower), ("upper", upper)):
        if value is not None:
            used |= _param_expression(c, str(value), f"{where}.{key}", names)

    nonzero = c.strings(raw, "nonzero", where)
    for i, text in enumerate(nonzero):
        _param_expression(c, text, f"{where}.nonzero[{i}]", names)
    for p in names:
        if p not in used:
            c.fail(f"{where}.params.{p}", f"parameter {p!r} is not used by the template, "
                                          "the point, the direction or the bounds")
    tolerance = c.get(raw, "tolerance", where, (int, float))
    if tolerance is not None and not 0 < tolerance < 1:
        c.fail(f"{where}.tolerance", "must be a small positive number, such as 0.001")
    hints = c.strings(raw, "hints", where)
    checkpoints = c.get(raw, "checkpoints", where, str)
    if checkpoints is not None:
        if checkpoints not in CHECKPOINT_KINDS:
            c.fail(f"{where}.checkpoints", f"unknown kind {checkpoints!r} (known: {', '.join(CHECKPOINT_KINDS)})")
        if checkpoints not in kind.checkpoints:
            with_tasks = " or ".join(k.name for k in KINDS.values() if checkpoints in k.checkpoints)
            c.fail(f"{where}.checkpoints", f"{checkpoints} checkpoints go with a {with_tasks} task")
    forbid = c.strings(raw, "forbid", where)
    from calctutor.primitives import FUNCTION_NAMES

    for i, name in enumerate(forbid):
        if name not in FUNCTION_NAMES:
            c.fail(f"{where}.forbid[{i}]", f"unknown function {name!r}")
    prompt = c.get(raw, "prompt", where, str, default="")
    _check_placeholders(c, prompt, f"{where}.prompt", names)
    for i, text in enumerate(hints):
        _check_placeholders(c, text, f"{where}.hints[{i}]", names)
    explain = c.get(raw, "explain", where, str, default="")
    as_written = c.get(raw, "as_written", where, bool, default=False)
    if as_written and program:
        c.fail(f"{where}.as_written", "a program is always shown as written")
    return Exercise(
        ex_id, task, template, skill, params, prompt, wrt, order, variables, at, direction,
        None if lower is None else str(lower), None if upper is None else str(upper), nonzero,
        None if tolerance is None else float(tolerance), hints, checkpoints, forbid, explain,
        as_written,
    )


_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
PROMPT_FIELDS = {"f", "wrt", "at", "dir", "lower", "upper", "order", "variables"}


def _check_placeholders(c: _Checker, prompt: str, path: str, names: list[str]) -> None:
    for match in _PLACEHOLDER.finditer(prompt):
        if match.group(1) not in PROMPT_FIELDS and match.group(1) not in names:
            c.fail(path, f"unknown placeholder {{{match.group(1)}}} "
                         f"(known: {', '.join(sorted(PROMPT_FIELDS | set(names)))})")


def _param_expression(c: _Checker, text: str, path: str, names: list[str]) -> set[str]:
    expr = c.expression(text, path, names=names)
    found = {s.name for s in expr.free_symbols}
    stray = found - set(names)
    if stray:
        c.fail(path, f"may only use the parameters ({', '.join(names) or 'none'}), not {', '.join(sorted(stray))}")
    return found


def _params(c: _Checker, raw: dict, where: str) -> tuple[Param, ...]:
    out = []
    for name, spec in raw.items():
        path = f"{where}.{name}"
        if not _IDENT.match(name):
            c.fail(path, "a parameter name must be a letter followed by letters or digits")
        c.table(spec, path)
        c.only(spec, path, PARAM_FIELDS)
        if ("int" in spec) == ("choice" in spec):
            c.fail(path, "give exactly one of int = [low, high] or choice = [...]")
        exclude = tuple(c.get(spec, "exclude", path, list, default=[]))
        if "int" in spec:
            bounds = spec["int"]
            if (not isinstance(bounds, list) or len(bounds) != 2
                    or not all(isinstance(b, int) and not isinstance(b, bool) for b in bounds)):
                c.fail(f"{path}.int", "expected [low, high], two integers")
            low, high = bounds
            if low > high:
                c.fail(f"{path}.int", f"low {low} is above high {high}")
            if not [n for n in range(low, high + 1) if n not in exclude]:
                c.fail(path, "every value in the range is excluded")
            out.append(Param(name, low, high, (), exclude))
        else:
            choice = spec["choice"]
            if not isinstance(choice, list) or not choice:
                c.fail(f"{path}.choice", "expected a non-empty list")
            for i, v in enumerate(choice):
                if isinstance(v, bool) or not isinstance(v, (int, float, str)):
                    c.fail(f"{path}.choice[{i}]", f"expected a number or an expression, got {_kind(v)}")
                if isinstance(v, str):
                    expr = c.expression(v, f"{path}.choice[{i}]")
                    if expr.free_symbols:
                        c.fail(f"{path}.choice[{i}]", "a parameter value must be a constant")
            if not [v for v in choice if v not in exclude]:
                c.fail(path, "every choice is excluded")
            out.append(Param(name, None, None, tuple(choice), exclude))
    return tuple(out)
