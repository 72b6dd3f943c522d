"""Renderers for :class:`calctutor.commands.plot.PlotResult`, and the small pieces the
taylor / limit / integrate renderers share (number format, plain tables, figures)."""

from __future__ import annotations

import math

from calctutor.commands.plot import PlotResult
from calctutor.parsing import to_input
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE


# ── shared helpers ───────────────────────────────────────────────────────────────────

def fmt(value: float | None, digits: int = 6) -> str:
    """A float for people: 6 significant digits (2.66667), "n/a" for a missing value."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a"
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text


def exact_and_float(expr) -> str:
    """``1/2``, or ``sqrt(2)/2 ~ 0.707107`` when the exact form is not a plain decimal."""
    from calctutor.points import to_float

    text = to_input(expr)
    if expr.is_Integer:
        return text
    value = to_float(expr)
    if value is None:
        return text
    if expr.is_Rational:
        return text if len(text) <= 12 else f"{text} ~ {fmt(value)}"
    return f"{text} ~ {fmt(value)}"


def plain_table(headers: list[str], rows: list[list[str]], indent: str = "  ") -> list[str]:
    """An ASCII table: headers, a dashed rule, right-aligned cells."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = indent + "  ".join(h.rjust(w) for h, w in zip(headers, widths))
    out = [line, indent + "  ".join("-" * w for w in widths)]
    for r in rows:
        out.append(indent + "  ".join(c.rjust(w) for c, w in zip(r, widths)))
    return out


def rich_table(title: str | None, headers: list[str], rows: list[list], justify=None,
               keep: tuple[int, ...] = ()):
    """A Rich table; columns in ``keep`` never wrap or shorten (digits that matter)."""
    from rich import box
    from rich.table import Table

    table = Table(title=title, box=box.SIMPLE_HEAD, title_justify="left",
                  title_style="bold", header_style="bold", pad_edge=False)
    for i, h in enumerate(headers):
        width = max([len(getattr(r[i], "plain", str(r[i]))) for r in rows] + [1]) if i in keep else None
        table.add_column(h, justify=(justify[i] if justify else "right"),
                         no_wrap=i in keep, min_width=width)
    for r in rows:
        table.add_row(*r)
    return table


def draw_figures(figures, plain: bool):
    from calctutor.render.drawing import draw

    return [draw(f, plain=plain) for f in figures]


def figures_plain(figures) -> list[str]:
    out = []
    for d in draw_figures(figures, plain=True):
        out += ["", d.text()]
    return out


def figures_rich(figures) -> list:
    from calctutor.render.drawing import to_rich as drawing_to_rich

    return [drawing_to_rich(d) for d in draw_figures(figures, plain=False)]


# ── plot ─────────────────────────────────────────────────────────────────────────────

def to_json(result: PlotResult) -> dict:
    from calctutor.points import to_float

    doc = {
        "input": result.input,
        "functions": [to_input(f) for f in result.functions],
        "variable": result.variable,
        "range": list(result.range),
        "tangents": [
            {"function": to_input(t.function), "point": to_float(t.point),
             "value": to_float(t.value), "slope": to_float(t.slope),
             "line": to_input(t.line), "side": t.side}
            for t in result.tangents
        ],
        "derivatives": [to_input(d) for d in result.derivatives],
        "preset": result.preset,
        "notes": list(result.notes) + [n for f in result.figures for n in f.notes],
    }
    return doc


def _header_lines(result: PlotResult) -> list[str]:
    lines = []
    if result.preset:
        lines.append(f"{result.preset}: {result.notes[0]}")
    for t in result.tangents:
        if t.side is not None:
            if t.side == "left":
                lines.append(t.note)
            lines.append(f"  {t.side} tangent to {to_input(t.function)} at "
                         f"{result.variable} = {to_input(t.point)}: one-sided slope "
                         f"{to_input(t.slope)}, {t.equation}")
            continue
        lines.append(f"tangent to {to_input(t.function)} at {result.variable} = "
                     f"{to_input(t.point)}: f({to_input(t.point)}) = {to_input(t.value)}, "
                     f"slope f'({to_input(t.point)}) = {to_input(t.slope)}, {t.equation}")
    return lines


def to_plain(result: PlotResult) -> str:
    lines = _header_lines(result)
    lines += figures_plain(result.figures)
    return "\n".join(lines).lstrip("\n")


def to_rich(result: PlotResult):
    from rich.console import Group
    from rich.text import Text

    parts = []
    if result.preset:
        parts.append(Text.assemble((result.preset, "bold"), ": ", result.notes[0]))
    for t in result.tangents:
        if t.side is not None:
            if t.side == "left":
                parts.append(Text(t.note, style="bold"))
            parts.append(Text.assemble(
                f"  {t.side} tangent: one-sided slope ", (to_input(t.slope), RESULT_STYLE),
                ", ", (t.equation, RESULT_STYLE)))
            continue
        parts.append(Text.assemble(
            "tangent to ", (to_input(t.function), EXPR_STYLE), f" at {result.variable} = ",
            (to_input(t.point), EXPR_STYLE), ": slope ", (to_input(t.slope), RESULT_STYLE),
            ", ", (t.equation, RESULT_STYLE)))
    for i, r in enumerate(figures_rich(result.figures)):
        if parts or i:
            parts.append(Text(""))
        parts.append(r)
    if not parts:
        parts.append(Text("nothing to draw", style=NOTE_STYLE))
    return Group(*parts)
