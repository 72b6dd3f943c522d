"""Figures as plain data: what to draw, computed by commands and drawn by renderers."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: Markers given to series in turn: plain ASCII, so plots read without colour.
MARKERS = ("*", "+", "o", "x", "#", "=", "%", "@")


@dataclass
class Series:
    """One curve: points (NaN marks a gap), a legend label and an optional marker."""

    label: str
    xs: np.ndarray
    ys: np.ndarray
    marker: str | None = None
    lines: bool = True  # connect consecutive points

    def segments(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """Runs of consecutive finite points (the curve is broken at NaN / inf)."""
        ok = np.isfinite(self.xs) & np.isfinite(self.ys)
        runs, start = [], None
        for i, good in enumerate(ok):
            if good and start is None:
                start = i
            elif not good and start is not None:
                runs.append((start, i))
                start = None
        if start is not None:
            runs.append((start, len(ok)))
        return [(self.xs[a:b], self.ys[a:b]) for a, b in runs]


@dataclass
class Figure:
    """A plot: series on shared axes, with limits chosen by the command."""

    title: str
    series: list[Series]
    xlabel: str = "x"
    ylabel: str = ""
    xlim: tuple[float, float] | None = None
    ylim: tuple[float, float] | None = None
    xlog: bool = False
    ylog: bool = False
    notes: list[str] = field(default_factory=list)
    width: int | None = None  # drawing size in terminal cells (None: fit the terminal)
    height: int | None = None

    def __post_init__(self) -> None:
        for i, s in enumerate(self.series):
            if s.marker is None:
                s.marker = MARKERS[i % len(MARKERS)]


def sample_grid(lo: float, hi: float, n: int = 401, extra: tuple[float, ...] = ()) -> np.ndarray:
    """``n`` evenly spaced points on [lo, hi], plus ``extra`` points inside, sorted."""
    xs = np.linspace(lo, hi, n)
    inside = [x for x in extra if lo <= x <= hi]
    if inside:
        xs = np.unique(np.concatenate([xs, np.asarray(inside, dtype=float)]))
    return xs


def robust_ylim(arrays: list[np.ndarray], pad: float = 0.08) -> tuple[tuple[float, float], bool]:
    """y limits that show the curves' shape, not a pole's spike.

    Returns ``(limits, clipped)``: when a few values run off to huge magnitudes (1/x near
    0, tan x) the limits follow the 2nd–98th percentiles instead, and ``clipped`` says so.
    """
    values = np.concatenate([a[np.isfinite(a)] for a in arrays]) if arrays else np.array([])
    if values.size == 0:
        return (-1.0, 1.0), False
    lo, hi = float(values.min()), float(values.max())
    clipped = False
    if values.size >= 20:
        q_lo, q_hi = (float(v) for v in np.percentile(values, [2, 98]))
        core = max(q_hi - q_lo, 1e-12)
        if hi - lo > 6 * core:
            lo, hi = q_lo - 0.5 * core, q_hi + 0.5 * core
            clipped = True
    if hi - lo < 1e-12 * max(1.0, abs(hi)):
        span = max(1.0, abs(hi)) * 0.5
        return (lo - span, hi + span), clipped
    margin = (hi - lo) * pad
    return (lo - margin, hi + margin), clipped


def mask_outside(ys: np.ndarray, ylim: tuple[float, float]) -> np.ndarray:
    """Values far outside the view become NaN, so a pole shows as a gap, not a wall."""
    lo, hi = ylim
    span = hi - lo
    out = ys.copy()
    out[(ys < lo - span) | (ys > hi + span)] = np.nan
    return out


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick positions (1, 2, 5 × 10^k steps) covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return [lo]
    raw = (hi - lo) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= 0.7 * raw)
    first = math.ceil(lo / step) * step
    ticks = []
    t = first
    while t <= hi + step * 1e-9:
        ticks.append(0.0 if abs(t) < step * 1e-9 else t)
        t += step
    return ticks


def log_ticks(lo: float, hi: float, max_count: int = 8) -> list[float]:
    """Powers of ten covering [lo, hi] (every k-th decade so at most ``max_count``)."""
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    decades = list(range(a, b + 1))
    stride = max(1, math.ceil(len(decades) / max_count))
    return [10.0 ** d for d in decades[::stride] if lo <= 10.0 ** d <= hi * (1 + 1e-9)]


def tick_label(value: float, log: bool = False) -> str:
    if log:
        exponent = round(math.log10(value))
        return "1" if exponent == 0 else f"1e{exponent}"
    from calctutor.numfmt import format_number

    return format_number(value)
