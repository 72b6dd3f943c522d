"""Small helpers on expression shapes: flattening the parser's nested unevaluated sums
and products, evaluating an as-typed expression, substituting without evaluating, and
choosing layer letters that do not clash with the expression's own variables.
"""

from __future__ import annotations

import sympy
from sympy.core.parameters import evaluate as _evaluate

from calctutor.parsing.builder import symbol

#: Letters for chain-rule layers, in the order a teacher reaches for them.
LAYER_LETTERS = ("u", "v", "w", "p", "q", "r", "s", "t", "g", "h", "k", "m")
#: Names for the whole expression in a Leibniz breakdown (dz/du · du/dx).
OUTPUT_NAMES = ("z", "y", "f", "F", "Y", "Z")


def _flat_args(expr: sympy.Expr, cls: type) -> list[sympy.Expr]:
    out: list[sympy.Expr] = []
    for arg in expr.args:
        if type(arg) is cls:
            out.extend(_flat_args(arg, cls))
        else:
            out.append(arg)
    return out


def normalise(expr: sympy.Expr) -> sympy.Expr:
    """The as-typed expression with nested sums and products flattened.

    The parser builds ``a + b + c`` as ``(a + b) + c``; a teacher sees three terms. The
    learner's order of terms and factors is kept; nothing is evaluated.
    """
    if not expr.args or expr.is_Number or expr.is_Atom:
        return expr
    args = [normalise(a) for a in expr.args]
    if expr.is_Add or expr.is_Mul:
        cls = type(expr)
        flat: list[sympy.Expr] = []
        for a in args:
            if type(a) is cls:
                flat.extend(a.args)
            else:
                flat.append(a)
        args = flat
    if expr.is_Mul:
        numbers = [a for a in args if a.is_Number]
        if len(numbers) > 1:
            coefficient = sympy.Mul(*numbers)
            rest = [a for a in args if not a.is_Number]
            args = ([coefficient] if coefficient != 1 or not rest else []) + rest
            if len(args) == 1:
                return args[0]
    if list(args) == list(expr.args):
        return expr
    with _evaluate(False):
        return expr.func(*args)


def evaluated(expr: sympy.Expr) -> sympy.Expr:
    """SymPy's canonical form of an as-typed expression (what ``parse`` would give)."""
    if not expr.args or expr.is_Atom:
        return expr
    args = [evaluated(a) for a in expr.args]
    return expr.func(*args)


def substitute_unevaluated(expr: sympy.Expr, mapping: dict) -> sympy.Expr:
    """``expr`` with symbols replaced, without letting SymPy tidy the result."""
    with _evaluate(False):
        return expr.xreplace(mapping)


def factors(expr: sympy.Expr) -> list[sympy.Expr]:
    """The factors of a (possibly nested) product."""
    return _flat_args(expr, sympy.Mul) if expr.is_Mul else [expr]


def terms(expr: sympy.Expr) -> list[sympy.Expr]:
    """The terms of a (possibly nested) sum."""
    return _flat_args(expr, sympy.Add) if expr.is_Add else [expr]


def product(items: list[sympy.Expr]) -> sympy.Expr:
    """An unevaluated product of items (the item itself when there is one)."""
    if len(items) == 1:
        return items[0]
    return sympy.Mul(*items, evaluate=False)


def times(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
    """a·b written out (unevaluated), dropping a factor 1."""
    if a == 1:
        return b
    if b == 1:
        return a
    return sympy.Mul(a, b, evaluate=False)


def free_names(expr: sympy.Expr) -> set[str]:
    return {s.name for s in expr.free_symbols}


def pick_letters(taken: set[str], pool: tuple[str, ...] = LAYER_LETTERS) -> list[sympy.Symbol]:
    """Layer letters not used by the expression (falls back to u1, u2, ...)."""
    letters = [symbol(n) for n in pool if n not in taken]
    i = 1
    while len(letters) < 8:
        name = f"u{i}"
        if name not in taken:
            letters.append(symbol(name))
        i += 1
    return letters


def pick_output_name(taken: set[str]) -> str:
    for name in OUTPUT_NAMES:
        if name not in taken:
            return name
    return "out"
