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
    """Console-script entry point. A bad settings file is reported once on stderr and the
    program goes on; with ``--json`` a usage error (unknown option, bad value) is also a
    JSON document on stdout, as the contract asks of every error."""
    import sys

    from calctutor.termio import user_settings, wants_plain

    if sys.argv[1:2] != ["config"]:  # `calctutor config` shows the problems itself
        user_settings()
    if wants_plain("--plain" in sys.argv[1:]):
        _plain_usage_messages()
    if "--json" not in sys.argv[1:]:
        app(prog_name="calctutor")
        return
    from calctutor.cli.output import usage_error_as_json

    try:
        code = app(prog_name="calctutor", standalone_mode=False)
    except Exception as exc:  # noqa: BLE001 - Click's usage errors, reported as JSON
        sys.exit(usage_error_as_json(exc))
    sys.exit(code if isinstance(code, int) else 0)


def _plain_usage_messages() -> None:
    """Typer's help and usage errors through the plain console too (ASCII, wrapped)."""
    from typer import rich_utils

    from calctutor.termio import console

    rich_utils._get_rich_console = lambda stderr=False: console(plain=True, stderr=stderr)


__all__ = ["app", "main"]
