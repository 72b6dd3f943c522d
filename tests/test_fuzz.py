"""Bounded grammar-aware fuzzing: the parser, the printer round trip and the commands'
entry points let nothing escape but a :class:`CalcError` (a clean one-line refusal).

The example counts are small so CI stays quick; ``bench/fuzz_long.py`` runs the same
strategies for longer (and the CLI in subprocesses).
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from calctutor.errors import CalcError
from calctutor.timeouts import time_limit

from fuzz_grammar import expressions, noisy_expressions, programs

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))
SECONDS = 3.0


def _refused_or_done(fn, *args, **kwargs):
    """Run ``fn``; a CalcError is a fine answer, anything else fails the property."""
    try:
        with time_limit(SECONDS, "the fuzzed input"):
            return fn(*args, **kwargs)
    except CalcError:
        return None


@FUZZ
@given(noisy_expressions())
def test_the_parser_only_refuses_cleanly(text):
    from calctutor.parsing import parse

    _refused_or_done(parse, text)


@FUZZ
@given(programs())
def test_programs_only_refuse_cleanly(text):
    from calctutor.parsing.parser import parse_program

    _refused_or_done(parse_program, text)


@FUZZ
@given(expressions())
def test_the_printer_round_trips_what_the_parser_reads(text):
    from calctutor.parsing import parse
    from calctutor.parsing.printer import to_input

    expr = _refused_or_done(parse, text)
    if expr is None:
        return
    printed = _refused_or_done(to_input, expr)
    if printed is None:
        return
    assert parse(printed) == expr, f"{text!r} printed as {printed!r}"


@pytest.mark.parametrize("command", ["parse", "diff", "check", "taylor", "limit", "graph"])
def test_each_command_entry_point_only_refuses_cleanly(command):
    @settings(max_examples=12, deadline=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(expressions(8))
    def run(text):
        call_command(command, text)

    run()


def call_command(command: str, text: str) -> None:
    if command == "parse":
        from calctutor.commands.parse import run_parse

        _refused_or_done(run_parse, text)
    elif command == "diff":
        from calctutor.commands.diff import run_diff

        _refused_or_done(run_diff, text)
    elif command == "check":
        from calctutor.commands.check import run_check

        _refused_or_done(run_check, text, "2x")
    elif command == "taylor":
        from calctutor.commands.taylor import run_taylor

        _refused_or_done(run_taylor, text, at="0", order=2)
    elif command == "limit":
        from calctutor.commands.limit import run_limit

        _refused_or_done(run_limit, text, at="0")
    elif command == "graph":
        from calctutor.commands.graph import run_graph

        _refused_or_done(run_graph, text, at="x=0.5,y=1,t=2,w=1,b=0,theta=1,xy=1")


# ── the inputs that once escaped, as regressions ──────────────────────────────────────
REGRESSIONS = ["10^400/3", "asin(2) x", "max(asin(2), 1)", "1/0 + x", "0^0", "sin(oo)",
               "floor(1/x)", "sign(x)^-1", "x^(10^400)", "exp(10^400)"]


@pytest.mark.parametrize("text", REGRESSIONS)
def test_once_escaping_inputs_are_answered_or_refused_cleanly(text):
    for command in ("parse", "diff", "check", "taylor", "limit"):
        call_command(command, text)
