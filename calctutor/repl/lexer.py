"""Syntax highlighting for the prompt: numbers, functions, variables, operators, brackets.

A tolerant tokenizer of its own (a half-typed line must never raise), written against the
same tables as the parser's lexer — :data:`calctutor.primitives.FUNCTION_NAMES` — but
without importing :mod:`calctutor.parsing` (that imports SymPy, and the prompt must
appear before SymPy has loaded).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from prompt_toolkit.document import Document
from prompt_toolkit.lexers import Lexer

from calctutor.primitives import FUNCTION_NAMES

CONSTANTS = frozenset({"pi", "e", "oo", "inf", "infinity", "π", "∞", "ℯ"})
_TOKEN = re.compile(
    r"(?P<command>^\s*:[A-Za-z_?][\w-]*)"
    r"|(?P<derivative>^\s*(?:d|∂)\s*(?:\^\s*\d+|[²³⁴⁵⁶⁷⁸⁹])?\s*/\s*(?:d|∂)\s*"
    r"(?:[A-Za-zα-ω](?:_[A-Za-z0-9]+|[0-9]+)?)(?:\^\s*\d+|[²³⁴⁵⁶⁷⁸⁹])?)"
    r"|(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
    r"|(?P<word>[A-Za-z_][A-Za-z0-9_]*|[α-ωϑϕ])"
    r"|(?P<prime>['′″]+)"
    r"|(?P<operator>\*\*|[-+*/^=·×−÷√|;,]|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+)"
    r"|(?P<bracket>[()\[\]])"
    r"|(?P<space>\s+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_LOG_BASE = re.compile(r"log_(?:[0-9]+|e|[A-Za-z])")

#: prompt_toolkit style classes used here (see :mod:`calctutor.repl.style`)
STYLE_CLASSES = ("command", "derivative", "number", "function", "constant", "name",
                 "variable", "operator", "bracket", "prime", "unknown")


def tokens(text: str, user_names: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(style class, text) pairs covering ``text`` exactly; never raises."""
    mine = frozenset(user_names)
    out: list[tuple[str, str]] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        piece = match.group()
        if kind == "word":
            if piece in mine:
                kind = "name"
            elif piece in FUNCTION_NAMES or _LOG_BASE.fullmatch(piece) or piece == "diff":
                kind = "function"
            elif piece in CONSTANTS:
                kind = "constant"
            else:
                kind = "variable"
        elif kind == "other":
            kind = "constant" if piece in CONSTANTS else (
                "function" if piece in FUNCTION_NAMES else "unknown")
        out.append(("" if kind == "space" else f"class:{kind}", piece))
    return out


class ExpressionLexer(Lexer):
    """prompt_toolkit lexer for the REPL's input; ``names`` gives the learner's names."""

    def __init__(self, names: Callable[[], Iterable[str]] = lambda: ()) -> None:
        self._names = names

    def lex_document(self, document: Document):
        names = tuple(self._names())
        lines = [tokens(line, names) for line in document.lines]
        # a line starting with ":" only counts as a command on the first line
        for line in lines[1:]:
            if line and line[0][0] == "class:command":
                line[0] = ("class:operator", line[0][1])

        def get_line(lineno: int):
            return lines[lineno] if 0 <= lineno < len(lines) else []

        return get_line
