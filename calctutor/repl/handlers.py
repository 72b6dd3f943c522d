"""What each kind of line does: one small function per intent and per ``:command``.

Every handler calls the same ``calctutor.commands.run_*`` function as the Typer CLI and
returns replies (:mod:`calctutor.repl.replies`) drawn by the same renderers; nothing here
computes calculus or prints. Heavy modules are imported inside the handlers, so
importing this module at start-up stays cheap.

To add a special command, write one function here::

    @command("check", help="...", usage=":check FUNCTION ; ANSWER", examples=(...))
    def check(ctx, arg):
        ...
        return show(result, view)
"""

from __future__ import annotations

from pathlib import Path

from calctutor import interface
from calctutor.errors import CalcError
from calctutor.repl import input_forms as forms
from calctutor.repl.registry import REGISTRY, command
from calctutor.repl.replies import Say, Show, error, say, show
from calctutor.repl.state import FORMATS, MODES, Context

# ── lines ───────────────────────────────────────────────────────────────────────────


def handle_line(ctx: Context, text: str) -> list:
    """Replies for one submitted input (which may hold several ``;``-separated
    statements); stops at the first error, which is returned as a reply."""
    replies: list = []
    for statement in forms.split_statements(text):
        intent = forms.classify(statement)
        try:
            out = INTENTS[type(intent)](ctx, intent)
        except CalcError as exc:
            replies.append(error(exc))
            break
        except RecursionError:
            replies.append(say("error: the expression is too deeply nested to work with", "error"))
            break
        replies.extend(_as_list(out))
        if ctx.quit:
            break
    return replies


def _as_list(out) -> list:
    if out is None:
        return []
    if isinstance(out, (Show, Say)):
        return [out]
    if isinstance(out, str):
        return [say(out)]
    return list(out)


def on_command(ctx: Context, intent: forms.Command):
    entry = ctx.registry.lookup(intent.name)
    if entry is None:
        import difflib

        close = difflib.get_close_matches(intent.name, ctx.registry.names(), n=1)
        hint = f"did you mean :{close[0]}?" if close else "type :help for the list"
        raise CalcError(f"unknown command :{intent.name}", hint=hint)
    return entry.handler(ctx, intent.arg)


def on_word(ctx: Context, intent: forms.Word):
    """A command word without its colon: the command when the REPL has it, else an error
    (a lesson's words mean nothing here) — never an expression to differentiate."""
    if ctx.registry.lookup(intent.word) is not None:
        return on_command(ctx, forms.Command(intent.word, ""))
    raise CalcError(f"'{intent.word}' is a command word, not an expression",
                    hint="lesson words (hint, skip, next, solution) work inside :lesson NAME; "
                         "type :help for the REPL's commands")


def on_expression(ctx: Context, intent: forms.Expression):
    """A bare expression: its derivative with steps (brief or full, ``:mode``)."""
    names = sorted(s.name for s in ctx.state.inline(ctx.state.parse(intent.text)).free_symbols)
    if len(names) > 1 and "x" not in names:
        raise CalcError(f"this has several variables ({', '.join(names)}): say which one",
                        hint=f"∂/∂{names[0]} {intent.text}, or :grad {intent.text} for all of them")
    return derivative(ctx, intent.text)


def on_derivative(ctx: Context, intent: forms.Derivative):
    text = intent.text
    binding = ctx.state.bindings.get(text.strip())
    if binding is not None and binding.is_function and intent.wrt is None:
        return _function_derivative(ctx, binding, 1, None)
    return derivative(ctx, text, wrt=intent.wrt, order=intent.order)


def on_prime(ctx: Context, intent: forms.Prime):
    binding = ctx.state.bindings.get(intent.name)
    if binding is None:
        raise CalcError(f"'{intent.name}' is not defined yet",
                        hint=f"define it first, e.g. {intent.name}(x) = x^2 sin x")
    return _function_derivative(ctx, binding, intent.order, intent.arg)


def on_definition(ctx: Context, intent: forms.Definition):
    binding = ctx.state.define(intent.text)
    lead = "defined" if binding.is_function else "set"
    lines = [f"{lead} {binding.signature()} = {binding.source}"]
    if binding.is_function:
        lines.append(f"try {binding.name}'({binding.params[0]}), diff {binding.name}"
                     f" or {binding.name}(2{binding.params[0]})")
    elif not binding.expr.free_symbols and len(binding.name) == 1:
        lines.append(f"note: {binding.name} now stands for a number everywhere; to evaluate "
                     f"at a point instead, use :at {binding.name}={binding.source}")
    else:
        lines.append(f"use {binding.name} in later lines; :graph {binding.name} shows the graph")
    return [say(lines[0], "ok"), say("\n".join(lines[1:]), "note")]


def on_malformed(ctx: Context, intent: forms.Malformed):
    raise CalcError(intent.message, hint=intent.hint)


INTENTS = {
    forms.Command: on_command,
    forms.Word: on_word,
    forms.Expression: on_expression,
    forms.Derivative: on_derivative,
    forms.Prime: on_prime,
    forms.Definition: on_definition,
    forms.Malformed: on_malformed,
}

# ── derivatives ─────────────────────────────────────────────────────────────────────


def derivative(ctx: Context, text: str, wrt: str | None = None, order: int = 1,
               at: str | None = None):
    """``run_diff`` on the learner's text (their names inlined), steps per ``:mode``."""
    from calctutor.commands.diff import run_diff

    state = ctx.state
    if state.mode == "brief":
        from calctutor.render import brief as view
    else:
        from calctutor.render import diff as view
    expanded = state.expand(text)
    result = run_diff(expanded, wrt=wrt, order=order, at=at or _point_for(ctx, expanded),
                      steps=True)
    state.ans = result.derivative
    return _remember(ctx, show(result, view))


def _point_for(ctx: Context, text: str) -> str | None:
    """The ``:at`` point, restricted to the expression's variables, when it gives a value
    to each of them (a point with y=1 does not stop you differentiating sin x, and one
    without y leaves d/dy x y^2 symbolic)."""
    point = ctx.state.point
    if not point or "=" not in point:
        return point
    from calctutor.parsing import parse, parse_program
    from calctutor.textsplit import looks_like_program, split

    expr = parse_program(text).inlined() if looks_like_program(text) else parse(text)
    have = {s.name for s in expr.free_symbols}
    pieces = [p for p in split(point, ",") if p.partition("=")[0].strip() in have]
    given = {p.partition("=")[0].strip() for p in pieces}
    return ",".join(pieces) if pieces and given >= have else None


def _function_derivative(ctx: Context, binding, order: int, arg: str | None):
    """``f'(x)``, ``f''(2)``, ``f'(t)``, ``y'``: differentiate the body in its parameter."""
    from calctutor.parsing import to_input
    from calctutor.parsing.builder import symbol

    state = ctx.state
    body = state.inline(binding.expr)
    if not binding.is_function:
        if arg is not None:
            raise CalcError(f"'{binding.name}' is a variable, not a function",
                            hint=f"write {binding.name}' or d/dx {binding.name}")
        return derivative(ctx, to_input(body), order=order)
    if len(binding.params) != 1:
        params = ", ".join(binding.params)
        raise CalcError(f"{binding.name} has {len(binding.params)} variables ({params}): "
                        "say which one", hint=f"write ∂/∂{binding.params[0]} "
                        f"{binding.signature()}")
    param = binding.params[0]
    uses_others = body != binding.expr
    text = to_input(body) if uses_others else binding.source
    if arg is None or arg == param:
        return derivative(ctx, text, wrt=param, order=order)
    value = state.inline(state.parse(arg))
    if not value.free_symbols:
        return derivative(ctx, text, wrt=param, order=order, at=f"{param}={to_input(value)}")
    if value.is_Symbol:
        renamed = body.xreplace({symbol(param): value})
        return derivative(ctx, to_input(renamed), wrt=value.name, order=order)
    raise CalcError(f"{binding.name}'({arg}) asks for the derivative at an expression",
                    hint=f"write {binding.name}'({param}) for the derivative, or "
                    f"d/d{param} {binding.name}({arg}) for the chain rule")


def _remember(ctx: Context, reply: Show) -> Show:
    ctx.state.last = reply
    return reply


def _need(arg: str, usage: str) -> str:
    if not arg.strip():
        raise CalcError("this command needs an expression", hint=f"usage: {usage}")
    return arg.strip()


# ── special commands ────────────────────────────────────────────────────────────────


@command("help", aliases=("h", "?"), usage=":help [COMMAND]", group="session",
         help="list what you can type, or explain one command",
         examples=(":help", ":help at"),
         complete=lambda ctx: ctx.registry.names())
def help_(ctx: Context, arg: str):
    name = arg.strip().lstrip(":")
    if name:
        entry = ctx.registry.lookup(name)
        if entry is None:
            raise CalcError(f"unknown command :{name}", hint="type :help for the list")
        lines = [f"{entry.usage}", f"  {entry.help}"]
        if entry.aliases:
            lines.append("  also: " + ", ".join(":" + a for a in entry.aliases))
        if entry.examples:
            lines.append("  examples:")
            lines += [f"    {e}" for e in entry.examples]
        return say("\n".join(lines))
    return say(_help_text(ctx), rich=lambda: _help_rich(ctx))


_FORMS = (
    ("3x^2 sin x", "a function: its derivative, step by step"),
    ("d/dx x^2 e^x", "the same, saying the variable (also d²/dx², d^2/dx^2, ∂/∂y)"),
    ("f(x) = x^2 sin x", "define a function; then f'(x), f''(2), diff f, f(2x)"),
    ("y = 2x^3 + 3", "define a name; later lines may use it (z = y^2)"),
    ("ans", "the last result"),
)


def _help_text(ctx: Context) -> str:
    lines = ["Type a function to see its derivative and why:"]
    lines += [f"  {form:<22} {what}" for form, what in _FORMS]
    lines.append("")
    lines.append("Commands:")
    for entry in sorted(ctx.registry, key=lambda e: e.group != "main"):
        example = f"   e.g. {entry.examples[0]}" if entry.examples else ""
        lines.append(f"  {entry.usage:<22} {entry.help}{example}")
    lines.append("")
    lines.append("Keys: Tab completes, Up/Down walk the history, Alt-Enter starts a new line,")
    lines.append("Ctrl-C cancels the line or a running computation, Ctrl-D leaves.")
    return "\n".join(lines)


def _help_rich(ctx: Context):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    forms_table = Table(box=None, show_header=False, padding=(0, 2))
    forms_table.add_column(style="bold cyan", no_wrap=True)
    forms_table.add_column()
    for form, what in _FORMS:
        forms_table.add_row(form, what)
    commands = Table(box=None, show_header=False, padding=(0, 2))
    commands.add_column(style="bold green", no_wrap=True)
    commands.add_column()
    commands.add_column(style="dim")
    for entry in sorted(ctx.registry, key=lambda e: e.group != "main"):
        commands.add_row(entry.usage, entry.help, entry.examples[0] if entry.examples else "")
    from calctutor.asciitext import sep

    keys = Text(sep().join(["Tab completes", "↑/↓ history", "Alt-Enter new line",
                            "Ctrl-C cancels", "Ctrl-D leaves"]).strip(), style="dim")
    return Group(Text("Type a function to see its derivative and why:", style="bold"),
                 forms_table, Text(""), Text("Commands", style="bold"), commands, Text(""), keys)


@command("parse", usage=":parse EXPR", help="how calctutor reads an expression (tree, LaTeX)",
         examples=(":parse sin^2 x + 2xy", ":parse y = 2x^3 + 3; z = y^2"))
def parse_(ctx: Context, arg: str):
    from calctutor.commands.parse import run_parse
    from calctutor.textsplit import looks_like_program
    from calctutor.render import parse as view

    text = _need(arg, ":parse EXPR")
    if not looks_like_program(text):
        text = ctx.state.expand(text)
    result = run_parse(text)
    ctx.state.ans = result.expression
    return _remember(ctx, show(result, view))


@command("at", usage=":at x=2", help="evaluate derivatives at a point (:at off to stop)",
         examples=(":at x=2", ":at x=1,y=pi/2", ":at off"),
         complete=lambda ctx: ["off"])
def at(ctx: Context, arg: str):
    from calctutor.points import parse_point

    text = arg.strip()
    if not text:
        return say(f"derivatives are evaluated at {ctx.state.point}" if ctx.state.point
                   else "no point set; try :at x=2", "note")
    if text.lower() in ("off", "none", "clear", "-"):
        ctx.state.point = None
        return say("point cleared: derivatives are shown as functions", "ok")
    if "=" in text:
        parse_point(text, [])
    else:
        from calctutor.textsplit import split

        parse_point(text, [f"_{i}" for i in range(len(split(text, ",")))])
    ctx.state.point = text
    return say(f"derivatives will be evaluated at {text}", "ok")


@command("mode", usage=":mode brief|full", help="how many steps to show (no argument toggles)",
         examples=(":mode full", ":mode brief"), complete=lambda ctx: list(MODES),
         group="session")
def mode(ctx: Context, arg: str):
    choice = arg.strip().lower()
    if not choice:
        choice = "full" if ctx.state.mode == "brief" else "brief"
    if choice not in MODES:
        raise CalcError(f"unknown mode {choice!r}", hint="use :mode brief or :mode full")
    ctx.state.mode = choice
    return say(f"mode: {choice}" + (" (every step)" if choice == "full" else
                                    " (the main steps)"), "ok")


@command("format", usage=":format rich|plain|latex|json", group="session",
         help="how results are printed", examples=(":format plain", ":format json"),
         complete=lambda ctx: list(FORMATS))
def format_(ctx: Context, arg: str):
    choice = arg.strip().lower()
    if choice not in FORMATS:
        raise CalcError(f"unknown format {choice!r}" if choice else "which format?",
                        hint="use :format rich, plain, latex or json")
    ctx.state.format = choice
    return say(f"format: {choice}", "ok")


@command("latex", usage=":latex [EXPR]", help="LaTeX of an expression, or of the last result",
         examples=(":latex", ":latex x^2/(1+x)"))
def latex(ctx: Context, arg: str):
    if arg.strip():
        from calctutor.commands.parse import run_parse
        from calctutor.render import parse as view

        return say(view.to_latex(run_parse(ctx.state.expand(arg.strip()))))
    last = ctx.state.last
    if last is None or not hasattr(last.view, "to_latex"):
        raise CalcError("there is no result to write as LaTeX yet",
                        hint="type a function first, or :latex EXPR")
    from calctutor.repl.transcript import formatted_text

    return say(formatted_text(last, "latex"))


@command("names", aliases=("vars", "defs"), usage=":names", group="session",
         help="the names you have defined (and ans)")
def names(ctx: Context, arg: str):
    from calctutor.parsing import to_input

    state = ctx.state
    if not state.bindings and state.ans is None:
        return say("nothing defined yet; try f(x) = x^2 sin x or y = 2x + 1", "note")
    lines = [f"{b.signature()} = {b.source}" for b in state.bindings.values()]
    if state.ans is not None:
        lines.append(f"ans = {to_input(state.ans)}")
    return say("\n".join(lines))


@command("forget", aliases=("del",), usage=":forget NAME|all", group="session",
         help="forget a definition", examples=(":forget f", ":forget all"),
         complete=lambda ctx: list(ctx.state.bindings) + ["all"])
def forget(ctx: Context, arg: str):
    name = arg.strip()
    if name == "all":
        count = len(ctx.state.bindings)
        ctx.state.bindings.clear()
        return say(f"forgot {count} definition(s)", "ok")
    if not ctx.state.forget(name):
        raise CalcError(f"'{name}' is not defined" if name else "forget what?",
                        hint="see :names")
    return say(f"forgot {name}", "ok")


@command("save", aliases=("w",), usage=":save FILE [--force]", group="session",
         help="save this session as Markdown, HTML or SVG (by the file's suffix); "
              "--force replaces an existing file",
         examples=(":save session.md", ":save session.html", ":save session.md --force"))
def save(ctx: Context, arg: str):
    words = arg.split()
    force = "--force" in words
    name = " ".join(w for w in words if w != "--force")
    if not name:
        raise CalcError("save to which file?", hint="e.g. :save session.md (.md, .html or .svg)")
    path = Path(name).expanduser()
    kind = ctx.transcript.save(path, force=force)
    return say(f"saved the session as {kind.upper()}: {path}", "ok")


@command("quit", aliases=("q", "exit"), usage=":quit", group="session",
         help="leave (Ctrl-D does too)")
def quit_(ctx: Context, arg: str):
    ctx.quit = True
    return None


__all__ = ["REGISTRY", "handle_line", "derivative", "INTENTS"]


# ── commands over calctutor.commands.* (same functions as the Typer CLI) ─────────────


def _options(arg: str, name: str, need: bool = True) -> tuple[str, dict]:
    """The text before the options, and the options read by the command's declaration
    (:mod:`calctutor.interface`): the run function's keywords with typed values."""
    spec = interface.command(name)
    text, given = forms.split_options(arg, spec.flags)
    options = spec.read(given)
    return (_need(text, spec.usage()) if need else text), options


def _usage(name: str) -> str:
    return interface.command(name).usage()


def _at(ctx: Context, opts: dict, text: str) -> str | None:
    return opts.get("at") or _point_for(ctx, text)


@command("grad", usage=_usage("grad"),
         help="partial derivatives, gradient, Hessian, directional derivative",
         examples=(":grad x^2 y + 3y --at x=2,y=1", ":grad x^2 + y^2 --hessian",
                   ":grad x^2 + y^2 --at x=3,y=4 --dir 1,0"))
def grad(ctx: Context, arg: str):
    from calctutor.commands.grad import run_grad
    from calctutor.render import grad as view

    if ctx.state.shapes:  # vectors and matrices declared with :shape
        from calctutor.repl.matrix_commands import matrix_grad

        return _remember(ctx, matrix_grad(ctx, arg))
    text, opts = _options(arg, "grad")
    text = ctx.state.expand(text)
    result = run_grad(text, **{**opts, "at": _at(ctx, opts, text)})
    return _remember(ctx, show(result, view))


@command("graph", usage=_usage("graph"),
         help="computational graph, forward values and backpropagation",
         examples=(":graph y = 2x^3 + 3; z = y^2 --at x=1", ":graph sigmoid(w x + b) --at w=1,x=2,b=0",
                   ":graph z   (after y = 2x^3 + 3 and z = y^2)"))
def graph(ctx: Context, arg: str):
    from calctutor.commands.graph import run_graph
    from calctutor.render import graph as view

    text, opts = _options(arg, "graph")
    text = ctx.state.program_text(text)
    if opts.get("mode", "reverse") not in ("reverse", "forward"):
        raise CalcError(f"--mode must be reverse or forward, not {opts['mode']!r}")
    result = run_graph(text, **{**opts, "at": _at(ctx, opts, text)})
    return _remember(ctx, show(result, view))


@command("backprop", usage=_usage("backprop"),
         help="the chain-rule steps and the backward pass side by side: one computation",
         examples=(":backprop sin(2x + 3)^2 --at x=1", ":backprop y = 2x^3 + 3; z = y^2 --at x=0.5"))
def backprop(ctx: Context, arg: str):
    from calctutor.commands.diff_graph import run_diff_graph
    from calctutor.render import diff_graph as view

    text, opts = _options(arg, "backprop")
    text = ctx.state.program_text(text)
    result = run_diff_graph(text, **{**opts, "at": _at(ctx, opts, text)})
    return _remember(ctx, show(result, view))


@command("taylor", usage=_usage("taylor"),
         help="Taylor polynomial term by term, with an error table",
         examples=(":taylor sin x --order 5", ":taylor e^x --at 1 --order 3 --eval 1.1,1.5"))
def taylor(ctx: Context, arg: str):
    from calctutor.commands.taylor import run_taylor
    from calctutor.render import taylor as view

    text, opts = _options(arg, "taylor")
    text = ctx.state.expand(text)
    result = run_taylor(text, **{**opts, "at": _at(ctx, opts, text)})
    return _remember(ctx, show(result, view))


@command("plot", usage=_usage("plot"),
         help="draw a function in the terminal (several: sin x, cos x)",
         examples=(":plot x^3 - 3x --tangent 1", ":plot sigmoid(x) --derivative --range -6,6"))
def plot(ctx: Context, arg: str):
    from calctutor.commands.plot import run_plot
    from calctutor.render import plot as view

    text, opts = _options(arg, "plot")
    if "," not in text:
        text = ctx.state.expand(text)
    result = run_plot(text, **opts)
    return _remember(ctx, show(result, view))


@command("limit", usage=_usage("limit"),
         help="the limit of EXPR at A (--quotient: the derivative as a limit of difference quotients)",
         examples=(":limit sin(x)/x --at 0", ":limit x^2 --at 1 --quotient --h 0.1,0.01"))
def limit(ctx: Context, arg: str):
    from calctutor.commands.limit import run_limit
    from calctutor.render import limit as view

    text, opts = _options(arg, "limit")
    text = ctx.state.expand(text)
    at_ = opts.get("at") or ctx.state.point
    if not at_:
        raise CalcError("at which point?", hint=":limit EXPR --at 1 (or set one with :at x=1)")
    if "=" in at_:
        from calctutor.points import parse_point
        from calctutor.parsing import parse, to_input

        point = parse_point(at_, [])
        names = sorted(s.name for s in parse(text).free_symbols)
        value = point.get(names[0]) if len(names) == 1 else next(iter(point.values()))
        if value is None:
            raise CalcError(f"the point {at_} gives no value for {names[0]}",
                            hint=f":limit EXPR --at A (or set one with :at {names[0]}=1)")
        at_ = to_input(value)
    result = run_limit(text, **{**opts, "at": at_})
    return _remember(ctx, show(result, view))


@command("descend", usage=_usage("descend"),
         help="watch gradient descent, momentum or Newton's method use the gradient",
         examples=(":descend x^2 + 3y^2 --from x=1,y=2 --rate 0.3",
                   ":descend x^2 + 3y^2 --from x=1,y=2 --method newton",
                   ":descend x^2 --from 1 --rate 1.1"))
def descend(ctx: Context, arg: str):
    from calctutor.commands.descend import run_descend
    from calctutor.render import descend as view

    text, opts = _options(arg, "descend")
    text = ctx.state.expand(text)
    start = opts.pop("start", None) or ctx.state.point
    if not start:
        raise CalcError("where does the descent start?",
                        hint=":descend EXPR --from x=1,y=2 (or set a point with :at)")
    result = run_descend(text, start, **opts)
    return _remember(ctx, show(result, view))


@command("stable", usage=_usage("stable"),
         help="the naive and the stable float64 form against the exact value",
         examples=(":stable logsumexp(1000, 1001, 1002)", ":stable softplus(x) --at x=-800"))
def stable(ctx: Context, arg: str):
    from calctutor.commands.stable import run_stable
    from calctutor.render import stable as view

    text, opts = _options(arg, "stable")
    text = ctx.state.expand(text)
    result = run_stable(text, **{**opts, "at": opts.get("at") or ctx.state.point})
    return _remember(ctx, show(result, view))


@command("integrate", aliases=("int",), usage=_usage("integrate"),
         help="a definite integral: exact, numeric and Monte Carlo",
         examples=(":integrate x^2 --from 0 --to 1", ":integrate e^(-x^2) --from -oo --to oo"))
def integrate(ctx: Context, arg: str):
    from calctutor.commands.integrate import run_integrate
    from calctutor.render import integrate as view

    text, opts = _options(arg, "integrate")
    if not opts.get("lower") or not opts.get("upper"):
        raise CalcError("the limits are missing", hint=f"usage: {_usage('integrate')}")
    result = run_integrate(ctx.state.expand(text), **opts)
    return _remember(ctx, show(result, view))


@command("check", usage=":check FUNCTION ; ANSWER",
         help="grade your derivative of a function (the mistake is named)",
         examples=(":check sin(x^2) ; 2x cos(x^2)", ":check d/dx x^3 = 3x", ":check x^2 y ; x^2 --wrt y"))
def check(ctx: Context, arg: str):
    from calctutor.commands.check import run_check
    from calctutor.render import check as view

    usage = ":check FUNCTION ; ANSWER  (or :check d/dx FUNCTION = ANSWER)"
    if "\n" in arg.strip():
        return _check_working(ctx, arg)
    text, opts = _options(arg, "check")
    wrt, order = opts.pop("wrt", None) or None, opts.pop("order", 1)
    if ";" in text:
        function, answer = (p.strip() for p in text.split(";", 1))
    elif forms.top_level_equals(text) >= 0:
        eq = forms.top_level_equals(text)
        function, answer = text[:eq].strip(), text[eq + 1:].strip()
        intent = forms.classify(function)
        if isinstance(intent, forms.Derivative):
            function, wrt, order = intent.text, intent.wrt or wrt, intent.order
    else:
        raise CalcError("give the function and your answer", hint=f"usage: {usage}")
    if not function or not answer:
        raise CalcError("give the function and your answer", hint=f"usage: {usage}")
    state = ctx.state
    verdict = run_check(state.expand(function), state.expand(answer), wrt=wrt, order=order,
                        **opts)
    return _remember(ctx, show(verdict, view))


def _check_working(ctx: Context, arg: str):
    """``:check FUNCTION`` then Alt-Enter, one step of the working per line (or
    ``:check FUNCTION ; line 1`` and more lines): graded line by line."""
    from calctutor.commands.check import run_working
    from calctutor.render import working as view

    head, _, body = arg.strip().partition("\n")
    head, opts = _options(head, "check")
    function, _, first = head.partition(";")
    if forms.top_level_equals(function) >= 0:  # :check d/dx f = first line
        eq = forms.top_level_equals(function)
        function, first = function[:eq], function[eq + 1:] + "\n" + first
    wrt, order = opts.get("wrt") or None, opts.get("order", 1)
    intent = forms.classify(function.strip())
    if isinstance(intent, forms.Derivative):
        function, wrt, order = intent.text, intent.wrt or wrt, intent.order
    working = "\n".join(line for line in (first, body) if line.strip())
    if not function.strip() or not working.strip():
        raise CalcError("give the function, then your working one step per line",
                        hint=":check sin(x^2)  Alt-Enter  cos(x^2)*d/dx(x^2)  Enter  2x cos(x^2)  "
                             "Enter  Enter (an empty line submits)")
    state = ctx.state
    verdict = run_working(state.expand(function.strip()), working, wrt=wrt, order=order)
    return _remember(ctx, show(verdict, view))


@command("lesson", usage=_usage("lesson"),
         help="list the lessons with your progress, or run one",
         examples=(":lesson", ":lesson chain-rule", ":lesson chain-rule --seed 7"))
def lesson(ctx: Context, arg: str):
    from calctutor.commands.lesson import run_lesson_list
    from calctutor.tutor.session import run_lesson

    name, opts = _options(arg, "lesson", need=False)
    if not name:
        from calctutor.render import lesson as view

        return show(run_lesson_list(), view)
    io = ctx.make_io() if ctx.make_io is not None else None
    report = run_lesson(name, opts.get("seed"), io)
    done = f"{report.correct} of {len(report.outcomes)} exercises correct"
    return say(f"back in the REPL after the lesson '{report.title}': {done}", "ok")


from calctutor.repl import matrix_commands as _matrix_commands  # noqa: E402,F401 - registers :shape
