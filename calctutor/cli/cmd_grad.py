"""``calctutor grad EXPR``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli import shape_options as mx
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression

WrtList = Annotated[str | None, typer.Option(
    "--wrt", help="Variables, comma-separated: [cyan]x,y[/cyan] (default: all, sorted).")]
Hessian = Annotated[bool, typer.Option("--hessian", help="Also the Hessian and what its signs say.")]
Direction = Annotated[str | None, typer.Option(
    "--dir", help="Directional derivative along this vector, e.g. [cyan]1,0[/cyan] (normalised first).")]
Steps = Annotated[bool, typer.Option("--steps", help="Show each partial derivative's steps.")]


@app.command("grad")
def grad_command(
    expr: opt.ExprArg,
    wrt: WrtList = None,
    at: opt.At = None,
    hessian: Hessian = False,
    direction: Direction = None,
    steps: Steps = False,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
    latex: opt.Latex = False,
    shape: mx.Shapes = None,
    symmetric: mx.Symmetric = None,
    expand: mx.Expand = False,
    seed: mx.Seed = 0,
) -> None:
    """Partials, gradient, Hessian, directional derivative; a list of outputs: Jacobian.

    Examples: [cyan]calctutor grad "x^2 y + 3y" --at x=2,y=1[/cyan],
    [cyan]calctutor grad "x^2 + 3y^2" --hessian[/cyan],
    [cyan]calctutor grad "x^2 + y^2" --at x=3,y=4 --dir 1,0[/cyan],
    [cyan]calctutor grad "x y, x + y"[/cyan],
    [cyan]calctutor grad "x^T A x" --wrt x --shape x=n --shape A=nxn[/cyan]
    """
    if shape or symmetric:
        _matrix_grad(expr, wrt, shape or [], symmetric or [], expand, seed, json_out, plain, latex,
                     conflicts={"--at": at, "--hessian": hessian, "--dir": direction})
        return
    with guarded(json_out):
        from calctutor.errors import CalcError

        if expand:
            raise CalcError("--expand goes with --shape (matrix calculus)")
        from calctutor.commands.grad import run_grad
        from calctutor.render import grad as view

        result = run_grad(read_expression(expr), wrt=wrt, at=at, hessian=hessian,
                          direction=direction, steps=steps)
        emit(result, view, as_json=json_out, plain=plain, latex=latex)


def _matrix_grad(expr, wrt, shape, symmetric, expand, seed, json_out, plain, latex, conflicts):
    """``grad --shape``: matrix calculus (calctutor.matrix)."""
    with guarded(json_out):
        from calctutor.commands.matgrad import run_matgrad
        from calctutor.errors import CalcError
        from calctutor.render import matrix as view

        used = [name for name, value in conflicts.items() if value]
        if used:
            raise CalcError(f"{', '.join(used)} cannot be combined with --shape")
        result = run_matgrad(read_expression(expr), wrt=wrt, shapes=shape, symmetric=symmetric,
                             expand_components=expand, seed=seed)
        emit(result, view, as_json=json_out, plain=plain, latex=latex)
