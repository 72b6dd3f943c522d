"""``calctutor stable EXPR --at P``."""

from __future__ import annotations

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression


@app.command("stable")
def stable_command(
    expr: opt.ExprArg,
    at: opt.At = None,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
) -> None:
    """Numerical stability: the naive and the stable float64 form against the exact value.

    Examples: [cyan]calctutor stable "logsumexp(1000, 1001, 1002)"[/cyan] (naive: inf),
    [cyan]calctutor stable "softplus(x)" --at x=-800[/cyan],
    [cyan]calctutor stable "ln(1 + x)" --at x=1e-20[/cyan],
    [cyan]calctutor stable "ln(sigmoid(x))" --at x=-800[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.stable import run_stable
        from calctutor.render import stable as view

        emit(run_stable(read_expression(expr), at=at), view, as_json=json_out, plain=plain)
