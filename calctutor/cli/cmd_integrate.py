"""``calctutor integrate EXPR --from A --to B [--monte-carlo N] [--seed S] [--json]``."""

from __future__ import annotations

from typing import Annotated

import typer

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression


@app.command("integrate")
def integrate_command(
    expr: opt.ExprArg,
    lower: Annotated[str, typer.Option("--from", help="Lower limit a ([cyan]0[/cyan], [cyan]-pi[/cyan], [cyan]-oo[/cyan]).")],
    upper: Annotated[str, typer.Option("--to", help="Upper limit b ([cyan]1[/cyan], [cyan]oo[/cyan]).")],
    samples: Annotated[int, typer.Option(
        "--monte-carlo", min=0, max=10_000_000,
        help="Monte Carlo samples (0 to skip).")] = 100_000,
    seed: Annotated[int, typer.Option("--seed", min=0, help="Random seed, for a repeatable estimate.")] = 0,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
    latex: opt.Latex = False,
) -> None:
    """A definite integral three ways: exact (SymPy), numeric quadrature, Monte Carlo.

    Examples: [cyan]calctutor integrate "x^2" --from 0 --to 1 --monte-carlo 100000 --seed 1[/cyan],
    [cyan]calctutor integrate "e^(-x^2)" --from -oo --to oo[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.integrate import run_integrate
        from calctutor.render import integrate as view

        result = run_integrate(read_expression(expr), lower, upper, samples=samples, seed=seed)
        emit(result, view, as_json=json_out, plain=plain, latex=latex)
