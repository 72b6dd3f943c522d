"""Each command's declaration (calctutor.interface) against the shells built on it: the
Typer signature option by option, the run function's keywords, the REPL's usage lines."""

from __future__ import annotations

import inspect
import types
import typing
from pathlib import Path

import pytest
import typer.main
from typer.core import TyperArgument, TyperOption

from calctutor import interface
from calctutor.cli import app
from calctutor.errors import CalcError
from calctutor.repl.registry import REGISTRY

CLICK = typer.main.get_command(app)
CLI_COMMANDS = [c for c in interface.COMMANDS.values() if c.cli]
KIND_OF_TYPE = {int: "int", float: "float", str: "text", Path: "path", bool: "flag"}


def _typer_options(name: str) -> dict[str, TyperOption]:
    command = CLICK.commands[name]
    return {next(o for o in p.opts if o.startswith("--"))[2:]: p
            for p in command.params if isinstance(p, TyperOption)}


def _kind(param: TyperOption) -> str:
    annotation = param.type_descriptor.annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return KIND_OF_TYPE.get(annotation, repr(annotation))


def test_every_typer_command_is_declared() -> None:
    assert set(CLICK.commands) - {"repl", "progress"} == {c.name for c in CLI_COMMANDS}


@pytest.mark.parametrize("spec", CLI_COMMANDS, ids=lambda c: c.name)
def test_declaration_matches_the_typer_signature(spec: interface.Command) -> None:
    typer_options = _typer_options(spec.name)
    declared = {o.name: o for o in spec.options}
    assert set(typer_options) == set(declared), (
        f"{spec.name}: only in Typer {sorted(set(typer_options) - set(declared))}, "
        f"only declared {sorted(set(declared) - set(typer_options))}")
    for name, option in declared.items():
        param = typer_options[name]
        assert param.is_flag == (option.kind == "flag"), (spec.name, name)
        assert _kind(param) == option.kind, (spec.name, name, _kind(param), option.kind)
        if not param.required:
            assert param.default == option.default, (spec.name, name, param.default)
        if option.short:
            assert option.short in param.opts, (spec.name, name, param.opts)
    arguments = [p for p in CLICK.commands[spec.name].params if isinstance(p, TyperArgument)]
    assert len(arguments) == len(spec.arguments), spec.name


@pytest.mark.parametrize("spec", list(interface.COMMANDS.values()), ids=lambda c: c.name)
def test_the_run_function_takes_every_teaching_option(spec: interface.Command) -> None:
    parameters = inspect.signature(spec.resolve()).parameters
    missing = [o.keyword for o in spec.teaching_options if o.keyword not in parameters]
    assert not missing, f"run function of {spec.name} lacks {missing}"
    assert spec.renderer().__name__ == spec.view


@pytest.mark.parametrize("name", ["grad", "graph", "backprop", "taylor", "plot", "limit",
                                  "integrate", "lesson"])
def test_repl_usage_comes_from_the_declaration(name: str) -> None:
    import calctutor.repl.handlers  # noqa: F401 - fills the registry

    assert REGISTRY.lookup(name).usage == interface.command(name).usage()


def test_reading_options() -> None:
    grad = interface.command("grad")
    assert grad.read({"dir": "1,0", "hessian": True}) == {"direction": "1,0", "hessian": True}
    assert interface.command("integrate").read({"from": "0", "monte-carlo": "10"}) == {
        "lower": "0", "samples": 10}
    assert interface.command("taylor").read({"order": "3"}) == {"order": 3}
    with pytest.raises(CalcError, match="unknown option --bogus"):
        grad.read({"bogus": "1"})
    with pytest.raises(CalcError, match="takes no value"):
        grad.read({"hessian!": "x"})
    with pytest.raises(CalcError, match="whole number"):
        interface.command("taylor").read({"order": "two"})
    with pytest.raises(CalcError, match="command line only"):
        grad.read({"json": True})
    assert grad.usage() == ":grad EXPR [--wrt X,Y] [--at P] [--hessian] [--dir D] [--steps]"
