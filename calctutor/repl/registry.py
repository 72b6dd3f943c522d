"""The REPL's special commands (``:help``, ``:at``, ``:graph`` ...), registered with a decorator.

A command is a small function ``handler(ctx, arg)`` returning what to show (see
:mod:`calctutor.repl.replies`). Registering one is all it takes for it to appear in
``:help``, in Tab completion and in the dispatcher — there is no if-chain to extend::

    @command("check", help="grade your derivative of a function",
             usage=":check FUNCTION ; ANSWER", examples=(":check x^2 ; 2x",))
    def check(ctx, arg):
        from calctutor.commands.check import run_check
        from calctutor.render import check as view
        return show(run_check(...), view)

Importing this module is cheap (no SymPy): the completer reads the names at start-up.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[[Any, str], Any]


@dataclass(frozen=True)
class Entry:
    """One special command."""

    name: str
    handler: Handler
    help: str
    usage: str = ""
    examples: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    #: words offered by Tab after ``:name `` (given the session context)
    complete: Callable[[Any], Iterable[str]] | None = None
    #: "main" commands first in :help, then "session" ones
    group: str = "main"

    @property
    def spelling(self) -> str:
        return ":" + self.name


@dataclass
class Registry:
    """Name → :class:`Entry`, aliases included; the order of registration is kept."""

    entries: dict[str, Entry] = field(default_factory=dict)
    _aliases: dict[str, str] = field(default_factory=dict)

    def add(self, entry: Entry) -> Entry:
        for name in (entry.name, *entry.aliases):
            if name in self.entries or name in self._aliases:
                raise ValueError(f"command :{name} is registered twice")
        self.entries[entry.name] = entry
        for alias in entry.aliases:
            self._aliases[alias] = entry.name
        return entry

    def command(self, name: str, *, help: str, usage: str = "",  # noqa: A002
                examples: Iterable[str] = (), aliases: Iterable[str] = (),
                complete: Callable[[Any], Iterable[str]] | None = None,
                group: str = "main") -> Callable[[Handler], Handler]:
        """Decorator: register ``handler`` as ``:name``."""

        def register(handler: Handler) -> Handler:
            self.add(Entry(name, handler, help, usage or f":{name}", tuple(examples),
                           tuple(aliases), complete, group))
            return handler

        return register

    def lookup(self, name: str) -> Entry | None:
        name = name.lower()
        name = self._aliases.get(name, name)
        return self.entries.get(name)

    def names(self) -> list[str]:
        """Every spelling, aliases included, in registration order."""
        out = []
        for entry in self.entries.values():
            out.append(entry.name)
            out.extend(entry.aliases)
        return out

    def __iter__(self):
        return iter(self.entries.values())

    def __contains__(self, name: str) -> bool:
        return self.lookup(name) is not None


#: The registry the REPL uses; :mod:`calctutor.repl.handlers` fills it.
REGISTRY = Registry()
command = REGISTRY.command
