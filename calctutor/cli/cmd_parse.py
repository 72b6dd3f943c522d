"""``calctutor parse EXPR``."""

from __future__ import annotations

from calctutor.cli import options as opt
from calctutor.cli.app import app
from calctutor.cli.output import emit, guarded, read_expression


@app.command("parse")
def parse_command(
    expr: opt.ExprArg,
    json_out: opt.Json = False,
    plain: opt.Plain = False,
    latex: opt.Latex = False,
) -> None:
    """Show how calctutor reads an expression: canonical form, 2-D form, LaTeX and tree.

    Examples: [cyan]calctutor parse "sin^2 x + 2xy"[/cyan],
    [cyan]calctutor parse "y = 2x^3 + 3; z = y^2"[/cyan]
    """
    with guarded(json_out):
        from calctutor.commands.parse import run_parse
        from calctutor.render import parse as view

        emit(run_parse(read_expression(expr)), view, as_json=json_out, plain=plain, latex=latex)
