"""Write a drawn figure to a file for notes: SVG (Rich console recording), HTML or text."""

from __future__ import annotations

import io
from pathlib import Path

from calctutor.errors import CalcError
from calctutor.render.drawing import Drawing, to_rich

#: .svg/.png/.pdf are real plots drawn by matplotlib (the [plots] extra, see
#: :mod:`calctutor.render.figure_file`); .html/.txt keep the terminal picture.
FORMATS = (".svg", ".png", ".pdf", ".html", ".htm", ".txt")
TERMINAL_FORMATS = (".html", ".htm", ".txt")


def check_path(path: str, force: bool = False) -> Path:
    """Fail early (before any work) on an unsupported extension, a missing folder, or a
    file that exists (unless ``force``)."""
    from calctutor.files import check_target

    target = Path(path).expanduser()
    if target.suffix.lower() not in FORMATS:
        raise CalcError(f"--save writes {', '.join(FORMATS)} files, not {target.suffix or path!r}",
                        hint="for example --save plot.svg")
    check_target(target, force=force)
    if target.suffix.lower() not in TERMINAL_FORMATS:
        from calctutor.render.figure_file import require_matplotlib

        require_matplotlib()
    return target


def save_plot(figures, path: str, force: bool = False) -> Path:
    """Write figures to ``path``: a matplotlib image (.svg/.png/.pdf) or the terminal
    picture (.html/.txt)."""
    target = check_path(path, force)
    if target.suffix.lower() in TERMINAL_FORMATS:
        from calctutor.render.drawing import draw

        return save_drawings([draw(f) for f in figures], path, force=force)
    from calctutor.render.figure_file import save_figures

    return save_figures(figures, target)


def save_drawings(drawings: list[Drawing], path: str, title: str = "calctutor",
                  force: bool = False) -> Path:
    """Write the terminal picture: coloured HTML, or plain text (TXT), to ``path``."""
    from rich.console import Console, Group

    from calctutor.files import write_whole

    target = Path(path).expanduser()
    suffix = target.suffix.lower()
    if suffix not in TERMINAL_FORMATS:
        raise CalcError(f"the terminal picture is saved as {', '.join(TERMINAL_FORMATS)}, "
                        f"not {suffix or str(path)!r}; images come from save_plot")
    target = check_path(path, force)
    if suffix == ".txt":
        text = "\n\n".join(d.text() for d in drawings)
        return write_whole(target, lambda temp: temp.write_text(_strip_ansi(text) + "\n",
                                                                encoding="utf-8"))
    width = max(_width(d) for d in drawings) + 2
    console = Console(record=True, width=width, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", emoji=False, highlight=False)
    console.print(Group(*[to_rich(d) for d in drawings]))
    return write_whole(target, lambda temp: console.save_html(str(temp)))


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _width(drawing: Drawing) -> int:
    return max(len(_strip_ansi(line)) for line in drawing.text().split("\n"))
