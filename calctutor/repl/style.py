"""Colours for the prompt (prompt_toolkit styles), matching the renderers' meanings:
expressions cyan, functions/rules magenta, numbers yellow."""

from __future__ import annotations

#: The prompt has a foreground colour on purpose: prompt_toolkit skips trailing spaces
#: without colour when drawing, and scripts wait for the literal "> " (CLI.md).
STYLE = {
    "prompt": "bold ansigreen",
    "command": "bold ansigreen",
    "derivative": "bold ansimagenta",
    "number": "ansiyellow",
    "function": "ansimagenta",
    "constant": "ansiyellow italic",
    "name": "bold ansicyan",
    "variable": "ansicyan",
    "operator": "",
    "bracket": "bold",
    "prime": "bold ansimagenta",
    "unknown": "ansired",
    "matching-bracket.cursor": "bold bg:ansiblue ansiwhite",
    "matching-bracket.other": "bold bg:ansiblue ansiwhite",
    "bottom-toolbar": "noreverse bg:#303030 #bbbbbb",
    "toolbar.key": "bg:#303030 #888888",
    "toolbar.value": "bg:#303030 bold #ffffff",
    "toolbar.busy": "bg:#303030 #ffaf00",
    "toolbar": "bg:#303030 #888888",
}


def prompt_style(plain: bool = False):
    from prompt_toolkit.styles import Style

    if plain:
        return Style.from_dict({"prompt": "ansidefault", "bottom-toolbar": "noreverse", "matching-bracket.other": "underline",
                                "matching-bracket.cursor": "underline"})
    return Style.from_dict(STYLE)
