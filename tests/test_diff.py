"""run_diff and its renderers: syllabus values, JSON contract and round trip."""

from __future__ import annotations

import json

import pytest
import sympy

from calctutor.commands.diff import run_diff
from calctutor.errors import CalcError
from calctutor.parsing import parse
from calctutor.render import diff as view
from test_steps_helpers import values_equal


def _walk(steps):
    for s in steps:
        yield s
        yield from _walk(s["substeps"])


def test_json_contract_and_round_trip():
    doc = view.to_json(run_diff("sin((4x)^2)", at="x=1"))
    for key in ("input", "variable", "order", "derivative", "latex", "value", "steps"):
        assert key in doc
    assert doc["variable"] == "x" and doc["order"] == 1
    assert parse(doc["derivative"]) == parse("32x cos(16x^2)")
    assert doc["value"] == pytest.approx(32 * float(sympy.cos(16)))
    json.dumps(doc)
    steps = list(_walk(doc["steps"]))
    assert steps[0]["rule"] == "chain rule" and steps[0]["let"]["letter"] == "u"
    assert [layer["at_variable"] for layer in steps[0]["layers"]] == ["cos(16*x^2)", "2*(4*x)", "4"]
    for step in steps:
        assert {"rule", "expr", "result", "substeps", "id"} <= set(step)
        expr, result = parse(step["expr"]), parse(step["result"])  # both paste back
        var = sympy.Symbol(step["wrt"], real=True)
        if step["rule"] in ("simplify", "rewrite"):
            assert values_equal(expr, result)
        else:
            assert values_equal(result, sympy.diff(expr, var))


def test_program_chain_at_half_is_9_75():
    result = run_diff("y = 2x^3 + 3; z = y^2", at="x=0.5")
    assert result.value == sympy.Rational(39, 4)
    doc = view.to_json(result)
    assert doc["value"] == 9.75 and doc["value_exact"] == "39/4"
    assert doc["steps"][0]["let"]["letter"] == "y"
    assert result.derivative == parse("12x^2 (2x^3 + 3)")
    assert [layer.name for layer in result.breakdowns[0].layers] == ["z", "y"]


@pytest.mark.parametrize("text,at,value", [
    ("3x^2 + 2x", "1", 8), ("x^2", "x=3", 6), ("3x^2 - 4x", "x=1", 2),
    ("x^3 - 1/x", "1", 4), ("sigmoid(x)", "0", sympy.Rational(1, 4)),
    ("tanh(x)", "0", 1), ("(w x)^2", "w=3,x=2", 24), ("4 w^2", "w=3", 24),
])
def test_values_at_points(text, at, value):
    wrt = "w" if text == "4 w^2" or text == "(w x)^2" else None
    assert run_diff(text, wrt=wrt, at=at).value == value


def test_relu_is_undefined_at_the_kink():
    result = run_diff("relu(x)", at="0")
    assert result.value is None and "corner" in result.value_note
    assert result.at.one_sided.left == 0 and result.at.one_sided.right == 1
    assert view.to_json(result)["value"] is None
    assert run_diff("relu(x)", at="2").value == 1
    assert run_diff("abs(x)", at="0").value is None


def test_variable_choice():
    assert run_diff("x^2 y").variable == "x"
    assert run_diff("x^2 y", wrt="y").derivative == parse("x^2")
    with pytest.raises(CalcError) as info:
        run_diff("a b")
    assert "--wrt" in info.value.message and info.value.exit_code == 2
    assert run_diff("t^2").variable == "t"
    assert run_diff("5").derivative == 0


def test_order_and_no_steps():
    result = run_diff("sin(x)", order=4, steps=False)
    assert result.derivative == sympy.sin(sympy.Symbol("x", real=True))
    assert view.to_json(result)["steps"] == []
    assert run_diff("x^3", order=0).derivative == parse("x^3")
    doc = view.to_json(run_diff("x^3", order=2))
    assert [s["rule"] for s in doc["steps"]] == ["higher-order derivative"] * 2


def test_point_errors():
    with pytest.raises(CalcError):
        run_diff("x^2 y", at="x=1")
    with pytest.raises(CalcError):
        run_diff("x^2", at="t=1")


def test_plain_and_latex_renderings():
    result = run_diff("sin((4x)^2)", at="x=0")
    text = view.to_plain(result)
    assert text.isascii()
    assert "chain rule" in text and "dz/du * du/dv * dv/dx" in text
    assert "32*x*cos(16*x^2)" in text
    latex = view.to_latex(result)
    assert latex.startswith(r"\frac{d}{d x}") and r"\begin{align*}" in latex


def test_rich_rendering_has_rule_names():
    from rich.console import Console

    console = Console(width=100, record=True, color_system=None)
    console.print(view.to_rich(run_diff("x^x")))
    out = console.export_text()
    assert "logarithmic differentiation" in out and "x^x*(ln(x) + 1)" in out
