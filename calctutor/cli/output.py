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
def guarded(as_json: bool = False, *, watch: bool = True,
            what: str = "the command") -> Iterator[None]:
    """The shell boundary: run a command body so that nothing escapes as a traceback.

    With ``watch`` (every one-shot command; not the interactive ones) the body runs under
    the watchdog's hard time limit (:mod:`calctutor.watchdog`): in a forked child when the
    real stdout is ours, else in-process under the alarm limit. Errors become one line:
    user errors (:class:`CalcError`) exit 2, Ctrl-C 130, a bug exits
    :data:`INTERNAL_ERROR_EXIT` with a "please report" line and the traceback in the log
    file in the data directory. With ``as_json`` the error is also a JSON document.
    """
    from calctutor import watchdog

    limit = None
    child = False
    if watch and not watchdog.in_worker():
        if watchdog.can_supervise():
            # SymPy is imported before the fork, so the budget is the command's own work
            # (forking after the import is copy-on-write: a few ms).
            import sympy  # noqa: F401

            try:
                code = watchdog.supervise()
            except watchdog.Stopped as stop:
                _fail(as_json, watchdog.stopped_message(stop.seconds, what))
                raise typer.Exit(2) from None
            except watchdog.WorkerDied as died:
                _fail(as_json, f"{what} was ended by the system (signal {-died.code}); "
                      "it may have needed too much memory")
                raise typer.Exit(INTERNAL_ERROR_EXIT) from None
            if code is not None:  # the parent: the child did the work and printed it
                raise typer.Exit(code)
            child = True
        else:
            limit = watchdog.budget()
    _tolerant_streams()
    code = 0
    try:
        if limit is None:
            yield
        else:
            from calctutor.timeouts import time_limit

            with time_limit(limit, what):
                yield
    except CalcError as exc:
        if as_json:
            _write_safely(sys.stdout, dump_json(_error_document(exc)) + "\n")
        _write_safely(sys.stderr, exc.render() + "\n")
        code = exc.exit_code
    except KeyboardInterrupt:
        _write_safely(sys.stderr, "interrupted\n")
        code = 130
    except BaseException as exc:  # noqa: BLE001 - the boundary: no traceback, ever
        if _is_click(exc) or isinstance(exc, SystemExit):
            if not child:
                raise
            code = _click_exit(exc)
        else:
            message, code = describe_exception(exc)
            _fail(as_json, message)
    if child:
        watchdog.finish_child(code)  # the child ends here, without Typer's clean-up
    if code:
        raise typer.Exit(code)


def _click_exit(exc: BaseException) -> int:
    if isinstance(exc, SystemExit):
        return exc.code if isinstance(exc.code, int) else 1
    if isinstance(exc, typer.Exit):
        return exc.exit_code
    show = getattr(exc, "show", None)
    if callable(show):
        try:
            show()
        except Exception:  # noqa: BLE001
            pass
    return int(getattr(exc, "exit_code", 1) or 0) if not isinstance(exc, typer.Abort) else 1


def _tolerant_streams() -> None:
    """Under an ASCII (or other non-UTF) locale, characters the stream cannot encode are
    written as escapes instead of raising in the middle of an answer."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)
        if encoding and not encoding.startswith("utf") and callable(reconfigure):
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):
                pass


INTERNAL_ERROR_EXIT = 3  # a bug in calctutor (not the input): "please report"
LOG_NAME = "errors.log"


def _is_click(exc: BaseException) -> bool:
    """Typer's (vendored Click's) Exit, Abort and usage errors: they pass the boundary."""
    return any(cls.__name__ in ("ClickException", "Exit", "Abort")
               and cls.__module__.startswith(("typer", "click"))
               for cls in type(exc).__mro__)


def _fail(as_json: bool, message: str) -> None:
    if as_json:
        _write_safely(sys.stdout, dump_json({"error": message}) + "\n")
    _write_safely(sys.stderr, f"error: {message}\n")


def _write_safely(stream, text: str) -> None:
    """Write even where the stream's encoding cannot show every character (ASCII locale)."""
    try:
        stream.write(text)
    except UnicodeEncodeError:
        encoding = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    except (OSError, ValueError):
        return
    try:
        stream.flush()
    except (OSError, ValueError):
        pass


def describe_exception(exc: BaseException) -> tuple[str, int]:
    """One line and an exit code for an exception that is not a :class:`CalcError`:
    the too-big and too-deep cases are the input's (2); anything else is a bug (3), logged."""
    if isinstance(exc, RecursionError):
        return "the expression is too deeply nested to work with", 2
    if isinstance(exc, MemoryError):
        return "the computation needed more memory than allowed and was stopped", 2
    if isinstance(exc, OverflowError):
        return "a number in this computation is too large to work with", 2
    log = log_exception(exc)
    where = f"; details in {log}" if log else ""
    return (f"internal error ({type(exc).__name__}); this is a bug in calctutor, not in "
            f"your input: please report it{where}"), INTERNAL_ERROR_EXIT


def log_exception(exc: BaseException, context: str = "") -> str | None:
    """Append the traceback to the log file in the data directory; its path, or None."""
    import datetime
    import traceback

    try:
        from calctutor.paths import ensure_data_dir

        path = ensure_data_dir() / LOG_NAME
        stamp = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
        text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
        args = " ".join(sys.argv[1:])
        with open(path, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(f"--- {stamp} calctutor {args}{' · ' + context if context else ''}\n"
                         f"{text}\n")
        return str(path)
    except Exception:  # noqa: BLE001 - a log that cannot be written must not add an error
        return None


def _error_document(exc: CalcError) -> dict:
    doc = {"error": exc.message}
    position = getattr(exc, "position", None)
    if position is not None:
        doc["position"] = position
    return doc


def usage_error_as_json(exc: BaseException) -> int:
    """A usage error raised by Typer/Click outside any command body: the JSON error
    document on stdout, the usual message on stderr; the exit code."""
    if not _is_click(exc):
        message, code = describe_exception(exc)
        _fail(True, message)
        return code
    if type(exc).__name__ == "Abort":
        _fail(True, "aborted")
        return 1
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    _write_safely(sys.stdout, dump_json({"error": message}) + "\n")
    show = getattr(exc, "show", None)
    if callable(show):
        try:
            show()
        except Exception:  # noqa: BLE001
            _write_safely(sys.stderr, f"error: {message}\n")
    return int(getattr(exc, "exit_code", 2) or 2)
