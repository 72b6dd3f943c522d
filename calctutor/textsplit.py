"""Splitting text at separators outside brackets: one function for every caller.

Programs split at ``;`` and newlines (``y = max(x, 0); z = y^2``), points and output
lists at commas (``x=1,y=2``, ``x^2, sin(x y)``). Commas and semicolons inside a call
or a bracket stay put. Import-light on purpose: the REPL uses it before SymPy loads.
"""

from __future__ import annotations

_OPEN, _CLOSE = "([{", ")]}"


def spans(text: str, separators: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank piece between top-level separators."""
    pieces: list[tuple[int, int]] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch in separators and depth <= 0:
            if text[start:i].strip():
                pieces.append((start, i))
            start = i + 1
    if text[start:].strip():
        pieces.append((start, len(text)))
    return pieces


def split(text: str, separators: str = ",") -> list[str]:
    """The non-blank pieces between top-level separators, stripped."""
    return [text[a:b].strip() for a, b in spans(text, separators)]


def has_empty_piece(text: str, separators: str = ",") -> bool:
    """True if two separators (or a separator and an end) have nothing between them."""
    depth, last = 0, -1
    for i, ch in enumerate(text):
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth -= 1
        elif ch in separators and depth <= 0:
            if not text[last + 1 : i].strip():
                return True
            last = i
    return not text[last + 1 :].strip()


def looks_like_program(text: str) -> bool:
    """True for ``y = ...; z = ...`` programs (a ``=``, a ``;`` or several lines)."""
    return ";" in text or "=" in text or "\n" in text.strip()
