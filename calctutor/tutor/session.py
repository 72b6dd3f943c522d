"""The terminal session of a lesson: explain → worked examples → exercises (with
checkpoints) → summary, at the learner's pace.

Entry point for the CLI and the REPL::

    run_lesson(slug, seed=None, io=None, *, store=None) -> LessonReport

``io`` is a :mod:`calctutor.termio` session IO (the REPL passes one built on its own
prompt_toolkit session; a pipe gives :class:`~calctutor.termio.StreamIO`). Every prompt
ends with ``"> "``. While an exercise is open the learner types an answer or one of the
words in :data:`COMMANDS`; a word is never graded as an answer. Each graded answer is
stored (one transaction per attempt) in the progress database; exercises missed come
back at the end of the session and, through the per-skill review schedule, in later sessions.

What to ask and how to grade it is the lesson engine's (:mod:`calctutor.lessons`);
this module only talks to the learner.
"""

from __future__ import annotations

import secrets
import time
from typing import Any, Callable

import sympy

from calctutor.errors import CalcError, ComputationTimeout, ParseError
from calctutor.lessons import grading_adapter as grader
from calctutor.lessons.loader import load_lesson, load_lessons
from calctutor.lessons.practice import (Hint, HintBook, LessonReport, Link, Outcome, chain_links,
                                        final_question, grade_answer)
from calctutor.lessons.schema import Example, Exercise, Lesson
from calctutor.lessons.templates import Problem, draw
from calctutor.parsing import to_input
from calctutor.termio import LESSON_WORDS, SessionIO, command_word, default_io
from calctutor.tutor.examples import run_example

ANSWER_PROMPT = "answer> "
WORKING_PROMPT = "  ...> "
PAGE_PROMPT = "Enter: next, or 'exercises' / 'quit'> "
MAX_GRAPH_CHECKPOINTS = 6


def run_hint(hint: Hint) -> Hint:
    """A solution hint with its worked example run live (the error shown if it cannot)."""
    if hint.example is None or hint.run is not None:
        return hint
    from dataclasses import replace

    try:
        return replace(hint, run=run_example(hint.example))
    except CalcError as exc:
        return replace(hint, example=None, lines=(*hint.lines, exc.message))


# ── the session ────────────────────────────────────────────────────────────────────
class _Quit(Exception):
    pass


# ── the session ────────────────────────────────────────────────────────────────────
class LessonSession:
    def __init__(self, lesson: Lesson, seed: int, io: SessionIO, store=None) -> None:
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
            missed: list[tuple[Lesson, Exercise, str]] = []
            total = len(queue)
            # the first exercise straight after the pages must not be their worked example
            shown = _shown_examples(self.lesson)
            first = next((i for i, item in enumerate(queue) if not item[2]), None)
            for index, (lesson, exercise, review) in enumerate(queue, 1):
                outcome = self._exercise(lesson, exercise, self.seed, f"{index}/{total}", review,
                                         shown if index - 1 == first else frozenset())
                if outcome.status != "correct" or outcome.hints:
                    missed.append((lesson, exercise, outcome.statement))
            if missed:
                self.show(view.note("Back to the ones that gave you trouble, with new numbers."))
                for index, (lesson, exercise, statement) in enumerate(missed, 1):
                    self._exercise(lesson, exercise, self.seed + 7919 * index,
                                   f"again {index}/{len(missed)}", True, frozenset({statement}))
        except _Quit:
            self.report.quit = True
        finally:
            if self.store is not None and self.session_id is not None:
                self.store.finish_session(self.session_id)
        if self.store is not None:
            catalog = {self.lesson.slug: [e.id for e in self.lesson.exercises]}
            stats = self.store.lesson_stats(catalog)
            self.report.mastery = next((s.mastery for s in stats if s.name == self.lesson.slug), 0.0)
        # "everything you answered is saved" only when it was
        self.report.stored = self.store is not None and \
            getattr(self.store, "unsaved_reason", None) is None
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
                  review: bool, avoid: frozenset = frozenset()) -> Outcome:
        from calctutor.render import lesson as view

        problem = self._fresh(lesson, exercise, seed, avoid)
        outcome = Outcome(exercise.id, exercise.skill, lesson.slug, problem.statement, review=review)
        self.report.outcomes.append(outcome)
        recall = (self.store.recall(exercise.skill, graduated=True)
                  if self.store is not None else None)
        self.show(view.problem(problem, label, review=review, lesson_title=lesson.title,
                               recall=recall))
        hints = HintBook(problem)
        try:
            if exercise.checkpoints == "chain":
                if not self._chain_checkpoints(problem, outcome, hints):
                    return outcome
            elif exercise.checkpoints == "graph":
                if not self._graph_checkpoints(problem, outcome, hints):
                    return outcome
            final_label = None
            if exercise.checkpoints:
                final_label = "Now put it together: " + final_question(problem)
            self._ask(problem, outcome, hints, ANSWER_PROMPT, lambda text: grade_answer(problem, text),
                      final=True, question=final_label)
        finally:
            outcome.seconds = time.monotonic() - outcome.started
        return outcome

    def _ask(self, problem: Problem, outcome: Outcome, hints: HintBook, prompt: str,
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
            if not command:
                continue
            word = command_word(command)
            action = LESSON_WORDS.get(word) if word else None
            if word is not None and action is None:
                self.show(view.note(f"'{word}' does nothing here: type an answer, or hint, "
                                    "solution, skip or quit."))
                continue
            if action == "quit":
                outcome.status = outcome.status if outcome.status == "correct" else "quit"
                raise _Quit
            if action == "help":
                self.show(view.help_text(problem))
                continue
            if action == "working":
                command = self._read_working()
                if command is None:
                    continue
                action = None
            if action == "hint":
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
                    self.show(view.hint(run_hint(hint), used, total))
                continue
            if action == "skip":
                outcome.status = "skipped"
                self._record(problem, outcome, "(skip)", False, kind="skip")
                self.show(view.skipped(problem))
                return False
            if action == "solution":
                outcome.status = "solution"
                self._record(problem, outcome, "(solution)", False, kind="solution")
                for hint in hints.solution_hints():
                    self.show(view.hint(run_hint(hint), None, None))
                return False
            try:
                result = _graded(grade_fn, command)
            except ParseError as exc:
                self.show(view.parse_error(exc))
                continue
            except ComputationTimeout as exc:
                self.show(view.note(f"{exc.message}. Try a simpler form of your answer, or "
                                    "type hint, solution, skip or quit."))
                continue
            except CalcError as exc:
                self.show(view.note(exc.render()))
                continue
            except KeyboardInterrupt:
                self.show(view.note("Stopped grading that answer (nothing was recorded). Type "
                                    "it again, another answer, or hint, solution, skip or quit."))
                continue
            if final:
                outcome.tries += 1
            else:
                outcome.checkpoints += 1
                outcome.checkpoint_misses += 0 if result.correct else 1
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

    @staticmethod
    def _fresh(lesson: Lesson, exercise: Exercise, seed: int, avoid: frozenset) -> Problem:
        """The exercise drawn with ``seed``, or with the next seeds when that draw repeats
        what the learner has just seen (a worked example, the same review numbers)."""
        problem = draw(lesson.slug, exercise, seed)
        for k in range(1, 12):
            if not avoid or _key(problem) not in avoid and problem.statement not in avoid:
                break
            problem = draw(lesson.slug, exercise, seed + 104729 * k)
        return problem

    def _read_working(self) -> str | None:
        """A multi-line working: one step per line, an empty line submits (None if empty)."""
        from calctutor.render import lesson as view

        self.show(view.note("Your working, one step per line (write d/dx(...) for what is "
                            "not done yet); an empty line submits."))
        lines: list[str] = []
        while True:
            line = self.io.ask(WORKING_PROMPT)
            if line is None or not line.strip():
                break
            lines.append(line)
        return "\n".join(lines) if lines else None

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
    def _chain_checkpoints(self, problem: Problem, outcome: Outcome, hints: HintBook) -> bool:
        """Each chain-rule link on its own, graded against the step tree's layer."""
        from calctutor.render import lesson as view

        links = chain_links(problem)
        if not links:
            return True
        self.show(view.note("Step by step: one link of the chain at a time."))
        return self._ask_links(problem, outcome, hints, links)

    def _graph_checkpoints(self, problem: Problem, outcome: Outcome, hints: HintBook) -> bool:
        """Each edge's local derivative at the point, then the adjoint (the answer)."""
        from calctutor.render import lesson as view

        links, run = graph_links(problem)
        if run is not None:
            self.show(view.graph_forward(run))
        if not links:
            return True
        self.show(view.note("Backward pass: the local derivative on each edge first."))
        return self._ask_links(problem, outcome, hints, links)

    def _ask_links(self, problem: Problem, outcome: Outcome, hints: HintBook, links) -> bool:
        """Ask each checkpoint in turn; False as soon as the learner leaves one."""
        for link in links:
            ok = self._ask(problem, outcome, hints, link.prompt, link.grade, final=False,
                           question=link.question, step_hints=list(link.hints), what=link.what)
            if not ok:
                return False
        return True


# ── backward-pass checkpoints (numbers from the graph command) ──────────────────────
def _graded(grade_fn: Callable[[str], grader.Grade], text: str) -> grader.Grade:
    """Grade one answer under the watchdog: a forked worker, killed at the budget
    (``--timeout``, setting ``timeout``), so a pathological answer costs the learner that
    answer only. Ctrl-C while it runs stops the worker and raises KeyboardInterrupt
    here, for the caller to cancel just this answer; the session and its progress never
    leave this process."""
    from calctutor import watchdog

    _warm_grader()
    return watchdog.call(grade_fn, text, seconds=watchdog.budget(), what="grading this answer")


def _warm_grader() -> None:
    """Import the grader here once, so each answer's worker starts with it loaded."""
    import calctutor.grading.diagnosis  # noqa: F401
    import calctutor.grading.grade  # noqa: F401
    import calctutor.grading.mutations  # noqa: F401
    import calctutor.graph  # noqa: F401
    import calctutor.steps  # noqa: F401


def _key(problem: Problem) -> str:
    """A drawn exercise as (function, point), to compare with a worked example's."""
    point = ",".join(sorted(f"{k}={to_input(v)}" for k, v in problem.point.items()))
    return f"{to_input(problem.function)} @ {point}"


def _shown_examples(lesson: Lesson) -> frozenset:
    """(function, point) keys of the worked examples on the lesson's pages."""
    from calctutor.parsing import parse, parse_program

    keys = set()
    for page in lesson.pages:
        for example in page.examples:
            try:
                text = example.expr
                function = parse_program(text).inlined() if ";" in text else parse(text)
                at = str(example.options.get("at", ""))
                point = ",".join(sorted(p.strip().replace(" ", "") for p in at.split(",") if p.strip()))
                keys.add(f"{to_input(function)} @ {point}")
            except Exception:  # noqa: BLE001 - an example we cannot read is simply not avoided
                continue
    return frozenset(keys)


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
    from calctutor.numfmt import format_number

    return format_number(value, 10)


# ── entry points ───────────────────────────────────────────────────────────────────
def new_seed() -> int:
    return secrets.randbelow(1_000_000)


def run_lesson(slug: str, seed: int | None = None, io: SessionIO | None = None, *,
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
