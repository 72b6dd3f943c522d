"""Autodiff against independent references: sympy.diff (evaluated by evalf), forward vs
reverse mode, central differences; higher orders; the NaN/inf policy; vectorisation."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calctutor.graph import (
    build_graph,
    compile_derivative,
    compile_gradient,
    derivative_values,
    forward_mode,
    gradient_values,
    reverse_mode,
)
from calctutor.mathfuncs import sigmoid, softplus
from calctutor.parsing import parse
from conftest import R

X, Y, Z = R("x"), R("y"), R("z")
VARS = (X, Y, Z)

# Smooth building blocks, defined everywhere on the reals (so every point is in the domain).
UNARY = [
    sympy.sin, sympy.cos, sympy.atan, sympy.tanh, sigmoid, softplus,
    lambda u: sympy.exp(u / 4),
    lambda u: sympy.sqrt(1 + u ** 2),
    lambda u: sympy.log(1 + u ** 2),
    lambda u: u ** 3,
    lambda u: 1 / (2 + sympy.sin(u)),
]


@st.composite
def expressions(draw, depth=3):
    if depth == 0 or draw(st.integers(0, 3)) == 0:
        leaf = draw(st.sampled_from(VARS))
        coeff = draw(st.sampled_from([1, 2, -1, sympy.Rational(1, 2)]))
        return coeff * leaf
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return draw(st.sampled_from(UNARY))(draw(expressions(depth=depth - 1)))
    a = draw(expressions(depth=depth - 1))
    b = draw(expressions(depth=depth - 1))
    if kind == 1:
        return a + b
    if kind == 2:
        return a * b
    return a / (1 + b ** 2)


def _sympy_partials(expr, point):
    sub = {s: sympy.Rational(str(point[s.name])) for s in VARS}
    value = float(expr.xreplace(sub).evalf(30))
    grads = {s.name: float(sympy.diff(expr, s).xreplace(sub).evalf(30)) for s in VARS}
    return value, grads


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions(), st.lists(st.floats(-2, 2).map(lambda v: round(v, 3)), min_size=3,
                               max_size=3))
def test_reverse_forward_sympy_and_central_differences_agree(expr, coords):
    point = dict(zip(("x", "y", "z"), coords))
    graph = build_graph(expr)
    full = {**point}
    rev = reverse_mode(graph, full)
    fwd = forward_mode(graph, full)
    value, grads = _sympy_partials(expr, point)
    assert float(rev.value) == pytest.approx(value, rel=1e-12, abs=1e-12)
    h = 1e-6
    for name in graph.variables:
        r, f, s = float(rev.gradient[name]), float(fwd.gradient[name]), grads[name]
        assert r == pytest.approx(s, rel=1e-11, abs=1e-11)
        assert f == pytest.approx(s, rel=1e-11, abs=1e-11)
        plus = reverse_mode(graph, {**full, name: point[name] + h}).value
        minus = reverse_mode(graph, {**full, name: point[name] - h}).value
        central = float((plus - minus) / (2 * h))
        assert central == pytest.approx(s, rel=1e-5, abs=1e-5)
    assert rev.ok and fwd.ok


@settings(max_examples=15, deadline=None)
@given(expressions(depth=2), st.integers(2, 3))
def test_higher_orders_by_nested_forward_mode_match_sympy(expr, order):
    xs = np.array([-1.3, -0.2, 0.4, 1.1])
    pts = {"x": xs, "y": 0.7, "z": -0.4}
    got = derivative_values(expr, "x", pts, order=order)
    exact = sympy.diff(expr, X, order)
    for xv, g in zip(xs, got):
        sub = {X: sympy.Rational(str(xv)), Y: sympy.Rational("0.7"), Z: sympy.Rational("-0.4")}
        want = float(exact.xreplace(sub).evalf(30))
        assert g == pytest.approx(want, rel=1e-9, abs=1e-9)


def test_vectorised_gradient_over_many_points():
    expr = parse("sin(x y) + exp(x)/(1 + y^2)")
    rng = np.random.default_rng(0)
    xs, ys = rng.uniform(-2, 2, 1000), rng.uniform(-2, 2, 1000)
    values, grads = compile_gradient(expr, ["x", "y"])({"x": xs, "y": ys})
    assert values.shape == (1000,)
    np.testing.assert_allclose(values, np.sin(xs * ys) + np.exp(xs) / (1 + ys ** 2), rtol=1e-14)
    np.testing.assert_allclose(grads["x"], ys * np.cos(xs * ys) + np.exp(xs) / (1 + ys ** 2),
                               rtol=1e-13)
    np.testing.assert_allclose(grads["y"], xs * np.cos(xs * ys)
                               - 2 * ys * np.exp(xs) / (1 + ys ** 2) ** 2, rtol=1e-12, atol=1e-15)
    fwd = compile_gradient(expr, ["x", "y"], mode="forward")({"x": xs, "y": ys})
    np.testing.assert_allclose(fwd.gradient["y"], grads["y"], rtol=1e-13, atol=1e-15)


def test_text_and_order_zero_and_constants():
    assert derivative_values("x^3", "x", {"x": 2.0}, order=0) == 8.0
    assert derivative_values("x^3", "x", {"x": 2.0}, order=3) == 6.0
    assert derivative_values("x^3", "x", {"x": 2.0}, order=4) == 0.0
    value, grads = gradient_values("3", {})
    assert float(value) == 3.0 and grads == {}
    # a variable not in the expression has partial 0
    _, grads = compile_gradient(parse("x^2"), ["x", "y"])({"x": 3.0, "y": 1.0})
    assert float(grads["x"]) == 6.0 and float(grads["y"]) == 0.0


def test_undefined_points_are_masked_and_explained():
    f = compile_gradient(parse("ln(x) + sqrt(y)"), ["x", "y"])
    ev = f({"x": np.array([1.0, -1.0, 2.0]), "y": np.array([4.0, 1.0, 0.0])})
    assert ev.undefined.tolist() == [False, True, True]
    assert math.isnan(ev.value[1]) and math.isnan(ev.gradient["y"][1])
    whats = " ".join(p.what for p in ev.problems)
    assert "ln" in whats and "sqrt" in whats
    ln_problem = next(p for p in ev.problems if "ln" in p.what)
    assert ln_problem.mask.tolist() == [False, True, False]
    assert not ev.ok


def test_overflow_is_reported_not_hidden():
    ev = compile_gradient(parse("exp(x^2)"), ["x"])({"x": np.array([1.0, 40.0])})
    assert ev.undefined.tolist() == [False, True]
    assert any("infinite" in p.what for p in ev.problems)


def test_kinks_use_the_table_convention_and_say_so():
    ev = compile_gradient(parse("relu(x) + abs(y)"), ["x", "y"])({"x": 0.0, "y": 0.0})
    assert float(ev.gradient["x"]) == 0.0  # relu'(0) = 0 by the table's convention, not step(0) = 1/2
    assert float(ev.gradient["y"]) == 0.0  # abs'(0) = 0
    assert ev.ok and len(ev.kinks) == 2
    assert all("convention" in k.what for k in ev.kinks)
    assert any("relu'(0) = 0" in k.what for k in ev.kinks)
    # vectorised: only the points on the kink get the convention
    ev = compile_gradient(parse("relu(x)"), ["x"])({"x": np.array([-1.0, 0.0, 2.0])})
    assert ev.gradient["x"].tolist() == [0.0, 0.0, 1.0]
    assert ev.kinks[0].mask.tolist() == [False, True, False]


def test_max_ties_share_the_slope_and_other_ties_are_no_kink():
    ev = compile_gradient(parse("max(x, y, z)"), ["x", "y", "z"])({"x": 1.0, "y": 1.0, "z": 1.0})
    assert [float(ev.gradient[v]) for v in "xyz"] == pytest.approx([1 / 3] * 3)
    # a tie between arguments below the maximum is not a kink of max
    ev = compile_gradient(parse("max(x, y, 5)"), ["x", "y"])({"x": 1.0, "y": 1.0})
    assert ev.kinks == [] and float(ev.gradient["x"]) == 0.0


def test_stable_activations_at_extreme_points():
    f = compile_gradient(parse("sigmoid(x) + softplus(x) + logsumexp(x, 2x, 3x)"), ["x"])
    ev = f({"x": np.array([-800.0, 0.0, 800.0])})
    assert ev.ok
    assert float(ev.value[2]) == pytest.approx(1 + 800 + 2400)
    assert float(ev.gradient["x"][2]) == pytest.approx(0 + 1 + 3)


def test_max_and_min_and_nary_products():
    expr = parse("max(x, y, 1) * min(x, y) * x * y * z")
    pts = {"x": 2.0, "y": 3.0, "z": 0.5}
    ev = compile_gradient(expr, ["x", "y", "z"])(pts)
    for s in VARS:
        want = float(sympy.diff(expr, s).subs({X: 2, Y: 3, Z: sympy.Rational(1, 2)}))
        assert float(ev.gradient[s.name]) == pytest.approx(want, rel=1e-13)


def test_compile_derivative_reports_its_graph():
    d = compile_derivative(parse("sigmoid(x)"), "x", order=2)
    s = 1 / (1 + math.exp(-0.3))
    assert float(d({"x": 0.3}).value) == pytest.approx(s * (1 - s) * (1 - 2 * s), rel=1e-13)
    assert d.graph.out.op != "input"


def test_higher_orders_stay_finite_where_a_power_base_is_zero():
    """d/du u^0 must be 0, not 0·u^(-1) (NaN at u = 0): found by hypothesis."""
    expr = parse("x/((x + z)^2 + 1)")
    got = [float(derivative_values(expr, "x", {"x": 0.4, "z": -0.4}, order=k)) for k in (1, 2, 3)]
    exact = [float(sympy.diff(expr, X, k).xreplace({X: sympy.Rational(2, 5), Z: sympy.Rational(-2, 5)}))
             for k in (1, 2, 3)]
    assert got == pytest.approx(exact, rel=1e-12, abs=1e-12)
