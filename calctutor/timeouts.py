"""Wall-clock limits for symbolic work, so one pathological input cannot hang a session.

Uses ``SIGALRM`` (an interval timer) when called on the main thread of a POSIX process,
which interrupts SymPy's pure-Python loops. Elsewhere (worker threads, Windows) it runs
the work without a limit rather than failing.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator

from calctutor.errors import ComputationTimeout


@contextlib.contextmanager
def time_limit(seconds: float | None, what: str = "the computation") -> Iterator[None]:
    """Raise ComputationTimeout if the body runs longer than ``seconds``."""
    usable = (
        seconds is not None
        and seconds > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    if not usable:
        yield
        return

    def _expire(signum, frame):
        # Re-arm first: if the exception lands somewhere that swallows it (a garbage
        # collector callback, a __del__), the alarm fires again shortly and stops the
        # work anyway, instead of letting it run on without a limit.
        signal.setitimer(signal.ITIMER_REAL, 0.05)
        raise ComputationTimeout(f"{what} took longer than {seconds:g} s and was stopped")

    previous_handler = signal.signal(signal.SIGALRM, _expire)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous_handler)
        if previous_timer[0] > 0:  # an outer limit was running: restore what is left
            signal.setitimer(signal.ITIMER_REAL, previous_timer[0])
