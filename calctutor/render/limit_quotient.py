"""Renderers for :class:`calctutor.commands.limit_quotient.QuotientResult` (``limit --quotient``)."""

from __future__ import annotations

import sympy

from calctutor.commands.limit_quotient import QuotientResult, QuotientRow
from calctutor.parsing import to_input
from calctutor.points import to_float
from calctutor.render.mathtext import NOTE_STYLE, RESULT_STYLE, WRONG_STYLE
from calctutor.render.plot import figures_plain, figures_rich, fmt, plain_table, rich_table

MARK = "!"
MARK_NOTE = "! = the first h where float64 rounding error is larger than truncation error"


def decimal_text(value: sympy.Expr, min_places: int = 5) -> str:
    """An exact quotient as a decimal: 23/10 → 2.30000 (all digits when it terminates)."""
    if value.is_Rational:
        q = int(value.q)
        twos = fives = 0
        while q % 2 == 0:
            q //= 2
            twos += 1
        while q % 5 == 0:
            q //= 5
            fives += 1
        places = max(twos, fives)
        if q == 1 and places <= 20:
            scaled = abs(value.p) * (10**places // int(value.q))
            sign = "-" if value < 0 else ""
            whole, frac = divmod(scaled, 10**places)
            digits = str(frac).rjust(places, "0") if places else ""
            digits = digits.ljust(min_places, "0")
            return f"{sign}{whole}.{digits}"
    number = to_float(value)
    return "n/a" if number is None else f"{number:.15g}"


def h_text(h: sympy.Expr) -> str:
    value = to_float(h)
    if h.is_Rational and h.p == 1 and str(h.q).strip("0") == "1":
        return f"1e-{len(str(h.q)) - 1}"
    return fmt(value, 10)


def f64(value: float | None) -> str:
    return "n/a" if value is None else repr(value)


def _rows(result: QuotientResult, kind: str, marks: bool) -> list[list[str]]:
    rows = []
    exact = result.exact_float
    first_mark = result.takeover(kind)
    for r in result.rows:
        quotient = r.forward_exact if kind == "forward" else r.central_exact
        value = r.forward_float64 if kind == "forward" else r.central_float64
        err = r.error(kind, exact)
        mark = f" {MARK}" if (marks and first_mark is not None and r.h == first_mark) else "  "
        rows.append([h_text(r.h), decimal_text(quotient), f64(value),
                     ("n/a" if err is None else f"{err:.1e}") + mark])
    return rows


def _headers() -> list[str]:
    return ["h", "exact arithmetic", "float64", "error  "]


def _intro(result: QuotientResult) -> list[str]:
    a = to_input(result.point)
    lines = [f"f(x) = {to_input(result.function)},  a = {a}"]
    if result.exact is not None:
        lines.append(f"exact derivative: f'(x) = {to_input(result.derivative)},  "
                     f"f'({a}) = {to_input(result.exact)}"
                     + ("" if result.exact.is_Rational else f" ~ {fmt(result.exact_float, 12)}"))
    if result.one_sided is not None:
        left, right = result.one_sided
        lines.append(f"no derivative at {result.variable} = {a}: the one-sided slopes differ")
        if result.quotient is not None and result.left_quotient is not None:
            lines.append(f"by hand, h > 0: from the right (f({a} + h) - f({a}))/h = "
                         f"{to_input(result.quotient)}  ->  {_side(right)}")
            lines.append(f"              from the left  (f({a} - h) - f({a}))/(-h) = "
                         f"{to_input(result.left_quotient)}  ->  {_side(left)}")
        else:
            lines.append(f"slope from the right {_side(right)}, from the left {_side(left)}")
    elif result.quotient is not None:
        limit = result.quotient.subs(result.h_symbol, 0)
        lines.append(f"by hand: (f({a} + h) - f({a}))/h = {to_input(result.quotient)}"
                     f"  ->  {to_input(limit)} as h -> 0")
    return lines


def _side(value) -> str:
    if value is None:
        return "undefined (f is not real on that side)"
    return to_input(value)


def _explain(result: QuotientResult) -> list[str]:
    out = []
    fw, ce = result.takeover("forward"), result.takeover("central")
    if fw is not None:
        out.append(f"forward: from h = {h_text(fw)} down, float64 rounding error "
                   "(cancellation in f(a+h) - f(a)) is larger than the truncation error")
    if ce is not None:
        out.append(f"central: from h = {h_text(ce)} down, the same happens; the central "
                   "quotient's truncation error is O(h^2), so it gets closer before that")
    if fw is not None or ce is not None:
        out.insert(0, MARK_NOTE + "; error = float64 - f'(a)")
    out.append("rule of thumb: best h ~ 1e-8 for forward, ~ 1e-5 for central differences "
               "(sqrt and cube root of machine epsilon 2.2e-16)")
    return out


def to_json(result: QuotientResult) -> dict:
    exact = result.exact_float
    return {
        "input": result.input,
        "function": to_input(result.function),
        "variable": result.variable,
        "point": to_float(result.point),
        "rows": [_row_json(r, exact) for r in result.rows],
        "exact": exact,
        "derivative": to_input(result.derivative) if result.derivative is not None else None,
        "exact_expr": to_input(result.exact) if result.exact is not None else None,
        "quotient": to_input(result.quotient) if result.quotient is not None else None,
        "cancellation_h": {k: to_float(result.takeover(k)) for k in ("forward", "central")},
        "differentiable": result.exact is not None,
        "one_sided": None if result.one_sided is None else {
            "left": _number(result.one_sided[0]), "right": _number(result.one_sided[1])},
        "notes": list(result.notes),
    }


def _number(value):
    """A slope for JSON: a float, "oo"/"-oo", or null."""
    if value is None:
        return None
    if value is sympy.oo:
        return "oo"
    if value is -sympy.oo:
        return "-oo"
    return to_float(value)


def _row_json(r: QuotientRow, exact: float | None) -> dict:
    return {
        "h": to_float(r.h),
        "forward": r.forward,
        "central": r.central,
        "backward": r.backward,
        "forward_float64": r.forward_float64,
        "central_float64": r.central_float64,
        "forward_error": r.error("forward", exact),
        "central_error": r.error("central", exact),
        "forward_exact": to_input(r.forward_exact) if r.forward_exact.is_Rational else None,
        "central_exact": to_input(r.central_exact) if r.central_exact.is_Rational else None,
        "rounding_exceeds_truncation": {"forward": r.rounding_wins_forward,
                                        "central": r.rounding_wins_central},
    }


def _backward_rows(result: QuotientResult) -> list[list[str]]:
    return [[h_text(r.h), decimal_text(r.backward_exact) if r.backward_exact is not None
             else "n/a"] for r in result.rows]


def to_plain(result: QuotientResult) -> str:
    lines = _intro(result) + [""]
    lines.append("forward difference (f(a+h) - f(a))/h:")
    lines += plain_table(_headers(), _rows(result, "forward", True))
    if result.one_sided is not None:
        lines += ["", "backward difference (f(a) - f(a-h))/h, the slope from the left:"]
        lines += plain_table(["h", "exact arithmetic"], _backward_rows(result))
    lines += ["", "central difference (f(a+h) - f(a-h))/(2h):"]
    lines += plain_table(_headers(), _rows(result, "central", True))
    lines += [""] + [f"- {e}" for e in _explain(result)]
    lines += [f"note: {n}" for n in result.notes]
    if result.figure is not None:
        lines += figures_plain([result.figure])
    return "\n".join(lines)


def to_rich(result: QuotientResult):
    from rich.console import Group
    from rich.text import Text

    parts = [Text(line) for line in _intro(result)]
    for kind, title in (("forward", "forward difference  (f(a+h) - f(a))/h"),
                        ("central", "central difference  (f(a+h) - f(a-h))/(2h)")):
        rows = _rows(result, kind, True)
        styled = []
        exact = result.exact_float
        for raw, r in zip(rows, result.rows):
            wins = r.rounding_wins_forward if kind == "forward" else r.rounding_wins_central
            err_style = WRONG_STYLE if wins else RESULT_STYLE
            styled.append([Text(raw[0]), Text(raw[1]), Text(raw[2]),
                           Text(raw[3], style=err_style if exact is not None else "")])
        parts.append(rich_table(title, _headers(), styled, keep=(0, 1, 2, 3)))
        if kind == "forward" and result.one_sided is not None:
            parts.append(rich_table("backward  (f(a) - f(a-h))/h",
                                    ["h", "exact arithmetic"],
                                    [[Text(c) for c in row] for row in _backward_rows(result)],
                                    keep=(0, 1)))
    parts += [Text("• " + e, style=NOTE_STYLE) for e in _explain(result)]
    parts += [Text(f"note: {n}", style=NOTE_STYLE) for n in result.notes]
    title = Text(f"the derivative of {to_input(result.function)} at {result.variable} = "
                 f"{to_input(result.point)} as a limit of difference quotients", style="bold")
    # no panel border: the digits need every column of a narrow terminal
    body = Group(title, *parts)
    if result.figure is None:
        return body
    return Group(body, *figures_rich([result.figure]))
