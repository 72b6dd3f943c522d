"""Renderers for :class:`calctutor.commands.stable.StableResult`."""

from __future__ import annotations

import math

from calctutor.commands.stable import Form, StableResult, representable
from calctutor.parsing import to_input
from calctutor.render.mathtext import EXPR_STYLE, NOTE_STYLE, RESULT_STYLE, WRONG_STYLE
from calctutor.render.plot import fmt, plain_table, rich_table

__all__ = ["to_json", "to_plain", "to_rich"]


def _float(x: float | None):
    if x is None:
        return None
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "oo" if x > 0 else "-oo"
    return x


def _value_text(x: float) -> str:
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return repr(x)


def _error_text(err: float | None) -> str:
    if err is None:
        return "unknown"
    if math.isinf(err):
        return "total"
    return f"{err:.1e}"


def _point_text(result: StableResult) -> str:
    return ", ".join(f"{k} = {to_input(v)}" for k, v in result.point.items())


def _exact_text(result: StableResult) -> str:
    return (f"{result.exact:.20g}" if result.exact is not None
            else result.exact_note or "unknown")


def _form_json(form: Form) -> dict:
    return {"expression": to_input(form.expr), "value": _float(form.value),
            "relative_error": _float(form.relative_error),
            "events": [{"kind": e.kind, "at": to_input(e.expr), "message": e.message}
                       for e in form.evaluation.events]}


def to_json(result: StableResult) -> dict:
    return {
        "input": result.input,
        "function": to_input(result.expression),
        "point": {k: to_input(v) for k, v in result.point.items()},
        "exact": None if result.exact is None else f"{result.exact:.20g}",
        "naive": _form_json(result.naive),
        "stable": _form_json(result.stable),
        "rewrites": [{"name": r.name, "reason": r.reason} for r in result.rewrites],
    }


def _summary(result: StableResult) -> str:
    naive, stable = result.naive, result.stable
    if not representable(result.exact):
        return (f"the exact value {result.exact:.6g} is outside float64's range "
                "(about 4.9e-324 to 1.8e308), so no float64 formula can hold it")
    if not result.rewrites:
        return ("no stable rewrite is known for this expression; float64 is "
                + ("in trouble here (see above)" if naive.trouble else "fine here"))
    if naive.trouble and not stable.trouble:
        return "the naive form fails here; the stable form is accurate"
    if naive.trouble and stable.trouble:
        return "both forms lose accuracy here (see the events above)"
    return "both forms are accurate at this point (try a larger or smaller input)"


def _explained(result: StableResult) -> list[Form]:
    """Forms whose events are worth reading: the naive one always (that is the lesson), the
    stable one only where it, too, went wrong (its harmless underflows stay quiet)."""
    return [result.naive] + ([result.stable] if result.stable.trouble else [])


def _rows(result: StableResult) -> list[list[str]]:
    return [[f.name, _value_text(f.value), _error_text(f.relative_error)]
            for f in (result.naive, result.stable)]


def to_plain(result: StableResult) -> str:
    lines = [f"f = {to_input(result.expression)} at {_point_text(result) or 'the given numbers'}",
             f"exact (30 digits): {_exact_text(result)}", ""]
    lines += [f"naive:  {to_input(result.naive.expr)}",
              f"stable: {to_input(result.stable.expr)}", ""]
    lines += plain_table(["form", "float64 value", "relative error"], _rows(result))
    for form in _explained(result):
        for e in form.evaluation.events:
            lines.append(f"  {form.name}: {e.message}")
    for r in result.rewrites:
        lines.append(f"rewrite: {r.name} - {r.reason}")
    lines += ["", _summary(result)]
    return "\n".join(lines)


def to_rich(result: StableResult):
    from rich.console import Group
    from rich.text import Text

    parts = [Text.assemble("f = ", (to_input(result.expression), EXPR_STYLE), " at ",
                           _point_text(result) or "the given numbers"),
             Text.assemble("exact (30 digits): ", (_exact_text(result), RESULT_STYLE)),
             Text.assemble(("naive:  ", "bold"), (to_input(result.naive.expr), EXPR_STYLE)),
             Text.assemble(("stable: ", "bold"), (to_input(result.stable.expr), EXPR_STYLE))]
    rows = []
    for f in (result.naive, result.stable):
        style = WRONG_STYLE if f.trouble else RESULT_STYLE
        rows.append([Text(f.name), Text(_value_text(f.value), style=style),
                     Text(_error_text(f.relative_error), style=style)])
    parts.append(rich_table(None, ["form", "float64 value", "relative error"], rows,
                            justify=["left", "right", "right"], keep=(1, 2)))
    for form in _explained(result):
        for e in form.evaluation.events:
            parts.append(Text.assemble((f"{form.name}: ", "bold"), e.message))
    for r in result.rewrites:
        parts.append(Text(f"rewrite: {r.name} - {r.reason}", style=NOTE_STYLE))
    parts.append(Text(_summary(result), style="bold"))
    return Group(*parts)
