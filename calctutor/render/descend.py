"""Renderers for :class:`calctutor.commands.descend.DescendResult`: the step table, the
picture (curve or contours with the path) and what happened, in words."""

from __future__ import annotations

from calctutor.commands.descend import DescendResult
from calctutor.descent import METHODS
from calctutor.parsing import to_input
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, WRONG_STYLE
from calctutor.render.plot import figures_plain, figures_rich, fmt, plain_table, rich_table

__all__ = ["to_json", "to_plain", "to_rich"]

#: Rows shown at the head and tail of a long run (the JSON has every iterate).
HEAD, TAIL = 8, 4

_OUTCOME_STYLE = {"converged": RESULT_STYLE, "diverged": WRONG_STYLE,
                  "oscillating": "bold yellow", "stalled": "bold yellow", "max_steps": "bold"}


def _number(x: float) -> float | None:
    return x if x == x and abs(x) != float("inf") else None


def to_json(result: DescendResult) -> dict:
    run, outcome = result.run, result.outcome
    doc = {
        "function": to_input(result.expression),
        "input": result.input,
        "variables": list(result.variables),
        "method": run.method,
        "rate": run.rate,
        "iterates": [],
        "outcome": outcome.kind,
        "message": outcome.message,
        "steps_taken": len(run.iterates) - 1,
        "critical_point": outcome.critical,
        "hessian_eigenvalues": list(outcome.eigenvalues),
        "stable_rate_bound": outcome.bound,
        "notes": list(outcome.notes),
    }
    if run.beta is not None:
        doc["beta"] = run.beta
    for it in run.iterates:
        row = {
            "k": it.k,
            "point": {v: _number(x) for v, x in zip(run.variables, it.point)},
            "value": _number(it.value),
            "gradient": {v: _number(g) for v, g in zip(run.variables, it.gradient)},
        }
        if it.step is not None:
            row["step"] = {v: _number(s) for v, s in zip(run.variables, it.step)}
        if it.hessian is not None:
            row["hessian"] = [[_number(h) for h in r] for r in it.hessian]
        doc["iterates"].append(row)
    return doc


def _vector(values) -> str:
    if len(values) == 1:
        return fmt(values[0])
    return "(" + ", ".join(fmt(v) for v in values) + ")"


def _headers(result: DescendResult) -> list[str]:
    names = ", ".join(result.variables)
    point = names if len(result.variables) == 1 else f"({names})"
    heads = ["k", point, "f", "gradient", "step"]
    if result.run.method == "newton":
        heads.append("Hessian")
    return heads


def _rows(result: DescendResult) -> list[list[str]]:
    its = result.run.iterates
    chosen = list(enumerate(its))
    if len(its) > HEAD + TAIL + 1:
        chosen = chosen[:HEAD] + [(None, None)] + chosen[-TAIL:]
    rows = []
    for _, it in chosen:
        if it is None:
            hidden = len(its) - HEAD - TAIL
            cells = ["...", f"({hidden} more steps)", "", "", ""]
            if result.run.method == "newton":
                cells.append("")
            rows.append(cells)
            continue
        cells = [str(it.k), _vector(it.point), fmt(it.value), _vector(it.gradient),
                 "-" if it.step is None else _vector(it.step)]
        if result.run.method == "newton":
            cells.append("-" if it.hessian is None else
                         "[" + "; ".join(" ".join(fmt(h) for h in r) for r in it.hessian) + "]")
        rows.append(cells)
    return rows


def _header(result: DescendResult) -> str:
    run = result.run
    start = ", ".join(f"{v} = {fmt(x)}" for v, x in zip(run.variables, run.iterates[0].point))
    extra = f", beta {fmt(run.beta)}" if run.beta is not None else ""
    return (f"{METHODS[run.method]}\nf = {to_input(result.expression)}, from {start}, "
            f"rate {fmt(run.rate)}{extra}")


def to_plain(result: DescendResult) -> str:
    lines = _header(result).split("\n") + [""]
    lines += plain_table(_headers(result), _rows(result))
    if result.figure is not None:
        lines += figures_plain([result.figure])
    if result.plot_note:
        lines += ["", f"note: {result.plot_note}"]
    lines += ["", result.outcome.message]
    lines += [f"note: {n}" for n in result.outcome.notes]
    return "\n".join(lines)


def to_rich(result: DescendResult):
    from rich.console import Group
    from rich.text import Text

    method_line, rest = _header(result).split("\n", 1)
    parts = [Text(method_line, style="bold"),
             Text.assemble("f = ", (to_input(result.expression), EXPR_STYLE),
                           rest[len("f = " + to_input(result.expression)):])]
    parts.append(rich_table(None, _headers(result), _rows(result), keep=(0, 1, 2, 3, 4)))
    if result.figure is not None:
        parts += figures_rich([result.figure])
    if result.plot_note:
        parts.append(Text(f"note: {result.plot_note}", style=NOTE_STYLE))
    outcome = result.outcome
    parts.append(Text(""))
    parts.append(Text(outcome.message, style=_OUTCOME_STYLE.get(outcome.kind, "bold")))
    for n in outcome.notes:
        parts.append(Text(f"note: {n}", style=NOTE_STYLE))
    return Group(*parts)
