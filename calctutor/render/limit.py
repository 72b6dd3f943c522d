"""Renderers for ``calctutor limit``: the limit of an expression
(:class:`calctutor.commands.limit.LimitResult`) and, with ``--quotient``, the
difference-quotient table (:mod:`calctutor.render.limit_quotient`)."""

from __future__ import annotations

import sympy

from calctutor.commands.limit import (
    FINITE, INFINITE, NO_SIDE, NOT_REAL, OSCILLATES, LimitResult, Side)
from calctutor.parsing import to_input
from calctutor.points import to_float
from calctutor.render import limit_quotient as quotient_view
from calctutor.render.mathtext import NOTE_STYLE, RESULT_STYLE, WRONG_STYLE
from calctutor.render.plot import figures_plain, figures_rich, fmt, plain_table, rich_table


def _number(value: sympy.Expr | None):
    """A limit for JSON: a float, the strings "oo" / "-oo", or null."""
    if value is None:
        return None
    if value is sympy.oo:
        return "oo"
    if value is -sympy.oo:
        return "-oo"
    return to_float(value)


def _side_json(side: Side):
    return _number(side.value) if side.exists else None


def _side_words(side: Side) -> str:
    if side.status in (FINITE, INFINITE):
        text = to_input(side.value)
        if side.status == FINITE and not side.value.is_Rational:
            number = to_float(side.value)
            if number is not None:
                text += f" ~ {fmt(number, 12)}"
        return text
    if side.status == OSCILLATES:
        return (f"none: f oscillates between {to_input(side.bounds[0])} and "
                f"{to_input(side.bounds[1])}")
    if side.status == NOT_REAL:
        return "none: f is not defined (not real) on this side"
    return "not determined"


def _verdict(result: LimitResult) -> str:
    if result.exact is None and not result.determined:
        return "not determined (see the table)"
    if result.exact is None:
        return "the limit does not exist"
    text = to_input(result.exact)
    if result.exact.is_finite and not result.exact.is_Rational:
        number = to_float(result.exact)
        if number is not None:
            text += f" ~ {fmt(number, 12)}"
    if result.exact is sympy.oo:
        text += " (an infinite limit: f grows without bound)"
    elif result.exact is -sympy.oo:
        text += " (an infinite limit: f falls without bound)"
    return text


def _value(number: float | None, digits: sympy.Expr | None) -> str:
    """A table value to 15 significant digits; below float64's range from the 30 digits."""
    if digits is None:
        return "undefined"
    if number is None or (number == 0 and digits != 0):
        return sympy.Float(digits, 15).__str__() if digits.is_finite else "n/a"
    return fmt(number, 15)


def _table(result: LimitResult) -> tuple[list[str], list[list[str]]]:
    a = to_input(result.point)
    if result.point is sympy.oo:
        return (["x", "f(x)"],
                [[to_input(r.x_left), _value(r.left, r.left_value)] for r in result.rows])
    if result.point is -sympy.oo:
        return (["x", "f(x)"],
                [[to_input(r.x_right), _value(r.right, r.right_value)] for r in result.rows])
    return (["h", f"f({a} - h)", f"f({a} + h)"],
            [[quotient_view.h_text(r.h), _value(r.left, r.left_value),
              _value(r.right, r.right_value)] for r in result.rows])


def _summary(result: LimitResult) -> list[tuple[str, str]]:
    rows = []
    if not result.infinite_point:
        rows.append(("from the left", _side_words(result.left)))
        rows.append(("from the right", _side_words(result.right)))
    rows.append(("limit", _verdict(result)))
    how = result.method + (", a removable singularity" if result.removable else "")
    rows.append(("shown by", how))
    return rows


def _title(result: LimitResult) -> str:
    return (f"the limit of {to_input(result.function)} as {result.variable} -> "
            f"{to_input(result.point)}")


def to_json(result) -> dict:
    if not isinstance(result, LimitResult):
        return quotient_view.to_json(result)
    return {
        "input": result.input,
        "function": to_input(result.function),
        "variable": result.variable,
        "point": _number(result.point),
        "rows": [{"h": to_float(r.h), "left": r.left, "right": r.right,
                  "x_left": _number(r.x_left) if r.x_left is not None else None,
                  "x_right": _number(r.x_right) if r.x_right is not None else None}
                 for r in result.rows],
        "left": _side_json(result.left),
        "right": _side_json(result.right),
        "exact": _number(result.exact),
        "exact_expr": to_input(result.exact) if result.exact is not None else None,
        "left_status": None if result.left.status == NO_SIDE else result.left.status,
        "right_status": None if result.right.status == NO_SIDE else result.right.status,
        "exists": (result.exact is not None) if result.determined else None,
        "method": result.method,
        "removable": result.removable,
        "value_at_point": (to_input(result.value_at_point)
                           if result.value_at_point is not None else None),
        "steps": [{"rule": s.rule, "text": s.text,
                   **{name: to_input(expr) for name, expr in s.exprs}} for s in result.steps],
        "notes": list(result.notes),
    }


def to_plain(result) -> str:
    if not isinstance(result, LimitResult):
        return quotient_view.to_plain(result)
    headers, rows = _table(result)
    lines = [_title(result), ""]
    lines += plain_table(headers, rows)
    lines.append("")
    summary = _summary(result)
    width = max(len(label) for label, _ in summary)
    lines += [f"{label.rjust(width)}: {value}" for label, value in summary]
    if result.steps:
        lines += ["", "why:"] + [f"- {s.text}" for s in result.steps]
    lines += [f"note: {n}" for n in result.notes]
    if result.figure is not None:
        lines += figures_plain([result.figure])
    return "\n".join(lines)


def to_rich(result):
    if not isinstance(result, LimitResult):
        return quotient_view.to_rich(result)
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    headers, rows = _table(result)
    parts = [Text(_title(result), style="bold"),
             rich_table(None, headers, [[Text(c) for c in row] for row in rows],
                        keep=tuple(range(len(headers))))]
    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", style="bold")
    grid.add_column()
    for label, value in _summary(result):
        style = RESULT_STYLE if label == "limit" and result.exact is not None else (
            WRONG_STYLE if label == "limit" else "")
        grid.add_row(label, Text(value, style=style))
    parts.append(grid)
    parts += [Text("• " + s.text) for s in result.steps]
    parts += [Text(f"note: {n}", style=NOTE_STYLE) for n in result.notes]
    body = Group(*parts)
    if result.figure is None:
        return body
    return Group(body, *figures_rich([result.figure]))

