"""How commands print: Rich, plain text, LaTeX or JSON, and how errors become exit codes.

Rendering modules (``calctutor/render/*.py``) provide ``to_rich``, ``to_plain``,
``to_json`` and, where it makes sense, ``to_latex``; this module picks one. Errors a user
can cause (:class:`calctutor.errors.CalcError`) print a clean message on stderr and exit 2;
nothing the user types produces a traceback.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from types import ModuleType
from typing import Any

import typer

from calctutor.errors import CalcError
from calctutor.termio import console, dump_json, wants_plain  # noqa: F401 - the shells' IO


def read_expression(text: str) -> str:
    """The expression argument, or standard input when it is ``-``."""
    if text == "-":
        data = sys.stdin.read()
        return data.strip()
    return text


#: Where :func:`emit` hands results instead of printing them (see :func:`captured`).
_SINK: list | None = None


@contextlib.contextmanager
def captured() -> Iterator[list]:
    """Collect ``(result, view)`` pairs instead of printing: how the Python API and the
    notebook magics run the very same command functions and display the result richly."""
    global _SINK
    previous, _SINK = _SINK, []
    try:
        yield _SINK
    finally:
        _SINK = previous


def emit(result: Any, view: ModuleType, *, as_json: bool = False, plain: bool = False,
         latex: bool = False) -> None:
    """Print ``result`` with the renderer module ``view`` in the requested format."""
    if _SINK is not None:
        _SINK.append((result, view))
        return
    if as_json:
        sys.stdout.write(dump_json(view.to_json(result)) + "\n")
        return
    if latex:
        sys.stdout.write(view.to_latex(result) + "\n")
        return
    if wants_plain(plain):
        from calctutor.asciitext import set_linear_math
        from calctutor.termio import plain_text

        set_linear_math(True)
        sys.stdout.write(plain_text(view.to_plain(result).rstrip("\n")) + "\n")
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
