"""The terminal input/output every shell shares: the Rich console (honouring --plain and
NO_COLOR), JSON output, and line input for interactive sessions.

- :func:`console` — a Rich console; ``plain`` draws ASCII boxes and no colour;
- :class:`TerminalIO` — prompt_toolkit input (the REPL passes its own session), Ctrl-C
  clears the line, Ctrl-D ends;
- :class:`StreamIO` — answers read line by line from a pipe, echoed after the prompt;
- :func:`default_io` — the one of the two that fits the current terminal.

The CLI, the REPL and the lesson tutor (:mod:`calctutor.tutor`) all print and ask
through here. Import-light: Rich and prompt_toolkit load only when used.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any, Protocol


_REPORTED_SETTINGS = False


def user_settings():
    """The learner's settings (:func:`calctutor.settings.current`); their problems (a bad
    file, a bad key) are printed once per process on stderr, and never stop anything."""
    global _REPORTED_SETTINGS
    from calctutor.settings import current

    try:
        settings = current()
    except Exception as exc:  # noqa: BLE001 - settings must never stop the program
        settings = None
        problems = [f"the settings cannot be read ({exc}); using the defaults"]
    else:
        problems = list(settings.problems)
    if problems and not _REPORTED_SETTINGS:
        _REPORTED_SETTINGS = True
        try:
            for problem in problems:
                sys.stderr.write(f"calctutor: settings: {problem}\n")
            sys.stderr.flush()
        except (OSError, ValueError):
            pass
    return settings


def setting(key: str):
    """One effective setting (its default when the settings cannot be read)."""
    settings = user_settings()
    if settings is not None:
        return settings[key]
    from calctutor.settings import BY_KEY

    return BY_KEY[key].default


def wants_plain(plain: bool = False) -> bool:
    """ASCII-only, linear, wrapped output: ``--plain``, ``TERM=dumb``, or the settings
    ``plain = true`` / ``unicode = false``. (``NO_COLOR`` removes colour only.)"""
    if plain or os.environ.get("TERM") == "dumb":
        return True
    settings = user_settings()
    return bool(settings is not None and settings.ascii_only)


def wants_colour() -> bool | None:
    """False: no colour (``NO_COLOR``, or ``colour = "never"``); True: always
    (``colour = "always"``); None: when the output is a terminal."""
    if os.environ.get("NO_COLOR"):
        return False
    settings = user_settings()
    choice = settings["colour"] if settings is not None else "auto"
    return {"never": False, "always": True}.get(choice)


def width() -> int:
    """The terminal's width (``COLUMNS`` when set), for wrapping plain text."""
    import shutil

    return max(20, shutil.get_terminal_size((80, 24)).columns)


def plain_text(text: str) -> str:
    """``text`` as plain mode prints it: ASCII, wrapped to the terminal width."""
    from calctutor.asciitext import to_ascii, wrap

    return wrap(to_ascii(text), width())


class _AsciiStream:
    """A text stream that reports an ASCII encoding, so Rich draws boxes and rules in
    ASCII (+--+) for --plain, and turns every other symbol into ASCII words and signs
    (:func:`calctutor.asciitext.to_ascii`) on its way to the real stream."""

    encoding = "ascii"

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from calctutor.asciitext import to_ascii

        return self._stream.write(to_ascii(text))

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._stream.fileno()


def asciify(renderable):
    """A copy of a Rich renderable with its text in ASCII (:func:`to_ascii`), made before
    Rich lays it out, so that ``->`` for ``→`` is measured and wrapped like the rest.
    Plain output has no styles, so Text keeps only its layout settings. A renderable of
    another kind is returned as it is (the stream still turns it into ASCII)."""
    import copy

    from rich.console import Group
    from rich.markdown import Markdown
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    from calctutor.asciitext import to_ascii

    if isinstance(renderable, str):
        return to_ascii(renderable)
    if isinstance(renderable, Text):  # "…" is added after layout: fold instead
        overflow = "fold" if renderable.overflow in (None, "ellipsis") else renderable.overflow
        return Text(to_ascii(renderable.plain), justify=renderable.justify,
                    overflow=overflow, no_wrap=renderable.no_wrap,
                    end=renderable.end, tab_size=renderable.tab_size)
    if isinstance(renderable, Markdown):
        return Markdown(to_ascii(renderable.markup), justify=renderable.justify,
                        hyperlinks=renderable.hyperlinks)
    if isinstance(renderable, Group):
        return Group(*(asciify(r) for r in renderable.renderables), fit=renderable.fit)
    out = copy.copy(renderable)
    if isinstance(renderable, Panel):
        out.renderable = asciify(renderable.renderable)
        out.title = asciify(renderable.title) if renderable.title is not None else None
        out.subtitle = asciify(renderable.subtitle) if renderable.subtitle is not None else None
    elif isinstance(renderable, Padding):
        out.renderable = asciify(renderable.renderable)
    elif isinstance(renderable, Tree):
        out.label = asciify(renderable.label)
        out.children = [asciify(child) for child in renderable.children]
    elif isinstance(renderable, Table):
        out.columns = []
        for column in renderable.columns:
            column = copy.copy(column)
            column.overflow = "fold" if column.overflow == "ellipsis" else column.overflow
            column.header = asciify(column.header)
            column.footer = asciify(column.footer)
            column._cells = [asciify(cell) for cell in column._cells]
            out.columns.append(column)
        out.title = asciify(renderable.title) if renderable.title is not None else None
        out.caption = asciify(renderable.caption) if renderable.caption is not None else None
    return out


def _plain_console_class():
    from rich.console import Console

    class PlainConsole(Console):
        """Prints every renderable in ASCII, laid out after the translation."""

        def print(self, *objects, **kwargs) -> None:  # noqa: A003 - Rich's name
            super().print(*(asciify(o) for o in objects), **kwargs)

    return PlainConsole


def console(plain: bool = False, stderr: bool = False):
    """A Rich console honouring --plain (ASCII only, linear math, wrapped to the terminal
    width, no colour) and NO_COLOR / the ``colour`` setting (no colour, Unicode kept)."""
    from rich.console import Console

    from calctutor.asciitext import set_linear_math

    plain = wants_plain(plain)
    if not stderr:
        set_linear_math(plain)
    colour = False if plain else wants_colour()
    stream = sys.stderr if stderr else sys.stdout
    return (_plain_console_class() if plain else Console)(
        file=_AsciiStream(stream) if plain else None,
        stderr=stderr,
        width=width() if plain else None,
        no_color=colour is False,
        highlight=False,
        emoji=False,
        safe_box=True,
        force_terminal=True if colour else None,
        color_system=None if colour is False else "auto",
    )


#: The same function, for parameters called ``console`` that would hide it.
make_console = console


def dump_json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=False, default=_json_default)


def _json_default(value: Any):
    try:
        return float(value)
    except Exception:  # noqa: BLE001 - last resort for exotic numbers
        return str(value)


# ── words that are commands, never answers ─────────────────────────────────────────
#: Words a learner types at a lesson's answer prompt, and the action each one means.
LESSON_WORDS: dict[str, str] = {
    "hint": "hint", "idk": "hint",
    "skip": "skip", "next": "skip",
    "solution": "solution",
    "help": "help", "?": "help",
    "quit": "quit", "q": "quit", ":q": "quit", "exit": "quit",
    "working": "working", "steps": "working",  # a multi-line working, one step per line
}
#: Words that are commands of some shell (the REPL, a lesson's page prompt). Typed where
#: they mean nothing they are an error, never an expression: "clear" is not c·l·e·a·r.
COMMAND_WORDS: frozenset[str] = frozenset(LESSON_WORDS) | {
    "clear", "back", "exercises", "reset", "undo", "menu", "stop", "done",
}


def command_word(text: str) -> str | None:
    """The command word ``text`` is (lower-cased), or None when it is something else."""
    word = text.strip().lower()
    return word if word in COMMAND_WORDS else None


# ── line input for interactive sessions ────────────────────────────────────────────
class SessionIO(Protocol):
    """What an interactive session prints to and asks with."""

    console: Any  # a rich.console.Console
    interactive: bool

    def ask(self, prompt: str) -> str | None: ...


class TerminalIO:
    """prompt_toolkit input (history, editing); Ctrl-C clears the line, Ctrl-D quits."""

    interactive = True

    def __init__(self, console=None, session=None) -> None:
        from prompt_toolkit import PromptSession

        self.console = console if console is not None else make_console()
        self.session = session if session is not None else PromptSession()

    def ask(self, prompt: str) -> str | None:
        from prompt_toolkit.formatted_text import FormattedText

        try:
            # A coloured prompt: prompt_toolkit writes a trailing space only when it has a
            # colour (a plain one it skips with a cursor move), and scripts wait for "> ".
            return self.session.prompt(FormattedText([("ansicyan bold", prompt)]))
        except KeyboardInterrupt:
            return ""
        except EOFError:
            return None


class StreamIO:
    """Answers read line by line from a stream (a pipe or a file); the answer is echoed
    after the prompt so that a transcript reads like the terminal session."""

    interactive = False

    def __init__(self, stream=None, console=None) -> None:
        self.stream = stream if stream is not None else sys.stdin
        self.console = console if console is not None else make_console()

    def ask(self, prompt: str) -> str | None:
        line = self.stream.readline()
        out = self.console.file
        if not line:
            out.write(prompt + "\n")
            out.flush()
            return None
        line = line.rstrip("\r\n")
        out.write(prompt + line + "\n")
        out.flush()
        return line


def default_io(plain: bool = False) -> SessionIO:
    """A prompt_toolkit session on a terminal, line-by-line reading from a pipe."""
    shown = make_console(plain)
    if sys.stdin.isatty() and sys.stdout.isatty():
        return TerminalIO(shown)
    return StreamIO(sys.stdin, shown)
