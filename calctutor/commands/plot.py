"""``calctutor plot``: functions (and tangent lines, derivatives) drawn in the terminal.

EXPR is one expression, several separated by commas (``"sin x, cos x"``), or a preset:
``activations`` draws sigmoid, tanh, ReLU, leaky ReLU, ELU, GELU, SiLU, softsign and hard
tanh, each with its derivative.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from calctutor.errors import CalcError
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.parsing import parse, to_input
from calctutor.points import constant as parse_number, parse_range, split, to_float
from calctutor.plotting.evaluate import evaluate
from calctutor.plotting.figure import Figure, Series, sample_grid
from calctutor.primitives import by_name
from calctutor.timeouts import time_limit

MAX_FUNCTIONS = 8
SAMPLES = 401


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    panels: tuple[tuple[str, str], ...]  # (expression, what to say about its derivative)
    range: tuple[float, float]


PRESETS: dict[str, Preset] = {
    "activations": Preset(
        "activations",
        "the activation functions of neural networks and their derivatives",
        (
            ("sigmoid(x)", "sigmoid' = s(1 - s) peaks at 0.25 at x = 0: gradients shrink "
                           "by at least 4x per layer (vanishing gradients)"),
            ("tanh(x)", "tanh' = 1 - tanh^2 peaks at 1 at x = 0 and saturates at the ends"),
            ("relu(x)", "relu' is 1 for x > 0 and 0 for x < 0; at the corner x = 0 it does "
                        "not exist (autodiff uses " + by_name("relu").kinks[0].convention_text
                        + "): no saturation for positive inputs"),
            ("leaky_relu(x, 1/10)", "leaky_relu' is 1 above 0 and the slope a below (a = 0.1 "
                                    "here; 0.01 by default): negative inputs still learn"),
            ("elu(x)", "elu' is 1 above 0 and e^x below: with alpha = 1 the two meet, so there "
                       "is no corner"),
            ("gelu(x)", "gelu' = Phi(x) + x phi(x): smooth, and slightly negative for x below "
                        "about -0.75"),
            ("silu(x)", "silu' = s + x s (1 - s): smooth, dips below 0 for x below about -1.28"),
            ("softsign(x)", "softsign' = 1/(1 + |x|)^2 falls off like 1/x^2: slower "
                            "saturation than tanh"),
            ("hard_tanh(x)", "hard_tanh' is 1 between -1 and 1 and 0 outside; corners at -1 "
                             "and 1"),
        ),
        (-5.0, 5.0),
    ),
}


@dataclass(frozen=True)
class Tangent:
    function: sympy.Expr
    point: sympy.Expr  # a
    value: sympy.Expr  # f(a)
    slope: sympy.Expr  # f'(a)
    line: sympy.Expr  # f(a) + f'(a)(x − a), expanded
    side: str | None = None  # "left"/"right": a one-sided tangent at a corner (x <= a / x >= a)
    note: str | None = None  # why there is no two-sided tangent here

    @property
    def equation(self) -> str:
        return f"y = {to_input(self.line)}"


@dataclass(frozen=True)
class PlotResult:
    input: str
    functions: tuple[sympy.Expr, ...]
    variable: str
    range: tuple[float, float]
    figures: tuple[Figure, ...]
    tangents: tuple[Tangent, ...] = field(default=())
    derivatives: tuple[sympy.Expr, ...] = field(default=())
    preset: str | None = None
    notes: tuple[str, ...] = field(default=())


def run_plot(text: str, tangent: str | None = None, plot_range: str | None = None,
             derivative: bool = False, width: int | None = None, height: int | None = None,
             timeout: float = DEFAULT_TIMEOUT_SECONDS) -> PlotResult:
    """Sample the function(s) and build the figure(s) to draw."""
    key = text.strip().lower()
    if key in PRESETS:
        return _run_preset(PRESETS[key], text, plot_range, width, height, timeout)
    pieces = split(text, ",")
    if not pieces:
        raise CalcError("nothing to plot: give an expression such as \"3x^2 - 4x\"",
                        hint=f"or a preset: {', '.join(PRESETS)}")
    if len(pieces) > MAX_FUNCTIONS:
        raise CalcError(f"at most {MAX_FUNCTIONS} functions in one plot (got {len(pieces)})")
    functions = [parse(p) for p in pieces]
    names = sorted({s.name for f in functions for s in f.free_symbols})
    if len(names) > 1:
        raise CalcError(f"a plot has one horizontal axis, but the expressions use "
                        f"{', '.join(names)}", hint="give the other variables values first")
    from calctutor.parsing.builder import symbol

    x = symbol(names[0] if names else "x")
    a = parse_number(tangent, "the tangent point") if tangent is not None else None
    a_f = to_float(a) if a is not None else None
    if a is not None and a_f is None:
        raise CalcError(f"the tangent point {tangent!r} must be a finite real number")
    default = (a_f - 3.0, a_f + 3.0) if a_f is not None else (-5.0, 5.0)
    lo, hi = parse_range(plot_range, default)
    xs = sample_grid(lo, hi, SAMPLES, extra=(a_f,) if a_f is not None else ())

    series, tangents, derivatives, notes = [], [], [], []
    with time_limit(timeout, "the plot"):
        for f in functions:
            ys = evaluate(f, x, xs)
            series.append(Series(_label(f, len(functions)), xs, ys))
            _note_gaps(f, ys, notes)
            if derivative:
                df = sympy.diff(f, x)
                derivatives.append(df)
                series.append(Series(f"derivative {to_input(df)}", xs, evaluate(df, x, xs)))
        if a is not None:
            import numpy as np

            for f in functions:
                for t in _tangents(f, x, a):
                    tangents.append(t)
                    ys = evaluate(t.line, x, xs)
                    label = f"tangent at {x.name} = {to_input(a)}: {t.equation}"
                    if t.side is not None:
                        keep = xs <= a_f if t.side == "left" else xs >= a_f
                        ys = np.where(keep, ys, np.nan)
                        label = f"{t.side} tangent at {x.name} = {to_input(a)}: {t.equation}"
                    series.append(Series(label, xs, ys))
                if tangents and tangents[-1].note and tangents[-1].note not in notes:
                    notes.append(tangents[-1].note)
    title = ", ".join(to_input(f) for f in functions)
    figure = Figure(f"y = {title}" if len(functions) == 1 else title, series, xlabel=x.name,
                    xlim=(lo, hi), notes=notes)
    figure.width, figure.height = width, height
    return PlotResult(text, tuple(functions), x.name, (lo, hi), (figure,), tuple(tangents),
                      tuple(derivatives))


def _label(f: sympy.Expr, count: int) -> str:
    return f"y = {to_input(f)}" if count == 1 else to_input(f)


def _note_gaps(f: sympy.Expr, ys, notes: list[str]) -> None:
    import numpy as np

    bad = ~np.isfinite(ys)
    if bad.all():
        notes.append(f"{to_input(f)} has no real values in this range")
    elif bad.any():
        notes.append(f"{to_input(f)} is undefined or infinite at some points here "
                     "(gaps in the curve)")


def _tangents(f: sympy.Expr, x: sympy.Symbol, a: sympy.Expr) -> list[Tangent]:
    """The tangent line at a, asked of the one evaluator. At a corner there is none: the
    two one-sided tangents are drawn instead (each on its own side), with the reason."""
    from calctutor.pointvalue import at_point

    where = f"{x.name} = {to_input(a)}"
    here = at_point(f, {x.name: a})
    if here.value is None or here.value.free_symbols:
        raise CalcError(f"{to_input(f)} has no tangent line at {where}: {here.reason}")
    value = here.value
    slope = at_point(f, {x.name: a}, x.name, 1)
    if slope.value is not None:
        return [Tangent(f, a, value, slope.value, sympy.expand(value + slope.value * (x - a)))]
    sides = slope.one_sided
    if sides is None or sides.left is None or sides.right is None or slope.continuous is False:
        raise CalcError(f"{to_input(f)} has no tangent line at {where}: {slope.reason}")
    note = (f"no tangent line at {where}: {slope.kinks[0] if slope.kinks else slope.reason} "
            f"(one-sided slopes {to_input(sides.left)} and {to_input(sides.right)}); the two "
            "one-sided tangents are drawn instead")
    return [Tangent(f, a, value, m, sympy.expand(value + m * (x - a)), side, note)
            for side, m in (("left", sides.left), ("right", sides.right))]


def _run_preset(preset: Preset, text, plot_range, width, height, timeout) -> PlotResult:
    from calctutor.parsing.builder import symbol

    x = symbol("x")
    lo, hi = parse_range(plot_range, preset.range)
    xs = sample_grid(lo, hi, SAMPLES, extra=(0.0,))
    figures, functions, derivatives = [], [], []
    with time_limit(timeout, "the plot"):
        for source, remark in preset.panels:
            f = parse(source)
            df = sympy.diff(f, x)
            functions.append(f)
            derivatives.append(df)
            fig = Figure(f"{to_input(f)} and its derivative",
                         [Series(to_input(f), xs, evaluate(f, x, xs)),
                          Series(f"derivative: {to_input(df)}", xs, evaluate(df, x, xs))],
                         xlabel="x", xlim=(lo, hi), notes=[remark])
            fig.width, fig.height = width, height
            figures.append(fig)
    return PlotResult(text, tuple(functions), "x", (lo, hi), tuple(figures), (),
                      tuple(derivatives), preset=preset.name,
                      notes=(preset.description,))
