"""What did the learner type? Pure functions from one line of text to an intent.

The REPL reads a few forms that are not expressions of the language itself:

=================================  =======================================
``:name args``                     a special command (``:help``, ``:at x=2``)
``quit`` / ``exit`` / ``help``     the same as ``:quit`` / ``:help``
``d/dx EXPR``, ``d²/dx² EXPR``     a derivative (also ``d^2/dx^2``, ``∂/∂y``)
``f'(x)``, ``f''(2)``, ``y'``      the derivative of a name the learner defined
``diff f``, ``diff x^2 sin x``     the derivative of a name or an expression
``f(x) = ...``, ``y = ...``        a definition, usable later
anything else                      an expression (its derivative is shown)
=================================  =======================================

Nothing here imports SymPy: these run on every line and in the completer's tests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from calctutor.termio import command_word
from calctutor.textsplit import split

_SUPERSCRIPT_DIGITS = {"⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5",
                       "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9"}
_GREEK_WORDS = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron "
    "rho sigma tau upsilon phi chi psi omega"
).split()
_GREEK_CHARS = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu",
    "ξ": "xi", "ρ": "rho", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
# A variable after "d": a Greek name or letter, or one letter with an optional subscript
# (x, x1, x_1, w_hidden). "d/dxx^2" reads as d/dx of x^2, as on paper.
_VAR = (r"(?:" + "|".join(sorted(_GREEK_WORDS, key=len, reverse=True))
        + r"|[" + "".join(_GREEK_CHARS) + r"]|[A-Za-z](?:_[A-Za-z0-9]+|[0-9]+)?)")
_ORDER = r"(?:\^\s*\(?\s*(\d+)\s*\)?|([⁰¹²³⁴⁵⁶⁷⁸⁹]+))?"
_DERIVATIVE = re.compile(
    r"^\s*(?P<d>d|∂)\s*" + _ORDER.replace("(\\d+)", "(?P<top>\\d+)").replace(
        "([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", "(?P<topsup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
    + r"\s*/\s*(?P<d2>d|∂)\s*(?P<var>" + _VAR + r")"
    + _ORDER.replace("(\\d+)", "(?P<bot>\\d+)").replace(
        "([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", "(?P<botsup>[⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
    + r"(?P<rest>.*)$",
    re.DOTALL,
)
_LOOKS_LIKE_DERIVATIVE = re.compile(r"^\s*(?:∂|d\s*(?:\^\s*\d+|[²³⁴⁵⁶⁷⁸⁹])?\s*/\s*[d∂])")
_PRIME = re.compile(r"^\s*(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?P<primes>['′]+|″)"
                    r"\s*(?:\(\s*(?P<arg>.*?)\s*\))?\s*$", re.DOTALL)
_DIFF = re.compile(r"^\s*diff\s+(?P<rest>.+)$", re.DOTALL)
_COMMAND = re.compile(r"^\s*:(?P<name>[A-Za-z_?][A-Za-z0-9_-]*|\?)\s*(?P<arg>.*)$", re.DOTALL)
_WORD_COMMANDS = {"quit": "quit", "exit": "quit", "help": "help", "?": "help"}


@dataclass(frozen=True)
class Word:
    """A bare command word (``clear``, ``hint``, ``next``) typed without the colon."""

    word: str


@dataclass(frozen=True)
class Command:
    """``:name arg`` — a special command from the registry."""

    name: str
    arg: str = ""


@dataclass(frozen=True)
class Derivative:
    """``d/dx EXPR`` and friends; ``wrt`` None means "the only variable"."""

    text: str
    wrt: str | None = None
    order: int = 1
    partial: bool = False


@dataclass(frozen=True)
class Prime:
    """``f'(x)``, ``f''(2)``, ``y'``: derivative of a defined name."""

    name: str
    order: int
    arg: str | None = None


@dataclass(frozen=True)
class Definition:
    """``f(x) = ...`` or ``y = ...``; parsed later with the learner's names."""

    text: str
    name: str


@dataclass(frozen=True)
class Expression:
    text: str


@dataclass(frozen=True)
class Malformed:
    """A line that looks like one of the forms but is not quite right."""

    message: str
    hint: str | None = None


Intent = Command | Word | Derivative | Prime | Definition | Expression | Malformed


def superscript_to_int(text: str) -> int:
    return int("".join(_SUPERSCRIPT_DIGITS[c] for c in text))


def join_continued_lines(text: str) -> str:
    """Newlines inside brackets become spaces, so an expression may span lines; a
    newline at depth 0 stays (it separates statements)."""
    out, depth = [], 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        if ch == "\n" and depth > 0:
            ch = " "
        out.append(ch)
    return "".join(out)


def split_statements(text: str) -> list[str]:
    """``y = 2x; z = y^2`` (or the same on two lines) → one string per statement.

    A ``:command`` line is never split (``:graph y = 2x; z = y^2`` is one command).
    """
    text = join_continued_lines(text)
    if text.lstrip().startswith(":"):
        return [text.strip()]
    return split(text, ";\n")


def brackets_balanced(text: str) -> bool:
    """True unless an opening bracket is still waiting for its partner (Enter then
    inserts a newline instead of submitting). Extra closers count as balanced: the parser
    will point at them."""
    depth = 0
    for ch in text:
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
    return depth == 0


def top_level_equals(text: str) -> int:
    """Index of the first ``=`` outside brackets, or -1."""
    depth = 0
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif ch == "=" and depth == 0:
            return i
    return -1


def classify(line: str) -> Intent:
    """The intent of one statement (already split with :func:`split_statements`)."""
    text = line.strip()
    match = _COMMAND.match(text)
    if match:
        name = match.group("name").lower()
        return Command("help" if name == "?" else name, match.group("arg").strip())
    if text.lower() in _WORD_COMMANDS:
        return Command(_WORD_COMMANDS[text.lower()])
    if len(text) > 1 and command_word(text):  # "clear", "next", "hint": never c·l·e·a·r
        return Word(text.lower())

    derivative = _derivative(text)
    if derivative is not None:
        return derivative

    match = _PRIME.match(text)
    if match:
        primes = match.group("primes")
        order = 2 if primes == "″" else len(primes)
        return Prime(match.group("name"), order, match.group("arg"))

    match = _DIFF.match(text)
    if match:
        return Derivative(match.group("rest").strip())

    eq = top_level_equals(text)
    if eq >= 0:
        head = text[:eq].strip()
        name = head.split("(", 1)[0].strip()
        return Definition(text, name)
    return Expression(text)


def _derivative(text: str) -> Intent | None:
    match = _DERIVATIVE.match(text)
    if match is None:
        if _LOOKS_LIKE_DERIVATIVE.match(text):
            return Malformed("cannot read this derivative",
                             "write d/dx EXPR, d²/dx² EXPR (or d^2/dx^2 EXPR) or ∂/∂y EXPR")
        return None
    top = _order(match.group("top"), match.group("topsup"))
    bottom = _order(match.group("bot"), match.group("botsup"))
    if top != bottom and (match.group("top") or match.group("topsup")) and (
            match.group("bot") or match.group("botsup")):
        return Malformed(f"the orders do not match: d^{top} on top but dx^{bottom} below",
                         "write d²/dx² f for the second derivative")
    order = max(top, bottom)
    var = match.group("var")
    var = _GREEK_CHARS.get(var, var)
    rest = match.group("rest").strip()
    mixed = re.match(r"^[d∂]\s*(" + _VAR + r")(?![A-Za-z0-9_(])", rest)
    if mixed and (order > 1 or rest[0] == "∂"):
        other = _GREEK_CHARS.get(mixed.group(1), mixed.group(1))
        return Malformed("mixed partial derivatives are taken one variable at a time",
                         f"type ∂/∂{other} EXPR, then ∂/∂{var} ans (ans is the last result)")
    if not rest:
        return Malformed(f"d/d{var} needs an expression after it", f"for example d/d{var} {var}^2")
    return Derivative(rest, var, order, partial=match.group("d") == "∂")


def _order(digits: str | None, sup: str | None) -> int:
    if digits:
        return int(digits)
    if sup:
        return superscript_to_int(sup)
    return 1


_OPTION = re.compile(r"(?:^|\s)--([a-z][a-z-]*)(?=\s|$)")


def split_options(arg: str, flags: frozenset[str] = frozenset()) -> tuple[str, dict[str, str | bool]]:
    """``sin x --at 0 --order 5 --hessian`` → ("sin x", {"at": "0", "order": "5",
    "hessian": True}): the same option names as the Typer command. ``flags`` are the
    options that take no value."""
    matches = list(_OPTION.finditer(arg))
    if not matches:
        return arg.strip(), {}
    expr = arg[: matches[0].start()].strip()
    options: dict[str, str | bool] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(arg)
        name = match.group(1)
        value = arg[match.end():end].strip()
        if name in flags:
            options[name] = True
            if value:  # a flag followed by text: that text belongs to nobody
                options[f"{name}!"] = value
        else:
            options[name] = value
    return expr, options
