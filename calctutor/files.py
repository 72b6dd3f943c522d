"""Writing a file the learner named: never over an existing one unless they said so, and
never half-written (a temporary file beside the target, renamed over it when complete).

Used by every ``--save`` (plots, Taylor and limit pictures), the REPL's ``:save`` and the
batch report, so they refuse and word their errors alike.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from calctutor.errors import CalcError


def check_target(path: str | Path, *, force: bool, replace_hint: str = "add --force") -> Path:
    """The path to write, checked before any work: its folder exists, it is not a folder,
    and it does not exist yet unless ``force``."""
    target = Path(path).expanduser()
    if target.is_dir():
        raise CalcError(f"{str(target)!r} is a folder; name a file to write")
    if not target.parent.exists():
        raise CalcError(f"the folder {str(target.parent)!r} does not exist")
    if target.exists() and not force:
        raise CalcError(f"{str(target)!r} already exists", hint=f"{replace_hint} to replace it")
    return target


def write_whole(target: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary_path)`` (the temporary file keeps the target's suffix, so
    writers that go by it still do), then rename it over ``target``. On any failure the
    temporary file is removed and an existing target is left untouched."""
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=target.suffix or ".tmp",
                                    dir=target.resolve().parent)
        os.close(fd)
    except OSError as exc:
        raise CalcError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    try:
        write(Path(temp))
        os.replace(temp, target)
    except OSError as exc:
        _remove(temp)
        raise CalcError(f"cannot write {str(target)!r}: {exc.strerror or exc}") from None
    except BaseException:
        _remove(temp)
        raise
    return target


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
