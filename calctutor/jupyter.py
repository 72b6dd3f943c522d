"""IPython/Jupyter line magics: ``%load_ext calctutor``, then ``%diff sin(x^2) --at 1``.

Each magic takes exactly the arguments of the command of the same name (split as a shell
would, so quote an expression that has spaces: ``%grad "x^2 y" --at x=1,y=2``) and
returns a :class:`calctutor.api.Result`, which the notebook shows with its rich display.
A refused input shows calctutor's one-line message (with the caret) instead of a
traceback. IPython is only needed here, for the extra ``calctutor[jupyter]``.
"""

from __future__ import annotations

import shlex

from calctutor.api import COMMANDS, Result, run_argv
from calctutor.errors import CalcError

__all__ = ["load_ipython_extension", "magic"]


class Refusal:
    """What a magic shows for a refused input: the message, in red, not a traceback."""

    def __init__(self, message: str) -> None:
        self.message = message

    def _repr_html_(self) -> str:
        import html

        return f'<pre style="color: #c0392b">{html.escape(self.message)}</pre>'

    def _repr_pretty_(self, printer, cycle: bool) -> None:
        printer.text(self.message)

    def __repr__(self) -> str:
        return self.message


def magic(command: str):
    """The line magic for one command."""

    def line_magic(line: str) -> Result | Refusal:
        try:
            argv = shlex.split(line)
        except ValueError as exc:
            return Refusal(f"error: cannot split the line ({exc}); check the quotes")
        try:
            return run_argv(command, argv)
        except CalcError as exc:
            return Refusal(exc.message if hasattr(exc, "message") else str(exc))

    line_magic.__name__ = command
    line_magic.__doc__ = f"%{command} ARGS: the same arguments as `calctutor {command} ARGS`."
    return line_magic


def load_ipython_extension(ipython) -> None:
    """Register one line magic per command (``%diff``, ``%grad``, ``%check``, ...)."""
    for command in COMMANDS:
        ipython.register_magic_function(magic(command), magic_kind="line", magic_name=command)
