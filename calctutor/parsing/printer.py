"""Prints SymPy expressions back in calctutor's input syntax.

Why our own printer: CLI.md promises that every expression we print can be pasted back
and parses to the same expression. SymPy's ``str`` is close but writes ``**``, ``E``,
``Abs`` and ``Heaviside``; this printer writes ``^``, ``e``, ``abs`` and ``step``.
"""

from __future__ import annotations

import math

import sympy
from sympy import S
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from calctutor.limits import MAX_NUMBER_DIGITS
from calctutor.primitives import PRIMITIVES

#: SymPy's name of a function -> ours (Abs -> abs, Heaviside -> step, log -> ln), read
#: from each row's ``sympy`` reference: a row's printed name is its name.
_RENAMES = {row.sympy.partition(":")[2]: row.name for row in PRIMITIVES
            if not row.sugar and row.sympy.partition(":")[2] != row.name}


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
        # A float prints as its shortest decimal; the parser reads it back as that exact
        # decimal (a Rational), which is how calctutor treats every decimal it is given.
        value = float(expr)
        if math.isfinite(value):
            text = repr(value)
        else:  # beyond double range: SymPy's own digits
            text = StrPrinter._print_Float(self, expr)
        text = text.replace("e+", "e")
        return f"({text})" if text.startswith("-") else text

    def _print_Integer(self, expr):
        return _integer(int(expr))

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

    def _print_Derivative(self, expr):
        # d/dx(f), d^2/dx^2(f); several variables nest, innermost first:
        # Derivative(f, x, y) is d/dy(d/dx(f)), which parses back to the same object.
        text = self._print(expr.expr)
        for var, count in expr.variable_count:
            name = self._print(var)
            op = f"d/d{name}" if count == 1 else f"d^{count}/d{name}^{count}"
            text = f"{op}({text})"
        return text

    def _print_Symbol(self, expr):
        return expr.name

    def _print_Pow(self, expr, rational=False):
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Rational(self, expr):
        if expr.q == 1:
            return _integer(expr.p)
        return f"{_integer(expr.p)}/{_integer(expr.q)}"

    def _print_Mul(self, expr):
        # An unevaluated -(...) (kept by evaluate=False) prints as written: -(-x), not
        # -(-1)*x.
        args = expr.args
        if len(args) == 2 and args[0] is S.NegativeOne and not expr.is_Number:
            return "-" + self.parenthesize(args[1], PRECEDENCE["Mul"])
        # SymPy distributes a number over a sum (2*(x + y) -> 2*x + 2*y), so
        # "2*(x + y)/x" would parse back as (2*x + 2*y)/x, another tree with the same
        # value. Putting the number outside a group keeps the tree: 2*((x + y)/x).
        # The same for a fraction's denominator: 1/(2*(x + y)) would become 1/(2*x + 2*y).
        coeff, rest = expr.as_coeff_Mul()
        if coeff.is_Rational and coeff != 1:
            factors = sympy.Mul.make_args(rest)
            on_top = any(f.is_Add for f in factors)
            below = any(f.is_Pow and f.exp is S.NegativeOne and f.base.is_Add for f in factors)
            if (on_top and coeff.p != 1) or (below and coeff.q != 1):
                if coeff.is_negative:
                    return "-(%s)" % self._print(-expr)
                return "%s*(%s)" % (self._print(coeff), self._print(rest))
        return super()._print_Mul(expr).replace("**", "^")


def _integer(n: int) -> str:
    """An integer, in pieces the lexer accepts when it has more than MAX_NUMBER_DIGITS."""
    text = str(abs(n))
    if len(text) <= MAX_NUMBER_DIGITS:
        return str(n)
    stripped = text.rstrip("0")
    zeros = len(text) - len(stripped)
    chunks = []
    step = MAX_NUMBER_DIGITS
    for end in range(len(stripped), 0, -step):
        start = max(0, end - step)
        power = zeros + len(stripped) - end
        chunk = stripped[start:end].lstrip("0") or "0"
        if chunk != "0":
            chunks.append(chunk if power == 0 else f"{chunk}*10^{power}")
    body = " + ".join(reversed(chunks))
    return f"(-({body}))" if n < 0 else f"({body})"


_PRINTER = InputSyntaxPrinter()


def to_input(expr: sympy.Expr) -> str:
    """The expression in our input syntax: it parses back to the same expression."""
    return _PRINTER.doprint(expr).replace("**", "^")
