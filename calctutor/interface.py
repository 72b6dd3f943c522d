"""Each command's interface, declared once: its name, arguments and options (type,
default, help, the run function's keyword). Pure data, importable without Typer, SymPy
or Rich.

Three shells read it:

- the Typer CLI (``calctutor/cli/cmd_*.py``): each command's signature must agree with
  its declaration — ``tests/test_interface.py`` compares them option by option;
- the REPL (``calctutor/repl/handlers.py``): ``:grad x^2 --at x=1`` is read by
  :meth:`Command.read` (unknown options, values for flags and bad numbers are errors)
  and the usage line is :meth:`Command.usage`;
- the lessons: a worked example names a command and its options
  (``{ command = "integrate", expr = "x^2", from = "0", to = "1" }``); the loader
  validates them with :meth:`Command.read` and the tutor calls :attr:`Command.run`.

To add an option to a command: one :class:`Option` line in its declaration below, and
the parameter in the Typer function and the run function. The test says which is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from calctutor.errors import CalcError

KINDS = ("text", "int", "float", "flag", "path")


@dataclass(frozen=True, slots=True)
class Option:
    """One ``--name`` option."""

    name: str  # the flag without dashes, as typed: "at", "monte-carlo", "no-steps"
    kind: str  # "text", "int", "float", "flag" (no value) or "path" (a file name)
    help: str  # one line
    default: object = None
    param: str | None = None  # the run function's keyword when it differs from the name
    short: str | None = None  # "-n"
    #: output-only options (--json, --plain, --width, --save ...) belong to the CLI's
    #: printing, are not passed to the run function and are not offered in the REPL
    output: bool = False
    metavar: str = ""  # how the usage line shows the value: "P", "N", "LO,HI"
    multiple: bool = False  # repeatable (--shape x=n --shape A=nxn): the value is a list
    #: selects the matrix engine (``grad/check/graph --shape``) instead of the command's
    #: run function, so it is not passed to ``run``; the lessons and the REPL reach
    #: matrix calculus through the ``matgrad`` declaration (and the REPL's ``:shape``)
    matrix: bool = False

    @property
    def keyword(self) -> str:
        return self.param or self.name.replace("-", "_")

    @property
    def flag(self) -> str:
        return "--" + self.name

    def value(self, raw: str | bool) -> object:
        """The option's value from text (``--order 3`` → 3); CalcError when unreadable."""
        if self.multiple:
            items = raw if isinstance(raw, (list, tuple)) else [raw]
            return [self._one(item) for item in items]
        return self._one(raw)

    def _one(self, raw: str | bool) -> object:
        if self.kind == "flag":
            return bool(raw)
        text = str(raw).strip()
        if not text:
            raise CalcError(f"{self.flag} needs a value")
        if self.kind == "int":
            try:
                return int(text)
            except ValueError:
                raise CalcError(f"{self.flag} needs a whole number, not {text!r}") from None
        if self.kind == "float":
            try:
                return float(text)
            except ValueError:
                raise CalcError(f"{self.flag} needs a number, not {text!r}") from None
        return text


@dataclass(frozen=True, slots=True)
class Command:
    """One command: what the CLI, the REPL and the lessons know about it."""

    name: str
    help: str
    run: str  # "module:function" of the command layer, called as run(*arguments, **options)
    view: str  # the renderer module
    arguments: tuple[str, ...] = ("EXPR",)
    options: tuple[Option, ...] = ()
    cli: bool = True  # a Typer command exists (the REPL's :backprop has none)
    typed_as: str = ""  # the command line that runs it, when not its own (matgrad: grad)

    def option(self, name: str) -> Option:
        for opt in self.options:
            if opt.name == name or opt.keyword == name:
                return opt
        raise KeyError(name)

    @property
    def teaching_options(self) -> tuple[Option, ...]:
        """The options the REPL and the lessons pass (not the CLI's output options)."""
        return tuple(o for o in self.options if not o.output and not o.matrix)

    @property
    def flags(self) -> frozenset[str]:
        """Options that take no value (for the REPL's option splitter)."""
        return frozenset(o.name for o in self.teaching_options if o.kind == "flag")

    def usage(self, prefix: str = ":") -> str:
        """``:grad EXPR [--wrt X] [--at P] [--hessian] ...``."""
        parts = [prefix + (self.typed_as or self.name), *self.arguments]
        for o in self.teaching_options:
            more = " ..." if o.multiple else ""
            parts.append(f"[{o.flag}]" if o.kind == "flag" else f"[{o.flag} {o.metavar or 'V'}{more}]")
        return " ".join(parts)

    def read(self, given: dict[str, object]) -> dict[str, object]:
        """Options as typed (``{"at": "x=1", "hessian": True}``, names with or without
        dashes) → the run function's keywords with typed values. Unknown options, a
        value after a flag (``"name!"`` from the splitter) and bad numbers are errors."""
        out: dict[str, object] = {}
        for key, raw in given.items():
            name = key.rstrip("!")
            try:
                opt = self.option(name.replace("_", "-")) if name not in {
                    o.keyword for o in self.options} else self.option(name)
            except KeyError:
                raise CalcError(f"unknown option --{name}",
                                hint=f"usage: {self.usage()}") from None
            if opt.output:
                raise CalcError(f"{opt.flag} is an option of the command line only",
                                hint=f"usage: {self.usage()}")
            if opt.matrix:
                raise CalcError(f"{opt.flag} (matrix calculus) is an option of the command "
                                "line only; in the REPL declare shapes with :shape",
                                hint=f"usage: {self.usage()}")
            if key.endswith("!"):
                raise CalcError(f"{opt.flag} takes no value", hint=f"usage: {self.usage()}")
            out[opt.keyword] = (opt.value(raw) if isinstance(raw, (str, bool)) or opt.multiple
                                else raw)
        return out

    def resolve(self):
        """The run function (imported on first use)."""
        import importlib

        module, _, attr = self.run.partition(":")
        return getattr(importlib.import_module(module), attr)

    def renderer(self):
        import importlib

        return importlib.import_module(self.view)


# ── shared options ──────────────────────────────────────────────────────────────────
JSON = Option("json", "flag", "Print one JSON document on stdout.", False, param="json_out",
              output=True)
PLAIN = Option("plain", "flag", "ASCII, no colour (also: NO_COLOR=1).", False, output=True)
LATEX = Option("latex", "flag", "Print LaTeX.", False, output=True)
WIDTH = Option("width", "int", "Plot width in columns.", None, output=True)
HEIGHT = Option("height", "int", "Plot height in rows.", None, output=True)
SAVE = Option("save", "text", "Also write the plot to FILE.", None, output=True)
SAVE_FORCE = Option("force", "flag", "Replace an existing --save file.", False, output=True)
AT = Option("at", "text", "A point: x=1,y=2, or 1 for one variable.", metavar="P")
WRT = Option("wrt", "text", "Variable to differentiate with respect to.", metavar="X")


def _matrix_options(*names: str, matrix: bool = True) -> tuple[Option, ...]:
    """The matrix-calculus options, declared once: ``grad``, ``check`` and ``graph`` take
    them on the command line (``matrix=True``: they switch to the matrix engine);
    ``matgrad`` takes them as its own options."""
    every = {
        "shape": Option("shape", "text", "Declare a vector or matrix (repeatable): x=3, A=3x3, "
                        "x=n, A=nxn,sym, y=n,prob; switches to matrix calculus.", None,
                        param="shapes", metavar="x=n", multiple=True, matrix=matrix),
        "symmetric": Option("symmetric", "text", "With --shape: these square matrices are "
                            "symmetric (A = Aᵀ).", None, metavar="A", multiple=True,
                            matrix=matrix),
        "expand": Option("expand", "flag", "With --shape and concrete sizes: the result entry "
                         "by entry, beside sympy.diff of each component.", False,
                         param="expand_components", matrix=matrix),
        "seed": Option("seed", "int", "With --shape: the seed of the random draws.", 0,
                       metavar="N", matrix=matrix),
    }
    return tuple(every[name] for name in names)


def _order(default: int) -> Option:
    return Option("order", "int", "Order of the derivative.", default, short="-n", metavar="N")


# ── the commands ────────────────────────────────────────────────────────────────────
COMMANDS: dict[str, Command] = {c.name: c for c in (
    Command("parse", "how calctutor reads an expression", "calctutor.commands.parse:run_parse",
            "calctutor.render.parse", options=(JSON, PLAIN, LATEX)),
    Command("diff", "a derivative step by step", "calctutor.commands.diff:run_diff",
            "calctutor.render.diff", options=(
                WRT, _order(1), AT,
                Option("no-steps", "flag", "Only the answer, without the derivation.", False,
                       output=True),
                JSON, PLAIN, LATEX,
                Option("graph", "flag", "The backward pass beside the steps.", False,
                       output=True))),
    Command("grad", "partials, gradient, Hessian, directional derivative",
            "calctutor.commands.grad:run_grad", "calctutor.render.grad", options=(
                Option("wrt", "text", "Variables, comma-separated: x,y.", metavar="X,Y"), AT,
                Option("hessian", "flag", "Also the Hessian.", False),
                Option("dir", "text", "Directional derivative along this vector.",
                       param="direction", metavar="D"),
                Option("steps", "flag", "Each partial derivative's steps.", False),
                JSON, PLAIN, LATEX, *_matrix_options("shape", "symmetric", "expand", "seed"))),
    Command("check", "grade a derivative", "calctutor.commands.check:run_check",
            "calctutor.render.check", arguments=("FUNCTION", "ANSWER"), options=(
                WRT, _order(1),
                Option("task", "text", "derivative or equivalent.", "derivative", metavar="T"),
                Option("batch", "path", "Grade every row of a file.", None, output=True),
                Option("jobs", "int", "Worker processes for --batch.", None, short="-j",
                       output=True),
                Option("output", "path", "Write batch results here.", None, short="-o",
                       output=True),
                Option("resume", "flag", "Skip the rows already in --output, append the rest.",
                       False, output=True),
                Option("force", "flag", "Replace an existing --output or --report file.",
                       False, output=True),
                Option("report", "path", "A teacher's report: .md, .html or .csv.", None,
                       output=True),
                Option("results", "text", "Report over graded output files: A,B,...",
                       None, output=True, metavar="FILES"),
                Option("format", "text", "Batch input format: jsonl or csv.", None,
                       param="batch_format", output=True),
                Option("working", "text", "Grade a working line by line (- for stdin).", None,
                       short="-w", output=True, metavar="FILE"),
                JSON, PLAIN, *_matrix_options("shape", "symmetric"))),
    Command("plot", "draw a function in the terminal", "calctutor.commands.plot:run_plot",
            "calctutor.render.plot", options=(
                Option("tangent", "text", "Draw the tangent line at x = A.", metavar="A"),
                Option("range", "text", "x-range as LO,HI.", param="plot_range", metavar="LO,HI"),
                Option("derivative", "flag", "Also draw f'.", False, short="-d"),
                WIDTH, HEIGHT, SAVE, SAVE_FORCE, JSON, PLAIN)),
    Command("taylor", "Taylor polynomial with an error table",
            "calctutor.commands.taylor:run_taylor", "calctutor.render.taylor", options=(
                Option("at", "text", "Centre a.", metavar="A"),
                Option("order", "int", "Highest power kept.", 2, short="-n", metavar="N"),
                Option("eval", "text", "Points for the error table.", param="eval_points",
                       metavar="X,..."),
                Option("plot", "flag", "Draw f with its Taylor polynomials.", False),
                Option("range", "text", "x-range as LO,HI.", param="plot_range", metavar="LO,HI"),
                WIDTH, HEIGHT, SAVE, SAVE_FORCE, JSON, PLAIN, LATEX)),
    Command("limit", "the limit of EXPR at a (--quotient: the derivative as a limit of "
            "difference quotients)",
            "calctutor.commands.limit:run_limit", "calctutor.render.limit", options=(
                Option("at", "text", "The point a (a number, oo or -oo).", metavar="A"),
                Option("quotient", "flag", "The difference quotients of EXPR at a as h shrinks.",
                       False),
                Option("h", "text", "Step sizes, e.g. 0.1,0.01.", param="steps", metavar="H,..."),
                Option("plot", "flag", "Draw f near a (with --quotient: the error against h).",
                       False),
                WIDTH, HEIGHT, SAVE, SAVE_FORCE, JSON, PLAIN)),
    Command("integrate", "a definite integral: exact, numeric and Monte Carlo",
            "calctutor.commands.integrate:run_integrate", "calctutor.render.integrate", options=(
                Option("from", "text", "Lower limit a.", param="lower", metavar="A"),
                Option("to", "text", "Upper limit b.", param="upper", metavar="B"),
                Option("monte-carlo", "int", "Monte Carlo samples (0 to skip).", 100000,
                       param="samples", metavar="N"),
                Option("seed", "int", "Random seed.", 0, metavar="N"),
                JSON, PLAIN, LATEX)),
    Command("graph", "computational graph and backpropagation",
            "calctutor.commands.graph:run_graph", "calctutor.render.graph", options=(
                AT,
                Option("mode", "text", "reverse or forward.", "reverse", metavar="reverse|forward"),
                JSON,
                Option("mermaid", "flag", "A Mermaid flowchart.", False, output=True),
                Option("dot", "flag", "Graphviz DOT.", False, output=True),
                Option("fd", "flag", "Add the finite-difference check.", False),
                PLAIN, *_matrix_options("shape", "symmetric", "seed"))),
    Command("descend", "gradient descent, momentum or Newton's method, step by step",
            "calctutor.commands.descend:run_descend", "calctutor.render.descend", options=(
                Option("from", "text", "The starting point: x=1,y=2.", param="start",
                       metavar="P"),
                Option("rate", "float", "Step size (learning rate).", None, metavar="R"),
                Option("steps", "int", "The most steps to take.", None, metavar="N"),
                Option("method", "text", "gd, momentum or newton.", "gd",
                       metavar="gd|momentum|newton"),
                Option("beta", "float", "Momentum's memory (0 <= beta < 1).", None, metavar="B"),
                JSON, PLAIN)),
    Command("stable", "naive and numerically stable float64 evaluation side by side",
            "calctutor.commands.stable:run_stable", "calctutor.render.stable",
            options=(AT, JSON, PLAIN)),
    Command("config", "the effective settings and where each came from",
            "calctutor.commands.config:run_config", "calctutor.render.config", arguments=(),
            options=(Option("init", "flag", "Write a commented settings file.", False),
                     JSON, PLAIN)),
    Command("backprop", "the chain-rule steps and the backward pass side by side",
            "calctutor.commands.diff_graph:run_diff_graph", "calctutor.render.diff_graph",
            options=(AT,), cli=False),
    Command("matgrad", "matrix gradients and Jacobians with declared shapes",
            "calctutor.commands.matgrad:run_matgrad", "calctutor.render.matrix",
            options=(WRT, *_matrix_options("shape", "symmetric", "expand", "seed",
                                           matrix=False)),
            cli=False, typed_as="grad"),
    Command("lesson", "list the lessons, or run one", "calctutor.tutor.session:run_lesson",
            "calctutor.render.lesson", arguments=("[NAME]",), options=(
                Option("seed", "int", "Seed for the exercises' random numbers.", None,
                       metavar="N"),
                JSON, PLAIN)),
)}

#: Commands a lesson's worked example may run (the ones that show a result).
EXAMPLE_COMMANDS = ("parse", "diff", "grad", "graph", "taylor", "limit", "integrate", "plot",
                    "check", "descend", "stable", "matgrad")


def command(name: str) -> Command:
    """The declaration of a command; CalcError for an unknown name."""
    try:
        return COMMANDS[name]
    except KeyError:
        raise CalcError(f"unknown command {name!r}") from None
