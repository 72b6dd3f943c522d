"""REPL handlers, state, completer and transcript as plain functions (no terminal)."""

from __future__ import annotations

import pytest
import sympy

from calctutor.errors import CalcError
from calctutor.repl.completer import candidates
from calctutor.repl.handlers import handle_line
from calctutor.repl.registry import REGISTRY
from calctutor.repl.replies import Say, Show
from calctutor.repl.state import Context, ReplState
from calctutor.repl.transcript import Printer, Transcript, plain_text

x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)


@pytest.fixture
def ctx():
    return Context(state=ReplState(), registry=REGISTRY, transcript=Transcript())


def text_of(replies) -> str:
    return "\n".join(plain_text(r) for r in replies)


def test_parse_command_uses_the_parse_renderer(ctx):
    (reply,) = handle_line(ctx, ":parse x^2 sin x")
    assert isinstance(reply, Show) and reply.view.__name__ == "calctutor.render.parse"
    assert "x^2*sin(x)" in plain_text(reply)
    assert ctx.state.ans == x**2 * sympy.sin(x)


def test_bare_expression_gives_the_derivative_with_steps(ctx):
    (reply,) = handle_line(ctx, "x^2 sin x")
    assert reply.view.__name__ == "calctutor.render.diff"
    out = plain_text(reply)
    assert "product rule" in out and "steps:" in out
    assert sympy.simplify(ctx.state.ans - (2 * x * sympy.sin(x) + x**2 * sympy.cos(x))) == 0


def test_brief_mode_names_the_rules(ctx):
    handle_line(ctx, ":mode brief")
    (reply,) = handle_line(ctx, "sin(x^2)")
    out = plain_text(reply)
    assert "chain rule" in out and "cos(x^2)" in out and "steps:" not in out


def test_derivative_forms(ctx):
    handle_line(ctx, ":mode brief")
    assert "2" == text_of(handle_line(ctx, "d²/dx² x^2")).split(" = ")[1].split("\n")[0]
    handle_line(ctx, "∂/∂y x y^2")
    assert ctx.state.ans == 2 * x * y


def test_definitions_prime_and_diff(ctx):
    handle_line(ctx, ":mode brief")
    replies = handle_line(ctx, "f(x) = x^3 e^x")
    assert "defined f(x) = x^3 e^x" in text_of(replies)
    handle_line(ctx, "f'(x)")
    assert sympy.simplify(ctx.state.ans - (3 * x**2 + x**3) * sympy.exp(x)) == 0
    out = text_of(handle_line(ctx, "f''(0)"))
    assert "at x = 0: 0" in out
    handle_line(ctx, "diff f")
    assert sympy.simplify(ctx.state.ans - (3 * x**2 + x**3) * sympy.exp(x)) == 0
    handle_line(ctx, "d/dx f(2x)")
    assert sympy.simplify(ctx.state.ans - sympy.diff(8 * x**3 * sympy.exp(2 * x), x)) == 0


def test_variables_and_ans_are_usable_later(ctx):
    handle_line(ctx, "y = 2x^3 + 3; loss = y^2")
    assert set(ctx.state.bindings) == {"y", "loss"}
    handle_line(ctx, "loss")
    assert sympy.expand(ctx.state.ans - 12 * x**2 * (2 * x**3 + 3)) == 0
    handle_line(ctx, "ans")  # the derivative of the last result
    assert sympy.expand(ctx.state.ans - sympy.diff(12 * x**2 * (2 * x**3 + 3), x)) == 0


def test_graph_of_defined_names_keeps_them_as_intermediates(ctx):
    handle_line(ctx, "y = 2x^3 + 3; z = y^2")
    assert ctx.state.program_text("z") == "y = 2*x^3 + 3; z = y^2"
    (reply,) = handle_line(ctx, ":graph z --at x=1")
    out = plain_text(reply)
    assert "60" in out and "y" in out


def test_at_point_is_used_and_cleared(ctx):
    handle_line(ctx, ":mode brief")
    handle_line(ctx, ":at x=2")
    assert "at x = 2: 12" in text_of(handle_line(ctx, "x^3"))
    # a point that does not cover every variable leaves the derivative symbolic
    out = text_of(handle_line(ctx, "d/dy x y^2"))
    assert "2*x*y" in out and "at x =" not in out
    handle_line(ctx, ":at off")
    assert ctx.state.point is None


def test_errors_are_replies_with_a_caret_and_the_session_goes_on(ctx):
    (reply,) = handle_line(ctx, "3x + (")
    assert isinstance(reply, Say) and reply.kind == "error"
    lines = reply.text.split("\n")
    assert lines[0].startswith("error:") and lines[1].strip() == "3x + (" and "^" in lines[2]
    (reply,) = handle_line(ctx, ":nope")
    assert "unknown command :nope" in reply.text
    (reply,) = handle_line(ctx, ":pars x")
    assert "did you mean :parse?" in reply.text
    (reply,) = handle_line(ctx, "g'(x)")
    assert "not defined" in reply.text
    (reply,) = handle_line(ctx, "a b")
    assert "several variables" in reply.text and ":grad a b" in reply.text


def test_definition_errors(ctx):
    with pytest.raises(CalcError):
        ctx.state.define("ans = 2")
    assert "itself" in text_of(handle_line(ctx, "q = q + 1"))
    handle_line(ctx, "y = 2x; z = y^2")
    assert "itself" in text_of(handle_line(ctx, "y = z"))
    assert ctx.state.bindings["y"].source == "2x"  # the old definition survives
    handle_line(ctx, "y = y + 1")  # uses the old y
    assert ctx.state.bindings["y"].expr == 2 * x + 1


def test_check_grad_taylor_commands_call_the_cli_functions(ctx):
    (verdict,) = handle_line(ctx, ":check d/dx x^3 = 3x")
    assert verdict.view.__name__ == "calctutor.render.check" and not verdict.result.correct
    (verdict,) = handle_line(ctx, ":check sin(x^2) ; 2x cos(x^2)")
    assert verdict.result.correct
    (grad,) = handle_line(ctx, ":grad x^2 y --at x=1,y=2")
    assert grad.view.__name__ == "calctutor.render.grad"
    (taylor,) = handle_line(ctx, ":taylor sin x --order 3")
    assert "x^3" in plain_text(taylor)
    (reply,) = handle_line(ctx, ":taylor sin x --bogus 1")
    assert "unknown option --bogus" in reply.text


def test_help_lists_every_command_with_an_example(ctx):
    (reply,) = handle_line(ctx, ":help")
    for entry in REGISTRY:
        assert entry.usage in reply.text
    (reply,) = handle_line(ctx, ":help at")
    assert ":at x=2" in reply.text and "examples" in reply.text


def test_mode_format_names_forget_quit(ctx):
    handle_line(ctx, ":mode")
    assert ctx.state.mode == "brief"
    handle_line(ctx, ":format json")
    assert ctx.state.format == "json"
    assert "unknown format" in text_of(handle_line(ctx, ":format pdf"))
    handle_line(ctx, "f(x) = x^2")
    assert "f(x) = x^2" in text_of(handle_line(ctx, ":names"))
    handle_line(ctx, ":forget f")
    assert "f" not in ctx.state.bindings
    assert handle_line(ctx, ":q") == [] and ctx.quit


def test_latex_of_last_result(ctx):
    handle_line(ctx, "x^2")
    (reply,) = handle_line(ctx, ":latex")
    assert "2 x" in reply.text
    (reply,) = handle_line(ctx, ":latex x^2/(1+x)")
    assert "\\frac" in reply.text


def test_completer_commands_names_functions(ctx):
    got = {c.text for c in candidates(":ta", ctx)}
    assert got == {":taylor"}
    assert {c.text for c in candidates(":mode ", ctx)} == {"brief", "full"}
    handle_line(ctx, "loss = (x - 1)^2")
    handle_line(ctx, "sigma2 = 3")
    names = [c.text for c in candidates("2 lo", ctx)]
    assert names[0] == "loss" and "log" in names and "log10" in names
    assert {c.text for c in candidates("sigm", ctx)} >= {"sigma2", "sigmoid"}
    assert all(c.start == -3 for c in candidates("x+sin", ctx)[:1])
    assert candidates("3 + ", ctx) == []


def test_transcript_save_formats(ctx, tmp_path):
    import io

    from rich.console import Console

    printer = Printer(Console(file=io.StringIO(), width=80), ctx.transcript, ctx.state)
    for line in [":parse x^2", "3x + ("]:
        printer.echo_input(line)
        for reply in handle_line(ctx, line):
            printer.print(reply)
    md, html, svg = tmp_path / "s.md", tmp_path / "s.html", tmp_path / "s.svg"
    for path in (md, html, svg):
        assert "saved" in text_of(handle_line(ctx, f":save {path}"))
    text = md.read_text()
    assert "calctutor> :parse x^2" in text and "error:" in text and "```text" in text
    assert "<html" in html.read_text().lower() and ":parse x^2" in html.read_text()
    assert svg.read_text().startswith("<svg")
    assert "cannot save" in text_of(handle_line(ctx, f":save {tmp_path / 's.pdf'}"))
    assert "does not exist" in text_of(handle_line(ctx, f":save {tmp_path / 'nodir' / 's.md'}"))


def test_backprop_shows_steps_and_backward_pass_with_the_same_letters(ctx):
    (reply,) = handle_line(ctx, ":backprop sin(2x + 3)^2 --at x=1")
    text = text_of([reply])
    assert "chain rule" in text and "backpropagation" in text
    assert "u = sin(v)" in text


def test_a_point_with_a_comma_inside_a_value_is_one_value(ctx):
    # :at x=log(8,2) used to be split by hand at every comma: "x=log(8" reached the
    # commands and every later derivative failed. The one value reader splits it.
    handle_line(ctx, ":mode brief")
    handle_line(ctx, ":at x=log(8,2),y=1")
    (reply,) = handle_line(ctx, "x^2")
    assert "at x = 3: 6" in plain_text(reply)
    (reply,) = handle_line(ctx, "x y^2")
    assert isinstance(reply, Show), plain_text(reply)
    (reply,) = handle_line(ctx, ":limit x^2")
    assert isinstance(reply, Show) and "6" in plain_text(reply)


@pytest.mark.parametrize("word", ["clear", "next", "hint", "idk", "skip", "Solution"])
def test_a_command_word_is_an_error_never_a_product_of_letters(ctx, word):
    (reply,) = handle_line(ctx, word)
    assert reply.kind == "error" and "command word" in reply.text
    assert ctx.state.ans is None  # nothing was differentiated


def test_a_command_word_the_repl_has_runs_it(ctx):
    (reply,) = handle_line(ctx, "help")
    assert reply.kind != "error" and ":grad" in plain_text(reply)
