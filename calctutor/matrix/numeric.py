"""Evaluate matrix expressions with NumPy, draw random inputs, and check a gradient or
Jacobian against central differences of the function, component by component."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from calctutor import primitives
from calctutor.matrix import nodes as N
from calctutor.matrix.nodes import Dim, Node
from calctutor.matrix.shapes import Decl
from calctutor.numeric import function as numpy_function

#: The concrete sizes a symbolic size takes when a result is checked.
TRIAL_SIZES = (2, 3, 4)
TOLERANCE = 1e-5


def size(d: Dim, sizes: dict[str, int]) -> int:
    return d if isinstance(d, int) else sizes[d]


def _elementwise(fn: str):
    return numpy_function(primitives.by_name(N.ELEMENTWISE[fn]).numpy)


def evaluate(node: Node, env: dict[str, np.ndarray], sizes: dict[str, int]) -> np.ndarray:
    """The value of ``node`` as a 2-D float array (1×1 for a scalar)."""
    return _Eval(env, sizes).run(node)


class _Eval:
    def __init__(self, env, sizes) -> None:
        self.env = env
        self.sizes = sizes

    def dim(self, d: Dim) -> int:
        return size(d, self.sizes)

    def run(self, node: Node) -> np.ndarray:  # noqa: C901
        if isinstance(node, N.Var):
            return self.env[node.name]
        if isinstance(node, N.Const):
            return np.array([[float(node.value)]])
        if isinstance(node, N.Eye):
            return np.eye(self.dim(node.shape[0]))
        if isinstance(node, N.Ones):
            return np.ones((self.dim(node.shape[0]), self.dim(node.shape[1])))
        if isinstance(node, N.Zero):
            return np.zeros((self.dim(node.shape[0]), self.dim(node.shape[1])))
        if isinstance(node, N.Add):
            out = self.run(node.terms[0])
            for t in node.terms[1:]:
                out = out + self.run(t)
            return out
        if isinstance(node, N.MatMul):
            return self.product(node)
        if isinstance(node, N.Transpose):
            return self.run(node.arg).T
        if isinstance(node, N.Inverse):
            return np.linalg.inv(self.run(node.arg))
        if isinstance(node, N.Power):
            with np.errstate(all="ignore"):
                return np.power(self.run(node.arg), float(node.exponent))
        if isinstance(node, N.Elem):
            with np.errstate(all="ignore"):
                return np.asarray(_elementwise(node.fn)(self.run(node.arg)), dtype=float)
        if isinstance(node, N.Hadamard):
            return self.run(node.left) * self.run(node.right)
        if isinstance(node, N.EDiv):
            with np.errstate(all="ignore"):
                return self.run(node.left) / self.run(node.right)
        if isinstance(node, N.Reduce):
            a = self.run(node.arg)
            fn = node.fn
            if fn == "tr":
                v = np.trace(a)
            elif fn == "det":
                v = np.linalg.det(a)
            elif fn == "sum":
                v = a.sum()
            elif fn in ("norm", "fro"):
                v = np.sqrt((a * a).sum())
            else:  # logsumexp
                m = a.max()
                v = m + np.log(np.exp(a - m).sum())
            return np.array([[float(v)]])
        if isinstance(node, N.Softmax):
            a = self.run(node.arg)
            e = np.exp(a - a.max())
            return e / e.sum()
        if isinstance(node, N.Diag):
            a = self.run(node.arg)
            if node.arg.shape[1] == 1:
                return np.diag(a[:, 0])
            return np.diag(a).reshape(-1, 1)
        raise TypeError(type(node).__name__)

    def product(self, node: N.MatMul) -> np.ndarray:
        """Scalar factors commute; the chain multiplies in order."""
        scalar = 1.0
        out = None
        for f in node.factors:
            v = self.run(f)
            if N.is_scalar(f):
                scalar = scalar * v[0, 0]
            else:
                out = v if out is None else out @ v
        if out is None:
            return np.array([[scalar]])
        return scalar * out


# ----------------------------------------------------------------- random inputs

def uses(node: Node, kind) -> bool:
    return isinstance(node, kind) or any(uses(c, kind) for c in N.children(node))


def _needs_positive(node: Node) -> set[str]:
    """Variables under a log or sqrt (drawn positive)."""
    out: set[str] = set()
    if isinstance(node, N.Elem) and node.fn in ("log", "sqrt"):
        out |= N.variables(node.arg)
    if isinstance(node, N.Power) and node.exponent.denominator != 1:
        out |= N.variables(node.arg)
    for c in N.children(node):
        out |= _needs_positive(c)
    return out


def trial_sizes(symbols: set[str], draw: int, rng: np.random.Generator) -> dict[str, int]:
    """Concrete sizes for a draw: the first draws go through 2, 3, 4 in turn."""
    out = {}
    for i, s in enumerate(sorted(symbols)):
        out[s] = TRIAL_SIZES[(draw + i) % len(TRIAL_SIZES)] if draw < 3 else int(rng.integers(2, 5))
    return out


def draw_values(decls: dict[str, Decl], sizes: dict[str, int], rng: np.random.Generator,
                positive: set[str] = frozenset(), well_conditioned: bool = False
                ) -> dict[str, np.ndarray]:
    env = {}
    for name, d in sorted(decls.items()):
        r, c = size(d.shape[0], sizes), size(d.shape[1], sizes)
        m = rng.standard_normal((r, c))
        if d.prob:
            e = np.exp(m)
            m = e / e.sum()
        elif d.positive or name in positive:
            m = np.abs(m) + 0.5
        if d.symmetric:
            m = (m + m.T) / 2
        if r == c and r > 1 and well_conditioned:
            m = m + r * np.eye(r)
        env[name] = m
    return env


@dataclass(frozen=True, slots=True)
class Check:
    """The outcome of a numeric check."""

    method: str
    draws: int
    max_relative_error: float
    sizes: tuple[dict, ...]
    #: the second witness (calctutor's reverse-mode autodiff on the entries), if it ran
    autodiff_draws: int = 0
    autodiff_error: float | None = None

    @property
    def ok(self) -> bool:
        return (self.draws > 0 and self.max_relative_error <= TOLERANCE
                and (self.autodiff_error is None or self.autodiff_error <= TOLERANCE))


def central_gradient(f: Node, wrt: str, env, sizes) -> np.ndarray:
    """∂f/∂V component by component (f scalar: V's shape; f a vector: m×n Jacobian)."""
    base = env[wrt]
    out_shape = evaluate(f, env, sizes).shape
    vector_out = out_shape[1] == 1 and out_shape != (1, 1)
    grads = np.zeros(base.shape)
    jac = np.zeros((out_shape[0], base.size))
    for k, idx in enumerate(np.ndindex(base.shape)):
        h = 1e-6 * max(1.0, abs(base[idx]))
        plus, minus = base.copy(), base.copy()
        plus[idx] += h
        minus[idx] -= h
        fp = evaluate(f, {**env, wrt: plus}, sizes)
        fm = evaluate(f, {**env, wrt: minus}, sizes)
        d = (fp - fm) / (2 * h)
        if vector_out:
            jac[:, k] = d[:, 0]
        else:
            grads[idx] = d[0, 0]
    return jac if vector_out else grads


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    if a.shape != b.shape:
        return float("inf")
    scale = max(float(np.max(np.abs(b))) if b.size else 0.0, 1e-3)
    return float(np.max(np.abs(a - b))) / scale if a.size else 0.0


def verify(f: Node, result: Node, wrt: str, decls: dict[str, Decl], *, draws: int = 5,
           seed: int = 0) -> Check:
    """Evaluate ``result`` and central differences of ``f`` at random draws."""
    rng = np.random.default_rng(seed)
    symbols = N.dims(f) | N.dims(result) | {d for x in decls.values() for d in x.shape
                                             if isinstance(d, str)}
    positive = _needs_positive(f)
    conditioned = uses(f, (N.Inverse, N.Reduce))
    worst = 0.0
    done = 0
    used = []
    for k in range(draws * 4):
        if done == draws:
            break
        sizes = trial_sizes(symbols, done, rng)
        env = draw_values(decls, sizes, rng, positive, conditioned)
        with np.errstate(all="ignore"):
            value = evaluate(f, env, sizes)
            if not np.all(np.isfinite(value)):
                continue
            mine = evaluate(result, env, sizes)
            numeric = central_gradient(f, wrt, env, sizes)
        if not np.all(np.isfinite(numeric)):
            continue
        worst = max(worst, relative_error(mine, numeric))
        done += 1
        used.append(sizes)
    return Check("NumPy evaluation of the result against central differences of the "
                 "function (h = 1e-6), component by component", done, worst, tuple(used))
