"""A Pratt (top-down operator precedence) parser for the expression language.

Why Pratt and not a grammar generator such as Lark: the language is small, but the
learner-friendly parts — implicit multiplication, ``sin x`` without parentheses,
``sin^2(x)``, ``|x|`` bars that open and close with the same character — are decisions
about *context* that a Pratt parser expresses in a few lines each, with exact error
positions and no extra dependency or start-up cost. The grammar is documented in
docs/grammar.md.

Binding powers (higher binds tighter)::

    ;  =           statement separators (programs only)
    + -            10, left
    d/dx           prefix, takes the term to its right (up to the next + or -);
                   d/dx(...) takes only the parenthesised group, like a function call
    * / implicit   20, left   (1/2x is (1/2)·x, as in most calculators)
    unary - +      25 prefix  (-x^2 is -(x^2))
    ^ ** ²         40, right  (2^3^2 is 2^9)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import sympy

from calctutor.errors import ParseError
from calctutor.limits import MAX_INPUT_LENGTH, MAX_NESTING_DEPTH, MAX_STATEMENTS
from calctutor.parsing import builder as build
from calctutor.parsing.lexer import KNOWN_FUNCTIONS, Lexer, Token
from calctutor.primitives import by_name
from calctutor.textsplit import spans

_INFIX_BP = {"+": 10, "-": 10, "*": 20, "/": 20, "^": 40, "SUP": 40}
_IMPLICIT_BP = 20
_UNARY_BP = 25
_OPERAND_START = frozenset({"NUM", "VAR", "CONST", "FUNC", "(", "SQRT", "DERIV"})
_ATOM_TEXT = frozenset({"NUM", "VAR", "CONST"})
_BARE_ATOM = frozenset({"NUM", "VAR", "CONST"})


@dataclass(frozen=True)
class Definition:
    """One ``name = expr`` (or ``f(x) = expr``) statement of a program."""

    name: str
    expr: sympy.Expr
    params: tuple[str, ...] = ()
    source: str = ""
    start: int = 0


@dataclass(frozen=True)
class Program:
    """A multi-equation program: named definitions, the last one the output.

    ``definitions`` keep later names as symbols (``z = y^2`` mentions ``y``), which is
    what a computational graph needs; :meth:`inlined` substitutes them away.
    """

    definitions: tuple[Definition, ...]
    output: str
    inputs: tuple[str, ...] = field(default=())

    def inlined(self) -> sympy.Expr:
        """The output as one expression in the inputs alone."""
        values: dict[sympy.Symbol, sympy.Expr] = {}
        for d in self.definitions:
            values[build.symbol(d.name)] = d.expr.xreplace(values)
        return values[build.symbol(self.output)]

    def expression(self, name: str) -> sympy.Expr:
        for d in self.definitions:
            if d.name == name:
                return d.expr
        raise KeyError(name)


class Parser:
    """Parses one token stream; use the module-level functions instead of this class."""

    def __init__(
        self,
        text: str,
        *,
        evaluate: bool = True,
        names: Iterable[str] = (),
        functions: Mapping[str, tuple[tuple[str, ...], sympy.Expr]] | None = None,
    ) -> None:
        self.text = text
        self.functions = dict(functions or {})
        self.tokens = Lexer(text, names, self.functions).tokens()
        self.pos = 0
        self.depth = 0
        self.names = frozenset(names)
        self.bars = 0
        self.closing_bar: dict[int, int] = {}  # token index of a '|' -> of its closing '|'
        self.build = build.Builder(evaluate)

    # ── token helpers ──────────────────────────────────────────────────────────────
    @property
    def tok(self) -> Token:
        return self.tokens[self.pos]

    def peek(self, ahead: int = 1) -> Token:
        return self.tokens[min(self.pos + ahead, len(self.tokens) - 1)]

    def advance(self) -> Token:
        tok = self.tokens[self.pos]
        self.pos += 1
        return tok

    def error(self, message: str, tok: Token | None = None, hint: str | None = None):
        tok = tok or self.tok
        return ParseError(message, self.text, tok.start, hint=hint, width=max(1, tok.end - tok.start))

    def expect(self, kind: str, opener: Token | None = None) -> Token:
        if self.tok.kind == kind:
            return self.advance()
        if kind == ")" and opener is not None:
            if self.tok.kind == "EOF":
                raise self.error("unclosed parenthesis: this '(' has no matching ')'", opener)
            raise self.error(f"expected ')' to close the '(' at column {opener.start + 1}, "
                             f"found {self._describe(self.tok)}")
        if kind == "|" and opener is not None:
            raise self.error("unclosed absolute value: this '|' has no matching '|'", opener)
        raise self.error(f"expected {kind!r}, found {self._describe(self.tok)}")

    @staticmethod
    def _describe(tok: Token) -> str:
        if tok.kind == "EOF":
            return "the end of the input"
        return repr(tok.value)

    # ── entry points ───────────────────────────────────────────────────────────────
    def parse_expression(self) -> sympy.Expr:
        if self.tok.kind == "EOF":
            raise ParseError("empty input: type an expression such as x^2 sin(x)", self.text, 0)
        expr = self.expression(0)
        self.finish()
        return expr

    def finish(self) -> None:
        tok = self.tok
        if tok.kind == "EOF":
            return
        if tok.kind == ")":
            raise self.error("unmatched ')': there is no '(' for it to close")
        if tok.kind == "=":
            raise self.error("'=' is only for definitions such as y = 2x + 1",
                             hint="write just the expression to work with it")
        if tok.kind == ";":
            raise self.error("';' separates the equations of a program such as y = 2x; z = y^2")
        raise self.error(f"unexpected {self._describe(tok)}")

    # ── Pratt core ─────────────────────────────────────────────────────────────────
    def expression(self, rbp: int) -> sympy.Expr:
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise self.error(f"expression is nested too deeply (the limit is {MAX_NESTING_DEPTH})")
        try:
            left = self.prefix()
            while True:
                tok = self.tok
                lbp = self.left_binding_power(tok)
                if lbp <= rbp:
                    break
                left = self.infix(left, tok, lbp)
            return left
        finally:
            self.depth -= 1

    def left_binding_power(self, tok: Token) -> int:
        if tok.kind in _INFIX_BP:
            return _INFIX_BP[tok.kind]
        if tok.kind == "|":
            return 0 if self.bars > 0 else _IMPLICIT_BP
        if tok.kind in _OPERAND_START:
            return _IMPLICIT_BP
        return 0

    def prefix(self) -> sympy.Expr:
        tok = self.tok
        kind = tok.kind
        if kind == "NUM":
            self.advance()
            if self.tok.kind == "NUM":
                raise self.error("two numbers in a row", self.tok,
                                 hint=f"write {tok.value}*{self.tok.value} or join the digits")
            return build.number(tok.value)
        if kind == "VAR":
            self.advance()
            return build.symbol(tok.value)
        if kind == "CONST":
            self.advance()
            return build.constant(tok.value)
        if kind == "FUNC":
            return self.function_call()
        if kind == "SQRT":
            self.advance()
            arg = self.group() if self.tok.kind == "(" else self.bare_argument(tok)
            return self.checked(self.build.call, tok, "sqrt", [arg])
        if kind == "(":
            return self.group()
        if kind == "DERIV":
            return self.derivative()
        if kind == "NORM":
            raise self.error(_NORM_MESSAGE, tok, hint=_NORM_HINT)
        if kind == "|":
            opener_index = self.pos
            self.advance()
            self.bars += 1
            try:
                if self.tok.kind == "|" and self.peek().kind in ("EOF", ")", ";"):
                    raise self.error("empty absolute value bars", tok)
                inner = self.expression(0)
                closer_index = self.pos
                self.expect("|", tok)
            finally:
                self.bars -= 1
            self.closing_bar[opener_index] = closer_index
            if (self.tokens[opener_index + 1].kind == "|"
                    and self.closing_bar.get(opener_index + 1) == closer_index - 1):
                # ||x||: bars around exactly one pair of bars is the norm notation, never
                # meant as abs(abs(x))
                raise ParseError(_NORM_MESSAGE, self.text, tok.start,
                                 width=self.tokens[closer_index].end - tok.start,
                                 hint=_NORM_HINT)
            return self.build.abs(inner)
        if kind in ("-", "+"):
            self.advance()
            if self.tok.kind == "EOF":
                raise self.error(f"'{tok.value}' needs something after it", tok)
            operand = self.expression(_UNARY_BP)
            return self.build.neg(operand) if kind == "-" else operand
        if kind == "EOF":
            prev = self.tokens[self.pos - 1] if self.pos else tok
            raise self.error(f"the input ends after '{prev.value}': something is missing",
                             prev)
        if kind == ")":
            raise self.error("unmatched ')' or nothing inside the parentheses")
        if kind in ("*", "/", "^"):
            raise self.error(f"'{tok.value}' needs something before it")
        if kind == ",":
            raise self.error("unexpected ',': commas separate the arguments of a function")
        if kind == "SUP":
            raise self.error("a superscript needs something before it")
        if kind == "=":
            raise self.error("'=' needs a name before it, as in y = 2x + 1")
        if kind == ";":
            raise self.error("';' needs an equation before it")
        raise self.error(f"unexpected {self._describe(tok)}")

    def infix(self, left: sympy.Expr, tok: Token, lbp: int) -> sympy.Expr:
        kind = tok.kind
        if kind in ("+", "-", "*", "/"):
            self.advance()
            if self.tok.kind == "EOF":
                raise self.error(f"the input ends after '{tok.value}': something is missing", tok)
            right = self.expression(lbp)
            op = {
                "+": self.build.add, "-": self.build.sub,
                "*": self.build.mul, "/": self.build.div,
            }[kind]
            return self.checked(op, tok, left, right)
        if kind == "^":
            base_tok = self.tokens[self.pos - 1]
            self.advance()
            if self.tok.kind == "EOF":
                raise self.error("the exponent is missing after '^'", tok)
            first = self.pos
            if (self.tok.kind == "VAR" and self.tok.value == "T" and not left.is_number
                    and "T" not in self.names
                    and self.peek().kind not in ("^", "SUP", "(")):
                raise self.error(f"{self.text[base_tok.start:self.tok.end].strip()} is a "
                                 "transpose: vectors and matrices need their shapes declared",
                                 self.tok, hint="use --shape for matrix calculus, as in "
                                 "calctutor grad \"x^T A x\" --wrt x --shape x=3 --shape A=3x3")
            exponent = self.expression(lbp - 1)
            self.check_exponent(base_tok, tok, first, left)
            return self.power(left, exponent, tok)
        if kind == "SUP":
            base_tok = self.tokens[self.pos - 1]
            self.advance()
            if tok.value == "1" and self.tok.kind == "/" and self.peek().kind == "NUM":
                self.refuse_one_over(base_tok, tok, self.pos - 1)
            return self.power(left, build.number(tok.value), tok)
        # implicit multiplication
        right = self.expression(_IMPLICIT_BP)
        return self.checked(self.build.mul, tok, left, right)

    def check_exponent(self, base_tok: Token, caret: Token, first: int, base) -> None:
        """Refuse the exponents a learner reads differently from a calculator.

        ``e^-2x``: a signed exponent stops before the implicit product, so a calculator
        reads e^(-2)·x; a learner means e^(-2x). ``e^2x`` likewise for the base e.
        ``x^1/2``: a calculator reads x^1 / 2 = x/2; a learner means x^(1/2).
        """
        last = self.tokens[self.pos - 1]
        nxt = self.tok
        exponent_tokens = self.tokens[first:self.pos]
        # x^1/2, x^-1/2
        digits = [t for t in exponent_tokens if t.kind != "-"]
        if (len(digits) == 1 and digits[0].kind == "NUM" and digits[0].value == "1"
                and len(exponent_tokens) <= 2 and nxt.kind == "/" and self.peek().kind == "NUM"):
            self.refuse_one_over(base_tok, caret, first)
        signed = exponent_tokens[0].kind in ("-", "+")
        glued = nxt.start == last.end and nxt.kind in _OPERAND_START
        euler = base_tok.kind == "CONST" and base_tok.value == "e" and base == sympy.E
        simple = len(exponent_tokens) == 1 and exponent_tokens[0].kind == "NUM"
        if glued and (signed or (euler and simple)):
            base_src = self._source_of(base_tok)
            exp_src = self.text[exponent_tokens[0].start:last.end]
            rest = nxt.value if nxt.kind in _ATOM_TEXT else "(...)"
            raise ParseError(
                f"{base_src}^{exp_src}{rest} is ambiguous: does {rest} belong to the exponent?",
                self.text, caret.start, width=nxt.end - caret.start,
                hint=f"did you mean {base_src}^({exp_src}{rest})? For the other reading "
                     f"write {base_src}^({exp_src})*{rest}")

    def refuse_one_over(self, base_tok: Token, caret: Token, first: int) -> None:
        base_src = self._source_of(base_tok)
        exp_src = self.text[self.tokens[first].start:self.tok.start].strip()
        exp_src = "".join(_plain_digit(c) for c in exp_src)
        denominator = self.peek().value
        written = self.text[base_tok.start:self.peek().end]
        raise ParseError(
            f"{written} is ambiguous: a calculator reads it as {base_src}^{exp_src} / "
            f"{denominator}", self.text, caret.start,
            width=self.peek().end - caret.start,
            hint=f"did you mean {base_src}^({exp_src}/{denominator})? For the other reading "
                 f"write ({base_src}^{exp_src})/{denominator}")

    def _source_of(self, tok: Token) -> str:
        """The base of a power as typed, for a hint: x, e, 2, or (...)."""
        return tok.value if tok.kind in _ATOM_TEXT else "(...)"

    def derivative(self) -> sympy.Expr:
        """d/dx(...) (the group only, like a function call) or d/dx TERM (the product to
        the right, up to the next + or -). Always an unevaluated derivative."""
        tok = self.advance()
        name, _, order = tok.value.partition(":")
        shown = self.text[tok.start:tok.end].strip()
        if self.tok.kind == "(":
            spaced = self.tok.start > tok.end
            inner = self.group()
            if spaced and self.tok.kind in ("^", "SUP"):
                # d/dx (x+1)^2: the derivative of the square, or the square of d/dx(x+1)?
                raise self.error(f"{shown} (...)^n is ambiguous", self.tok,
                                 hint=f"write {shown}((...)^n) to differentiate the power, "
                                      f"or ({shown}(...))^n for the power of the derivative")
        elif self.tok.kind in _OPERAND_START or self.tok.kind in ("|", "-", "NORM"):
            self.depth += 1
            try:
                inner = self.expression(_INFIX_BP["+"])
            finally:
                self.depth -= 1
        else:
            raise self.error(f"{shown} needs something to differentiate", tok,
                             hint=f"for example {shown}(x^2)")
        return self.checked(self.build.derivative, tok, inner, build.symbol(name), int(order))

    def power(self, base, exponent, tok: Token):
        return self.checked(self.build.pow, tok, base, exponent)

    def checked(self, op, tok: Token, *args) -> sympy.Expr:
        """Build one node; a limit, a division by zero or an undefined value is an error
        at ``tok`` (the operator or function name that produced it)."""
        try:
            result = op(*args)
            build.check_defined(result)
            build.check_size(result)
        except build.LimitExceeded as exc:
            raise self.error(str(exc), tok) from None
        return result

    # ── groups, functions, bare arguments ──────────────────────────────────────────
    def group(self) -> sympy.Expr:
        opener = self.expect("(")
        if self.tok.kind == ")":
            raise self.error("empty parentheses", opener)
        inner = self.expression(0)
        if self.tok.kind == ",":
            raise self.error("a comma outside a function's arguments",
                             hint="function arguments look like log(x, 2) or max(x, 0)")
        self.expect(")", opener)
        return inner

    def arguments(self, name_tok: Token) -> list[sympy.Expr]:
        opener = self.expect("(")
        args: list[sympy.Expr] = []
        if self.tok.kind == ")":
            raise self.error(f"{name_tok.value}() needs an argument", opener)
        while True:
            if self.tok.kind in (",", ")"):
                raise self.error("an argument is missing here")
            args.append(self.expression(0))
            if self.tok.kind == ",":
                self.advance()
                continue
            self.expect(")", opener)
            return args

    def function_call(self) -> sympy.Expr:
        name_tok = self.advance()
        name = name_tok.value
        power: sympy.Expr | None = None
        power_tok = self.tok
        if self.tok.kind == "^":
            self.advance()
            power = self.expression(_INFIX_BP["^"] - 1)
        elif self.tok.kind == "SUP":
            power = build.number(self.advance().value)

        if self.tok.kind == "(":
            args = self.arguments(name_tok)
        elif self.tok.kind in _BARE_ATOM or self.tok.kind in ("FUNC", "SQRT", "|", "-"):
            args = [self.bare_argument(name_tok)]
        else:
            raise self.error(f"{name} needs an argument, as in {name}(x)", name_tok)

        value = self.checked(self.apply, name_tok, name_tok, args)  # checks the arity
        if power == -1:
            # sin^-1(x) is the inverse function, asin(x), as in most textbooks. Only rows
            # that name an inverse get this reading; for any other function f^-1 is
            # ambiguous (inverse or reciprocal?), so we ask the learner to say which.
            row = by_name(name) if name in KNOWN_FUNCTIONS and name not in self.functions \
                else None
            if row is not None and row.inverse:
                return self.checked(self.build.call, name_tok, row.inverse, args)
            raise self.error(
                f"{name}^-1 is ambiguous: calctutor has no inverse function for {name}",
                name_tok, hint=f"for the reciprocal write 1/{name}(...) or {name}(...)^-1",
            )
        if power is None:
            return value
        return self.power(value, power, power_tok)

    def apply(self, name_tok: Token, args: list[sympy.Expr]) -> sympy.Expr:
        name = name_tok.value
        if name in self.functions:
            params, body = self.functions[name]
            if len(args) != len(params):
                raise self.error(f"{name} takes {len(params)} argument(s), got {len(args)}",
                                 name_tok)
            return body.xreplace({build.symbol(p): a for p, a in zip(params, args)})
        if name.startswith("log_"):
            base_text = name[4:]
            base = (build.constant("e") if base_text == "e" else
                    build.number(base_text) if base_text.isdigit() else build.symbol(base_text))
            if len(args) != 1:
                raise self.error(f"{name} takes one argument", name_tok)
            return self.build.call("log", [args[0], base])
        row = by_name(name)
        if name in ("log", "ln") and len(args) == 2:
            if name == "ln":
                raise self.error("ln takes one argument; for another base write log(x, b)",
                                 name_tok)
            return self.build.call("log", args)
        if row.arity == -1:
            if len(args) < row.min_args:
                count = {2: "two", 3: "three"}.get(row.min_args, str(row.min_args))
                raise self.error(f"{name} needs at least {count} arguments, as in "
                                 f"{name}(0, x)", name_tok)
            return self.build.call(row.name, args)
        if row.defaults and row.arity - len(row.defaults) <= len(args) < row.arity:
            missing = row.defaults[len(args) - row.arity:]
            args = list(args) + [parse_default(text) for text in missing]
        if len(args) != row.arity:
            expected = "one argument" if row.arity == 1 else f"{row.arity} arguments"
            if row.defaults:
                expected = (f"{row.arity - len(row.defaults)} to {row.arity} arguments "
                            f"(the last defaults to {', '.join(row.defaults)})")
            if name == "log":
                expected = "one or two arguments (x, base)"
            raise self.error(f"{name} takes {expected}, got {len(args)}", name_tok)
        return self.build.call(row.name, args)

    def bare_argument(self, fn_tok: Token) -> sympy.Expr:
        """The argument of ``sin x``: a product of numbers, names and powers.

        It stops before another function name, a parenthesis or an operator, so
        ``sin x cos x`` is sin(x)·cos(x) and ``ln x + 1`` is ln(x) + 1.
        """
        tok = self.tok
        # Bare arguments nest without passing through expression() (sin sin x, √√x,
        # sin - - x), so they count towards the nesting limit here.
        self.depth += 1
        if self.depth > MAX_NESTING_DEPTH:
            raise self.error(f"expression is nested too deeply (the limit is {MAX_NESTING_DEPTH})")
        try:
            if tok.kind == "-":
                self.advance()
                return self.build.neg(self.bare_argument(fn_tok))
            if tok.kind in ("FUNC", "SQRT", "|"):
                return self.prefix()
            if tok.kind not in _BARE_ATOM:
                raise self.error(f"{fn_tok.value} needs an argument, as in {fn_tok.value}(x)",
                                 fn_tok)
            result = self.bare_power()
            while self.tok.kind in _BARE_ATOM:
                result = self.checked(self.build.mul, self.tok, result, self.bare_power())
            return result
        finally:
            self.depth -= 1

    def bare_power(self) -> sympy.Expr:
        base = self.prefix()
        while self.tok.kind in ("^", "SUP"):
            tok = self.tok
            base = self.infix(base, tok, _INFIX_BP[tok.kind])
        return base


_NORM_MESSAGE = "||x|| is a norm: calctutor reads vectors only with their shapes declared"
_NORM_HINT = ("for a vector use --shape (matrix calculus), as in calctutor grad \"||x||^2\" "
              "--wrt x --shape x=3; for a number write |x|")


def _plain_digit(c: str) -> str:
    """A superscript 1 or minus as typed on the keyboard (for hints)."""
    return {"¹": "1", "⁻": "-"}.get(c, c)


# ── module API ─────────────────────────────────────────────────────────────────────
def parse(
    text: str,
    *,
    evaluate: bool = True,
    names: Iterable[str] = (),
    functions: Mapping[str, tuple[tuple[str, ...], sympy.Expr]] | None = None,
) -> sympy.Expr:
    """Parse one expression. Raises :class:`ParseError` with a position on bad input.

    ``names`` are extra multi-letter variable names to read as one word (a program's
    definitions, the REPL's variables); ``functions`` maps user-defined function names to
    (parameters, body). ``evaluate=False`` keeps the learner's structure.
    """
    if not isinstance(text, str):
        raise TypeError("parse expects a string")
    parser = Parser(text, evaluate=evaluate, names=names, functions=functions)
    return parser.parse_expression()


def parse_statement(
    text: str,
    *,
    evaluate: bool = True,
    names: Iterable[str] = (),
    functions: Mapping[str, tuple[tuple[str, ...], sympy.Expr]] | None = None,
) -> Definition | sympy.Expr:
    """Parse ``name = expr``, ``f(x, y) = expr`` or a bare expression."""
    return _statement(text, 0, len(text), evaluate, frozenset(names), functions)


def parse_program(text: str, *, evaluate: bool = True, names: Iterable[str] = ()) -> Program:
    """Parse ``y = 2x^3 + 3; z = y^2`` (``;`` or newlines between equations).

    The last statement is the output; it may be a bare expression, which gets the name
    ``out``. Every name defined anywhere in the program is read as one word everywhere.
    """
    if not text.strip():
        raise ParseError("empty input: type an expression or a program such as "
                         "y = 2x^3 + 3; z = y^2", text, 0)
    if len(text) > MAX_INPUT_LENGTH:
        raise ParseError(f"input is too long ({len(text)} characters; the limit is "
                         f"{MAX_INPUT_LENGTH})", text, MAX_INPUT_LENGTH)
    pieces = _split_statements(text)
    if not pieces:  # only separators, as in " ; "
        raise ParseError("empty program: write an equation such as y = 2x^3 + 3", text, 0)
    if len(pieces) > MAX_STATEMENTS:
        raise ParseError(f"too many equations (the limit is {MAX_STATEMENTS})", text,
                         pieces[MAX_STATEMENTS][0])
    defined = set(names)
    for start, end in pieces:
        lhs = _definition_name(text[start:end])
        if lhs:
            defined.add(lhs)
    definitions: list[Definition] = []
    seen: set[str] = set()
    for index, (start, end) in enumerate(pieces):
        stmt = _statement(text, start, end, evaluate, frozenset(defined), None)
        if isinstance(stmt, Definition):
            if stmt.params:
                raise ParseError("function definitions f(x) = ... belong in the REPL; "
                                 "in a program write y = ...", text, start)
            if stmt.name in seen:
                raise ParseError(f"'{stmt.name}' is defined twice", text, stmt.start)
            used = {s.name for s in stmt.expr.free_symbols}
            if stmt.name in used:
                raise ParseError(f"'{stmt.name}' is defined in terms of itself", text, stmt.start)
            seen.add(stmt.name)
            definitions.append(stmt)
        else:
            if index != len(pieces) - 1:
                lead = len(text[start:end]) - len(text[start:end].lstrip())
                raise ParseError("only the last statement may be a bare expression; "
                                 "name the others, as in y = 2x + 1", text, start + lead)
            definitions.append(Definition("out", stmt, (), text[start:end].strip(), start))
    _check_order(definitions, text)
    inputs = sorted({s.name for d in definitions for s in d.expr.free_symbols} - seen)
    return Program(tuple(definitions), definitions[-1].name, tuple(inputs))


def _check_order(definitions: list[Definition], text: str) -> None:
    names = {d.name for d in definitions}
    available: set[str] = set()
    for d in definitions:
        for s in d.expr.free_symbols:
            if s.name in names and s.name not in available:
                raise ParseError(f"'{s.name}' is used before it is defined", text, d.start)
        available.add(d.name)


def _split_statements(text: str) -> list[tuple[int, int]]:
    return spans(text, ";\n")


def _definition_name(piece: str) -> str | None:
    head, eq, _ = piece.partition("=")
    if not eq:
        return None
    head = head.strip()
    if "(" in head:
        head = head.split("(", 1)[0].strip()
    return head if head.isidentifier() else None


def _statement(text, start, end, evaluate, names, functions):
    piece = text[start:end]
    if "=" not in piece:
        return _parse_span(text, start, end, evaluate, names, functions)
    eq = start + piece.index("=")
    head = text[start:eq]
    stripped = head.strip()
    head_start = start + (len(head) - len(head.lstrip()))
    params: tuple[str, ...] = ()
    name = stripped
    if "(" in stripped and stripped.endswith(")"):
        name, _, rest = stripped.partition("(")
        name = name.strip()
        params = tuple(p.strip() for p in rest[:-1].split(","))
        if not all(p.isidentifier() and p.isascii() for p in params):
            raise ParseError("function parameters must be names, as in f(x, y) = x y",
                             text, head_start)
    if not stripped:
        raise ParseError("'=' needs a name before it, as in y = 2x + 1", text, eq)
    if not (name.isidentifier() and name.isascii()):
        raise ParseError(f"'{stripped}' cannot be defined: the left of '=' must be a name "
                         "such as y or loss", text, head_start, width=len(stripped))
    from calctutor.parsing.lexer import CONSTANTS, KNOWN_FUNCTIONS

    if name in KNOWN_FUNCTIONS or name in CONSTANTS:
        raise ParseError(f"'{name}' is a built-in name and cannot be redefined", text,
                         head_start, width=len(name))
    body_start = eq + 1
    if not text[body_start:end].strip():
        raise ParseError(f"the definition of '{name}' has nothing after '='", text, eq)
    inner_names = names | set(params)
    expr = _parse_span(text, body_start, end, evaluate, inner_names, functions)
    return Definition(name, expr, params, text[body_start:end].strip(), head_start)


def _parse_span(text, start, end, evaluate, names, functions):
    """Parse text[start:end] but report errors at positions in the whole text.

    The piece is parsed with blanks in place of what comes before it, so positions (and
    the columns some messages mention) are those of the whole text.
    """
    if start == 0 and end == len(text):
        return parse(text, evaluate=evaluate, names=names, functions=functions)
    padded = " " * start + text[start:end]
    try:
        return parse(padded, evaluate=evaluate, names=names, functions=functions)
    except ParseError as exc:
        raise ParseError(exc.message, text, exc.position, hint=exc.hint,
                         width=exc.width) from None


def parse_default(text: str) -> sympy.Expr:
    """A table row's default argument (trusted, fixed text such as ``1/100``)."""
    return parse(text)
