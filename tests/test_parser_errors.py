"""Bad input: every error is a ParseError with the right position and a useful message,
and hostile input runs nothing."""

from __future__ import annotations

import builtins
import contextlib
import importlib

import pytest
import sympy
import sympy.parsing.sympy_parser

from calctutor.errors import CalcError, ParseError
from calctutor.limits import MAX_INPUT_LENGTH, MAX_NESTING_DEPTH, MAX_NUMBER_DIGITS
from calctutor.parsing import parse, parse_program, parse_statement
from calctutor.primitives import FUNCTION_NAMES

# (input, expected position, fragment of the message)
ERRORS: list[tuple[str, int, str]] = [
    # empty
    ("", 0, "empty input"),
    ("   ", 0, "empty input"),
    # parentheses, both ways
    ("(x", 0, "unclosed parenthesis"),
    ("((x+1)", 0, "unclosed parenthesis"),
    ("sin(x", 3, "unclosed parenthesis"),
    ("x)", 1, "unmatched ')'"),
    ("(x+1))", 5, "unmatched ')'"),
    (")", 0, "unmatched ')'"),
    ("()", 0, "empty parentheses"),
    ("(x y", 0, "unclosed parenthesis"),
    ("(x, y)", 2, "comma"),
    # operators with a side missing
    ("x+", 1, "something is missing"),
    ("x*", 1, "something is missing"),
    ("2x -", 3, "something is missing"),
    ("x^", 1, "exponent is missing"),
    ("x**", 1, "exponent is missing"),
    ("-", 0, "needs something after it"),
    ("^x", 0, "needs something before it"),
    ("*x", 0, "needs something before it"),
    ("x^^2", 2, "needs something before it"),
    ("²", 0, "superscript needs something before it"),
    ("x⁻", 1, "not a whole number"),
    # unknown functions and characters
    ("sinn(x)", 0, "did you mean sin?"),
    ("coss(x)", 0, "did you mean cos?"),
    ("atan2(y, x)", 0, "unknown function 'atan2'"),
    ("foo(x)", 0, "unknown function 'foo'"),
    ("xy(x+1)", 0, "unknown function 'xy'"),
    ("x!", 1, "unexpected character '!'"),
    ("x'", 1, "unexpected character"),
    ("{x}", 0, "unexpected character '{'"),
    ("x @ y", 2, "unexpected character '@'"),
    ("_x", 0, "cannot start with '_'"),
    ("..5", 0, "unexpected character '.'"),
    # numbers
    ("2 3", 2, "two numbers in a row"),
    ("1.2.3", 3, "two numbers in a row"),
    ("9" * (MAX_NUMBER_DIGITS + 1), 0, "too many digits"),
    ("x + 1e1001", 4, "exponent of this number is too large"),
    # functions without arguments or with the wrong number
    ("sin", 0, "sin needs an argument"),
    ("sin + 1", 0, "sin needs an argument"),
    ("sin()", 3, "needs an argument"),
    ("sin^2", 0, "needs an argument"),
    ("√", 0, "needs an argument"),
    ("sin(x, y)", 0, "sin takes one argument, got 2"),
    ("log(x, 2, 3)", 0, "one or two arguments"),
    ("ln(x, 2)", 0, "ln takes one argument"),
    ("max(x)", 0, "at least two arguments"),
    ("min(x)", 0, "at least two arguments"),
    ("log_2", 0, "needs an argument"),
    ("max(1, )", 7, "argument is missing"),
    ("max(, 1)", 4, "argument is missing"),
    # inverse notation only where an inverse exists
    ("sech^-1(x)", 0, "no inverse function for sech"),
    ("relu^-1(x)", 0, "no inverse function for relu"),
    ("abs^-1(x)", 0, "no inverse function for abs"),
    # bars
    ("|x", 0, "unclosed absolute value"),
    ("||", 0, "empty absolute value"),
    ("x|", 1, "something is missing"),
    # = misuse
    ("x = 1", 2, "'=' is only for definitions"),
    ("x == 1", 2, "'=' is only for definitions"),
    ("= x", 0, "'=' needs a name before it"),
    ("x; y", 1, "';' separates the equations"),
    # undefined values
    ("1/0", 1, "division by zero"),
    ("x/(1-1)", 1, "division by zero"),
    ("0^-1", 1, "division by zero"),
    ("log(0)", 0, "undefined"),
    ("2 + tan(pi/2)", 4, "undefined"),
    ("oo - oo", 3, "undefined"),
    # size limits
    ("9^9^9^9", 3, "this power is too large"),
    ("x^(10^10)", 1, "exponent 10,000,000,000 is too large"),
    ("x^100000", 1, "too large"),
    ("10^10^10", 2, "this power is too large"),
    ("2^100000", 1, "this power is too large"),
    ("x" + "²" * 200, 1, "too many digits"),
    ("2^1000*3^1000*5^1000", 13, "this number is too large"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), ERRORS,
                         ids=[repr(e[0])[:40] for e in ERRORS])
def test_error_position_and_message(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    err = info.value
    assert fragment in err.message, err.message
    assert err.position == position, (err.position, err.message)
    assert err.text == text
    assert isinstance(err, CalcError)


def test_length_limit() -> None:
    text = "x+" * (MAX_INPUT_LENGTH // 2) + "x"
    with pytest.raises(ParseError) as info:
        parse(text)
    assert "too long" in info.value.message
    assert info.value.position == MAX_INPUT_LENGTH
    parse("x+" * (MAX_INPUT_LENGTH // 2 - 1) + "x")  # just under the limit is fine


@pytest.mark.parametrize("opener, closer", [("(", ")"), ("|", "|"), ("sin(", ")"),
                                            ("[", "]")])
def test_nesting_limit_points_at_the_first_level_too_deep(opener: str, closer: str) -> None:
    text = opener * (MAX_NESTING_DEPTH + 5) + "x" + closer * (MAX_NESTING_DEPTH + 5)
    with pytest.raises(ParseError) as info:
        parse(text)
    err = info.value
    assert "nested too deeply" in err.message
    # the caret is under the opener of level MAX_NESTING_DEPTH + 1
    assert err.position == len(opener) * MAX_NESTING_DEPTH
    assert text[err.position:].startswith(opener)
    # ten levels are fine (with something beside each inner level: bars around exactly
    # one pair of bars, ||x||, are the norm notation, refused elsewhere)
    ok = (opener + "1 + ") * 10 + "x" + closer * 10
    parse(ok)


@pytest.mark.parametrize("text", [
    "sin " * 400 + "x",
    "√" * 1500 + "x",
    "sin " + "-" * 1500 + "x",
    "sin^2 " * 300 + "x",
    "sinsin" * 300 + "x",
    "-" * 1900 + "x",
    "x^" * 900 + "x",
])
def test_deep_bare_nesting_is_a_parse_error_not_a_crash(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert "nested too deeply" in info.value.message


@pytest.mark.parametrize("text", ["9^9^9^9", "x^(10^10)", "(x+1)^(10^10)", "2^2^2^2^2^2",
                                  "10^(10^(10^10))", "(1/3)^(10^8)", "e^(10^10)"])
def test_explosive_powers_are_refused_or_kept_symbolic(text: str) -> None:
    try:
        expr = parse(text)
    except ParseError as err:
        assert "too large" in err.message
    else:  # left unevaluated, as e^(10^10) is: no giant number was built
        assert all(len(str(n)) < 5000 for n in expr.atoms(sympy.Integer))


def test_e_to_a_huge_power_is_symbolic() -> None:
    assert parse("e^(10^10)") == sympy.exp(sympy.Integer(10) ** 10)


# ── programs and statements ─────────────────────────────────────────────────────────
PROGRAM_ERRORS = [
    ("y = 2x; y = 3x", 8, "defined twice"),
    ("y = y + 1", 0, "in terms of itself"),
    ("z = y^2; y = 2x", 0, "used before it is defined"),
    ("y = ", 2, "nothing after '='"),
    ("2 = x", 0, "must be a name"),
    ("sin = x", 0, "built-in name"),
    ("pi = 3", 0, "built-in name"),
    ("y = 2x; x^2; z = y", 8, "only the last statement"),
    ("y = (x; z = 1", 6, "expected ')' to close the '(' at column 5"),
    ("y = 2x; z = y +", 14, "something is missing"),
    ("f(x) = x^2", 0, "belong in the REPL"),
    (" ; ", 0, "empty program"),
    ("", 0, "empty input"),
]


@pytest.mark.parametrize(("text", "position", "fragment"), PROGRAM_ERRORS,
                         ids=[e[0] for e in PROGRAM_ERRORS])
def test_program_errors(text: str, position: int, fragment: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_program(text)
    assert fragment in info.value.message, info.value.message
    assert info.value.position == position
    assert info.value.text == text


def test_program_length_limit() -> None:
    text = "; ".join(f"y{i} = x + {i}" for i in range(60)) + "; " + "z = " + "x+" * 600 + "x"
    with pytest.raises(ParseError, match="too long"):
        parse_program(text)


def test_too_many_statements() -> None:
    text = "; ".join(f"y{i} = {i}" for i in range(100))
    with pytest.raises(ParseError) as info:
        parse_program(text)
    assert "too many equations" in info.value.message


def test_statement_errors() -> None:
    with pytest.raises(ParseError, match="parameters must be names"):
        parse_statement("f(2) = x")
    with pytest.raises(ParseError, match="'=' needs a name"):
        parse_statement("= x")
    functions = {"f": (("x",), sympy.Symbol("x", real=True) ** 2)}
    with pytest.raises(ParseError, match="takes 1 argument"):
        parse("f(1, 2)", functions=functions)
    with pytest.raises(ParseError, match="no inverse function for f"):
        parse("f^-1(x)", functions=functions)


def test_parse_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        parse(b"x")  # type: ignore[arg-type]


# ── hostile input ───────────────────────────────────────────────────────────────────
HOSTILE = [
    "__import__('os').system('echo hi')",
    "__import__(\"os\")",
    "lambda x: x",
    "().__class__",
    "().__class__.__bases__[0].__subclasses__()",
    'exec("1")',
    "eval(1)",
    "eval('1+1')",
    "open('f')",
    "x.__class__",
    "getattr(x, 'y')",
    "f'{x}'",
    "x\\y",
    "\\frac{1}{2}",
    "os.system('ls')",
    "globals()",
    "compile('1', 'f', 'eval')",
    "x if x else y:",
    "[x for x in y],",
    "Symbol('x')",
    "Integer(2)**Integer(3)",
    "sympify('x')",
    "S('x')",
    "x; __import__('os')",
    "y = __import__('os')",
    "%x",
    "x # comment",
    "x\x00",
    "`ls`",
    "$(ls)",
]


@pytest.fixture
def no_eval(monkeypatch):
    """Make every way of running text as code fail loudly, and record any call.

    eval/exec are refused outright; SymPy's text entry points (sympify, S(...),
    parse_expr) are refused when given a string: SymPy itself calls sympify on SymPy
    objects all the time, which is harmless.
    """
    # Warm up first: SymPy imports some modules lazily on first use, and the standard
    # library's dataclasses run exec on generated code at import time. That is library
    # code, not user text; importing it before arming the traps keeps the traps exact.
    for name in sorted(FUNCTION_NAMES):
        if name not in ("max", "min", "logsumexp"):
            for arg in ("x", "2", "0.5", "pi", "0"):
                with contextlib.suppress(ParseError):
                    parse(f"{name}({arg})")
    parse("max(x, 0) + min(x, 1, 2) + logsumexp(x, y) + |x| + log(x, 2) + 1.5e-3 + oo")
    parse_program("y = 2x^3 + 3; z = y^2")
    for text in HOSTILE:
        with contextlib.suppress(ParseError):
            parse(text)
    calls: list[str] = []

    def refuse(name):
        def trap(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} was called on user input")
        return trap

    def refuse_text(name, original):
        def trap(*args, **kwargs):
            if args and isinstance(args[0], str):
                calls.append(name)
                raise AssertionError(f"{name} was called on text {args[0]!r}")
            return original(*args, **kwargs)
        return trap

    monkeypatch.setattr(builtins, "eval", refuse("eval"))
    monkeypatch.setattr(builtins, "exec", refuse("exec"))
    sympify_module = importlib.import_module("sympy.core.sympify")
    sympify = sympify_module.sympify
    monkeypatch.setattr(sympy, "sympify", refuse_text("sympy.sympify", sympify))
    monkeypatch.setattr(sympify_module, "sympify", refuse_text("sympify", sympify))
    monkeypatch.setattr(type(sympy.S), "__call__",
                        staticmethod(refuse_text("sympy.S", sympify)))
    monkeypatch.setattr(sympy, "parse_expr", refuse("sympy.parse_expr"), raising=False)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", refuse("parse_expr"))
    return calls


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_input_raises_parse_error_and_runs_nothing(text, no_eval, capfd) -> None:
    with pytest.raises(ParseError):
        parse(text)
    with pytest.raises(ParseError):
        parse_program(text)
    assert no_eval == []
    out, err = capfd.readouterr()
    assert "hi" not in out


@pytest.mark.parametrize(("text", "word"), [
    ("import os", "import"),
    ("x if x else y", "else"),
    ("print x", "print"),
])
def test_python_words_are_refused_and_nothing_runs(text, word, no_eval) -> None:
    # Python keywords mean nothing here. They used to be read as products of letters
    # (i*m*p*o*r*t); a word that is no plausible product is now refused by name.
    # Either way nothing is imported or run.
    with pytest.raises(ParseError) as info:
        parse(text)
    assert info.value.message == f"'{word}' is not a function or variable I know"
    assert no_eval == []


def test_the_traps_are_armed(no_eval) -> None:
    # the fixture really does catch a call (guards against a trap that never fires)
    with pytest.raises(AssertionError):
        builtins.eval("1")
    with pytest.raises(AssertionError):
        sympy.sympify("x")
    with pytest.raises(AssertionError):
        sympy.S("x")
    with pytest.raises(AssertionError):
        sympy.parsing.sympy_parser.parse_expr("x")
    assert sympy.S(2) == 2  # SymPy objects still pass
    assert no_eval == ["eval", "sympy.sympify", "sympy.S", "parse_expr"]


def test_ordinary_parsing_needs_no_eval(no_eval) -> None:
    parse("x^2 sin(x) + |x| - log(x, 2) + sigmoid(x) + max(x, 0) + 1.5e-3")
    parse_program("y = 2x^3 + 3; z = y^2")
    assert no_eval == []


# ── rendering ───────────────────────────────────────────────────────────────────────
def test_render_shows_input_and_caret() -> None:
    with pytest.raises(ParseError) as info:
        parse("2x + sinn(x)")
    rendered = info.value.render()
    lines = rendered.splitlines()
    assert lines[0].startswith("error: unknown function 'sinn'")
    assert lines[1] == "  2x + sinn(x)"
    assert lines[2] == "  " + " " * 5 + "^^^^"


def test_render_caret_for_unclosed_parenthesis_and_hint() -> None:
    with pytest.raises(ParseError) as info:
        parse("3 * (x + 1")
    lines = info.value.render().splitlines()
    assert lines[1] == "  3 * (x + 1"
    assert lines[2].index("^") == 2 + 4


def test_render_hint_line() -> None:
    with pytest.raises(ParseError) as info:
        parse("x!")
    rendered = info.value.render()
    assert rendered.splitlines()[2] == "   ^"
    assert rendered.splitlines()[3].startswith("hint: factorials")


def test_render_long_input_keeps_caret_under_the_error() -> None:
    text = "x + " * 40 + "y)" + " + x" * 40
    with pytest.raises(ParseError) as info:
        parse(text)
    err = info.value
    shown, caret = err.caret_lines()
    assert len(shown) <= 76
    col = caret.index("^")
    assert shown[col] == ")"


def test_program_error_caret_is_in_the_whole_text() -> None:
    with pytest.raises(ParseError) as info:
        parse_program("y = 2x\nz = sinn(y)")
    err = info.value
    assert err.text[err.position:].startswith("sinn")
    shown, caret = err.caret_lines()
    assert shown[caret.index("^"):].startswith("sinn")


def test_to_dict() -> None:
    with pytest.raises(ParseError) as info:
        parse("x +* 2")
    assert info.value.to_dict() == {"error": info.value.message, "position": 3,
                                    "input": "x +* 2"}
