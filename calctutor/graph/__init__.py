"""Computational graphs and automatic differentiation (see docs in each module).

The grader's entry points::

    compile_gradient(expr, variables)(points) -> Evaluation   # values, grads = ...
    compile_derivative(expr, var, order)(points) -> Evaluation  # .value: nth derivative
    derivative_values(expr, var, points, order=1) -> ndarray
    gradient_values(expr, points, variables=None) -> (ndarray, {var: ndarray})

``expr`` is a SymPy expression, a :class:`Graph`, or text in calctutor's syntax.
"""

from calctutor.graph.autodiff import (
    BackwardStep,
    Evaluation,
    Problem,
    compile_derivative,
    compile_gradient,
    derivative_graph,
    derivative_values,
    forward_mode,
    forward_pass,
    gradient_values,
    local_derivatives,
    nth_derivative_graph,
    reverse_mode,
)
from calctutor.graph.build import Graph, GraphError, Node, build_graph, graph_from_text

__all__ = [
    "BackwardStep",
    "Evaluation",
    "Graph",
    "GraphError",
    "Node",
    "Problem",
    "build_graph",
    "compile_derivative",
    "compile_gradient",
    "derivative_graph",
    "derivative_values",
    "forward_mode",
    "forward_pass",
    "gradient_values",
    "graph_from_text",
    "local_derivatives",
    "nth_derivative_graph",
    "reverse_mode",
]
