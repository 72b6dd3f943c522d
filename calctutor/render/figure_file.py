"""Real plot files: a :class:`~calctutor.plotting.figure.Figure` drawn by matplotlib as
SVG, PNG or PDF, for notes and slides.

Why matplotlib here and plotext in the terminal: a file wants a vector or bitmap plot
with real axes and smooth curves; the terminal wants characters. Both draw the same
Figure data (the commands compute it once). matplotlib is an extra
(``pip install 'calctutor[plots]'``): it is heavy, and the command line never needs it.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from calctutor.errors import CalcError

#: Suffixes matplotlib writes for us.
IMAGE_FORMATS = (".svg", ".png", ".pdf")
INSTALL_HINT = "pip install 'calctutor[plots]'"

#: Our ASCII markers → matplotlib marker styles (None: a line without markers).
_MARKERS = {"*": None, "+": "+", "o": "o", "x": "x", "#": "s", "=": "_", "%": "d", "@": "^",
            ".": "."}


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise CalcError(f"saving a plot as an image needs matplotlib: {INSTALL_HINT}",
                        hint="or save the terminal picture with --save plot.txt or plot.html"
                        ) from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def require_matplotlib() -> None:
    """Fail before any work when an image is asked for and matplotlib is missing."""
    _pyplot()


#: Curves with more points than this are drawn as lines only (markers would smear).
MARKED_POINTS = 60
_LINESTYLES = ("-", "--", "-.", ":")


def _draw(ax, figure) -> None:
    for i, series in enumerate(figure.series):
        xs = np.asarray(series.xs, dtype=float)
        ys = np.asarray(series.ys, dtype=float)
        marker = _MARKERS.get(series.marker or "*")
        style = {"label": series.label, "zorder": len(figure.series) - i}
        if series.lines:
            if xs.size > MARKED_POINTS:
                marker = None
            ax.plot(xs, ys, marker=marker, markersize=4 if marker else 0,
                    linestyle=_LINESTYLES[i % len(_LINESTYLES)],
                    linewidth=1.6 if marker is None else 1.0, **style)
        else:
            ax.plot(xs, ys, linestyle="none", marker=marker or ".", markersize=2 if
                    series.marker == "." else 4, **style)
    if figure.xlog:
        ax.set_xscale("log")
    if figure.ylog:
        ax.set_yscale("log")
    if figure.xlim is not None and all(math.isfinite(v) for v in figure.xlim):
        ax.set_xlim(*figure.xlim)
    if figure.ylim is not None and all(math.isfinite(v) for v in figure.ylim):
        ax.set_ylim(*figure.ylim)
    ax.set_title(figure.title)
    ax.set_xlabel(figure.xlabel)
    if figure.ylabel:
        ax.set_ylabel(figure.ylabel)
    ax.grid(True, alpha=0.3)
    ax.axhline(0, color="0.6", linewidth=0.6, zorder=0)
    ax.legend(loc="best", fontsize="small")


def save_figures(figures, path: str | Path) -> Path:
    """Draw ``figures`` (one panel each, stacked) into an SVG, PNG or PDF file."""
    target = Path(path).expanduser()
    suffix = target.suffix.lower()
    if suffix not in IMAGE_FORMATS:
        raise CalcError(f"images are {', '.join(IMAGE_FORMATS)}, not {suffix or str(path)!r}")
    if not figures:
        raise CalcError("there is no plot to save")
    from calctutor.files import write_whole

    plt = _pyplot()
    fig, axes = plt.subplots(len(figures), 1, figsize=(7.5, 4.2 * len(figures)), squeeze=False)
    try:
        for ax, figure in zip(axes[:, 0], figures):
            _draw(ax, figure)
            for note in figure.notes:
                ax.annotate(note, (0, 0), (0, -42), xycoords="axes fraction",
                            textcoords="offset points", fontsize="x-small", color="0.35",
                            va="top")
        fig.tight_layout()
        metadata = {"Title": figures[0].title} if suffix in (".svg", ".pdf") else None
        write_whole(target, lambda temp: fig.savefig(
            temp, format=suffix[1:], dpi=150 if suffix == ".png" else None,
            bbox_inches="tight", metadata=metadata))
    finally:
        plt.close(fig)
    return target
