"""Backpropagation with shapes: a program of matrix equations (``h = W x + b;
a = sigmoid(h); L = ||a - y||^2``), each node's shape and value at a seeded random point, and
each backward step as a matrix formula (``dL_dW = dL_dh x^T``) with its value.

The backward formula on each edge is the matrix engine's reverse-mode rule for that
equation alone, with the downstream gradient written ``dL_d<name>`` and forward values
written by their names (``a .* (1 - a)`` rather than ``sigmoid(h) .* (1 - sigmoid(h))``).
The gradients are checked against central differences of the whole program.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from calctutor.errors import CalcError, ParseError
from calctutor.matrix import nodes as N
from calctutor.matrix.derive import _Engine
from calctutor.matrix.nodes import SCALAR, Node, show_shape
from calctutor.matrix.numeric import (
    Check,
    central_gradient,
    draw_values,
    evaluate,
    relative_error,
    trial_sizes,
    uses,
)
from calctutor.matrix.numeric import _needs_positive
from calctutor.matrix.parser import parse_matrix
from calctutor.matrix.shapes import Decl
from calctutor.matrix.simplify import simplify
from calctutor.textsplit import spans

_DEF = re.compile(r"\s*([A-Za-z][A-Za-z0-9_]*)\s*=(?!=)")


@dataclass(frozen=True, slots=True)
class Equation:
    name: str
    expr: Node
    text: str


@dataclass(frozen=True, slots=True)
class Edge:
    """The backward step from ``to`` (a node using ``source``) into ``source``."""

    source: str
    to: str
    rule: str
    formula: Node  # the contribution to dL_d<source>, in names
    value: np.ndarray


@dataclass(frozen=True, slots=True)
class GraphNode:
    name: str
    shape: tuple
    expr: Node | None  # None for an input
    value: np.ndarray
    grad: np.ndarray
    grad_formula: Node | None


@dataclass(frozen=True, slots=True)
class MatrixGraph:
    program: str
    inputs: tuple[str, ...]
    equations: tuple[Equation, ...]
    nodes: tuple[GraphNode, ...]
    edges: tuple[Edge, ...]
    output: str
    sizes: dict
    seed: int
    check: Check


def adjoint_name(name: str) -> str:
    return f"dL_d{name}"


def parse_program(text: str, decls: dict[str, Decl]) -> list[Equation]:
    pieces = spans(text, ";\n")
    if not pieces:
        raise ParseError("empty program", text, 0)
    env = dict(decls)
    out: list[Equation] = []
    for k, (a, b) in enumerate(pieces):
        piece = text[a:b]
        m = _DEF.match(piece)
        if m:
            name, rhs_start = m.group(1), a + m.end()
        elif k == len(pieces) - 1:
            name, rhs_start = "L", a
        else:
            raise ParseError("each equation but the last needs a name: h = W x + b", text, a)
        if name in decls:
            raise ParseError(f"{name} is an input (it has a --shape); give the equation another "
                             "name", text, a + piece.index(name), width=len(name))
        if any(e.name == name for e in out):
            raise ParseError(f"{name} is defined twice", text, a, width=len(name))
        rhs = text[rhs_start:b]
        try:
            node = parse_matrix(rhs, env)
        except ParseError as exc:
            raise ParseError(exc.message, text, rhs_start + exc.position, hint=exc.hint,
                             width=exc.width) from None
        out.append(Equation(name, node, rhs.strip()))
        env[name] = Decl(name, node.shape)
    return out


def _names_for(node: Node, defs: list[Equation]) -> Node:
    """Write forward values by their names: sigmoid(h) → a when a = sigmoid(h)."""
    table = {e.expr: N.var(e.name, e.expr.shape) for e in defs}

    def rec(n: Node) -> Node:
        if n in table:
            return table[n]
        kids = N.children(n)
        if not kids:
            return n
        return N.rebuild(n, [rec(c) for c in kids])

    return rec(node)


def build_graph(text: str, decls: dict[str, Decl], seed: int = 0) -> MatrixGraph:
    eqs = parse_program(text, decls)
    out = eqs[-1]
    if out.expr.shape != SCALAR:
        raise CalcError(f"the output {out.name} is {show_shape(out.expr.shape)}: backpropagation "
                        "starts from a scalar loss (e.g. L = ||a - y||^2)")
    defined = {e.name for e in eqs}
    used_inputs = set()
    for e in eqs:
        used_inputs |= N.variables(e.expr) - defined
    inputs = tuple(sorted(used_inputs))
    sym = frozenset(k for k, d in decls.items() if d.symmetric)
    prob = frozenset(k for k, d in decls.items() if d.prob)

    # forward pass at a seeded point
    rng = np.random.default_rng(seed)
    symbols = {d for x in decls.values() for d in x.shape if isinstance(d, str)}
    for e in eqs:
        symbols |= N.dims(e.expr)
    sizes = trial_sizes(symbols, 1, rng)
    whole = composed(eqs)
    values = draw_values({k: decls[k] for k in inputs}, sizes, rng, _needs_positive(whole),
                         uses(whole, (N.Inverse, N.Reduce)))
    start = {k: values[k] for k in inputs}
    for e in eqs:
        with np.errstate(all="ignore"):
            values[e.name] = evaluate(e.expr, values, sizes)

    # backward pass, equation by equation
    grads: dict[str, np.ndarray] = {out.name: np.ones((1, 1))}
    formulas: dict[str, list[Node]] = {}
    edges: list[Edge] = []
    shapes = {k: decls[k].shape for k in inputs} | {e.name: e.expr.shape for e in eqs}
    for i in range(len(eqs) - 1, -1, -1):
        e = eqs[i]
        g_sym = N.ONE if e.name == out.name else N.var(adjoint_name(e.name), e.expr.shape)
        for v in sorted(N.variables(e.expr)):
            engine = _Engine(v, sym, prob)
            contribs, steps = engine.back(e.expr, g_sym)
            if not contribs:
                continue
            formula = simplify(N.add(*contribs), sym, prob)
            formula = _names_for(formula, eqs[:i + 1])
            formula = simplify(formula, sym, prob)
            env = {**values, **{adjoint_name(k): g for k, g in grads.items()}}
            with np.errstate(all="ignore"):
                value = evaluate(formula, env, sizes)
            rule = steps[0].rule if steps else "sum rule (the gradient passes through)"
            edges.append(Edge(v, e.name, rule, formula, value))
            formulas.setdefault(v, []).append(formula)
            grads[v] = grads.get(v, 0) + value
    nodes = []
    for k in inputs:
        nodes.append(GraphNode(k, shapes[k], None, values[k], grads.get(k, np.zeros_like(values[k])),
                               _total(formulas.get(k), sym, prob)))
    for e in eqs:
        nodes.append(GraphNode(e.name, shapes[e.name], e.expr, values[e.name],
                               grads.get(e.name, np.zeros_like(values[e.name])),
                               _total(formulas.get(e.name), sym, prob)))
    check = _verify(whole, inputs, start, sizes, grads)
    return MatrixGraph(text, inputs, tuple(eqs), tuple(nodes), tuple(edges), out.name, sizes,
                       seed, check)


def _total(parts, sym, prob):
    if not parts:
        return None
    return simplify(N.add(*parts), sym, prob) if len(parts) > 1 else parts[0]


def composed(eqs: list[Equation]) -> Node:
    """The output as one expression of the inputs."""
    env: dict[str, Node] = {}
    for e in eqs:
        env[e.name] = N.substitute(e.expr, env)
    return env[eqs[-1].name]


def _verify(f: Node, inputs, env, sizes, grads) -> Check:
    worst = 0.0
    for k in inputs:
        with np.errstate(all="ignore"):
            numeric = central_gradient(f, k, env, sizes)
        worst = max(worst, relative_error(grads[k], numeric))
    return Check("backward pass against central differences of the whole program (h = 1e-6)",
                 1, worst, (sizes,))
