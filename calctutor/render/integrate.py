"""Renderers for :class:`calctutor.commands.integrate.IntegrateResult`."""

from __future__ import annotations

import sympy

from calctutor.commands.integrate import IntegrateResult
from calctutor.parsing import to_input
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, WRONG_STYLE
from calctutor.render.plot import fmt


def _quadrature_json(q) -> dict:
    honest = q.estimate_honest
    return {"value": q.value,
            # an estimate smaller than the true error is not an estimate: null then
            "error_estimate": None if honest is False else q.error_estimate,
            "routine_error_estimate": q.error_estimate,
            "true_error": q.true_error,
            "estimate_trusted": honest,
            "settled": q.settled,
            "evaluations": q.evaluations, "method": q.method}


def to_json(result: IntegrateResult) -> dict:
    q, mc = result.quadrature, result.monte_carlo
    imp = result.improper
    return {
        "input": result.input,
        "function": to_input(result.function),
        "variable": result.variable,
        "from": to_input(result.lower),
        "to": to_input(result.upper),
        "antiderivative": to_input(result.antiderivative) if result.antiderivative is not None else None,
        "antiderivative_note": result.antiderivative_note or None,
        "exact": to_input(result.exact) if result.exact is not None else None,
        "exact_value": result.exact_float,
        "exact_note": result.exact_note or None,
        "improper": imp is not None,
        "diverges": result.diverges,
        "convergence": None if imp is None else {
            "kind": imp.kind, "points": [to_input(p) for p in imp.points],
            "converges": imp.converges, "message": imp.text,
            "principal_value": (to_input(imp.principal_value)
                                if imp.principal_value is not None else None)},
        "pieces": [{"from": to_input(p.lower), "to": to_input(p.upper),
                    "function": to_input(p.function),
                    "antiderivative": (to_input(p.antiderivative)
                                       if p.antiderivative is not None else None),
                    "value": to_input(p.value) if p.value is not None else None}
                   for p in result.pieces],
        "quadrature": _quadrature_json(q),
        "monte_carlo": None if mc is None else {
            "estimate": mc.estimate,
            "stderr": None if mc.infinite_variance else mc.stderr,
            "sample_stderr": mc.stderr, "infinite_variance": mc.infinite_variance,
            "variance_note": mc.variance_reason or None,
            "n": mc.n, "seed": mc.seed, "mean": mc.mean,
            "error": (mc.estimate - result.exact_float)
            if mc.estimate is not None and result.exact_float is not None else None,
        },
        "notes": list(result.notes),
    }


def to_latex(result: IntegrateResult) -> str:
    x = sympy.Symbol(result.variable, real=True)
    integral = sympy.latex(sympy.Integral(result.function, (x, result.lower, result.upper)))
    if result.exact is None:
        if result.diverges:
            return integral + r" \text{ diverges}"
        return integral
    return f"{integral} = {sympy.latex(result.exact)}"


def _quadrature_remark(q) -> str:
    head = f"{q.method}; {q.evaluations} evaluations"
    honest = q.estimate_honest
    if honest is True:
        return (f"{head}; error against the exact value {fmt(q.true_error, 2)} (the "
                f"routine's own estimate: {fmt(q.error_estimate, 2)})")
    if honest is False:
        return (f"{head}; error against the exact value {fmt(q.true_error, 2)} - the "
                "routine's own error estimate is smaller than that, so it is no estimate "
                "here")
    if q.error_estimate is None:
        return head
    return (f"{head}; the routine's own error estimate {fmt(q.error_estimate, 2)} (the "
            "change between its last two refinements, not a guaranteed bound)")


def _lines(result: IntegrateResult) -> list[tuple[str, str, str]]:
    """(label, value, remark) rows shared by the plain and Rich views."""
    a, b, x = to_input(result.lower), to_input(result.upper), result.variable
    rows = []
    imp = result.improper
    if imp is not None:
        label = "diverges" if imp.converges is False else "improper"
        aside = ""
        if imp.principal_value is not None:
            aside = (f"aside: the Cauchy principal value (cut out a symmetric gap around "
                     f"the singularity, then shrink it) is {to_input(imp.principal_value)}; "
                     "that is a different, weaker notion, not the integral")
        rows.append((label, imp.text, aside))
    if result.antiderivative is not None:
        remark = result.antiderivative_note or f"F' = f on the whole interval, so the integral is F({b}) - F({a})"
        rows.append(("antiderivative", f"F({x}) = {to_input(result.antiderivative)}", remark))
    elif result.antiderivative_note and not result.pieces:
        rows.append(("antiderivative", "n/a", result.antiderivative_note))
    for piece in result.pieces:
        F = to_input(piece.antiderivative) if piece.antiderivative is not None else "n/a"
        rows.append((f"on [{to_input(piece.lower)}, {to_input(piece.upper)}]",
                     f"f = {to_input(piece.function)}, F = {F}",
                     f"area {to_input(piece.value)}" if piece.value is not None else ""))
    if result.pieces:
        rows.append(("", "", result.antiderivative_note))
    if result.exact is not None:
        exact = to_input(result.exact)
        value = result.exact_float
        shown = (exact if value is None or result.exact.is_Integer or result.exact.is_Float
                 else f"{exact} ~ {fmt(value, 12)}")
        rows.append(("exact", shown, result.exact_note or "SymPy, symbolic"))
    else:
        rows.append(("exact", "n/a", result.exact_note))
    q = result.quadrature
    rows.append(("quadrature", fmt(q.value, 12), _quadrature_remark(q)))
    mc = result.monte_carlo
    if mc is not None:
        if mc.estimate is None:
            rows.append(("Monte Carlo", "n/a", "f is undefined at some sampled points"))
        elif mc.infinite_variance:
            rows.append(("Monte Carlo", f"{fmt(mc.estimate, 6)} (no error bar)",
                         f"N = {mc.n:,} uniform samples, seed {mc.seed}. Warning: the variance "
                         f"of f is infinite ({mc.variance_reason}), so the standard error "
                         "means nothing here: a +/- 1.96 SE interval misses the true value "
                         "far more often than 5% of the time, and the estimate converges "
                         "slower than 1/sqrt(N)"))
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
        if value or label:
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
        style = (RESULT_STYLE if label in ("exact", "quadrature", "Monte Carlo", "improper")
                 else WRONG_STYLE if label == "diverges" else EXPR_STYLE)
        cell = Text(value, style=style)
        if remark:
            cell.append("\n" + remark, style=NOTE_STYLE)
        grid.add_row(label, cell)
    parts = [grid] + [Text(f"note: {n}", style=NOTE_STYLE) for n in result.notes]
    return Panel(Group(*parts), title=f"[bold]{_title(result)}[/bold]", expand=False)
