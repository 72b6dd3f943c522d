"""Renderers for :class:`calctutor.commands.integrate.IntegrateResult`."""

from __future__ import annotations

import sympy

from calctutor.commands.integrate import IntegrateResult
from calctutor.parsing import to_input
from calctutor.parsing.printer import to_latex as latex_of
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE
from calctutor.render.plot import fmt


def to_json(result: IntegrateResult) -> dict:
    q, mc = result.quadrature, result.monte_carlo
    return {
        "input": result.input,
        "function": to_input(result.function),
        "variable": result.variable,
        "from": to_input(result.lower),
        "to": to_input(result.upper),
        "antiderivative": to_input(result.antiderivative) if result.antiderivative is not None else None,
        "exact": to_input(result.exact) if result.exact is not None else None,
        "exact_value": result.exact_float,
        "exact_note": result.exact_note or None,
        "quadrature": {"value": q.value, "error_estimate": q.error_estimate,
                       "evaluations": q.evaluations, "method": q.method},
        "monte_carlo": None if mc is None else {
            "estimate": mc.estimate, "stderr": mc.stderr, "n": mc.n, "seed": mc.seed,
            "mean": mc.mean,
            "error": (mc.estimate - result.exact_float)
            if mc.estimate is not None and result.exact_float is not None else None,
        },
        "notes": list(result.notes),
    }


def to_latex(result: IntegrateResult) -> str:
    x = sympy.Symbol(result.variable, real=True)
    integral = latex_of(sympy.Integral(result.function, (x, result.lower, result.upper)))
    if result.exact is None:
        return integral
    return f"{integral} = {latex_of(result.exact)}"


def _lines(result: IntegrateResult) -> list[tuple[str, str, str]]:
    """(label, value, remark) rows shared by the plain and Rich views."""
    a, b, x = to_input(result.lower), to_input(result.upper), result.variable
    rows = []
    if result.antiderivative is not None:
        rows.append(("antiderivative", f"F({x}) = {to_input(result.antiderivative)}",
                     f"F' = f, so the integral is F({b}) - F({a})"))
    if result.exact is not None:
        exact = to_input(result.exact)
        value = result.exact_float
        shown = exact if value is None or result.exact.is_Integer else f"{exact} ~ {fmt(value, 12)}"
        rows.append(("exact", shown, result.exact_note or "SymPy, symbolic"))
    else:
        rows.append(("exact", "n/a", result.exact_note))
    q = result.quadrature
    rows.append(("quadrature", fmt(q.value, 12),
                 f"{q.method}; {q.evaluations} evaluations; estimated error {fmt(q.error_estimate, 2)}"))
    mc = result.monte_carlo
    if mc is not None:
        if mc.estimate is None:
            rows.append(("Monte Carlo", "n/a", "f is undefined at some sampled points"))
        else:
            remark = (f"N = {mc.n:,} uniform samples, seed {mc.seed}: (b - a) x mean of f; "
                      f"standard error (b - a) s/sqrt(N)")
            rows.append(("Monte Carlo", f"{fmt(mc.estimate, 6)} +/- {fmt(mc.stderr, 2)}", remark))
            if result.exact_float is not None:
                off = mc.estimate - result.exact_float
                within = abs(off) / mc.stderr if mc.stderr else float("inf")
                rows.append(("", f"off by {fmt(off, 2)}",
                             f"{fmt(within, 2)} standard errors from the exact value; "
                             "4x the samples halves the error"))
    return rows


def _title(result: IntegrateResult) -> str:
    return (f"integral of {to_input(result.function)} d{result.variable} from "
            f"{to_input(result.lower)} to {to_input(result.upper)}")


def to_plain(result: IntegrateResult) -> str:
    rows = _lines(result)
    width = max(len(r[0]) for r in rows)
    out = [_title(result), ""]
    for label, value, remark in rows:
        out.append(f"{label.rjust(width)}  {value}")
        if remark:
            out.append(f"{' ' * width}    ({remark})")
    out += [f"note: {n}" for n in result.notes]
    return "\n".join(out)


def to_rich(result: IntegrateResult):
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 2))
    grid.add_column(justify="right", style="bold")
    grid.add_column()
    for label, value, remark in _lines(result):
        style = RESULT_STYLE if label in ("exact", "quadrature", "Monte Carlo") else EXPR_STYLE
        cell = Text(value, style=style)
        if remark:
            cell.append("\n" + remark, style=NOTE_STYLE)
        grid.add_row(label, cell)
    parts = [grid] + [Text(f"note: {n}", style=NOTE_STYLE) for n in result.notes]
    return Panel(Group(*parts), title=f"[bold]{_title(result)}[/bold]", expand=False)
