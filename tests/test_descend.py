"""calctutor descend: iterates against closed forms on quadratics, every outcome, the
stability bound 2/lambda_max, Newton in one step, JSON contract, plots and the CLI."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from calctutor.commands.descend import run_descend
from calctutor.errors import CalcError
from calctutor.render import descend as view


def _points(result):
    return np.array([it.point for it in result.run.iterates])


@pytest.mark.parametrize("rate", [0.05, 0.1, 0.3])
def test_gradient_descent_on_the_stretched_bowl_matches_the_closed_form(rate):
    # f = x^2 + 3y^2: grad = (2x, 6y), so x_k = (1 - 2 rate)^k x_0 and y_k = (1 - 6 rate)^k y_0.
    r = run_descend("x^2 + 3y^2", "x=1,y=2", rate=rate, steps=15)
    k = np.arange(len(r.run.iterates))
    expected = np.stack([(1 - 2 * rate) ** k * 1.0, (1 - 6 * rate) ** k * 2.0], axis=1)
    np.testing.assert_allclose(_points(r), expected, rtol=1e-12, atol=1e-300)
    for it in r.run.iterates:
        x, y = it.point
        assert it.value == pytest.approx(x * x + 3 * y * y, rel=1e-12)
        assert it.gradient == pytest.approx((2 * x, 6 * y), rel=1e-12)


def test_the_stretched_bowl_zig_zags_along_its_steep_direction():
    r = run_descend("x^2 + 3y^2", "x=1,y=2", rate=0.3)
    assert any("zig-zag along y" in n and "stretched" in n for n in r.outcome.notes)
    steps_y = [it.step[1] for it in r.run.iterates if it.step is not None]
    assert all(a * b < 0 for a, b in zip(steps_y, steps_y[1:]))


def test_newton_reaches_the_minimum_of_a_quadratic_in_one_step():
    r = run_descend("x^2 + 3y^2", "x=1,y=2", method="newton")
    assert r.outcome.kind == "converged" and r.outcome.critical == "minimum"
    assert len(r.run.iterates) == 2
    assert r.run.iterates[1].point == pytest.approx((0.0, 0.0), abs=1e-15)
    assert r.run.iterates[0].hessian == ((2.0, 0.0), (0.0, 6.0))
    assert r.outcome.eigenvalues == pytest.approx((2.0, 6.0))


def test_a_rate_above_two_over_lambda_max_diverges_and_says_the_bound():
    r = run_descend("x^2 + 3y^2", "x=1,y=2", rate=0.34)
    assert r.outcome.kind == "diverged"
    assert r.outcome.bound == pytest.approx(1 / 3)
    assert "2/lambda_max = 0.333333" in r.outcome.message


def test_rate_exactly_at_the_bound_oscillates():
    r = run_descend("x^2", "1", rate=1.0, steps=20)
    assert r.outcome.kind == "oscillating"
    assert [it.point[0] for it in r.run.iterates[:4]] == [1.0, -1.0, 1.0, -1.0]
    assert "exactly the stability limit" in r.outcome.message


def test_gradient_descent_converges_to_a_minimum_and_names_it():
    r = run_descend("(x - 3)^2", "0", rate=0.5)
    assert r.outcome.kind == "converged" and r.outcome.critical == "minimum"
    assert r.run.iterates[-1].point[0] == pytest.approx(3.0)


def test_newton_on_a_saddle_says_saddle():
    r = run_descend("x^2 - y^2", "x=1,y=1", method="newton")
    assert r.outcome.kind == "converged" and r.outcome.critical == "saddle"


def test_a_saturated_sigmoid_stalls_on_a_plateau():
    r = run_descend("sigmoid(x)", "10", rate=0.1, steps=50)
    assert r.outcome.kind == "stalled" and "plateau" in r.outcome.message
    assert r.run.iterates[-1].point[0] == pytest.approx(10 - 50 * 0.1 * 4.5e-5, rel=1e-3)


def test_slow_linear_convergence_is_max_steps_with_an_estimate():
    r = run_descend("x^2 + 3y^2", "x=1,y=2", rate=0.01, steps=20)
    assert r.outcome.kind == "max_steps"
    # the steep direction dominates the gradient norm: 1 - 6 * 0.01 = 0.94
    assert "shrinks by a factor of about 0.94" in r.outcome.message


def test_leaving_the_domain_is_diverged_with_the_reason():
    r = run_descend("ln(x) + x^2", "0.1", rate=2.0)
    assert r.outcome.kind == "diverged" and "undefined" in r.outcome.message


def test_momentum_heavy_ball_update():
    r = run_descend("x^2", "1", method="momentum", rate=0.1, beta=0.5, steps=3)
    # v1 = -0.2, x1 = 0.8; v2 = 0.5(-0.2) - 0.16 = -0.26, x2 = 0.54
    xs = [it.point[0] for it in r.run.iterates]
    assert xs[:3] == pytest.approx([1.0, 0.8, 0.54])
    assert r.run.beta == 0.5


def test_newton_with_a_singular_hessian_stalls():
    r = run_descend("x^2 + 0*y + y", "x=1,y=1", method="newton")
    assert r.outcome.kind == "stalled" and "singular" in r.outcome.message


@pytest.mark.parametrize("kwargs,message", [
    ({"rate": -1}, "rate"), ({"rate": 0}, "rate"), ({"steps": 0}, "--steps"),
    ({"steps": 10**6}, "--steps"), ({"method": "adam"}, "unknown method"),
    ({"method": "momentum", "beta": 1.0}, "--beta"),
])
def test_bad_settings_are_refused(kwargs, message):
    with pytest.raises(CalcError, match=message):
        run_descend("x^2", "1", **kwargs)


def test_start_must_name_every_variable():
    with pytest.raises(CalcError, match="needs a value for y"):
        run_descend("x^2 + y^2", "x=1")
    with pytest.raises(CalcError, match="does not use"):
        run_descend("x^2", "x=1,z=2")


def test_json_has_the_contract_keys_and_every_iterate():
    r = run_descend("x^2 + 3y^2", "x=1,y=2", rate=0.1, steps=5)
    doc = view.to_json(r)
    for key in ("function", "method", "rate", "iterates", "outcome", "message"):
        assert key in doc
    assert doc["outcome"] in {"converged", "diverged", "oscillating", "stalled", "max_steps"}
    assert len(doc["iterates"]) == 6
    first = doc["iterates"][0]
    assert first == {"k": 0, "point": {"x": 1.0, "y": 2.0}, "value": 13.0,
                     "gradient": {"x": 2.0, "y": 12.0},
                     "step": {"x": pytest.approx(-0.2), "y": pytest.approx(-1.2)}}
    json.dumps(doc, allow_nan=False)


def test_one_variable_plot_draws_curve_and_iterates_and_two_variables_contours():
    one = run_descend("x^2", "1", rate=0.3, steps=5)
    assert [s.label for s in one.figure.series] == ["f", "iterates (in order)"]
    two = run_descend("x^2 + 3y^2", "x=1,y=2", rate=0.3, steps=5)
    labels = [s.label for s in two.figure.series]
    assert labels == ["iterates", "path", "contour lines of f"]
    contour = two.figure.series[2]
    z = contour.xs ** 2 + 3 * contour.ys ** 2
    assert contour.xs.size > 50 and np.unique(np.round(z, 0)).size > 3
    text = view.to_plain(two)
    assert text.isascii() and "zig-zag" in text


def test_three_variables_have_no_picture_but_say_so():
    r = run_descend("x^2 + y^2 + z^2", "x=1,y=1,z=1", rate=0.1, steps=3)
    assert r.figure is None and "no picture for 3 variables" in r.plot_note


def test_long_runs_show_head_and_tail_rows():
    r = run_descend("x^2", "1", rate=0.01, steps=100)
    text = view.to_plain(r)
    assert "(89 more steps)" in text


def test_cli_descend_json_and_plain():
    from calctutor.cli import app

    runner = CliRunner()
    res = runner.invoke(app, ["descend", "x^2 + 3y^2", "--from", "x=1,y=2", "--method",
                              "newton", "--json"])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["outcome"] == "converged" and doc["iterates"][1]["point"] == {"x": 0.0, "y": 0.0}
    res = runner.invoke(app, ["descend", "x^2", "--from", "1", "--rate", "1.1", "--plain"],
                        env={"COLUMNS": "80"})
    assert res.exit_code == 0 and "diverged" in res.stdout and "2/lambda_max = 1" in res.stdout
    res = runner.invoke(app, ["descend", "x^2", "--from", "1", "--steps", "0"])
    assert res.exit_code == 2 and "Traceback" not in res.output


def test_iterates_agree_with_an_independent_sympy_gradient():
    import sympy

    x, y = sympy.symbols("x y", real=True)
    f = sympy.sin(x) * y + x ** 2 / 4 + sympy.exp(-y ** 2)
    grad = [sympy.diff(f, v) for v in (x, y)]
    r = run_descend("sin(x) y + x^2/4 + e^(-y^2)", "x=1,y=0.5", rate=0.2, steps=8)
    for it in r.run.iterates:
        subs = {x: it.point[0], y: it.point[1]}
        assert it.value == pytest.approx(float(f.subs(subs)), rel=1e-12)
        assert it.gradient == pytest.approx([float(g.subs(subs)) for g in grad], rel=1e-10,
                                            abs=1e-14)
    steps = [it.step for it in r.run.iterates[:-1]]
    for it, step in zip(r.run.iterates, steps):
        assert step == pytest.approx([-0.2 * g for g in it.gradient])
    assert math.isfinite(r.run.iterates[-1].value)
