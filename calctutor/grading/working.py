"""A learner's working, graded line by line.

Each line is one step of the derivation, written with the derivative operator for what is
not done yet: ``cos(x^2) * d/dx(x^2)``, then ``cos(x^2) * 2x``, then ``2x cos(x^2)``.
Line 0 is implicitly ``d/dx(FUNCTION)``. A line's *value* is the line with every written
d/dx carried out; values are compared with the grader's witnesses (the numeric witness,
and the symbolic one when the numbers cannot decide), never by the look of the text.

Each line is:

- ``right``: equal in value to the previous line, and the working has not left the true
  derivative; ``rule`` names what took the previous line to it (the step engine's rule
  for each d/dx that was carried out, or ``simplify`` for a line that only rewrites);
- ``wrong``: it departs from the previous line. The slip is found by the diagnosis,
  applied to the d/dx that were carried out in that step (the learner's derivative of
  that piece is solved for, then diagnosed as a final answer would be); a line that
  carried nothing out but changed the value is ``algebra``;
- ``follows``: the working is already off, but this line is a correct step from the
  learner's own previous line (error carried forward, as a teacher gives method marks);
- ``unreadable``: the line does not parse (``message`` is the parser's).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from calctutor.errors import CalcError
from calctutor.grading import diagnosis, numeric, symbolic
from calctutor.grading.verdict import Diagnosis, Verdict, verdict_document
from calctutor.parsing import parse, to_input
from calctutor.parsing.builder import carry_out, symbol

MAX_LINES = 60
RIGHT, WRONG, FOLLOWS, UNREADABLE = "right", "wrong", "follows", "unreadable"


@dataclass(frozen=True)
class LineVerdict:
    n: int  # 1-based, counting the non-blank lines
    text: str
    status: str
    rule: str | None = None
    mistake: str | None = None
    message: str = ""
    right_step: str | None = None  # for a wrong line: the previous line with the step done right
    mistakes: tuple[str, ...] = ()
    expr: sympy.Expr | None = None  # the line as read (None when unreadable)


@dataclass(frozen=True)
class WorkingVerdict:
    function: sympy.Expr
    variable: str
    order: int
    lines: tuple[LineVerdict, ...]
    first_wrong_line: int | None
    finished: bool  # the last readable line has no d/dx left
    notes: tuple[str, ...] = field(default=())
    final: Verdict | None = None  # the last readable line graded as the answer
    function_text: str = ""

    @property
    def correct(self) -> bool:
        return bool(self.lines) and self.finished and all(l.status == RIGHT for l in self.lines)

    @property
    def last(self) -> LineVerdict | None:
        readable = [l for l in self.lines if l.expr is not None]
        return readable[-1] if readable else None

    @property
    def first_wrong(self) -> LineVerdict | None:
        return next((l for l in self.lines if l.n == self.first_wrong_line), None)


def split_lines(text: str) -> list[str]:
    """The non-blank lines of a working; a leading ``=`` (as learners write) is dropped."""
    out = []
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("="):
            line = line[1:].strip()
        if line:
            out.append(line)
    if len(out) > MAX_LINES:
        raise CalcError(f"the working has {len(out)} lines; the limit is {MAX_LINES}")
    return out


def grade_working(function: sympy.Expr, lines: list[str], variable: str, order: int = 1,
                  *, names: list[str] | None = None) -> WorkingVerdict:
    """Grade each line of a working for d^order/dvariable^order of ``function``."""
    if not lines:
        raise CalcError("the working is empty: write one step of the derivation per line")
    x = symbol(variable)
    known = sorted({s.name for s in function.free_symbols} | set(names or ()))
    truth = sympy.diff(function, x, order)
    previous = sympy.Derivative(function, (x, order)) if order else function
    previous_value = truth
    off = False
    first_wrong: int | None = None
    results: list[LineVerdict] = []
    for n, text in enumerate(lines, 1):
        try:
            expr = parse(text, names=known)
        except CalcError as error:
            results.append(LineVerdict(n, text, UNREADABLE, message=_parse_message(error)))
            continue
        value = carry_out(expr)
        variables = sorted({s.name for s in value.free_symbols | previous_value.free_symbols}
                           | {variable})
        same = _same(previous_value, value, variables)
        done = _carried_out(previous, expr)
        if same:
            rule = _rule_name(done, x)
            if off:
                results.append(LineVerdict(
                    n, text, FOLLOWS, rule, None,
                    f"A correct step from line {n - 1} ({_phrase(rule)}), but line {first_wrong} "
                    "was already wrong, so the error is carried forward.", expr=expr))
            else:
                results.append(LineVerdict(n, text, RIGHT, rule, None,
                                           f"Right: {_phrase(rule)}.", expr=expr))
        else:
            found = _explain(previous, previous_value, expr, value, done, x, variable,
                             variables, undecided=same is None)
            if first_wrong is None:
                first_wrong = n
            off = True
            results.append(LineVerdict(n, text, WRONG, found[0], found[1], found[2], found[3],
                                       found[4], expr=expr))
        previous, previous_value = expr, value
    readable = [r for r in results if r.expr is not None]
    finished = bool(readable) and not readable[-1].expr.has(sympy.Derivative)
    return WorkingVerdict(function, variable, order, tuple(results), first_wrong, finished)


def check_working(function: sympy.Expr, lines: list[str], variable: str, order: int = 1, *,
                  structured: sympy.Expr | None = None, function_text: str = "") -> WorkingVerdict:
    """:func:`grade_working`, and the last readable line graded as the final answer (the
    fields of ``check --json``)."""
    from dataclasses import replace

    from calctutor.grading.grade import grade

    graded = grade_working(function, lines, variable, order)
    last = graded.last
    final = None
    if last is not None:
        final = grade(function, carry_out(last.expr), variable=variable, order=order,
                      structured=structured, explain=False)
        final.function_text = function_text
        final.answer_text = last.text
    return replace(graded, final=final, function_text=function_text)


def summary(verdict: WorkingVerdict) -> tuple[str | None, str]:
    """(mistake, message) of the working as a whole."""
    if verdict.correct:
        return None, "Correct: every line is right."
    wrong = verdict.first_wrong
    if wrong is not None:
        return wrong.mistake, f"Line {wrong.n} is wrong: {wrong.message}"
    unreadable = [l for l in verdict.lines if l.status == UNREADABLE]
    if unreadable:
        return "unknown", f"Line {unreadable[0].n} could not be read: {unreadable[0].message}"
    return "unknown", ("Every line is right, but the working stops before the end: the last "
                       "line still has a d/dx to carry out.")


def working_document(verdict: WorkingVerdict) -> dict:
    """CLI.md's ``check --working --json``: the last line's check fields, plus the lines."""
    if verdict.final is not None:
        doc = verdict_document(verdict.final)
    else:
        doc = {"answer": None, "expected": to_input(sympy.diff(verdict.function,
                                                               symbol(verdict.variable), verdict.order)),
               "task": "derivative", "witnesses": {"symbolic": "unknown", "numeric": "unknown"},
               "function": to_input(verdict.function), "variable": verdict.variable,
               "order": verdict.order}
    mistake, message = summary(verdict)
    wrong = verdict.first_wrong
    doc.update({
        "correct": verdict.correct,
        "mistake": mistake,
        "mistakes": [] if verdict.correct else list(wrong.mistakes) if wrong and wrong.mistakes
        else [mistake] if mistake else [],
        "message": message,
        "lines": [{"n": l.n, "text": l.text, "status": l.status, "rule": l.rule,
                   "mistake": l.mistake, "message": l.message,
                   **({"right_step": l.right_step} if l.right_step else {})}
                  for l in verdict.lines],
        "first_wrong_line": verdict.first_wrong_line,
    })
    return doc


def _parse_message(error: CalcError) -> str:
    text = str(error)
    if hasattr(error, "caret_lines"):
        shown, caret = error.caret_lines()
        return f"{text}\n  {shown}\n  {caret}"
    return text


def _same(a: sympy.Expr, b: sympy.Expr, variables: list[str]) -> bool | None:
    """Equal in value, by the witnesses: True, False, or None when neither can decide."""
    if a == b:
        return True
    found = numeric.compare(a, b, variables, budget=0.6)
    if found.status == symbolic.EQUAL:
        return True
    if found.status == symbolic.DIFFERENT:
        return False
    proof = symbolic.compare(a, b, budget=0.5)
    if proof.status == symbolic.EQUAL:
        return True
    return None if proof.status == symbolic.UNKNOWN else False


def _phrase(rule: str) -> str:
    if rule == "simplify":
        return "the same value, rewritten"
    names = rule.split(", ")
    return "the " + (names[0] if len(names) == 1 else ", the ".join(names[:-1]) + " and the " + names[-1])


def _one_step(piece: sympy.Expr, x: sympy.Symbol) -> sympy.Expr:
    """One rule applied to d/dx(piece), the inner derivatives left written as d/dx: the
    chain rule gives f'(u) * d/dx(u), the product rule f' g + f g' with d/dx(f) ..."""
    from calctutor.steps import differentiate, evaluated

    tree = differentiate(piece, x)
    later = lambda e: sympy.Derivative(evaluated(e), x)  # noqa: E731
    if tree.key == "chain" and tree.outer_derivative is not None and tree.variable:
        inner = evaluated(tree.inner)
        outer = tree.outer_derivative.xreplace({sympy.Symbol(tree.variable, real=True): inner})
        outer = outer.xreplace({s: inner for s in outer.free_symbols if s.name == tree.variable})
        return sympy.Mul(outer, later(inner), evaluate=False)
    if tree.key in ("sum", "difference"):
        return sympy.Add(*[later(c.expr) if c.expr.has(x) else sympy.S.Zero for c in tree.children],
                         evaluate=False)
    if tree.key == "product":
        items = [evaluated(c.expr) for c in tree.children]
        return sympy.Add(*[sympy.Mul(*[later(f) if i == j else f for j, f in enumerate(items)],
                                     evaluate=False) for i in range(len(items))], evaluate=False)
    return tree.result


def _derivatives(expr: sympy.Expr) -> set[sympy.Derivative]:
    return set(expr.atoms(sympy.Derivative))


def _carried_out(previous: sympy.Expr, line: sympy.Expr) -> list[sympy.Derivative]:
    """The d/dx of the previous line that this line no longer writes (outermost only)."""
    gone = _derivatives(previous) - _derivatives(line)
    # a d/dx inside another one that is gone is part of that one
    outer = [d for d in gone if not any(d != e and e.has(d) for e in gone)]
    return sorted(outer, key=lambda d: to_input(d))


def _rule_name(done: list[sympy.Derivative], x: sympy.Symbol) -> str:
    """The step engine's rule for each d/dx carried out, or simplify when none was."""
    if not done:
        return "simplify"
    from calctutor.steps import differentiate

    names: list[str] = []
    for d in done:
        wrt = d.variables[0] if d.variables else x
        try:
            name = differentiate(d.expr, wrt).rule if len(d.variables) == 1 else "higher-order derivative"
        except Exception:  # noqa: BLE001 - a rule name is a courtesy
            name = "derivative"
        if name not in names:
            names.append(name)
    return ", ".join(names)


def _explain(previous, previous_value, expr, value, done, x, variable, variables, *, undecided):
    """(rule, mistake, message, right step, mistakes) of a line that departs."""
    if undecided:
        return (None, "unknown", "Not accepted: neither witness could confirm that this line "
                "equals the previous one.", None, ("unknown",))
    if not done:
        return ("simplify", "algebra",
                "This line only rewrites the previous one but changes its value"
                + _where(previous_value, value, variables) + ".",
                to_input(previous_value), ("algebra",))
    stepwise = expr.has(sympy.Derivative)  # the learner is going one rule at a time
    right = to_input(previous.xreplace({d: _right_piece(d, x, stepwise) for d in done}))
    for d in done[:3]:
        found = _diagnose_piece(previous, value, d, done, x, variable)
        if found is not None:
            return (found.rule, found.label, found.message, right, tuple(found.mistakes))
    return (_rule_name(done, x), "unknown",
            "This step does not follow from the previous line" + _where(previous_value, value, variables)
            + ".", right, ("unknown",))


def _right_piece(d: sympy.Derivative, x, stepwise: bool) -> sympy.Expr:
    if stepwise and len(d.variables) == 1:
        try:
            return _one_step(d.expr, d.variables[0])
        except Exception:  # noqa: BLE001 - the whole derivative is a right step too
            pass
    return d.doit()


def _diagnose_piece(previous, value, d: sympy.Derivative, done, x, variable) -> Diagnosis | None:
    """Solve the line for the learner's derivative of ``d``'s function (the other pieces
    done right), and diagnose it as a final answer would be."""
    if len(d.variables) != 1:
        return None
    t = sympy.Dummy("t")
    others = {e: e.doit() for e in done if e != d}
    with_t = carry_out(previous.xreplace({d: t, **others}))
    coefficient = sympy.diff(with_t, t)
    if coefficient == 0 or coefficient.has(t):
        return None
    rest = with_t.xreplace({t: sympy.S.Zero})
    learner = sympy.cancel((value - rest) / coefficient) if coefficient != 1 else value - rest
    piece = d.expr
    wrt = d.variables[0]
    names = sorted({s.name for s in piece.free_symbols | learner.free_symbols} | {wrt.name})
    try:
        return diagnosis.diagnose(piece, learner, wrt.name, 1, names)
    except Exception:  # noqa: BLE001 - no diagnosis is better than a crash
        return None


def _where(expected: sympy.Expr, got: sympy.Expr, variables: list[str]) -> str:
    found = numeric.compare(expected, got, variables, budget=0.3)
    counter = found.counterexample
    if counter is None:
        return ""
    point = ", ".join(f"{k} = {v:.6g}" for k, v in counter.point.items())
    return f" (at {point} the previous line is {counter.expected:.6g}, this one {counter.answer:.6g})"
