"""The one reader of values typed on the command line or in the REPL: points
(``--at x=1,y=2``), vectors (``--dir 1,0``), ranges (``--range -2,4``), lists of numbers
(``--h 0.1,0.01``), single constants (``pi/2``), the choice of variable (``--wrt``), and
the one conversion of an exact value to a finite float.

Every value is an expression in our own syntax read by :func:`calctutor.parsing.parse`
(so ``log(8,2)``, ``1/3`` and ``e`` all work, and a typo is a ``CalcError`` with a caret),
split at top-level commas by :func:`calctutor.textsplit.split` (commas inside a call stay
put: ``x=log(8,2)`` is one value).
"""

from __future__ import annotations

import math

from calctutor.errors import CalcError, ParseError
from calctutor.textsplit import split

__all__ = ["constant", "constants", "parse_point", "parse_vector", "parse_range",
           "choose_variable", "single_variable", "to_float", "split"]

_SPELLINGS = {"θ": "theta"}


def constant(source: str, what: str, whole: str | None = None):
    """One exact number written in our syntax (``pi/2``, ``1/3``, ``e``), or a CalcError.

    ``what`` names the value in messages ("the range"); ``whole``, when given, is the
    larger text it came from, named when the value does not parse ("the point 'x=1,y'").
    Without ``whole`` a parse error keeps its caret under the value.
    """
    from calctutor.parsing import parse

    source = source.strip()
    if not source:
        raise CalcError(f"{what} is empty")
    try:
        value = parse(source)
    except ParseError as exc:
        if whole is None:
            raise
        raise CalcError(f"cannot read {whole}: {exc.message}") from None
    if value.free_symbols:
        raise CalcError(f"{what} must be a number, not {source!r}")
    return value


def constants(text: str, what: str) -> list:
    """Comma-separated constants (``0.1, 1/100``) → a list of exact numbers."""
    return [constant(part, what) for part in split(text, ",")]


def parse_point(text: str, variables: list[str]) -> dict[str, object]:
    """``x=1,y=2`` (or ``1`` / ``1,2`` in the order of ``variables``) → {name: exact value}."""
    text = text.strip()
    if not text:
        raise CalcError("the point is empty; write it as x=1,y=2")
    point: dict[str, object] = {}
    positional: list[object] = []
    for part in split(text, ","):
        name, eq, value_text = part.partition("=")
        value = constant(value_text if eq else name, "each value of the point",
                         f"the point {text!r}")
        if eq:
            key = name.strip()
            if not key.isidentifier():
                raise CalcError(f"{key!r} is not a variable name (write x=1,y=2)")
            point[_SPELLINGS.get(key, key)] = value
        else:
            positional.append(value)
    if positional:
        if point:
            raise CalcError("write the point either as x=1,y=2 or as 1,2 — not both")
        if len(positional) != len(variables):
            names = ", ".join(variables) or "(none)"
            raise CalcError(
                f"the point has {len(positional)} value(s) but the expression has "
                f"{len(variables)} variable(s): {names}; write it as name=value"
            )
        point = dict(zip(variables, positional))
    return point


def parse_vector(text: str) -> list[object]:
    """``1,0`` or ``[0.6, 0.8]`` → a list of exact numbers."""
    cleaned = text.strip().strip("[]()")
    values = [constant(part, "each entry of the vector", f"the vector {text!r}")
              for part in split(cleaned, ",")]
    if not values:
        raise CalcError("the vector is empty; write it as 1,0")
    return values


def parse_range(text: str | None, default: tuple[float, float]) -> tuple[float, float]:
    """``--range LO,HI`` → (lo, hi) floats with lo < hi."""
    if text is None:
        return default
    parts = split(text.strip().strip("[]"), ",")
    if len(parts) != 2:
        raise CalcError(f"write the range as LO,HI (for example -2,4), not {text!r}")
    lo, hi = (to_float(constant(p, "the range")) for p in parts)
    if lo is None or hi is None:
        raise CalcError(f"the range {text!r} must be two finite numbers")
    if not lo < hi:
        raise CalcError(f"the range {text!r} must go from low to high")
    return lo, hi


def _natural_key(name: str):
    head = name.rstrip("0123456789")
    tail = name[len(head):]
    return (head, int(tail) if tail else -1)


def choose_variable(expr, wrt: str | None, option: str = "--wrt") -> str:
    """``--wrt`` if given; else the expression's only variable; else ``x`` (when present,
    or for a constant); an error naming the variables when the choice is ambiguous."""
    names = sorted((s.name for s in expr.free_symbols), key=_natural_key)
    if wrt is not None and wrt.strip():
        wrt = wrt.strip()
        if not wrt.isidentifier():
            raise CalcError(f"{wrt!r} is not a variable name", hint=f"for example {option} x")
        return _SPELLINGS.get(wrt, wrt)
    if not names:
        return "x"
    if len(names) == 1:
        return names[0]
    if "x" in names:
        return "x"
    raise CalcError(
        f"the expression has several variables ({', '.join(names)}); "
        f"say which one with {option}",
        hint=f"for example: {option} {names[0]}",
    )


def single_variable(expr, command: str, hint: str | None = None):
    """The expression's one variable (``x`` for a constant); an error for several."""
    from calctutor.parsing.builder import symbol

    names = sorted(expr.free_symbols, key=lambda s: s.name)
    if len(names) > 1:
        listed = ", ".join(s.name for s in names)
        raise CalcError(f"{command} works with one variable, but the expression has {listed}",
                        hint=hint)
    return names[0] if names else symbol("x")


def to_float(value) -> float | None:
    """An exact (SymPy) or Python number as a finite real float, or None (JSON null):
    None for a symbol, ``zoo``/``nan``, a non-real value, an overflow or an infinity."""
    if value is None:
        return None
    try:
        if isinstance(value, (int, float)):
            number = float(value)
        else:
            import sympy

            if not isinstance(value, sympy.Basic):
                return None
            if value.free_symbols or value.has(sympy.zoo, sympy.nan):
                return None
            approx = sympy.N(value, 30)
            if not approx.is_number:
                return None
            re, im = approx.as_real_imag()
            if im != 0 and abs(float(im)) > 1e-25 * max(1.0, abs(float(re))):
                return None
            number = float(re)
    except (TypeError, ValueError, OverflowError, AttributeError):
        return None
    return number if math.isfinite(number) else None
