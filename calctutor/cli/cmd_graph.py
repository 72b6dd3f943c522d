"""``calctutor graph EXPR``."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli import shape_options as mx
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression

Mode = Annotated[str, typer.Option("--mode", help="[cyan]reverse[/cyan] (backpropagation, "
                                   "shown first) or [cyan]forward[/cyan] (one sweep per input).")]
Mermaid = Annotated[bool, typer.Option("--mermaid", help="Print the graph as a Mermaid flowchart.")]
Dot = Annotated[bool, typer.Option("--dot", help="Print the graph in Graphviz DOT.")]
Fd = Annotated[bool, typer.Option("--fd", help="Add the finite-difference check (h = 1e-1 … 1e-13).")]


@app.command("graph")
def graph_command(
    expr: opt.ExprArg,
    at: opt.At = None,
    mode: Mode = "reverse",
    json_out: opt.Json = False,
    mermaid: Mermaid = False,
    dot: Dot = False,
    fd: Fd = False,
    plain: opt.Plain = False,
    shape: mx.Shapes = None,
    symmetric: mx.Symmetric = None,
    seed: mx.Seed = 0,
) -> None:
    """Computational graph, forward values and the backward pass (backpropagation).

    Examples: [cyan]calctutor graph "g = w x; a = g^2; L = a" --at w=3,x=2[/cyan],
    [cyan]calctutor graph "x1^2 + x2^2 + x3^2" --at 1,2,3 --mode forward[/cyan],
    [cyan]calctutor graph "sin(x) + sin(x)^2" --mermaid[/cyan],
    [cyan]calctutor graph "h = W x + b; a = sigmoid(h); L = ||a - y||^2" --shape W=3x2 --shape x=2 --shape b=3 --shape y=3[/cyan]
    """
    if shape or symmetric:
        _matrix_graph(expr, shape or [], symmetric or [], seed, json_out, plain,
                      conflicts={"--at": at, "--mermaid": mermaid, "--dot": dot, "--fd": fd,
                                 "--mode forward": mode == "forward"})
        return
    with guarded(json_out):
        from calctutor.commands.graph import run_graph
        from calctutor.errors import CalcError
        from calctutor.render import graph as view

        if mode not in ("reverse", "forward"):
            raise CalcError(f"--mode must be reverse or forward, not {mode!r}")
        if sum((json_out, mermaid, dot)) > 1:
            raise CalcError("choose one of --json, --mermaid and --dot")
        result = run_graph(read_expression(expr), at=at, mode=mode, fd=fd)
        if mermaid:
            sys.stdout.write(view.to_mermaid(result) + "\n")
        elif dot:
            sys.stdout.write(view.to_dot(result) + "\n")
        else:
            emit(result, view, as_json=json_out, plain=plain)


def _matrix_graph(expr, shape, symmetric, seed, json_out, plain, conflicts) -> None:
    """``graph --shape``: backpropagation with shapes (calctutor.matrix)."""
    with guarded(json_out):
        from calctutor.commands.matgrad import run_matgraph
        from calctutor.errors import CalcError
        from calctutor.render import matrix as view

        used = [name for name, value in conflicts.items() if value]
        if used:
            raise CalcError(f"{', '.join(used)} cannot be combined with --shape")
        result = run_matgraph(read_expression(expr), shapes=shape, symmetric=symmetric, seed=seed)
        emit(result, view, as_json=json_out, plain=plain)
