"""Shared pieces for showing mathematics: 2-D pretty forms, inline forms, colours."""

from __future__ import annotations

import sympy

from calctutor.parsing import to_input

#: Colours with a meaning, used by every renderer.
EXPR_STYLE = "bold cyan"
RESULT_STYLE = "bold green"
RULE_STYLE = "magenta"
NOTE_STYLE = "dim"
WRONG_STYLE = "bold red"
LAYER_STYLE = "yellow"


def pretty(expr: sympy.Expr, unicode: bool = True, width: int = 100) -> str:
    """SymPy's 2-D pretty form (ASCII when ``unicode`` is False); in plain output
    (:func:`calctutor.asciitext.linear_math`) the one-line form instead."""
    from calctutor.asciitext import linear_math

    if linear_math():
        return linear(expr)
    return sympy.pretty(expr, use_unicode=unicode, num_columns=width, wrap_line=False)


def linear(expr) -> str:
    """One line in our input syntax, also for an equation and a matrix."""
    if isinstance(expr, sympy.Equality):
        return f"{linear(expr.lhs)} = {linear(expr.rhs)}"
    if isinstance(expr, sympy.MatrixBase):
        return "[" + ", ".join("[" + ", ".join(to_input(v) for v in row) + "]"
                               for row in expr.tolist()) + "]"
    return to_input(expr)


def inline(expr: sympy.Expr) -> str:
    """One-line form in our own input syntax."""
    return to_input(expr)


def latex(expr: sympy.Expr) -> str:
    return sympy.latex(expr)


def is_multiline(text: str) -> bool:
    return "\n" in text
