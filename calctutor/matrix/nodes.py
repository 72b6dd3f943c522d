"""Matrix expressions: an immutable tree whose every node knows its shape.

A shape is ``(rows, cols)``; a dimension is an ``int`` or a size symbol such as ``"n"``.
Vectors are columns (n×1), scalars are 1×1. Inside a product (:class:`MatMul`) a factor
whose shape is exactly 1×1 is a scalar and commutes; the other factors form one
conformable chain, in order. The smart constructors here (:func:`mul`, :func:`add`, …)
check shapes and raise :class:`ShapeError`; the parser turns that into a message with a
caret, the engines never trigger it on a well-formed tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

Dim = int | str
Shape = tuple[Dim, Dim]
SCALAR: Shape = (1, 1)

#: Elementwise functions and the name of their row in the primitives table.
ELEMENTWISE = {"exp": "exp", "log": "ln", "sigmoid": "sigmoid", "tanh": "tanh",
               "relu": "relu", "sqrt": "sqrt", "step": "step"}
#: Functions of a whole vector or matrix that give a scalar.
REDUCTIONS = ("tr", "det", "sum", "norm", "fro", "logsumexp")


class ShapeError(Exception):
    """Operands whose shapes do not fit; ``parts`` says which operand is at fault."""

    def __init__(self, message: str, culprit: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.culprit = culprit


def show_dim(d: Dim) -> str:
    return str(d)


def show_shape(shape: Shape) -> str:
    return f"{show_dim(shape[0])}×{show_dim(shape[1])}"


def is_scalar(node: Node) -> bool:
    return node.shape == SCALAR


@dataclass(frozen=True, slots=True)
class Node:
    shape: Shape


@dataclass(frozen=True, slots=True)
class Var(Node):
    name: str


@dataclass(frozen=True, slots=True)
class Const(Node):
    value: Fraction


@dataclass(frozen=True, slots=True)
class Eye(Node):
    """The identity matrix ``I`` (its size from the shape)."""


@dataclass(frozen=True, slots=True)
class Ones(Node):
    """The vector of ones ``1`` (a column)."""


@dataclass(frozen=True, slots=True)
class Zero(Node):
    """A zero of any shape (only ever produced by differentiation)."""


@dataclass(frozen=True, slots=True)
class Add(Node):
    terms: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class MatMul(Node):
    factors: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Transpose(Node):
    arg: Node


@dataclass(frozen=True, slots=True)
class Inverse(Node):
    arg: Node


@dataclass(frozen=True, slots=True)
class Power(Node):
    """``u^k`` for a scalar u, ``u .^ k`` elementwise for a vector or matrix."""

    arg: Node
    exponent: Fraction


@dataclass(frozen=True, slots=True)
class Elem(Node):
    """An elementwise function: exp, log, sigmoid, tanh, relu, sqrt, step."""

    fn: str
    arg: Node


@dataclass(frozen=True, slots=True)
class Hadamard(Node):
    """``a .* b``: the elementwise product."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class EDiv(Node):
    """``a ./ b``: the elementwise quotient."""

    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Reduce(Node):
    """A scalar of a vector or matrix: tr, det, sum, norm (‖x‖), fro (‖X‖_F), logsumexp."""

    fn: str
    arg: Node


@dataclass(frozen=True, slots=True)
class Softmax(Node):
    arg: Node


@dataclass(frozen=True, slots=True)
class Diag(Node):
    """``diag(v)``: the diagonal matrix of a vector, or the diagonal of a square matrix."""

    arg: Node


# ----------------------------------------------------------------- constructors

def const(value) -> Const:
    return Const(SCALAR, Fraction(value))


ONE = Const(SCALAR, Fraction(1))
MINUS_ONE = Const(SCALAR, Fraction(-1))


def zero(shape: Shape) -> Node:
    """Zero of a shape: the number 0 for a scalar."""
    return Const(SCALAR, Fraction(0)) if shape == SCALAR else Zero(shape)


def var(name: str, shape: Shape) -> Var:
    return Var(shape, name)


def _describe(shape: Shape) -> str:
    if shape == SCALAR:
        return "a scalar"
    if shape[1] == 1:
        return f"a vector of {show_dim(shape[0])} ({show_shape(shape)})"
    return show_shape(shape)


def add(*terms: Node) -> Node:
    """The sum; a literal scalar 1 next to a vector is the vector of ones."""
    items = [t for t in terms]
    if len(items) == 1:
        return items[0]
    target = next((t.shape for t in items if t.shape != SCALAR), SCALAR)
    out = []
    for i, t in enumerate(items):
        if t.shape != target:
            if t.shape == SCALAR and target[1] == 1 and _is_literal(t):
                t = scale(t.value, Ones((target[0], 1))) if t.value != 1 else Ones((target[0], 1))
            else:
                raise ShapeError(f"cannot add {_describe(t.shape)} and {_describe(target)}",
                                 culprit=i)
        out.append(t)
    return Add(target, tuple(out))


def _is_literal(node: Node) -> bool:
    return isinstance(node, Const)


def neg(node: Node) -> Node:
    return mul(MINUS_ONE, node)


def sub(a: Node, b: Node) -> Node:
    return add(a, neg(b))


def scale(c, node: Node) -> Node:
    return mul(const(c), node)


def chain_shape(factors: list[Node]) -> Shape:
    """Shape of a product, scalars commuting; raises ShapeError naming the bad factor."""
    shape: Shape | None = None
    for i, f in enumerate(factors):
        if f.shape == SCALAR:
            continue
        if shape is None:
            shape = f.shape
            continue
        if shape[1] != f.shape[0]:
            raise ShapeError(_mismatch(shape, f.shape), culprit=i)
        shape = (shape[0], f.shape[1])
    return shape or SCALAR


def _mismatch(left: Shape, right: Shape) -> str:
    return (f"the left factor is {show_shape(left)} but the right one has "
            f"{show_dim(right[0])} row{'s' if right[0] != 1 else ''}")


def mul(*factors: Node) -> Node:
    """The product of the factors, in order. A sub-chain that collapses to 1×1 in the
    middle of a longer product (``x^T y z``) becomes one scalar factor."""
    items: list[Node] = []
    # a 1×1 product stays one scalar factor (aᵀx) unless it is the only chain in the product
    chains = sum(1 for f in factors if f.shape != SCALAR or
                 (isinstance(f, MatMul) and any(g.shape != SCALAR for g in f.factors)))
    for f in factors:
        if isinstance(f, MatMul) and (f.shape != SCALAR or chains <= 1):
            items.extend(f.factors)
        else:
            items.append(f)
    consts = [f for f in items if isinstance(f, Const)]
    if consts:
        value = Fraction(1)
        for c in consts:
            value *= c.value
        rest = [f for f in items if not isinstance(f, Const)]
        items = ([Const(SCALAR, value)] if value != 1 or not rest else []) + rest
    if len(items) == 1:
        return items[0]
    # group: a run of chain factors whose product is 1×1 followed by a non-scalar factor
    grouped: list[Node] = []
    run: list[Node] = []
    run_shape: Shape | None = None
    for i, f in enumerate(items):
        if f.shape == SCALAR:
            grouped.append(f)
            continue
        if run_shape is not None and run_shape == SCALAR and f.shape[0] != 1:
            # x^T y  then  z: the 1×1 run is a scalar factor
            grouped.append(MatMul(SCALAR, tuple(run)) if len(run) > 1 else run[0])
            run, run_shape = [], None
        if run_shape is not None and run_shape[1] != f.shape[0]:
            raise ShapeError(_mismatch(run_shape, f.shape), culprit=i)
        run.append(f)
        run_shape = f.shape if run_shape is None else (run_shape[0], f.shape[1])
    grouped.extend(run)
    if len(grouped) == 1:
        return grouped[0]
    return MatMul(chain_shape(grouped), tuple(grouped))


def transpose(node: Node) -> Node:
    return Transpose((node.shape[1], node.shape[0]), node)


def inverse(node: Node) -> Node:
    if node.shape[0] != node.shape[1] or node.shape == SCALAR:
        if node.shape == SCALAR:
            return power(node, -1)
        raise ShapeError(f"only a square matrix has an inverse; this is {show_shape(node.shape)}")
    return Inverse(node.shape, node)


def power(node: Node, k) -> Node:
    return Power(node.shape, node, Fraction(k))


def elem(fn: str, node: Node) -> Node:
    return Elem(node.shape, fn, node)


def _same(a: Node, b: Node, op: str) -> Shape:
    if a.shape == b.shape:
        return a.shape
    raise ShapeError(f"{op} needs two operands of the same shape, not "
                     f"{show_shape(a.shape)} and {show_shape(b.shape)}", culprit=1)


def hadamard(a: Node, b: Node) -> Node:
    if a.shape == SCALAR or b.shape == SCALAR:
        return mul(a, b)
    return Hadamard(_same(a, b, ".*"), a, b)


def ediv(a: Node, b: Node) -> Node:
    if b.shape == SCALAR:
        return mul(a, power(b, -1))
    if a.shape == SCALAR and isinstance(a, Const):
        a = Ones(b.shape) if a.value == 1 else scale(a.value, Ones(b.shape))
    return EDiv(_same(a, b, "./"), a, b)


def reduce(fn: str, node: Node) -> Node:
    r, c = node.shape
    if fn in ("tr", "det") and (r != c):
        raise ShapeError(f"{fn} needs a square matrix; this is {show_shape(node.shape)}")
    if fn in ("sum", "norm", "logsumexp") and c != 1:
        raise ShapeError(f"{fn} needs a column vector; this is {show_shape(node.shape)}"
                         + (" (for a matrix use ||X||_F)" if fn == "norm" else ""))
    return Reduce(SCALAR, fn, node)


def softmax(node: Node) -> Node:
    if node.shape[1] != 1:
        raise ShapeError(f"softmax needs a column vector; this is {show_shape(node.shape)}")
    return Softmax(node.shape, node)


def diag(node: Node) -> Node:
    r, c = node.shape
    if c == 1:
        return Diag((r, r), node)
    if r == c:
        return Diag((r, 1), node)
    raise ShapeError(f"diag needs a vector or a square matrix; this is {show_shape(node.shape)}")


# ----------------------------------------------------------------- queries

def children(node: Node) -> tuple[Node, ...]:
    if isinstance(node, Add):
        return node.terms
    if isinstance(node, MatMul):
        return node.factors
    if isinstance(node, (Hadamard, EDiv)):
        return (node.left, node.right)
    if isinstance(node, (Transpose, Inverse, Power, Elem, Reduce, Softmax, Diag)):
        return (node.arg,)
    return ()


def depends(node: Node, name: str) -> bool:
    if isinstance(node, Var):
        return node.name == name
    return any(depends(c, name) for c in children(node))


def variables(node: Node) -> set[str]:
    if isinstance(node, Var):
        return {node.name}
    out: set[str] = set()
    for c in children(node):
        out |= variables(c)
    return out


def substitute(node: Node, mapping: dict[str, Node]) -> Node:
    """Replace variables by expressions of the same shape (rebuilding with the
    constructors, so products regroup)."""
    if isinstance(node, Var):
        return mapping.get(node.name, node)
    return rebuild(node, [substitute(c, mapping) for c in children(node)])


def rebuild(node: Node, kids: list[Node]) -> Node:
    if isinstance(node, Add):
        return add(*kids)
    if isinstance(node, MatMul):
        return mul(*kids)
    if isinstance(node, Hadamard):
        return hadamard(*kids)
    if isinstance(node, EDiv):
        return ediv(*kids)
    if isinstance(node, Transpose):
        return transpose(kids[0])
    if isinstance(node, Inverse):
        return inverse(kids[0])
    if isinstance(node, Power):
        return power(kids[0], node.exponent)
    if isinstance(node, Elem):
        return elem(node.fn, kids[0])
    if isinstance(node, Reduce):
        return reduce(node.fn, kids[0])
    if isinstance(node, Softmax):
        return softmax(kids[0])
    if isinstance(node, Diag):
        return diag(kids[0])
    return node


def dims(node: Node) -> set[str]:
    """The size symbols the tree uses."""
    out = {d for d in node.shape if isinstance(d, str)}
    for c in children(node):
        out |= dims(c)
    return out
