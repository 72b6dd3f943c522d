"""The one evaluator at a point: is a function (or its n-th derivative) defined there, and
what is its value?

Every command that shows a value at a point asks here (``diff --at``, ``grad --at``,
``grad --hessian``, ``plot --tangent``, ``taylor``, and ``limit`` / ``integrate`` for their
own checks). The facts come from the primitives table (:mod:`calctutor.primitives`):

* **domain**: each row's ``conditions`` (ln: u > 0; tan: cos(u) != 0; asin: 1 - u^2 >= 0),
  checked for every sub-expression with the point put in; powers are checked here (0 to a
  negative power is a division by zero, an even root needs a nonnegative base, a
  variable exponent needs a positive base); anything else not finite or not real is
  reported as such.
* **kinks**: each row's ``kinks`` (abs, relu, sign, step at u = 0; max and min where
  arguments tie for the result; acot's jump at 0). At a kink the function is replaced on
  each side by the row's smooth branch (abs: -u below, u above), so the left and right
  values of the function and of its derivatives are exact. The derivative of order n
  exists exactly when both branches agree with each other (and the function's value) up
  to order n: ``x*abs(x)`` at 0 has derivative 0, ``abs(x)`` at 0 has none (slopes -1
  and 1), ``step(x)*x^2`` at 0 has derivative 0, ``step(x)`` at 0 jumps.
* **derivative conditions**: ``derivative_conditions`` (sqrt: u > 0; asin: |u| < 1). Where
  one fails, or the derivative's formula is not finite at the point, the one-sided limits
  of the derivative decide (time-limited): a vertical tangent, or a finite slope the
  formula could not show (``sqrt(x^4 + y^2)`` along y = 0).

Ordinary points are cheap: one walk over the expression with the point put in, no limits.

Entry point: :func:`at_point`. It never raises for a point outside the domain: the
answer says why in plain words (``PointValue.reason``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy

from calctutor.errors import CalcError, ComputationTimeout
from calctutor.parsing import to_input
from calctutor.parsing.builder import symbol
from calctutor.primitives import Condition, Kink, Primitive, by_name
from calctutor.rules import U, V, formula, row_for
from calctutor.timeouts import time_limit

__all__ = ["OneSided", "PointValue", "active_kinks", "at_point", "decimal", "describe_point",
           "kinks_in", "smooth_branch"]

#: seconds for the one-sided limits of the rare fallback (never used at ordinary points)
LIMIT_SECONDS = 3.0
#: how many derivatives decide on which side of 0 a kink's argument lies
SIDE_ORDER = 8
S = sympy.Symbol("s")  # the call's own value in a variadic row's formulas
K = sympy.Symbol("k")  # the number of tied arguments in a convention


@dataclass(frozen=True)
class OneSided:
    """The value just left and just right of the point (of the function's derivative of
    the order asked; for order 0 the one-sided limits of the function)."""

    left: sympy.Expr | None  # None: that side is outside the domain or not finite
    right: sympy.Expr | None

    @property
    def left_number(self) -> float | None:
        return decimal(self.left)

    @property
    def right_number(self) -> float | None:
        return decimal(self.right)


@dataclass(frozen=True)
class PointValue:
    """What :func:`at_point` found. ``value`` is None exactly when there is no value;
    ``reason`` then says why in a sentence a learner can read."""

    expression: sympy.Expr
    point: dict[str, sympy.Expr]
    variable: str | None = None
    order: int = 0
    defined: bool = True  # the function itself has a real value at the point
    differentiable: bool | None = None  # order >= 1: does that derivative exist there
    value: sympy.Expr | None = None  # exact value of the order-th derivative (or f)
    reason: str | None = None  # why there is no value
    one_sided: OneSided | None = None  # at a kink or an end of the domain
    continuous: bool | None = None  # at a kink: False where the function jumps
    kinks: tuple[str, ...] = ()  # the kinks sitting at the point, in words
    conventions: tuple[str, ...] = ()  # the table's named conventions for those kinks
    notes: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.value is not None

    @property
    def number(self) -> float | None:
        """The decimal value (None where there is none, or it is not a finite real)."""
        return decimal(self.value)

    @property
    def note(self) -> str | None:
        """The reason when there is no value, else the first remark (or None)."""
        return self.reason if self.value is None else (self.notes[0] if self.notes else None)


def decimal(value: sympy.Expr | None) -> float | None:
    """A finite real float for an exact SymPy number, else None."""
    if value is None:
        return None
    try:
        v = complex(sympy.N(value, 30))
    except (TypeError, ValueError, OverflowError):
        return None
    if abs(v.imag) > 1e-12 * max(1.0, abs(v.real)) or not math.isfinite(v.real):
        return None
    return v.real


def describe_point(point: Mapping[str, sympy.Expr]) -> str:
    """``x = -1, y = 0`` (values through the one printer)."""
    return ", ".join(f"{k} = {to_input(sympy.sympify(v))}" for k, v in point.items())


# ── signs of exact numbers ──────────────────────────────────────────────────────────
def _sign(value: sympy.Expr) -> int | None:
    """-1, 0 or 1 for a real constant; None when it is not a real number."""
    if value.has(sympy.zoo, sympy.nan) or value.is_extended_real is False:
        return None
    if value is sympy.oo:
        return 1
    if value is -sympy.oo:
        return -1
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    approx = sympy.N(value, 40)
    if approx.has(sympy.I) and abs(sympy.im(approx)) > 1e-30:
        return None
    re = sympy.re(approx)
    if abs(re) > 1e-30:
        return 1 if re > 0 else -1
    try:
        with time_limit(1.0, "deciding a sign"):
            simpler = sympy.simplify(value)
    except ComputationTimeout:
        simpler = value
    if simpler.is_zero:
        return 0
    return 1 if re > 0 else -1 if re < 0 else 0


def _holds(cond: Condition, value: sympy.Expr) -> tuple[bool | None, bool]:
    """(does ``value <relation> 0`` hold, is it on the boundary). None: not real."""
    sign = _sign(value)
    if sign is None:
        return None, False
    if cond.relation == ">":
        return sign > 0, False
    if cond.relation == ">=":
        return sign >= 0, sign == 0
    if cond.relation == "!=":
        return sign != 0, False
    raise ValueError(f"unknown relation {cond.relation!r}")


def _bad(value: sympy.Expr) -> bool:
    return bool(value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo)) or value.is_finite is False


def _row(node: sympy.Expr) -> Primitive | None:
    if isinstance(node, sympy.Function) or node.is_Function:
        return row_for(node)
    return None


# ── domain ──────────────────────────────────────────────────────────────────────────
@dataclass
class _Domain:
    problem: str | None = None  # the first failed condition, in words
    edges: list[str] = field(default_factory=list)  # conditions met with equality (>=)


def _condition_value(cond: Condition, args: list[sympy.Expr]) -> sympy.Expr:
    mapping = {U: args[0]}
    if len(args) > 1:
        mapping[V] = args[1]
    return formula(cond.expr).xreplace(mapping)


def _check_node(node: sympy.Expr, args_at: list[sympy.Expr], dom: _Domain) -> None:
    """Append a problem or an edge for one node whose arguments' values are known
    (nothing is decided while an argument still has a variable the point leaves open)."""
    if any(a.free_symbols for a in args_at):
        return
    if node.is_Pow:
        base, exp = args_at
        shown = to_input(node)
        if not node.exp.free_symbols or node.exp.is_number:
            # constant exponent
            sb = _sign(base)
            if exp.is_negative and sb == 0:
                dom.problem = f"division by zero ({shown} with {to_input(node.base)} = 0)"
                return
            if exp.is_Rational and not exp.is_Integer and sb is not None and sb <= 0:
                if exp.q % 2 == 0:
                    if sb < 0:
                        what = by_name("sqrt").conditions[0].text if exp == sympy.S.Half \
                            else "a nonnegative base (an even root)"
                        name = "sqrt" if exp == sympy.S.Half else shown
                        dom.problem = (f"{name} needs {what}; here it is "
                                       f"{to_input(base)}")
                        return
                    dom.edges.append("sqrt needs " + by_name("sqrt").conditions[0].text
                                     if exp == sympy.S.Half else
                                     f"{shown} needs its base >= 0")
            return
        sb = _sign(base)
        if sb is None or sb <= 0:
            dom.problem = (f"{shown} has a variable exponent, so it needs a positive base, "
                           f"but here the base is {to_input(base)}")
        return
    row = _row(node)
    if row is None or not row.conditions:
        return
    for cond in row.conditions:
        held, edge = _holds(cond, _condition_value(cond, args_at))
        if not held:
            arg = ", ".join(to_input(a) for a in args_at)
            dom.problem = f"{row.name} needs {cond.text}; here its argument is {arg}"
            return
        if edge:
            dom.edges.append(f"{row.name} needs {cond.text}")


def _walk(expr: sympy.Expr, subs: dict, dom: _Domain, memo: dict) -> sympy.Expr:
    """The value of ``expr`` at the point, checking every node's domain bottom-up."""
    hit = memo.get(expr)
    if hit is not None:
        return hit
    if expr.is_Atom or not expr.args:
        value = expr.xreplace(subs)
        memo[expr] = value
        return value
    args_at = []
    for a in expr.args:
        args_at.append(_walk(a, subs, dom, memo))
        if dom.problem is not None:
            return sympy.nan
    if expr.free_symbols:
        _check_node(expr, args_at, dom)
        if dom.problem is not None:
            return sympy.nan
    try:
        value = expr.func(*args_at)
    except (TypeError, ValueError):  # a node SymPy cannot rebuild from numbers
        value = expr.xreplace(subs)
    memo[expr] = value
    return value


def _domain_value(expr: sympy.Expr, subs: dict) -> tuple[sympy.Expr | None, _Domain]:
    """(exact value or None, domain findings)."""
    dom = _Domain()
    value = _walk(expr, subs, dom, {})
    if dom.problem is not None:
        return None, dom
    if _bad(value):
        dom.problem = _why_not_finite(expr, subs)
        return None, dom
    if value.free_symbols:
        return value, dom
    sign_known = value.is_extended_real
    if sign_known is False or (sign_known is None and decimal(value) is None):
        dom.problem = f"{to_input(expr)} has no real value there (it is {to_input(value)})"
        return None, dom
    return value, dom


def _why_not_finite(expr: sympy.Expr, subs: dict) -> str:
    """The innermost sub-expression that stops being finite, in words."""
    for node in sympy.postorder_traversal(expr):
        if node.is_Atom or not node.free_symbols:
            continue
        v = node.xreplace(subs)
        if _bad(v):
            if node.is_Pow and node.exp.is_negative:
                return f"division by zero ({to_input(node)} with {to_input(node.base)} = 0)"
            return f"{to_input(node)} is not finite there"
    return "the value is not finite there"


# ── kinks ───────────────────────────────────────────────────────────────────────────
def kinks_in(expr: sympy.Expr) -> list[tuple[sympy.Expr, Kink]]:
    """Every (sub-expression, kink row) of ``expr`` whose table row has a kink."""
    out = []
    for node in sympy.preorder_traversal(expr):
        row = _row(node)
        if row is not None and row.kinks and node.free_symbols:
            out.extend((node, k) for k in row.kinks)
    return out


def _tied(node: sympy.Expr, args_at: list[sympy.Expr], result: sympy.Expr) -> list[int]:
    return [i for i, a in enumerate(args_at) if _sign(a - result) == 0]


def _side_sign(u: sympy.Expr, x: sympy.Symbol, p: sympy.Expr, side: int) -> int:
    """The sign of u(p + side·h) for small h > 0, where u(p) = 0 and u is smooth there."""
    d = u
    for k in range(1, SIDE_ORDER + 1):
        d = sympy.diff(d, x)
        v = d.xreplace({x: p})
        s = _sign(v) if not _bad(v) else None
        if s is None:
            break
        if s != 0:
            return s * (side ** k)
    # flat to high order (or a derivative without a value): look numerically
    h = sympy.Rational(1, 10**12) * side
    v = sympy.N(u.xreplace({x: p + h}), 60)
    s = _sign(v)
    if s is None:
        raise CalcError(f"cannot tell on which side of its kink {to_input(u)} lies near "
                        f"{x.name} = {to_input(p)}")
    return s


def _branch(expr: sympy.Expr, x: sympy.Symbol, p: sympy.Expr, side: int,
            found: list) -> sympy.Expr:
    """``expr`` with every kink active at x = p replaced by its smooth formula on ``side``
    (-1: left of p, +1: right); ``found`` collects (node, kink) of those replaced."""
    if expr.is_Atom or x not in expr.free_symbols:
        return expr
    args = [_branch(a, x, p, side, found) for a in expr.args]
    changed = any(a is not b for a, b in zip(args, expr.args))
    row = _row(expr)
    if row is not None and row.kinks:
        kink = row.kinks[0]
        if kink.ties:
            at = [a.xreplace({x: p}) for a in args]
            result = expr.func(*at)
            tied = [] if result.free_symbols else _tied(expr, at, result)
            if len(tied) >= 2 and any(x in args[i].free_symbols for i in tied):
                found.append((expr, kink))
                best = tied[0]
                largest = row.name == "max"
                for i in tied[1:]:
                    diff = args[i] - args[best]
                    if x not in diff.free_symbols:
                        continue
                    s = _side_sign(diff, x, p, side) if _sign(diff.xreplace({x: p})) == 0 else 0
                    if (s > 0) == largest and s != 0:
                        best = i
                rest = [a for j, a in enumerate(args) if j not in tied]
                return expr.func(args[best], *rest) if rest else args[best]
        else:
            mapping = {U: args[0]}
            if len(args) > 1:
                mapping[V] = args[1]
            u = formula(kink.where).xreplace(mapping)  # the kink sits where this is 0
            u_at = u.xreplace({x: p})
            if not u_at.free_symbols and x in u.free_symbols and _sign(u_at) == 0:
                s = _side_sign(u, x, p, side)
                if s != 0:
                    found.append((expr, kink))
                    text = kink.above if s > 0 else kink.below
                    return formula(text).xreplace(mapping)
    return expr.func(*args) if changed else expr


def smooth_branch(expr: sympy.Expr, x: sympy.Symbol, p: sympy.Expr, side: int = 1) -> sympy.Expr:
    """``expr`` with every kink that sits at x = p replaced by its smooth formula just to
    the right (``side`` = 1) or left (-1) of p: abs(x) becomes x or -x, relu(x) x or 0."""
    return _branch(expr, x, sympy.sympify(p), side, [])


# ── values of derivatives ───────────────────────────────────────────────────────────
@dataclass
class _Smooth:
    value: sympy.Expr | None
    problem: str | None = None
    edges: list[str] = field(default_factory=list)
    vertical: bool = False


def _derivative_conditions(expr: sympy.Expr, x: sympy.Symbol, subs: dict) -> str | None:
    """The first derivative condition of the table that fails at the point, in words."""
    for node in sympy.preorder_traversal(expr):
        if node.is_Atom or x not in node.free_symbols:
            continue
        if node.is_Pow and node.exp.is_number and not node.exp.is_Integer and node.exp < 1:
            b = node.base.xreplace(subs)
            if x in node.base.free_symbols and _sign(b) == 0:
                if node.exp == sympy.S.Half:
                    cond = by_name("sqrt").derivative_conditions[0]
                    return f"the derivative of sqrt needs {cond.text}; here its argument is 0"
                return (f"the derivative of {to_input(node)} needs its base to be nonzero; "
                        f"here it is 0")
            continue
        row = _row(node)
        if row is None or not row.derivative_conditions:
            continue
        args_at = [a.xreplace(subs) for a in node.args]
        for cond in row.derivative_conditions:
            held, _ = _holds(cond, _condition_value(cond, args_at))
            if not held:
                return (f"the derivative of {row.name} needs {cond.text}; here its argument "
                        f"is {', '.join(to_input(a) for a in args_at)}")
    return None


#: an exact value with a number longer than this many bits is shown as a decimal
MAX_EXACT_BITS = 1000


def _too_long(value: sympy.Expr) -> bool:
    for atom in value.atoms(sympy.Rational):
        if max(abs(atom.p).bit_length(), abs(atom.q).bit_length()) > MAX_EXACT_BITS:
            return True
    return False


def _tidy(value: sympy.Expr) -> sympy.Expr:
    if _too_long(value):
        # too long to print exactly (Python refuses to print integers of 4300+ digits):
        # a 30-digit decimal, which the printer shows and parses back
        return sympy.N(value, 30)
    if value.is_Float:
        value = sympy.nsimplify(value)
    if value.is_Rational or value.is_Atom:
        return value
    if sympy.count_ops(value) > 12:
        try:
            with time_limit(1.0, "tidying a value"):
                simpler = sympy.simplify(value)
            if sympy.count_ops(simpler) < sympy.count_ops(value):
                return simpler
        except ComputationTimeout:
            pass
    return value


def _limit(expr, x, p, direction) -> sympy.Expr | None:
    try:
        with time_limit(LIMIT_SECONDS, "a one-sided limit"):
            value = sympy.limit(expr, x, p, direction)
    except Exception:  # noqa: BLE001 - SymPy's limit can fail many ways: no verdict then
        return None
    if value.has(sympy.nan, sympy.zoo, sympy.AccumBounds) or value.free_symbols:
        return None
    if value.is_extended_real is False:
        return None
    return value


def _inside(f: sympy.Expr, x: sympy.Symbol, p: sympy.Expr, side: int) -> bool:
    """Is f real just on ``side`` of p (a cheap look at p ± 10^-9)?"""
    v = sympy.N(f.xreplace({x: p + side * sympy.Rational(1, 10**9)}), 30)
    return decimal(v) is not None


def _smooth_value(f: sympy.Expr, x: sympy.Symbol | None, subs: dict, order: int,
                  derivative: sympy.Expr | None = None) -> _Smooth:
    """The order-th derivative of f (no kink active at the point) at the point."""
    value, dom = _domain_value(f, subs)
    if value is None:
        return _Smooth(None, dom.problem)
    if order == 0:
        return _Smooth(_tidy(value), None, dom.edges)
    d = derivative if derivative is not None else sympy.diff(f, x, order)
    failed = _derivative_conditions(f, x, subs)
    dvalue, ddom = (None, None) if failed else _domain_value(d, subs)
    if dvalue is not None:
        return _Smooth(_tidy(dvalue) if not dvalue.free_symbols else dvalue, None, dom.edges)
    # the formula cannot say: the one-sided limits of the derivative decide
    p = subs[x]
    line = f.xreplace({k: v for k, v in subs.items() if k != x})
    dline = d.xreplace({k: v for k, v in subs.items() if k != x})
    sides = {}
    for side, direction in ((-1, "-"), (1, "+")):
        if _inside(line, x, p, side):
            sides[side] = _limit(dline, x, p, direction)
    reason = failed or (ddom.problem if ddom is not None else None) or "its formula has no value"
    known = [v for v in sides.values() if v is not None]
    if not sides or len(known) < len(sides):
        return _Smooth(None, reason)
    if any(v.is_infinite for v in known):
        return _Smooth(None, reason + " (a vertical tangent)", vertical=True)
    if len(known) == 2 and _sign(known[0] - known[1]) != 0:
        return _Smooth(None, reason)
    edges = list(dom.edges)
    if len(known) == 1:
        edges.append("only one side is in the domain")
    return _Smooth(_tidy(known[0]), None, edges)


def _equal(a: sympy.Expr | None, b: sympy.Expr | None) -> bool:
    return a is not None and b is not None and _sign(a - b) == 0


def active_kinks(expr: sympy.Expr, point: Mapping[str, object]) -> list[tuple[sympy.Expr, Kink]]:
    """The (sub-expression, kink) pairs of ``expr`` that sit exactly on their kink at
    ``point`` (an argument of abs/relu/sign/step is 0 there; arguments of max/min tie for
    the result). Sub-expressions that do not depend on the point's variables are skipped."""
    subs = {symbol(k): sympy.sympify(v) for k, v in point.items()}
    out = []
    for node, kink in kinks_in(expr):
        if not (node.free_symbols & set(subs)):
            continue
        args = [a.xreplace(subs) for a in node.args]
        if any(a.free_symbols for a in args):
            continue
        if kink.ties:
            if len(_tied(node, args, node.func(*args))) >= 2:
                out.append((node, kink))
        elif _sign(_kink_location(kink, args)) == 0:
            out.append((node, kink))
    return out


def _kink_location(kink: Kink, args: list[sympy.Expr]) -> sympy.Expr:
    """The value of the kink's ``where`` formula (0 on the kink) for these arguments."""
    if kink.where == "u":
        return args[0]
    mapping = {U: args[0]}
    if len(args) > 1:
        mapping[V] = args[1]
    return formula(kink.where).xreplace(mapping)


def _mixed(expr: sympy.Expr, subs: dict, wrt: tuple[str, ...], base: PointValue,
           derivative: sympy.Expr | None) -> PointValue:
    """A mixed partial (several different variables) at the point."""
    where = describe_point(base.point)
    label = f"d^{len(wrt)}/" + "".join(f"d{w}" for w in wrt)
    names = set(wrt)
    kinks = [(n, k) for n, k in active_kinks(expr, base.point)
             if {s.name for s in n.free_symbols} & names]
    if kinks:
        texts = tuple(dict.fromkeys(
            f"{to_input(n)} has {'a corner' if k.ties else k.text} at {where}" for n, k in kinks))
        return _replace(base, differentiable=None, kinks=texts,
                        reason=f"{label} is not given at {where}: {texts[0]}, and a mixed "
                               "second partial across a kink is not decided here")
    for w in dict.fromkeys(wrt):
        failed = _derivative_conditions(expr, symbol(w), subs)
        if failed:
            return _replace(base, differentiable=False,
                            reason=f"{label} has no value at {where}: {failed}")
    d = derivative if derivative is not None else sympy.diff(expr, *[symbol(w) for w in wrt])
    value, dom = _domain_value(d, subs)
    if value is None:
        return _replace(base, differentiable=False,
                        reason=f"{label} has no value at {where}: {dom.problem}")
    return _replace(base, differentiable=True, value=_tidy(value))


# ── the entry point ─────────────────────────────────────────────────────────────────
def at_point(expr: sympy.Expr, point: Mapping[str, object],
             wrt: str | tuple[str, ...] | None = None, order: int | None = None,
             derivative: sympy.Expr | None = None) -> PointValue:
    """Decide what ``expr`` (or its ``order``-th derivative in ``wrt``) is at ``point``.

    ``expr``: a SymPy expression in calctutor's real symbols (from ``calctutor.parsing``).
    ``point``: {variable name: exact value} (``calctutor.points.parse_point`` gives one);
    variables not in the point stay symbols. ``wrt``: the variable of differentiation
    (needed when ``order`` >= 1; with several variables in the expression it is a
    partial, the others held at the point), or a tuple of names for a mixed partial
    (``("x", "y")`` is d^2/dxdy; ``order`` is then its length). ``order`` defaults to 0
    without ``wrt`` and 1 with it. ``derivative``: the caller's own form of that
    derivative, if it has one (saves recomputing it; its value is used only where no
    kink sits at the point).

    Returns a :class:`PointValue`: ``value`` (exact) and ``number`` (decimal) when the
    function is defined there (and, for ``order`` >= 1, that derivative exists); else
    ``value`` is None and ``reason`` says why ("ln(x) is undefined at x = -1: ln needs its
    argument > 0"). At a kink ``one_sided`` holds the left and right values of that
    derivative (for a corner: the one-sided derivatives) and ``kinks`` names the kinks;
    ``conventions`` names the table's autodiff convention for each, for views that need
    one. Never raises for a point outside the domain.
    """
    if isinstance(wrt, (tuple, list)):
        names = tuple(wrt)
        order = len(names)
        wrt = names[0] if len(set(names)) == 1 else names
    if order is None:
        order = 0 if wrt is None else 1
    if order < 0:
        raise CalcError("the order of a derivative cannot be negative")
    if expr.has(sympy.Derivative):
        expr = expr.doit()
    subs = {symbol(k): sympy.sympify(v) for k, v in point.items()}
    shown_point = {k: sympy.sympify(v) for k, v in point.items()}
    where = describe_point(shown_point)
    name = to_input(expr)
    base = PointValue(expr, shown_point, wrt, order)

    value, dom = _domain_value(expr, subs)
    if value is None:
        return _replace(base, defined=False, differentiable=False if order else None,
                        reason=f"{name} is undefined at {where}: {dom.problem}")
    if order == 0:
        notes = tuple(f"{where} is an end of the domain ({e})" for e in dom.edges)
        return _replace(base, value=_tidy(value), notes=notes)
    if wrt is None:
        raise CalcError("say which variable to differentiate with respect to")
    if isinstance(wrt, tuple):
        return _mixed(expr, subs, wrt, base, derivative)
    x = symbol(wrt)
    if x not in subs:
        raise CalcError(f"the point needs a value for {wrt}")
    p = subs[x]
    others = {k: v for k, v in subs.items() if k != x}
    line = expr.xreplace(others) if others else expr
    label = _label(order, wrt)

    left_found: list = []
    right_found: list = []
    left = _branch(line, x, p, -1, left_found)
    right = _branch(line, x, p, 1, right_found)
    if not left_found and not right_found:
        smooth = _smooth_value(expr, x, subs, order, derivative)
        if smooth.value is None:
            return _replace(base, differentiable=False,
                            reason=f"{name} is not differentiable at {where}: {smooth.problem}"
                            if order == 1 else
                            f"the {_ordinal(order)} derivative of {name} does not exist at "
                            f"{where}: {smooth.problem}")
        notes = tuple(f"{where} is an end of the domain ({e}): the derivative there is "
                      "one-sided" for e in smooth.edges)
        return _replace(base, differentiable=True, value=smooth.value, notes=notes)

    # name each kink as the learner wrote it (the other variables not yet put in)
    original = {node.xreplace(others): node for node, _ in kinks_in(expr)} if others else {}
    kinks = tuple(dict.fromkeys(
        f"{to_input(original.get(node, node))} has a corner at {where} ({k.text})" if k.ties
        else f"{to_input(original.get(node, node))} has {k.text} at {where}"
        for node, k in left_found + right_found))
    conventions = tuple(dict.fromkeys(k.convention_text for _, k in left_found + right_found
                                      if k.convention_text))
    point_x = {x: p}
    lvals, rvals = [], []
    for k in range(order + 1):
        lv = _smooth_value(left, x, point_x, k)
        rv = _smooth_value(right, x, point_x, k)
        lvals.append(lv.value)
        rvals.append(rv.value)
    one = OneSided(lvals[-1], rvals[-1])
    # continuity: both branches meet the function's own value
    broken = None
    for k in range(order + 1):
        if k == 0:
            if not (_equal(lvals[0], value) and _equal(rvals[0], value)):
                broken = 0
                break
        elif not _equal(lvals[k], rvals[k]):
            broken = k
            break
    if broken is None:
        return _replace(base, differentiable=True, value=rvals[-1], one_sided=one, kinks=kinks,
                        conventions=conventions, continuous=True,
                        notes=(f"{kinks[0]}, but the one-sided "
                               f"{'derivatives' if order == 1 else 'values of ' + label} "
                               f"agree (both {_show(rvals[-1])}), so {label} exists there",))
    if broken == 0:
        why = (f"{name} jumps at {where} (from {to_input(lvals[0])} on the left to "
               f"{to_input(rvals[0])} on the right; its value there is {to_input(value)})"
               if lvals[0] is not None and rvals[0] is not None else
               f"{name} is not continuous at {where}")
        reason = f"{label} does not exist at {where}: {why}"
    elif broken == order:
        reason = (f"{label} does not exist at {where}: {kinks[0]}, and the one-sided "
                  f"{'derivatives' if order == 1 else 'values of ' + label} differ "
                  f"({_show(lvals[-1])} from the left, {_show(rvals[-1])} from the right)")
    else:
        reason = (f"{label} does not exist at {where}: already the "
                  f"{_ordinal(broken)} derivative does not ({kinks[0]}; one-sided values "
                  f"{_show(lvals[broken])} and {_show(rvals[broken])})")
    return _replace(base, differentiable=False, reason=reason, one_sided=one, kinks=kinks,
                    conventions=conventions, continuous=broken != 0)


def _show(v: sympy.Expr | None) -> str:
    return "undefined" if v is None else to_input(v)


def _label(order: int, wrt: str) -> str:
    if order == 1:
        return f"d/d{wrt}"
    return f"d^{order}/d{wrt}^{order}"


def _ordinal(n: int) -> str:
    return {1: "first", 2: "second", 3: "third"}.get(n, f"{n}th")


def _replace(base: PointValue, **changes) -> PointValue:
    from dataclasses import replace

    return replace(base, **changes)
