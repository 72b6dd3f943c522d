"""Reverse mode on symbols: the backward pass of :mod:`calctutor.graph.autodiff` with
exact formulas instead of floats, so the graph view can show each partial derivative."""

from __future__ import annotations

import sympy

from calctutor.graph.build import Graph
from calctutor.graph.paths import edge_formula


def symbolic_gradient(graph: Graph) -> dict[str, sympy.Expr]:
    """Reverse mode run on symbols: each partial as the sum over the backward pass of
    adjoint · local derivative, in the inputs (tidied with ``sympy.factor`` only when
    that is quick and shorter)."""
    adj: dict[int, sympy.Expr] = {graph.output: sympy.Integer(1)}
    for n in reversed(graph.nodes):
        a = adj.get(n.index)
        if a is None or n.is_leaf:
            continue
        for k, arg in enumerate(n.args):
            if not graph.nodes[arg].active:
                continue
            term = a * edge_formula(graph, n.index, k, inlined=True)
            adj[arg] = adj.get(arg, sympy.Integer(0)) + term
    out: dict[str, sympy.Expr] = {}
    for name, index in graph.inputs.items():
        g = adj.get(index, sympy.Integer(0))
        if sympy.count_ops(g) < 60:
            tidy = sympy.factor(g)
            g = tidy if sympy.count_ops(tidy) <= sympy.count_ops(g) else g
        out[name] = g
    return out
