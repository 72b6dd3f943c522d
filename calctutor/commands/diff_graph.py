"""``calctutor diff EXPR --graph``: the derivation and the backward pass, side by side.

The chain rule and backpropagation are one computation. The step engine's chain layers
(u = 2x + 3, ...) and the graph's intermediate nodes are matched by sub-expression, so the
node that computes u in the graph is called u too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from calctutor.commands.diff import DiffResult, run_diff
from calctutor.commands.graph import GraphResult, analyse
from calctutor.errors import CalcError
from calctutor.graph.build import build_graph
from calctutor.parsing import to_input
from calctutor.steps.shape import evaluated


@dataclass(frozen=True)
class LinkedDiff:
    diff: DiffResult
    graph: GraphResult
    layer_nodes: dict[str, str]  # chain letter -> graph node id


def layer_names(derivation) -> dict[sympy.Expr, str]:
    """{sub-expression: letter} for every chain-rule layer of a derivation."""
    names: dict[sympy.Expr, str] = {}
    if derivation is None:
        return names
    for step in derivation.walk():
        if step.key == "chain" and step.inner is not None and step.variable is not None:
            names.setdefault(evaluated(step.inner), str(step.variable))
    return names


def linked_result(expr: sympy.Expr, point: Mapping[str, object],
                  names: Mapping[sympy.Expr, str] | None = None) -> GraphResult:
    """The graph of ``expr`` evaluated at ``point``, intermediates named by ``names``."""
    graph = build_graph(expr, layer_names=names)
    values: dict[str, float] = {}
    for name in graph.variables:
        if name not in point:
            raise CalcError(f"the point gives no value for {name}")
        number = complex(sympy.N(point[name], 20))
        if number.imag != 0:
            raise CalcError(f"the value of {name} must be a real number")
        values[name] = number.real
    shown = {k: to_input(v) if isinstance(v, sympy.Basic) else str(v) for k, v in point.items()
             if k in graph.inputs}
    return analyse(graph, to_input(expr), values, shown)


def run_diff_graph(text: str, wrt: str | None = None, at=None) -> LinkedDiff:
    """The first derivative with steps, and the backward pass at ``at``."""
    if not at:
        raise CalcError("--graph shows the backward pass at a point: add --at, e.g. --at x=0.5")
    result = run_diff(text, wrt=wrt, order=1, at=at, steps=True)
    names = layer_names(result.derivation)
    graph = linked_result(result.expression, result.point or {}, names)
    nodes = {}
    for expr, letter in names.items():
        node = graph.graph.node_for_expr(expr)
        if node is not None:
            nodes[letter] = node.id
    return LinkedDiff(result, graph, nodes)
