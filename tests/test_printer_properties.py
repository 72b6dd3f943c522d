"""Properties of the one printer over random expressions (the parser tests' strategies):
the text reads back to the same tree, and it follows the teacher's conventions."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings

from calctutor.parsing import parse, to_input
from calctutor.parsing.printer import to_latex
from test_parser_properties import expressions

#: what a teacher never writes: a factor of -1, 1 or 0, a negative exponent, ln as log
FORBIDDEN = [
    (re.compile(r"(?<![\w.)^])-1\*"), "-1*"),
    (re.compile(r"(?<![\w.)^/])1\*"), "1*"),
    (re.compile(r"(?<![\w.)^/])0\*"), "0*"),
    (re.compile(r"\^\(-"), "^(-"),
    (re.compile(r"\blog\("), "log("),
    (re.compile(r"\*\(\w+\*\("), "n*(a*(...)) nesting"),
]

RATIONAL_BASE = re.compile(r"\(\d+/\d+\)\^\(-")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.filter_too_much])
@given(expressions)
def test_printed_text_reads_back_and_follows_the_conventions(expr) -> None:
    text = to_input(expr)
    assert parse(text) == expr, f"{expr!r} printed as {text!r}"
    # (1/2)^(-x) is the one way to write that tree (1/(1/2)^x reads back as 2^x)
    checked = RATIONAL_BASE.sub("(p/q)^(", text)
    for pattern, what in FORBIDDEN:
        assert not pattern.search(checked), f"{expr!r} printed as {text!r} contains {what}"
    latex = to_latex(expr)
    assert latex and "\\log" not in latex
