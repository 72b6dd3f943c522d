"""The REPL's matrix calculus: ``:shape x=n`` declares a vector or matrix (``:shape``
lists them, ``:shape clear`` forgets them); once a shape is declared, ``:grad`` does
matrix gradients and Jacobians (``calctutor grad --shape``). Light at import: the matrix
engine loads when a command runs."""

from __future__ import annotations

from calctutor.errors import CalcError
from calctutor.repl import input_forms as forms
from calctutor.repl.registry import command
from calctutor.repl.replies import say, show

USAGE = ":shape x=n A=nxn,sym  (:shape lists, :shape clear forgets)"


@command("shape", usage=USAGE, group="session",
         help="declare vectors and matrices for matrix calculus (then :grad x^T A x)",
         examples=(":shape x=n A=nxn", ":shape W=3x2 x=2 b=3", ":grad x^T A x --wrt x"))
def shape(ctx, arg: str):
    text = arg.strip()
    state = ctx.state
    if not text:
        if not state.shapes:
            return say("no shapes declared; e.g. :shape x=n A=nxn")
        return say("shapes: " + "  ".join(state.shapes.values()))
    if text in ("clear", "--clear"):
        state.shapes.clear()
        return say("shapes cleared; :grad is back to scalar calculus")
    from calctutor.matrix.shapes import parse_shapes

    new = parse_shapes([text])  # a name declared again takes its new shape
    for name, decl in new.items():
        state.shapes[name] = decl.spec()
    return say("shapes: " + "  ".join(state.shapes.values())
               + "  (:grad now does matrix calculus)")


def matrix_grad(ctx, arg: str):
    """``:grad EXPR [--wrt V] [--expand] ...`` with the declared shapes: the options of the
    ``matgrad`` declaration (:mod:`calctutor.interface`); a ``--shape`` given here is added
    to the ones from :shape."""
    from calctutor import interface
    from calctutor.commands.matgrad import run_matgrad
    from calctutor.render import matrix as view

    spec = interface.command("matgrad")
    usage = f"{spec.usage()}  (shapes from :shape)"
    expr, given = forms.split_options(arg, spec.flags)
    own = {o.name for o in spec.teaching_options}
    scalar = sorted(name for name in (k.rstrip("!") for k in given)
                    if name not in own and name in {o.name for o in interface.command("grad").options})
    if scalar:
        raise CalcError(f"--{scalar[0]} does not go with matrix shapes", hint=f"usage: {usage}")
    opts = spec.read(given)
    if not expr.strip():
        raise CalcError("give an expression", hint=f"usage: {usage}")
    shapes = [*ctx.state.shapes.values(), *opts.pop("shapes", [])]
    result = run_matgrad(expr, shapes=shapes, **{**opts, "wrt": opts.get("wrt") or None})
    return show(result, view)
