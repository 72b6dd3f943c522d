"""The REPL loop: read a line, hand it to :func:`calctutor.repl.handlers.handle_line`,
print the replies. Everything else lives in its own module (completer, lexer, keys,
toolbar, history, transcript, handlers).

Start-up: the prompt appears before SymPy is imported. Once the first prompt has been
drawn, a daemon thread imports SymPy, the parser, the commands and Rich (:class:`Warmup`);
the first evaluation waits for it.

The time limit: on a real terminal each line is computed in a forked worker
(:func:`calctutor.watchdog.call`) that is killed when the budget (``--timeout``,
``CALCTUTOR_TIMEOUT``) runs out; only its replies and the learner's updated names come
back, so a killed line leaves the session and its history as they were. A line whose
replies cannot cross the pipe (help tables built by a function) is run again here under
the alarm limit, as are all lines in tests (pipe input). ``:lesson`` runs here without a
per-line limit: a learner reading a page must not be cut off (the lesson limits its own
computations). Ctrl-C stops the computation and the prompt comes back.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from prompt_toolkit import PromptSession, print_formatted_text
from prompt_toolkit.auto_suggest import AutoSuggestFromHistory
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.history import FileHistory, History, InMemoryHistory
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.layout.processors import HighlightMatchingBracketProcessor
from prompt_toolkit.output import ColorDepth

from calctutor import __version__
from calctutor.errors import CalcError
from calctutor.repl import handlers
from calctutor.repl.completer import ReplCompleter
from calctutor.repl.keys import key_bindings
from calctutor.repl.lexer import ExpressionLexer
from calctutor.repl.registry import REGISTRY
from calctutor.repl.replies import error, say
from calctutor.repl.state import Context, ReplState
from calctutor.repl.style import prompt_style
from calctutor.repl.toolbar import toolbar_text
from calctutor.repl.transcript import Printer, Transcript

PROMPT = "calctutor> "
#: wall-clock limit for one input line, or None for the watchdog's budget (--timeout)
LINE_TIME_LIMIT: float | None = None
#: what a worker sends back when its replies cannot be pickled: run the line here instead
_NOT_TRANSFERABLE = "not transferable"
BANNER = (f"calctutor {__version__}", "type a function (3x^2 sin x) to see its derivative",
          ":help", "Ctrl-D leaves")
WARM_MODULES = (
    "sympy", "calctutor.parsing", "calctutor.commands.parse", "calctutor.render.parse",
    "calctutor.points", "calctutor.timeouts", "rich.console", "rich.text", "rich.table",
    "rich.panel", "rich.tree", "rich.markdown",
    "calctutor.commands.diff", "calctutor.render.diff",
)


class Warmup:
    """Imports the heavy modules in a daemon thread; :meth:`wait` blocks until done."""

    def __init__(self, modules=WARM_MODULES, on_done=None) -> None:
        self.modules = modules
        self.on_done = on_done
        self._thread: threading.Thread | None = None
        self._done = threading.Event()

    @property
    def ready(self) -> bool:
        return self._done.is_set()

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="calctutor-warmup",
                                            daemon=True)
            self._thread.start()

    def _run(self) -> None:
        import importlib

        try:
            for name in self.modules:
                try:
                    importlib.import_module(name)
                except ImportError:
                    pass  # an optional command not installed yet: used on demand
        finally:
            self._done.set()
            if self.on_done is not None:
                self.on_done()

    def wait(self) -> None:
        self.start()
        while not self._done.wait(0.05):  # short waits keep Ctrl-C responsive
            pass


class SafeFileHistory(FileHistory):
    """A FileHistory that reports a broken or unwritable file once and carries on in
    memory instead of ending the session."""

    def __init__(self, filename: Path, report) -> None:
        super().__init__(str(filename))
        self._report = report
        self._broken = False

    def _fail(self, action: str, exc: BaseException) -> None:
        if not self._broken:
            self._broken = True
            reason = getattr(exc, "strerror", None) or str(exc)
            self._report(f"history: cannot {action} {self.filename} ({reason}); "
                         "this session's history is kept in memory only")

    def load_history_strings(self):
        try:
            return list(super().load_history_strings())
        except (OSError, ValueError) as exc:
            self._fail("read", exc)
            return []

    def store_string(self, string: str) -> None:
        if self._broken:
            return
        try:
            super().store_string(string)
        except OSError as exc:
            self._fail("write to", exc)


def open_history(enabled: bool, report) -> History:
    """The persistent history in the data directory, or an in-memory one (reported)."""
    if not enabled:
        return InMemoryHistory()
    from calctutor.paths import ensure_data_dir

    path = None
    try:
        path = ensure_data_dir() / "repl_history"
        with open(path, "ab"):
            pass
        with open(path, "rb") as handle:
            handle.read(1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = path or "the data directory"
        report(f"history: cannot use {where} ({reason}); this session's history is kept "
               "in memory only")
        return InMemoryHistory()
    return SafeFileHistory(path, report)


class Repl:
    """One interactive session. ``input``/``output`` are prompt_toolkit objects (tests
    pass a pipe input and ``DummyOutput``); ``console`` is the Rich console for results."""

    def __init__(self, *, plain: bool = False, history: bool = True, input=None, output=None,
                 console=None, watch: bool | None = None, piped=None) -> None:
        from prompt_toolkit.enums import EditingMode

        from calctutor import watchdog
        from calctutor.asciitext import set_linear_math
        from calctutor.termio import setting, wants_plain

        self.plain = wants_plain(plain)
        set_linear_math(self.plain)
        #: compute lines in a killable worker (real terminals; tests inject pipes)
        self.watch = (input is None and output is None and console is None
                      and watchdog.can_fork()) if watch is None else watch
        #: lines from a pipe or file (a text stream), not a terminal: read them plainly,
        #: echoed after the prompt, with no line editor drawing on a screen that isn't there
        self.piped = piped
        if piped is not None and input is None:
            from prompt_toolkit.input import DummyInput

            input = DummyInput()
        self.ctx = Context(state=ReplState(format="plain" if self.plain else "rich",
                                           mode=setting("steps")),
                           registry=REGISTRY, transcript=Transcript(prompt=PROMPT))
        self.reported: list[str] = []
        self._console = console
        self.printer: Printer | None = None
        self.session = PromptSession(
            message=FormattedText([("class:prompt", PROMPT)]),
            history=open_history(history, self.report),
            auto_suggest=AutoSuggestFromHistory(),
            completer=ReplCompleter(self.ctx),
            complete_while_typing=False,
            lexer=ExpressionLexer(self.ctx.state.names),
            style=prompt_style(self.plain),
            include_default_pygments_style=False,
            multiline=True,
            key_bindings=merge_key_bindings([key_bindings(), _terminal_safe_bindings()]),
            prompt_continuation=lambda width, line, wrap: ("... " if self.plain else "… ").rjust(width),
            bottom_toolbar=lambda: self._plain_parts(toolbar_text(self.ctx.state, self.warmup.ready)),
            input_processors=[HighlightMatchingBracketProcessor(chars="[](){}")],
            color_depth=ColorDepth.MONOCHROME if self.plain else None,
            input=input,
            output=output,
            reserve_space_for_menu=4,
            editing_mode=EditingMode.VI if setting("repl_keys") == "vi" else EditingMode.EMACS,
        )
        self.ctx.make_io = self._lesson_io
        self.warmup = Warmup(on_done=self.session.app.invalidate)
        self.session.app.after_render += self._start_warmup

    # ── output ──────────────────────────────────────────────────────────────────────
    def report(self, message: str) -> None:
        """A warning shown once, before the next prompt."""
        self.reported.append(message)
        self.ctx.notices.append(message)

    def _write(self, text: str, style: str = "") -> None:
        """Light output (banner, notices) through prompt_toolkit: no Rich needed yet."""
        if self.plain:
            from calctutor.termio import plain_text

            text = plain_text(text)
        print_formatted_text(FormattedText([(style, text)]), output=self.session.output,
                             style=self.session.style)

    def _plain_parts(self, parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Formatted text in ASCII when the session is plain (the toolbar)."""
        if not self.plain:
            return parts
        from calctutor.asciitext import to_ascii

        return [(style, to_ascii(text)) for style, text in parts]

    def _printer(self) -> Printer:
        if self.printer is None:
            if self._console is None:
                from calctutor.termio import console

                self._console = console(self.plain)
            self.ctx.transcript.width = max(60, min(self._console.width, 160))
            self.printer = Printer(self._console, self.ctx.transcript, self.ctx.state)
        return self.printer

    def _lesson_io(self):
        """A lesson's input/output on this session's terminal (or test pipe)."""
        from calctutor.termio import StreamIO, TerminalIO

        if self.piped is not None:
            return StreamIO(self.piped, self._printer().console)

        session = PromptSession(input=self.session.input, output=self.session.output)
        return TerminalIO(self._printer().console, session)

    def _start_warmup(self, _app) -> None:
        self.session.app.after_render -= self._start_warmup
        self.warmup.start()

    # ── the loop ─────────────────────────────────────────────────────────────────────
    def run(self, banner: bool = True) -> int:
        if banner:
            from calctutor.asciitext import sep

            self._write(sep().join(BANNER), "" if self.plain else "ansibrightblack")
        while not self.ctx.quit:
            for notice in self.ctx.notices:
                self._write(notice, "" if self.plain else "ansiyellow")
            self.ctx.notices.clear()
            try:
                text = self._next_line()
            except KeyboardInterrupt:
                continue  # Ctrl-C: the line is dropped, a fresh prompt comes back
            except EOFError:
                break  # Ctrl-D on an empty line
            if text.strip():
                self.evaluate(text)
        return 0

    def _next_line(self) -> str:
        if self.piped is None:
            return self.session.prompt()
        line = self.piped.readline()
        if not line:
            raise EOFError
        line = line.rstrip("\r\n")
        self._write(PROMPT + line)
        return line

    def evaluate(self, text: str) -> None:
        """Run one input line and print its replies; never raises for user input."""
        try:
            self.warmup.wait()
            printer = self._printer()
            printer.echo_input(text)
            for reply in self._replies(text):
                printer.print(reply)
        except KeyboardInterrupt:
            self._safe_print(say("cancelled", "note"))
        except CalcError as exc:  # the time limit, raised outside a handler
            self._safe_print(error(exc))
        except Exception as exc:  # noqa: BLE001 - a bug must not end the learner's session
            self._safe_print(say(f"internal error: {type(exc).__name__}: {exc}\n"
                                 "this is a bug in calctutor, not in your input; "
                                 "the session goes on", "error"))

    def _replies(self, text: str) -> list:
        """The line's replies: under the per-line limit, except for a lesson."""
        from calctutor import watchdog
        from calctutor.timeouts import time_limit

        if _runs_lesson(text):
            return handlers.handle_line(self.ctx, text)
        seconds = LINE_TIME_LIMIT or watchdog.budget()
        if self.watch:
            outcome = watchdog.call(_line_in_worker, self.ctx, text, seconds=seconds,
                                    what="this computation")
            if outcome != _NOT_TRANSFERABLE:
                replies, state, quit_, notices = outcome
                # in place: the lexer and completer hold the state object itself
                self.ctx.state.__dict__.update(state.__dict__)
                self.ctx.quit = self.ctx.quit or quit_
                self.ctx.notices.extend(notices)
                return replies
        with time_limit(seconds, "this computation"):
            return handlers.handle_line(self.ctx, text)

    def _safe_print(self, reply) -> None:
        try:
            self._printer().print(reply)
        except Exception:  # noqa: BLE001
            sys.stderr.write(reply.text + "\n")


def _terminal_safe_bindings() -> KeyBindings:
    """prompt_toolkit's mouse-event handler, made safe: a typed or pasted escape sequence
    that only looks like a mouse report (``ESC [ 3 1 m``) used to raise inside the event
    loop and leave the session waiting for "Press ENTER" forever; now it is dropped."""
    from prompt_toolkit.key_binding.bindings.mouse import load_mouse_bindings
    from prompt_toolkit.keys import Keys

    originals = [b.handler for b in load_mouse_bindings().bindings
                 if b.keys == (Keys.Vt100MouseEvent,)]
    kb = KeyBindings()

    @kb.add(Keys.Vt100MouseEvent)
    def _mouse(event):
        try:
            for handler in originals:
                return handler(event)
        except (ValueError, IndexError, TypeError, KeyError):
            return None
        return None

    return kb


def _runs_lesson(text: str) -> bool:
    from calctutor.repl import input_forms

    try:
        statements = input_forms.split_statements(text)
    except Exception:  # noqa: BLE001 - a line that does not split is not a lesson
        return False
    return any(s.strip().split(maxsplit=1)[:1] == [":lesson"] for s in statements)


def _line_in_worker(ctx: Context, text: str):
    """In the worker: the line's replies and what it changed, if they can cross a pipe."""
    import pickle

    notices_before = len(ctx.notices)
    replies = handlers.handle_line(ctx, text)
    outcome = (replies, ctx.state, ctx.quit, ctx.notices[notices_before:])
    try:
        pickle.loads(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - e.g. a help table built by a function
        return _NOT_TRANSFERABLE
    return outcome


def main(plain: bool = False, history: bool = True) -> int:
    """Entry point used by ``calctutor repl``: a line editor on a terminal, plain line
    reading when the input is a pipe or a file."""
    piped = None if _is_terminal(sys.stdin) else sys.stdin
    return Repl(plain=plain, history=history, piped=piped).run()


def _is_terminal(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):
        return False
