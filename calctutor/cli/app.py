"""The Typer application object and the global options (``--version``)."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor import __version__

app = typer.Typer(
    name="calctutor",
    help=(
        "[bold]calctutor[/bold] — a calculus tutor for the maths behind machine learning.\n\n"
        "Type functions the way you write them ([cyan]3x^2 sin x[/cyan], "
        "[cyan]sigmoid(w x + b)[/cyan]) and see derivatives step by step, computational "
        "graphs and backpropagation, graded answers with the mistake named, and lessons."
    ),
    rich_markup_mode="rich",
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    # --install-completion / --show-completion (bash, zsh, fish, PowerShell). Completing
    # walks the command tree only: the command bodies, and so SymPy/NumPy, are not run.
    add_completion=True,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"calctutor {__version__}")
        raise typer.Exit()


def _timeout(value: str | None) -> str | None:
    if value is not None:
        from calctutor import watchdog
        from calctutor.errors import CalcError

        try:
            watchdog.set_budget(value)
        except CalcError as exc:
            raise typer.BadParameter(exc.message) from None
    return value


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", "-V", callback=_version, is_eager=True,
                     help="Print the version and exit."),
    ] = False,
    timeout: Annotated[
        str | None,
        typer.Option("--timeout", metavar="SECONDS", callback=_timeout,
                     help="Stop a computation after this many seconds (default 8, or "
                          "$CALCTUTOR_TIMEOUT)."),
    ] = None,
) -> None:
    """calctutor — derivatives, graphs and backprop, step by step."""
