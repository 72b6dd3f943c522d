"""Tokenizer: turns what a learner types into tokens with positions.

Knows the spellings learners use (``·`` ``×`` ``−`` ``²`` ``π`` ``θ`` ``σ`` ``√``) and the
rule for words: a known name (function, constant, Greek letter, a name the user defined)
is one token; ``x1`` and ``x_1`` are one name; any other word is read as a product,
taking the longest known names first (``xy`` → x·y, ``sinx`` → sin x, ``2pix`` → 2·π·x),
but only when that is a product a learner plausibly means: a word such as ``next``,
``idk`` or ``speed`` is refused rather than read as n·e·x·t. Also reads the derivative
operator ``d/dx``, ``d^2/dx^2``, ``∂/∂x`` as one DERIV token.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from calctutor.errors import ParseError
from calctutor.limits import MAX_INPUT_LENGTH, MAX_NUMBER_DIGITS
from calctutor.primitives import FUNCTION_NAMES

CONSTANTS = frozenset({"pi", "e", "oo", "inf", "infinity"})
GREEK = frozenset(
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron "
    "rho sigma tau upsilon phi chi psi omega".split()
)
_GREEK_CHARS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "ι": "iota", "κ": "kappa", "λ": "lambda", "μ": "mu",
    "ν": "nu", "ξ": "xi", "ρ": "rho", "τ": "tau", "υ": "upsilon", "φ": "phi",
    "ϕ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega", "ϑ": "theta",
}
_SPECIAL_NAMES = {"π": ("CONST", "pi"), "∞": ("CONST", "oo"), "ℯ": ("CONST", "e"),
                  "σ": ("FUNC", "sigmoid"), "∛": ("FUNC", "cbrt"), "ŷ": ("VAR", "y_hat")}
_OPERATOR_CHARS = {
    "+": "+", "-": "-", "*": "*", "/": "/", "^": "^", "(": "(", ")": ")", ",": ",",
    "|": "|", "=": "=", ";": ";", "\n": ";", "[": "(", "]": ")",
    "·": "*", "×": "*", "⋅": "*", "∗": "*", "−": "-", "–": "-", "÷": "/", "∕": "/",
    "√": "SQRT", "‖": "NORM",
}
_SUPERSCRIPTS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6",
                 "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-", "⁺": "+"}
_DIGITS = frozenset("0123456789")
_NUMBER = re.compile(r"([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+(?![0-9.]))?", re.ASCII)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_SUBSCRIPTED = re.compile(r"[A-Za-z]+_[A-Za-z0-9_]+|[A-Za-z][0-9]+")
_LOG_BASE = re.compile(r"log_([0-9]+|e|[A-Za-z])")
_SUP_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
#: The head of d/dx, d^2/dx^2, d²/dx², ∂/∂x: the operator letter, an optional order, '/'
#: and the letter again; the variable and its order follow (read by Lexer._derivative).
_DERIV_HEAD = re.compile(
    r"(?P<d>d|∂)[ \t]*(?:\^[ \t]*(?P<n>[0-9]+)|(?P<s>[" + _SUP_DIGITS + r"]+))?"
    r"[ \t]*/[ \t]*(?P=d)[ \t]*"
)
_DERIV_ORDER = re.compile(r"[ \t]*(?:\^[ \t]*([0-9]+)|([" + _SUP_DIGITS + r"]+))")
#: dy/dx, df/dt: Leibniz's notation names a derivative but says nothing of the function.
_LEIBNIZ = re.compile(r"d([A-Za-z])[ \t]*/[ \t]*d([A-Za-z])(?![A-Za-z0-9_])")
_ONE_LETTER_VAR = re.compile(r"[A-Za-z](?:_[A-Za-z0-9]+|[0-9]+)?")
#: Most derivatives a d^n/dx^n may ask for (the CLI's --order has the same limit).
MAX_DERIVATIVE_ORDER = 20

#: Every function spelling, plus the ``log_b`` family handled by the parser.
KNOWN_FUNCTIONS = FUNCTION_NAMES


@dataclass(frozen=True, slots=True)
class Token:
    """One token: kind is NUM, VAR, CONST, FUNC, SUP, SQRT, NORM, DERIV, EOF or the
    operator itself. A DERIV token's value is ``"x:2"`` (the variable and the order)."""

    kind: str
    value: str
    start: int
    end: int


def suggest_function(word: str) -> str | None:
    """The known function name closest to a misspelt one, if any is close."""
    close = difflib.get_close_matches(word.lower(), sorted(KNOWN_FUNCTIONS), n=1, cutoff=0.6)
    return close[0] if close else None


class Lexer:
    """Splits text into tokens; ``names`` are extra whole-word names (user definitions)."""

    def __init__(self, text: str, names: Iterable[str] = (), functions: Iterable[str] = ()):
        self.text = text
        self.user_names = frozenset(names)
        self.user_functions = frozenset(functions)
        self.known = KNOWN_FUNCTIONS | CONSTANTS | GREEK | self.user_names | self.user_functions
        self._longest = max(len(k) for k in self.known)

    def tokens(self) -> list[Token]:
        text = self.text
        if len(text) > MAX_INPUT_LENGTH:
            raise ParseError(
                f"input is too long ({len(text)} characters; the limit is {MAX_INPUT_LENGTH})",
                text, MAX_INPUT_LENGTH,
            )
        out: list[Token] = []
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch in " \t\r\u00a0":
                i += 1
                continue
            if ch in "d∂" and (ch == "∂" or not _word_char_before(text, i)):
                leibniz = _LEIBNIZ.match(text, i) if ch == "d" else None
                if leibniz and "d" + leibniz.group(1) not in self.user_names:
                    f, v = leibniz.groups()
                    raise ParseError(
                        f"d{f}/d{v} names a derivative but not the function: calctutor "
                        f"needs the expression itself", text, i, width=leibniz.end() - i,
                        hint=f"write d/d{v}(...) with the function inside, as in "
                             f"d/d{v}({v}^2)")
                j = self._derivative(i, out)
                if j:
                    i = j
                    continue
            if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
                i = self._number(i, out)
                continue
            if ch == "*" and text.startswith("**", i):
                out.append(Token("^", "**", i, i + 2))
                i += 2
                continue
            if ch in _OPERATOR_CHARS:
                kind = _OPERATOR_CHARS[ch]
                out.append(Token(kind, ch, i, i + 1))
                i += 1
                continue
            if ch in _SUPERSCRIPTS:
                j = i
                while j < n and text[j] in _SUPERSCRIPTS:
                    j += 1
                value = "".join(_SUPERSCRIPTS[c] for c in text[i:j])
                if not re.fullmatch(r"[+-]?\d+", value):
                    raise ParseError("this superscript is not a whole number", text, i, width=j - i)
                if len(value.lstrip("+-")) > MAX_NUMBER_DIGITS:
                    raise ParseError(
                        f"superscript has too many digits (the limit is {MAX_NUMBER_DIGITS})",
                        text, i, width=j - i,
                    )
                out.append(Token("SUP", value, i, j))
                i = j
                continue
            if ch in _SPECIAL_NAMES:
                kind, value = _SPECIAL_NAMES[ch]
                out.append(Token(kind, value, i, i + 1))
                i += 1
                continue
            if ch in _GREEK_CHARS:
                out.append(self._classify(_GREEK_CHARS[ch], i, i + 1))
                i += 1
                continue
            match = _WORD.match(text, i)
            if match:
                self._word(match.group(), i, out)
                i = match.end()
                continue
            raise ParseError(f"unexpected character {ch!r}", text, i,
                             hint=_character_hint(ch))
        out.append(Token("EOF", "", n, n))
        return out

    # ── pieces ──────────────────────────────────────────────────────────────────────
    def _derivative(self, i: int, out: list[Token]) -> int:
        """Read d/dx (d^2/dx^2, d²/dx², ∂/∂x) at ``i``; the end position, or 0 if the
        text there is not the operator."""
        text = self.text
        head = _DERIV_HEAD.match(text, i)
        pos = head.end() if head else i
        word = _WORD.match(text, pos) if head else None
        if head and pos < len(text) and text[pos] in _GREEK_CHARS:
            name, end = _GREEK_CHARS[text[pos]], pos + 1
        elif word:
            whole = word.group()
            # the variable: a user's name, a Greek name, or one letter (x, x1, x_1)
            longer = [n for n in self.user_names | GREEK | CONSTANTS | KNOWN_FUNCTIONS
                      if len(n) > 1 and whole.startswith(n)]
            one = _ONE_LETTER_VAR.match(whole)
            name = max(longer, key=len) if longer else one.group() if one else whole[0]
            end = pos + len(name)
        else:
            if text[i] == "∂":
                raise ParseError("'∂' is the partial derivative operator, as in ∂/∂x(x^2 y)",
                                 text, i)
            return 0
        op = head.group("d")
        if end < len(text) and text[end].isascii() and (text[end].isalnum() or text[end] == "_"):
            raise ParseError(
                f"'{text[i:end]}' runs into '{text[end]}': put a space or parentheses "
                f"after {op}/{op}{name}", text, end,
                hint=f"write {op}/{op}{name}(...) to say what is differentiated")
        if name in CONSTANTS or name in KNOWN_FUNCTIONS or name in self.user_functions:
            raise ParseError(f"in {op}/{op}{name}, '{name}' is not a variable", text, pos,
                             width=end - pos)
        top = head.group("n") or _from_superscript(head.group("s"))
        bottom = None
        below = _DERIV_ORDER.match(text, end)
        if below:
            bottom = below.group(1) or _from_superscript(below.group(2))
            end = below.end()
        if (top is None) != (bottom is None) or (top is not None and int(top) != int(bottom)):
            shown = top or bottom
            raise ParseError(
                f"the order of {text[i:end].strip()} is not the same above and below",
                text, i, width=end - i,
                hint=f"write {op}^{shown}/{op}{name}^{shown} for the derivative of order {shown}")
        order = int(top) if top is not None else 1
        if not 1 <= order <= MAX_DERIVATIVE_ORDER:
            raise ParseError(f"the order of a derivative must be 1 to {MAX_DERIVATIVE_ORDER}",
                             text, i, width=end - i)
        out.append(Token("DERIV", f"{name}:{order}", i, end))
        return end

    def _number(self, i: int, out: list[Token]) -> int:
        match = _NUMBER.match(self.text, i)
        assert match is not None
        literal = match.group()
        digits = sum(c in _DIGITS for c in match.group(1))
        if digits > MAX_NUMBER_DIGITS:
            raise ParseError(
                f"number has too many digits ({digits}; the limit is {MAX_NUMBER_DIGITS})",
                self.text, i, width=len(literal),
            )
        if match.group(2) and abs(int(match.group(2)[1:])) > 1000:
            raise ParseError("exponent of this number is too large (limit e±1000)",
                             self.text, i, width=len(literal))
        out.append(Token("NUM", literal, i, match.end()))
        return match.end()

    def _classify(self, name: str, start: int, end: int) -> Token:
        if name in self.user_names:
            return Token("VAR", name, start, end)
        if name in self.user_functions or name in KNOWN_FUNCTIONS:
            return Token("FUNC", name, start, end)
        if name in CONSTANTS:
            return Token("CONST", name, start, end)
        return Token("VAR", name, start, end)

    def _word(self, word: str, start: int, out: list[Token]) -> None:
        end = start + len(word)
        followed_by_paren = end < len(self.text) and self.text[end] == "("
        if word == "sigma" and word not in self.user_names and _paren_after(self.text, end):
            # sigma(x) is the sigmoid, as machine-learning texts write it (σ(x) too);
            # sigma alone, or sigma x, is the Greek variable.
            out.append(Token("FUNC", "sigmoid", start, end))
            return
        if word in self.known:
            out.append(self._classify(word, start, end))
            return
        if _LOG_BASE.fullmatch(word):
            out.append(Token("FUNC", word, start, end))
            return
        if _SUBSCRIPTED.fullmatch(word):
            if followed_by_paren and "_" in word:
                self._subscripted_call(word, start)
            out.append(Token("VAR", word, start, end))
            return
        if followed_by_paren and len(word) == 1:
            # x(x+1), a(b+c): a one-letter name before '(' is a product, as on paper.
            out.append(self._classify(word, start, end))
            return
        if followed_by_paren:
            guess = suggest_function(word)
            if guess:
                raise ParseError(f"unknown function '{word}' — did you mean {guess}?",
                                 self.text, start, width=len(word))
            hint = (f"for a product write {'*'.join(word)}*(...)" if word.isalpha()
                    else "see `calctutor parse --help` for the functions calctutor knows")
            raise ParseError(f"unknown function '{word}'", self.text, start, width=len(word),
                             hint=hint)
        pieces = self._split(word, start)
        if not _plausible_product(pieces):
            product = "*".join(p.value for p in pieces)
            raise ParseError(f"'{word}' is not a function or variable I know", self.text,
                             start, width=len(word),
                             hint=f"for a product write {product}; a longer name must be "
                                  f"defined first ({word} = ...)")
        out.extend(pieces)

    def _subscripted_call(self, word: str, start: int) -> None:
        """y_hat(x), leaky_relu(x): a name with an underscore before '('."""
        head = word.split("_", 1)[0]
        if len(head) == 1 or head in GREEK:
            raise ParseError(f"{word} is a variable, not a function", self.text, start,
                             width=len(word),
                             hint=f"for a product write {word}*(...)")
        guess = suggest_function(word)
        raise ParseError(f"unknown function '{word}'" + (f" — did you mean {guess}?" if guess
                                                           else ""),
                         self.text, start, width=len(word),
                         hint="see `calctutor parse --help` for the functions calctutor knows")

    def _split(self, word: str, start: int) -> list[Token]:
        """Read an unknown word as a product: longest known names first, else letters."""
        pieces: list[Token] = []
        i, n = 0, len(word)
        while i < n:
            for length in range(min(n - i, self._longest), 1, -1):
                piece = word[i : i + length]
                if piece in self.known:
                    pieces.append(self._classify(piece, start + i, start + i + length))
                    i += length
                    break
            else:
                ch = word[i]
                if ch == "_":
                    raise ParseError("a name cannot start with '_' here", self.text, start + i)
                j = i + 1
                while j < n and word[j] in _DIGITS:
                    j += 1
                if ch in _DIGITS:
                    pieces.append(Token("NUM", word[i:j], start + i, start + j))
                else:
                    pieces.append(self._classify(word[i:j], start + i, start + j))
                i = j
        return pieces


def _plausible_product(pieces: list[Token]) -> bool:
    """Is this split of an unknown word a product a learner plausibly means?

    Functions (sin), long names (theta, a user's loss) and indexed variables (x1) count
    for nothing; the lone letters, e, and the two-letter names pi, xi, mu, nu are the
    doubt. Two are fine (xy, ex, hx, 2pix, xsinx); three or more only as a run of the
    alphabet (xyz, abc). So next, idk, hint, exit (e*xi*t), clear and speed are refused
    instead of being read as n*e*x*t.
    """
    letters = [p.value for p in pieces
               if p.kind in ("VAR", "CONST") and p.value.isalpha() and len(p.value) <= 2]
    if len(letters) <= 2:
        return True
    if any(len(c) > 1 for c in letters):
        return False
    codes = [ord(c) for c in letters]
    return all(b - a == 1 for a, b in zip(codes, codes[1:]))


def _paren_after(text: str, end: int) -> bool:
    """Is the next non-blank character after ``end`` an opening parenthesis?"""
    rest = text[end:].lstrip(" \t")
    return rest.startswith("(")


def _from_superscript(digits: str | None) -> str | None:
    return None if digits is None else "".join(_SUPERSCRIPTS[c] for c in digits)


def _word_char_before(text: str, i: int) -> bool:
    """True when text[i] continues a word (the d of 'bd' is not an operator; 2d/dx is)."""
    return i > 0 and (text[i - 1].isalpha() or text[i - 1] == "_")


def _character_hint(ch: str) -> str | None:
    hints = {
        "!": "factorials are not supported; use a product",
        "'": "to differentiate, use `calctutor diff` (or d/dx in the REPL)",
        '"': "quotes are not part of an expression",
        "{": "use round brackets ( ) for grouping",
        "}": "use round brackets ( ) for grouping",
        ".": "a decimal point needs digits, as in 0.5",
        "<": "inequalities are not expressions",
        ">": "inequalities are not expressions",
        "&": None,
        "%": "write percentages as fractions, e.g. 0.05",
        "#": None,
        "@": "matrix products are not supported; write the sum out",
    }
    return hints.get(ch)
