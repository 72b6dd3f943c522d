"""Soft wall-clock limits for symbolic work inside one process (``SIGALRM``).

:func:`time_limit` is what the engines use for their own budgets (a witness that gives
up and says "unknown", a tidy-up that is skipped). It interrupts SymPy's pure-Python
loops; the *hard* limit that also stops C-level work is the process watchdog
(:mod:`calctutor.watchdog`), which the shells put around each command, REPL line and
batch row.

One handler, a stack of deadlines: the ``SIGALRM`` handler is installed once and stays
installed while any limit is active, and the timer is always armed for the earliest
deadline still on the stack. A signal that arrives after its limit has ended (a
delivery racing the exit of a ``with`` block) finds no expired deadline and does
nothing, so a stray alarm can never kill the process after it printed its answer (the
old design restored ``SIG_DFL`` while a re-armed timer was pending: exit −14).

If the raised :class:`~calctutor.errors.ComputationTimeout` is swallowed somewhere (a
``__del__``, a broad ``except`` inside a library), the handler fires again every
:data:`REARM_SECONDS` while the expired limit is still active, so the work stops anyway.
Elsewhere (worker threads, Windows) the body runs without a soft limit.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Iterator

from calctutor.errors import ComputationTimeout

REARM_SECONDS = 0.05


class _Limit:
    __slots__ = ("deadline", "seconds", "what")

    def __init__(self, seconds: float, what: str) -> None:
        self.seconds = seconds
        self.what = what
        self.deadline = time.monotonic() + seconds


_active: list[_Limit] = []
_saved_handler = None


def _arm() -> None:
    """Arm the timer for the earliest active deadline (or disarm it)."""
    if not _active:
        signal.setitimer(signal.ITIMER_REAL, 0)
        return
    now = time.monotonic()
    left = min(limit.deadline for limit in _active) - now
    signal.setitimer(signal.ITIMER_REAL, max(left, 0.001) if left > 0 else REARM_SECONDS)


def _on_alarm(signum, frame) -> None:
    if not _active:
        return  # a late delivery after every limit ended: nothing to stop
    now = time.monotonic()
    expired = next((limit for limit in _active if limit.deadline <= now), None)
    _arm()
    if expired is not None:
        raise ComputationTimeout(message(expired.seconds, expired.what))


def message(seconds: float, what: str) -> str:
    return (f"{what} was stopped after {seconds:g} s (the time limit; "
            "try a smaller input, or raise it with --timeout)")


def usable() -> bool:
    return hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str = "the computation") -> Iterator[None]:
    """Raise ComputationTimeout if the body runs longer than ``seconds``."""
    global _saved_handler
    if seconds is None or not seconds > 0 or not usable():
        yield
        return
    limit = _Limit(seconds, what)
    if not _active:
        _saved_handler = signal.signal(signal.SIGALRM, _on_alarm)
    _active.append(limit)
    try:
        _arm()
        yield
    finally:
        # Block the alarm while the stack changes: a delivery here would otherwise raise
        # out of this block and leave the finished limit on the stack.
        blocked = _block()
        try:
            _active.remove(limit)
            _arm()
        finally:
            _unblock(blocked)
        if not _active:
            # Our handler stays installed (it ignores a late alarm with an empty stack):
            # restoring SIG_DFL could let a pending alarm kill the process. A handler of
            # someone else's is given back.
            previous, _saved_handler = _saved_handler, None
            if callable(previous) and previous is not _on_alarm:
                signal.signal(signal.SIGALRM, previous)


def _block() -> bool:
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGALRM})
        return True
    return False


def _unblock(blocked: bool) -> None:
    if blocked:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
