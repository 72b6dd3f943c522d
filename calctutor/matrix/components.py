"""The component route: a matrix expression of concrete size as a SymPy matrix of scalar
expressions in the entries (x_1, A_12, …), differentiated entry by entry with ``sympy.diff``.

This is the bridge from the scalar partials a learner knows (``--expand``) and the
reference the tests compare the matrix engine with. Entry names are ordinary scalar names
of calctutor's input syntax, so every component prints with the one printer.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.errors import LimitError
from calctutor.matrix import nodes as N
from calctutor.matrix.nodes import Node, Shape
from calctutor.matrix.shapes import Decl

#: The largest variable --expand writes out entry by entry.
MAX_ENTRIES = 16


def entry_name(name: str, i: int, j: int, shape: Shape) -> str:
    r, c = shape
    sep = "" if max(r, c) < 10 else "_"
    if c == 1:
        return f"{name}_{i + 1}"
    if r == 1:
        return f"{name}_{j + 1}"
    return f"{name}_{i + 1}{sep}{j + 1}"


def entry_symbols(decls: dict[str, Decl], wrt: str | None = None) -> dict[str, sympy.Matrix]:
    """A matrix of entry symbols per variable (a symmetric matrix shares A_ij = A_ji; a
    probability vector other than ``wrt`` has its last entry 1 minus the others)."""
    out = {}
    for name, d in decls.items():
        r, c = d.shape
        if not (isinstance(r, int) and isinstance(c, int)):
            raise LimitError(f"{name} has a symbolic size ({r}×{c}): component-wise work "
                             "needs concrete sizes such as --shape x=3")
        if d.shape == (1, 1):
            out[name] = sympy.Matrix([[sympy.Symbol(name, real=True)]])
            continue
        rows = []
        for i in range(r):
            row = []
            for j in range(c):
                if d.symmetric and j < i:
                    row.append(rows[j][i])
                    continue
                row.append(sympy.Symbol(entry_name(name, i, j, d.shape), real=True))
            rows.append(row)
        if d.prob and name != wrt and c == 1:
            rows[-1][0] = 1 - sum(rows[i][0] for i in range(r - 1))
        out[name] = sympy.Matrix(rows)
    return out


def to_sympy(node: Node, env: dict[str, sympy.Matrix]) -> sympy.Matrix:  # noqa: C901
    """The matrix of scalar SymPy expressions (all sizes concrete)."""
    from calctutor import mathfuncs

    def rec(n: Node) -> sympy.Matrix:
        if isinstance(n, N.Var):
            return env[n.name]
        if isinstance(n, N.Const):
            return sympy.Matrix([[sympy.Rational(n.value.numerator, n.value.denominator)]])
        if isinstance(n, N.Eye):
            return sympy.eye(n.shape[0])
        if isinstance(n, N.Ones):
            return sympy.ones(n.shape[0], n.shape[1])
        if isinstance(n, N.Zero):
            return sympy.zeros(n.shape[0], n.shape[1])
        if isinstance(n, N.Add):
            out = rec(n.terms[0])
            for t in n.terms[1:]:
                out = out + rec(t)
            return out
        if isinstance(n, N.MatMul):
            scalar = sympy.Integer(1)
            out = None
            for f in n.factors:
                v = rec(f)
                if N.is_scalar(f):
                    scalar *= v[0, 0]
                else:
                    out = v if out is None else out * v
            return sympy.Matrix([[scalar]]) if out is None else scalar * out
        if isinstance(n, N.Transpose):
            return rec(n.arg).T
        if isinstance(n, N.Inverse):
            return rec(n.arg).inv()
        if isinstance(n, N.Power):
            k = sympy.Rational(n.exponent.numerator, n.exponent.denominator)
            return rec(n.arg).applyfunc(lambda e: e ** k)
        if isinstance(n, N.Elem):
            fn = {"exp": sympy.exp, "log": sympy.log, "tanh": sympy.tanh, "sqrt": sympy.sqrt,
                  "sigmoid": mathfuncs.sigmoid, "relu": mathfuncs.relu,
                  "step": sympy.Heaviside}[n.fn]
            return rec(n.arg).applyfunc(fn)
        if isinstance(n, N.Hadamard):
            return rec(n.left).multiply_elementwise(rec(n.right))
        if isinstance(n, N.EDiv):
            a, b = rec(n.left), rec(n.right)
            return a.multiply_elementwise(b.applyfunc(lambda e: 1 / e))
        if isinstance(n, N.Reduce):
            a = rec(n.arg)
            if n.fn == "tr":
                v = a.trace()
            elif n.fn == "det":
                v = a.det()
            elif n.fn == "sum":
                v = sum(a)
            elif n.fn in ("norm", "fro"):
                v = sympy.sqrt(sum(e ** 2 for e in a))
            else:
                v = sympy.log(sum(sympy.exp(e) for e in a))
            return sympy.Matrix([[v]])
        if isinstance(n, N.Softmax):
            a = rec(n.arg)
            total = sum(sympy.exp(e) for e in a)
            return a.applyfunc(lambda e: sympy.exp(e) / total)
        if isinstance(n, N.Diag):
            a = rec(n.arg)
            if n.arg.shape[1] == 1:
                return sympy.diag(*list(a))
            return sympy.Matrix([[a[i, i]] for i in range(a.rows)])
        raise TypeError(type(n).__name__)

    return rec(node)


def componentwise(f: Node, wrt: str, env: dict[str, sympy.Matrix]) -> sympy.Matrix:
    """∂f/∂V entry by entry with sympy.diff: V's shape for a scalar f, m×n for a vector f."""
    fm = to_sympy(f, env)
    V = env[wrt]
    syms = list(V)
    if fm.shape == (1, 1):
        return V.applyfunc(lambda s: sympy.diff(fm[0, 0], s))
    return sympy.Matrix([[sympy.diff(fm[i, 0], s) for s in syms] for i in range(fm.rows)])


@dataclass(frozen=True, slots=True)
class Component:
    """One entry of the result: its name, our formula's entry and sympy.diff's."""

    label: str
    ours: sympy.Expr
    reference: sympy.Expr
    equal: bool


def expand(f: Node, result: Node, wrt: str, decls: dict[str, Decl], kind: str) -> list[Component]:
    """The result written entry by entry next to the scalar partial derivatives."""
    from calctutor.timeouts import time_limit

    d = decls[wrt]
    r, c = d.shape
    if not (isinstance(r, int) and isinstance(c, int)) or r * c > MAX_ENTRIES:
        raise LimitError(f"--expand needs {wrt} to have concrete size with at most "
                         f"{MAX_ENTRIES} entries (e.g. --shape {wrt}=3)")
    env = entry_symbols(decls, wrt)
    with time_limit(20):
        ours = to_sympy(result, env)
        ref = componentwise(f, wrt, env)
        out = []
        fm_rows = ours.rows
        for i in range(fm_rows):
            for j in range(ours.cols):
                a, b = ours[i, j], ref[i, j]
                equal = sympy.simplify(sympy.expand(a - b)) == 0
                if kind == "jacobian":
                    label = f"∂f_{i + 1}/∂{list(env[wrt])[j]}"
                else:
                    label = f"∂f/∂{env[wrt][i, j]}"
                out.append(Component(label, a, b, bool(equal)))
    return out
