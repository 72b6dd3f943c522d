"""What a handler returns: a result with its renderer, or a short message.

Handlers never print. The session's printer turns replies into Rich, plain text, LaTeX or
JSON (``:format``), and the transcript keeps them for ``:save``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Show:
    """A command's result object and the renderer module that draws it
    (``calctutor.render.<name>`` with ``to_rich/to_plain/to_json/to_latex``)."""

    result: Any
    view: ModuleType
    #: keyword arguments passed to ``view.to_rich`` / ``view.to_plain`` (e.g. brief steps)
    options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Say:
    """A message. ``kind`` is "info", "ok", "note" or "error"; ``rich`` optionally builds
    a richer renderable for colour terminals (help tables)."""

    text: str
    kind: str = "info"
    rich: Callable[[], Any] | None = None


Reply = Show | Say


def say(text: str, kind: str = "info", rich: Callable[[], Any] | None = None) -> Say:
    return Say(text, kind, rich)


def show(result: Any, view: ModuleType, **options: Any) -> Show:
    return Show(result, view, tuple(sorted(options.items())))


def error(exc: BaseException) -> Say:
    """A user error (``CalcError.render()``: message, input and caret line, hint)."""
    render = getattr(exc, "render", None)
    return Say(render() if callable(render) else f"error: {exc}", "error")
