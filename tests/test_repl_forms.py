"""The REPL's pure pieces: input forms, options, the registry, the lexer, the toolbar."""

from __future__ import annotations

import sys

import pytest

from calctutor.repl import input_forms as forms
from calctutor.repl.keys import should_submit
from calctutor.repl.lexer import tokens
from calctutor.repl.registry import Registry
from calctutor.repl.state import ReplState
from calctutor.repl.toolbar import toolbar_text


@pytest.mark.parametrize("line, expected", [
    ("d/dx x^2", forms.Derivative("x^2", "x", 1)),
    ("d²/dx² sin x", forms.Derivative("sin x", "x", 2)),
    ("d^2/dx^2 (x^3)", forms.Derivative("(x^3)", "x", 2)),
    ("d^3 / dt^3 t^4", forms.Derivative("t^4", "t", 3)),
    ("∂/∂y x y^2", forms.Derivative("x y^2", "y", 1, partial=True)),
    ("d/dθ sin θ", forms.Derivative("sin θ", "theta", 1)),
    ("d/dtheta cos(theta)", forms.Derivative("cos(theta)", "theta", 1)),
    ("d/dx_1 x_1^2", forms.Derivative("x_1^2", "x_1", 1)),
    ("d/dx(sin x)", forms.Derivative("(sin x)", "x", 1)),
    ("diff f", forms.Derivative("f")),
    ("diff x^2 sin x", forms.Derivative("x^2 sin x")),
    ("f'(x)", forms.Prime("f", 1, "x")),
    ("f''(2)", forms.Prime("f", 2, "2")),
    ("g′(t)", forms.Prime("g", 1, "t")),
    ("y'", forms.Prime("y", 1, None)),
    ("f(x) = x^2", forms.Definition("f(x) = x^2", "f")),
    ("loss = (y - 1)^2", forms.Definition("loss = (y - 1)^2", "loss")),
    (":at x=2", forms.Command("at", "x=2")),
    (":HELP", forms.Command("help", "")),
    (":?", forms.Command("help", "")),
    ("quit", forms.Command("quit")),
    ("exit", forms.Command("quit")),
    ("x^2 + 1", forms.Expression("x^2 + 1")),
    ("dx/2", forms.Expression("dx/2")),
    ("max(x, 0) = 1", forms.Definition("max(x, 0) = 1", "max")),
])
def test_classify(line, expected):
    assert forms.classify(line) == expected


@pytest.mark.parametrize("line, words", [
    ("d/dx", "needs an expression"),
    ("d^2/dx^3 x", "orders do not match"),
    ("∂²/∂x∂y x y", "one variable at a time"),
    ("∂ x^2", "cannot read this derivative"),
])
def test_malformed_derivatives_explain_themselves(line, words):
    intent = forms.classify(line)
    assert isinstance(intent, forms.Malformed)
    assert words in intent.message
    assert intent.hint


def test_mixed_partial_hint_names_the_order():
    intent = forms.classify("∂²/∂x∂y x y")
    assert intent.hint.startswith("type ∂/∂y EXPR, then ∂/∂x ans")


def test_split_statements():
    assert forms.split_statements("y = 2x; z = y^2") == ["y = 2x", "z = y^2"]
    assert forms.split_statements("y = 2x\nz = y^2\n") == ["y = 2x", "z = y^2"]
    assert forms.split_statements("sin(x +\n 1)") == ["sin(x +  1)"]
    assert forms.split_statements(":graph y = 2x; z = y^2") == [":graph y = 2x; z = y^2"]
    assert forms.split_statements("max(x; 1)") == ["max(x; 1)"]


def test_brackets_and_enter():
    assert forms.brackets_balanced("sin(x) + [1]")
    assert not forms.brackets_balanced("sin(x + (1")
    assert forms.brackets_balanced("x)")  # the parser will point at the stray ')'
    assert should_submit("x^2")
    assert not should_submit("sin(x +")
    assert should_submit(":parse sin(x")  # commands submit; the parser reports the error


def test_split_options_like_the_cli():
    assert forms.split_options("sin x --at 0 --order 5") == ("sin x", {"at": "0", "order": "5"})
    assert forms.split_options("x^2 y --hessian --at x=1,y=2", frozenset({"hessian"})) == (
        "x^2 y", {"hessian": True, "at": "x=1,y=2"})
    assert forms.split_options("x --range -2,2", frozenset()) == ("x", {"range": "-2,2"})
    assert forms.split_options("x - -x") == ("x - -x", {})


def test_registry_decorator_aliases_and_duplicates():
    registry = Registry()

    @registry.command("check", help="grade", aliases=("c",), examples=(":check x^2 ; 2x",))
    def check(ctx, arg):
        return arg.upper()

    assert registry.lookup("c").handler(None, "ok") == "OK"
    assert registry.lookup("CHECK").name == "check"
    assert registry.names() == ["check", "c"]
    assert "c" in registry and "nope" not in registry
    with pytest.raises(ValueError):
        registry.command("c", help="again")(check)


def test_lexer_classes():
    pairs = tokens("d²/dx² 3x^2 sin(x) + loss*π", ["loss"])
    assert "".join(t for _, t in pairs) == "d²/dx² 3x^2 sin(x) + loss*π"
    kinds = dict((t, k) for k, t in pairs)
    assert kinds["d²/dx²"] == "class:derivative"
    assert kinds["3"] == "class:number"
    assert kinds["sin"] == "class:function"
    assert kinds["loss"] == "class:name"
    assert kinds["π"] == "class:constant"
    assert kinds["("] == "class:bracket"
    assert kinds["^"] == "class:operator"
    assert tokens(":at x=2")[0] == ("class:command", ":at")
    assert ("class:unknown", "@") in tokens("x @ y")


def test_lexer_never_raises_on_junk():
    for junk in ["", "((((", "'''", "\x00\x01", "1e", "d/d", ":", "x" * 5000, "∂²/∂"]:
        assert "".join(t for _, t in tokens(junk)) == junk


def test_toolbar_shows_mode_point_and_keys():
    state = ReplState()
    state.point = "x=2"
    text = "".join(t for _, t in toolbar_text(state, ready=False))
    assert "full" in text and "x=2" in text and "loading SymPy" in text and "Ctrl-D" in text


def test_light_modules_do_not_import_sympy():
    import subprocess

    code = ("import sys\n"
            "import calctutor.repl.session, calctutor.repl.handlers, calctutor.repl.completer\n"
            "print('HEAVY', [m for m in ('sympy', 'numpy', 'rich.console') if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "HEAVY []" in out.stdout
