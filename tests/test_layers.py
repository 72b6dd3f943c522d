"""The layers import only downward (docs/architecture.md), read from the source with ast.

Every module of ``calctutor`` belongs to a unit (its top-level module or package), and
every unit to a layer below. A module may import its own unit, any unit of a lower
layer, and other units of its own layer as long as those same-layer imports form no
circle. Imports inside functions count as much as module-level ones: a lazy import is
still an arrow.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import calctutor

PACKAGE = Path(calctutor.__file__).resolve().parent

#: Highest first. A new top-level module or package must be placed here.
LAYERS: dict[str, tuple[str, ...]] = {
    "shells": ("__main__", "entry", "cli", "repl", "tutor", "jupyter", "api", "termio"),
    "render": ("render",),
    "commands": ("commands",),
    "engines": ("steps", "graph", "grading", "matrix", "lessons", "plotting", "progress",
                "descent", "stability"),
    "table": ("rules", "numeric", "pointvalue", "pointeval", "evaluate"),
    "parsing": ("parsing", "points", "mathfuncs"),
    "ground": ("primitives", "errors", "limits", "timeouts", "watchdog", "paths", "files",
               "textsplit", "interface", "__init__", "formatting", "numbers", "numfmt", "settings",
               "asciitext"),
}
#: The one arrow allowed to point up, and why. The parser builds ``sigmoid(x)`` and the
#: other functions SymPy lacks (``mathfuncs``), and their ``fdiff`` reads the row's
#: formula from the table when SymPy differentiates, so ``sympy.diff`` agrees with the
#: table by construction. That lookup happens at differentiation time, never on import.
#: And ``%load_ext calctutor``: IPython looks the extension hook up on the top-level
#: package, which forwards to the notebook shell lazily (inside the hook, never on import).
ALLOWED_UPWARD = {("mathfuncs", "rules"), ("__init__", "jupyter")}

RANK = {unit: rank for rank, units in enumerate(reversed(LAYERS.values())) for unit in units}
NAME = {unit: layer for layer, units in LAYERS.items() for unit in units}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def imports_of(path: Path) -> list[tuple[str, int]]:
    """(imported calctutor module, line) for every import in the file, nested ones too."""
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "calctutor":  # from calctutor import numeric: the names are units
                found += [(f"calctutor.{alias.name}", node.lineno) for alias in node.names]
            else:
                found.append((target, node.lineno))
    return [(name, line) for name, line in found
            if name == "calctutor" or name.startswith("calctutor.")]


def arrows() -> list[tuple[str, str, str, int]]:
    """(importing unit, imported unit, file, line) across units."""
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        here = _unit(_module_name(path))
        for target, line in imports_of(path):
            there = _unit(target)
            if there != here:
                out.append((here, there, str(path.relative_to(PACKAGE.parent)), line))
    return out


def test_every_unit_has_a_layer() -> None:
    units = {_unit(_module_name(p)) for p in PACKAGE.rglob("*.py")}
    missing = sorted(units - set(RANK))
    assert not missing, f"place these in LAYERS (tests/test_layers.py): {missing}"


def test_no_module_imports_a_layer_above_it() -> None:
    upward = [f"{where}:{line}: {here} ({NAME[here]}) imports {there} ({NAME[there]})"
              for here, there, where, line in arrows()
              if here in RANK and there in RANK and RANK[there] > RANK[here]
              and (here, there) not in ALLOWED_UPWARD]
    assert not upward, "imports pointing up:\n" + "\n".join(upward)


def test_the_allowed_upward_arrow_is_only_a_lazy_one() -> None:
    # mathfuncs must not import the table at module level (that would be a real circle)
    tree = ast.parse((PACKAGE / "mathfuncs.py").read_text(encoding="utf-8"))
    top = [n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    assert not [n for n in top if isinstance(n, ast.ImportFrom) and (n.module or "").startswith(
        "calctutor.rules")]


def test_no_circles_between_units_of_one_layer() -> None:
    edges: dict[str, set[str]] = {}
    for here, there, _, _ in arrows():
        if RANK.get(here) == RANK.get(there):
            edges.setdefault(here, set()).add(there)

    def cycle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    return path + [start]
                if nxt not in path:
                    stack.append((nxt, path + [nxt]))
        return None

    circles = [c for unit in sorted(edges) if (c := cycle_from(unit))]
    assert not circles, "circles: " + "; ".join(" → ".join(c) for c in circles)


@pytest.mark.parametrize("source, expected", [
    ("from calctutor.commands.check import run_check\n", ["calctutor.commands.check"]),
    ("def f():\n    from calctutor.render import lesson\n", ["calctutor.render"]),
    ("import calctutor.cli.output as out\n", ["calctutor.cli.output"]),
    ("from calctutor import numeric, render\n", ["calctutor.numeric", "calctutor.render"]),
    ("from ..render import check\n", ["calctutor.render"]),
])
def test_the_reader_sees_every_kind_of_import(tmp_path, source, expected, monkeypatch) -> None:
    # the reader itself must not miss an arrow: a lazy import inside a function included
    folder = tmp_path / "calctutor" / "grading"
    folder.mkdir(parents=True)
    path = folder / "probe.py"
    path.write_text(source)
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "calctutor")
    assert [name for name, _ in imports_of(path)] == expected
