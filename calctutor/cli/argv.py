"""A leading minus is an expression: ``calctutor diff "-x^2"``.

Click (under Typer) reads every argument that begins with ``-`` as an option, so
``calctutor check "cos x" "-sin x"`` would fail with "no such option: -s". CLI.md's rule
is that an argument which begins with ``-`` but is none of the command's options (and is
not the value of an option that takes one) is an expression. :func:`protect` applies that
rule once, for every command, before Click parses anything: it reads each command's
options from the Click command object itself, and moves the positional arguments behind
a ``--`` (which Click already understands) when one of them begins with ``-``. Option
values stay where they are, so ``taylor "-x^3" --at -1`` keeps ``-1`` as the value of
``--at``.

Two spellings are still left to Click on purpose:

- ``--word`` (two dashes and an option-shaped name, such as ``--jsno``) is a mistyped
  option, not a formula: Click answers "No such option: --jsno (did you mean --json?)".
- ``-n2`` where ``-n`` is a short option taking a value: Click's attached value, ``-n 2``.

:class:`ExpressionArgvGroup` is the Typer group class that applies the rule; it is
installed on the app in :mod:`calctutor.cli`. This module imports nothing heavy (no
SymPy, NumPy or even Click) so ``--help`` and ``--version`` stay fast.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from typer.core import TyperGroup

__all__ = ["ExpressionArgvGroup", "protect"]

_OPTION_SHAPED = re.compile(r"--[A-Za-z][A-Za-z0-9_-]*(=.*)?", re.DOTALL)
_DEFAULT_HELP = ("--help",)


class _Options:
    """The option spellings of one command: which take a value, which do not."""

    def __init__(self, command, help_names: Sequence[str]) -> None:
        self.valued: set[str] = set()
        self.flags: set[str] = set(help_names)
        for param in getattr(command, "params", ()):
            if getattr(param, "param_type_name", "") != "option":
                continue
            names = list(getattr(param, "opts", ())) + list(getattr(param, "secondary_opts", ()))
            takes_value = not (getattr(param, "is_flag", False) or getattr(param, "count", False))
            (self.valued if takes_value else self.flags).update(names)
            # a boolean pair --plot/--no-plot: the secondary spellings never take a value
            self.flags.update(getattr(param, "secondary_opts", ()))

    def kind(self, token: str) -> str:
        """'valued', 'flag', 'attached' (a value glued on), or '' (not an option)."""
        name, eq, _ = token.partition("=")
        if token.startswith("--"):
            if name in self.valued:
                return "attached" if eq else "valued"
            if name in self.flags and not eq:
                return "flag"
            return ""
        if token in self.valued:
            return "valued"
        if token in self.flags:
            return "flag"
        short = token[:2]
        if short in self.valued and token[2:].isdigit():
            return "attached"  # -n2 is -n 2
        return ""


def _help_names(command) -> tuple[str, ...]:
    settings = getattr(command, "context_settings", None) or {}
    return tuple(settings.get("help_option_names", _DEFAULT_HELP))


def protect(command, args: Sequence[str], help_names: Sequence[str] | None = None) -> list[str]:
    """``args`` with every expression that begins with ``-`` moved safely behind ``--``.

    ``command`` is the Click command or group that will parse ``args``. For a group, the
    group's own options are skipped and the rule is applied to the subcommand's
    arguments (recursively, for nested groups). An unknown subcommand is left alone for
    Click to report.
    """
    args = list(args)
    names = tuple(help_names) if help_names is not None else _help_names(command)
    options = _Options(command, names)
    subcommands = getattr(command, "commands", None)
    if subcommands is not None:
        i = 0
        while i < len(args):
            token = args[i]
            if token == "--":
                return args
            kind = options.kind(token) if token.startswith("-") and token != "-" else ""
            if kind == "valued":
                i += 2
                continue
            if kind:
                i += 1
                continue
            sub = subcommands.get(token)
            if sub is None:
                return args
            inherited = names + tuple(n for n in _help_names(sub) if n not in names)
            return args[: i + 1] + protect(sub, args[i + 1 :], inherited)
        return args

    kept: list[str] = []  # options and their values, in order
    positional: list[str] = []
    moved = False
    i = 0
    while i < len(args):
        token = args[i]
        if token == "--":
            positional.extend(args[i + 1 :])
            moved = moved or bool(args[i + 1 :])
            break
        if token.startswith("-") and token != "-":
            kind = options.kind(token)
            if kind == "valued":
                kept.extend(args[i : i + 2])  # the value is the option's, whatever it is
                i += 2
                continue
            if kind or _OPTION_SHAPED.fullmatch(token):
                kept.append(token)  # a known option, or a mistyped one for Click to name
                i += 1
                continue
            moved = True  # an expression such as -x^2 or -sin x
        positional.append(token)
        i += 1
    if not moved:
        return args
    return kept + ["--"] + positional


class ExpressionArgvGroup(TyperGroup):
    """The app's group: applies :func:`protect` before Click parses the command line."""

    def main(self, args: Sequence[str] | None = None, *posargs, **kwargs):
        if args is None:
            import sys

            args = sys.argv[1:]
        return super().main(protect(self, list(args)), *posargs, **kwargs)
