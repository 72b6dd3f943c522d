"""The primitives table turned into NumPy: function values and a small expression compiler.

Two things live here:

* :func:`function` — the NumPy function a table row's ``numpy`` reference names
  (:mod:`calctutor.primitives`); the ones NumPy lacks are written here. They follow SymPy's real-valued conventions, so the graph,
  the grader and SymPy agree: ``step(0) = 1/2`` (SymPy's ``Heaviside``), ``sign(0) = 0``,
  ``acot(x)`` in (-pi/2, pi/2] with ``acot(0) = pi/2``, and the real inverse of
  ``sec``/``csc``. Outside a function's real domain the value is NaN (never a complex
  number, never an exception). ``sigmoid``, ``softplus`` and ``logsumexp`` are written so
  that large arguments cannot overflow.
* :func:`compile_expr` — a tree-walking compiler from a SymPy expression to a
  straight-line NumPy program (a *tape*): each distinct sub-expression becomes one
  instruction (hash-consing gives common sub-expression elimination for free), constants
  are folded to floats once. It is how a derivative formula read from the table by
  :func:`calctutor.rules.local_derivative` becomes something that runs on arrays of
  points; :func:`local_derivative_fn` does exactly that, with caching.

No ``eval``, no ``lambdify``: the tape calls the table's NumPy functions directly.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, reduce

import numpy as np
import sympy

from calctutor.errors import CalcError
from calctutor.primitives import OPERATORS, PRIMITIVES

Array = np.ndarray


# ── NumPy implementations the table's ``numpy`` references point at ───────────────
def sigmoid(x):
    # e = exp(-|x|) never overflows; pick the algebraically equal form per sign.
    e = np.exp(-np.abs(x))
    return np.where(np.asarray(x) >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def relu(x):
    return np.maximum(x, 0.0)


def softplus(x):
    return np.logaddexp(0.0, x)


def heaviside(x):
    return np.heaviside(x, 0.5)  # SymPy's Heaviside(0) is 1/2


def logsumexp(*args):
    if len(args) == 1:
        return np.asarray(args[0], dtype=float) + 0.0
    shift = reduce(np.maximum, args)
    # With an infinite shift the shifted terms would be inf - inf; use 0 there.
    safe = np.where(np.isfinite(shift), shift, 0.0)
    total = reduce(np.add, (np.exp(a - safe) for a in args))
    return safe + np.log(total)


def maximum(*args):
    return reduce(np.maximum, args)


def minimum(*args):
    return reduce(np.minimum, args)


def add(*args):
    return reduce(np.add, args)


def multiply(*args):
    return reduce(np.multiply, args)


def arccot(x):
    x = np.asarray(x, dtype=float)
    with np.errstate(divide="ignore"):
        return np.where(x == 0, np.pi / 2, np.arctan(1.0 / x))


def arcsec(x):
    with np.errstate(divide="ignore"):
        return np.arccos(1.0 / np.asarray(x, dtype=float))


def arccsc(x):
    with np.errstate(divide="ignore"):
        return np.arcsin(1.0 / np.asarray(x, dtype=float))


def _recip(fn):
    def inner(x):
        return 1.0 / fn(x)

    inner.__name__ = f"recip_{fn.__name__}"
    return inner


sec = _recip(np.cos)
csc = _recip(np.sin)
cot = _recip(np.tan)
sech = _recip(np.cosh)
csch = _recip(np.sinh)
coth = _recip(np.tanh)


@lru_cache(maxsize=None)
def function(reference: str) -> Callable[..., Array]:
    """The NumPy function a table row refers to (its ``numpy`` field).

    ``"numpy:sin"`` is ``numpy.sin``; ``"calctutor.numeric:sigmoid"`` a function of this
    module; ``"calctutor.mathfuncs:gelu.numpy"`` an attribute of a class; ``"math:erf"``
    a scalar function of the standard library, vectorised over arrays.
    """
    import importlib

    module_name, _, path = reference.partition(":")
    if not module_name.startswith(("numpy", "math", "calctutor.")) or not path:
        raise KeyError(f"not a NumPy function reference: {reference!r}")
    try:
        target = importlib.import_module(module_name)
        for attr in path.split("."):
            target = getattr(target, attr)
    except (ImportError, AttributeError):
        raise KeyError(f"no NumPy function at {reference!r}") from None
    if module_name == "math":
        return np.vectorize(target, otypes=[float])
    return target


def unresolved() -> set[str]:
    """Table ``numpy`` references that name no function (empty when all is well)."""
    bad = set()
    for row in (*PRIMITIVES, *OPERATORS):
        try:
            function(row.numpy)
        except KeyError:
            bad.add(row.numpy)
    return bad


# ── the expression compiler ─────────────────────────────────────────────────────────
class UnsupportedExpression(CalcError):
    """A SymPy object the numeric engine has no table row for."""


@dataclass(frozen=True, slots=True)
class Tape:
    """A straight-line NumPy program: slots 0..n-1 are the variables, then constants,
    then one slot per instruction."""

    variables: tuple[str, ...]
    constants: tuple[float, ...]
    instructions: tuple[tuple[Callable[..., Array], tuple[int, ...]], ...]
    result: int  # slot holding the value

    def __call__(self, *values) -> Array:
        """Run the tape (callers mute NumPy's warnings: see :meth:`evaluate`)."""
        slots: list = [*values, *self.constants]
        append = slots.append
        for fn, ins in self.instructions:
            append(fn(*[slots[i] for i in ins]))
        return slots[self.result]

    def evaluate(self, points: dict[str, object]) -> Array:
        """Evaluate at ``points`` ({name: scalar or array}); the result is broadcast.
        NaN where undefined (NumPy's warnings muted: the NaN is the report)."""
        arrays = [np.asarray(points[name], dtype=float) for name in self.variables]
        shape = np.broadcast_shapes(*(a.shape for a in arrays)) if arrays else ()
        with np.errstate(all="ignore"):
            value = self(*arrays)
        return np.broadcast_to(np.asarray(value, dtype=float), shape).copy()


def constant_value(expr: sympy.Expr) -> float:
    """A float for a constant SymPy expression (pi, ln(2), 3/4, oo → inf).

    Raises UnsupportedExpression if the value is not real.
    """
    if expr.is_Integer or expr.is_Rational:
        return float(expr)
    if expr is sympy.S.Infinity:
        return math.inf
    if expr is sympy.S.NegativeInfinity:
        return -math.inf
    if expr is sympy.S.NaN or expr is sympy.S.ComplexInfinity:
        return math.nan
    value = expr.evalf(20)
    if value.is_real is False or value.has(sympy.I):
        # a complex constant such as sqrt(-1) or ln(-1): no real value
        return math.nan
    try:
        return float(value)
    except TypeError:
        return math.nan


class _Compiler:
    def __init__(self, variables: Sequence[str]) -> None:
        self.variables = tuple(variables)
        self.slot_of_var = {name: i for i, name in enumerate(self.variables)}
        self.constants: list[float] = []
        self.const_slot: dict[float, int] = {}
        self.instructions: list[tuple[Callable, tuple[int, ...]]] = []
        self.memo: dict[sympy.Expr, int] = {}
        self.keyed: dict[tuple, int] = {}

    # slots are numbered: variables, then constants, then instructions. Constants are
    # collected first in a separate list and renumbered in finish().
    def const(self, value: float) -> int:
        key = value if not math.isnan(value) else "nan"
        if key not in self.const_slot:
            self.const_slot[key] = -(len(self.constants) + 1)  # provisional (negative)
            self.constants.append(value)
        return self.const_slot[key]

    def emit(self, fn: Callable, ins: tuple[int, ...]) -> int:
        key = (fn, ins)
        if key in self.keyed:
            return self.keyed[key]
        self.instructions.append((fn, ins))
        slot = 10**9 + len(self.instructions) - 1  # provisional (instruction index)
        self.keyed[key] = slot
        return slot

    def compile(self, expr: sympy.Expr) -> int:
        if expr in self.memo:
            return self.memo[expr]
        slot = self._compile(expr)
        self.memo[expr] = slot
        return slot

    def _compile(self, e: sympy.Expr) -> int:
        if e.is_Symbol:
            if e.name not in self.slot_of_var:
                raise UnsupportedExpression(f"no value given for the variable {e.name!r}")
            return self.slot_of_var[e.name]
        if not e.free_symbols:
            return self.const(constant_value(e))
        if e.is_Add:
            return self.emit(add, tuple(self.compile(a) for a in e.args))
        if e.is_Mul:
            num = [a for a in e.args if not _is_reciprocal(a)]
            den = [a.base for a in e.args if _is_reciprocal(a)]
            top = self._product(num) if num else self.const(1.0)
            if not den:
                return top
            return self.emit(np.divide, (top, self._product(den)))
        if e.is_Pow:
            return self._power(e.base, e.exp)
        if isinstance(e, sympy.exp):
            return self.emit(np.exp, (self.compile(e.args[0]),))
        from calctutor.rules import row_for

        row = row_for(e)
        if row is None:
            raise UnsupportedExpression(
                f"calctutor cannot evaluate {type(e).__name__} numerically"
            )
        args = e.args[:1] if row.name == "step" else e.args
        return self.emit(function(row.numpy), tuple(self.compile(a) for a in args))

    def _product(self, factors: list[sympy.Expr]) -> int:
        if len(factors) == 1:
            return self.compile(factors[0])
        return self.emit(multiply, tuple(self.compile(f) for f in factors))

    def _power(self, base: sympy.Expr, exp: sympy.Expr) -> int:
        if base is sympy.E:
            return self.emit(np.exp, (self.compile(exp),))
        b = self.compile(base)
        if exp == 2:
            return self.emit(np.square, (b,))
        if exp == sympy.S.Half:
            return self.emit(np.sqrt, (b,))
        if exp == -1:
            return self.emit(np.divide, (self.const(1.0), b))
        if exp == -2:
            return self.emit(np.divide, (self.const(1.0), self.emit(np.square, (b,))))
        return self.emit(np.power, (b, self.compile(exp)))

    def finish(self, result: int) -> Tape:
        n_var = len(self.variables)
        n_const = len(self.constants)

        def real(slot: int) -> int:
            if slot < 0:
                return n_var + (-slot - 1)
            if slot >= 10**9:
                return n_var + n_const + (slot - 10**9)
            return slot

        instructions = tuple((fn, tuple(real(i) for i in ins)) for fn, ins in self.instructions)
        return Tape(self.variables, tuple(self.constants), instructions, real(result))


def _is_reciprocal(e: sympy.Expr) -> bool:
    return e.is_Pow and e.exp == -1 and bool(e.base.free_symbols)


def compile_expr(expr: sympy.Expr, variables: Sequence[str]) -> Tape:
    """Compile ``expr`` into a NumPy tape taking the ``variables`` (by name) in order.

    Symbols are matched by name, so a symbol with other assumptions still finds its slot.
    Raises :class:`UnsupportedExpression` for objects outside the table.
    """
    compiler = _Compiler(variables)
    return compiler.finish(compiler.compile(expr))


def evaluate(expr: sympy.Expr, points: dict[str, object]) -> Array:
    """``expr`` at the given points ({name: scalar or array}), vectorised."""
    names = sorted(s.name for s in expr.free_symbols)
    return compile_expr(expr, names).evaluate(points)


# ── local derivatives from the table, compiled ──────────────────────────────────────
def arg_symbol(k: int) -> sympy.Symbol:
    """The dummy symbol standing for a node's k-th argument in a compiled formula."""
    return sympy.Symbol(f"_arg{k}", real=True)


#: The dummy symbol for the node's own value (so e^u' = e^u reuses the forward value).
OUT = sympy.Symbol("_out", real=True)
#: For an n-ary product: the product of the other factors.
REST = sympy.Symbol("_rest", real=True)


@dataclass(frozen=True, slots=True)
class LocalDerivative:
    """d op(args) / d args[index], as a formula and as compiled NumPy code.

    ``formula`` mentions ``_arg0``, ``_arg1``, …, ``_out`` (the node's value) and, for
    products of more than two factors, ``_rest`` (the product of the other factors).
    ``constant`` is set when the formula is a number (the sum rule's 1, the step's 0).
    """

    formula: sympy.Expr
    tape: Tape
    constant: float | None

    def __call__(self, args: Sequence[Array], out: Array, rest: Array | None = None) -> Array:
        if self.constant is not None:
            return self.constant
        return self.tape(*args, out, rest if rest is not None else 0.0)


@lru_cache(maxsize=None)
def local_derivative_fn(op: str, nargs: int, index: int) -> LocalDerivative:
    """The table's local derivative of ``op`` with ``nargs`` arguments w.r.t. ``index``.

    ``op`` is a table row name (``sin``, ``sigmoid``, ``max``) or an operator row
    (``add``, ``sub``, ``neg``, ``mul``, ``div``, ``pow``). Sums and products with more
    than two operands use the binary rows: every term of a sum has the sum rule's 1; the
    product rule's ``v`` is the product of the other factors (``_rest``).
    """
    from calctutor.rules import local_derivative, sympy_function
    from calctutor.primitives import by_name, operator

    args = [arg_symbol(k) for k in range(nargs)]
    if op == "add":
        formula = local_derivative("add", args[:2] if nargs >= 2 else [args[0], args[0]],
                                   min(index, 1))
    elif op == "mul" and nargs > 2:
        formula = local_derivative("mul", [args[index], REST], 0)
    elif op == "mul":
        formula = local_derivative("mul", args, index)
    else:
        formula = local_derivative(op, args, index)
        # Reuse the forward value: e^u, sigmoid(u)(1 - sigmoid(u)), 1 - tanh(u)^2, …
        row = operator(op) if op in ("sub", "neg", "div", "pow") else by_name(op)
        if row.kind == "function":
            formula = formula.xreplace({sympy_function(row)(*args): OUT})
        elif op == "pow":
            formula = formula.xreplace({sympy.Pow(args[0], args[1]): OUT})
    variables = [a.name for a in args] + [OUT.name, REST.name]
    tape = compile_expr(formula, variables)
    constant = None
    if not formula.free_symbols:
        constant = constant_value(formula)
    return LocalDerivative(formula, tape, constant)


# ── activations and losses (the rows' ``numpy`` references point here) ─────────────
def leaky_relu(x, a):
    return np.where(np.asarray(x) > 0, x, np.multiply(a, x))


def elu(x, alpha):
    x = np.asarray(x, dtype=float)
    return np.where(x > 0, x, np.multiply(alpha, np.expm1(np.minimum(x, 0.0))))


def gelu_tanh(x):
    x = np.asarray(x, dtype=float)
    return 0.5 * x * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (x + 0.044715 * x ** 3)))


def silu(x):
    return np.multiply(x, sigmoid(x))


def softsign(x):
    return np.divide(x, 1.0 + np.abs(x))


def hard_tanh(x):
    return np.clip(x, -1.0, 1.0)


def mse(yhat, y):
    return np.square(np.subtract(yhat, y))


def bce(p, y):
    return -(np.multiply(y, np.log(p)) + np.multiply(np.subtract(1.0, y), np.log1p(np.negative(p))))


def bce_logits(z, y):
    z = np.asarray(z, dtype=float)
    # softplus(z) - y z without overflow: max(z, 0) + log1p(e^-|z|) - y z
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z))) - np.multiply(y, z)


def huber(r, delta):
    r = np.asarray(r, dtype=float)
    a = np.abs(r)
    return np.where(a <= delta, 0.5 * r * r, np.multiply(delta, a - np.multiply(0.5, delta)))
