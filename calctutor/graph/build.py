"""Expression or program → computational graph (a DAG with shared sub-expressions).

Nodes are kept in topological order (every argument comes before its user). Each node
has an ``op``: a row name of the primitives table (``add``, ``sub``, ``neg``, ``mul``,
``div``, ``pow``, ``sin``, ``sigmoid``, ``max``, …) or ``input`` / ``const``.

How SymPy's shapes become nodes (documented because the learner sees the result):

* ``x - y`` (SymPy: ``x + (-1)·y``) is one ``sub`` node; ``-t`` alone is a ``neg`` node;
  longer sums stay one n-ary ``add`` node.
* ``a / b`` (SymPy: ``a · b^-1``) with a non-constant ``b`` is one ``div`` node; other
  products stay one n-ary ``mul`` node (a numeric coefficient is a ``const`` argument).
* ``e^t`` is an ``exp`` node and ``t^(1/2)`` a ``sqrt`` node (the table's sqrt row);
  other powers are ``pow`` nodes.
* A sub-expression without variables (``3``, ``pi``, ``ln(2)``) is one ``const`` node.
* Hash-consing: the same operation on the same argument nodes is one node, however often
  it is written (``sin(x) + sin(x)^2`` has one ``sin`` node with two out-edges). Sums and
  products match regardless of the order of their operands.

Names: inputs by their symbol; a program's intermediates by the user's names (a
definition that only renames another node — ``L = a`` — becomes an alias of it; the
node then answers to both names and the output's name wins as its id); everything else
``u1, u2, …`` in topological order (names a caller passes in ``names`` — the step
engine's chain-rule letters — win over ``u``-numbers); the output of a bare expression
is ``f``; constants are ``c1, c2, …``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy

from calctutor.errors import CalcError
from calctutor.parsing import Program
from calctutor.parsing.builder import symbol

#: ops whose derivative rows live in OPERATORS
OPERATOR_OPS = frozenset({"add", "sub", "neg", "mul", "div", "pow"})


class GraphError(CalcError):
    """An expression the graph cannot represent."""


@dataclass(slots=True)
class Node:
    """One node of the graph. ``args`` are indices of earlier nodes."""

    index: int
    op: str
    args: tuple[int, ...]
    numpy: str | None  # the row's NumPy reference (None for input/const)
    expr: sympy.Expr | None  # the sub-expression, in the graph's inputs
    value: float | None = None  # constants only
    id: str = ""
    aliases: tuple[str, ...] = ()
    active: bool = False  # depends on at least one input

    @property
    def name(self) -> str:
        return self.id

    @property
    def is_leaf(self) -> bool:
        return self.op in ("input", "const")


@dataclass
class Graph:
    """A computational graph: nodes in topological order, one output."""

    nodes: list[Node]
    output: int
    inputs: dict[str, int]  # input name → node index (sorted by name)
    named: bool = True
    _users: list[list[int]] | None = field(default=None, repr=False)

    # ── lookups ─────────────────────────────────────────────────────────────────
    def node(self, key: int | str) -> Node:
        if isinstance(key, int):
            return self.nodes[key]
        for n in self.nodes:
            if n.id == key or key in n.aliases:
                return n
        raise KeyError(key)

    @property
    def variables(self) -> tuple[str, ...]:
        return tuple(self.inputs)

    @property
    def out(self) -> Node:
        return self.nodes[self.output]

    def edges(self) -> list[tuple[int, int, int]]:
        """Every edge as (argument node, user node, argument position)."""
        return [(a, n.index, k) for n in self.nodes for k, a in enumerate(n.args)]

    def users(self, index: int) -> list[int]:
        """Nodes that take node ``index`` as an argument (once per edge)."""
        if self._users is None:
            users: list[list[int]] = [[] for _ in self.nodes]
            for a, n, _ in self.edges():
                users[a].append(n)
            self._users = users
        return self._users[index]

    def expr(self, index: int) -> sympy.Expr:
        """The node's sub-expression in the graph's inputs."""
        node = self.nodes[index]
        if node.expr is None:
            node.expr = apply_op(node.op, [self.expr(a) for a in node.args], evaluate=True)
        return node.expr

    def symbol(self, index: int) -> sympy.Expr:
        """The node as the learner names it: a symbol (g, u1, x) or, for a constant, its value."""
        node = self.nodes[index]
        if node.op == "const":
            return node.expr if node.expr is not None else sympy.Float(node.value)
        return symbol(node.id)

    def definition(self, index: int) -> sympy.Expr:
        """The node's operation on its arguments' names: ``a = g^2``, ``u2 = sin(u1)``."""
        node = self.nodes[index]
        if node.is_leaf:
            return self.symbol(index)
        return apply_op(node.op, [self.symbol(a) for a in node.args], evaluate=False)

    def sub_expressions(self) -> dict[str, sympy.Expr]:
        """Intermediate (and output) node name → its sub-expression in the inputs.

        This is how another view (the chain-rule layers of ``diff``) matches its layers
        to graph nodes: by expression.
        """
        return {n.id: self.expr(n.index) for n in self.nodes if not n.is_leaf}

    def node_for_expr(self, expr: sympy.Expr) -> Node | None:
        """The node computing ``expr`` (compared structurally, then after expansion)."""
        for n in self.nodes:
            if n.expr is not None and n.expr == expr:
                return n
        memo: dict = {}
        target = _evaluated(expr, memo)
        for n in self.nodes:
            if not n.is_leaf and _evaluated(self.expr(n.index), memo) == target:
                return n
        for n in self.nodes:
            if not n.is_leaf and sympy.expand(self.expr(n.index) - target) == 0:
                return n
        return None


# ── building SymPy expressions from ops ─────────────────────────────────────────────
def apply_op(op: str, args: list[sympy.Expr], evaluate: bool = True) -> sympy.Expr:
    """op(args) as a SymPy expression (unevaluated keeps the graph's structure)."""
    ev = evaluate
    if op == "add":
        return sympy.Add(*args, evaluate=ev)
    if op == "sub":
        return sympy.Add(args[0], sympy.Mul(-1, args[1], evaluate=ev), evaluate=ev)
    if op == "neg":
        return sympy.Mul(-1, args[0], evaluate=ev)
    if op == "mul":
        return sympy.Mul(*args, evaluate=ev)
    if op == "div":
        return sympy.Mul(args[0], sympy.Pow(args[1], -1, evaluate=ev), evaluate=ev)
    if op == "pow":
        return sympy.Pow(args[0], args[1], evaluate=ev)
    if op == "sqrt":
        return sympy.Pow(args[0], sympy.S.Half, evaluate=ev)
    from calctutor.primitives import by_name
    from calctutor.rules import sympy_function

    fn = sympy_function(by_name(op))
    return fn(*args) if ev else fn(*args, evaluate=False)


# ── the builder ─────────────────────────────────────────────────────────────────────
class GraphBuilder:
    """Adds nodes with hash-consing. Reused by :func:`derivative_graph` (nested
    forward mode builds the derivative as new nodes of the same graph)."""

    def __init__(self) -> None:
        self.nodes: list[Node] = []
        self.keys: dict[tuple, int] = {}
        self.memo: dict[sympy.Expr, int] = {}
        self.user_names: dict[int, list[str]] = {}

    @classmethod
    def from_graph(cls, graph: Graph) -> GraphBuilder:
        b = cls()
        for n in graph.nodes:
            copy = Node(n.index, n.op, n.args, n.numpy, n.expr, n.value, n.id, n.aliases, n.active)
            b.nodes.append(copy)
            b.keys[_key(copy)] = copy.index
        return b

    # nodes
    def _add(self, op: str, args: tuple[int, ...], expr: sympy.Expr | None,
             numpy: str | None = None, value: float | None = None) -> int:
        node = Node(len(self.nodes), op, args, numpy, expr, value)
        key = _key(node)
        if key in self.keys:
            found = self.keys[key]
            if self.nodes[found].expr is None and expr is not None:
                self.nodes[found].expr = expr
            return found
        node.active = op == "input" or any(self.nodes[a].active for a in args)
        self.nodes.append(node)
        self.keys[key] = node.index
        return node.index

    def input(self, name: str) -> int:
        return self._add("input", (), symbol(name))

    def const(self, expr: sympy.Expr) -> int:
        from calctutor.numeric import constant_value

        return self._add("const", (), expr, value=constant_value(expr))

    def op(self, op: str, args: list[int], expr: sympy.Expr | None = None) -> int:
        from calctutor.primitives import by_name, operator

        row = operator(op) if op in OPERATOR_OPS else by_name(op)
        return self._add(op, tuple(args), expr, numpy=row.numpy)

    # expressions
    def build(self, e: sympy.Expr, env: Mapping[sympy.Symbol, int] | None = None) -> int:
        """The node for SymPy expression ``e``; symbols in ``env`` are existing nodes."""
        env = env or {}
        if not env and e in self.memo:
            return self.memo[e]
        index = self._build(e, env)
        if not env:
            self.memo[e] = index
        return index

    def _build(self, e: sympy.Expr, env: Mapping[sympy.Symbol, int]) -> int:
        b = lambda t: self.build(t, env)  # noqa: E731
        if e.is_Symbol:
            for s, index in env.items():
                if s.name == e.name:
                    return index
            return self.input(e.name)
        if not e.free_symbols:
            return self.const(e)
        if e.is_Add:
            args = list(e.args)
            if len(args) == 2:
                negs = [_negated(a) for a in args]
                if negs[1] is not None and negs[0] is None:
                    return self.op("sub", [b(args[0]), b(negs[1])], e)
                if negs[0] is not None and negs[1] is None:
                    return self.op("sub", [b(args[1]), b(negs[0])], e)
            return self.op("add", [b(a) for a in args], e)
        if e.is_Mul:
            inner = _negated(e)
            if inner is not None:
                return self.op("neg", [b(inner)], e)
            recips = [a for a in e.args if _is_reciprocal(a)]
            if len(recips) == 1:
                rest = [a for a in e.args if a is not recips[0]]
                top = rest[0] if len(rest) == 1 else sympy.Mul(*rest, evaluate=False)
                return self.op("div", [b(top), b(recips[0].base)], e)
            return self.op("mul", [b(a) for a in e.args], e)
        if e.is_Pow:
            base, exp = e.args
            if base is sympy.E:
                return self.op("exp", [b(exp)], e)
            if exp == sympy.S.Half:
                return self.op("sqrt", [b(base)], e)
            return self.op("pow", [b(base), b(exp)], e)
        from calctutor.rules import row_for

        row = row_for(e)
        if row is None:
            raise GraphError(f"the graph has no node type for {type(e).__name__} "
                             f"(it is not in the primitives table)")
        args = e.args[:1] if row.name == "step" else e.args  # Heaviside(x, 1/2)
        return self.op(row.name, [b(a) for a in args], e)

    def finish(self, output: int, *, names: Mapping[int, list[str]] | None = None,
               output_name: str | None = None, layer_names: Mapping[sympy.Expr, str] | None = None,
               prune: bool = False) -> Graph:
        """Name the nodes and freeze the graph."""
        nodes = self.nodes
        if prune:
            nodes, output = _prune(nodes, output)
        names = dict(names or {})
        taken = {n.expr.name for n in nodes if n.op == "input"}
        for ns in names.values():
            taken.update(ns)
        if output_name:
            taken.add(output_name)
        memo: dict = {}
        layer_names = {_evaluated(k, memo): v for k, v in (layer_names or {}).items()}
        taken.update(layer_names.values())
        counter = {"u": 0, "c": 0}

        def fresh(prefix: str) -> str:
            while True:
                counter[prefix] += 1
                candidate = f"{prefix}{counter[prefix]}"
                if candidate not in taken:
                    taken.add(candidate)
                    return candidate

        used_layers: set[str] = set()
        for n in nodes:
            given = list(names.get(n.index, []))
            if n.op == "input":
                ident, aliases = n.expr.name, given
            elif n.index == output and output_name:
                ident = output_name
                aliases = [g for g in given if g != output_name]
            elif given:
                ident, aliases = given[0], given[1:]
            elif n.op == "const":
                ident, aliases = fresh("c"), []
            else:
                layer = (layer_names.get(_evaluated(n.expr, memo))
                         if n.expr is not None and layer_names else None)
                if layer and layer not in used_layers:
                    used_layers.add(layer)
                    ident = layer
                else:
                    ident = fresh("u")
                aliases = []
            n.id = ident
            n.aliases = tuple(a for a in aliases if a != ident)
        inputs = {n.id: n.index for n in sorted((n for n in nodes if n.op == "input"),
                                                 key=lambda n: n.id)}
        return Graph(list(nodes), output, inputs)


def _evaluated(e: sympy.Expr, memo: dict | None = None) -> sympy.Expr:
    """``e`` rebuilt with SymPy's evaluation, so ``x·x`` typed and ``x^2`` compare equal.
    (Memoised by object: a program's inlined expressions share sub-trees.)"""
    if not e.args or e.is_Atom:
        return e
    memo = {} if memo is None else memo
    key = id(e)
    if key not in memo:
        memo[key] = (e, e.func(*[_evaluated(a, memo) for a in e.args]))
    return memo[key][1]


def _key(node: Node) -> tuple:
    if node.op == "input":
        return ("input", node.expr.name)
    if node.op == "const":
        return ("const", node.expr if node.expr is not None else node.value)
    args = node.args
    if node.op in ("add", "mul"):
        args = tuple(sorted(args))
    return (node.op, args)


def _negated(e: sympy.Expr) -> sympy.Expr | None:
    """t when e is -t written as (-1)·t, else None."""
    if e.is_Mul and len(e.args) == 2 and e.args[0] is sympy.S.NegativeOne:
        return e.args[1]
    if e.is_Mul and len(e.args) > 2 and e.args[0] is sympy.S.NegativeOne:
        return sympy.Mul(*e.args[1:], evaluate=False)
    return None


def _is_reciprocal(e: sympy.Expr) -> bool:
    return e.is_Pow and e.exp == -1 and bool(e.base.free_symbols)


def _prune(nodes: list[Node], output: int) -> tuple[list[Node], int]:
    """Keep the nodes the output depends on, renumbered in the same order."""
    keep = [False] * len(nodes)
    keep[output] = True
    for n in reversed(nodes[: output + 1]):
        if keep[n.index]:
            for a in n.args:
                keep[a] = True
    new_index: dict[int, int] = {}
    out: list[Node] = []
    for n in nodes:
        if keep[n.index]:
            new_index[n.index] = len(out)
            out.append(Node(len(out), n.op, tuple(new_index[a] for a in n.args), n.numpy,
                            n.expr, n.value, n.id, n.aliases, n.active))
    return out, new_index[output]


# ── public entry points ─────────────────────────────────────────────────────────────
def build_graph(source: sympy.Expr | Program, *,
                layer_names: Mapping[sympy.Expr, str] | None = None) -> Graph:
    """A graph for a SymPy expression (output named ``f``) or a parsed :class:`Program`.

    ``layer_names`` ({sub-expression: letter}) lets a caller name intermediate nodes
    the way it names chain-rule layers, so two views of one computation match.
    """
    builder = GraphBuilder()
    if isinstance(source, Program):
        return _build_program(builder, source, layer_names)
    expr = source
    if isinstance(source, int):
        expr = sympy.Integer(source)
    elif isinstance(source, float):
        expr = sympy.Float(source)
    out = builder.build(expr)
    used = {s.name for s in expr.free_symbols}
    name = "f" if "f" not in used else "out"
    if builder.nodes[out].op in ("input", "const"):
        name = None
    return builder.finish(out, output_name=name, layer_names=layer_names)


def _build_program(builder: GraphBuilder, program: Program,
                   layer_names: Mapping[sympy.Expr, str] | None) -> Graph:
    env: dict[sympy.Symbol, int] = {}
    names: dict[int, list[str]] = {}
    for d in program.definitions:
        index = builder.build(d.expr, env)
        env[symbol(d.name)] = index
        names.setdefault(index, []).append(d.name)
    _fill_exprs(builder)
    out = env[symbol(program.output)]
    graph = builder.finish(out, names=names, output_name=program.output,
                           layer_names=layer_names)
    return graph


def _fill_exprs(builder: GraphBuilder) -> None:
    """Program nodes were built over definition names: recompute each node's expression
    in the inputs alone (a node built from ``g^2`` must say ``(w x)^2``)."""
    exprs: list[sympy.Expr] = []
    for n in builder.nodes:
        if n.op in ("input", "const"):
            exprs.append(n.expr)
        else:
            exprs.append(apply_op(n.op, [exprs[a] for a in n.args], evaluate=False))
        n.expr = exprs[-1]


def graph_from_text(text: str, *, layer_names: Mapping[sympy.Expr, str] | None = None) -> Graph:
    """Parse an expression or a ``g = w x; a = g^2; L = a`` program (learner's structure
    kept: ``evaluate=False``) and build its graph."""
    from calctutor.textsplit import looks_like_program
    from calctutor.parsing import parse, parse_program

    if looks_like_program(text):
        program = parse_program(text, evaluate=False)
        if len(program.definitions) == 1 and program.output == "out":
            return build_graph(program.definitions[0].expr, layer_names=layer_names)
        return build_graph(program, layer_names=layer_names)
    return build_graph(parse(text, evaluate=False), layer_names=layer_names)
