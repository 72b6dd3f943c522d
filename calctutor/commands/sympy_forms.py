"""Forms of an expression that SymPy's own algorithms (``limit``, ``integrate``) can work
with, and the kink facts read from the primitives table.

calctutor's machine-learning functions (sigmoid, relu, softplus, logsumexp) are SymPy
``Function`` classes that SymPy's integrator and limit code know nothing about; each of
them knows how to rewrite itself as exponentials, logarithms or a Piecewise. Pieces such
as ``abs``, ``max``, ``step`` are rewritten as Piecewise on a real variable, which the
integrator splits at the breakpoints.
"""

from __future__ import annotations

import sympy

from calctutor.rules import row_for, sympy_function

#: the rewrite targets tried in turn for a table function SymPy does not know
_TARGETS = (sympy.Piecewise, sympy.exp, sympy.log)


def _own_classes() -> tuple[type, ...]:
    """The SymPy classes of the table rows that calctutor itself defines."""
    from calctutor.rules import function_rows

    classes = []
    for row in function_rows():
        if row.sympy.startswith("calctutor:"):
            fn = sympy_function(row)
            if isinstance(fn, type):
                classes.append(fn)
    return tuple(classes)


def elementary(expr: sympy.Expr) -> sympy.Expr:
    """``expr`` with every calctutor-defined function rewritten in SymPy's own terms."""
    classes = _own_classes()
    if not classes or not expr.has(*classes):
        return expr

    def rewrite(node):
        for target in _TARGETS:
            new = node.rewrite(target)
            if new != node:
                return new
        return node

    return expr.replace(lambda e: isinstance(e, classes), rewrite)


def piecewise(expr: sympy.Expr) -> sympy.Expr:
    """``elementary(expr)`` with the table's kinked pieces (abs, max, step …) as Piecewise."""
    expr = elementary(expr)
    kinked = [node for node in sympy.preorder_traversal(expr) if is_kinked(node)]
    if not kinked:
        return expr
    return expr.replace(is_kinked, lambda e: e.rewrite(sympy.Piecewise))


def is_kinked(node) -> bool:
    """Does the table give this function a kink (a corner or a jump: abs, relu, step …)?"""
    if not isinstance(node, sympy.Basic) or not node.args:
        return False
    row = row_for(node)
    return row is not None and bool(row.kinks)


def has_kinks(expr: sympy.Expr) -> bool:
    """Does ``expr`` use a function with a corner or jump (per the primitives table)?"""
    from calctutor.pointvalue import kinks_in

    return bool(kinks_in(expr))
