"""The expression language: text in, SymPy objects out, never through ``eval``.

Public entry points: :func:`parse` for one expression, :func:`parse_program` for
``name = expr; ...`` programs, :func:`to_input` to print an expression back in the same
syntax. See docs/grammar.md for the language.
"""

from calctutor.parsing.parser import Definition, Program, parse, parse_program, parse_statement
from calctutor.parsing.printer import to_input

__all__ = ["Definition", "Program", "parse", "parse_program", "parse_statement", "to_input"]
