"""Errors a user can cause, each able to say what went wrong in one line.

Every error the user can trigger derives from :class:`CalcError`; the CLI and the REPL
catch exactly this class and print :meth:`CalcError.render`, so bad input never shows a
traceback. Kept free of heavy imports: the CLI imports it at start-up.
"""

from __future__ import annotations


class CalcError(Exception):
    """An error caused by the user's input, with a message meant for them."""

    exit_code = 2

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __reduce__(self):
        # rebuilt from its fields, so an error raised in a watchdog worker crosses back
        # whole (subclasses' extra attributes too)
        return _rebuild, (type(self), self.message, dict(self.__dict__))

    def render(self) -> str:
        """The message (and hint) as plain text, ready to print."""
        text = f"error: {self.message}"
        if self.hint:
            text += f"\nhint: {self.hint}"
        return text


def _rebuild(kind: type, message: str, fields: dict) -> CalcError:
    error = kind.__new__(kind)
    Exception.__init__(error, message)
    error.__dict__.update(fields)
    return error


class ParseError(CalcError):
    """Input that is not a valid expression; knows where in the text it went wrong."""

    def __init__(
        self, message: str, text: str, position: int, hint: str | None = None, width: int = 1
    ) -> None:
        super().__init__(message, hint)
        self.text = text
        self.position = max(0, min(position, len(text)))
        self.width = max(1, width)

    def caret_lines(self) -> tuple[str, str]:
        """The input on one line and a caret line under the offending position."""
        shown, offset = _window(self.text, self.position)
        caret = " " * offset + "^" * min(self.width, max(1, len(shown) - offset))
        return shown, caret

    def render(self) -> str:
        shown, caret = self.caret_lines()
        text = f"error: {self.message}\n  {shown}\n  {caret}"
        if self.hint:
            text += f"\nhint: {self.hint}"
        return text

    def to_dict(self) -> dict:
        return {"error": self.message, "position": self.position, "input": self.text}


class LimitError(CalcError):
    """Input that is well formed but too big or too slow to work with safely."""


class ComputationTimeout(CalcError):
    """A computation that ran past its time limit."""


def _window(text: str, position: int, width: int = 76) -> tuple[str, int]:
    """A single-line slice of text around position, so long input still fits a terminal."""
    flat, position = _escaped(text, position)
    if len(flat) <= width:
        return flat, position
    start = max(0, min(position - width // 2, len(flat) - width))
    piece = flat[start : start + width]
    offset = position - start
    if start > 0:
        piece = "…" + piece[1:]
    if start + width < len(flat):
        piece = piece[:-1] + "…"
    return piece, offset


def _escaped(text: str, position: int) -> tuple[str, int]:
    """The text on one line with control characters written as escapes (``\\x1b``), so
    an input cannot move the cursor or set the terminal title; the position follows."""
    out: list[str] = []
    shifted = position
    for index, ch in enumerate(text):
        if ch in "\n\t":
            piece = " "
        elif ord(ch) < 32 or 127 <= ord(ch) < 160 or ch in "\u2028\u2029":
            piece = ch.encode("unicode_escape").decode("ascii")
        else:
            piece = ch
        if index < position:
            shifted += len(piece) - 1
        out.append(piece)
    return "".join(out), shifted
