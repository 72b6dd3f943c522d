"""``calctutor diff``: a derivative with its step-by-step derivation."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.errors import CalcError
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.parsing.work import check_derivative_work
from calctutor.points import choose_variable
from calctutor.steps.program import Loaded, load
from calctutor.timeouts import time_limit

__all__ = ["DiffResult", "Loaded", "load", "choose_variable", "requested", "run_diff"]


def requested(loaded: Loaded, wrt: str | None, order: int) -> tuple[Loaded, str | None, int]:
    """``diff "d/dx x^2"``: a d/dx written around the whole input is the request itself;
    it sets the variable and the order (and must agree with --wrt and --order)."""
    from calctutor.parsing import to_input

    expr = loaded.expression
    if not isinstance(expr, sympy.Derivative):
        inner = next(iter(expr.atoms(sympy.Derivative)), None) if expr.has(sympy.Derivative) \
            else None
        if inner is not None:
            raise CalcError(
                f"{to_input(inner)} is only part of this expression: diff differentiates "
                "the whole input",
                hint=f"to differentiate everything write d/dx(...) around it, as in "
                     f"d/dx({to_input(inner.expr)} + ...), or leave out d/dx")
        return loaded, wrt, order
    if len(expr.variable_count) != 1:
        raise CalcError("diff takes one variable at a time; for mixed partial derivatives "
                        "use calctutor grad --hessian")
    var, count = expr.variable_count[0]
    if wrt is not None and wrt.strip() not in (var.name, {"theta": "θ"}.get(var.name)):
        raise CalcError(f"the input asks for d/d{var.name} but --wrt says {wrt.strip()}",
                        hint="give the variable once")
    if order not in (1, count):
        raise CalcError(f"the input asks for order {count} but --order says {order}",
                        hint="give the order once")
    structure = loaded.structure.expr if isinstance(loaded.structure, sympy.Derivative) \
        else expr.expr
    inner = Loaded(loaded.text, expr.expr, structure, loaded.names, loaded.output)
    return inner, var.name, int(count)


def natural_key(name: str):
    head = name.rstrip("0123456789")
    tail = name[len(head):]
    return (head, int(tail) if tail else -1)


def variables_of(expr: sympy.Expr) -> list[str]:
    return sorted((s.name for s in expr.free_symbols), key=natural_key)


@dataclass(frozen=True)
class DiffResult:
    input: str
    expression: sympy.Expr  # canonical form of the input
    structure: sympy.Expr  # as typed
    variable: str
    order: int
    derivative: sympy.Expr  # the final, teacher-style answer
    derivation: object  # calctutor.steps.Derivation, or None with --no-steps
    point: dict | None = None
    value: sympy.Expr | None = None  # the derivative's exact value at the point
    value_note: str | None = None  # why there is none, or a remark on the value
    at: object = None  # calctutor.pointvalue.PointValue: the whole verdict at the point
    notes: tuple[str, ...] = ()
    breakdowns: tuple = ()  # calctutor.steps.Breakdown, outermost chain first
    output_name: str = "z"
    sympy_size: int | None = None  # count_ops of sympy.diff's result (swell check)
    size: int | None = None

    @property
    def value_number(self) -> float | None:
        from calctutor.pointvalue import decimal

        return decimal(self.value) if self.value is not None else None

    @property
    def symbol(self) -> sympy.Symbol:
        return sympy.Symbol(self.variable, real=True)


def run_diff(text: str, wrt: str | None = None, order: int = 1, at=None,
             steps: bool = True) -> DiffResult:
    """d^order f / d wrt^order with its derivation; ``at`` is a point (``"x=1"``, ``"1"``
    or a dict of exact values) at which to evaluate the derivative."""
    from calctutor.parsing.builder import symbol
    from calctutor.points import parse_point
    from calctutor.steps import chain_breakdowns, derive, size
    from calctutor.steps.shape import free_names, pick_output_name

    if order < 0:
        raise CalcError("the order must be 0 or more")
    loaded, wrt, order = requested(load(text), wrt, order)
    check_derivative_work(loaded.expression, order)
    name = choose_variable(loaded.expression, wrt)
    x = symbol(name)
    notes: list[str] = []
    present = variables_of(loaded.expression)
    if wrt is None and len(present) > 1:
        others = ", ".join(n for n in present if n != name)
        notes.append(f"partial derivative with respect to {name}; {others} held fixed")
    elif name not in present:
        notes.append(f"the expression does not contain {name}, so it is a constant here")

    with time_limit(DEFAULT_TIMEOUT_SECONDS, "the derivative"):
        derivation = derive(loaded.structure, x, order, names=loaded.names)
        baseline = sympy.diff(loaded.expression, x, order) if order else loaded.expression
        result_size, sympy_size = size(derivation.result), size(baseline)

    point = value = value_note = verdict = None
    if at is not None:
        point = dict(at) if isinstance(at, dict) else parse_point(at, present or [name])
        allowed = set(present) | {name}
        unknown = sorted(set(point) - allowed)
        if unknown:
            raise CalcError(f"the point names {', '.join(unknown)}, which the expression "
                            f"does not use (its variables: {', '.join(present) or name})")
        missing = [n for n in variables_of(derivation.result) if n not in point]
        if missing:
            raise CalcError(f"the point needs a value for {', '.join(missing)} too",
                            hint=f"for example --at {','.join(f'{n}=1' for n in sorted(allowed, key=natural_key))}")
        from calctutor.pointvalue import at_point

        verdict = at_point(loaded.expression, point, name, order,
                           derivative=derivation.result)
        value, value_note = verdict.value, verdict.note

    output = loaded.output or pick_output_name(free_names(loaded.expression))
    breakdowns: tuple = ()
    if steps and derivation.trees:
        breakdowns = tuple(chain_breakdowns(derivation.trees[0], output))
    return DiffResult(
        input=text, expression=loaded.expression, structure=derivation.expr, variable=name,
        order=order, derivative=derivation.result, derivation=derivation if steps else None,
        point=point, value=value, value_note=value_note, at=verdict, notes=tuple(notes),
        breakdowns=breakdowns, output_name=output, sympy_size=sympy_size, size=result_size,
    )
