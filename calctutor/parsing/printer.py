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

    _default_settings = {**StrPrinter._default_settings, "order": None, "as_built": False}

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
        # x^(-2) reads as 1/x^2, x^(-1/2) as 1/sqrt(x): a negative exponent is a fraction
        base, exponent = expr.args
        if _as_fraction(expr) and not rational and expr.is_commutative:
            return "1/" + self.parenthesize(_positive_power(base, -exponent),
                                            PRECEDENCE["Mul"], strict=False)
        lead = _positive_first(exponent, self._as_ordered_terms)
        if lead is not None and expr.is_commutative:  # (1/2)^(x - t), not (1/2)^(-t + x)
            terms = _join_terms([_term_text(self._print(t), t) for t in lead.args])
            return self.parenthesize(base, PRECEDENCE["Pow"], strict=True) + f"^({terms})"
        return super()._print_Pow(expr, rational).replace("**", "^")

    def _print_Rational(self, expr):
        if expr.q == 1:
            return _integer(expr.p)
        return f"{_integer(expr.p)}/{_integer(expr.q)}"

    def _print_Add(self, expr, order=None):
        # terms that are structurally zero (0*x^2 in an unevaluated sum) are left out
        terms = [t for t in expr.args if not _is_zero_term(t)]
        if not terms:
            return "0"
        if len(terms) != len(expr.args):
            expr = sympy.Add(*terms, evaluate=False) if len(terms) > 1 else terms[0]
            if not expr.is_Add:
                return self._print(expr)
        return super()._print_Add(expr, order)

    def _print_Mul(self, expr):
        if not expr.is_commutative:
            return super()._print_Mul(expr).replace("**", "^")
        coeff, factors = self._flatten_mul(expr)
        if coeff == 0:
            return "0"
        sign = ""
        if coeff.is_negative:
            sign, coeff = "-", -coeff
        if not factors:
            return sign + self._print(coeff)
        if coeff.is_Rational:
            p, q = int(coeff.p), int(coeff.q)
        else:  # a Float coefficient is a factor like any other
            factors, p, q = [coeff, *factors], 1, 1
        return sign + self._product(p, q, factors, counted=bool(sign) or p != 1)

    # ── products ──────────────────────────────────────────────────────────────────
    # The parser builds a product two factors at a time, and SymPy distributes a number
    # over a sum when the two are multiplied alone: "2*(x + 1)*y" reads back as
    # (2*x + 2)*y, another tree with the same value. So a number (or a minus sign, which
    # the parser binds to the next factor) is never printed right before a sum that is
    # one of several factors: another factor goes first (2*y*(x + 1)); when every factor
    # is a sum, the product is grouped (2*((x + 1)*(x + 2))); a number under a fraction
    # line whose other factors are all sums is divided separately (x/2/(x + 1)).

    def _flatten_mul(self, expr):
        """(numeric coefficient, the other factors) of a product. A product nested in an
        unevaluated one stays a group: the engine writes 2*(4*x) to show u = 4x put in."""
        coeff, factors = S.One, []
        for arg in expr.args:
            if arg.is_Number:
                coeff = coeff * arg
            else:
                factors.append(arg)
        factors.sort(key=lambda f: f.sort_key())
        return coeff, factors

    def _product(self, p: int, q: int, factors: list, counted: bool) -> str:
        top, bottom = [], []
        for f in factors:
            if _as_fraction(f):
                bottom.append(_positive_power(f.base, -f.exp))
            else:
                top.append(f)
        several = len(factors) > 1
        if counted and several and top and top[0].is_Add and not self._settings["as_built"]:
            plain = next((i for i, f in enumerate(top) if not f.is_Add), None)
            if plain is not None:
                top.insert(0, top.pop(plain))
            else:  # every factor above the line is a sum: group the product
                inner = self._product(1, 1, factors, counted=False)
                head = "" if p == 1 else self._print(sympy.Integer(p)) + "*"
                tail = "" if q == 1 else "/" + self._print(sympy.Integer(q))
                return f"{head}({inner}){tail}"
        if bottom and bottom[0].is_Add and q != 1:
            plain = next((i for i, f in enumerate(bottom) if not f.is_Add), None)
            if plain is not None:
                bottom.insert(0, bottom.pop(plain))
        numerator = ([sympy.Integer(p)] if p != 1 else []) + top
        denominator = bottom
        lone_q = ""
        if q != 1:
            if denominator and all(f.is_Add for f in denominator):
                lone_q = "/" + self._print(sympy.Integer(q))  # x/2/(x + 1)
            else:
                denominator = [sympy.Integer(q), *denominator]
        text = "*".join(self.parenthesize(f, PRECEDENCE["Mul"], strict=False)
                        for f in numerator) or "1"
        text += lone_q
        if denominator:
            if len(denominator) == 1:
                text += "/" + self.parenthesize(denominator[0], PRECEDENCE["Mul"],
                                                strict=False)
            else:
                text += "/(" + "*".join(self.parenthesize(f, PRECEDENCE["Mul"], strict=False)
                                        for f in denominator) + ")"
        return text


def _positive_first(exponent: sympy.Expr, ordered) -> sympy.Expr | None:
    """A sum exponent that would print starting with a minus (-t + x), rebuilt with a
    positive term first (x - t); None when it already starts positive or cannot.
    ``ordered`` is the printer's own term order."""
    if not exponent.is_Add:
        return None
    terms = list(ordered(exponent, order=None))
    if not terms[0].could_extract_minus_sign():
        return None
    first = next((i for i, t in enumerate(terms) if not t.could_extract_minus_sign()), None)
    if first is None:
        return None
    terms.insert(0, terms.pop(first))
    return sympy.Add(*terms, evaluate=False)


def _as_fraction(power: sympy.Expr) -> bool:
    """A power written as a fraction: x^(-2) as 1/x^2. Not e to a negative expression,
    which a teacher writes e^(-x) (and the learner typed so): only e^(-2) is 1/e^2."""
    if not power.is_Pow or not _negative_exponent(power.exp):
        return False
    if power.base.is_Rational and not power.base.is_Integer and not power.exp.is_Number:
        # (1/2)^(-x) stays: 1/(1/2)^x would read back as 2^x, another tree
        return False
    return not keeps_e_power(power)


def keeps_e_power(power: sympy.Expr) -> bool:
    """e^(-x), e^(-x^2): e to a negative expression, printed as a power (not 1/e^x)."""
    return bool(power.is_Pow and power.base is sympy.E and not power.exp.is_Number
                and _negative_exponent(power.exp))


def _negative_exponent(exponent: sympy.Expr) -> bool:
    """-2, -1/2, -x, -2*x, -x - 1: written as a fraction 1/x^2, 1/x^x, 1/x^(x + 1)."""
    if exponent.is_Number:
        return bool(exponent.is_Rational and exponent.is_negative)
    return exponent.could_extract_minus_sign()


def _positive_power(base: sympy.Expr, exponent: sympy.Expr) -> sympy.Expr:
    return base if exponent == 1 else sympy.Pow(base, exponent, evaluate=False)


def _is_zero_term(term: sympy.Expr) -> bool:
    if term.is_Number:
        return term == 0
    return term.is_Mul and any(a.is_Number and a == 0 for a in term.args)


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
#: For unevaluated forms that only need to read back to the same value (a Taylor
#: polynomial): products of sums are written plainly, 2*(x - 1)*(y - 2).
_AS_BUILT = InputSyntaxPrinter({"as_built": True})


def to_input(expr: sympy.Expr, *, as_built: bool = False) -> str:
    """The expression in our input syntax: it parses back to the same expression.

    ``as_built`` keeps the order of the terms of an unevaluated sum as it was built (a
    Taylor polynomial in rising powers of (x - a)); the default sorts as SymPy does.
    """
    if as_built:
        if expr.is_Add:
            return _join_terms([_term_text(_AS_BUILT.doprint(t), t) for t in expr.args
                                if not _is_zero_term(t)])
        return _AS_BUILT.doprint(expr).replace("**", "^")
    return _PRINTER.doprint(expr).replace("**", "^")


def _term_text(text: str, term: sympy.Expr) -> str:
    """A term of a built sum that is itself a sum keeps its parentheses: 1 + (x - 1)."""
    return f"({text})" if term.is_Add else text


def _join_terms(texts: list[str]) -> str:
    """t1 + t2 - t3 from printed terms (a term printed with a leading minus is subtracted)."""
    out = ""
    for text in texts:
        negative = text.startswith("-")
        body = text[1:].lstrip() if negative else text
        if not out:
            out = text if not negative else "-" + body
        else:
            out += (" - " if negative else " + ") + body
    return out or "0"


# ── LaTeX ────────────────────────────────────────────────────────────────────────────
# The one LaTeX path: SymPy's LaTeX printer with the teacher's spellings (ln, not log).

_LATEX_PRINTERS: dict[bool, object] = {}


def to_latex(expr: sympy.Expr, *, as_built: bool = False) -> str:
    """The expression in LaTeX (``\\ln``; ``as_built`` keeps a built sum's term order)."""
    printer = _LATEX_PRINTERS.get("latex")
    if printer is None:
        from sympy.printing.latex import LatexPrinter

        printer = _LATEX_PRINTERS["latex"] = LatexPrinter({"ln_notation": True})
    if as_built and expr.is_Add:
        return _join_terms([_term_text(printer.doprint(t), t).replace("(", r"\left(", 1)
                            .replace(")", r"\right)", 1) if t.is_Add else printer.doprint(t)
                            for t in expr.args if not _is_zero_term(t)])
    return printer.doprint(expr)
