"""Regenerate the README gallery: SVG screenshots of real calctutor runs.

Each shot runs a command in-process through the Typer app (``typer.testing.CliRunner``)
with colour forced on and a fixed width, then replays the captured output into a
recording Rich console and saves it as SVG. The pictures therefore always show what the
code prints today; nothing is drawn by hand.

    python docs/gallery/make_gallery.py            # all shots
    python docs/gallery/make_gallery.py taylor     # only shots whose name contains "taylor"

Adding a shot is one line in SHOTS. A shot whose command is not registered (not yet
written) is skipped with a message, so the script works at any stage of the project.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
WIDTH = 100


@dataclass(frozen=True)
class Shot:
    name: str  # file name (without .svg) and caption key
    args: tuple[str, ...]  # calctutor's arguments
    title: str  # window title in the SVG
    input: str | None = None  # standard input (answers for a lesson)


SHOTS: tuple[Shot, ...] = (
    Shot("parse", ("parse", "sin^2 x + 2xy"), "calctutor parse"),
    Shot("diff", ("diff", "x^2 sin(3x)"), "calctutor diff"),
    Shot("graph", ("graph", "y = 2x^3 + 3; z = y^2", "--at", "x=1"), "calctutor graph"),
    Shot("check", ("check", "sin(3x)", "cos(3x)"), "calctutor check (a diagnosed mistake)"),
    Shot("taylor", ("taylor", "e^x", "--at", "0", "--order", "2", "--eval", "0.1,1", "--plot",
                    "--width", "96"), "calctutor taylor --plot"),
    Shot("limit", ("limit", "sin(x)/x", "--at", "0"), "calctutor limit"),
    Shot("limit-quotient", ("limit", "3x^2 - 4x", "--at", "1", "--quotient"),
         "calctutor limit --quotient"),
    Shot("limit-plot", ("limit", "sin x", "--at", "1", "--quotient", "--plot", "--width", "96",
                        "--h", "0.1"), "calctutor limit --quotient --plot"),
    Shot("integrate", ("integrate", "x^2", "--from", "0", "--to", "1", "--seed", "1"),
         "calctutor integrate"),
    Shot("plot", ("plot", "3x^2 - 4x", "--tangent", "1", "--width", "96"), "calctutor plot --tangent"),
    Shot("activations", ("plot", "activations", "--width", "96", "--height", "14"),
         "calctutor plot activations"),
    Shot("lesson", ("lesson", "chain-rule", "--seed", "1"), "calctutor lesson chain-rule",
         input="hint\nskip\nquit\n"),
)


def registered_commands() -> set[str]:
    import typer

    from calctutor.cli import commands  # noqa: F401 - registers the commands
    from calctutor.cli.app import app

    group = typer.main.get_command(app)
    return set(group.commands)


def take(shot: Shot, home: str) -> Path | None:
    """Run one shot and save its SVG; None (and a message) if it could not run."""
    from rich.console import Console
    from rich.text import Text
    from typer.testing import CliRunner

    from calctutor.cli.app import app

    env = {"COLUMNS": str(WIDTH), "LINES": "50", "FORCE_COLOR": "1", "NO_COLOR": None,
           "TERM": "xterm-256color", "CALCTUTOR_HOME": home}
    result = CliRunner().invoke(app, list(shot.args), input=shot.input, env=env,
                                catch_exceptions=True)
    if result.exit_code not in (0, 1) or result.exception and not isinstance(
            result.exception, SystemExit):
        print(f"  skipped {shot.name}: exit {result.exit_code} "
              f"{(result.output or '').strip()[:200]!r}", file=sys.stderr)
        return None
    recorder = Console(record=True, width=WIDTH, force_terminal=True, color_system="truecolor",
                       file=open("/dev/null", "w") if Path("/dev/null").exists() else None)
    recorder.print(Text("$ calctutor " + " ".join(_quote(a) for a in shot.args), style="bold"))
    recorder.print(Text.from_ansi(result.stdout.rstrip("\n")), soft_wrap=True)
    target = HERE / f"{shot.name}.svg"
    recorder.save_svg(str(target), title=shot.title)
    return target


def _quote(arg: str) -> str:
    return f'"{arg}"' if any(c in arg for c in " ;^*()|") else arg


def main(argv: list[str]) -> int:
    wanted = [a for a in argv if not a.startswith("-")]
    available = registered_commands()
    made = []
    with tempfile.TemporaryDirectory() as home:
        for shot in SHOTS:
            if wanted and not any(w in shot.name for w in wanted):
                continue
            if shot.args[0] not in available:
                print(f"  skipped {shot.name}: no '{shot.args[0]}' command yet", file=sys.stderr)
                continue
            path = take(shot, home)
            if path is not None:
                made.append(path)
                print(f"  wrote {path.relative_to(HERE.parent.parent)}")
    return 0 if made else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
