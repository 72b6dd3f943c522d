"""Shared test helpers: real symbols built independently of the parser, the data the
tests read (vendored in ``tests/data/``, so a clone of the repository alone passes), and
the one way to find the installed ``calctutor`` executable.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import sympy

#: Data the tests read, copied into the repository: the STACK conformance corpus
#: (``conformance/``) and the CLI contract (``CLI.md``, for the documented mistake labels).
DATA = Path(__file__).resolve().parent / "data"


def R(name: str) -> sympy.Symbol:  # noqa: N802 - reads like a constructor in tables
    """A real symbol, as the parser makes for every variable."""
    return sympy.Symbol(name, real=True)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The vendored test data folder; its absence is a failure, never a skip."""
    if not DATA.is_dir():
        pytest.fail(f"the test data folder is missing: expected it at {DATA}")
    return DATA


class TerminalLog:
    """What a pexpect child printed, kept for the failure message of a terminal test."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    def __str__(self) -> str:
        return "".join(self.parts)


def spawn_lesson(home: Path, seed: int, **env: str):
    """``calctutor lesson chain-rule --seed SEED`` in a 40x100 pseudo-terminal, with its
    output collected: (child, log)."""
    import pexpect

    full_env = {**os.environ, "CALCTUTOR_HOME": str(home), "PROMPT_TOOLKIT_NO_CPR": "1",
                "TERM": "xterm", "COLUMNS": "100", "LINES": "40", **env}
    argv = calctutor_command() + ["lesson", "chain-rule", "--seed", str(seed)]
    child = pexpect.spawn(argv[0], argv[1:], env=full_env, encoding="utf-8", timeout=60,
                          dimensions=(40, 100))
    log = TerminalLog()
    child.logfile_read = log
    return child, log


def calctutor_command() -> list[str]:
    """The argv prefix that starts the installed ``calctutor``.

    The console script installed beside *this* interpreter (so a virtual environment's
    tests never pick up another ``calctutor`` on ``PATH``); ``python -m calctutor`` when
    the package is importable but its script is not installed.
    """
    for folder in (sysconfig.get_path("scripts"), str(Path(sys.executable).parent)):
        exe = Path(folder) / ("calctutor.exe" if os.name == "nt" else "calctutor")
        if exe.is_file():
            return [str(exe)]
    return [sys.executable, "-m", "calctutor"]


@pytest.fixture(scope="session")
def calctutor_exe() -> list[str]:
    """The installed executable as an argv prefix (see :func:`calctutor_command`)."""
    return calctutor_command()


def run_calctutor(*args: str, stdin: str | None = None, env: dict | None = None,
                  timeout: float = 120) -> subprocess.CompletedProcess:
    """Run the installed ``calctutor`` with a pinned width; output captured as text."""
    full_env = {**os.environ, "COLUMNS": "100", **(env or {})}
    return subprocess.run([*calctutor_command(), *args], capture_output=True, text=True,
                          input=stdin, timeout=timeout, env=full_env)


@pytest.fixture(scope="session")
def shared_dir(data_dir: Path) -> Path:
    """The same vendored folder under its older name (tests written before the copy read
    ``shared_dir / "CLI.md"`` and ``shared_dir / "conformance" / ...``: same paths)."""
    return data_dir


class Ran:
    """What a command run produced: the fields of ``subprocess.CompletedProcess`` the
    tests read, so a test reads the same whether it ran in-process or in a subprocess."""

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


def run_cli(*args: str, stdin: str | None = None, env: dict | None = None,
            width: int = 100) -> Ran:
    """Run a ``calctutor`` command in-process through ``typer.testing.CliRunner``, with
    the Rich width pinned (``COLUMNS``) and ``NO_COLOR`` unset unless ``env`` sets it.

    An exception other than the CLI's own exit is re-raised: in a real process it would
    have been a traceback, which no command may print.
    """
    from typer.testing import CliRunner

    from calctutor.cli import app

    full_env = {"COLUMNS": str(width), "NO_COLOR": None, **(env or {})}
    result = CliRunner().invoke(app, list(args), input=stdin, env=full_env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)
