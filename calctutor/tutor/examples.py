"""Worked examples run live: a lesson names a command and its input, and this module
calls ``calctutor.commands.<command>.run_<command>`` and picks ``calctutor.render.<command>``.

Nothing is pasted into the lesson files: change the step engine and the lessons show the
new steps. Options in a lesson file use the CLI's names (``at``, ``wrt``, ``eval``,
``range``, …); :data:`ALIASES` maps them onto the run function's parameter names.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from calctutor.errors import CalcError
from calctutor.lessons.schema import Example

#: lesson option name -> run_<command> parameter name, where they differ
ALIASES = {
    "eval": "eval_points",
    "range": "plot_range",
    "dir": "direction",
    "monte_carlo": "samples",
    "from": "lower",
    "to": "upper",
}


@dataclass(frozen=True)
class ExampleRun:
    example: Example
    result: Any
    view: ModuleType


def _value(value: Any) -> Any:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return value


def call_arguments(example: Example, function) -> dict[str, Any]:
    """The keyword arguments for ``run_<command>``; CalcError for an option it lacks."""
    params = inspect.signature(function).parameters
    kwargs: dict[str, Any] = {}
    for key, value in example.options.items():
        name = key if key in params else ALIASES.get(key, key)
        if name not in params:
            raise CalcError(f"the {example.command} command has no option {key!r}")
        kwargs[name] = _value(value)
    return kwargs


def run_example(example: Example) -> ExampleRun:
    """Run the example's command (raises CalcError if the command cannot run it)."""
    try:
        module = importlib.import_module(f"calctutor.commands.{example.command}")
        view = importlib.import_module(f"calctutor.render.{example.command}")
    except ImportError as exc:
        raise CalcError(f"calctutor {example.command} cannot run here ({exc})") from None
    function = getattr(module, f"run_{example.command}")
    if example.command == "check":
        options = dict(example.options)
        answer = str(options.pop("answer", ""))
        trimmed = Example(example.command, example.expr, options, example.caption)
        return ExampleRun(example, function(example.expr, answer, **call_arguments(trimmed, function)), view)
    return ExampleRun(example, function(example.expr, **call_arguments(example, function)), view)
