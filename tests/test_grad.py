"""run_grad: partials, gradient, Jacobian, Hessian, directional derivatives (syllabus 5, 8, 9)."""

from __future__ import annotations

import pytest
import sympy

from calctutor.commands.grad import run_grad, split_outputs
from calctutor.errors import CalcError
from calctutor.parsing import parse
from calctutor.render import grad as view


def test_partials_at_a_point():
    r = run_grad("x^2 y + 3y", at="x=2,y=1")
    assert r.partials[0] == (parse("2x y"), parse("x^2 + 3"))
    assert r.values[0] == (4, 7)


def test_partials_without_point():
    r = run_grad("2 z^3 x^2")
    assert r.variables == ("x", "z")
    assert r.partials[0] == (parse("4 z^3 x"), parse("6 x^2 z^2"))
    assert run_grad("2x^2 - y^2").gradient == (parse("4x"), parse("-2y"))
    assert run_grad("3 x1^2 + 5 e^(x2)").gradient == (parse("6 x1"), parse("5 e^(x2)"))


def test_gradient_and_hessian_bowl():
    r = run_grad("x^2 + 3y^2", at="x=1,y=2", hessian=True)
    assert r.values[0] == (2, 12)
    assert r.hessian == ((2, 0), (0, 6))
    assert r.curvature.kind == "bowl" and "zig-zag" in r.curvature.summary
    doc = view.to_json(r)
    assert doc["gradient_value"] == [2, 12] and doc["hessian_value"] == [[2, 0], [0, 6]]


@pytest.mark.parametrize("text,kind", [("-x^2 - y^2", "dome"), ("x^2 - y^2", "saddle"),
                                       ("x^2", "bowl"), ("x^2 + 0 y", "flat")])
def test_hessian_kinds(text, kind):
    wrt = "x,y" if "y" in text else None
    assert run_grad(text, wrt=wrt, hessian=True).curvature.kind == kind


def test_hessian_depends_on_point():
    r = run_grad("x^3 + y^2", hessian=True)
    assert r.curvature.kind == "unknown"
    assert run_grad("x^3 + y^2", hessian=True, at="x=1,y=0").curvature.kind == "bowl"
    assert run_grad("x^3 + y^2", hessian=True, at="x=-1,y=0").curvature.kind == "saddle"


def test_directional_derivatives():
    r = run_grad("x^2 + y^2", at="x=3,y=4", direction="1,0")
    assert r.values[0] == (6, 8) and r.directional.values == (6,)
    r = run_grad("x^2 + y^2", at="x=3,y=4", direction="0.6,0.8")
    assert r.directional.values == (10,) and r.directional.steepest == 10
    assert not r.directional.normalised
    r = run_grad("x^2 + y^2 + z^2", at="1,1,1", direction="2,3,-1")
    assert r.directional.normalised and "normalised" in r.directional.note
    assert r.directional.length == sympy.sqrt(14)
    assert sympy.simplify(r.directional.values[0] - 8 / sympy.sqrt(14)) == 0
    with pytest.raises(CalcError):
        run_grad("x^2 + y^2", direction="0,0")
    with pytest.raises(CalcError):
        run_grad("x^2 + y^2", direction="1,0,0")


def test_jacobian():
    r = run_grad("x y, x + y, max(x, 2)", at="x=3,y=1")
    assert r.is_jacobian and len(r.partials) == 3
    assert r.partials[0] == (parse("y"), parse("x"))
    assert r.values[1] == (1, 1)
    doc = view.to_json(r)
    assert doc["jacobian_value"] == [[1, 3], [1, 1], [1, 0]]
    with pytest.raises(CalcError):
        run_grad("x, y", hessian=True)


def test_split_outputs_keeps_commas_inside_calls():
    assert split_outputs("max(0, x), log(x, 2)") == ["max(0, x)", "log(x, 2)"]


def test_steps_on_request_and_plain():
    r = run_grad("x^2 y + 3y", steps=True, at="x=2,y=1")
    assert r.derivations[0][0].steps[0].rule == "sum rule"
    text = view.to_plain(r)
    assert text.isascii() and "df/dx = 2*x*y" in text and "= 4 at the point" in text
    assert "sum rule" in text
    assert r"\nabla f" in view.to_latex(r)
