"""Terminal plots: figures as data, drawing at several widths, ASCII in plain mode, saving,
the plot command, and end-to-end runs of taylor / limit / integrate / plot."""

from __future__ import annotations

import json
import os
import re

import numpy as np
import pytest
from conftest import run_cli
import sympy

from calctutor.commands.plot import run_plot
from calctutor.errors import CalcError
from calctutor.parsing import parse
from calctutor.render.drawing import draw, legend_lines
from calctutor.plotting.evaluate import evaluate
from calctutor.plotting.figure import Figure, Series, log_ticks, nice_ticks, robust_ylim
from calctutor.render.save import save_drawings
from calctutor.render import plot as view
from conftest import R

x = R("x")
ANSI = re.compile(r"\x1b\[[0-9;]*m")


# ── evaluation ───────────────────────────────────────────────────────────────────────

@pytest.mark.parametrize("text", ["e^x", "sigmoid(x)", "tanh(x)", "relu(x)", "softplus(x)",
                                  "sin x/x", "abs(x) + x^3", "logsumexp(x, 1)", "ln(1 + x^2)"])
def test_evaluate_matches_sympy(text):
    expr = parse(text)
    xs = np.array([-2.0, -0.5, 0.3, 1.7])
    got = evaluate(expr, "x", xs)
    want = [float(sympy.N(expr.subs(x, sympy.Float(v)), 20)) for v in xs]
    assert got == pytest.approx(want, rel=1e-12)


def test_evaluate_gives_nan_outside_the_domain_and_broadcasts_constants():
    assert np.isnan(evaluate(parse("ln(x)"), "x", np.array([-1.0]))).all()
    assert np.isnan(evaluate(parse("sqrt(x)"), "x", np.array([-4.0]))).all()
    assert evaluate(parse("3"), "x", np.zeros(4)).tolist() == [3.0] * 4


def test_sigmoid_does_not_overflow():
    values = evaluate(parse("sigmoid(x)"), "x", np.array([-1000.0, 1000.0]))
    assert values.tolist() == [0.0, 1.0]


# ── figures and drawing ──────────────────────────────────────────────────────────────

def test_series_segments_break_at_nan():
    s = Series("s", np.arange(6.0), np.array([1, 2, np.nan, 4, np.inf, 6.0]))
    assert [len(a) for a, _ in s.segments()] == [2, 1, 1]


def test_ticks():
    assert nice_ticks(-2, 4, 4) == [-2, 0, 2, 4]
    assert log_ticks(1e-12, 1, 4) == [1e-12, 1e-9, 1e-6, 1e-3, 1] or len(log_ticks(1e-12, 1, 4)) <= 4
    assert all(t in (1e-12, 1e-8, 1e-4, 1.0) for t in log_ticks(1e-12, 1.0, 4))


def test_robust_ylim_clips_a_pole():
    xs = np.linspace(-3, 3, 400)
    with np.errstate(all="ignore"):
        ys = 1 / (xs - 0.0037)
    (lo, hi), clipped = robust_ylim([ys])
    assert clipped and hi < float(np.nanmax(ys))


def _parabola_figure():
    xs = np.linspace(-2, 4, 200)
    return Figure("f and its tangent", [Series("f(x) = 3*x^2 - 4*x", xs, 3 * xs**2 - 4 * xs),
                                        Series("tangent y = 2*x - 3", xs, 2 * xs - 3)])


@pytest.mark.parametrize("width", [40, 60, 100, 160])
@pytest.mark.parametrize("plain", [True, False])
def test_drawing_fits_the_width(width, plain):
    drawing = draw(_parabola_figure(), width=width, plain=plain)
    text = ANSI.sub("", drawing.text())
    assert max(len(line) for line in text.split("\n")) <= width
    assert "*" in text and "+" in text  # each series has its own marker
    if plain:
        assert text.isascii() and "\x1b" not in drawing.text()


def test_drawing_handles_gaps_and_all_nan():
    xs = np.linspace(-3, 3, 101)
    with np.errstate(all="ignore"):
        figure = Figure("gaps", [Series("ln x", xs, np.log(xs)), Series("nothing", xs, xs * np.nan)])
        drawing = draw(figure, width=60, plain=True)
    assert drawing.text().isascii()


def test_log_log_drawing_labels_powers_of_ten():
    hs = 10.0 ** np.arange(-12, 0.5, 0.5)
    figure = Figure("V", [Series("err", hs, hs + 1e-16 / hs)], xlabel="h", xlog=True, ylog=True)
    text = draw(figure, width=80, plain=True).text()
    assert "1e-12" in text and "1e-6" in text


def test_legend_wraps():
    legend = [("*", "a" * 30, 1), ("+", "b" * 30, 2)]
    assert len(legend_lines(legend, 40)) == 2
    assert len(legend_lines(legend, 80)) == 1


@pytest.mark.parametrize("suffix", [".html", ".txt"])
def test_save_writes_a_file(tmp_path, suffix):
    # the terminal picture; .svg/.png/.pdf are matplotlib plots (tests/test_plot_files.py)
    target = save_drawings([draw(_parabola_figure(), width=70)], str(tmp_path / f"plot{suffix}"))
    content = target.read_text(encoding="utf-8")
    if suffix == ".txt":
        assert "\x1b" not in content and "tangent" in content
    else:
        assert "<html" in content.lower()


def test_save_refuses_unknown_formats(tmp_path):
    with pytest.raises(CalcError):
        save_drawings([draw(_parabola_figure(), width=60)], str(tmp_path / "plot.png"))


# ── the plot command ─────────────────────────────────────────────────────────────────

def test_tangent_of_the_syllabus_parabola():
    r = run_plot("3x^2 - 4x", tangent="1")
    (t,) = r.tangents
    assert t.value == -1 and t.slope == 2
    assert sympy.expand(t.line - (2 * x - 3)) == 0
    assert t.equation == "y = 2*x - 3"
    assert r.range == (-2.0, 4.0)


def test_several_functions_and_commas_inside_calls():
    r = run_plot("max(x, 0), sin x, cos x", plot_range="-pi,pi", derivative=True)
    assert len(r.functions) == 3 and len(r.derivatives) == 3
    assert len(r.figures[0].series) == 6


def test_activations_preset():
    r = run_plot("activations")
    assert r.preset == "activations" and len(r.figures) == 9
    sig, tanh_, relu_, leaky, elu_, gelu_, silu_, softsign_, hard = r.derivatives
    assert sig.subs(x, 0) == sympy.Rational(1, 4)
    assert tanh_.subs(x, 0) == 1
    assert relu_.subs(x, 2) == 1 and relu_.subs(x, -2) == 0
    assert leaky.subs(x, 2) == 1 and leaky.subs(x, -2) == sympy.Rational(1, 10)
    assert elu_.subs(x, -1) == sympy.exp(-1) and elu_.subs(x, 3) == 1
    assert float(gelu_.subs(x, 0)) == 0.5 and float(silu_.subs(x, 0)) == 0.5
    assert softsign_.subs(x, 1) == sympy.Rational(1, 4)
    assert hard.subs(x, 0.5) == 1 and hard.subs(x, 2) == 0


@pytest.mark.parametrize("text, kwargs, needle", [
    ("x y", {}, "one horizontal axis"),
    ("x^2", {"plot_range": "3,1"}, "low to high"),
    ("x^2", {"plot_range": "1"}, "LO,HI"),
    ("ln(x)", {"tangent": "0"}, "no tangent"),
    (",", {}, "nothing to plot"),
])
def test_plot_user_errors(text, kwargs, needle):
    with pytest.raises(CalcError) as info:
        run_plot(text, **kwargs)
    assert needle in info.value.message


@pytest.mark.parametrize("width", [40, 60, 100, 160])
def test_plot_views_render_at_widths(width):
    r = run_plot("activations", width=width)
    text = view.to_plain(r)
    assert text.isascii()
    assert max(len(line) for line in text.split("\n") if not line.startswith("activ")) <= width
    from rich.console import Console

    console = Console(width=width + 2, record=True, file=open(os.devnull, "w"), force_terminal=True)
    console.print(view.to_rich(r))
    assert "sigmoid" in console.export_text()


def test_plot_json():
    doc = json.loads(json.dumps(view.to_json(run_plot("3x^2 - 4x", tangent="1")), allow_nan=False))
    assert doc["tangents"][0]["slope"] == 2.0
    assert parse(doc["tangents"][0]["line"]) == parse("2x - 3")


# ── through the CLI (in-process, CliRunner, width 100) ───────────────────────────────

def _run(*args: str, env: dict | None = None):
    return run_cli(*args, env=env)


def test_cli_taylor_json_and_plain_plot():
    out = _run("taylor", "e^x", "--at", "0", "--order", "2", "--eval", "0.1,1", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert [r["approx"] for r in doc["table"]] == [1.105, 2.5]
    out = _run("taylor", "e^x", "--order", "4", "--eval", "1", "--plot", "--plain", "--width", "60")
    assert out.returncode == 0, out.stderr
    assert out.stdout.isascii() and "2.70833" in out.stdout and "order 4" in out.stdout


def test_cli_limit_json_and_no_color():
    out = _run("limit", "3x^2 - 4x", "--at", "1", "--quotient", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["exact"] == 2.0 and len(doc["rows"]) == 12
    out = _run("limit", "3x^2 - 4x", "--at", "1", "--quotient", "--plot", env={"NO_COLOR": "1"})
    assert out.returncode == 0, out.stderr
    assert "2.30000" in out.stdout and "\x1b" not in out.stdout  # NO_COLOR: no colour
    out = _run("limit", "3x^2 - 4x", "--at", "1", "--quotient", "--plot", "--plain")
    assert out.returncode == 0, out.stderr
    assert out.stdout.isascii() and "2.30000" in out.stdout and "\x1b" not in out.stdout


def test_cli_integrate_json():
    out = _run("integrate", "x^2", "--from", "0", "--to", "1", "--monte-carlo", "100000",
               "--seed", "1", "--json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["exact"] == "1/3"
    assert abs(doc["monte_carlo"]["estimate"] - 1 / 3) < 0.002


def test_cli_plot_tangent_plain_and_save(tmp_path):
    target = tmp_path / "tangent.svg"
    out = _run("plot", "3x^2 - 4x", "--tangent", "1", "--plain", "--width", "70",
               "--save", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout.isascii() and "y = 2*x - 3" in out.stdout
    svg = target.read_text(encoding="utf-8")
    assert "<svg" in svg[:400] and "<path" in svg  # a matplotlib vector plot


@pytest.mark.parametrize("args", [
    ("taylor", "x^", "--json"),
    ("limit", "ln(x)", "--at", "0", "--quotient"),
    ("plot", "x^2", "--save", "plot.jpg"),
    ("integrate", "x", "--from", "0"),
])
def test_cli_bad_input_exits_2_without_traceback(args):
    out = _run(*args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    if "--json" in args:
        assert "error" in json.loads(out.stdout)


def test_one_numeric_engine_and_no_silent_fallback():
    # plots sample through calctutor.numeric alone: the table's NumPy functions, and an
    # expression it cannot evaluate is a one-line CalcError, never another engine's guess
    from calctutor import numeric

    xs = np.linspace(-3, 3, 13)
    expr = parse("sigmoid(2x) + relu(x - 1)")
    assert evaluate(expr, "x", xs) == pytest.approx(numeric.evaluate(expr, {"x": xs}), rel=1e-15)
    with pytest.raises(numeric.UnsupportedExpression, match="gamma"):
        evaluate(sympy.gamma(parse("x")), "x", xs)