"""Prints SymPy expressions back in calctutor's input syntax.

Why our own printer: CLI.md promises that every expression we print can be pasted back
and parses to the same expression. SymPy's ``str`` is close but writes ``**``, ``E``,
``Abs`` and ``Heaviside``; this printer writes ``^``, ``e``, ``abs`` and ``step``.
"""

from __future__ import annotations

import sympy
from sympy.printing.str import StrPrinter

_RENAMES = {
    "Abs": "abs",
    "Heaviside": "step",
    "Max": "max",
    "Min": "min",
    "log": "ln",
}


class InputSyntaxPrinter(StrPrinter):
    """StrPrinter with calctutor's spellings."""

    _default_settings = {**StrPrinter._default_settings, "order": None}

    def _print_Exp1(self, expr):
        return "e"

    def _print_Pi(self, expr):
        return "pi"

    def _print_Infinity(self, expr):
        return "oo"

    def _print_NegativeInfinity(self, expr):
        return "-oo"

    def _print_ImaginaryUnit(self, expr):
        return "sqrt(-1)"

    def _print_Float(self, expr):
        text = repr(float(expr))
        if "e" in text:
            mantissa, exponent = text.split("e")
            return f"{mantissa}e{int(exponent)}"
        return text

    def _print_Heaviside(self, expr):
        return "step(%s)" % self._print(expr.args[0])

    def _print_Function(self, expr):
        name = type(expr).__name__
        name = _RENAMES.get(name, name)
        return "%s(%s)" % (name, self.stringify(expr.args, ", "))

    def _print_Abs(self, expr):
        return "abs(%s)" % self._print(expr.args[0])

    def _print_exp(self, expr):
        return "exp(%s)" % self._print(expr.args[0])

    def _print_log(self, expr):
        return "ln(%s)" % self._print(expr.args[0])

    def _print_MinMaxBase(self, expr):
        name = _RENAMES[type(expr).__name__]
        return "%s(%s)" % (name, self.stringify(expr.args, ", "))

    _print_Max = _print_MinMaxBase
    _print_Min = _print_MinMaxBase

    def _print_Symbol(self, expr):
        return expr.name

    def _print_Pow(self, expr, rational=False):
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Mul(self, expr):
        return super()._print_Mul(expr).replace("**", "^")

    def _print_Rational(self, expr):
        if expr.q == 1:
            return str(expr.p)
        return f"{expr.p}/{expr.q}"


_PRINTER = InputSyntaxPrinter()


def to_input(expr: sympy.Expr) -> str:
    """The expression in our input syntax: it parses back to the same expression."""
    return _PRINTER.doprint(expr).replace("**", "^")
