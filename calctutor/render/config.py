"""Renderers for :class:`calctutor.commands.config.ConfigResult`."""

from __future__ import annotations

from calctutor.commands.config import ConfigResult
from calctutor.render.mathtext import NOTE_STYLE, WRONG_STYLE
from calctutor.render.plot import plain_table, rich_table
from calctutor.settings import SETTINGS

__all__ = ["to_json", "to_plain", "to_rich"]


def _value(value) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def to_json(result: ConfigResult) -> dict:
    s = result.settings
    return {"path": str(s.path), "exists": s.path.exists(),
            "created": str(result.created) if result.created else None,
            "settings": {k: {"value": s.values[k], "source": s.sources[k]} for k in s.values},
            "problems": list(s.problems)}


def _rows(result: ConfigResult) -> list[list[str]]:
    s = result.settings
    return [[st.key, _value(s.values[st.key]), s.sources[st.key], st.help] for st in SETTINGS]


def _head(result: ConfigResult) -> list[str]:
    s = result.settings
    lines = []
    if result.created:
        lines.append(f"wrote {result.created}: every key at its default, ready to edit")
    state = "" if s.path.exists() else " (not there yet: calctutor config --init writes one)"
    lines.append(f"settings file: {s.path}{state}")
    return lines


def to_plain(result: ConfigResult) -> str:
    lines = _head(result) + [""]
    lines += plain_table(["key", "value", "from", "what it does"], _rows(result))
    lines += [f"problem: {p}" for p in result.settings.problems]
    return "\n".join(lines)


def to_rich(result: ConfigResult):
    from rich.console import Group
    from rich.text import Text

    parts = [Text(line, style=NOTE_STYLE) for line in _head(result)]
    parts.append(rich_table(None, ["key", "value", "from", "what it does"], _rows(result),
                            justify=["left", "left", "left", "left"], keep=(0, 1)))
    parts += [Text(f"problem: {p}", style=WRONG_STYLE) for p in result.settings.problems]
    return Group(*parts)
