"""Input and number helpers shared by the numeric commands (taylor, limit, integrate, plot).

They live in this package because these four commands are the ones that sample functions
numerically; nothing here is specific to drawing."""

from __future__ import annotations

import math

import sympy

from calctutor.errors import CalcError


def to_float(value) -> float | None:
    """A SymPy number (or Python number) as a finite float, or None (JSON null)."""
    if value is None:
        return None
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            if not isinstance(value, sympy.Basic):
                return None
            expr = value
            if expr.free_symbols or expr.has(sympy.zoo, sympy.nan):
                return None
            approx = sympy.N(expr, 30)
            if not approx.is_number:
                return None
            re, im = approx.as_real_imag()
            if im != 0 and abs(float(im)) > 1e-25 * max(1.0, abs(float(re))):
                return None
            number = float(re)
    except (TypeError, ValueError, OverflowError, AttributeError):
        return None
    return number if math.isfinite(number) else None


def parse_number(text: str, what: str) -> sympy.Expr:
    """A constant typed by the user (``1/10``, ``pi/2``, ``0.1``) as an exact SymPy number."""
    from calctutor.parsing import parse

    text = text.strip()
    if not text:
        raise CalcError(f"{what} is empty")
    value = parse(text)
    if value.free_symbols:
        raise CalcError(f"{what} must be a number, not {text!r}")
    return value


def split_top_level(text: str, sep: str = ",") -> list[str]:
    """Split on ``sep`` outside parentheses/brackets: ``max(x, 0), sin x`` → 2 parts."""
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def parse_numbers(text: str, what: str) -> list[sympy.Expr]:
    return [parse_number(p, what) for p in split_top_level(text)]


def parse_range(text: str | None, default: tuple[float, float]) -> tuple[float, float]:
    """``--range LO,HI`` → (lo, hi) floats with lo < hi."""
    if text is None:
        return default
    parts = split_top_level(text.strip().strip("[]"))
    if len(parts) != 2:
        raise CalcError(f"write the range as LO,HI (for example -2,4), not {text!r}")
    lo, hi = (to_float(parse_number(p, "the range")) for p in parts)
    if lo is None or hi is None:
        raise CalcError(f"the range {text!r} must be two finite numbers")
    if not lo < hi:
        raise CalcError(f"the range {text!r} must go from low to high")
    from calctutor.limits import MAX_PLOT_MAGNITUDE

    if max(abs(lo), abs(hi)) > MAX_PLOT_MAGNITUDE:
        raise CalcError(f"the range {text!r} is too wide to plot (|LO| and |HI| are at most "
                        f"{MAX_PLOT_MAGNITUDE:g})")
    return lo, hi


def single_variable(expr: sympy.Expr, command: str, hint: str | None = None) -> sympy.Symbol:
    """The expression's one variable (``x`` for a constant); an error for several."""
    from calctutor.parsing.builder import symbol

    names = sorted(expr.free_symbols, key=lambda s: s.name)
    if len(names) > 1:
        listed = ", ".join(s.name for s in names)
        raise CalcError(f"{command} works with one variable, but the expression has {listed}",
                        hint=hint)
    return names[0] if names else symbol("x")
