"""The multivariate chain rule on the graph: every route from an input to the output.

∂out/∂x = Σ over paths x → … → out of the product of the local derivatives along the
path. Reverse mode computes the same sum without listing the paths (it factors shared
tails); this module lists them so the learner can see the sum, e.g. for
u = x², v = 3x, z = u + v: the route via u gives 2x, via v gives 3, total 2x + 3.

The number of paths can grow exponentially with depth, so they are counted by dynamic
programming and only the first ``limit`` are listed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.graph.build import Graph, apply_op
from calctutor.numeric import OUT, REST, arg_symbol, local_derivative_fn


@dataclass(frozen=True)
class Path:
    """One route: ``edges`` from the input upwards as (node, argument position)."""

    nodes: tuple[int, ...]  # input, …, output
    edges: tuple[tuple[int, int], ...]  # (user node, position of the previous node in it)
    product: float | None  # product of the local derivative values (None without a point)


@dataclass(frozen=True)
class PathSum:
    variable: str
    total: int  # how many paths there are
    paths: tuple[Path, ...]  # the first ``limit`` of them
    sum: float | None  # Σ products over *all* paths (equals the reverse-mode partial)


def edge_formula(graph: Graph, node: int, position: int, *, inlined: bool = False) -> sympy.Expr:
    """The table's local derivative on an edge, written with the graph's node names
    (``2*g`` for a = g², ``cos(u1)`` for u2 = sin(u1)); ``inlined`` writes it in the inputs."""
    n = graph.nodes[node]
    name = graph.expr if inlined else graph.symbol
    args = [name(a) for a in n.args]
    ld = local_derivative_fn(n.op, len(n.args), position)
    mapping = {arg_symbol(j): s for j, s in enumerate(args)}
    mapping[OUT] = apply_op(n.op, args, evaluate=True)
    mapping[REST] = sympy.Mul(*[s for j, s in enumerate(args) if j != position])
    return ld.formula.xreplace(mapping)


def count_paths(graph: Graph) -> dict[int, int]:
    """Number of paths from each node to the output (edges counted with multiplicity)."""
    counts = [0] * len(graph.nodes)
    counts[graph.output] = 1
    for n in reversed(graph.nodes):
        if counts[n.index]:
            for a in n.args:
                counts[a] += counts[n.index]
    return {i: c for i, c in enumerate(counts)}


def paths_to_output(graph: Graph, variable: str, locals_: dict | None = None,
                    limit: int = 12) -> PathSum:
    """The first ``limit`` paths from ``variable`` to the output, with their products
    (from ``locals_``, the values of :func:`calctutor.graph.autodiff.local_derivatives`
    at one point)."""
    start = graph.inputs[variable]
    counts = count_paths(graph)
    found: list[Path] = []

    def walk(index: int, nodes: list[int], edges: list[tuple[int, int]]) -> None:
        if len(found) >= limit:
            return
        if index == graph.output:
            found.append(Path(tuple(nodes), tuple(edges), _product(edges, locals_)))
            return
        for user in sorted(set(graph.users(index))):
            if counts[user] == 0:
                continue
            for k, a in enumerate(graph.nodes[user].args):
                if a == index:
                    walk(user, nodes + [user], edges + [(user, k)])

    if counts[start]:
        walk(start, [start], [])
    total_sum = None
    if locals_ is not None:
        total_sum = _sum_all(graph, start, locals_)
    return PathSum(variable, counts[start], tuple(found), total_sum)


def _product(edges, locals_) -> float | None:
    if locals_ is None:
        return None
    p = 1.0
    for e in edges:
        if e not in locals_:
            return None
        p *= float(locals_[e])
    return p


def _sum_all(graph: Graph, start: int, locals_) -> float:
    """Σ over all paths by dynamic programming (forward from the input)."""
    acc = [0.0] * len(graph.nodes)
    acc[start] = 1.0
    for n in graph.nodes[start + 1:]:
        total = 0.0
        for k, a in enumerate(n.args):
            if acc[a] and (n.index, k) in locals_:
                total += acc[a] * float(locals_[(n.index, k)])
        acc[n.index] = total
    return acc[graph.output]
