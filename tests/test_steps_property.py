"""Property test: on random expressions, the final answer equals sympy.diff and every
step's result equals the derivative of that step's expression."""

from __future__ import annotations

import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calctutor.mathfuncs import sigmoid, softplus
from calctutor.steps import derive, size
from test_steps_helpers import check_every_step, values_equal

from conftest import R

x, y = R("x"), R("y")

_UNARY = [sympy.sin, sympy.cos, sympy.exp, sympy.atan, sympy.sinh, sympy.tanh, sigmoid,
          softplus, sympy.Abs, lambda a: sympy.log(a, evaluate=False),
          lambda a: sympy.Pow(a, sympy.S.Half, evaluate=False)]

leaves = st.sampled_from([x, x, y, sympy.Integer(2), sympy.Integer(3), sympy.Rational(1, 2),
                          sympy.pi])


def _extend(children):
    unary = st.builds(lambda f, a: f(a, evaluate=False) if f in (sympy.sin, sympy.cos, sympy.exp,
                      sympy.atan, sympy.sinh, sympy.tanh, sigmoid, softplus, sympy.Abs) else f(a),
                      st.sampled_from(_UNARY), children)
    add = st.builds(lambda a, b: sympy.Add(a, b, evaluate=False), children, children)
    mul = st.builds(lambda a, b: sympy.Mul(a, b, evaluate=False), children, children)
    mul3 = st.builds(lambda a, b, c: sympy.Mul(a, b, c, evaluate=False), children, children, children)
    div = st.builds(lambda a, b: sympy.Mul(a, sympy.Pow(sympy.Add(b, 3, evaluate=False), -1,
                                                          evaluate=False), evaluate=False),
                    children, children)
    power = st.builds(lambda a, n: sympy.Pow(a, n, evaluate=False), children,
                      st.sampled_from([sympy.Integer(2), sympy.Integer(3), sympy.Integer(-1),
                                       sympy.Rational(3, 2)]))
    expo = st.builds(lambda a: sympy.Pow(sympy.Integer(2), a, evaluate=False), children)
    return st.one_of(unary, add, mul, mul3, div, power, expo)


expressions = st.recursive(leaves, _extend, max_leaves=6)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(expressions)
def test_random_expressions(expr):
    derivation = derive(expr, x)
    for top in derivation.steps:
        check_every_step(top)
    truth = sympy.diff(expr.doit(), x)
    assert values_equal(derivation.result, truth)
    assert size(derivation.result) <= size(truth)
