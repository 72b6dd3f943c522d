"""Console-script entry point, kept tiny so the REPL starts fast.

``calctutor repl`` (with only its simple flags) goes straight to the REPL without
building the Typer application: Typer and the command modules cost ~70 ms that a learner
would otherwise wait for before the first prompt. ``--version`` answers without Typer
too. Everything else goes through Typer (``calctutor --version`` inside a longer
command line, such as ``calctutor --version parse x``, is still Typer's eager option).
"""

from __future__ import annotations

import sys

_REPL_FLAGS = {"--plain", "--no-history"}


def main() -> None:
    args = sys.argv[1:]
    if args in (["--version"], ["-V"]):
        from calctutor import __version__

        sys.stdout.write(f"calctutor {__version__}\n")
        return
    if args[:1] == ["repl"] and set(args[1:]) <= _REPL_FLAGS:
        from calctutor.repl.session import main as repl_main

        sys.exit(repl_main(plain="--plain" in args, history="--no-history" not in args))
    from calctutor import watchdog

    watchdog.mark_command_start()  # a command's budget counts from the learner's Enter
    from calctutor.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
