"""calctutor from Python and notebooks: ``from calctutor import api; api.diff("sin(x^2)")``.

Every function here runs the command of the same name with the same arguments as the
command line (``api.diff("sin(x^2)", at=1)`` is ``calctutor diff "sin(x^2)" --at 1``):
the options are the CLI's own declarations, parsed by the same Click command, so the two
can never drift apart. Instead of printing, the command's result comes back as a
:class:`Result` that a notebook shows richly (``_repr_html_`` with the steps,
``_repr_latex_`` for the formula, ``_repr_markdown_``) and that exposes the result object
with its SymPy expressions (``.result``) and the JSON document (``.json``).

Importing this module is cheap (no SymPy, no IPython); the work happens on the first call.
"""

from __future__ import annotations

import contextlib
import io
from typing import Any

from calctutor.errors import CalcError

__all__ = ["COMMANDS", "Result", "run", "check", "descend", "diff", "grad", "graph",
           "integrate", "limit", "parse", "plot", "stable", "taylor"]

#: The commands a notebook can run (the interactive ones, repl and lesson, are not here).
COMMANDS = ("parse", "diff", "grad", "graph", "check", "taylor", "limit", "integrate",
            "plot", "descend", "stable")

#: Width of the terminal-style HTML a notebook shows.
HTML_WIDTH = 100


class Result:
    """One command's answer, for Python code and for a notebook's rich display."""

    def __init__(self, command: str, argv: list[str], result: Any, view: Any) -> None:
        self.command = command
        self.argv = argv
        self.result = result  # the command's frozen result object (SymPy expressions inside)
        self.view = view  # its renderer module

    @property
    def json(self) -> dict:
        """The same document as ``calctutor COMMAND ... --json``."""
        return self.view.to_json(self.result)

    @property
    def text(self) -> str:
        """The plain ASCII rendering (``--plain``)."""
        return self.view.to_plain(self.result)

    def latex(self) -> str | None:
        """LaTeX of the answer, when the command has one."""
        to_latex = getattr(self.view, "to_latex", None)
        return to_latex(self.result) if to_latex is not None else None

    def _repr_html_(self) -> str:
        from rich.console import Console

        console = Console(record=True, width=HTML_WIDTH, file=io.StringIO(),
                          force_terminal=True, color_system="truecolor", force_jupyter=False)
        console.print(self.view.to_rich(self.result))
        return console.export_html(inline_styles=True, code_format=(
            '<pre style="font-family: Menlo, Consolas, \'DejaVu Sans Mono\', monospace; '
            'line-height: 1.25; font-size: 0.9em">{code}</pre>'))

    def _repr_latex_(self) -> str | None:
        text = self.latex()
        if not text:
            return None
        text = text.strip()
        if text.startswith("$"):
            return text
        # display math for the formula lines; an environment (align* of the steps) stands
        # on its own, as MathJax and LaTeX want it
        head, sep, rest = text.partition("\\begin{align")
        head = head.strip()
        out = f"$${head}$$" if head else ""
        return out + (f"\n\\begin{{align{rest}" if sep else "")

    def _repr_markdown_(self) -> str:
        return f"```text\n{self.text}\n```"

    def _repr_pretty_(self, printer, cycle: bool) -> None:  # IPython's terminal
        printer.text(self.text)

    def __repr__(self) -> str:
        return f"<calctutor {self.command} {' '.join(self.argv)}>"


def _argv(args: tuple, options: dict) -> list[str]:
    """Positional arguments and keyword options as the command line would spell them."""
    argv = [str(a) for a in args]
    for name, value in options.items():
        if value is None or value is False:
            continue
        flag = "--" + name.rstrip("_").replace("_", "-")
        if value is True:
            argv.append(flag)
        elif isinstance(value, (list, tuple)) and name in ("shape",):
            for item in value:
                argv += [flag, str(item)]
        elif isinstance(value, (list, tuple)):
            argv += [flag, ",".join(str(v) for v in value)]
        elif isinstance(value, dict):
            argv += [flag, ",".join(f"{k}={v}" for k, v in value.items())]
        else:
            argv += [flag, str(value)]
    return argv


def run(command: str, *args: Any, **options: Any) -> Result:
    """Run ``calctutor COMMAND ARGS --OPTIONS`` in-process and return its result.

    Raises :class:`calctutor.errors.CalcError` with the command's own one-line message
    when the input is refused.
    """
    if command not in COMMANDS:
        raise CalcError(f"unknown command {command!r}; one of: {', '.join(COMMANDS)}")
    argv = _argv(args, options)
    return run_argv(command, argv)


def run_argv(command: str, argv: list[str]) -> Result:
    """``run`` for an argument list already split as a shell would (the magics' path)."""
    import typer
    import typer.main

    from calctutor.cli import app
    from calctutor.cli.output import captured

    group = typer.main.get_command(app)
    errors = io.StringIO()
    with captured() as sink, contextlib.redirect_stderr(errors):
        try:
            group.main(args=[command, *argv], prog_name="calctutor", standalone_mode=False)
        except typer.Exit as exc:
            if exc.exit_code not in (0, None):
                raise CalcError(_message(errors.getvalue(), exc.exit_code)) from None
        except SystemExit as exc:
            if exc.code not in (0, None):
                raise CalcError(_message(errors.getvalue(), exc.code)) from None
        except Exception as exc:  # Click's usage errors (no such option, missing argument)
            if not hasattr(exc, "format_message"):
                raise
            raise CalcError(exc.format_message()) from None
    if not sink:
        raise CalcError(_message(errors.getvalue(), 2))
    result, view = sink[-1]
    return Result(command, argv, result, view)


def _message(stderr: str, code) -> str:
    text = stderr.strip()
    return text or f"the command stopped with exit code {code}"


def _command(name: str):
    def call(*args: Any, **options: Any) -> Result:
        return run(name, *args, **options)

    call.__name__ = name
    call.__qualname__ = name
    call.__doc__ = (f"``calctutor {name} ...`` in-process: positional arguments as on the "
                    f"command line, options as keywords (``at=1``, ``order=2``, "
                    f"``hessian=True``). Returns a :class:`Result`.")
    return call


parse = _command("parse")
diff = _command("diff")
grad = _command("grad")
graph = _command("graph")
check = _command("check")
taylor = _command("taylor")
limit = _command("limit")
integrate = _command("integrate")
plot = _command("plot")
descend = _command("descend")
stable = _command("stable")
