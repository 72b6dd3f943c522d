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


def on_expression(ctx: Context, intent: forms.Expression):
    """A bare expression: its derivative with steps (brief or full, ``:mode``)."""
    import importlib.util

    if importlib.util.find_spec("calctutor.render.diff") is None:  # until the step engine lands
        return parse_(ctx, intent.text)
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
    from calctutor.render import diff as view

    state = ctx.state
    expanded = state.expand(text)
    result = run_diff(expanded, wrt=wrt, order=order, at=at or _point_for(ctx, expanded),
                      steps=True)
    state.ans = result.derivative
    return _remember(ctx, show(result, view, brief=state.mode == "brief"))


def _point_for(ctx: Context, text: str) -> str | None:
    """The ``:at`` point, if it names only variables the expression has (a point with
    y=1 does not stop you differentiating sin x)."""
    point = ctx.state.point
    if not point or "=" not in point:
        return point
    from calctutor.parsing import parse

    have = {s.name for s in parse(text).free_symbols}
    wanted = [p.split("=", 1)[0].strip() for p in point.split(",") if "=" in p]
    return point if set(wanted) <= have or not have else ",".join(
        p for p in point.split(",") if p.split("=", 1)[0].strip() in have) or None


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
    keys = Text("Tab completes · ↑/↓ history · Alt-Enter new line · "
                "Ctrl-C cancels · Ctrl-D leaves", style="dim")
    return Group(Text("Type a function to see its derivative and why:", style="bold"),
                 forms_table, Text(""), Text("Commands", style="bold"), commands, Text(""), keys)


@command("parse", usage=":parse EXPR", help="how calctutor reads an expression (tree, LaTeX)",
         examples=(":parse sin^2 x + 2xy", ":parse y = 2x^3 + 3; z = y^2"))
def parse_(ctx: Context, arg: str):
    from calctutor.commands.parse import looks_like_program, run_parse
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
        count = len([p for p in text.split(",") if p.strip()])
        parse_point(text, [f"_{i}" for i in range(count)])
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


@command("save", aliases=("w",), usage=":save FILE", group="session",
         help="save this session as Markdown, HTML or SVG (by the file's suffix)",
         examples=(":save session.md", ":save session.html", ":save session.svg"))
def save(ctx: Context, arg: str):
    name = arg.strip()
    if not name:
        raise CalcError("save to which file?", hint="e.g. :save session.md (.md, .html or .svg)")
    path = Path(name).expanduser()
    kind = ctx.transcript.save(path)
    return say(f"saved the session as {kind.upper()}: {path}", "ok")


@command("quit", aliases=("q", "exit"), usage=":quit", group="session",
         help="leave (Ctrl-D does too)")
def quit_(ctx: Context, arg: str):
    ctx.quit = True
    return None


__all__ = ["REGISTRY", "handle_line", "derivative", "INTENTS"]
