"""Renderers for :class:`calctutor.commands.taylor.TaylorResult`."""

from __future__ import annotations

from calctutor.commands.taylor import TaylorResult
from calctutor.parsing import to_input
from calctutor.points import to_float
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE
from calctutor.render.plot import (exact_and_float, figures_plain, figures_rich, fmt,
                                   plain_table, rich_table)

FORMULA = "f(x) ~ sum over k of f^(k)(a)/k! * (x - a)^k"
FORMULA_MULTI = "f(a + d) ~ f(a) + grad f(a) . d + 1/2 d^T H(a) d   (d = x - a)"
MEANING = (
    "first order (value + gradient) is the linear model gradient descent steps along: "
    "it only knows the slope, so it needs a small learning rate.",
    "second order adds the curvature (Hessian): Newton's method jumps to the minimum of "
    "this quadratic, x_new = a - H^-1 grad f(a); trust-region methods trust it only nearby.",
)


def number_text(value) -> str:
    """11/10 as 1.1 (a terminating decimal, as the learner typed it); else our syntax."""
    if value.is_Rational and not value.is_Integer:
        q = int(value.q)
        for p in (2, 5):
            while q % p == 0:
                q //= p
        if q == 1:
            text = repr(float(value))
            if len(text) <= 12:
                return text
    return to_input(value)


def _point_text(result: TaylorResult, point: dict) -> str:
    if not result.multivariable:
        return number_text(point[result.variable])
    return ", ".join(f"{n}={number_text(point[n])}" for n in result.variables)


def _point_json(result: TaylorResult, point: dict):
    if not result.multivariable:
        return to_float(point[result.variable])
    return {n: to_float(point[n]) for n in result.variables}


def to_json(result: TaylorResult) -> dict:
    doc = {
        "input": result.input,
        "function": to_input(result.function),
        "variables": list(result.variables),
        "point": _point_json(result, result.point),
        "order": result.order,
        "polynomial": result.polynomial_text,
        "expanded": to_input(result.expanded),
        "terms": [
            {
                "k": t.k,
                "index": list(t.index),
                "label": t.label,
                "derivative": to_input(t.derivative),
                "derivative_value": to_float(t.derivative_value),
                "derivative_exact": to_input(t.derivative_value),
                "factorial": t.factorial,
                "coefficient": to_float(t.coefficient),
                "coefficient_exact": to_input(t.coefficient),
                "term": t.text,
            }
            for t in result.terms
        ],
        "table": [
            {
                "x": _point_json(result, row.point),
                "approx": row.approx,
                "exact": row.exact,
                "error": row.error,
                "remainder_bound": row.bound,
                "partial_sums": list(row.partial_sums),
            }
            for row in result.table
        ],
        "remainder_note": result.bound_note,
    }
    if result.multivariable:
        doc["gradient"] = {n: to_float(g) for n, g in zip(result.variables, result.gradient)}
        doc["hessian"] = [[to_float(h) for h in row] for row in result.hessian]
    if result.notes:
        doc["notes"] = list(result.notes)
    return doc


def to_latex(result: TaylorResult) -> str:
    import sympy

    return sympy.latex(result.polynomial)


def _title(result: TaylorResult) -> str:
    where = _point_text(result, result.point)
    at = f"{result.variable} = {where}" if not result.multivariable else f"({where})"
    return f"Taylor polynomial of {to_input(result.function)} at {at}, order {result.order}"


def _term_rows(result: TaylorResult) -> tuple[list[str], list[list[str]]]:
    if result.multivariable:
        headers = ["k", "derivative", "value at a", "alpha!", "coefficient", "term"]
    else:
        headers = ["k", "f^(k)(x)", "f^(k)(a)", "k!", "coefficient", "term"]
    rows = []
    for t in result.terms:
        rows.append([str(t.k), _short(to_input(t.derivative)) if not result.multivariable
                     else t.label.replace("(a)", ""), exact_and_float(t.derivative_value),
                     str(t.factorial), exact_and_float(t.coefficient), t.text])
    return headers, rows


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _table_rows(result: TaylorResult) -> tuple[list[str], list[list[str]]]:
    headers = ["x" if not result.multivariable else "point", f"P{result.order}(x)", "f(x)",
               "error", "bound"]
    rows = [[_point_text(result, r.point), fmt(r.approx), fmt(r.exact), fmt(r.error, 4),
             fmt(r.bound, 4)] for r in result.table]
    return headers, rows


def _partial_rows(result: TaylorResult) -> tuple[list[str], list[list[str]]]:
    headers = ["x" if not result.multivariable else "point"] + [
        f"order {k}" for k in range(result.order + 1)]
    rows = [[_point_text(result, r.point)] + [fmt(v) for v in r.partial_sums]
            for r in result.table]
    return headers, rows


def _multi_lines(result: TaylorResult) -> list[str]:
    names = result.variables
    value = result.terms[0].derivative_value
    grad = ", ".join(to_input(g) for g in result.gradient)
    hess = "; ".join(", ".join(to_input(h) for h in row) for row in result.hessian)
    deltas = ", ".join(f"{n} - {to_input(result.point[n])}" for n in names)
    return [
        f"value     f(a) = {to_input(value)}",
        f"gradient  grad f(a) = ({grad})",
        f"Hessian   H(a) = [{hess}]",
        f"with d = ({deltas}):  P(x) = f(a) + grad f(a) . d + 1/2 d^T H(a) d",
    ]


def _show_expanded(result: TaylorResult) -> bool:
    """The expanded form, only when the centre is not 0 (else it is the same polynomial)."""
    return any(v != 0 for v in result.point.values()) and (
        result.polynomial_text != to_input(result.expanded))


def to_plain(result: TaylorResult) -> str:
    lines = [_title(result), "", FORMULA_MULTI if result.multivariable else FORMULA, ""]
    if result.multivariable:
        lines += _multi_lines(result) + [""]
    headers, rows = _term_rows(result)
    lines += ["terms:"] + plain_table(headers, rows) + [""]
    lines.append(f"P{result.order}(x) = {result.polynomial_text}")
    if _show_expanded(result):
        lines.append(f"      = {to_input(result.expanded)}   (expanded)")
    if result.table:
        headers, rows = _table_rows(result)
        lines += ["", "error table (error = f(x) - P(x)):"] + plain_table(headers, rows)
        if result.order > 0:
            headers, rows = _partial_rows(result)
            lines += ["", "partial sums (the approximation as the order rises):"]
            lines += plain_table(headers, rows)
        if result.bound_note:
            lines.append(f"  note: {result.bound_note}")
    if result.multivariable:
        lines += [""] + [f"- {m}" for m in MEANING]
    lines += [f"note: {n}" for n in result.notes]
    if result.figure is not None:
        lines += figures_plain([result.figure])
    return "\n".join(lines)


def to_rich(result: TaylorResult):
    from rich.console import Group
    from rich.panel import Panel
    from rich.text import Text

    parts = [Text(FORMULA_MULTI if result.multivariable else FORMULA, style=NOTE_STYLE)]
    if result.multivariable:
        parts += [Text("")] + [Text(line) for line in _multi_lines(result)]
    headers, rows = _term_rows(result)
    parts.append(rich_table("terms", headers, rows,
                            justify=["right", "left", "right", "right", "right", "left"]))
    poly = Text.assemble((f"P{result.order}(x) = ", "bold"),
                         (result.polynomial_text, RESULT_STYLE))
    parts.append(poly)
    if _show_expanded(result):
        parts.append(Text.assemble("      = ", (to_input(result.expanded), EXPR_STYLE),
                                   ("   (expanded)", NOTE_STYLE)))
    if result.table:
        headers, rows = _table_rows(result)
        parts.append(rich_table("error table  (error = f(x) - P(x))", headers, rows))
        if result.order > 0:
            headers, rows = _partial_rows(result)
            parts.append(rich_table("partial sums by order",
                                    headers, rows))
        if result.bound_note:
            parts.append(Text(result.bound_note, style=NOTE_STYLE))
    if result.multivariable:
        parts.append(Text(""))
        parts += [Text("• " + m) for m in MEANING]
    parts += [Text(f"note: {n}", style=NOTE_STYLE) for n in result.notes]
    body = Panel(Group(*parts), title=f"[bold]{_title(result)}[/bold]", expand=False)
    if result.figure is None:
        return body
    return Group(body, *figures_rich([result.figure]))
