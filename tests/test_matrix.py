"""Matrix calculus engine: every identity against sympy.diff component by component at
concrete sizes, against central differences at symbolic sizes, the teacher's forms, and
the round trip printer → parser."""

from __future__ import annotations

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from calctutor.errors import CalcError, ParseError
from calctutor.matrix import nodes as N
from calctutor.matrix.components import componentwise, entry_symbols, to_sympy
from calctutor.matrix.derive import derivative, elementwise_derivative
from calctutor.matrix.numeric import draw_values, evaluate, verify
from calctutor.matrix.parser import parse_matrix
from calctutor.matrix.printer import to_latex, to_text, to_unicode
from calctutor.matrix.shapes import parse_shape, parse_shapes
from calctutor.matrix.simplify import simplify


def run(text: str, wrt: str, *shapes: str):
    decls = parse_shapes(list(shapes))
    f = parse_matrix(text, decls)
    sym = frozenset(k for k, d in decls.items() if d.symmetric)
    prob = frozenset(k for k, d in decls.items() if d.prob)
    return f, derivative(f, wrt, decls[wrt].shape, sym, prob), decls


def sympy_agrees(f, result, wrt, decls) -> bool:
    env = entry_symbols(decls, wrt)
    ours = to_sympy(result, env)
    ref = componentwise(f, wrt, env)
    if ours.shape != ref.shape:
        return False
    # exact where SymPy can decide, else at random rational points
    diff = (ours - ref).applyfunc(lambda e: sympy.simplify(sympy.expand(e)))
    if all(e == 0 for e in diff):
        return True
    rng = np.random.default_rng(3)
    syms = sorted(set().union(*[e.free_symbols for e in diff]), key=str)
    for _ in range(3):
        point = {s: sympy.Rational(int(rng.integers(1, 9)), int(rng.integers(2, 7))) for s in syms}
        if any(abs(complex(e.subs(point).evalf())) > 1e-9 for e in diff):
            return False
    return True


# (expression, wrt, concrete shapes, symbolic shapes, the teacher's result)
IDENTITIES = [
    ("a^T x", "x", ["x=3", "a=3"], ["x=n", "a=n"], "a"),
    ("x^T a", "x", ["x=3", "a=3"], ["x=n", "a=n"], "a"),
    ("x^T A x", "x", ["x=3", "A=3x3"], ["x=n", "A=nxn"], "(A + A^T) x"),
    ("x^T A x", "x", ["x=3", "A=3x3,sym"], ["x=n", "A=nxn,sym"], "2 A x"),
    ("||x||^2", "x", ["x=3"], ["x=n"], "2 x"),
    ("||x||", "x", ["x=3"], ["x=n"], "x / ||x||"),
    ("||X||_F^2", "X", ["X=2x3"], ["X=mxn"], "2 X"),
    ("tr(A X)", "X", ["A=3x3", "X=3x3"], ["A=nxn", "X=nxn"], "A^T"),
    ("tr(X A)", "X", ["A=3x3", "X=3x3"], ["A=nxn", "X=nxn"], "A^T"),
    ("tr(X^T A)", "X", ["A=2x3", "X=2x3"], ["A=mxn", "X=mxn"], "A"),
    ("log(det(X))", "X", ["X=3x3"], ["X=nxn"], "X^-T"),
    ("det(X)", "X", ["X=2x2"], ["X=nxn"], "det(X) X^-T"),
    ("||X w - y||^2", "w", ["X=3x2", "w=2", "y=3"], ["X=mxn", "w=n", "y=m"], "2 X^T (X w - y)"),
    ("-y^T log(softmax(z))", "z", ["z=3", "y=3,prob"], ["z=n", "y=n,prob"], "softmax(z) - y"),
    ("-y^T log(softmax(z))", "z", ["z=3", "y=3"], ["z=n", "y=n"], "sum(y) softmax(z) - y"),
    ("logsumexp(z) - y^T z", "z", ["z=3", "y=3"], ["z=n", "y=n"], "softmax(z) - y"),
    ("A x", "x", ["A=2x3", "x=3"], ["A=mxn", "x=n"], "A"),
    ("softmax(z)", "z", ["z=3"], ["z=n"], "diag(softmax(z)) - softmax(z) softmax(z)^T"),
    ("sum(exp(x))", "x", ["x=3"], ["x=n"], "exp(x)"),
    ("||sigmoid(W x + b) - y||^2", "W", ["W=3x2", "x=2", "b=3", "y=3"],
     ["W=mxn", "x=n", "b=m", "y=m"],
     "2 ((sigmoid(W x + b) - y) .* sigmoid(W x + b) .* (1 - sigmoid(W x + b))) x^T"),
    ("tanh(W x)", "x", ["W=2x2", "x=2"], ["W=mxn", "x=n"],
     "diag(1 - tanh(W x) .^ 2) W"),
    ("x^T x / 2 + sum(log(x))", "x", ["x=3,pos"], ["x=n,pos"], "x + 1 ./ x"),
    ("tr(X^-1 A)", "X", ["X=2x2", "A=2x2"], ["X=nxn", "A=nxn"], "-X^-T A^T X^-T"),
    ("(a^T x)^2", "x", ["a=3", "x=3"], ["a=n", "x=n"], "2 (a^T x) a"),
    ("x^T diag(v) x", "v", ["x=3", "v=3"], ["x=n", "v=n"], "diag(x x^T)"),
    ("sum(relu(W x))", "W", ["W=2x3", "x=3"], ["W=mxn", "x=n"], "step(W x) x^T"),
]


@pytest.mark.parametrize("text,wrt,concrete,symbolic,teacher", IDENTITIES)
def test_identity_matches_sympy_componentwise(text, wrt, concrete, symbolic, teacher):
    f, d, decls = run(text, wrt, *concrete)
    assert sympy_agrees(f, d.result, wrt, decls)


@pytest.mark.parametrize("text,wrt,concrete,symbolic,teacher", IDENTITIES)
def test_identity_symbolic_sizes_teacher_form_and_verified(text, wrt, concrete, symbolic, teacher):
    f, d, decls = run(text, wrt, *symbolic)
    assert to_text(d.result) == teacher
    check = verify(f, d.result, wrt, decls, draws=5, seed=1)
    assert check.draws == 5 and check.ok, check
    sizes = {tuple(sorted(s.items())) for s in check.sizes}
    assert len(sizes) >= 2  # checked at several concrete sizes


@pytest.mark.parametrize("text,wrt,concrete,symbolic,teacher", IDENTITIES)
def test_result_round_trips_through_the_parser(text, wrt, concrete, symbolic, teacher):
    f, d, decls = run(text, wrt, *symbolic)
    sym = frozenset(k for k, x in decls.items() if x.symmetric)
    prob = frozenset(k for k, x in decls.items() if x.prob)
    for printed in (to_text(d.result), to_unicode(d.result)):
        again = simplify(parse_matrix(printed, decls), sym, prob)
        assert again == d.result, printed
    assert simplify(parse_matrix(to_text(f), decls), sym, prob) == simplify(f, sym, prob)


@pytest.mark.parametrize("text,wrt,concrete,symbolic,teacher", IDENTITIES)
def test_identity_agrees_with_our_reverse_mode_autodiff_on_the_entries(text, wrt, concrete,
                                                                        symbolic, teacher):
    from calctutor.matrix.witness import autodiff_check

    f, d, decls = run(text, wrt, *symbolic)
    done, error = autodiff_check(f, d.result, wrt, decls, draws=2, seed=4)
    assert done == 2 and error < 1e-9, (done, error)


def test_rule_names_for_the_syllabus_identities():
    names = {text: run(text, wrt, *sym)[1].rule for text, wrt, _, sym, _ in IDENTITIES}
    assert names["x^T A x"] == "quadratic form"
    assert names["a^T x"] == "linear form"
    assert names["||x||^2"] == "squared norm"
    assert names["||x||"] == "norm rule"
    assert names["||X||_F^2"] == "squared Frobenius norm"
    assert names["tr(A X)"] == "trace rule"
    assert names["log(det(X))"] == "log-det rule"
    assert names["||X w - y||^2"] == "least squares"
    assert names["-y^T log(softmax(z))"] == "softmax–cross-entropy"
    assert names["A x"] == "linear map"


def test_steps_carry_shapes_and_the_chain_through_a_product():
    _, d, _ = run("||X w - y||^2", "w", "X=mxn", "w=n", "y=m")
    top = d.steps[0]
    assert top.rule == "squared norm" and to_text(top.result) == "2 (X w - y)"
    assert top.shape == ("m", 1)
    inner = top.substeps[0]
    assert inner.rule == "chain rule through a matrix product"
    assert to_text(inner.result) == "2 X^T (X w - y)" and inner.shape == ("n", 1)


def test_quadratic_form_steps_sum_two_uses():
    _, d, _ = run("x^T A x", "x", "x=n", "A=nxn")
    last = d.steps[-1]
    assert last.rule.startswith("sum over the 2 places")
    assert to_text(last.result) == "(A + A^T) x"


def test_norm_notes_say_undefined_at_zero():
    _, d, _ = run("||x||", "x", "x=n")
    assert any("not differentiable where u = 0" in n for n in d.notes)


def test_relu_note_names_the_kink():
    _, d, _ = run("sum(relu(W x))", "W", "W=2x3", "x=3")
    assert any("kink" in n for n in d.notes)


def test_elementwise_derivatives_come_from_the_primitives_table():
    u = N.var("u", (3, 1))
    decls = parse_shapes(["u=3"])
    rng = np.random.default_rng(0)
    env = draw_values(decls, {}, rng)
    for fn, h in [("sigmoid", 1e-6), ("tanh", 1e-6), ("exp", 1e-6), ("relu", 1e-7)]:
        d = elementwise_derivative(fn, u)
        got = evaluate(d, env, {})
        f = N.reduce("sum", N.elem(fn, u))
        plus = {"u": env["u"] + h}
        minus = {"u": env["u"] - h}
        # the derivative of an elementwise function is the diagonal: one shift per entry
        numeric = np.array([[((evaluate(N.elem(fn, u), plus, {}) - evaluate(N.elem(fn, u), minus, {}))
                              / (2 * h))[i, 0]] for i in range(3)])
        assert np.allclose(got, numeric, rtol=1e-5, atol=1e-8), fn
        del f


def test_jacobian_wrt_a_matrix_is_refused():
    with pytest.raises(CalcError, match="3-index array"):
        run("W x", "W", "W=3x2", "x=2")


def test_matrix_valued_function_is_refused():
    with pytest.raises(CalcError, match="differentiates scalars"):
        run("A X", "X", "A=2x2", "X=2x2")


def test_function_without_the_variable_has_zero_gradient():
    f, d, decls = run("a^T b", "x", "a=3", "b=3", "x=3")
    assert isinstance(d.result, N.Zero) and d.result.shape == (3, 1)


# ------------------------------------------------------------------ parser and shapes

@pytest.mark.parametrize("text,message,caret", [
    ("A x", "A x: A is 3×3 but x has 2 rows", 2),
    ("x + A", "cannot add x (2×1) and A (3×3)", 4),
    ("x^T B x", "unknown name 'B'", 4),
    ("||A||", "for a matrix write ||X||_F", 0),
    ("tr(x)", "tr needs a square matrix", 0),
    ("A / x", "divide only by a scalar", 4),
    ("x .* A", ".* needs operands of the same shape", 5),
    ("A^", "expected an exponent", 2),
    ("(x", "expected ')'", 2),
])
def test_shape_and_syntax_errors_are_one_line_with_a_caret(text, message, caret):
    decls = parse_shapes(["A=3x3", "x=2"])
    with pytest.raises(ParseError) as info:
        parse_matrix(text, decls)
    assert message in info.value.message
    assert info.value.position == caret
    assert "\n" not in info.value.message


@pytest.mark.parametrize("spec,shape,sym", [
    ("x=3", (3, 1), False), ("A=3x3", (3, 3), False), ("A=nxn", ("n", "n"), False),
    ("A=n×n,sym", ("n", "n"), True), ("X=mxn", ("m", "n"), False), ("c=1", (1, 1), False),
    ("r=1x4", (1, 4), False),
])
def test_shape_specs(spec, shape, sym):
    d = parse_shape(spec)
    assert d.shape == shape and d.symmetric == sym


@pytest.mark.parametrize("spec", ["x", "x=0", "x=3x", "A=2x3,sym", "tr=3", "x=3,foo", "2=3"])
def test_bad_shape_specs(spec):
    with pytest.raises(CalcError):
        parse_shape(spec)


def test_notation_spellings_agree():
    decls = parse_shapes(["x=n", "A=nxn", "X=nxn", "v=n", "y=n"])
    same = [("x^T A x", "x' A x", "xᵀAx", "x^T * A * x"),
            ("||x||^2", "‖x‖²", "norm(x)^2"),
            ("X^-1", "inverse" and "X^(-1)"),
            ("x .* y", "x ⊙ y"),
            ("1^T x", "sum(x)")]
    for group in same:
        values = []
        rng = np.random.default_rng(0)
        env = draw_values(decls, {"n": 3}, rng)
        for text in group:
            values.append(evaluate(parse_matrix(text, decls), env, {"n": 3}))
        for v in values[1:]:
            assert np.allclose(v, values[0])


def test_identity_and_ones_take_their_size_from_context():
    decls = parse_shapes(["A=nxn", "x=n"])
    node = parse_matrix("(A + I) x + 1", decls)
    env = draw_values(decls, {"n": 3}, np.random.default_rng(0))
    assert np.allclose(evaluate(node, env, {"n": 3}),
                       (env["A"] + np.eye(3)) @ env["x"] + 1)
    with pytest.raises(ParseError, match="size of I"):
        parse_matrix("I", decls)


def test_latex_forms():
    _, d, _ = run("x^T A x", "x", "x=n", "A=nxn")
    assert to_latex(d.result) == r"\left(A + A^{\top}\right) \mathbf{x}"
    _, d, _ = run("log(det(X))", "X", "X=nxn")
    assert to_latex(d.result) == r"X^{-\top}"


def test_no_eval_of_user_text():
    decls = parse_shapes(["x=3"])
    with pytest.raises(ParseError):
        parse_matrix("__import__('os')", decls)


# ------------------------------------------------------------------ properties

_LEAVES = ["x", "y", "A x", "B y", "A^T x", "2 x", "-y", "tanh(x)", "x .* y", "x ./ exp(y)",
           "softmax(x)", "diag(x) y", "X^-1 x", "s x", "(x^T y) x", "x / ||x||",
           "1 - sigmoid(x)", "relu(B x)", "x .^ 2"]
_OUTER = ["{v}^T {v}", "||{v}||^2", "sum(sigmoid({v}))", "{v}^T A {v}", "logsumexp({v})",
          "sum(exp({v}) .* {v})", "||{v}||", "tr(diag({v}) A)", "log(det(X)) + y^T {v}",
          "s^2 sum({v})", "1^T {v}"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(_LEAVES), min_size=1, max_size=3), st.sampled_from(_OUTER))
def test_random_compositions_verify_and_paste_back(parts, outer):
    """Every result is verified, and its printed forms parse back to the same function."""
    decls = parse_shapes(["x=n", "y=n", "A=nxn", "B=nxn", "X=nxn", "s=1"])
    text = outer.format(v=f"({' + '.join(parts)})")
    f = parse_matrix(text, decls)
    env = draw_values(decls, {"n": 3}, np.random.default_rng(5), well_conditioned=True)
    for wrt in ("x", "A", "X", "s"):
        if not N.depends(f, wrt):
            continue
        d = derivative(f, wrt, decls[wrt].shape)
        check = verify(f, d.result, wrt, decls, draws=3, seed=2)
        assert check.ok, (text, wrt, to_text(d.result), check)
        want = evaluate(d.result, env, {"n": 3})
        for printed in (to_text(d.result), to_unicode(d.result)):
            got = evaluate(parse_matrix(printed, decls), env, {"n": 3})
            assert got.shape == want.shape and np.allclose(got, want, rtol=1e-9, atol=1e-12,
                                                                equal_nan=True), printed


@pytest.mark.parametrize("text,wrt,shapes,printed", [
    ("(y - y)^T A (y - y)", "A", ["y=n", "A=nxn"], "0_nxn"),
    ("a^T b", "x", ["a=3", "b=3", "x=3"], "0_3"),
    ("a^T b", "X", ["a=2", "b=2", "X=2x3"], "0_2x3"),
])
def test_a_zero_result_prints_its_shape_and_pastes_back(text, wrt, shapes, printed):
    f, d, decls = run(text, wrt, *shapes)
    assert to_text(d.result) == printed
    assert parse_matrix(printed, decls) == d.result


@pytest.mark.parametrize("text,wrt,shapes,printed", [
    ("tr(X)", "X", ["X=nxn"], "I_n"),
    ("sum(x)", "x", ["x=n"], "1_n"),
    ("2 tr(X)", "X", ["X=3x3"], "2 I_3"),
    ("x", "x", ["x=n"], "I_n"),
    ("y^T A y", "A", ["y=n", "A=nxn"], "y y^T"),
])
def test_lonely_identity_and_ones_print_their_size_and_paste_back(text, wrt, shapes, printed):
    f, d, decls = run(text, wrt, *shapes)
    assert to_text(d.result) == printed
    assert simplify(parse_matrix(printed, decls)) == d.result
    assert verify(f, d.result, wrt, decls, draws=3).ok
