"""The step engine: matches expression shapes to rules and builds the rule tree.

It works on the *as-typed* expression (``parse(text, evaluate=False)``), so ``(x^2)^3``
is taught as a chain of two powers and ``sin((4x)^2)`` as three layers. Every local
derivative comes from the primitives table through :func:`calctutor.rules.local_derivative`
(outer functions, powers, exponentials, and the operator rows for products and
quotients); the engine only combines them by the structural rules (sum, constant multiple,
product, quotient, chain, logarithmic differentiation).

Invariant (tested for every node): ``step.result`` equals ``d step.expr / d step.wrt``.

The mistake hook: ``Engine(..., mutate=f)`` calls ``f(site)`` at every place where a rule
contributes a piece — a table's local derivative (``site.kind == "local"``), a chain's
inner derivative (``"inner"``), a constant's derivative (``"constant"``) and every step's
combined result (``"result"``). When ``f`` returns an expression, the engine uses it
instead of the correct one and marks the step ``mutated``; everything above it is then
built from the wrong piece, exactly as a learner who made that slip would continue.
Return ``None`` to leave a site alone. The grader (a later issue) replays the classic
slips of the table (``Primitive.mistakes``) this way.
"""

from __future__ import annotations

import re

from collections.abc import Callable
from dataclasses import dataclass

import sympy

from calctutor.errors import CalcError
from calctutor.parsing import to_input
from calctutor.primitives import by_name, operator, rule
from calctutor.rules import local_derivative, row_for
from calctutor.steps.model import Step
from calctutor.steps.shape import (
    evaluated,
    factors,
    free_names,
    pick_letters,
    product,
    substitute_unevaluated,
    terms,
    times,
)

__all__ = ["Site", "Mutate", "Engine", "differentiate"]

@dataclass(frozen=True, slots=True)
class Site:
    """A place where a rule contributes a piece; what a mutation hook sees.

    ``kind``: ``"local"`` (a local derivative read from the table: ``row`` is the table
    row's name, e.g. ``"sin"``, ``"pow"``, ``"mul"``, ``"div"``, ``args`` its arguments
    and ``index`` the argument differentiated), ``"inner"`` (a chain step's inner
    derivative), ``"constant"`` (the derivative of a constant) or ``"result"`` (a step's
    combined result). ``correct`` is what the engine would use.
    """

    step_id: str
    kind: str
    key: str  # the step's key ("chain", "product", "sin", ...)
    expr: sympy.Expr  # the step's expression
    correct: sympy.Expr
    row: str | None = None
    args: tuple[sympy.Expr, ...] = ()
    index: int = 0
    wrt: sympy.Symbol | None = None


Mutate = Callable[[Site], "sympy.Expr | None"]


class Engine:
    """Builds rule trees for d/d``wrt``; one instance per derivation."""

    def __init__(
        self,
        wrt: sympy.Symbol,
        *,
        taken: set[str] = frozenset(),
        names: dict | None = None,
        mutate: Mutate | None = None,
    ) -> None:
        self.x = wrt
        self.letters = pick_letters(set(taken) | {wrt.name})
        # inner expression -> the learner's own name for it (programs: y = ...; z = y^2)
        self.names = dict(names or {})
        self.mutate = mutate
        self.mutated = False

    # ── the hook ────────────────────────────────────────────────────────────────────
    def _hook(self, sid: str, kind: str, key: str, expr, correct, **where) -> tuple[sympy.Expr, bool]:
        if self.mutate is None:
            return correct, False
        alt = self.mutate(Site(sid, kind, key, expr, correct, wrt=where.pop("wrt", self.x), **where))
        if alt is None:
            return correct, False
        self.mutated = True
        if isinstance(alt, int):
            alt = sympy.Integer(alt)
        return alt, True

    def _local(self, sid: str, key: str, expr, row: str, args: list, index: int = 0,
               wrt=None) -> tuple[sympy.Expr, bool]:
        """A local derivative from the table (through placeholders, so that the
        arguments' own symbols can never collide with the table's formula letters)."""
        dummies = [sympy.Dummy(f"a{i}") for i in range(len(args))]
        value = local_derivative(row, dummies, index)
        value = value.xreplace(dict(zip(dummies, args)))
        return self._hook(sid, "local", key, expr, value, row=row, args=tuple(args), index=index,
                          wrt=wrt or self.x)

    def _make(self, sid, rule_name, key, expr, result, *, mutated=False, wrt=None, **kw) -> Step:
        result, changed = self._hook(sid, "result", key, expr, result, wrt=wrt or self.x)
        return Step(sid, rule_name, key, expr, result, wrt or self.x, mutated=mutated or changed, **kw)

    # ── dispatch ────────────────────────────────────────────────────────────────────
    def step(self, expr: sympy.Expr, sid: str = "1", depth: int = 0) -> Step:
        """The rule tree of d expr / dx (``sid`` is this node's id)."""
        x = self.x
        try:
            if x not in expr.free_symbols:
                return self._constant(expr, sid)
            if expr == x:
                r = rule("identity")
                return self._make(sid, r.name, "identity", expr, sympy.S.One, explanation=r.explanation)
            if expr.is_Add:
                return self._sum(expr, sid, depth)
            if expr.is_Mul:
                return self._mul(expr, sid, depth)
            if expr.is_Pow:
                return self._pow(expr, sid, depth)
            row = row_for(expr)
            if row is not None:
                return self._function(expr, row, sid, depth)
        except (CalcError, KeyboardInterrupt, RecursionError):
            raise
        except Exception:  # noqa: BLE001 - an honest "by SymPy" step, never a crash
            pass
        return self._by_sympy(expr, sid)

    def _by_sympy(self, expr, sid) -> Step:
        r = rule("sympy")
        result = sympy.diff(evaluated(expr), self.x)
        return self._make(sid, r.name, "sympy", expr, result, explanation=r.explanation)

    # ── constants and sums ──────────────────────────────────────────────────────────
    def _constant(self, expr, sid) -> Step:
        if expr.is_Symbol:
            r = rule("other_variable")
            note = f"{expr.name} is held fixed while {self.x.name} changes"
            key = "other_variable"
        else:
            r = rule("constant")
            key = "constant"
            names = sorted(free_names(expr))
            note = (f"does not depend on {self.x.name} ({', '.join(names)} held fixed)"
                    if names else None)
        zero, changed = self._hook(sid, "constant", key, expr, sympy.S.Zero)
        return self._make(sid, r.name, key, expr, zero, mutated=changed, note=note,
                          explanation=r.explanation)

    def _sum(self, expr, sid, depth) -> Step:
        items = terms(expr)
        children = tuple(self.step(t, f"{sid}.{i}", depth) for i, t in enumerate(items, 1))
        result = sympy.Add(*[c.result for c in children])
        negative = any(t.could_extract_minus_sign() for t in items[1:])
        row = operator("sub" if negative else "add")
        key = "difference" if negative else "sum"
        return self._make(sid, row.rule, key, expr, result, children=children,
                          explanation=rule("sum").explanation if not negative else row.explanation,
                          work=sympy.Add(*[c.result for c in children], evaluate=False))

    # ── products, constant multiples, quotients ─────────────────────────────────────
    def _mul(self, expr, sid, depth) -> Step:
        x = self.x
        items = factors(expr)
        consts = [f for f in items if x not in f.free_symbols]
        deps = [f for f in items if x in f.free_symbols]
        if consts:
            return self._constant_multiple(expr, consts, deps, sid, depth)
        nums = [f for f in deps if not (f.is_Pow and f.exp == -1)]
        dens = [f.base for f in deps if f.is_Pow and f.exp == -1]
        if nums and dens:
            return self._quotient(expr, product(nums), product(dens), sid, depth)
        return self._product(expr, deps, sid, depth)

    def _constant_multiple(self, expr, consts, deps, sid, depth) -> Step:
        c = sympy.Mul(*[evaluated(k) for k in consts])
        inner = product(deps)
        child = self.step(inner, f"{sid}.1", depth)
        log_base = self._log_base(consts, deps)
        if log_base is not None:
            row = by_name("log10")
            name, key, explanation = row.rule, "log_base", row.explanation
            note = f"log_{log_base}(u) = ln(u)/ln({log_base}): a constant 1/ln({log_base}) times ln(u)"
        else:
            r = rule("constant_multiple")
            name, key, explanation = r.name, "constant_multiple", r.explanation
            held = sorted(free_names(c))
            note = ("a minus sign is the constant factor -1" if c == -1 else
                    f"{', '.join(held)} held fixed, so {to_input(c)} is a constant factor"
                    if held else None)
        return self._make(sid, name, key, expr, c * child.result, children=(child,),
                          explanation=explanation, note=note, work=times(c, child.result))

    @staticmethod
    def _log_base(consts, deps):
        if len(deps) == 1 and isinstance(deps[0], sympy.log) and len(consts) == 1:
            k = consts[0]
            if k.is_Pow and k.exp == -1 and isinstance(k.base, sympy.log) and k.base.args[0].is_number:
                return k.base.args[0]
        return None

    def _product(self, expr, deps, sid, depth) -> Step:
        children = tuple(self.step(f, f"{sid}.{i}", depth) for i, f in enumerate(deps, 1))
        terms_, work = [], []
        for i, (f, child) in enumerate(zip(deps, children)):
            others = [g for j, g in enumerate(deps) if j != i]
            rest = sympy.Mul(*[evaluated(g) for g in others])
            # ∂(f·rest)/∂f from the table's product row ("v": the other factor)
            partial, _ = self._local(sid, "product", expr, "mul", [evaluated(f), rest], 0)
            terms_.append(child.result * partial)
            work.append(times(child.result, partial))
        r = rule("product")
        note = f"{len(deps)} factors: each takes its turn" if len(deps) > 2 else None
        return self._make(sid, r.name, "product", expr, sympy.Add(*terms_), children=children,
                          explanation=r.explanation, note=note,
                          work=sympy.Add(*work, evaluate=False))

    def _quotient(self, expr, num, den, sid, depth) -> Step:
        top = self.step(num, f"{sid}.1", depth)
        bottom = self.step(den, f"{sid}.2", depth)
        f, g = evaluated(num), evaluated(den)
        d_num, _ = self._local(sid, "quotient", expr, "div", [f, g], 0)
        d_den, _ = self._local(sid, "quotient", expr, "div", [f, g], 1)
        g2 = g ** 2
        # f'·(∂q/∂f)·g² + g'·(∂q/∂g)·g², all over g²: (f'g - fg')/g² with the table's rows
        a, b = d_num * g2, d_den * g2  # g and -f when the table's rows are used as they are
        numerator = top.result * a + bottom.result * b
        result = numerator / g2
        work_top = sympy.Add(times(top.result, a), times(bottom.result, b), evaluate=False)
        work = sympy.Mul(work_top, sympy.Pow(sympy.Pow(g, 2, evaluate=False), -1, evaluate=False),
                         evaluate=False)
        r = rule("quotient")
        row = operator("div")
        return self._make(sid, r.name, "quotient", expr, result, children=(top, bottom),
                          explanation=r.explanation, note=f"{row.domain}: {to_input(den)} != 0", work=work)

    # ── powers, exponentials, f^g ───────────────────────────────────────────────────
    def _pow(self, expr, sid, depth) -> Step:
        x = self.x
        base, exp = expr.base, expr.exp
        base_dep, exp_dep = x in base.free_symbols, x in exp.free_symbols
        if base_dep and not exp_dep:
            if exp == sympy.S.Half:
                row = by_name("sqrt")
                return self._apply(expr, "sqrt", row.rule, row.explanation, base,
                                   lambda u: sympy.sqrt(u), lambda s, u: self._local(s, "sqrt", expr, "sqrt", [u]),
                                   sid, depth, note=f"domain: {row.domain}")
            r = rule("power")
            ev_exp = evaluated(exp)
            return self._apply(expr, "power", r.name, r.explanation, base,
                               lambda u: sympy.Pow(u, exp, evaluate=False),
                               lambda s, u: self._local(s, "power", expr, "pow", [u, ev_exp], 0),
                               sid, depth, note=None)
        if exp_dep and not base_dep:
            if base == sympy.E:
                row = by_name("exp")
                return self._apply(expr, "exp", row.rule, row.explanation, exp,
                                   lambda u: sympy.Pow(sympy.E, u, evaluate=False),
                                   lambda s, u: self._local(s, "exp", expr, "exp", [u]), sid, depth)
            r = rule("exponential")
            a = evaluated(base)
            return self._apply(expr, "exponential", r.name, r.explanation, exp,
                               lambda u: sympy.Pow(base, u, evaluate=False),
                               lambda s, u: self._local(s, "exponential", expr, "pow", [a, u], 1),
                               sid, depth, note=f"base a = {to_input(a)} (a > 0)")
        return self._log_diff(expr, sid, depth)

    def _log_diff(self, expr, sid, depth) -> Step:
        base, exp = expr.base, expr.exp
        rewritten = sympy.Mul(exp, sympy.log(base, evaluate=False), evaluate=False)
        child = self.step(rewritten, f"{sid}.1", depth)
        y = evaluated(expr)
        r = rule("log_diff")
        note = (f"y = {to_input(expr)}, so ln(y) = {to_input(rewritten)}; then "
                f"y'/y = d/d{self.x.name}[{to_input(rewritten)}], so y' = y * d/d{self.x.name}"
                f"[{to_input(rewritten)}] (needs {to_input(base)} > 0)")
        return self._make(sid, r.name, "log_diff", expr, y * child.result, children=(child,),
                          explanation=r.explanation, note=note, work=times(y, child.result))

    # ── functions from the table ────────────────────────────────────────────────────
    def _function(self, expr, row, sid, depth) -> Step:
        name = row.name
        note = None
        if row.kinks or row.domain != "all real numbers":
            note = ("kink: " if row.kinks else "domain: ") + row.domain
        if row.arity == -1:
            return self._variadic(expr, row, sid, depth, note)
        fn = type(expr)
        rest = list(expr.args[1:])  # leaky_relu's slope, a loss's target y, huber's delta
        if any(self.x in a.free_symbols for a in rest):
            # several arguments move with x: the multivariable chain rule, done by SymPy
            return self._by_sympy(expr, sid)
        return self._apply(expr, name, row.rule, row.explanation, expr.args[0],
                           lambda u: fn(u, *rest, evaluate=False),
                           lambda s, u: self._local(s, name, expr, name, [u, *rest]), sid, depth,
                           note=note)

    def _variadic(self, expr, row, sid, depth, note) -> Step:
        x = self.x
        args = list(expr.args)
        ev_args = [evaluated(a) for a in args]
        children, total, work = [], [], []
        for i, a in enumerate(args):
            if x not in a.free_symbols:
                continue
            child = self.step(a, f"{sid}.{len(children) + 1}", depth)
            children.append(child)
            partial, _ = self._local(sid, row.name, expr, row.name, ev_args, i)
            total.append(partial * child.result)
            work.append(times(partial, child.result))
        return self._make(sid, row.rule, row.name, expr, sympy.Add(*total), children=tuple(children),
                          explanation=row.explanation, note=note, work=sympy.Add(*work, evaluate=False))

    def _apply(self, expr, key, rule_name, explanation, arg, outer_of, local_of, sid, depth,
               note=None) -> Step:
        """f(arg): the row's rule directly when arg is the variable, else the chain rule."""
        x = self.x
        if arg == x:
            value, changed = local_of(sid, x)
            return self._make(sid, rule_name, key, expr, value, mutated=changed,
                              explanation=explanation, note=_in_letter(note, x.name))
        letter = self._letter(arg, depth)
        note = _in_letter(note, letter.name)
        outer = outer_of(letter)
        outer_d, changed = local_of(f"{sid}.1", letter)
        outer_step = Step(f"{sid}.1", rule_name, key, outer, outer_d, letter,
                          explanation=explanation, note=note, mutated=changed)
        inner_step = self.step(arg, f"{sid}.2", depth + 1)
        inner_d, _ = self._hook(sid, "inner", "chain", expr, inner_step.result)
        at_inner = outer_d.xreplace({letter: evaluated(arg)})
        r = rule("chain")
        work = times(substitute_unevaluated(outer_d, {letter: evaluated(arg)}), inner_d)
        return self._make(
            sid, r.name, "chain", expr, at_inner * inner_d, children=(outer_step, inner_step),
            explanation=r.explanation, note=f"let {letter.name} = {to_input(arg)}", variable=letter.name,
            inner=arg, outer=outer, outer_derivative=outer_d, inner_derivative=inner_d, work=work,
        )

    def _letter(self, inner, depth) -> sympy.Symbol:
        named = self.names.get(inner)
        if named is not None:
            return named
        return self.letters[depth % len(self.letters)]


def _in_letter(note: str | None, name: str) -> str | None:
    """The table writes domains in the argument ``u``; say them in the step's own letter."""
    if not note or name == "u":
        return note
    return re.sub(r"\bu\b", name, note)


def differentiate(expr: sympy.Expr, wrt: sympy.Symbol, *, sid: str = "1",
                  mutate: Mutate | None = None, names: dict | None = None) -> Step:
    """The rule tree of d expr / d wrt (``expr`` as typed; see :func:`normalise`)."""
    engine = Engine(wrt, taken=free_names(expr), names=names, mutate=mutate)
    return engine.step(expr, sid)
