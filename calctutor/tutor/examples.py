"""Worked examples run live: a lesson names a command and its input, and this module
runs it through the command's declaration (:mod:`calctutor.interface`) — the same run
function and renderer the CLI and the REPL use.

Nothing is pasted into the lesson files: change the step engine and the lessons show the
new steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from calctutor import interface
from calctutor.lessons.schema import Example, option_text


@dataclass(frozen=True)
class ExampleRun:
    example: Example
    result: Any
    view: ModuleType


def run_example(example: Example) -> ExampleRun:
    """Run the example's command (raises CalcError if the command cannot run it)."""
    spec = interface.command(example.command)
    options = dict(example.options)
    arguments = [example.expr]
    if example.command == "check":
        arguments.append(str(options.pop("answer", "")))
    keywords = spec.read({key: option_text(value) for key, value in options.items()})
    return ExampleRun(example, spec.resolve()(*arguments, **keywords), spec.renderer())
