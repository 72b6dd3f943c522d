"""Matrix calculus commands: ``grad --shape`` (gradient or Jacobian with steps, always
verified numerically), ``check --shape`` (grade a matrix answer) and ``graph --shape``
(backpropagation with shapes)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from calctutor.errors import CalcError
from calctutor.matrix import nodes as N
from calctutor.matrix.components import Component, expand
from calctutor.matrix.derive import Step, derivative
from calctutor.matrix.graph import MatrixGraph, build_graph
from calctutor.matrix.grade import MatrixVerdict, grade_matrix
from calctutor.matrix.numeric import Check, verify
from calctutor.matrix.parser import parse_matrix
from calctutor.matrix.shapes import Decl, parse_shapes
from calctutor.matrix.witness import autodiff_check

DRAWS = 5


@dataclass(frozen=True, slots=True)
class MatGradResult:
    input: str
    function: N.Node
    wrt: str
    decls: dict[str, Decl]
    kind: str  # "gradient" or "jacobian"
    result: N.Node
    rule: str
    identity: str
    steps: tuple[Step, ...]
    notes: tuple[str, ...]
    check: Check
    components: tuple[Component, ...] | None = None


def _decls(shapes: Iterable[str] | str, symmetric: Iterable[str] | str = ()) -> dict[str, Decl]:
    """The declarations; a single string may hold several (``"x=n,A=nxn"``)."""
    shapes = [shapes] if isinstance(shapes, str) else list(shapes)
    symmetric = [symmetric] if isinstance(symmetric, str) else list(symmetric or ())
    decls = parse_shapes(shapes, symmetric)
    if not decls:
        raise CalcError("declare at least one shape, e.g. --shape x=3 or --shape A=nxn")
    return decls


def _choose_wrt(function: N.Node, wrt: str | None, decls) -> str:
    names = sorted(N.variables(function))
    if wrt:
        w = wrt.strip()
        if "," in w:
            raise CalcError("with --shape, differentiate with respect to one variable at a "
                            "time (--wrt x)")
        if w not in decls:
            raise CalcError(f"--wrt {w}: {w} has no shape; declare it with --shape {w}=...")
        return w
    if len(names) == 1:
        return names[0]
    raise CalcError(f"the expression has several variables ({', '.join(names)}); say which "
                    "one with --wrt")


def run_matgrad(text: str, *, wrt: str | None = None, shapes: Iterable[str] = (),
                symmetric: Iterable[str] = (), expand_components: bool = False,
                seed: int = 0) -> MatGradResult:
    decls = _decls(shapes, symmetric)
    function = parse_matrix(text, decls)
    v = _choose_wrt(function, wrt, decls)
    sym = frozenset(k for k, d in decls.items() if d.symmetric)
    prob = frozenset(k for k, d in decls.items() if d.prob)
    d = derivative(function, v, decls[v].shape, sym, prob)
    check = verify(function, d.result, v, decls, draws=DRAWS, seed=seed)
    done, error = autodiff_check(function, d.result, v, decls, seed=seed)
    check = dataclasses.replace(check, autodiff_draws=done, autodiff_error=error)
    components = None
    if expand_components:
        components = tuple(expand(function, d.result, v, decls, d.kind))
    return MatGradResult(text, function, v, decls, d.kind, d.result, d.rule, d.identity,
                         d.steps, d.notes, check, components)


def run_matcheck(function_text: str, answer_text: str, *, wrt: str | None = None,
                 shapes: Iterable[str] = (), symmetric: Iterable[str] = ()) -> MatrixVerdict:
    decls = _decls(shapes, symmetric)
    function = parse_matrix(function_text, decls)
    v = _choose_wrt(function, wrt, decls)
    return grade_matrix(function_text, answer_text, v, decls)


def run_matgraph(program: str, *, shapes: Iterable[str] = (), symmetric: Iterable[str] = (),
                 seed: int = 0) -> MatrixGraph:
    decls = _decls(shapes, symmetric)
    return build_graph(program, decls, seed=seed)
