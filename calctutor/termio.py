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


def wants_plain(plain: bool) -> bool:
    return plain or bool(os.environ.get("NO_COLOR"))


class _AsciiStream:
    """A text stream that reports an ASCII encoding, so Rich draws boxes and rules in
    ASCII (+--+) for --plain, while the text itself still goes to the real stream."""

    encoding = "ascii"

    def __init__(self, stream) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        return self._stream.write(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        return self._stream.fileno()


def console(plain: bool = False, stderr: bool = False):
    """A Rich console honouring --plain / NO_COLOR (ASCII boxes, no colour)."""
    from rich.console import Console

    plain = wants_plain(plain)
    stream = sys.stderr if stderr else sys.stdout
    return Console(
        file=_AsciiStream(stream) if plain else None,
        stderr=stderr,
        no_color=plain,
        highlight=False,
        emoji=False,
        safe_box=True,
        force_terminal=None,
        color_system=None if plain else "auto",
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
