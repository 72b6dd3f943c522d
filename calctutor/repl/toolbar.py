"""The bottom toolbar: the mode, the point from ``:at``, the output format, and key hints."""

from __future__ import annotations

KEY_HINTS = ("Tab complete", "↑ history", "Alt-Enter new line", ":help", "Ctrl-D quit")


def toolbar_text(state, ready: bool = True) -> list[tuple[str, str]]:
    """Formatted text (style, text) pairs for prompt_toolkit's ``bottom_toolbar``."""
    parts: list[tuple[str, str]] = [
        ("class:toolbar.key", " mode "), ("class:toolbar.value", f"{state.mode} "),
    ]
    if state.point:
        parts += [("class:toolbar.key", " at "), ("class:toolbar.value", f"{state.point} ")]
    if state.format != "rich":
        parts += [("class:toolbar.key", " format "), ("class:toolbar.value", f"{state.format} ")]
    names = len(state.bindings)
    if names:
        parts += [("class:toolbar.key", " names "), ("class:toolbar.value", f"{names} ")]
    if not ready:
        parts += [("class:toolbar.busy", " loading SymPy… ")]
    from calctutor.asciitext import sep

    parts += [("class:toolbar", "  " + sep().join(KEY_HINTS))]
    return parts
