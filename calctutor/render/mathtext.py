"""Shared pieces for showing mathematics: 2-D pretty forms, inline forms, colours.

The 2-D form is SymPy's pretty printer with the teacher's spellings (``ln``, ``e``,
``step``) and our own layout of products. SymPy's own product layout imports
``sympy.physics.units`` on first use (to put units last), which costs more than the
rest of a one-shot ``calctutor diff``; ours needs no units.
"""

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

_PRETTY_CLASS = None


def _pretty_class():
    """Built on first use, so importing this module does not import SymPy's printers."""
    global _PRETTY_CLASS
    if _PRETTY_CLASS is not None:
        return _PRETTY_CLASS
    from sympy.printing.pretty.pretty import PrettyPrinter
    from sympy.printing.pretty.stringpict import prettyForm

    class TeacherPretty(PrettyPrinter):
        def _print_log(self, e):
            if len(e.args) == 1:
                return self._print_Function(e, func_name="ln")
            return super()._print_log(e)

        def _print_Heaviside(self, e):
            return self._print_Function(sympy.Function("step")(e.args[0]))

        def _print_Exp1(self, e):
            return prettyForm("e")

        def _print_Mul(self, product):
            if not product.is_commutative:
                return super()._print_Mul(product)
            coeff, factors = sympy.S.One, []
            for arg in product.args:
                if arg.is_Number:
                    coeff = coeff * arg
                else:
                    factors.append(arg)
            factors.sort(key=lambda f: f.sort_key())
            top, bottom = [], []
            if coeff.is_Rational:
                if coeff.p != 1:
                    top.append(sympy.Integer(coeff.p))
                if coeff.q != 1:
                    bottom.append(sympy.Integer(coeff.q))
            else:
                top.append(coeff)
            for f in factors:
                if f.is_Pow and f.exp.is_Rational and f.exp.is_negative:
                    bottom.append(f.base if f.exp == -1
                                  else sympy.Pow(f.base, -f.exp, evaluate=False))
                else:
                    top.append(f)
            numerator = prettyForm.__mul__(*[self._print(f) for f in top]) if top \
                else self._print(sympy.S.One)
            if not bottom:
                return numerator
            return numerator / prettyForm.__mul__(*[self._print(f) for f in bottom])

    _PRETTY_CLASS = TeacherPretty
    return TeacherPretty


def pretty(expr: sympy.Expr, unicode: bool = True, width: int = 100) -> str:
    """The 2-D pretty form (ASCII when ``unicode`` is False); in plain output
    (:func:`calctutor.asciitext.linear_math`) the one-line form instead."""
    from sympy.printing.pretty.pretty_symbology import pretty_use_unicode

    from calctutor.asciitext import linear_math

    if linear_math():
        return linear(expr)
    printer = _pretty_class()({"use_unicode": unicode, "num_columns": width,
                               "wrap_line": False})
    before = pretty_use_unicode(unicode)  # the symbol tables read a module-wide switch
    try:
        return printer.doprint(expr)
    finally:
        pretty_use_unicode(before)


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
    """LaTeX, through the one LaTeX path of the printer."""
    from calctutor.parsing.printer import to_latex

    return to_latex(expr)


def is_multiline(text: str) -> bool:
    return "\n" in text
