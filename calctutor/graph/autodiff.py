"""Automatic differentiation on the graph, vectorised over arrays of points.

* :func:`forward_pass` — every node's value; each node calls the NumPy function of its
  table row (:func:`calctutor.numeric.function`). Inputs may be arrays of points (all
  broadcast together), so one pass evaluates the graph at 10⁵ points at once.
* :func:`local_derivatives` — the value of every edge's local derivative
  ∂node/∂argument, from the table formula compiled by
  :func:`calctutor.numeric.local_derivative_fn` (reusing the node's forward value where the
  formula allows: e^u, s(1 - s), 1 - tanh²).
* :func:`reverse_mode` — adjoints: seed 1 at the output, then in reverse topological
  order ``adjoint[arg] += adjoint[node] · ∂node/∂arg``. One sweep gives every partial.
* :func:`forward_mode` — tangents (the dual-number part): for each input, seed 1 on it,
  then in topological order ``tangent[node] = Σ ∂node/∂arg · tangent[arg]``. One sweep
  per input.
* :func:`derivative_graph` — forward mode as a source transformation: the tangent of
  every node is built as new graph nodes (from the same table formulas), giving a graph
  whose output is ∂f/∂x. Nesting it gives derivatives of any order, evaluated like any
  graph (exact to rounding, no finite differences, no ``sympy.diff``).

NaN/inf policy — explicit, never silent. NumPy runs with its warnings muted, and every
result carries ``undefined`` (a boolean mask over the points where the value or a
partial is not finite) and ``problems``: for each node where a non-finite number first
appears, what happened there (outside the function's domain, overflow, division by zero)
with its own mask. ``kinks`` marks points where a function with a kink in its table
row (abs, relu, sign, step, max, min, acot) sits exactly on it: the derivative does not
exist there, so reverse and forward mode use the row's named convention (relu'(0) = 0
and abs'(0) = 0 as PyTorch uses; ties of max/min share the slope equally) and say so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy

from calctutor.errors import CalcError
from calctutor.graph.build import Graph, GraphBuilder, build_graph
from calctutor.numeric import (
    OUT,
    REST,
    LocalDerivative,
    arg_symbol,
    constant_value,
    function,
    local_derivative_fn,
)

Array = np.ndarray


def _kink_of(op: str):
    """The table's kink for a graph op (None for operators and smooth rows)."""
    from calctutor.graph.build import OPERATOR_OPS
    from calctutor.primitives import lookup

    if op in OPERATOR_OPS or op in ("input", "const"):
        return None
    row = lookup(op)
    return row.kinks[0] if row is not None and row.kinks else None


@dataclass(slots=True)
class _Convention:
    """The table's autodiff convention at a kink, for one edge."""

    ties: bool
    value: float = 0.0  # unary rows: the local derivative used on the kink
    tape: object = None  # ties: the convention as a function of k (number tied);
    #                      otherwise, when set, of the arguments u, v (leaky_relu: v)
    where: object = None  # the kink's location as a tape in u, v (None: u = 0)


def _convention(op: str) -> _Convention | None:
    kink = _kink_of(op)
    if kink is None:
        return None
    from calctutor.numeric import compile_expr
    from calctutor.rules import formula

    f = formula(kink.convention)
    if kink.ties:
        return _Convention(True, tape=compile_expr(f, ["k"]))
    where = None if kink.where == "u" else compile_expr(formula(kink.where), ["u", "v"])
    if f.free_symbols:
        return _Convention(False, tape=compile_expr(f, ["u", "v"]), where=where)
    return _Convention(False, value=constant_value(f), where=where)


def _uv(args: list) -> dict:
    return {"u": args[0], "v": args[1] if len(args) > 1 else 0.0}


def _kink_mask(conv: _Convention | None, args: list) -> Array:
    """Where a one-argument-kinked row sits on its kink (its ``where`` formula is 0)."""
    if conv is None or conv.where is None:
        return args[0] == 0
    with np.errstate(all="ignore"):
        return np.asarray(conv.where.evaluate(_uv(args))) == 0


def _on_kink(n, values) -> Array | None:
    """Mask of the points where node ``n`` sits on its table kink (None: no kink)."""
    kink = _kink_of(n.op)
    if kink is None:
        return None
    args = [np.asarray(values[a], dtype=float) for a in n.args]
    if kink.ties:
        out = np.asarray(values[n.index], dtype=float)
        count = sum((a == out).astype(int) for a in args)
        return count >= 2
    return _kink_mask(_convention(n.op), args)


# ── per-graph execution plan ────────────────────────────────────────────────────────
@dataclass(slots=True)
class _EdgePlan:
    kind: str  # "const", "arg", "out", "tape"
    const: float = 0.0
    arg: int = 0
    local: LocalDerivative | None = None
    convention: _Convention | None = None  # the table's value on a kink, if it differs


@dataclass(slots=True)
class _Plan:
    fns: list[Callable | None]
    edges: list[list[_EdgePlan | None]]  # per node, per argument (None: inactive argument)


def _plan(graph: Graph) -> _Plan:
    cached = getattr(graph, "_plan", None)
    if cached is not None:
        return cached
    fns: list[Callable | None] = []
    edges: list[list[_EdgePlan | None]] = []
    binary = {"add": np.add, "mul": np.multiply}
    for n in graph.nodes:
        if n.op in binary and len(n.args) == 2:
            fns.append(binary[n.op])  # same function as the table's, without reduce()
        else:
            fns.append(function(n.numpy) if n.numpy else None)
        per: list[_EdgePlan | None] = []
        convention = _convention(n.op)
        for k, a in enumerate(n.args):
            if not graph.nodes[a].active:
                per.append(None)
                continue
            ld = local_derivative_fn(n.op, len(n.args), k)
            f = ld.formula
            if ld.constant is not None:
                plan = _EdgePlan("const", const=ld.constant)
            elif f == OUT:
                plan = _EdgePlan("out")
            elif f.is_Symbol and f.name.startswith("_arg"):
                plan = _EdgePlan("arg", arg=int(f.name[4:]))
            else:
                plan = _EdgePlan("tape", local=ld)
            if convention is not None and not (plan.kind == "const" and not convention.ties
                                               and convention.value == plan.const):
                plan.convention = convention
            per.append(plan)
        edges.append(per)
    plan = _Plan(fns, edges)
    graph._plan = plan  # type: ignore[attr-defined]
    return plan


# ── results ─────────────────────────────────────────────────────────────────────────
@dataclass
class Problem:
    """Where and why numbers stopped being finite."""

    node: str  # node id
    what: str  # one line for the learner
    mask: Array  # points affected (broadcast shape)
    kind: str = "value"  # "value" or "derivative"


@dataclass
class BackwardStep:
    """One multiplication of the backward pass: adjoint[child] += adjoint[node] · local."""

    node: int  # the user (closer to the output)
    position: int  # which argument of ``node``
    child: int  # the argument node
    local: Array  # ∂node/∂child
    upstream: Array  # adjoint of ``node`` (final: it is complete before it is used)
    contribution: Array  # upstream · local
    running: Array  # adjoint of ``child`` after adding the contribution


@dataclass
class Evaluation:
    """Values (and, after a backward or forward sweep, partials) at an array of points.

    Iterating gives ``(value, gradient)`` so ``values, grads = f(points)`` works.
    """

    graph: Graph
    shape: tuple[int, ...]
    values: list[Array]  # per node
    value: Array  # the output, broadcast to ``shape``
    gradient: dict[str, Array] = field(default_factory=dict)
    adjoints: list[Array | None] = field(default_factory=list)
    tangents: dict[str, list[Array | None]] = field(default_factory=dict)
    locals: dict[tuple[int, int], Array] = field(default_factory=dict)
    undefined: Array | None = None
    problems: list[Problem] = field(default_factory=list)
    kinks: list[Problem] = field(default_factory=list)
    trace: list[BackwardStep] = field(default_factory=list)

    def __iter__(self):
        return iter((self.value, self.gradient))

    @property
    def ok(self) -> bool:
        return self.undefined is None or not bool(np.any(self.undefined))


# ── forward pass ────────────────────────────────────────────────────────────────────
def _inputs(graph: Graph, points: Mapping[str, object]) -> tuple[dict[str, Array], tuple]:
    missing = [name for name in graph.inputs if name not in points]
    if missing:
        raise CalcError(f"no value given for {', '.join(missing)} "
                        f"(the graph's inputs are {', '.join(graph.inputs) or 'none'})")
    arrays = {name: np.asarray(points[name], dtype=float) for name in graph.inputs}
    shape = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
    return arrays, shape


def forward_pass(graph: Graph, points: Mapping[str, object]) -> Evaluation:
    """Every node's value at ``points`` ({input name: scalar or array})."""
    arrays, shape = _inputs(graph, points)
    plan = _plan(graph)
    values: list = []
    append = values.append
    with np.errstate(all="ignore"):
        for n, fn in zip(graph.nodes, plan.fns):
            if n.op == "input":
                append(arrays[n.id])
            elif n.op == "const":
                append(n.value)
            else:
                append(fn(*[values[a] for a in n.args]))
    value = np.broadcast_to(np.asarray(values[graph.output], dtype=float), shape)
    return Evaluation(graph, shape, values, value)


def _local(n, k: int, edge: _EdgePlan, values: list) -> Array | float:
    local = _formula_local(n, k, edge, values)
    if edge.convention is None:
        return local
    return _apply_convention(n, k, edge.convention, values, local)


def _apply_convention(n, k: int, conv: _Convention, values: list, local):
    """The table's convention where node ``n`` sits on its kink (relu'(0) = 0, not the
    formula's step(0) = 1/2)."""
    args = [np.asarray(values[a], dtype=float) for a in n.args]
    if not conv.ties:
        if k != 0:  # the kink is in the first argument; the others' slopes are the formula's
            return local
        mask = _kink_mask(conv, args)
        if not mask.any():
            return local
        if conv.tape is not None:
            with np.errstate(all="ignore"):
                return np.where(mask, conv.tape.evaluate(_uv(args)), local)
        return np.where(mask, conv.value, local)
    out = np.asarray(values[n.index], dtype=float)
    tied = [a == out for a in args]
    count = sum(t.astype(int) for t in tied)
    mask = tied[k] & (count >= 2)
    if not mask.any():
        return local
    with np.errstate(all="ignore"):
        share = conv.tape.evaluate({"k": np.maximum(count, 1)})
    return np.where(mask, share, local)


def _formula_local(n, k: int, edge: _EdgePlan, values: list) -> Array | float:
    if edge.kind == "const":
        return edge.const
    if edge.kind == "out":
        return values[n.index]
    if edge.kind == "arg":
        return values[n.args[edge.arg]]
    args = [values[a] for a in n.args]
    rest = None
    if n.op == "mul" and len(n.args) > 2:
        others = [v for j, v in enumerate(args) if j != k]
        rest = others[0]
        for v in others[1:]:
            rest = rest * v
    return edge.local(args, values[n.index], rest)


def local_derivatives(ev: Evaluation) -> dict[tuple[int, int], Array]:
    """Every active edge's local derivative value: {(node, argument position): value}."""
    if ev.locals:
        return ev.locals
    plan = _plan(ev.graph)
    out: dict[tuple[int, int], Array] = {}
    with np.errstate(all="ignore"):
        for n, per in zip(ev.graph.nodes, plan.edges):
            for k, edge in enumerate(per):
                if edge is not None:
                    out[(n.index, k)] = _local(n, k, edge, ev.values)
    ev.locals = out
    return out


# ── reverse mode ────────────────────────────────────────────────────────────────────
def reverse_mode(graph: Graph, points: Mapping[str, object], *, keep: bool = False,
                 check: bool = True) -> Evaluation:
    """Forward pass, then one backward sweep: every partial of the output.

    ``keep`` stores every edge's local derivative in ``Evaluation.locals`` and every
    multiplication in ``Evaluation.trace`` (for showing the backward pass); ``check`` fills ``undefined``/``problems``/``kinks``.
    """
    ev = forward_pass(graph, points)
    plan = _plan(graph)
    nodes = graph.nodes
    adj: list = [None] * len(nodes)
    # the seed d(out)/d(out) = 1 stays the Python float 1.0 so that 1 · local costs nothing
    adj[graph.output] = 1.0 if nodes[graph.output].active else None
    locals_: dict[tuple[int, int], Array] = {}
    values = ev.values
    with np.errstate(all="ignore"):
        for i in range(graph.output, -1, -1):
            a = adj[i]
            if a is None:
                continue
            n = nodes[i]
            for k, edge in enumerate(plan.edges[i]):
                if edge is None:
                    continue
                local = _local(n, k, edge, values)
                if keep:
                    locals_[(i, k)] = local
                j = n.args[k]
                if edge.kind == "const" and edge.convention is None and local == 0.0:
                    # a zero local derivative adds nothing (and no 0 · inf = NaN)
                    if keep:
                        zero = np.zeros(ev.shape)
                        adj[j] = zero if adj[j] is None else adj[j]
                        ev.trace.append(BackwardStep(i, k, j, local, a, zero, adj[j]))
                    continue
                if edge.kind == "const" and edge.convention is None and local == 1.0:
                    contribution = a
                elif a.__class__ is float and a == 1.0:
                    contribution = local
                else:
                    contribution = a * local
                adj[j] = contribution if adj[j] is None else adj[j] + contribution
                if keep:
                    ev.trace.append(BackwardStep(i, k, j, local, a, contribution, adj[j]))
    ev.adjoints = adj
    if keep:
        ev.locals = locals_
    ev.gradient = {name: _full(adj[idx], ev.shape) for name, idx in graph.inputs.items()}
    if check:
        diagnose(ev)
    return ev


def _full(value, shape) -> Array:
    if value is None:
        return np.zeros(shape)
    if isinstance(value, np.ndarray) and value.shape == shape:
        return value
    return np.broadcast_to(np.asarray(value, dtype=float), shape)


# ── forward mode ────────────────────────────────────────────────────────────────────
def forward_mode(graph: Graph, points: Mapping[str, object],
                 variables: Sequence[str] | None = None, *, check: bool = True) -> Evaluation:
    """One tangent sweep per input: ``tangents[var][node]`` is ∂node/∂var."""
    ev = forward_pass(graph, points)
    local = local_derivatives(ev)
    variables = list(graph.inputs) if variables is None else list(variables)
    nodes = graph.nodes
    with np.errstate(all="ignore"):
        for var in variables:
            tan: list = [None] * len(nodes)
            if var in graph.inputs:
                tan[graph.inputs[var]] = np.ones(ev.shape)
            for n in nodes:
                if n.is_leaf or not n.active:
                    continue
                total = None
                for k, arg in enumerate(n.args):
                    t = tan[arg]
                    if t is None:
                        continue
                    ld = local[(n.index, k)]
                    if isinstance(ld, float) and ld == 0.0:
                        continue
                    term = t if isinstance(ld, float) and ld == 1.0 else ld * t
                    total = term if total is None else total + term
                tan[n.index] = total
            ev.tangents[var] = tan
            ev.gradient[var] = _full(tan[graph.output], ev.shape)
    if check:
        diagnose(ev)
    return ev


# ── NaN / inf diagnosis ─────────────────────────────────────────────────────────────
def _nonfinite(x, shape) -> Array:
    return np.broadcast_to(~np.isfinite(np.asarray(x, dtype=float)), shape)


def diagnose(ev: Evaluation) -> None:
    """Fill ``undefined``, ``problems`` and ``kinks`` (cheap when all is finite).

    Where the output's value is not finite, the partials are set to NaN too: a function
    without a value at a point has no derivative there."""
    shape = ev.shape
    ev.problems = []
    grads = list(ev.gradient.values())
    # fast path: one check over everything (NaN and inf survive a sum)
    with np.errstate(all="ignore"):
        total = np.array(ev.value, dtype=float)
        for g in grads:
            total += g
    if np.isfinite(total).all():
        ev.undefined = np.zeros(shape, dtype=bool)
    else:
        bad = _nonfinite(ev.value, shape).copy()
        if bad.any():
            # no derivative where the function itself has no (finite) value
            ev.gradient = {v: np.where(bad, np.nan, g) for v, g in ev.gradient.items()}
        for g in ev.gradient.values():
            bad |= _nonfinite(g, shape)
        ev.undefined = bad
        if bad.any():
            _explain(ev, bad)
    ev.kinks = _kinks(ev)


def _explain(ev: Evaluation, bad: Array) -> None:
    from calctutor.parsing import to_input

    graph, shape = ev.graph, ev.shape
    seen = np.zeros(shape, dtype=bool)
    for n in graph.nodes:
        if n.is_leaf:
            v = _nonfinite(ev.values[n.index], shape)
            if v.any() and not seen[v].all():
                what = f"the input {n.id} is not a finite number" if n.op == "input" else (
                    f"the constant {to_input(graph.expr(n.index))} is not a finite number")
                ev.problems.append(Problem(n.id, what, v & ~seen))
                seen |= v
            continue
        v = _nonfinite(ev.values[n.index], shape)
        args_ok = np.ones(shape, dtype=bool)
        for a in n.args:
            args_ok &= ~_nonfinite(ev.values[a], shape)
        fresh = v & args_ok & ~seen
        if fresh.any():
            value = np.broadcast_to(np.asarray(ev.values[n.index], dtype=float), shape)
            kind = "infinite" if np.isinf(value[fresh]).all() else "undefined"
            ev.problems.append(Problem(n.id, _why(graph, n, kind), fresh))
        seen |= v
    # derivatives: local derivatives that are not finite where the values are
    local = local_derivatives(ev)
    for (i, k), ld in local.items():
        n = graph.nodes[i]
        lv = _nonfinite(ld, shape) & ~seen
        if lv.any():
            arg = graph.nodes[n.args[k]].id
            what = (f"the derivative of {n.id} = {to_input(graph.definition(i))} with respect "
                    f"to {arg} is not finite here ({_domain(n.op)})")
            ev.problems.append(Problem(n.id, what, lv, kind="derivative"))
            seen |= lv
    rest = bad & ~seen
    if rest.any():
        ev.problems.append(Problem(graph.out.id, "a value overflowed to infinity on the way "
                                   "(inf - inf or 0 · inf)", rest))


def _domain(op: str) -> str:
    from calctutor.graph.build import OPERATOR_OPS
    from calctutor.primitives import by_name, operator

    row = operator(op) if op in OPERATOR_OPS else by_name(op)
    return f"{row.name}: {row.domain}"


def _why(graph: Graph, n, kind: str) -> str:
    from calctutor.parsing import to_input

    text = f"{n.id} = {to_input(graph.definition(n.index))}"
    if kind == "infinite":
        return f"{text} is infinite here (overflow or division by zero; {_domain(n.op)})"
    return f"{text} is undefined here (outside its domain; {_domain(n.op)})"


def _kinks(ev: Evaluation) -> list[Problem]:
    from calctutor.parsing import to_input

    graph, shape = ev.graph, ev.shape
    out: list[Problem] = []
    with np.errstate(all="ignore"):
        for n in graph.nodes:
            if not n.active:
                continue
            kink = _kink_of(n.op)
            mask = _on_kink(n, ev.values) if kink is not None else None
            if mask is None:
                continue
            mask = np.broadcast_to(mask, shape)
            if mask.any():
                if kink.ties:
                    where = f"a corner ({kink.text})"
                elif kink.where == "u":
                    where = f"{kink.text} (its argument {graph.nodes[n.args[0]].id} is 0)"
                else:
                    arg = graph.nodes[n.args[0]].id
                    from calctutor.rules import U, formula

                    spot = to_input(formula(kink.where).xreplace({U: sympy.Symbol(arg)}))
                    where = f"{kink.text} ({spot} is 0)"
                what = (f"{n.id} = {to_input(graph.definition(n.index))} is at {where}: its "
                        "local derivative does not exist there, so the backward pass uses "
                        f"{kink.convention_text}")
                out.append(Problem(n.id, what, mask.copy(), kind="kink"))
    return out


# ── nested forward mode: derivative graphs ──────────────────────────────────────────
def derivative_graph(graph: Graph, var: str) -> Graph:
    """A graph whose output is ∂(output)/∂var, built by forward mode as a source
    transformation: each node's tangent Σ (∂node/∂arg)·tangent(arg) becomes new nodes,
    the local derivatives instantiated from the table's formulas. Nesting gives higher
    orders (``derivative_graph(derivative_graph(g, "x"), "x")`` is f'')."""
    b = GraphBuilder.from_graph(graph)
    one = b.const(sympy.Integer(1))
    tangent: dict[int, int | None] = {}
    for n in graph.nodes:
        if n.op == "input":
            tangent[n.index] = one if n.id == var else None
            continue
        if n.op == "const" or not n.active:
            tangent[n.index] = None
            continue
        terms: list[int] = []
        for k, a in enumerate(n.args):
            t = tangent[a]
            if t is None:
                continue
            local = _instantiate(b, n, k)
            node = b.nodes[local]
            if node.op == "const" and node.value == 0:
                continue
            if node.op == "const" and node.value == 1:
                terms.append(t)
            elif t == one:
                terms.append(local)
            else:
                terms.append(b.op("mul", [local, t]))
        tangent[n.index] = (None if not terms else terms[0] if len(terms) == 1
                            else b.op("add", terms))
    out = tangent[graph.output]
    if out is None:
        out = b.const(sympy.Integer(0))
    return b.finish(out, prune=True)


def _instantiate(b: GraphBuilder, n, k: int) -> int:
    """The table's local derivative of node ``n`` w.r.t. argument ``k``, as nodes.

    Constant arguments go into the formula as exact SymPy numbers, so SymPy folds them:
    d/du u^0 becomes 0 rather than 0·u^(-1), which would be NaN at u = 0.
    """
    ld = local_derivative_fn(n.op, len(n.args), k)
    formula = ld.formula
    constants = {arg_symbol(j): b.nodes[a].expr for j, a in enumerate(n.args)
                 if b.nodes[a].op == "const" and b.nodes[a].expr is not None}
    if constants:
        formula = formula.xreplace(constants)
    env = {arg_symbol(j): a for j, a in enumerate(n.args) if arg_symbol(j) not in constants}
    env[OUT] = n.index
    if REST in formula.free_symbols:
        others = [a for j, a in enumerate(n.args) if j != k]
        env[REST] = others[0] if len(others) == 1 else b.op("mul", others)
    return b.build(formula, env)


def nth_derivative_graph(graph: Graph, var: str, order: int) -> Graph:
    """∂ⁿf/∂varⁿ as a graph (nested forward mode; order 0 is the graph itself)."""
    if order < 0:
        raise CalcError("the order of a derivative cannot be negative")
    for _ in range(order):
        graph = derivative_graph(graph, var)
    return graph


# ── the grader's API ────────────────────────────────────────────────────────────────
def _as_graph(expr) -> Graph:
    if isinstance(expr, Graph):
        return expr
    if isinstance(expr, str):
        from calctutor.graph.build import graph_from_text

        return graph_from_text(expr)
    return build_graph(expr)


def _widen(ev: Evaluation, arrays) -> None:
    """Broadcast the output to the points given, even those the graph does not use."""
    shape = np.broadcast_shapes(ev.shape, *(np.shape(a) for a in arrays))
    if shape != ev.shape:
        ev.shape = shape
        ev.value = np.broadcast_to(ev.value, shape)


class GradientFunction:
    """``f(points) -> Evaluation``; unpacks as ``values, grads = f(points)``.

    ``grads`` is {variable: array}. Points are {name: scalar or array}; every free symbol
    of the expression needs a value (symbols not in ``variables`` act as constants).
    """

    def __init__(self, expr, variables: Sequence[str] | None = None, mode: str = "reverse"):
        self.graph = _as_graph(expr)
        self.variables = tuple(variables) if variables is not None else self.graph.variables
        if mode not in ("reverse", "forward"):
            raise CalcError("mode must be 'reverse' or 'forward'")
        self.mode = mode

    def __call__(self, points: Mapping[str, object]) -> Evaluation:
        if self.mode == "reverse":
            ev = reverse_mode(self.graph, points, check=False)
        else:
            ev = forward_mode(self.graph, points,
                              [v for v in self.variables if v in self.graph.inputs], check=False)
        _widen(ev, [points[v] for v in self.variables if v in points])
        shape = ev.shape
        grads = ev.gradient
        ev.gradient = {v: _full(grads.get(v), shape) for v in self.variables}
        diagnose(ev)
        return ev


def compile_gradient(expr, variables: Sequence[str] | None = None,
                     mode: str = "reverse") -> GradientFunction:
    """Compile once, evaluate at many points: ``values, grads = compile_gradient(e, ["x",
    "y"])({"x": xs, "y": ys})``. ``expr`` is a SymPy expression, a :class:`Graph`, or text
    (parsed by calctutor's own parser)."""
    return GradientFunction(expr, variables, mode)


class DerivativeFunction:
    """``f(points) -> Evaluation`` whose ``value`` is ∂ⁿexpr/∂varⁿ at the points."""

    def __init__(self, expr, var: str, order: int = 1):
        base = _as_graph(expr)
        self.var = var
        self.order = order
        self.graph = nth_derivative_graph(base, var, order)
        self.inputs = base.variables  # the derivative graph may have lost some

    def __call__(self, points: Mapping[str, object]) -> Evaluation:
        ev = forward_pass(self.graph, points)
        # the derivative may no longer depend on every input (d²/dx² x = 0): broadcast
        # to the shape of all the points given
        _widen(ev, points.values())
        ev.gradient = {}
        diagnose(ev)
        return ev


def compile_derivative(expr, var: str, order: int = 1) -> DerivativeFunction:
    """The order-``order`` derivative w.r.t. ``var`` as a vectorised function of points.

    Order 1 and higher are exact (nested forward mode over the graph, see
    :func:`derivative_graph`); order 0 is the function itself.
    """
    return DerivativeFunction(expr, var, order)


def derivative_values(expr, var: str, points: Mapping[str, object], order: int = 1) -> Array:
    """∂ⁿexpr/∂varⁿ at ``points`` as an array (NaN where undefined)."""
    return np.array(compile_derivative(expr, var, order)(points).value)


def gradient_values(expr, points: Mapping[str, object],
                    variables: Sequence[str] | None = None) -> tuple[Array, dict[str, Array]]:
    """(values, {var: partial}) at ``points`` by reverse mode."""
    ev = compile_gradient(expr, variables)(points)
    return ev.value, ev.gradient
