"""The primitives table turned into SymPy: local derivatives and classic mistakes.

This is the only place that reads derivative formulas out of :mod:`calctutor.primitives`;
the step engine, autodiff, the graph and the grader all ask here. Formulas are parsed
once with our own parser and cached.
"""

from __future__ import annotations

from functools import lru_cache

import sympy

from calctutor.parsing.builder import resolve, symbol
from calctutor.primitives import OPERATORS, PRIMITIVES, Mistake, Primitive, by_name, operator

U, V, W, S = (symbol(n) for n in ("u", "v", "w", "s"))


@lru_cache(maxsize=None)
def formula(text: str) -> sympy.Expr:
    """A table formula as a SymPy expression in the dummy variables u, v, w, s."""
    from calctutor.parsing.parser import parse

    return parse(text)


def _instantiate(row: Primitive, text: str, args: list[sympy.Expr], index: int) -> sympy.Expr:
    f = formula(text)
    if row.arity == -1:
        call = sympy_function(row)(*args)
        f = f.xreplace({U: args[index], S: call})
        if W in f.free_symbols:
            others = [a for j, a in enumerate(args) if j != index]
            return sympy.Mul(*[f.xreplace({W: o}) for o in others])
        return f
    mapping = {U: args[0]}
    if len(args) > 1:
        mapping[V] = args[1]
    return f.xreplace(mapping)


def local_derivative(name: str, args: list[sympy.Expr], index: int = 0) -> sympy.Expr:
    """d name(args) / d args[index], straight from the table."""
    row = by_name(name) if name not in _OPERATOR_NAMES else operator(name)
    return row_derivative(row, args, index)


def row_derivative(row: Primitive, args: list[sympy.Expr], index: int = 0) -> sympy.Expr:
    """The local derivative a row states, d row(args) / d args[index]."""
    text = row.derivatives[0] if row.arity == -1 else row.derivatives[index]
    return _instantiate(row, text, list(args), index)


def mistaken_derivative(row: Primitive, mistake: Mistake, args: list[sympy.Expr],
                        index: int = 0) -> sympy.Expr:
    """The wrong local derivative a learner gives when making ``mistake``."""
    return _instantiate(row, mistake.formula, list(args), index)


_OPERATOR_NAMES = frozenset(row.name for row in OPERATORS)


@lru_cache(maxsize=None)
def sympy_function(row: Primitive):
    """The SymPy callable that builds this row's function."""
    return resolve(row.sympy)


@lru_cache(maxsize=1)
def _rows_by_class() -> dict[type, Primitive]:
    table: dict[type, Primitive] = {}
    for row in PRIMITIVES:
        if row.sugar:
            continue
        fn = sympy_function(row)
        if isinstance(fn, type):
            table.setdefault(fn, row)
    return table


def row_for(expr: sympy.Expr) -> Primitive | None:
    """The table row of a function application such as sin(x) or sigmoid(2x), else None."""
    return _rows_by_class().get(type(expr))


def function_rows() -> tuple[Primitive, ...]:
    """Every non-sugar function row: the ones that appear in SymPy expressions."""
    return tuple(row for row in PRIMITIVES if not row.sugar)
