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
    """SymPy's 2-D pretty form (ASCII when ``unicode`` is False)."""
    return sympy.pretty(expr, use_unicode=unicode, num_columns=width, wrap_line=False)


def inline(expr: sympy.Expr) -> str:
    """One-line form in our own input syntax."""
    return to_input(expr)


def latex(expr: sympy.Expr) -> str:
    return sympy.latex(expr)


def is_multiline(text: str) -> bool:
    return "\n" in text
