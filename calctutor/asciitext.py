"""Plain output for logs and screen readers: ASCII only, linear math, wrapped lines.

The one translation point of ``--plain`` (and ``TERM=dumb``, or the settings ``plain`` /
``unicode = false``). The shells send every character they print in plain mode through
:func:`to_ascii` (:mod:`calctutor.termio` does it in the stream under the Rich console and
for plain text), and the renderers' 2-D formulas become one line while
:func:`linear_math` is on (:func:`calctutor.render.mathtext.pretty`).

:func:`to_ascii` spells out the symbols a screen reader would read by name or skip:
``∂z/∂y`` -> ``dz/dy``, ``∇f`` -> ``grad f``, ``Σ`` -> ``sum``, ``→`` -> ``->``,
``x²`` -> ``x^2``, ``·``/``⋅``/``×`` -> ``*``, bullets -> ``-``, box drawing -> ``-|+``,
a ✓/✗ before a verdict's words is dropped (the words say it). Standard library only.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata

_LINEAR = False


def linear_math() -> bool:
    """True while output is plain: formulas are written on one line, no 2-D art."""
    return _LINEAR


def set_linear_math(on: bool) -> None:
    global _LINEAR
    _LINEAR = bool(on)


def sep() -> str:
    """The separator between the items of a status line: `` · ``, or ``; `` in plain
    output (a middle dot in running text is a product, ``*``)."""
    return "; " if _LINEAR else " · "


_SYMBOLS = {
    "∂": "d", "∇": "grad ", "Σ": "sum", "∑": "sum", "∏": "product", "∫": "integral ",
    "√": "sqrt", "∞": "oo", "π": "pi", "Δ": "Delta ", "δ": "delta ",
    "→": "->", "←": "<-", "↦": "->", "⟶": "->", "⇒": "=>", "↑": "Up", "↓": "Down",
    "↔": "<->", "⇄": "<->",
    "·": "*", "⋅": "*", "×": "*", "∗": "*", "÷": "/", "−": "-", "–": "-", "—": "-",
    "‐": "-", "‑": "-", "±": "+-", "≈": "~=", "≠": "!=", "≤": "<=", "≥": ">=",
    "…": "...", "⋯": "...", "•": "-", "◦": "-", "▪": "-", "‣": "-",
    "✓": "+", "✔": "+", "✗": "x", "✘": "x",
    "‘": "'", "’": "'", "“": '"', "”": '"', "′": "'", "″": "''",
    "█": "#", "▓": "#", "▒": "#", "░": ".", "▌": "#", "▐": "#", "▀": "#", "▄": "#",
    "\u00a0": " ", "\u2009": " ", "\u200b": "",
}
_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺⁽⁾ⁿ", "0123456789-+()n"))
_SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉₋₊", "0123456789-+"))
_SUPER_RUN = re.compile(f"[{''.join(_SUPERSCRIPT)}]+")
# a check or cross mark right before the verdict's words: the words say it already
_MARK = re.compile(r"[✓✔✗✘] +(?=[A-Za-z])")


def _one(ch: str) -> str:
    rep = _SYMBOLS.get(ch)
    if rep is not None:
        return rep
    if ch in _SUBSCRIPT:
        return _SUBSCRIPT[ch]
    code = ord(ch)
    name = unicodedata.name(ch, "")
    if 0x2500 <= code <= 0x257F:  # box drawing
        if "HORIZONTAL" in name and "VERTICAL" not in name:
            return "-"
        if "VERTICAL" in name and "HORIZONTAL" not in name:
            return "|"
        if "DIAGONAL" in name:
            return "/" if "UPPER RIGHT TO LOWER LEFT" in name else "\\"
        return "+"
    if 0x239B <= code <= 0x23B3:  # 2-D bracket pieces (⎛ ⎜ ⎝ ⎡ ⎣ ...)
        return "|" if "EXTENSION" in name else ("(" if "LEFT" in name else ")")
    if 0x2580 <= code <= 0x259F or 0x2800 <= code <= 0x28FF:  # blocks, braille dots
        return "#" if code != 0x2800 else " "
    if name.startswith("GREEK "):
        word = name.split()[-1].lower()
        return word.capitalize() if "CAPITAL" in name else word
    decomposed = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
    if decomposed:
        return decomposed
    if unicodedata.category(ch).startswith(("M", "C")):
        return ""
    return "?"


def _power(match: re.Match) -> str:
    digits = "".join(_SUPERSCRIPT[c] for c in match.group())
    return "^" + digits if digits.isdigit() or len(digits) == 1 else f"^({digits})"


def to_ascii(text: str) -> str:
    """``text`` in printable ASCII (newlines and tabs kept)."""
    if text.isascii():
        return text
    text = _MARK.sub("", text)
    text = _SUPER_RUN.sub(_power, text)
    return "".join(ch if ch.isascii() else _one(ch) for ch in text)


def wrap(text: str, width: int) -> str:
    """Lines longer than ``width`` broken at spaces (never at a minus sign), continued
    with the line's own indentation plus two spaces."""
    if width < 20:
        width = 20
    out: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width:
            out.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        more = indent + "  " if len(indent) < width // 2 else ""
        out += textwrap.wrap(line, width, subsequent_indent=more, break_on_hyphens=False,
                             break_long_words=True, replace_whitespace=False) or [""]
    return "\n".join(out)
