"""Draw a :class:`~calctutor.plotting.figure.Figure` as terminal text with plotext.

The result is a :class:`Drawing`: the canvas (ANSI-coloured, or plain ASCII) plus a legend
kept outside the canvas, so it never hides a curve and reads without colour (each series
has its own marker character).
"""

from __future__ import annotations

import math
import shutil
import threading
from dataclasses import dataclass, replace

import numpy as np

from calctutor.errors import CalcError
from calctutor.plotting.figure import (Figure, log_ticks, mask_outside, nice_ticks, robust_ylim,
                                       tick_label)

#: The colours plotext's "simple" theme gives signals (xterm-256 codes), ours in order.
PALETTE = (12, 10, 9, 14, 13, 11, 4, 2)

#: Box-drawing characters → ASCII, for --plain / NO_COLOR output.
_ASCII = str.maketrans({
    "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "┤": "+", "├": "+",
    "┬": "+", "┴": "+", "┼": "+", "╭": "+", "╮": "+", "╰": "+", "╯": "+", "━": "-",
    "┃": "|", "·": ".", "•": "*", "…": "...", "−": "-",
})

MIN_WIDTH, MAX_WIDTH = 30, 240
_LOCK = threading.Lock()  # plotext keeps one global figure


@dataclass(frozen=True)
class Drawing:
    canvas: str  # may hold ANSI colour codes unless drawn plain
    legend: tuple[tuple[str, str, int], ...]  # (marker, label, colour code)
    notes: tuple[str, ...]
    title: str
    plain: bool

    def text(self) -> str:
        """Canvas, legend and notes as one block of text (ANSI codes kept if any)."""
        import textwrap

        width = _visible_width(self.canvas)
        lines = [self.canvas.rstrip("\n")]
        lines += legend_lines(self.legend, width)
        for n in self.notes:
            lines += textwrap.wrap(f"note: {n}", width, subsequent_indent="  ")
        out = "\n".join(lines)
        return out.translate(_ASCII) if self.plain else out


def _visible_width(canvas: str) -> int:
    import re

    first = re.sub(r"\x1b\[[0-9;]*m", "", canvas.split("\n", 1)[0])
    return max(len(first), MIN_WIDTH)


def legend_lines(legend, width: int) -> list[str]:
    """The legend as lines no wider than ``width``: ``* f(x)   + tangent``."""
    import textwrap

    lines, current = [], ""
    for marker, label, _ in legend:
        item = f"{marker} {label}"
        if current and len(current) + 3 + len(item) > width:
            lines.append(current)
            current = item
        else:
            current = f"{current}   {item}" if current else item
        if len(current) > width:  # one long label: wrap it under its marker
            wrapped = textwrap.wrap(current, width, subsequent_indent="    ")
            lines += wrapped[:-1]
            current = wrapped[-1]
    if current:
        lines.append(current)
    return lines


def terminal_width(requested: int | None = None) -> int:
    """The width to draw at: ``--width`` if given, else the terminal's, within bounds."""
    width = requested or shutil.get_terminal_size((100, 24)).columns
    return max(MIN_WIDTH, min(MAX_WIDTH, int(width)))


def default_height(width: int) -> int:
    return max(10, min(24, width // 4))


def draw(figure: Figure, width: int | None = None, height: int | None = None,
         plain: bool = False) -> Drawing:
    """Draw ``figure`` at ``width`` × ``height`` terminal cells."""
    plt = _plotext()
    width = terminal_width(width or figure.width)
    height = height or figure.height or default_height(width)
    notes = list(figure.notes)
    # Log axes: plotext 6.1's own log scale breaks with explicit ticks, so we plot
    # log10 of the data on linear axes and label the ticks as powers of ten.
    xs_all = [_log10(s.xs) if figure.xlog else s.xs for s in figure.series]
    ys_all = [_log10(s.ys) if figure.ylog else s.ys for s in figure.series]
    if figure.xlim is not None:
        xlim = tuple(_log10(np.asarray(figure.xlim))) if figure.xlog else figure.xlim
    else:
        xlim = _data_range(xs_all)
    if figure.ylim is not None:
        ylim = tuple(_log10(np.asarray(figure.ylim))) if figure.ylog else figure.ylim
    elif figure.ylog:
        lo, hi = _data_range(ys_all)
        ylim = (math.floor(lo), math.ceil(hi)) if hi > lo else (lo - 1, hi + 1)
    else:
        ylim, clipped = robust_ylim(ys_all)
        if clipped:
            notes.append("the y-axis is clipped to the bulk of the values")
    legend = []
    with _LOCK:
        fig = plt.figure
        fig.clear()
        fig.plot_size(width, height)
        fig.theme("colorless" if plain else "simple")
        drawn_any = False
        for i, series in enumerate(figure.series):
            legend.append((series.marker, series.label, PALETTE[i % len(PALETTE)]))
        # Drawn last-to-first, so the first series (the function itself) lies on top.
        for i, series in reversed(list(enumerate(figure.series))):
            colour = PALETTE[i % len(PALETTE)]
            shown = replace(series, xs=xs_all[i], ys=ys_all[i])
            if not figure.ylog:
                shown = _masked(shown, ylim)
            for xs, ys in shown.segments():
                marker = series.marker if plain else plt.marker(series.marker,
                                                                plt.pixel(foreground=colour))
                signal = fig.signal(xs.tolist(), ys.tolist(), marker=marker)
                if series.lines and len(xs) > 1:
                    signal.lines()
                fig.draw(signal)
                drawn_any = True
        if not drawn_any:
            notes.append("nothing to draw: the function has no finite values in this range")
        _axis(fig.ruler("x"), xlim, figure.xlog, count=max(3, min(9, width // 14)))
        _axis(fig.ruler("y"), ylim, figure.ylog, count=max(3, min(6, height // 3)))
        if figure.title:
            fig.title(figure.title.translate(_ASCII) if plain else figure.title)
        if figure.xlabel:
            fig.label(figure.xlabel, axis="x")
        fig.legend(active=False)
        canvas = fig.build().string(colorless=plain)
        fig.clear()
    if plain:
        canvas = canvas.translate(_ASCII)
    return Drawing(canvas, tuple(legend), tuple(notes), figure.title, plain)


def _log10(values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    with np.errstate(all="ignore"):
        return np.where(values > 0, np.log10(np.where(values > 0, values, 1.0)), np.nan)


def _masked(series, ylim):
    return replace(series, ys=mask_outside(np.asarray(series.ys, dtype=float), ylim))


def _axis(ruler, lim: tuple[float, float], log: bool, count: int) -> None:
    """Limits and labelled ticks; on a log axis ``lim`` is already in log10 units."""
    lo, hi = lim
    if log:
        ticks = [math.log10(t) for t in log_ticks(10.0**lo, 10.0**hi, max_count=count)]
        labels = [tick_label(10.0**t, True) for t in ticks]
    else:
        ticks = [t for t in nice_ticks(lo, hi, count) if lo <= t <= hi]
        labels = [tick_label(t) for t in ticks]
    ruler.lim(lo, hi)
    if ticks:
        ruler.ticks(ticks, labels)


def _data_range(arrays) -> tuple[float, float]:
    finite = [a[np.isfinite(a)] for a in arrays]
    finite = [a for a in finite if a.size]
    if not finite:
        return (-1.0, 1.0)
    lo = min(float(a.min()) for a in finite)
    hi = max(float(a.max()) for a in finite)
    if hi <= lo:
        return (lo - 1.0, hi + 1.0)
    return (lo, hi)


def _plotext():
    try:
        import plotext
    except ImportError:  # pragma: no cover - a declared dependency
        raise CalcError("plots need the plotext package: pip install 'plotext>=6.1'") from None
    if not hasattr(plotext, "figure") or not hasattr(plotext.figure, "signal"):
        version = getattr(plotext, "__version__", "?")
        raise CalcError(f"plots need plotext 6.1 or newer (found {version}): "
                        "pip install -U 'plotext>=6.1'")
    return plotext


def to_rich(drawing: Drawing):
    """The drawing as a Rich renderable: canvas, then a coloured legend and notes."""
    from rich.console import Group
    from rich.text import Text

    parts = [Text.from_ansi(drawing.canvas.rstrip("\n"), no_wrap=True, overflow="crop")]
    width = _visible_width(drawing.canvas)
    line = Text()
    used = 0
    for marker, label, colour in drawing.legend:
        item_len = len(marker) + 1 + len(label)
        if used and used + 3 + item_len > width:
            parts.append(line)
            line, used = Text(), 0
        if used:
            line.append("   ")
            used += 3
        line.append(marker, style=f"bold color({colour})")
        line.append(" " + label)
        used += item_len
    if used:
        parts.append(line)
    for note in drawing.notes:
        parts.append(Text(f"note: {note}", style="dim"))
    return Group(*parts)


def is_finite_number(value: float | None) -> bool:
    return value is not None and math.isfinite(value)
