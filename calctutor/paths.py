"""Where the learner's data lives: history, settings, the progress database, lessons' state.

``CALCTUTOR_HOME`` wins when it is set (tests and graders set it); otherwise the
platform's user data directory (``~/.local/share/calctutor`` on Linux). Nothing here
creates the directory: callers that write call :func:`ensure_data_dir` and handle the
``OSError`` it may raise (a read-only home must not crash a session).
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "calctutor"
HOME_VARIABLE = "CALCTUTOR_HOME"


def data_dir() -> Path:
    """The directory for the learner's data (may not exist yet)."""
    override = os.environ.get(HOME_VARIABLE)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir  # imported only when needed (start-up time)

    return Path(user_data_dir(APP_NAME, appauthor=False))


def ensure_data_dir() -> Path:
    """The data directory, created if missing; raises ``OSError`` if that is impossible."""
    path = data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path


def history_file() -> Path:
    """The REPL's input history (prompt_toolkit ``FileHistory`` format)."""
    return data_dir() / "repl_history"
