"""``calctutor grad``: partial derivatives, gradient, Jacobian, Hessian, directional
derivative."""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.errors import CalcError
from calctutor.limits import DEFAULT_TIMEOUT_SECONDS
from calctutor.textsplit import has_empty_piece, split
from calctutor.timeouts import time_limit

__all__ = ["Curvature", "Directional", "GradResult", "run_grad", "split_outputs"]


@dataclass(frozen=True)
class Curvature:
    """What the Hessian's signs say."""

    kind: str  # "bowl", "dome", "saddle", "flat", "unknown"
    summary: str  # one line for the learner
    eigenvalues: tuple[float, ...] = ()


@dataclass(frozen=True)
class Directional:
    given: tuple[sympy.Expr, ...]  # the direction as typed
    unit: tuple[sympy.Expr, ...]  # normalised
    length: sympy.Expr  # |given|
    normalised: bool  # True when the given vector was not a unit vector
    derivatives: tuple[sympy.Expr, ...]  # D_u f for each output (symbolic)
    values: tuple[sympy.Expr | None, ...]  # at the point (None without --at)
    steepest: sympy.Expr | None  # |grad f| at the point (single output)
    note: str
    value_notes: tuple[str | None, ...] = ()  # why a value is missing, per output


@dataclass(frozen=True)
class GradResult:
    input: str
    outputs: tuple[sympy.Expr, ...]  # canonical forms
    output_texts: tuple[str, ...]
    variables: tuple[str, ...]
    partials: tuple[tuple[sympy.Expr, ...], ...]  # m × n (rows: outputs)
    derivations: tuple[tuple[object, ...], ...] | None  # calctutor.steps.Derivation per partial
    point: dict | None = None
    values: tuple[tuple[sympy.Expr | None, ...], ...] | None = None  # partials at the point
    hessian: tuple[tuple[sympy.Expr, ...], ...] | None = None
    hessian_values: tuple[tuple[sympy.Expr | None, ...], ...] | None = None
    curvature: Curvature | None = None
    directional: Directional | None = None
    notes: tuple[str, ...] = ()
    value_notes: tuple[tuple[str | None, ...], ...] | None = None  # why a value is missing
    hessian_notes: tuple[tuple[str | None, ...], ...] | None = None
    point_notes: tuple[str, ...] = ()  # remarks on the values at the point (kinks, domain)

    @property
    def is_jacobian(self) -> bool:
        return len(self.outputs) > 1

    @property
    def gradient(self) -> tuple[sympy.Expr, ...]:
        return self.partials[0]


def split_outputs(text: str) -> list[str]:
    """Top-level comma-separated outputs (commas inside calls and brackets stay)."""
    if has_empty_piece(text, ","):
        raise CalcError("an output in the comma-separated list is empty")
    return split(text, ",")


def _partial(loaded, x, steps: bool):
    from calctutor.steps import derive

    derivation = derive(loaded.structure, x, 1, names=loaded.names)
    return derivation.result, (derivation if steps else None)


def _classify(matrix: list[list[sympy.Expr]], names: list[str], at_point: bool) -> Curvature:
    import numpy as np

    if at_point and any(entry is None for row in matrix for entry in row):
        return Curvature("unknown", "the Hessian has no value at this point (see the notes), "
                                    "so its signs say nothing here")
    if any(entry is None or entry.free_symbols for row in matrix for entry in row):
        return Curvature("unknown", "the Hessian depends on the point; give --at to read its "
                                    "signs there")
    a = np.array([[float(e) for e in row] for row in matrix], dtype=float)
    eig = tuple(float(v) for v in np.linalg.eigvalsh((a + a.T) / 2))
    tol = 1e-12 * max(1.0, max(abs(v) for v in eig))
    where = "at this point" if at_point else "everywhere"
    pos = all(v > tol for v in eig)
    neg = all(v < -tol for v in eig)
    if pos:
        kind = "bowl"
        text = (f"all curvatures positive {where}: a bowl (convex) - a critical point here "
                "is a minimum")
        if len(eig) > 1 and eig[0] > 0 and eig[-1] / eig[0] >= 2:
            text += (f"; curvatures differ by a factor of {eig[-1] / eig[0]:.3g}: a stretched "
                     "bowl, where plain gradient descent zig-zags")
    elif neg:
        kind = "dome"
        text = f"all curvatures negative {where}: a dome (concave) - a critical point here is a maximum"
    elif any(v > tol for v in eig) and any(v < -tol for v in eig):
        kind = "saddle"
        text = f"curvatures of both signs {where}: a saddle - up along some directions, down along others"
    else:
        kind = "flat"
        text = (f"some curvature is zero {where}: flat along a direction, so the second-order "
                "test cannot decide")
    return Curvature(kind, text, eig)


def run_grad(text: str, wrt=None, at=None, hessian: bool = False, direction=None,
             steps: bool = False) -> GradResult:
    """Partials of one or more comma-separated outputs with respect to ``wrt`` (a list or
    ``"x,y"``; default: every variable); optionally at a point, the Hessian (one output)
    and the derivative along ``direction`` (a list or ``"1,0"``), normalised first."""
    from calctutor.commands.diff import load, natural_key, variables_of
    from calctutor.pointvalue import at_point
    from calctutor.parsing.builder import symbol
    from calctutor.points import parse_point, parse_vector

    texts = split_outputs(text)
    loaded = [load(t) for t in texts]
    if len(loaded) > 1 and any(item.output for item in loaded):
        raise CalcError("a Jacobian takes a list of expressions, not programs")
    present = sorted({n for item in loaded for n in variables_of(item.expression)}, key=natural_key)
    if wrt:
        names = [w.strip() for w in (wrt.split(",") if isinstance(wrt, str) else wrt) if w.strip()]
        for n in names:
            if not n.isidentifier():
                raise CalcError(f"{n!r} is not a variable name", hint="for example --wrt x,y")
    else:
        names = present
    if not names:
        raise CalcError("the expression has no variables, so there is nothing to differentiate",
                        hint="give the variables with --wrt x,y")
    symbols = [symbol(n) for n in names]
    notes = []
    if len(loaded) > 1:
        notes.append(f"Jacobian: {len(loaded)} outputs x {len(names)} variables; row i is the "
                     "gradient of output i")

    with time_limit(DEFAULT_TIMEOUT_SECONDS, "the gradient"):
        rows, derivs = [], []
        for item in loaded:
            row, drow = [], []
            for x in symbols:
                value, derivation = _partial(item, x, steps)
                row.append(value)
                drow.append(derivation)
            rows.append(tuple(row))
            derivs.append(tuple(drow))
        hess = None
        if hessian:
            if len(loaded) > 1:
                raise CalcError("the Hessian is for one output; give a single expression")
            from calctutor.steps import derive

            grid = []
            for i, gi in enumerate(rows[0]):
                grid.append(tuple(derive(gi, xj).result for xj in symbols))
            hess = tuple(grid)

    point = values = hess_values = value_notes = hess_notes = None
    remarks: list[str] = []
    if at is not None:
        point = dict(at) if isinstance(at, dict) else parse_point(at, present)
        unknown = sorted(set(point) - set(present) - set(names))
        if unknown:
            raise CalcError(f"the point names {', '.join(unknown)}, which the expression does not use")
        needed = sorted({n for r in rows for e in r for n in variables_of(e)}
                        | ({n for r in (hess or ()) for e in r for n in variables_of(e)}),
                        key=natural_key)
        missing = [n for n in needed if n not in point]
        if missing:
            raise CalcError(f"the point needs a value for {', '.join(missing)} too")
        verdicts = [[at_point(item.expression, point, n, 1, derivative=e)
                     for n, e in zip(names, r)] for item, r in zip(loaded, rows)]
        values = tuple(tuple(v.value for v in r) for r in verdicts)
        value_notes = tuple(tuple(v.reason for v in r) for r in verdicts)
        found = [v for r in verdicts for v in r]
        if hess is not None:
            f = loaded[0].expression
            grid = [[at_point(f, point, (a, b) if a != b else a, 2, derivative=e)
                     for b, e in zip(names, r)] for a, r in zip(names, hess)]
            hess_values = tuple(tuple(v.value for v in r) for r in grid)
            hess_notes = tuple(tuple(v.reason for v in r) for r in grid)
            found += [v for r in grid for v in r]
        for v in found:
            remarks += [v.reason] if v.reason else list(v.notes)
        remarks = list(dict.fromkeys(remarks))

    curvature = None
    if hess is not None:
        matrix = hess_values if hess_values is not None else hess
        curvature = _classify([list(r) for r in matrix], names, hess_values is not None)

    directional = None
    if direction is not None:
        given = tuple(parse_vector(direction) if isinstance(direction, str)
                      else [sympy.nsimplify(v) if isinstance(v, float) else sympy.Integer(v)
                            if isinstance(v, int) else v for v in direction])
        if len(given) != len(names):
            raise CalcError(f"the direction has {len(given)} entries but there are "
                            f"{len(names)} variables ({', '.join(names)})")
        length = sympy.sqrt(sum(v ** 2 for v in given))
        if length == 0:
            raise CalcError("the direction is the zero vector, which points nowhere")
        unit = tuple(sympy.radsimp(v / length) for v in given)
        normalised = sympy.simplify(length - 1) != 0
        derivatives = tuple(sympy.factor_terms(sum(g * u for g, u in zip(r, unit))) for r in rows)
        dvalues: tuple = tuple(None for _ in derivatives)
        dnotes: tuple = ()
        if point is not None:
            along = [_along(item.expression, names, point, unit) for item in loaded]
            dvalues = tuple(v for v, _ in along)
            dnotes = tuple(n for _, n in along)
            remarks += [n for n in dnotes if n and n not in remarks]
        steepest = None
        if point is not None and len(rows) == 1 and values and all(v is not None for v in values[0]):
            steepest = sympy.sqrt(sum(v ** 2 for v in values[0]))
        from calctutor.parsing import to_input

        if normalised:
            note = (f"the direction [{', '.join(to_input(v) for v in given)}] has length "
                    f"{to_input(length)}; normalised to the unit vector "
                    f"[{', '.join(to_input(v) for v in unit)}] first")
        else:
            note = "the direction is already a unit vector"
        directional = Directional(given, unit, length, normalised, derivatives, dvalues,
                                  steepest, note, dnotes)

    return GradResult(
        input=text, outputs=tuple(item.expression for item in loaded), output_texts=tuple(texts),
        variables=tuple(names), partials=tuple(rows),
        derivations=tuple(derivs) if steps else None, point=point, values=values,
        hessian=hess, hessian_values=hess_values, curvature=curvature,
        directional=directional, notes=tuple(notes), value_notes=value_notes,
        hessian_notes=hess_notes, point_notes=tuple(remarks),
    )


def _along(expr: sympy.Expr, names: list[str], point: dict, unit) -> tuple:
    """D_u f at the point as the slope of t -> f(point + t u) at t = 0, so a kink is judged
    along the direction itself (abs(x) has D_u f = 0 along (0, 1) although its gradient does
    not exist at the origin). (value, note)."""
    from calctutor.parsing import to_input
    from calctutor.parsing.builder import symbol
    from calctutor.pointvalue import at_point, describe_point

    t = sympy.Dummy("t", real=True)
    line = expr.xreplace({symbol(n): point.get(n, symbol(n)) + t * u for n, u in zip(names, unit)})
    rest = {k: v for k, v in point.items() if k not in names}
    if rest:
        line = line.xreplace({symbol(k): v for k, v in rest.items()})
    name = "t_"
    line = line.xreplace({t: symbol(name)})
    verdict = at_point(line, {name: 0}, name, 1)
    if verdict.value is not None:
        return verdict.value, None
    where = describe_point(point)
    if not verdict.defined:
        return None, verdict.reason.replace(f"{to_input(line)} is undefined at {name} = 0",
                                            f"{to_input(expr)} is undefined at {where}")
    if verdict.one_sided is not None and verdict.one_sided.left is not None \
            and verdict.one_sided.right is not None:
        return None, (f"D_u f does not exist at {where}: along the direction the slope is "
                      f"{to_input(verdict.one_sided.right)} going forward and "
                      f"{to_input(verdict.one_sided.left)} coming from behind")
    return None, f"D_u f has no value at {where}"
