"""``calctutor graph``: the computational graph, its forward values and backward pass."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import sympy

from calctutor.errors import CalcError
from calctutor.graph import Evaluation, Graph, forward_mode, graph_from_text, reverse_mode
from calctutor.graph.fdcheck import FDTable, fd_check
from calctutor.graph.paths import PathSum, count_paths, edge_formula, paths_to_output
from calctutor.graph.symbolic import symbolic_gradient

#: The symbolic gradient (shown without a point) is skipped for graphs with more routes
#: than this from the inputs to the output: its inlined form would swell.
MAX_SYMBOLIC_PATHS = 200
SYMBOLIC_SECONDS = 3.0


@dataclass(frozen=True)
class GraphResult:
    input: str
    graph: Graph
    mode: str  # "reverse" or "forward"
    point: dict[str, float] | None  # None: structure only
    point_text: dict[str, str] | None = None  # the point as typed (exact values)
    reverse: Evaluation | None = None  # values, adjoints, local derivatives, trace
    forward: Evaluation | None = None  # values and tangents (one sweep per input)
    paths: dict[str, PathSum] = field(default_factory=dict)
    fd: dict[str, FDTable] = field(default_factory=dict)
    formulas: dict[tuple[int, int], sympy.Expr] = field(default_factory=dict)
    symbolic_gradient: dict[str, sympy.Expr] = field(default_factory=dict)

    @property
    def variables(self) -> tuple[str, ...]:
        return self.graph.variables

    @property
    def active_edges(self) -> list[tuple[int, int, int]]:
        """(argument, user, position) for the edges that carry derivatives."""
        return [(a, n, k) for a, n, k in self.graph.edges() if self.graph.nodes[a].active]

    def value(self, index: int) -> float | None:
        if self.reverse is None:
            return None
        return _scalar(self.reverse.values[index])

    def grad(self, index: int) -> float | None:
        if self.reverse is None or not self.graph.nodes[index].active:
            return None
        adj = self.reverse.adjoints[index]
        return 0.0 if adj is None else _scalar(adj)

    def local(self, node: int, position: int) -> float | None:
        if self.reverse is None:
            return None
        value = self.reverse.locals.get((node, position))
        return None if value is None else _scalar(value)

    def gradient(self) -> dict[str, float | None]:
        if self.reverse is None:
            return {v: None for v in self.variables}
        return {v: _scalar(g) for v, g in self.reverse.gradient.items()}

    def on_kink(self, index: int) -> bool:
        """Does node ``index`` sit on its table kink at the point (its local derivative is
        then the table's named convention, not a slope)?"""
        if self.reverse is None:
            return False
        node_id = self.graph.nodes[index].id
        return any(k.node == node_id and bool(k.mask.any()) for k in self.reverse.kinks)

    @property
    def messages(self) -> list[str]:
        """Why something is undefined, and kinks, in words."""
        if self.reverse is None:
            return []
        return [p.what for p in self.reverse.problems] + [p.what for p in self.reverse.kinks]


def _scalar(x) -> float:
    return float(x)


def run_graph(text: str, at: str | None = None, mode: str = "reverse",
              fd: bool = False, max_paths: int = 12) -> GraphResult:
    """Build the graph of an expression or program and, with a point, run both modes.

    Without ``at``: structure and symbolic local derivatives only (values are None).
    ``fd`` adds the finite-difference check (one table per input).
    """
    if mode not in ("reverse", "forward"):
        raise CalcError(f"unknown mode {mode!r}: use reverse or forward")
    graph = graph_from_text(text)
    if at is None:
        return analyse(graph, text, None, mode=mode, max_paths=max_paths)
    point_text, point = _read_point(at, graph)
    return analyse(graph, text, point, point_text, mode=mode, fd=fd, max_paths=max_paths)


def analyse(graph: Graph, text: str, point: dict[str, float] | None,
            point_text: dict[str, str] | None = None, *, mode: str = "reverse",
            fd: bool = False, max_paths: int = 12) -> GraphResult:
    """Everything the graph views show, for a built graph (and a point, if any)."""
    from calctutor.errors import ComputationTimeout
    from calctutor.timeouts import time_limit

    formulas = {(n, k): edge_formula(graph, n, k)
                for a, n, k in graph.edges() if graph.nodes[a].active}
    symbolic: dict[str, sympy.Expr] = {}
    counts = count_paths(graph)
    if sum(counts[i] for i in graph.inputs.values()) <= MAX_SYMBOLIC_PATHS:
        try:
            with time_limit(SYMBOLIC_SECONDS, "the symbolic gradient"):
                symbolic = symbolic_gradient(graph)
        except ComputationTimeout:
            symbolic = {}
    if point is None:
        paths = {v: paths_to_output(graph, v, None, max_paths) for v in graph.variables}
        return GraphResult(text, graph, mode, None, None, paths=paths, formulas=formulas,
                           symbolic_gradient=symbolic)
    rev = reverse_mode(graph, point, keep=True)
    fwd = forward_mode(graph, point)
    paths = {v: paths_to_output(graph, v, rev.locals, max_paths) for v in graph.variables}
    tables: dict[str, FDTable] = {}
    if fd:
        for v in graph.variables:
            exact = float(rev.gradient[v])
            if math.isfinite(exact):
                tables[v] = fd_check(graph, point, v, exact)
    return GraphResult(text, graph, mode, point, point_text, rev, fwd, paths, tables, formulas,
                       symbolic)


def _read_point(at: str, graph: Graph) -> tuple[dict[str, str], dict[str, float]]:
    from calctutor.parsing import to_input
    from calctutor.points import parse_point, to_float

    variables = list(graph.variables)
    exact = parse_point(at, variables)
    unknown = [k for k in exact if k not in graph.inputs]
    if unknown:
        raise CalcError(f"{', '.join(unknown)} is not an input of this graph "
                        f"(its inputs are {', '.join(variables) or 'none'})")
    missing = [v for v in variables if v not in exact]
    if missing:
        raise CalcError(f"the point gives no value for {', '.join(missing)}; "
                        f"write it as {','.join(f'{v}=…' for v in variables)}")
    values: dict[str, float] = {}
    for name, value in exact.items():
        number = to_float(value)
        if number is None:
            raise CalcError(f"the value of {name} must be a finite real number")
        values[name] = number
    return {k: to_input(v) for k, v in exact.items()}, values
