"""The Typer command line: a thin shell over :mod:`calctutor.commands`.

Each command lives in its own small module under ``calctutor/cli/`` and registers itself
on :data:`app`. Modules here import only Typer and light helpers at import time — SymPy
and NumPy are imported inside the command bodies — so ``--help`` and ``--version`` stay
fast.
"""

from __future__ import annotations

from calctutor.cli.app import app
from calctutor.cli import commands as _commands  # noqa: F401  (registers the commands)
from calctutor.cli.argv import ExpressionArgvGroup

# "-x^2" is an expression, not an option, on every command (CLI.md; see cli/argv.py).
app.info.cls = ExpressionArgvGroup


def main() -> None:
    """Console-script entry point."""
    app(prog_name="calctutor")


__all__ = ["app", "main"]
