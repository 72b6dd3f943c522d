"""How commands print: Rich, plain text, LaTeX or JSON, and how errors become exit codes.

Rendering modules (``calctutor/render/*.py``) provide ``to_rich``, ``to_plain``,
``to_json`` and, where it makes sense, ``to_latex``; this module picks one. Errors a user
can cause (:class:`calctutor.errors.CalcError`) print a clean message on stderr and exit 2;
nothing the user types produces a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import typer

from calctutor.errors import CalcError


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


def read_expression(text: str) -> str:
    """The expression argument, or standard input when it is ``-``."""
    if text == "-":
        data = sys.stdin.read()
        return data.strip()
    return text


def dump_json(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, allow_nan=False, default=_json_default)


def _json_default(value: Any):
    try:
        return float(value)
    except Exception:  # noqa: BLE001 - last resort for exotic numbers
        return str(value)


def emit(result: Any, view: ModuleType, *, as_json: bool = False, plain: bool = False,
         latex: bool = False) -> None:
    """Print ``result`` with the renderer module ``view`` in the requested format."""
    if as_json:
        sys.stdout.write(dump_json(view.to_json(result)) + "\n")
        return
    if latex:
        sys.stdout.write(view.to_latex(result) + "\n")
        return
    if wants_plain(plain):
        sys.stdout.write(view.to_plain(result).rstrip("\n") + "\n")
        return
    console().print(view.to_rich(result))


@contextlib.contextmanager
def guarded(as_json: bool = False) -> Iterator[None]:
    """Turn user errors into a one-line message and exit code 2; Ctrl-C into exit 130."""
    try:
        yield
    except CalcError as exc:
        if as_json:
            sys.stdout.write(dump_json(_error_document(exc)) + "\n")
        sys.stderr.write(exc.render() + "\n")
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(130) from None
    except RecursionError:
        sys.stderr.write("error: the expression is too deeply nested to work with\n")
        raise typer.Exit(2) from None


def _error_document(exc: CalcError) -> dict:
    doc = {"error": exc.message}
    position = getattr(exc, "position", None)
    if position is not None:
        doc["position"] = position
    return doc
