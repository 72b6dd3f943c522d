"""The matrix notation: a small recursive-descent parser that checks shapes as it goes.

Grammar (loosest first)::

    expr    := term (('+' | '-') term)*
    term    := unary (('*' | '/' | '.*' | './' | <juxtaposition>) unary)*
    unary   := '-' unary | power
    power   := postfix ('^' exp | '.^' number)*        exp: T, -1, -T, an integer, (p/q)
    postfix := atom "'"*
    atom    := number | name | func '(' expr ')' | func atom | '(' expr ')'
             | '||' expr '||' | '||' expr '||_F'

Nothing is evaluated; every name must be declared (``--shape``) except ``I`` (the identity)
and the number ``1`` where a vector is required (the vector of ones). Shape errors are
:class:`calctutor.errors.ParseError` with a caret under the offending operand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from calctutor.errors import ParseError
from calctutor.limits import MAX_INPUT_LENGTH
from calctutor.matrix import nodes as N
from calctutor.matrix.nodes import SCALAR, Node, ShapeError, show_dim, show_shape
from calctutor.matrix.shapes import Decl

FUNCTIONS = {"tr": "tr", "trace": "tr", "det": "det", "sum": "sum", "diag": "diag",
             "softmax": "softmax", "logsumexp": "logsumexp", "norm": "norm",
             "exp": "exp", "log": "log", "ln": "log", "sigmoid": "sigmoid", "σ": "sigmoid",
             "tanh": "tanh", "relu": "relu", "sqrt": "sqrt", "step": "step"}
_UNICODE = [("ᵀ", "^T"), ("⁻¹", "^-1"), ("⁻ᵀ", "^-T"), ("²", "^2"), ("³", "^3"),
            ("‖", "||"), ("⊙", ".*"), ("∘", ".*"), ("·", "*"), ("×", "*"), ("⋅", "*"),
            ("−", "-"), ("–", "-"), ("∑", "sum"), ("σ", "sigmoid"), ("ø", "")]
_NUMBER = re.compile(r"[0-9]+(\.[0-9]+)?|\.[0-9]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_DIM = r"(?:[0-9]+|[A-Za-wyz][A-Za-wyz0-9]*)"
_SIZED = re.compile(rf"_({_DIM}(?:x{_DIM})?)")
_OPS = ("||_F", "||_2", "||", ".*", "./", ".^", "+", "-", "*", "/", "^", "(", ")", "'",
        "|", ",")


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # NUM, NAME, FUNC, EOF or the operator
    value: str
    start: int
    end: int


@dataclass(slots=True)
class Pending:
    """``I`` or ``1^T`` before its size is known (times a scalar coefficient)."""

    kind: str  # "I" or "1T"
    coef: Node | None = None

    shape = None


def _normalise(text: str) -> tuple[str, list[int]]:
    """Unicode spellings to ASCII, keeping a map back to the original positions."""
    out, where = [], []
    i = 0
    while i < len(text):
        for a, b in _UNICODE:
            if text.startswith(a, i):
                out.append(b)
                where.extend([i] * len(b))
                i += len(a)
                break
        else:
            out.append(text[i])
            where.append(i)
            i += 1
    where.append(len(text))
    return "".join(out), where


class _Parser:
    def __init__(self, text: str, shapes: dict[str, Decl], original: str, where: list[int],
                 elementwise: bool = False):
        self.elementwise = elementwise
        self.text = text
        self.original = original
        self.where = where
        self.shapes = shapes
        self.toks = self._lex()
        self.i = 0
        self.norm_depth = 0

    # ------------------------------------------------------------- errors
    def error(self, message: str, start: int, end: int | None = None, hint: str | None = None):
        s = self.where[min(start, len(self.where) - 1)]
        e = self.where[min(end if end is not None else start + 1, len(self.where) - 1)]
        return ParseError(message, self.original, s, hint=hint, width=max(1, e - s))

    def src(self, start: int, end: int) -> str:
        return self.text[start:end].strip()

    # ------------------------------------------------------------- lexing
    def _lex(self) -> list[Tok]:
        text, toks, i = self.text, [], 0
        while i < len(text):
            ch = text[i]
            if ch.isspace():
                i += 1
                continue
            m = _NUMBER.match(text, i)
            if m:
                sized = _SIZED.match(text, m.end()) if m.group() in ("0", "1") else None
                if sized:  # 1_n: the vector of ones; 0_n, 0_mxn: a zero vector or matrix
                    kind = "ONES" if m.group() == "1" else "ZEROS"
                    if kind == "ONES" and "x" in sized.group(1):
                        raise self.error("1_n is a vector of ones: one size only", i, sized.end())
                    toks.append(Tok(kind, sized.group(1), i, sized.end()))
                    i = sized.end()
                    continue
                toks.append(Tok("NUM", m.group(), i, m.end()))
                i = m.end()
                continue
            m = _WORD.match(text, i)
            if m:
                toks.extend(self._words(m.group(), i))
                i = m.end()
                continue
            for op in _OPS:
                if text.startswith(op, i):
                    toks.append(Tok(op, op, i, i + len(op)))
                    i += len(op)
                    break
            else:
                raise self.error(f"unexpected character {ch!r}", i)
        toks.append(Tok("EOF", "", len(text), len(text)))
        return toks

    def _words(self, word: str, start: int) -> list[Tok]:
        sized = re.fullmatch(r"I_([0-9]+|[A-Za-z][A-Za-z0-9]*)", word)
        if sized and word not in self.shapes:  # I_n: the identity of size n
            return [Tok("EYE", sized.group(1), start, start + len(word))]
        if word in self.shapes or word in ("I", "T") or word in FUNCTIONS:
            return [Tok("FUNC" if word in FUNCTIONS and word not in self.shapes else "NAME",
                        word, start, start + len(word))]
        # a run of declared names written together: Ax, xTAx is not split (T is reserved)
        known = sorted([*self.shapes, "I", "T", *FUNCTIONS], key=len, reverse=True)
        out, j = [], 0
        while j < len(word):
            for k in known:
                if word.startswith(k, j):
                    kind = "FUNC" if k in FUNCTIONS and k not in self.shapes else "NAME"
                    out.append(Tok(kind, k, start + j, start + j + len(k)))
                    j += len(k)
                    break
            else:
                declared = ", ".join(sorted(self.shapes)) or "none"
                raise self.error(
                    f"unknown name {word!r}: give its shape with --shape {word}=... "
                    f"(declared: {declared})", start, start + len(word))
        return out

    # ------------------------------------------------------------- helpers
    @property
    def tok(self) -> Tok:
        return self.toks[self.i]

    def take(self, kind: str | None = None) -> Tok:
        t = self.toks[self.i]
        if kind is not None and t.kind != kind:
            raise self.error(f"expected {kind!r} here", t.start, t.end)
        self.i += 1
        return t

    def parse(self) -> Node:
        if self.tok.kind == "EOF":
            raise self.error("empty expression", 0)
        node, s, e = self.expr()
        if self.tok.kind != "EOF":
            t = self.tok
            raise self.error(f"unexpected {t.value!r}", t.start, t.end)
        return self.settle(node, s, e)

    def settle(self, node, s: int, e: int) -> Node:
        if isinstance(node, Pending):
            raise self.error("cannot tell the size of I or 1 here: write it next to a "
                             "matrix or vector", s, e)
        return node

    # ------------------------------------------------------------- grammar
    def expr(self):
        left, s, e = self.term()
        while self.tok.kind in ("+", "-"):
            op = self.take().kind
            right, rs, re_ = self.term()
            left = self.add(left, s, e, right, rs, re_, op == "-")
            e = re_
        return left, s, e

    def add(self, left, s, e, right, rs, re_, minus: bool):
        if isinstance(left, Pending) and not isinstance(right, Pending):
            left = self.resolve_from(left, right, s, e)
        if isinstance(right, Pending) and not isinstance(left, Pending):
            right = self.resolve_from(right, left, rs, re_)
        left = self.settle(left, s, e)
        right = self.settle(right, rs, re_)
        if minus:
            right = N.neg(right)
        try:
            return N.add(left, right)
        except ShapeError:
            raise self.error(
                f"{self.src(s, re_)}: cannot add {self.src(s, e)} ({show_shape(left.shape)}) "
                f"and {self.src(rs, re_)} ({show_shape(right.shape)})", rs, re_) from None

    def resolve_from(self, pending: Pending, other: Node, s: int, e: int) -> Node:
        r, c = other.shape
        if pending.kind == "I":
            if r != c or other.shape == SCALAR:
                raise self.error(f"I must be square here, but the other term is "
                                 f"{show_shape(other.shape)}", s, e)
            node: Node = N.Eye((r, r))
        else:
            raise self.error("1^T needs a vector or matrix after it", s, e)
        return N.mul(pending.coef, node) if pending.coef is not None else node

    def starts_atom(self) -> bool:
        t = self.tok
        if t.kind == "||":
            return self.norm_depth == 0
        return t.kind in ("NUM", "NAME", "FUNC", "(", "EYE", "ONES", "ZEROS")

    def term(self):
        left, s, e = self.unary()
        while True:
            t = self.tok
            if t.kind in ("*", "/", ".*", "./"):
                self.take()
                op = t.kind
            elif self.starts_atom():
                op = "*"
            else:
                break
            right, rs, re_ = self.unary()
            left = self.product(op, left, s, e, right, rs, re_)
            e = re_
        return left, s, e

    def product(self, op, left, s, e, right, rs, re_):
        lit_one = isinstance(right, N.Const) and self.src(rs, re_) == "1"
        if self.elementwise and not isinstance(left, Pending) and not isinstance(right, Pending):
            if op == "*" and left.shape != SCALAR and right.shape != SCALAR:
                op = ".*"
            elif op == "/" and right.shape != SCALAR:
                op = "./"
        if op == "*":
            if isinstance(left, Pending) or isinstance(right, Pending):
                return self.pending_product(left, s, e, right, rs, re_)
            if lit_one and left.shape[1] != 1:
                return N.mul(left, N.Ones((left.shape[1], 1)))
            if left.shape != SCALAR and right.shape != SCALAR and left.shape[1] != right.shape[0]:
                raise self.error(
                    f"{self.src(s, re_)}: {self.src(s, e)} is {show_shape(left.shape)} but "
                    f"{self.src(rs, re_)} has {show_dim(right.shape[0])} "
                    f"row{'' if right.shape[0] == 1 else 's'}", rs, re_)
            return N.mul(left, right)
        left = self.settle(left, s, e)
        right = self.settle(right, rs, re_)
        try:
            if op == "/":
                if right.shape != SCALAR:
                    raise self.error(f"{self.src(rs, re_)} is {show_shape(right.shape)}: divide "
                                     "only by a scalar (use ./ for elementwise, A^-1 for an "
                                     "inverse)", rs, re_)
                return N.mul(left, N.power(right, -1))
            if op == ".*":
                if isinstance(left, N.Const) and left.value == 1 and self.src(s, e) == "1":
                    left = N.Ones(right.shape) if right.shape[1] == 1 else left
                return N.hadamard(left, right)
            return N.ediv(left, right)
        except ShapeError:
            raise self.error(
                f"{self.src(s, re_)}: {op} needs operands of the same shape, but "
                f"{self.src(s, e)} is {show_shape(left.shape)} and {self.src(rs, re_)} is "
                f"{show_shape(right.shape)}", rs, re_) from None

    def pending_product(self, left, s, e, right, rs, re_):
        if isinstance(left, Pending) and isinstance(right, Pending):
            raise self.error("cannot tell the size of I or 1 here", s, re_)
        if isinstance(left, Pending):
            if right.shape == SCALAR:
                left.coef = right if left.coef is None else N.mul(left.coef, right)
                return left
            n = right.shape[0]
            node = N.Eye((n, n)) if left.kind == "I" else N.transpose(N.Ones((n, 1)))
            if left.coef is not None:
                node = N.mul(left.coef, node)
            return N.mul(node, right)
        if left.shape == SCALAR:
            right.coef = left if right.coef is None else N.mul(left, right.coef)
            return right
        if right.kind == "1T":
            raise self.error("1^T after a vector or matrix: its size is unknown here", rs, re_)
        n = left.shape[1]
        node = N.Eye((n, n))
        if right.coef is not None:
            node = N.mul(right.coef, node)
        return N.mul(left, node)

    def unary(self):
        if self.tok.kind == "-":
            t = self.take()
            node, s, e = self.unary()
            if isinstance(node, Pending):
                node.coef = N.MINUS_ONE if node.coef is None else N.neg(node.coef)
                return node, t.start, e
            return N.neg(node), t.start, e
        if self.tok.kind == "+":
            self.take()
        return self.power()

    def power(self):
        node, s, e = self.postfix()
        while self.tok.kind in ("^", ".^"):
            op = self.take()
            node, e = self.exponent(node, s, e, op.kind == ".^" or self.elementwise)
        return node, s, e

    def exponent(self, node, s, e, elementwise: bool):
        t = self.tok
        if t.kind == "NAME" and t.value == "T":
            self.take()
            return self.transpose(node, s, t.end), t.end
        sign = 1
        start = t.start
        if t.kind == "-":
            self.take()
            sign = -1
            t = self.tok
            if t.kind == "NAME" and t.value == "T":
                self.take()
                inv = self.invert(node, s, t.end)
                return N.transpose(inv), t.end
        if t.kind == "NUM":
            self.take()
            k = Fraction(t.value) * sign
            end = t.end
        elif t.kind == "(":
            self.take()
            k, end = self.fraction_exponent()
            k *= sign
        else:
            raise self.error("expected an exponent: T, -1, -T or a number", t.start, t.end)
        if isinstance(node, Pending):
            raise self.error("a power of I or 1 is itself: leave it out", s, end)
        if node.shape == SCALAR or elementwise:
            return N.power(node, k), end
        if k == -1:
            return self.invert(node, s, end), end
        if k.denominator == 1 and 1 < k <= 8 and node.shape[0] == node.shape[1]:
            return N.mul(*([node] * int(k))), end
        raise self.error(f"{self.src(s, e)} is {show_shape(node.shape)}: a power of a matrix "
                         "must be -1 (inverse) or a small whole number (use .^ elementwise)",
                         start, end)

    def fraction_exponent(self):
        sign = 1
        if self.tok.kind == "-":
            self.take()
            sign = -1
        a = self.take("NUM")
        value = Fraction(a.value)
        if self.tok.kind == "/":
            self.take()
            b = self.take("NUM")
            if Fraction(b.value) == 0:
                raise self.error("division by zero in the exponent", b.start, b.end)
            value /= Fraction(b.value)
        close = self.take(")")
        return sign * value, close.end

    def invert(self, node, s, e):
        if isinstance(node, Pending):
            raise self.error("the inverse of I is I", s, e)
        try:
            return N.inverse(node)
        except ShapeError as exc:
            raise self.error(f"{self.src(s, e)}: {exc.message}", s, e) from None

    def transpose(self, node, s, e):
        if isinstance(node, Pending):
            if node.kind == "I":
                return node
            raise self.error("cannot tell the size of 1 here", s, e)
        if isinstance(node, N.Const) and self.src(s, e).startswith("1") and node.value == 1:
            return Pending("1T")
        return N.transpose(node)

    def postfix(self):
        node, s, e = self.atom()
        while self.tok.kind == "'":
            t = self.take()
            node = self.transpose(node, s, t.end)
            e = t.end
        return node, s, e

    def atom(self):
        t = self.tok
        if t.kind == "NUM":
            self.take()
            return N.const(Fraction(t.value)), t.start, t.end
        if t.kind in ("EYE", "ONES", "ZEROS"):
            self.take()
            dims = []
            for piece in t.value.split("x"):
                n = int(piece) if piece.isdigit() else piece
                if n == 0 or (isinstance(n, int) and n > 64):
                    raise self.error("a size must be between 1 and 64", t.start, t.end)
                dims.append(n)
            if t.kind == "EYE":
                node = N.Eye((dims[0], dims[0]))
            elif t.kind == "ONES":
                node = N.Ones((dims[0], 1))
            else:
                node = N.Zero((dims[0], dims[1] if len(dims) > 1 else 1))
            return node, t.start, t.end
        if t.kind == "NAME":
            self.take()
            if t.value == "I":
                return Pending("I"), t.start, t.end
            if t.value == "T":
                raise self.error("T is the transpose: write x^T", t.start, t.end)
            d = self.shapes[t.value]
            return N.var(t.value, d.shape), t.start, t.end
        if t.kind == "(":
            self.take()
            depth, self.norm_depth = self.norm_depth, 0
            node, _, _ = self.expr()
            self.norm_depth = depth
            close = self.take(")")
            return node, t.start, close.end
        if t.kind == "||":
            self.take()
            self.norm_depth += 1
            node, s, e = self.expr()
            self.norm_depth -= 1
            node = self.settle(node, s, e)
            close = self.tok
            if close.kind not in ("||", "||_F", "||_2"):
                raise self.error("this norm is not closed: expected ||", t.start, close.start + 1)
            self.take()
            fro = close.kind == "||_F"
            r, c = node.shape
            if not fro and c != 1:
                raise self.error(f"{self.src(s, e)} is {show_shape(node.shape)}: ||.|| is the "
                                 "2-norm of a vector; for a matrix write ||X||_F", t.start,
                                 close.end)
            return N.reduce("fro" if fro else "norm", node), t.start, close.end
        if t.kind == "FUNC":
            return self.call()
        if t.kind == "|":
            raise self.error("write ||x|| for the norm of a vector", t.start, t.end)
        if t.kind == "EOF":
            raise self.error("the expression ends too early", t.start)
        raise self.error(f"unexpected {t.value!r}", t.start, t.end)

    def call(self):
        t = self.take()
        name = FUNCTIONS[t.value]
        if self.tok.kind == "(":
            self.take()
            depth, self.norm_depth = self.norm_depth, 0
            arg, s, e = self.expr()
            self.norm_depth = depth
            close = self.take(")")
            end = close.end
        elif self.starts_atom():
            arg, s, e = self.power()
            end = e
        else:
            raise self.error(f"{t.value} needs an argument: {t.value}(x)", t.start, t.end)
        arg = self.settle(arg, s, e)
        try:
            if name in N.ELEMENTWISE:
                node = N.elem(name, arg)
            elif name == "softmax":
                node = N.softmax(arg)
            elif name == "diag":
                node = N.diag(arg)
            else:
                node = N.reduce(name, arg)
        except ShapeError as exc:
            raise self.error(f"{t.value}({self.src(s, e)}): {exc.message}", t.start, end) from None
        return node, t.start, end


def parse_matrix(text: str, shapes: dict[str, Decl]) -> Node:
    """Parse matrix notation with the declared shapes; ParseError (a CalcError) on bad input."""
    if len(text) > MAX_INPUT_LENGTH:
        raise ParseError(f"input is too long ({len(text)} characters; the limit is "
                         f"{MAX_INPUT_LENGTH})", text, MAX_INPUT_LENGTH)
    normal, where = _normalise(text)
    return _Parser(normal, shapes, text, where).parse()


def parse_elementwise(text: str, shapes: dict[str, Decl]) -> Node:
    """A formula of the primitives table (scalar syntax: ``sigmoid(u)*(1-sigmoid(u))``)
    read with ``*``, ``/`` and ``^`` elementwise, for a vector or matrix ``u``."""
    normal, where = _normalise(text)
    return _Parser(normal, shapes, text, where, elementwise=True).parse()
