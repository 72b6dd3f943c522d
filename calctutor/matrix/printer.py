"""Print matrix expressions in calctutor's matrix notation (it parses back), in Unicode
(``xᵀ``, ``A⁻¹``, ``‖x‖``, ``⊙`` — the parser reads these too) and in LaTeX."""

from __future__ import annotations

from fractions import Fraction

from calctutor.matrix import nodes as N
from calctutor.matrix.nodes import SCALAR, Node

_ADD, _MUL, _POST, _ATOM = 1, 2, 4, 5

_STYLES = {
    "text": {"T": "^T", "inv": "^-1", "invT": "^-T", "had": " .* ", "ediv": " ./ ",
             "norm": ("||", "||"), "fro": ("||", "||_F"), "pow": "^", "epow": " .^ "},
    "unicode": {"T": "ᵀ", "inv": "⁻¹", "invT": "⁻ᵀ", "had": " ⊙ ", "ediv": " ./ ",
                "norm": ("‖", "‖"), "fro": ("‖", "‖_F"), "pow": "^", "epow": " .^ "},
}
_SUP = {"2": "²", "3": "³"}


def to_text(node: Node) -> str:
    """calctutor's matrix notation (ASCII)."""
    return _Printer("text", _unsized(node)).show(node)


def to_unicode(node: Node) -> str:
    """The same with xᵀ, A⁻¹, ‖x‖ and ⊙."""
    return _Printer("unicode", _unsized(node)).show(node)


def _unsized(node: Node) -> set[int]:
    """The I and 1 with no neighbour to give them a size (printed I_n, 1_n)."""
    out: set[int] = set()

    def lonely(n: Node) -> None:
        if isinstance(n, (N.Eye, N.Ones)):
            out.add(id(n))
        elif isinstance(n, N.MatMul):
            chain = [f for f in n.factors if f.shape != SCALAR]
            if len(chain) == 1:
                lonely(chain[0])
        elif isinstance(n, N.Add) and all(_identity_like(t) for t in n.terms):
            for t in n.terms:
                lonely(t)
        elif isinstance(n, N.Transpose):
            lonely(n.arg)

    def walk(n: Node) -> None:
        if isinstance(n, (N.Reduce, N.Elem, N.Softmax, N.Diag)):
            lonely(n.arg)
        if isinstance(n, (N.MatMul, N.Transpose)) or (
                isinstance(n, N.Add) and all(_identity_like(t) for t in n.terms)):
            lonely(n)  # (xᵀy) 1: only scalars beside the 1, so it needs its size
        if isinstance(n, N.MatMul):
            # the parser sizes a 1 from the factor on its left, a 1ᵀ from the one on its right
            chain = [f for f in n.factors if f.shape != SCALAR]
            for i, f in enumerate(chain):
                if (isinstance(f, N.Ones) and i == 0) or (
                        isinstance(f, N.Transpose) and isinstance(f.arg, N.Ones) and i > 0):
                    lonely(f)
        if isinstance(n, N.Hadamard):  # (s 1) .* v: the parser cannot size a product
            lonely(n.left)
            lonely(n.right)
        if isinstance(n, N.EDiv):  # 1 ./ x is sized by x; a product on the left is not
            if not isinstance(n.left, N.Ones):
                lonely(n.left)
            lonely(n.right)
        for c in N.children(n):
            walk(c)

    lonely(node)
    walk(node)
    return out


def _identity_like(n: Node) -> bool:
    if isinstance(n, (N.Eye, N.Ones)):
        return True
    if isinstance(n, N.MatMul):
        chain = [f for f in n.factors if f.shape != SCALAR]
        return len(chain) == 1 and isinstance(chain[0], (N.Eye, N.Ones))
    return False


def _fraction(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def split_product(node: Node) -> tuple[Fraction, list[Node], list[Node]]:
    """coefficient, numerator factors, denominator factors (scalars with negative powers)."""
    factors = list(node.factors) if isinstance(node, N.MatMul) else [node]
    coef = Fraction(1)
    num: list[Node] = []
    den: list[Node] = []
    for f in factors:
        if isinstance(f, N.Const):
            coef *= f.value
        elif isinstance(f, N.Power) and f.shape == SCALAR and f.exponent < 0:
            den.append(f.arg if f.exponent == -1 else N.power(f.arg, -f.exponent))
        else:
            num.append(f)
    return coef, num, den


class _Printer:
    def __init__(self, style: str, unsized: set[int] = frozenset()) -> None:
        self.unsized = unsized
        self.style = style
        self.s = _STYLES[style]

    def show(self, node: Node) -> str:
        return self.p(node)[0]

    def wrap(self, node: Node, level: int) -> str:
        text, prec = self.p(node)
        return f"({text})" if prec < level else text

    def p(self, node: Node) -> tuple[str, int]:  # noqa: C901 - one case per node type
        s = self.s
        if isinstance(node, N.Var):
            return node.name, _ATOM
        if isinstance(node, N.Const):
            v = node.value
            if v < 0:
                return "-" + _fraction(-v), _ADD
            return _fraction(v), _ATOM if v.denominator == 1 else _MUL
        if isinstance(node, N.Eye):
            return ("I" if id(node) not in self.unsized else f"I_{node.shape[0]}"), _ATOM
        if isinstance(node, N.Ones):
            return ("1" if id(node) not in self.unsized else f"1_{node.shape[0]}"), _ATOM
        if isinstance(node, N.Zero):
            r, c = node.shape
            if node.shape == SCALAR:
                return "0", _ATOM
            return (f"0_{r}" if c == 1 else f"0_{r}x{c}"), _ATOM
        if isinstance(node, N.Add):
            out = ""
            for i, term in enumerate(node.terms):
                negative, body = self.signed(term)
                if i == 0:
                    out = ("-" if negative else "") + body
                else:
                    out += (" - " if negative else " + ") + body
            return out, _ADD
        if isinstance(node, N.MatMul):
            negative, body = self.signed(node)
            if negative:
                return "-" + body, _ADD
            return body, _MUL
        if isinstance(node, N.Transpose):
            a = node.arg
            if isinstance(a, N.Inverse):
                return self.wrap(a.arg, _ATOM) + s["invT"], _POST
            return self.wrap(a, _ATOM) + s["T"], _POST
        if isinstance(node, N.Inverse):
            return self.wrap(node.arg, _ATOM) + s["inv"], _POST
        if isinstance(node, N.Power):
            k = node.exponent
            base = self.wrap(node.arg, _ATOM)
            if node.shape != SCALAR:
                exp = _fraction(k) if k.denominator == 1 and k > 0 else f"({_fraction(k)})"
                return base + s["epow"] + exp, _MUL
            if self.style == "unicode" and str(k) in _SUP:
                return base + _SUP[str(k)], _POST
            exp = _fraction(k) if k.denominator == 1 else f"({_fraction(k)})"
            return base + s["pow"] + exp, _POST
        if isinstance(node, (N.Elem, N.Softmax)):
            name = node.fn if isinstance(node, N.Elem) else "softmax"
            return f"{name}({self.show(node.arg)})", _ATOM
        if isinstance(node, N.Diag):
            return f"diag({self.show(node.arg)})", _ATOM
        if isinstance(node, N.Reduce):
            inner = self.show(node.arg)
            if node.fn in ("norm", "fro"):
                if "|" in inner or "‖" in inner:
                    inner = f"({inner})"
                left, right = s[node.fn]
                return f"{left}{inner}{right}", _ATOM
            return f"{node.fn}({inner})", _ATOM
        if isinstance(node, N.Hadamard):
            left = self.wrap(node.left, _ATOM) if not isinstance(node.left, N.Hadamard) \
                else self.show(node.left)
            return left + s["had"] + self.wrap(node.right, _ATOM), _MUL
        if isinstance(node, N.EDiv):
            return self.wrap(node.left, _ATOM) + s["ediv"] + self.wrap(node.right, _ATOM), _MUL
        raise TypeError(f"cannot print {type(node).__name__}")

    def signed(self, node: Node) -> tuple[bool, str]:
        """(is negative, the text without the sign) of a term."""
        if isinstance(node, N.Const):
            return node.value < 0, _fraction(abs(node.value))
        if not isinstance(node, N.MatMul):
            text, prec = self.p(node)
            if prec <= _ADD:
                return False, f"({text})"
            return False, text
        coef, num, den = split_product(node)
        negative = coef < 0
        coef = abs(coef)
        pieces = []
        if coef.numerator != 1 or not num:
            pieces.append(str(coef.numerator))
        for f in num:
            pieces.append(self.factor(f))
        body = " ".join(pieces)
        dens = ([str(coef.denominator)] if coef.denominator != 1 else []) + \
            [self.factor(f, denominator=True) for f in den]
        if dens:
            d = dens[0] if len(dens) == 1 else "(" + " ".join(dens) + ")"
            body = f"{body} / {d}"
        return negative, body

    def factor(self, f: Node, denominator: bool = False) -> str:
        text, prec = self.p(f)
        if isinstance(f, (N.MatMul, N.Hadamard, N.EDiv)) or prec < _MUL:
            return f"({text})"
        if denominator and prec < _POST:
            return f"({text})"
        return text


# ----------------------------------------------------------------- LaTeX

def to_latex(node: Node) -> str:
    return _latex(node)[0]


def _lwrap(node: Node, level: int) -> str:
    text, prec = _latex(node)
    return rf"\left({text}\right)" if prec < level else text


def _lfrac(v: Fraction) -> str:
    return str(v.numerator) if v.denominator == 1 else rf"\frac{{{v.numerator}}}{{{v.denominator}}}"


def _latex(node: Node) -> tuple[str, int]:  # noqa: C901
    if isinstance(node, N.Var):
        name = node.name
        if "_" in name:
            head, _, tail = name.partition("_")
            name = f"{head}_{{{tail}}}"
        return (rf"\mathbf{{{name}}}" if node.shape[1] == 1 and node.shape != SCALAR else name), _ATOM
    if isinstance(node, N.Const):
        if node.value < 0:
            return "-" + _lfrac(-node.value), _ADD
        return _lfrac(node.value), _ATOM
    if isinstance(node, N.Eye):
        return "I", _ATOM
    if isinstance(node, N.Ones):
        return r"\mathbf{1}", _ATOM
    if isinstance(node, N.Zero):
        return "0", _ATOM
    if isinstance(node, N.Add):
        out = ""
        for i, term in enumerate(node.terms):
            neg, body = _lsigned(term)
            out += ("-" if neg else "") + body if i == 0 else (" - " if neg else " + ") + body
        return out, _ADD
    if isinstance(node, N.MatMul):
        neg, body = _lsigned(node)
        return ("-" + body, _ADD) if neg else (body, _MUL)
    if isinstance(node, N.Transpose):
        if isinstance(node.arg, N.Inverse):
            return _lwrap(node.arg.arg, _ATOM) + r"^{-\top}", _POST
        return _lwrap(node.arg, _ATOM) + r"^{\top}", _POST
    if isinstance(node, N.Inverse):
        return _lwrap(node.arg, _ATOM) + "^{-1}", _POST
    if isinstance(node, N.Power):
        k = node.exponent
        base = _lwrap(node.arg, _ATOM)
        if node.shape != SCALAR:
            return rf"{base}^{{\circ {_lfrac(k)}}}", _POST
        return f"{base}^{{{_lfrac(k)}}}", _POST
    if isinstance(node, N.Elem):
        name = {"exp": r"\exp", "log": r"\log", "tanh": r"\tanh", "sigmoid": r"\sigma",
                "relu": r"\operatorname{relu}", "sqrt": r"\sqrt", "step": r"\operatorname{step}"}[node.fn]
        inner = _latex(node.arg)[0]
        if node.fn == "sqrt":
            return rf"\sqrt{{{inner}}}", _ATOM
        return rf"{name}\left({inner}\right)", _ATOM
    if isinstance(node, N.Softmax):
        return rf"\operatorname{{softmax}}\left({_latex(node.arg)[0]}\right)", _ATOM
    if isinstance(node, N.Diag):
        return rf"\operatorname{{diag}}\left({_latex(node.arg)[0]}\right)", _ATOM
    if isinstance(node, N.Reduce):
        inner = _latex(node.arg)[0]
        if node.fn == "norm":
            return rf"\lVert {inner} \rVert_2", _ATOM
        if node.fn == "fro":
            return rf"\lVert {inner} \rVert_F", _ATOM
        name = {"tr": r"\operatorname{tr}", "det": r"\det", "sum": r"\operatorname{sum}",
                "logsumexp": r"\operatorname{logsumexp}"}[node.fn]
        return rf"{name}\left({inner}\right)", _ATOM
    if isinstance(node, N.Hadamard):
        return _lwrap(node.left, _ATOM) + r" \odot " + _lwrap(node.right, _ATOM), _MUL
    if isinstance(node, N.EDiv):
        return _lwrap(node.left, _ATOM) + r" \oslash " + _lwrap(node.right, _ATOM), _MUL
    raise TypeError(type(node).__name__)


def _lsigned(node: Node) -> tuple[bool, str]:
    if isinstance(node, N.Const):
        return node.value < 0, _lfrac(abs(node.value))
    if not isinstance(node, N.MatMul):
        text, prec = _latex(node)
        return False, (rf"\left({text}\right)" if prec <= _ADD else text)
    coef, num, den = split_product(node)
    neg = coef < 0
    coef = abs(coef)
    parts = []
    if coef.numerator != 1 or not num:
        parts.append(str(coef.numerator))
    for f in num:
        text, prec = _latex(f)
        parts.append(rf"\left({text}\right)" if isinstance(f, (N.MatMul, N.Hadamard, N.EDiv))
                     or prec < _MUL else text)
    body = " ".join(parts)
    dens = ([str(coef.denominator)] if coef.denominator != 1 else []) + [_latex(f)[0] for f in den]
    if dens:
        body = rf"\frac{{{body}}}{{{' '.join(dens)}}}"
    return neg, body
