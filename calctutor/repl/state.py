"""The learner's session: their names (``y = ...``, ``f(x) = ...``), ``ans``, and settings.

Definitions keep other names as symbols (``z = y^2`` mentions ``y``), like a program, so
a computational graph can show them as named nodes; :meth:`ReplState.inline` substitutes
them away when an expression is handed to a command. A command is always given *text*
in our input syntax (the same text the Typer CLI would get): when the learner's line uses
none of their names it is passed through unchanged, so steps show what they typed.

Importing this module does not import SymPy (the completer and toolbar read the state
at start-up); the methods that parse import it on first use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from calctutor.errors import CalcError

MODES = ("brief", "full")
FORMATS = ("rich", "plain", "latex", "json")
RESERVED = frozenset({"ans"})


@dataclass
class Binding:
    """One learner definition: ``name(params) = expr``; ``params`` is () for a variable."""

    name: str
    params: tuple[str, ...]
    expr: Any  # sympy.Expr; the learner's other names stay symbols
    source: str  # the text after '=' as typed

    @property
    def is_function(self) -> bool:
        return bool(self.params)

    def signature(self) -> str:
        return f"{self.name}({', '.join(self.params)})" if self.params else self.name


@dataclass
class ReplState:
    bindings: dict[str, Binding] = field(default_factory=dict)
    ans: Any = None  # sympy.Expr of the last result, or None
    mode: str = "full"
    point: str | None = None  # ``:at x=2`` as typed, passed to commands as ``at=``
    format: str = "rich"
    last: Any = None  # the last Show reply, for :latex
    shapes: dict[str, str] = field(default_factory=dict)  # :shape x=n -> {"x": "x=n"}

    # ── names ─────────────────────────────────────────────────────────────────────
    def variable_names(self) -> list[str]:
        return [b.name for b in self.bindings.values() if not b.is_function]

    def function_names(self) -> list[str]:
        return [b.name for b in self.bindings.values() if b.is_function]

    def names(self) -> list[str]:
        """Every name the learner can type (for completion and the parser)."""
        out = list(self.bindings)
        if self.ans is not None:
            out.append("ans")
        return out

    def _parser_names(self) -> list[str]:
        names = self.variable_names()
        if self.ans is not None:
            names.append("ans")
        return names

    def _functions(self) -> dict[str, tuple[tuple[str, ...], Any]]:
        return {b.name: (b.params, b.expr) for b in self.bindings.values() if b.is_function}

    # ── parsing with the learner's names ─────────────────────────────────────────────
    def parse(self, text: str, evaluate: bool = True):
        """Parse with the learner's variable and function names known (names not inlined)."""
        from calctutor.parsing import parse

        return parse(text, evaluate=evaluate, names=self._parser_names(),
                     functions=self._functions())

    def references(self, text: str) -> set[str]:
        """Which of the learner's names (and ``ans``) the text uses. Raises ParseError."""
        from calctutor.parsing.lexer import Lexer

        if not self.bindings and self.ans is None:
            return set()
        mine = set(self.names())
        tokens = Lexer(text, self._parser_names(), self._functions()).tokens()
        return {t.value for t in tokens if t.kind in ("VAR", "FUNC") and t.value in mine}

    def substitutions(self) -> dict:
        from calctutor.parsing.builder import symbol

        subs = {symbol(b.name): b.expr for b in self.bindings.values() if not b.is_function}
        if self.ans is not None:
            subs[symbol("ans")] = self.ans
        return subs

    def inline(self, expr):
        """Substitute the learner's variables (and ``ans``) until none is left."""
        subs = self.substitutions()
        for _ in range(len(subs) + 1):
            if not (expr.free_symbols & subs.keys()):
                return expr
            expr = expr.xreplace(subs)
        raise CalcError("these definitions refer to each other in a circle")

    def expand(self, text: str) -> str:
        """The text a command should get: unchanged when it uses none of the learner's
        names, else the inlined expression in our input syntax (which parses back)."""
        if not self.references(text):
            return text
        from calctutor.parsing import to_input

        return to_input(self.inline(self.parse(text)))

    # ── definitions ──────────────────────────────────────────────────────────────────
    def define(self, text: str) -> Binding:
        """``y = ...`` or ``f(x, y) = ...``; raises ParseError/CalcError on bad input."""
        from calctutor.parsing import parse_statement
        from calctutor.parsing.builder import symbol

        stmt = parse_statement(text, names=self._parser_names(), functions=self._functions())
        if not hasattr(stmt, "params"):
            raise CalcError("this is not a definition")
        name = stmt.name
        if name in RESERVED:
            raise CalcError(f"'{name}' is the last result; it cannot be defined",
                            hint="pick another name, e.g. y = ...")
        expr = stmt.expr
        me = symbol(name)
        if not stmt.params and me in expr.free_symbols:
            old = self.bindings.get(name)
            if old is None or old.is_function:
                raise CalcError(f"'{name}' is defined in terms of itself")
            expr = expr.xreplace({me: old.expr})  # y = y + 1 uses the old y
        binding = Binding(name, tuple(stmt.params), expr, stmt.source or text.split("=", 1)[1].strip())
        previous = self.bindings.pop(name, None)
        self.bindings[name] = binding
        try:
            self.inline(binding.expr)  # refuse circles (y = z after z = y^2)
        except CalcError:
            del self.bindings[name]
            if previous is not None:
                self.bindings[name] = previous
            raise CalcError(f"'{name}' would be defined in terms of itself "
                            "(through another name)") from None
        return binding

    def forget(self, name: str) -> bool:
        return self.bindings.pop(name, None) is not None

    # ── programs for the graph ───────────────────────────────────────────────────────
    def program_text(self, text: str) -> str:
        """``y = 2x^3 + 3`` and ``z = y^2`` defined, ``z`` typed → ``y = 2x^3 + 3; z = y^2``:
        the learner's names become the graph's named intermediates."""
        from calctutor.parsing import to_input
        used = self.references(text)
        if not used:
            return text
        order: list[str] = []
        values = {b.name: b for b in self.bindings.values() if not b.is_function}

        def visit(name: str) -> None:
            if name in order:
                return
            if name == "ans":
                deps = {s.name for s in self.ans.free_symbols} & set(values)
            else:
                deps = {s.name for s in values[name].expr.free_symbols} & (set(values) | {"ans"})
            for dep in sorted(deps):
                visit(dep)
            order.append(name)

        for name in sorted(used):
            if name in values or name == "ans":
                visit(name)
        lines = []
        for name in order:
            expr = self.ans if name == "ans" else values[name].expr
            lines.append(f"{name} = {to_input(expr)}")
        stripped = text.strip()
        if stripped in values or stripped == "ans":
            return "; ".join(lines)
        if used & set(self.function_names()):
            stripped = to_input(self.parse(text, evaluate=False))  # functions inlined
        return "; ".join(lines + [stripped])


@dataclass
class Context:
    """What a command handler gets: the learner's state, the command registry, the
    transcript (for ``:save``) and a flag to leave the loop."""

    state: ReplState = field(default_factory=ReplState)
    registry: Any = None  # calctutor.repl.registry.Registry
    transcript: Any = None  # calctutor.repl.transcript.Transcript
    quit: bool = False
    #: builds the input/output an interactive sub-session (a lesson) should use
    make_io: Any = None
    #: warnings to show once before the next prompt (a broken history file, ...)
    notices: list[str] = field(default_factory=list)
