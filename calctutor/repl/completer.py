"""Tab completion: special commands after ``:``, their arguments, the learner's names,
functions and constants. :func:`candidates` is a pure function (tested directly);
:class:`ReplCompleter` adapts it to prompt_toolkit."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from prompt_toolkit.completion import Completer, Completion, PathCompleter
from prompt_toolkit.document import Document

from calctutor.primitives import FUNCTION_NAMES, lookup
from calctutor.repl.lexer import CONSTANTS

_WORD_BEFORE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*$")
_COMMAND_BEFORE = re.compile(r"^\s*:([A-Za-z_-]*)$")
_COMMAND_ARG = re.compile(r"^\s*:([A-Za-z_-]+)\s+(.*)$", re.DOTALL)
_WORDS = {"diff": "derivative of a name or expression: diff f", "ans": "the last result"}


@dataclass(frozen=True)
class Candidate:
    text: str  # what is inserted
    start: int  # negative offset from the cursor where the replaced text begins
    meta: str = ""
    display: str | None = None


def candidates(before_cursor: str, ctx) -> list[Candidate]:
    """Completions for the text left of the cursor, given the session context."""
    registry, state = ctx.registry, ctx.state
    match = _COMMAND_BEFORE.match(before_cursor)
    if match and "\n" not in before_cursor:
        typed = match.group(1).lower()
        out = []
        for entry in registry:
            for name in (entry.name, *entry.aliases):
                if name.startswith(typed):
                    out.append(Candidate(":" + name, -len(typed) - 1, entry.help))
        return out

    match = _COMMAND_ARG.match(before_cursor)
    if match:
        entry = registry.lookup(match.group(1))
        if entry is not None and entry.complete is not None:
            arg = match.group(2)
            word = arg.rsplit(None, 1)[-1] if arg and not arg[-1].isspace() else ""
            return [Candidate(w, -len(word)) for w in entry.complete(ctx)
                    if w.startswith(word) and w != word]

    match = _WORD_BEFORE.search(before_cursor)
    if not match:
        return []
    word = match.group()
    start = -len(word)
    out: list[Candidate] = []
    seen: set[str] = set()

    def add(name: str, meta: str) -> None:
        if name.startswith(word) and name not in seen and name != word:
            seen.add(name)
            out.append(Candidate(name, start, meta))

    for binding in state.bindings.values():
        add(binding.name, f"yours: {binding.signature()} = {binding.source}"[:60])
    if state.ans is not None:
        add("ans", _WORDS["ans"])
    for name in sorted(FUNCTION_NAMES):
        if name.isascii():
            row = lookup(name)
            add(name, row.rule if row else "function")
    for name in sorted(c for c in CONSTANTS if c.isascii()):
        add(name, "constant")
    add("diff", _WORDS["diff"])
    return out


class ReplCompleter(Completer):
    """prompt_toolkit completer over :func:`candidates`; file names after ``:save``."""

    def __init__(self, ctx) -> None:
        self.ctx = ctx
        self._paths = PathCompleter(expanduser=True)

    def get_completions(self, document: Document, complete_event) -> Iterable[Completion]:
        before = document.text_before_cursor
        match = _COMMAND_ARG.match(before)
        if match and match.group(1).lower() in ("save", "w"):
            sub = Document(match.group(2), len(match.group(2)))
            yield from self._paths.get_completions(sub, complete_event)
            return
        for c in candidates(before, self.ctx):
            yield Completion(c.text, c.start, display=c.display, display_meta=c.meta)
