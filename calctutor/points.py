"""Parsing ``--at x=1,y=2`` points and ``--dir 1,0`` vectors from the command line."""

from __future__ import annotations

from calctutor.errors import CalcError, ParseError
from calctutor.textsplit import split


def parse_point(text: str, variables: list[str]) -> dict[str, object]:
    """``x=1,y=2`` (or ``1`` / ``1,2`` in the order of ``variables``) → {name: exact value}.

    Values are expressions in our syntax (``pi/2``, ``1/3``, ``e``) and must be constant.
    """
    text = text.strip()
    if not text:
        raise CalcError("the point is empty; write it as x=1,y=2")
    parts = _split_top_level(text)
    point: dict[str, object] = {}
    positional: list[object] = []
    for part in parts:
        name, eq, value_text = part.partition("=")
        value = _constant(value_text if eq else name, f"the point {text!r}", "the point's values")
        if eq:
            key = name.strip()
            if not key.isidentifier():
                raise CalcError(f"{key!r} is not a variable name (write x=1,y=2)")
            key = {"θ": "theta"}.get(key, key)
            point[key] = value
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
    values = [_constant(part, f"the vector {text!r}", "the vector's entries")
              for part in _split_top_level(cleaned)]
    if not values:
        raise CalcError("the vector is empty; write it as 1,0")
    return values


def _constant(source: str, whole: str, what: str):
    """One exact number written in our syntax (``pi/2``, ``1/3``, ``e``), or a CalcError."""
    from calctutor.parsing import parse

    source = source.strip()
    try:
        value = parse(source)
    except ParseError as exc:
        raise CalcError(f"cannot read {whole}: {exc.message}") from None
    if value.free_symbols:
        raise CalcError(f"{what} must be numbers, not {source!r}")
    return value


def _split_top_level(text: str) -> list[str]:
    return split(text, ",")
