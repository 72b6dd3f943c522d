"""An expression or a ``y = ...; z = y^2`` program, read for teaching: the canonical
expression, the structure as typed, and the intermediates' names (the chain rule's
letters)."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy


@dataclass(frozen=True)
class Loaded:
    """An expression (or the output of a ``y = ...; z = y^2`` program) ready to teach."""

    text: str
    expression: sympy.Expr  # canonical (SymPy-evaluated)
    structure: sympy.Expr  # as typed
    names: dict = field(default_factory=dict)  # program intermediates: expr -> Symbol
    output: str | None = None  # a program's output name


def load(text: str) -> Loaded:
    """Parse an expression or a multi-equation program (intermediates inlined, their names
    kept for the chain rule's letters)."""
    from sympy.core.parameters import evaluate

    from calctutor.textsplit import looks_like_program
    from calctutor.parsing import parse, parse_program
    from calctutor.parsing.builder import symbol
    from calctutor.steps import evaluated, normalise

    if not looks_like_program(text):
        structure = normalise(parse(text, evaluate=False))
        return Loaded(text, parse(text), structure)
    program = parse_program(text, evaluate=False)
    values: dict = {}
    names: dict = {}
    for d in program.definitions:
        with evaluate(False):
            value = normalise(d.expr.xreplace(values))
        values[symbol(d.name)] = value
        if d.name != program.output and not d.params:
            names[value] = symbol(d.name)
    structure = values[symbol(program.output)]
    return Loaded(text, evaluated(structure), structure, names, program.output)
