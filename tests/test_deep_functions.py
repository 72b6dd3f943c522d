"""The deep-learning rows (leaky_relu, elu, gelu_tanh, silu, softsign, hard_tanh, mse, bce,
bce_logits, huber): values and derivatives against SymPy's own definitions and NumPy, the
defaults of trailing arguments, kinks with their conventions, the lesson task that asks for
gradient descent's divergence rate, and the REPL's :descend and :stable."""

from __future__ import annotations

import numpy as np
import pytest
import sympy

from calctutor.errors import CalcError
from calctutor.graph import compile_gradient
from calctutor.parsing import parse, to_input
from calctutor.pointvalue import at_point
from conftest import R

X, Y = R("x"), R("y")


def _definition(name: str, *args):
    """The function written from scratch with SymPy's own pieces (not our classes)."""
    x = args[0]
    a = args[1] if len(args) > 1 else None
    return {
        "leaky_relu": lambda: sympy.Piecewise((x, x > 0), (a * x, True)),
        "elu": lambda: sympy.Piecewise((x, x > 0), (a * (sympy.exp(x) - 1), True)),
        "gelu_tanh": lambda: x / 2 * (1 + sympy.tanh(sympy.sqrt(2 / sympy.pi)
                                                     * (x + sympy.Rational(44715, 10**6) * x**3))),
        "silu": lambda: x / (1 + sympy.exp(-x)),
        "softsign": lambda: x / (1 + sympy.Abs(x)),
        "hard_tanh": lambda: sympy.Piecewise((-1, x < -1), (1, x > 1), (x, True)),
        "mse": lambda: (x - a) ** 2,
        "bce": lambda: -(a * sympy.log(x) + (1 - a) * sympy.log(1 - x)),
        "bce_logits": lambda: sympy.log(1 + sympy.exp(x)) - a * x,
        "huber": lambda: sympy.Piecewise((x**2 / 2, sympy.Abs(x) <= a),
                                         (a * (sympy.Abs(x) - a / 2), True)),
    }[name]()


CASES = [("leaky_relu", "3/10"), ("elu", "2"), ("gelu_tanh", None), ("silu", None),
         ("softsign", None), ("hard_tanh", None), ("mse", "1/2"), ("bce", "1/4"),
         ("bce_logits", "1"), ("huber", "3/2")]
POINTS = [-2.3, -0.6, 0.35, 0.8, 1.9]


@pytest.mark.parametrize("name,param", CASES)
def test_value_and_derivative_against_the_definition(name, param):
    text = f"{name}(x, {param})" if param else f"{name}(x)"
    expr = parse(text)
    args = (X, parse(param)) if param else (X,)
    truth = _definition(name, *args)
    ours = sympy.diff(expr, X)
    grad = compile_gradient(expr, ["x"])
    for p in POINTS:
        if name == "bce" and not 0 < p < 1:
            continue
        point = {X: sympy.Float(p, 30)}
        assert float(expr.xreplace(point).evalf(25)) == pytest.approx(float(truth.xreplace(point)), rel=1e-12)
        expected_slope = float(sympy.diff(truth, X).xreplace(point))
        assert float(ours.xreplace(point).evalf(25)) == pytest.approx(expected_slope, rel=1e-10, abs=1e-12)
        ev = grad({"x": np.array([p])})
        assert ev.value[0] == pytest.approx(float(truth.xreplace(point)), rel=1e-12)
        assert ev.gradient["x"][0] == pytest.approx(expected_slope, rel=1e-9, abs=1e-12)


def test_trailing_arguments_default_and_print_back():
    assert parse("leaky_relu(x)") == parse("leaky_relu(x, 1/100)")
    assert parse("elu(x)") == parse("elu(x, 1)")
    assert parse("huber(x)") == parse("huber(x, 1)")
    for text in ["leaky_relu(x)", "huber(2x - 1)", "bce_logits(w x + b, y)", "swish(x)"]:
        e = parse(text)
        assert parse(to_input(e)) == e
    assert parse("swish(x)") == parse("silu(x)")
    with pytest.raises(CalcError, match="1 to 2 arguments"):
        parse("leaky_relu(x, 1, 2)")
    with pytest.raises(CalcError, match="2 arguments"):
        parse("mse(x)")


def test_numbers_evaluate_exactly():
    assert parse("leaky_relu(-2)") == sympy.Rational(-1, 50)
    assert parse("huber(3, 1)") == sympy.Rational(5, 2)
    assert parse("hard_tanh(-7)") == -1


@pytest.mark.parametrize("text,point,left,right", [
    ("leaky_relu(x)", 0, sympy.Rational(1, 100), 1),
    ("hard_tanh(x)", 1, 1, 0),
    ("hard_tanh(x)", -1, 0, 1),
    ("elu(x, 2)", 0, 2, 1),
])
def test_kinks_have_no_derivative_and_both_one_sided_slopes(text, point, left, right):
    v = at_point(parse(text), {"x": sympy.Integer(point)}, "x", 1)
    assert v.value is None and not v.differentiable
    assert (v.one_sided.left, v.one_sided.right) == (left, right)


def test_elu_with_alpha_one_is_smooth_at_zero():
    v = at_point(parse("elu(x)"), {"x": sympy.Integer(0)}, "x", 1)
    assert v.value == 1 and v.differentiable


def test_autodiff_uses_the_named_conventions():
    ev = compile_gradient(parse("leaky_relu(x, 1/5)"), ["x"])({"x": 0.0})
    assert float(ev.gradient["x"]) == 0.2 and "slope below 0" in ev.kinks[0].what
    ev = compile_gradient(parse("hard_tanh(x)"), ["x"])({"x": np.array([-1.0, 1.0, 0.5])})
    assert list(ev.gradient["x"]) == [0.0, 0.0, 1.0]


def test_bce_outside_its_domain_is_undefined():
    v = at_point(parse("bce(p, 1)"), {"p": sympy.Integer(2)})
    assert not v.defined and "below 1" in v.reason


def test_the_logit_loss_gradient_is_prediction_minus_target():
    from calctutor.commands.diff import run_diff

    r = run_diff("bce_logits(w x + b, y)", wrt="w")
    w, x, b, y = R("w"), R("x"), R("b"), R("y")
    assert sympy.simplify(r.derivative - x * (sympy.exp(w * x + b) / (1 + sympy.exp(w * x + b)) - y)
                          .rewrite(sympy.exp)) == 0 or \
        sympy.simplify((r.derivative - x * (parse("sigmoid(b + w x)") - y)).rewrite(sympy.exp)) == 0
    assert r.derivation.steps[0].rule == "chain rule"


def test_stable_rate_task():
    from calctutor.lessons.tasks import kind

    task = kind("stable-rate")
    expected = task.expected(None, parse("2 x^2 + 5 y^2"), [X, Y], None, {}, None, None, None)
    assert expected == sympy.Rational(1, 5)  # Hessian diag(4, 10): 2/10


def test_repl_descend_and_stable(tmp_path, monkeypatch):
    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    from calctutor.repl.handlers import REGISTRY
    from calctutor.repl.state import Context

    assert REGISTRY.lookup("descend") is not None and REGISTRY.lookup("stable") is not None
    del Context  # the in-process session tests drive them (tests/test_repl_handlers.py)
