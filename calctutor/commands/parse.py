"""``calctutor parse``: how the input was understood."""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from calctutor.textsplit import looks_like_program
from calctutor.parsing import Program, parse, parse_program, to_input


@dataclass(frozen=True)
class TreeNode:
    """One node of the expression tree as the learner typed it."""

    label: str  # operator or function name, or the leaf itself
    text: str  # the sub-expression in our syntax
    children: tuple["TreeNode", ...] = field(default=())


@dataclass(frozen=True)
class ParseResult:
    input: str
    expression: sympy.Expr  # canonical (SymPy-evaluated) form
    structure: sympy.Expr  # as typed, unevaluated
    variables: tuple[str, ...]
    tree: TreeNode
    program: Program | None = None

    @property
    def canonical(self) -> str:
        return to_input(self.expression)

    @property
    def as_typed(self) -> str:
        return to_input(self.structure)

    @property
    def latex(self) -> str:
        return sympy.latex(self.expression)


def run_parse(text: str) -> ParseResult:
    """Parse an expression (or a ``y = ...; z = ...`` program) and describe it."""
    program = None
    if looks_like_program(text):
        program = parse_program(text)
        expression = program.inlined()
        structure = parse_program(text, evaluate=False).inlined()
    else:
        expression = parse(text)
        structure = parse(text, evaluate=False)
    variables = tuple(sorted(s.name for s in expression.free_symbols))
    return ParseResult(text, expression, structure, variables, build_tree(structure), program)


def node_label(expr: sympy.Expr) -> str:
    """A short name for the operation at the top of ``expr``."""
    if expr.is_Symbol:
        return "variable"
    if expr.is_Number or expr.is_NumberSymbol:
        return "number"
    if expr.is_Add:
        return "sum"
    if expr.is_Mul:
        if any(a.is_Pow and a.exp == -1 for a in expr.args) and len(expr.args) == 2:
            return "quotient"
        return "product"
    if expr.is_Pow:
        return "power"
    if isinstance(expr, sympy.Function):
        name = to_input(expr).split("(", 1)[0]
        return f"function {name}"
    return type(expr).__name__


def build_tree(expr: sympy.Expr, depth: int = 0) -> TreeNode:
    """The expression's tree (depth-limited, so huge input stays printable)."""
    children: tuple[TreeNode, ...] = ()
    if expr.args and depth < 12 and not (expr.is_Number or expr.is_NumberSymbol):
        children = tuple(build_tree(a, depth + 1) for a in expr.args)
    label = node_label(expr) if children else to_input(expr)
    return TreeNode(label, to_input(expr), children)
