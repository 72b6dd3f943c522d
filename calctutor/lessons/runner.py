"""The lesson loop: explain → worked examples → exercises (with checkpoints) → summary.

Entry point for the CLI and the REPL::

    run_lesson(slug, seed=None, io=None, *, store=None) -> LessonReport

``io`` is anything with a Rich ``console`` and ``ask(prompt) -> str | None`` (``None``
means end of input): :class:`TerminalIO` wraps a prompt_toolkit ``PromptSession`` (the
REPL passes its own), :class:`StreamIO` reads lines from a pipe. :func:`default_io`
picks one for the current terminal. Every prompt ends with ``"> "``.

While an exercise is open the learner may type an answer or one of the commands
``hint`` (the next hint level: rule → first step → full solution), ``skip``,
``solution`` and ``quit``. Each graded answer is stored (one transaction per attempt) in
the progress database; exercises missed come back at the end of the session and, through
the Leitner boxes, in later sessions.
"""

from __future__ import annotations

import secrets
import sys
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

import sympy

from calctutor.errors import CalcError, ParseError
from calctutor.lessons import grading_adapter as grader
from calctutor.lessons.examples import run_example
from calctutor.lessons.loader import load_lesson, load_lessons
from calctutor.lessons.schema import Example, Exercise, Lesson
from calctutor.lessons.templates import Problem, draw
from calctutor.parsing import to_input

ANSWER_PROMPT = "answer> "
PAGE_PROMPT = "Enter: next, or 'exercises' / 'quit'> "
COMMANDS = ("hint", "skip", "solution", "quit")
MAX_GRAPH_CHECKPOINTS = 6


# ── input / output ─────────────────────────────────────────────────────────────────
class LessonIO(Protocol):
    console: Any  # a rich.console.Console
    interactive: bool

    def ask(self, prompt: str) -> str | None: ...


class TerminalIO:
    """prompt_toolkit input (history, editing); Ctrl-C clears the line, Ctrl-D quits."""

    interactive = True

    def __init__(self, console=None, session=None) -> None:
        from prompt_toolkit import PromptSession

        from calctutor.cli.output import console as make_console

        self.console = console if console is not None else make_console()
        self.session = session if session is not None else PromptSession()

    def ask(self, prompt: str) -> str | None:
        from prompt_toolkit.formatted_text import FormattedText

        try:
            # A coloured prompt: prompt_toolkit writes a trailing space only when it has a
            # colour (a plain one it skips with a cursor move), and scripts wait for "> ".
            return self.session.prompt(FormattedText([("ansicyan bold", prompt)]))
        except KeyboardInterrupt:
            return ""
        except EOFError:
            return None


class StreamIO:
    """Answers read line by line from a stream (a pipe or a file); the answer is echoed
    after the prompt so that a transcript reads like the terminal session."""

    interactive = False

    def __init__(self, stream=None, console=None) -> None:
        from calctutor.cli.output import console as make_console

        self.stream = stream if stream is not None else sys.stdin
        self.console = console if console is not None else make_console()

    def ask(self, prompt: str) -> str | None:
        line = self.stream.readline()
        out = self.console.file
        if not line:
            out.write(prompt + "\n")
            out.flush()
            return None
        line = line.rstrip("\r\n")
        out.write(prompt + line + "\n")
        out.flush()
        return line


def default_io(plain: bool = False) -> LessonIO:
    """A prompt_toolkit session on a terminal, line-by-line reading from a pipe."""
    from calctutor.cli.output import console as make_console

    console = make_console(plain)
    if sys.stdin.isatty() and sys.stdout.isatty():
        return TerminalIO(console)
    return StreamIO(sys.stdin, console)


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
    """One hint level. Exactly one of ``text``, ``step`` or ``run`` carries the content."""

    title: str
    text: str = ""
    step: Any = None  # a calctutor.steps.Step, shown one level deep ("first step")
    run: Any = None  # a calctutor.lessons.examples.ExampleRun (a full solution)
    lines: tuple[str, ...] = ()  # extra lines after the content


class _Quit(Exception):
    pass


# ── the session ────────────────────────────────────────────────────────────────────
class LessonSession:
    def __init__(self, lesson: Lesson, seed: int, io: LessonIO, store=None) -> None:
        self.lesson = lesson
        self.seed = seed
        self.io = io
        self.store = store
        self.session_id: int | None = None
        self.report = LessonReport(lesson.slug, lesson.title, seed, stored=store is not None)

    # printing
    def show(self, renderable) -> None:
        self.io.console.print(renderable)

    def run(self) -> LessonReport:
        from calctutor.render import lesson as view

        reviews = self._due_reviews()
        if self.store is not None:
            self.session_id = self.store.start_session(self.lesson.slug, self.seed)
        self.show(view.lesson_header(self.lesson, self.seed))
        try:
            self._pages()
            queue: list[tuple[Lesson, Exercise, bool]] = [(l, e, True) for l, e in reviews]
            queue += [(self.lesson, e, False) for e in self.lesson.exercises]
            missed: list[tuple[Lesson, Exercise]] = []
            total = len(queue)
            for index, (lesson, exercise, review) in enumerate(queue, 1):
                outcome = self._exercise(lesson, exercise, self.seed, f"{index}/{total}", review)
                if outcome.status != "correct" or outcome.hints:
                    missed.append((lesson, exercise))
            if missed:
                self.show(view.note("Back to the ones that gave you trouble, with new numbers."))
                for index, (lesson, exercise) in enumerate(missed, 1):
                    self._exercise(lesson, exercise, self.seed + 7919 * index,
                                   f"again {index}/{len(missed)}", True)
        except _Quit:
            self.report.quit = True
        finally:
            if self.store is not None and self.session_id is not None:
                self.store.finish_session(self.session_id)
        if self.store is not None:
            catalog = {self.lesson.slug: [e.id for e in self.lesson.exercises]}
            stats = self.store.lesson_stats(catalog)
            self.report.mastery = next((s.mastery for s in stats if s.name == self.lesson.slug), 0.0)
        self.show(view.summary(self.report))
        return self.report

    def _due_reviews(self) -> list[tuple[Lesson, Exercise]]:
        if self.store is None:
            return []
        out = []
        by_slug = {lesson.slug: lesson for lesson in load_lessons()}
        for due in self.store.due(limit=2, exclude_lesson=self.lesson.slug):
            lesson = by_slug.get(due.lesson)
            if lesson is None:
                continue
            try:
                out.append((lesson, lesson.exercise(due.exercise)))
            except KeyError:
                continue
        return out

    def _pages(self) -> None:
        from calctutor.render import lesson as view

        pages = self.lesson.pages
        for number, page in enumerate(pages, 1):
            self.show(view.page(page, number, len(pages)))
            for example in page.examples:
                self._example(example)
            if self.io.interactive and number < len(pages):
                answer = self.io.ask(PAGE_PROMPT)
                if answer is None or answer.strip().lower() in ("quit", "q", ":q"):
                    raise _Quit
                if answer.strip().lower() in ("exercises", "x", "skip"):
                    return

    def _example(self, example: Example) -> None:
        from calctutor.render import lesson as view

        try:
            run = run_example(example)
        except CalcError as exc:
            self.show(view.example_failed(example, exc.message))
            return
        self.show(view.example(run))

    # ── one exercise ────────────────────────────────────────────────────────────
    def _exercise(self, lesson: Lesson, exercise: Exercise, seed: int, label: str,
                  review: bool) -> Outcome:
        from calctutor.render import lesson as view

        problem = draw(lesson.slug, exercise, seed)
        outcome = Outcome(exercise.id, exercise.skill, lesson.slug, problem.statement, review=review)
        self.report.outcomes.append(outcome)
        box = self.store.box(lesson.slug, exercise.id) if self.store is not None else 0
        self.show(view.problem(problem, label, review=review, lesson_title=lesson.title, box=box))
        hints = _HintBook(problem)
        try:
            if exercise.checkpoints == "chain":
                if not self._chain_checkpoints(problem, outcome, hints):
                    return outcome
            elif exercise.checkpoints == "graph":
                if not self._graph_checkpoints(problem, outcome, hints):
                    return outcome
            final_label = None
            if exercise.checkpoints:
                final_label = "Now put it together: " + _final_question(problem)
            self._ask(problem, outcome, hints, ANSWER_PROMPT, lambda text: _grade(problem, text),
                      final=True, question=final_label)
        finally:
            outcome.seconds = time.monotonic() - outcome.started
        return outcome

    def _ask(self, problem: Problem, outcome: Outcome, hints: "_HintBook", prompt: str,
             grade_fn: Callable[[str], grader.Grade], *, final: bool,
             question: str | None = None, step_hints: list[Hint] | None = None,
             what: str = "") -> bool:
        """Ask until right, skipped, solved or quit. True when answered correctly."""
        from calctutor.render import lesson as view

        if question:
            self.show(view.question(question))
        local_hints = list(step_hints or [])
        slipped = False
        while True:
            text = self.io.ask(prompt)
            if text is None:
                outcome.status = "quit"
                raise _Quit
            command = text.strip()
            lowered = command.lower()
            if not command:
                continue
            if lowered in ("quit", "q", ":q", "exit"):
                outcome.status = outcome.status if outcome.status == "correct" else "quit"
                raise _Quit
            if lowered in ("help", "?"):
                self.show(view.help_text(problem))
                continue
            if lowered == "hint":
                if step_hints:
                    hint = local_hints.pop(0) if local_hints else None
                    used, total = len(step_hints) - len(local_hints), len(step_hints)
                else:
                    hint = hints.next()
                    used, total = hints.used, hints.total
                if hint is None:
                    self.show(view.note("No more hints here: type 'solution' to see the worked "
                                        "solution, or 'skip' to move on."))
                else:
                    outcome.hints += 1
                    self.show(view.hint(hint, used, total))
                continue
            if lowered == "skip":
                outcome.status = "skipped"
                self._record(problem, outcome, "(skip)", False, kind="skip")
                self.show(view.skipped(problem))
                return False
            if lowered == "solution":
                outcome.status = "solution"
                self._record(problem, outcome, "(solution)", False, kind="solution")
                for hint in hints.solution():
                    self.show(view.hint(hint, None, None))
                return False
            try:
                result = grade_fn(command)
            except ParseError as exc:
                self.show(view.parse_error(exc))
                continue
            except CalcError as exc:
                self.show(view.note(exc.render()))
                continue
            if final:
                outcome.tries += 1
            else:
                outcome.checkpoints += 1
            if not result.correct and result.mistake:
                outcome.mistakes.append(result.mistake)
            self.show(view.verdict(result, what=what))
            promote = final and result.correct and not slipped and outcome.hints == 0 and outcome.tries == 1
            self._record(problem, outcome, command, result.correct,
                         kind="answer" if final else "checkpoint", grade=result, promote=promote)
            if result.correct:
                if final:
                    outcome.status = "correct"
                    if problem.exercise.explain:
                        self.show(view.explain(problem.exercise.explain))
                return True
            slipped = True
            self.show(view.note("Try again, or type hint, solution, skip or quit."))

    def _record(self, problem: Problem, outcome: Outcome, answer: str, correct: bool, *,
                kind: str, grade: grader.Grade | None = None, promote: bool = False) -> None:
        if self.store is None:
            return
        from calctutor.progress import Attempt

        self.store.record(Attempt(
            lesson=problem.lesson, exercise=problem.exercise.id, answer=answer, correct=correct,
            skill=problem.exercise.skill, kind=kind,
            mistake=None if grade is None or grade.correct else grade.mistake,
            verdict=grade.message if grade is not None else kind,
            problem=problem.statement, expected=problem.expected_text, hints=outcome.hints,
            seconds=round(time.monotonic() - outcome.started, 3), seed=problem.seed, session=self.session_id,
            promote=promote,
        ))

    # ── checkpoints ─────────────────────────────────────────────────────────────
    def _chain_checkpoints(self, problem: Problem, outcome: Outcome, hints: "_HintBook") -> bool:
        """Each chain-rule link on its own, graded against the step tree's layer."""
        from calctutor.render import lesson as view

        links = chain_links(problem)
        if not links:
            return True
        self.show(view.note("Step by step: one link of the chain at a time."))
        return self._ask_links(problem, outcome, hints, links)

    def _graph_checkpoints(self, problem: Problem, outcome: Outcome, hints: "_HintBook") -> bool:
        """Each edge's local derivative at the point, then the adjoint (the answer)."""
        from calctutor.render import lesson as view

        links, run = graph_links(problem)
        if run is not None:
            self.show(view.graph_forward(run))
        if not links:
            return True
        self.show(view.note("Backward pass: the local derivative on each edge first."))
        return self._ask_links(problem, outcome, hints, links)

    def _ask_links(self, problem: Problem, outcome: Outcome, hints: "_HintBook", links) -> bool:
        """Ask each checkpoint in turn; False as soon as the learner leaves one."""
        for link in links:
            ok = self._ask(problem, outcome, hints, link.prompt, link.grade, final=False,
                           question=link.question, step_hints=list(link.hints), what=link.what)
            if not ok:
                return False
        return True


# ── grading one answer ─────────────────────────────────────────────────────────────
def _names(problem: Problem) -> list[str]:
    return [v.name for v in problem.variables]


def _split_list(text: str) -> list[str]:
    from calctutor.points import _split_top_level

    inner = text.strip()
    if inner[:1] in "[(" and inner[-1:] in "])":
        inner = inner[1:-1]
    return [p.strip() for p in _split_top_level(inner)]


def _grade(problem: Problem, text: str) -> grader.Grade:
    ex = problem.exercise
    task = ex.task
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


def _final_question(problem: Problem) -> str:
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
        from calctutor.commands.diff import load

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


def graph_links(problem: Problem) -> tuple[list[Link], Any]:
    """The backward pass as questions: each edge's local derivative at the point (on the
    paths from the output back to ``wrt``), graded against the graph engine's values."""
    from calctutor.commands.graph import run_graph

    text = problem.program or to_input(problem.function)
    at = ",".join(f"{k}={to_input(v)}" for k, v in problem.point.items())
    result = run_graph(text, at=at)
    graph = result.graph
    wrt = problem.wrt.name
    target = graph.inputs.get(wrt)
    if target is None:
        return [], result
    reaches = {target}
    for node in graph.nodes:  # topological order: a node reaches wrt if an argument does
        if any(a in reaches for a in node.args):
            reaches.add(node.index)
    edges = [(a, n, k) for a, n, k in result.active_edges if a in reaches]
    edges.sort(key=lambda e: (-e[1], e[2]))
    values = {sympy.Symbol(graph.nodes[i].name, real=True): sympy.Float(result.value(i), 30)
              for i in range(len(graph.nodes)) if graph.nodes[i].name and result.value(i) is not None}
    names = [graph.nodes[i].name for i in range(len(graph.nodes)) if graph.nodes[i].name]
    links = []
    for a, n, k in edges[:MAX_GRAPH_CHECKPOINTS]:
        top, bottom = graph.nodes[n].name, graph.nodes[a].name
        local = result.local(n, k)
        if local is None:
            continue
        formula = result.formulas.get((n, k))
        definition = to_input(graph.definition(n))
        leibniz = f"d{top}/d{bottom}"
        question = (f"Edge {bottom} → {top}, where {top} = {definition}: what is {leibniz} "
                    f"at this point? (a number, or a formula in the node names)")

        def grade(text: str, local=local) -> grader.Grade:
            answer = grader.read_answer(text, names)
            value = answer.xreplace(values)
            if value.free_symbols:
                raise CalcError("use numbers and the names of the graph's nodes only")
            return grader.grade_equal(sympy.nsimplify(local, rational=False, tolerance=1e-12)
                                      if abs(local) < 1e12 else sympy.Float(local),
                                      value, tolerance=1e-6)

        hint_formula = (f"{leibniz} = `{to_input(formula)}`" if formula is not None
                        else f"Differentiate {definition} with respect to {bottom}.")
        links.append(Link(question, f"{leibniz}> ", grade, what=leibniz,
                          hints=(Hint("Local rule", hint_formula),
                                 Hint("Answer", f"{leibniz} = {_number(local)}"))))
    return links, result


def _number(value: float) -> str:
    return f"{value:.10g}"


# ── hints ──────────────────────────────────────────────────────────────────────────
class _HintBook:
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
        return self.solution()[0]

    def solution(self) -> list[Hint]:
        """The full worked solution, rendered live by the engines."""
        p = self.problem
        ex = p.exercise
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
            return [Hint("Solution", answer)]
        example = Example(command, p.function_text, options)
        try:
            run = run_example(example)
        except CalcError as exc:
            return [Hint("Solution", answer, lines=(exc.message,))]
        return [Hint("Solution", run=run, lines=(answer,))]


# ── entry points ───────────────────────────────────────────────────────────────────
def new_seed() -> int:
    return secrets.randbelow(1_000_000)


def run_lesson(slug: str, seed: int | None = None, io: LessonIO | None = None, *,
               store=None, record: bool = True) -> LessonReport:
    """Run one lesson interactively and return what happened.

    ``io``: a :class:`TerminalIO` (the REPL passes one built on its own PromptSession and
    console), a :class:`StreamIO`, or None for :func:`default_io`. ``store``: an open
    :class:`calctutor.progress.ProgressStore`; by default the one in the data directory
    is opened (and closed afterwards); ``record=False`` keeps no history.
    Raises :class:`CalcError` for an unknown lesson or an unusable progress database.
    """
    lesson = load_lesson(slug)
    if seed is None:
        seed = new_seed()
    if io is None:
        io = default_io()
    own_store = False
    if store is None and record:
        from calctutor.progress import ProgressStore

        store = ProgressStore()
        own_store = True
    try:
        return LessonSession(lesson, seed, io, store).run()
    finally:
        if own_store:
            store.close()
