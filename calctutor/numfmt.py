"""The one number formatter for people (tables, values, hints, messages).

Every renderer writes a float through :func:`format_number`, so one value reads the same
everywhere: an integral value without a decimal point (24, not 24.0), otherwise
``digits`` significant digits (6 in tables, 10 where one value stands alone), ``n/a`` for
a value that is missing, ``undefined`` for NaN and ``oo`` / ``-oo`` for the infinities
(as in our input syntax). Exact values are printed by the printer
(:func:`calctutor.parsing.to_input`), not here. Standard library only.
"""

from __future__ import annotations

import math

__all__ = ["MISSING", "format_number"]

#: what a table cell shows where there is no value
MISSING = "n/a"


def format_number(value: float | int | None, digits: int = 6) -> str:
    """24, 9.75, 0.104979, 1.5e-08; n/a, undefined, oo."""
    if value is None:
        return MISSING
    try:
        x = float(value)
    except (TypeError, ValueError):
        return MISSING
    if math.isnan(x):
        return "undefined"
    if math.isinf(x):
        return "oo" if x > 0 else "-oo"
    if x == int(x) and abs(x) < 1e15:
        return str(int(x))
    text = f"{x:.{digits}g}"
    if "e" in text:  # 1.5e-08 as 1.5e-8
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return "0" if text in ("-0", "0") else text
