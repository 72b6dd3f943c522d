"""Classic slips, replayed: the step engine re-run with one rule replaced by its mistake.

First a clean run records every *site* where a rule contributes a piece (the engine's
mutation hook, :class:`calctutor.steps.engine.Site`). Then, for each site and each slip
that applies there, the derivation is re-run with exactly that piece replaced, and the
rest built on top of it as a learner who made the slip would continue. The slips come
from the primitives table (each row's ``mistakes``) and from the structural rules:

- chain rule: the inner derivative replaced by 1 (``missing_chain_factor``);
- product rule: f'g' or one term only (``product_rule``);
- quotient rule: numerator reversed, or denominator not squared (``quotient_rule``);
- sums: one term's sign flipped (``sign``);
- constants: derivative of a constant not 0, or a constant factor dropped
  (``constant_rule``; a dropped 1/ln b of log_b is ``log_rule``);
- ln u: 1/x instead of 1/u (``log_rule``);
- any combined piece: one of its terms with the wrong sign, or its whole sign flipped
  (``sign``), at every depth;
- compositions read as products of powers and back: sin(x^2) differentiated as sin(x)^2
  (``wrong_outer_derivative``: the wrong function taken as the outer one);
- f^g with the exponent depending on x: the power rule as if g were a constant, or a^x's
  rule as if f were (``exp_rule``); e^u and a^u by the power rule with u as the exponent
  n, so no chain factor either (``exp_rule``).

Two slips at once are replayed by :func:`replay_many` (the diagnosis tries pairs when no
single slip explains an answer).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import sympy

from calctutor.parsing import to_input
from calctutor.parsing.builder import symbol
from calctutor.primitives import by_name, operator, rule
from calctutor.rules import mistaken_derivative
from calctutor.steps import derive
from calctutor.steps.engine import Site

MAX_SITES = 40  # sites per derivation considered (keeps the diagnosis under ~0.5 s)
MAX_TERMS = 8  # a piece with more terms than this gets no per-term sign slips


@dataclass(frozen=True)
class Candidate:
    """A wrong derivative and the story of how a learner would get it."""

    label: str
    rule: str
    at: str
    message: str
    right_step: str
    step_id: str
    derivative: sympy.Expr


@dataclass(frozen=True)
class _Slip:
    label: str
    rule: str
    replacement: sympy.Expr
    message: str
    right_step: str


def planned_slips(function: sympy.Expr, variable: str, order: int = 1) -> list[tuple[Site, _Slip]]:
    """Every (site, slip) pair that applies, cheapest to compute; nothing replayed yet."""
    x = symbol(variable)
    sites: list[Site] = []

    def record(site: Site):
        sites.append(site)
        return None

    derive(function, x, order, mutate=record, simplify=False)
    # the engine's own rewrite of f^g as g*ln(f) is not a product the learner wrote: a
    # product-rule slip there is the exponent rule misapplied (see _result_slips)
    rewritten = tuple(f"{s.step_id}." for s in sites if s.kind == "result" and s.key == "log_diff")
    plan: list[tuple[Site, _Slip]] = []
    seen: set[tuple] = set()
    for site in _interesting(sites)[:MAX_SITES]:
        for slip in _slips(site, x):
            if slip.replacement == site.correct:
                continue
            if slip.label == "product_rule" and site.step_id.startswith(rewritten):
                continue
            key = (site.step_id, site.kind, site.index, slip.replacement)
            if key in seen:
                continue
            seen.add(key)
            plan.append((site, slip))
    return plan


def replay(function: sympy.Expr, variable: str, order: int, site: Site, slip: _Slip) -> Candidate | None:
    """The derivative a learner gets by making ``slip`` at ``site`` (None if meaningless)."""
    derivative = _replay(function, symbol(variable), order, site, slip.replacement)
    if derivative is None:
        return None
    return Candidate(slip.label, slip.rule, to_input(_plain(site.expr)), slip.message,
                     slip.right_step, site.step_id, derivative)


def replay_many(function: sympy.Expr, variable: str, order: int,
                pairs: list[tuple[Site, _Slip]]) -> sympy.Expr | None:
    """The derivative a learner gets by making every slip of ``pairs`` (at distinct sites,
    or two sign slips in one piece)."""
    targets: dict[tuple, sympy.Expr] = {}
    for site, slip in pairs:
        key = (site.step_id, site.kind, site.index)
        if key in targets:
            if slip.label != "sign":
                return None
            # two terms of one piece flipped: both changes, added to the piece
            targets[key] = targets[key] + slip.replacement - site.correct
        else:
            targets[key] = slip.replacement

    def mutate(site: Site):
        return targets.get((site.step_id, site.kind, site.index))

    try:
        return derive(function, symbol(variable), order, mutate=mutate, simplify=False).result
    except Exception:  # noqa: BLE001 - a combination that makes no sense is skipped
        return None


def mistaken_derivatives(function: sympy.Expr, variable: str, order: int = 1) -> list[Candidate]:
    """Every distinct derivative obtainable from ``function`` by one classic slip."""
    candidates: list[Candidate] = []
    seen: set[sympy.Expr] = set()
    for site, slip in planned_slips(function, variable, order):
        candidate = replay(function, variable, order, site, slip)
        if candidate is None or candidate.derivative in seen:
            continue
        seen.add(candidate.derivative)
        candidates.append(candidate)
    return candidates


def _interesting(sites: list[Site]) -> list[Site]:
    """Sites worth replaying: teaching rules first, routine result sites last."""
    order = {"inner": 0, "local": 1, "constant": 2, "result": 3}
    return sorted(sites, key=lambda s: (order.get(s.kind, 4), len(s.step_id)))


def _replay(function, x, order, target: Site, replacement) -> sympy.Expr | None:
    def mutate(site: Site):
        if (site.step_id, site.kind, site.index) == (target.step_id, target.kind, target.index):
            return replacement
        return None

    try:
        return derive(function, x, order, mutate=mutate, simplify=False).result
    except Exception:  # noqa: BLE001 - a slip that makes no sense here is simply skipped
        return None


def _plain(expr: sympy.Expr) -> sympy.Expr:
    from calctutor.steps.shape import evaluated

    return evaluated(expr)


def _slips(site: Site, x: sympy.Symbol) -> Iterator[_Slip]:
    expr = _plain(site.expr)
    shown = to_input(expr)
    correct = site.correct
    if site.kind == "inner":
        outer = _outer_at_inner(expr)
        kept = f"you kept {to_input(outer)} but " if outer is not None else "you "
        yield _Slip("missing_chain_factor", rule("chain").name, sympy.Integer(1),
                    f"The chain rule at {shown}: {kept}dropped the inner derivative "
                    f"{to_input(correct)}.",
                    f"d/d{x} {shown} = {to_input(sympy.diff(expr, x))}")
        return
    if site.kind == "constant":
        if expr != 0:
            yield _Slip("constant_rule", rule("constant").name, expr,
                        f"The constant rule at {shown}: a constant's derivative is 0, "
                        f"not the constant itself.", f"d/d{x} {shown} = 0")
            yield _Slip("constant_rule", rule("constant").name, sympy.Integer(1),
                        f"The constant rule at {shown}: a constant's derivative is 0, not 1.",
                        f"d/d{x} {shown} = 0")
        return
    if site.kind == "local" and site.row:
        yield from _local_slips(site, expr, shown, x)
        return
    if site.kind == "result":
        yield from _result_slips(site, expr, shown, x)


def _local_slips(site: Site, expr, shown, x) -> Iterator[_Slip]:
    row = operator(site.row) if site.row in ("add", "sub", "neg", "mul", "div", "pow") else by_name(site.row)
    args = list(site.args)
    correct = site.correct
    for mistake in row.mistakes:
        if row.kind == "operator" and row.name in ("mul", "div", "add", "sub"):
            continue  # structural slips are replayed at the result sites instead
        if row.name == "pow":
            base, exponent = args
            if mistake.label == "power_rule" and (site.index != 0 or exponent.has(x)):
                continue
            if mistake.label == "exp_rule" and (site.index != 1 or base.has(x)):
                continue
        try:
            wrong = mistaken_derivative(row, mistake, args, site.index)
        except Exception:  # noqa: BLE001
            continue
        yield _Slip(mistake.label, row.rule,
                    wrong, f"The {row.rule} at {shown}: you {mistake.description}; the right "
                    f"local derivative is {to_input(correct)}, not {to_input(wrong)}.",
                    f"local derivative: {to_input(correct)}")
    letters = [a for a in args if a.is_Symbol and a != x]
    if row.kind == "function" and len(args) == 1 and letters and site.key not in ("pow",):
        # the outer derivative evaluated at x instead of at the inside u
        wrong = correct.xreplace({letters[0]: x})
        yield _Slip("wrong_outer_derivative", rule("chain").name, wrong,
                    f"The chain rule at {shown}: the outer derivative must be evaluated at the "
                    f"inside ({to_input(correct)} with {letters[0]} = the inner function), not at {x}.",
                    f"d/d{x} {shown} = {to_input(sympy.diff(expr, x))}")
    if row.name == "pow" and site.index == 0 and not args[1].has(x) and args[1].is_number:
        n = args[1]
        wrong = n * args[0] ** (n + 1)
        yield _Slip("power_rule", row.rule, wrong,
                    f"The power rule at {shown}: lower the exponent by one (to {to_input(n - 1)}), "
                    f"don't raise it.", f"local derivative: {to_input(correct)}")


def _result_slips(site: Site, expr, shown, x) -> Iterator[_Slip]:
    yield from _structural_result_slips(site, expr, shown, x)
    if site.key == "chain":
        yield from _chain_result_slips(site, expr, shown, x)
    elif site.key == "log_diff":
        yield from _variable_exponent_slips(site, expr, shown, x)
    yield from _sign_slips(site, expr, shown, x)


def _sign_slips(site: Site, expr, shown, x) -> Iterator[_Slip]:
    """One term of the piece with its sign flipped (as written, and expanded), or the
    whole piece's sign (a factor's sign lost)."""
    correct = site.correct
    if correct == 0:
        return
    right = f"d/d{x} {shown} = {to_input(correct)}"
    flips: list[sympy.Expr] = []
    for form in (correct, sympy.expand(correct)):
        parts = sympy.Add.make_args(form)
        if 1 < len(parts) <= MAX_TERMS:
            for term in parts:
                if term not in flips:
                    flips.append(term)
    for term in flips:
        yield _Slip("sign", rule("sum").name, correct - 2 * term,
                    f"A sign slip in d/d{x} {shown}: the term {to_input(term)} has the wrong sign.",
                    right)
    yield _Slip("sign", site.key if site.key in ("chain", "product", "quotient") else rule("sum").name,
                -correct,
                f"A sign slip in d/d{x} {shown}: the whole of it has the wrong sign "
                f"(a minus sign lost or gained).", right)


def _chain_result_slips(site: Site, expr, shown, x) -> Iterator[_Slip]:
    """Slips a whole chain step can carry: the composition read as a power of a function
    (sin(x^2) as sin(x)^2, and back), and e^u / a^u by the power rule with u as the n."""
    correct = site.correct
    right = f"d/d{x} {shown} = {to_input(correct)}"
    swapped = None
    if isinstance(expr, sympy.Function) and len(expr.args) == 1:
        inner = expr.args[0]
        if inner.is_Pow and inner.exp.is_number and inner.base.has(x):
            swapped = type(expr)(inner.base) ** inner.exp  # sin(x^2) read as sin(x)^2
    elif expr.is_Pow and expr.exp.is_number and isinstance(expr.base, sympy.Function) \
            and len(expr.base.args) == 1 and expr.base.args[0].has(x):
        fn = expr.base
        swapped = type(fn)(fn.args[0] ** expr.exp)  # sin(x)^2 read as sin(x^2)
    if swapped is not None:
        wrong = sympy.diff(swapped, x)
        outer = expr.func.__name__ if isinstance(expr, sympy.Function) else f"the power ^{to_input(expr.exp)}"
        yield _Slip("wrong_outer_derivative", rule("chain").name, wrong,
                    f"The chain rule at {shown}: you differentiated {to_input(swapped)} instead — "
                    f"the outer function of {shown} is {outer}, applied to {to_input(expr.args[0] if isinstance(expr, sympy.Function) else expr.base)}.",
                    right)
    power = (expr.base, expr.exp) if expr.is_Pow else (
        (sympy.E, expr.args[0]) if isinstance(expr, sympy.exp) else None)
    if power is not None and not power[0].has(x) and power[1].has(x):
        a, u = power
        wrong = u * a ** (u - 1)
        yield _Slip("exp_rule", rule("chain").name, wrong,
                    f"The exponential rule at {shown}: you used the power rule with the exponent "
                    f"{to_input(u)} as n; the exponent is not a constant, and "
                    f"d/du {to_input(a)}^u = {to_input(sympy.diff(a ** sympy.Symbol('u'), sympy.Symbol('u')))}.",
                    right)


def _variable_exponent_slips(site: Site, expr, shown, x) -> Iterator[_Slip]:
    """f^g with x in both: the power rule as if g were constant, or a^x's rule as if f were."""
    base, exponent = expr.base, expr.exp
    right = f"d/d{x} {shown} = {to_input(site.correct)}"
    as_power = exponent * base ** (exponent - 1) * sympy.diff(base, x)
    as_exponential = expr * sympy.log(base) * sympy.diff(exponent, x)
    yield _Slip("exp_rule", rule("log_diff").name, as_power,
                f"At {shown} you used the power rule on a variable exponent: n*x^(n-1) needs n "
                f"constant, but {to_input(exponent)} depends on {x}. Take logs first.", right)
    yield _Slip("exp_rule", rule("log_diff").name, as_exponential,
                f"At {shown} you used the rule of a^{x} although the base {to_input(base)} depends "
                f"on {x}. Take logs first.", right)


def _structural_result_slips(site: Site, expr, shown, x) -> Iterator[_Slip]:
    correct = site.correct
    key = site.key
    if key == "product":
        parts = list(expr.args) if expr.is_Mul else []
        if len(parts) >= 2:
            derivs = [sympy.diff(p, x) for p in parts]
            both = sympy.Mul(*derivs)
            yield _Slip("product_rule", rule("product").name, both,
                        f"The product rule at {shown}: (f g)' = f' g + f g', not f' g'.",
                        f"d/d{x} {shown} = {to_input(sympy.diff(expr, x))}")
            for i in range(len(parts)):
                term = derivs[i] * sympy.Mul(*[p for j, p in enumerate(parts) if j != i])
                if term != 0 and term != correct:
                    yield _Slip("product_rule", rule("product").name, term,
                                f"The product rule at {shown}: you kept only one of its terms "
                                f"({to_input(term)}); each factor takes its turn.",
                                f"d/d{x} {shown} = {to_input(sympy.diff(expr, x))}")
    elif key == "quotient":
        numerator, denominator = sympy.fraction(sympy.together(expr))
        dn, dd = sympy.diff(numerator, x), sympy.diff(denominator, x)
        reversed_ = (numerator * dd - dn * denominator) / denominator**2
        unsquared = (dn * denominator - numerator * dd) / denominator
        right = f"d/d{x} {shown} = {to_input(sympy.diff(expr, x))}"
        yield _Slip("quotient_rule", rule("quotient").name, reversed_,
                    f"The quotient rule at {shown}: the numerator is f' g - f g' (you reversed it).", right)
        yield _Slip("quotient_rule", rule("quotient").name, unsquared,
                    f"The quotient rule at {shown}: the denominator is g^2 — you forgot to square it.", right)
    elif key == "log_base" and expr.is_Mul:
        inner = next((f.args[0] for f in expr.args if isinstance(f, sympy.log) and f.has(x)), None)
        if inner is not None:
            base = next((f.base.args[0] for f in expr.args
                         if f.is_Pow and isinstance(f.base, sympy.log) and not f.has(x)), sympy.E)
            yield _Slip("log_rule", by_name("log10").rule, sympy.diff(sympy.log(inner), x),
                        f"The {by_name('log10').rule} at {shown}: log_b u = ln(u)/ln(b), so the "
                        f"derivative keeps the factor 1/ln({to_input(base)}).",
                        f"d/d{x} {shown} = {to_input(correct)}")
    elif key == "chain" and isinstance(expr, sympy.log):
        yield _Slip("log_rule", by_name("ln").rule, 1 / x,
                    f"The {by_name('ln').rule} at {shown}: d/du ln(u) = 1/u with u = "
                    f"{to_input(expr.args[0])} — the derivative is not 1/{x}.",
                    f"d/d{x} {shown} = {to_input(correct)}")
    elif key == "constant_multiple" and expr.is_Mul:
        constant, rest = expr.as_independent(x, as_Add=False)
        if constant not in (0, 1, -1) and rest != 1:
            dropped = sympy.diff(rest, x)
            is_log_base = any(isinstance(f, sympy.log) or (f.is_Pow and isinstance(f.base, sympy.log))
                              for f in sympy.Mul.make_args(constant))
            label = "log_rule" if is_log_base else "constant_rule"
            what = "the factor 1/ln(b) of log_b" if is_log_base else f"the constant factor {to_input(constant)}"
            yield _Slip(label, rule("constant_multiple").name if not is_log_base else by_name("log10").rule,
                        dropped, f"At {shown} you dropped {what}.",
                        f"d/d{x} {shown} = {to_input(correct)}")


def _outer_at_inner(expr: sympy.Expr) -> sympy.Expr | None:
    """f'(g(x)) for a composition f(g(x)), or None if it is not a simple one."""
    from calctutor.rules import local_derivative, row_for

    try:
        if isinstance(expr, sympy.Function) and len(expr.args) == 1:
            row = row_for(expr)
            if row is not None:
                return local_derivative(row.name, list(expr.args))
        if expr.is_Pow and expr.exp.is_number:
            return expr.exp * expr.base ** (expr.exp - 1)
        if expr.is_Pow and expr.base.is_number:
            return expr * sympy.log(expr.base)
    except Exception:  # noqa: BLE001
        return None
    return None
