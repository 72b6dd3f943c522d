"""Builds SymPy objects for the parser, enforcing the size limits on the way.

Two modes: ``evaluate=True`` gives SymPy's canonical expression (``(x^2)^3`` becomes
``x^6``); ``evaluate=False`` keeps the learner's structure (``(x^2)^3`` stays a power of a
power), which the step engine and the graph builder need to teach the chain rule layer
by layer. Both modes enforce the same limits.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache

import sympy

from calctutor.limits import MAX_RESULT_DIGITS, MAX_SYMBOLIC_EXPONENT
from calctutor.primitives import by_name


class LimitExceeded(Exception):
    """Raised by the builder; the parser turns it into a ParseError at the operator."""


@lru_cache(maxsize=4096)
def symbol(name: str) -> sympy.Symbol:
    """The one SymPy symbol for a variable name. Variables are real: this is real calculus."""
    return sympy.Symbol(name, real=True)


_CONSTANTS = {"pi": sympy.pi, "e": sympy.E, "oo": sympy.oo, "inf": sympy.oo, "infinity": sympy.oo}


def resolve(spec: str):
    """The callable behind a table row's ``sympy`` field ("sympy:sin", "calctutor:sigmoid")."""
    module, _, attr = spec.partition(":")
    if module == "sympy":
        return getattr(sympy, attr)
    from calctutor import mathfuncs

    return getattr(mathfuncs, attr)


def number(literal: str) -> sympy.Rational:
    """An exact number from a decimal literal: 0.5 is 1/2, 1.41e-2 is 141/10000."""
    value = Fraction(literal)
    return sympy.Integer(value.numerator) if value.denominator == 1 else sympy.Rational(
        value.numerator, value.denominator
    )


def constant(name: str) -> sympy.Expr:
    return _CONSTANTS[name]


def check_power(base: sympy.Expr, exponent: sympy.Expr) -> None:
    """Refuse powers whose exact value or expansion would be astronomically large."""
    if exponent.is_Integer or exponent.is_Rational:
        p, q = abs(int(exponent.p)), int(exponent.q)
        huge = p.bit_length() > 1000  # no float holds it: 2^10^400 stays in integers
        size = p // q if huge else (p if q == 1 else p / q)
        if base.is_Rational and base not in (0, 1, -1):
            magnitude = max(abs(base.p), abs(base.q))
            if huge:
                digits = size * magnitude.bit_length() * 30103 // 100000
            elif magnitude.bit_length() < 1000:
                digits = size * math.log10(magnitude)
            else:
                digits = size * magnitude.bit_length() * 0.30103
            if digits > MAX_RESULT_DIGITS:
                shown = _human(digits)
                shown = shown if shown.startswith("about") else f"about {shown}"
                raise LimitExceeded(f"this power is too large: {shown} digits "
                                    f"(the limit is {MAX_RESULT_DIGITS:,})")
        elif not base.is_number and exponent.is_Integer and size > MAX_SYMBOLIC_EXPONENT:
            raise LimitExceeded(
                f"exponent {_human(size)} is too large (the limit is {MAX_SYMBOLIC_EXPONENT:,})"
            )


#: Exact numbers the parser may produce: a number with more digits could not be printed
#: back in our own syntax within MAX_INPUT_LENGTH (numbers longer than MAX_NUMBER_DIGITS
#: are printed in pieces of MAX_NUMBER_DIGITS digits, which costs a few extra characters).
MAX_EXACT_DIGITS = min(MAX_RESULT_DIGITS, 1200)


def _human(x: float) -> str:
    if isinstance(x, int) and x.bit_length() > 1000:
        return f"about 10^{int(x.bit_length() * 0.30103)}"
    return f"{x:,.0f}" if x < 1e15 else f"{x:.3g}"


def _digits(n: int) -> int:
    n = abs(n)
    return len(str(n)) if n.bit_length() < 4000 else int(n.bit_length() * 0.30103) + 1


def check_size(result: sympy.Expr) -> None:
    """Refuse a result whose exact numbers could not be printed back (see MAX_EXACT_DIGITS).

    Looks at the result's own numbers and those of its arguments (one level down, where
    SymPy puts a coefficient it has just distributed), which is where a new big number
    appears: every deeper one was checked when its own node was built.
    """
    for node in (result, *result.args, *(a for arg in result.args for a in arg.args)):
        if node.is_Rational and not node.is_Integer or node.is_Integer:
            digits = _digits(node.p) + (_digits(node.q) if node.q != 1 else 0)
            if digits > MAX_EXACT_DIGITS:
                raise LimitExceeded(
                    f"this number is too large: {_human(digits)} digits "
                    f"(the limit is {MAX_EXACT_DIGITS:,})"
                )


class Undefined(LimitExceeded):
    """A result that has no value: division by zero, log(0), oo - oo."""


def check_defined(result: sympy.Expr) -> None:
    """Refuse complex infinity (1/0, log(0), tan(pi/2)) and NaN (oo - oo, 0*oo)."""
    bad = (sympy.S.ComplexInfinity, sympy.S.NaN)
    if result in bad or any(a in bad for a in result.args):
        raise Undefined("undefined value here (like 1/0, log(0) or oo - oo)")


def carry_out(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with every d/dx the learner wrote carried out (d/dx(x^2) becomes 2x), for
    the engines that need a plain function (plotting, numeric evaluation)."""
    if not expr.has(sympy.Derivative):
        return expr
    return expr.replace(lambda e: isinstance(e, sympy.Derivative), lambda e: e.doit())


class Builder:
    """Makes SymPy nodes; one instance per parse."""

    def __init__(self, evaluate: bool = True) -> None:
        self.evaluate = evaluate

    def add(self, a, b):
        return sympy.Add(a, b, evaluate=self.evaluate)

    def sub(self, a, b):
        return sympy.Add(a, self.neg(b), evaluate=self.evaluate)

    def neg(self, a):
        if a.is_Number:
            return -a
        return sympy.Mul(sympy.S.NegativeOne, a, evaluate=self.evaluate)

    def mul(self, a, b):
        return sympy.Mul(a, b, evaluate=self.evaluate)

    def div(self, a, b):
        if b.is_zero:
            raise Undefined("division by zero")
        if a.is_Rational and b.is_Rational:
            return a / b  # a number such as 1/2 stays a number, in both modes
        if self.evaluate:
            return a / b
        if a == 1:
            return sympy.Pow(b, -1, evaluate=False)
        return sympy.Mul(a, sympy.Pow(b, -1, evaluate=False), evaluate=False)

    def pow(self, a, b):
        check_power(a, b)
        if a.is_zero and b.is_extended_negative:
            raise Undefined("0 to a negative power is a division by zero")
        if (a.is_Rational and a.is_negative and b.is_Rational and not b.is_Integer
                and b.q % 2 == 1):
            # An odd root of a negative number is the real root, as a learner means it:
            # (-8)^(1/3) = -2 and (-8)^(2/3) = 4, not SymPy's complex principal value.
            # A number stays a number in both modes (like 1/2).
            return sympy.Integer(-1) ** b.p * sympy.Pow(-a, b)
        return sympy.Pow(a, b, evaluate=self.evaluate)

    def derivative(self, expr, var, order: int = 1):
        """d^order/dvar^order of ``expr``, unevaluated in both modes (the learner wrote
        the operator; the command decides whether to carry it out)."""
        return sympy.Derivative(expr, (var, order))

    def abs(self, a):
        result = sympy.Abs(a, evaluate=self.evaluate)
        if self.evaluate and isinstance(result, sympy.Abs) and isinstance(result.args[0], sympy.Abs):
            return result.args[0]  # |-|x|| is |x| (SymPy leaves Abs(Abs(x)))
        return result

    def call(self, name: str, args: list):
        """Apply a table function (or ``log`` with a base) to its arguments."""
        if name == "log" and len(args) == 2 or name.startswith("log_"):
            value, base = args
            if self.evaluate:
                return sympy.log(value, base)
            return sympy.Mul(
                sympy.log(value, evaluate=False),
                sympy.Pow(sympy.log(base, evaluate=False), -1, evaluate=False),
                evaluate=False,
            )
        row = by_name(name)
        fn = resolve(row.sympy)
        if row.name == "sqrt":
            return sympy.Pow(args[0], sympy.S.Half, evaluate=self.evaluate)
        if row.name in ("log10", "log2"):
            return self.call("log", [args[0], sympy.Integer(10 if row.name == "log10" else 2)])
        try:
            if self.evaluate:
                return fn(*args)
            return fn(*args, evaluate=False)
        except ValueError as exc:  # Max(asin(2), 1): "The argument ... is not comparable"
            if "comparable" not in str(exc):
                raise
            raise Undefined(f"{name} compares real numbers, and one of its arguments is "
                            "not a real number") from None
