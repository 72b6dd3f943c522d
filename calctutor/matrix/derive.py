"""Matrix derivatives with their steps.

Gradients of a scalar f (with respect to a scalar, vector or matrix V) are found in reverse
mode: the gradient Ḡ = ∂f/∂u, which has the shape of u, starts as 1 at f and flows down the
tree, each node passing it to its children by a named matrix rule (for a product A B C the
factor B receives Aᵀ Ḡ Cᵀ — the trace identity df = tr(Ḡᵀ du) read off rule by rule, as in
The Matrix Cookbook). Where V occurs several times the contributions are summed. The result
has the shape of V: the layout of PyTorch's ``.grad``.

Jacobians of a vector f (m) with respect to a vector x (n) are found in forward mode:
∂u/∂x (rows are the outputs) built up from the leaves, ∂(A u)/∂x = A ∂u/∂x,
∂σ(u)/∂x = diag(σ'(u)) ∂u/∂x, and so on; the result is m×n.

Elementwise derivatives (exp, log, sigmoid, tanh, relu, sqrt) are read from the
primitives table's formula for the scalar function, with ``*`` read elementwise.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from calctutor import primitives
from calctutor.errors import CalcError
from calctutor.matrix import nodes as N
from calctutor.matrix.nodes import SCALAR, Node, show_shape
from calctutor.matrix.printer import to_unicode
from calctutor.matrix.simplify import simplify


@dataclass(frozen=True, slots=True)
class Step:
    """One rule applied. For a gradient: ``result`` is ∂f/∂``expr`` (shape of expr);
    for a Jacobian: ``result`` is ∂``expr``/∂V (rows of expr × entries of V)."""

    rule: str
    expr: Node
    result: Node
    identity: str = ""
    note: str = ""
    substeps: tuple[Step, ...] = field(default=())

    @property
    def shape(self):
        return self.result.shape


@dataclass(frozen=True, slots=True)
class Derivative:
    kind: str  # "gradient" or "jacobian"
    result: Node
    steps: tuple[Step, ...]
    rule: str
    identity: str
    notes: tuple[str, ...]


@lru_cache(maxsize=64)
def _table_formula(fn: str, shape) -> Node:
    from calctutor.matrix.parser import parse_elementwise
    from calctutor.matrix.shapes import Decl

    row = primitives.by_name(N.ELEMENTWISE[fn])
    return parse_elementwise(row.derivatives[0], {"u": Decl("u", shape)})


def elementwise_derivative(fn: str, arg: Node) -> Node:
    """f'(u) for an elementwise f, from the primitives table, with u := arg."""
    formula = _table_formula(fn, arg.shape)
    return N.substitute(formula, {"u": arg})


def _rule_name(fn: str, shape) -> str:
    rule = primitives.by_name(N.ELEMENTWISE[fn]).rule
    return rule + (", elementwise" if shape != SCALAR else "")


_KINK = {"relu": "relu is not differentiable where an entry is 0 (the kink); the result "
                 "holds wherever no entry is 0",
         "step": "step is not differentiable where an entry is 0"}


class _Engine:
    def __init__(self, wrt: str, symmetric: frozenset[str], prob: frozenset[str]) -> None:
        self.wrt = wrt
        self.symmetric = symmetric
        self.prob = prob
        self.notes: list[str] = []

    def s(self, node: Node) -> Node:
        return simplify(node, self.symmetric, self.prob)

    def note(self, text: str) -> None:
        if text and text not in self.notes:
            self.notes.append(text)

    # ================================================================ reverse mode
    def gradient(self, f: Node) -> tuple[Node, list[Step]]:
        contribs, steps = self.back(f, N.ONE)
        if not contribs:
            return N.zero(self.var_shape(f)), steps
        total = self.s(N.add(*contribs)) if len(contribs) > 1 else self.s(contribs[0])
        if len(contribs) > 1:
            raw = N.add(*[self.s(c) for c in contribs])
            steps.append(Step(f"sum over the {len(contribs)} places {self.wrt} occurs", raw,
                              total, "∂f/∂x adds the gradient from every use of x"))
        return total, steps

    def var_shape(self, f: Node):
        def find(n: Node):
            if isinstance(n, N.Var) and n.name == self.wrt:
                return n.shape
            for c in N.children(n):
                r = find(c)
                if r is not None:
                    return r
            return None

        return find(f) or SCALAR

    def back(self, node: Node, adj: Node) -> tuple[list[Node], list[Step]]:
        if not N.depends(node, self.wrt):
            return [], []
        if isinstance(node, N.Var):
            return [adj], []
        if isinstance(node, N.Add):
            contribs, steps = [], []
            for t in node.terms:
                c, s = self.back(t, adj)
                contribs += c
                steps += s
            return contribs, steps
        contribs, steps = [], []
        for child, child_adj, rule, identity, note in self.local(node, adj):
            if not N.depends(child, self.wrt):
                continue
            assert child_adj.shape == child.shape, (rule, child_adj.shape, child.shape)
            shown = self.s(child_adj)
            c, sub = self.back(child, shown)
            self.note(note)
            contribs += c
            steps.append(Step(rule, child, shown, identity, note, tuple(sub)))
        return contribs, steps

    def local(self, node: Node, g: Node):  # noqa: C901 - one rule per node type
        """(child, ∂f/∂child, rule, identity, note) for each child of node, given g = ∂f/∂node."""
        T = N.transpose
        if isinstance(node, N.Power) and node.exponent == 2 and isinstance(node.arg, N.Reduce) \
                and node.arg.fn in ("norm", "fro"):
            u = node.arg.arg
            if node.arg.fn == "norm":
                return [(u, N.mul(N.const(2), g, u), "squared norm", "∇‖u‖² = 2u", "")]
            return [(u, N.mul(N.const(2), g, u), "squared Frobenius norm",
                     "∇_X ‖X‖_F² = 2X", "")]
        if isinstance(node, N.Elem) and node.fn == "log" and isinstance(node.arg, N.Reduce) \
                and node.arg.fn == "det":
            X = node.arg.arg
            return [(X, N.mul(g, T(N.inverse(X))), "log-det rule", "∇ log det X = X⁻ᵀ",
                     "log det X needs det X > 0")]
        if isinstance(node, N.Elem) and node.fn == "log" and isinstance(node.arg, N.Softmax):
            z = node.arg.arg
            sm = N.softmax(z)
            return [(z, N.sub(g, N.mul(sm, N.reduce("sum", g))), "log-softmax rule",
                     "log softmax(z) = z − logsumexp(z) 1, so ∂f/∂z = Ḡ − softmax(z) sum(Ḡ)", "")]
        if isinstance(node, N.MatMul):
            return self.local_product(node, g)
        if isinstance(node, N.Transpose):
            return [(node.arg, T(g), "transpose", "∂f/∂u = (∂f/∂uᵀ)ᵀ", "")]
        if isinstance(node, N.Inverse):
            X = node.arg
            Xit = T(N.inverse(X))
            return [(X, N.mul(N.MINUS_ONE, Xit, g, Xit), "inverse rule",
                     "d(X⁻¹) = −X⁻¹ dX X⁻¹, so ∂f/∂X = −X⁻ᵀ Ḡ X⁻ᵀ",
                     "X must be invertible")]
        if isinstance(node, N.Power):
            u, k = node.arg, node.exponent
            d = N.mul(N.const(k), N.power(u, k - 1)) if k != 2 else N.mul(N.const(2), u)
            if u.shape == SCALAR:
                return [(u, N.mul(g, d), "power rule", "d(u^k) = k u^(k−1) du",
                         "" if k > 0 and k.denominator == 1 else "undefined where the base is 0")]
            d = N.mul(N.const(k), N.power(u, k - 1)) if k != 2 else N.mul(N.const(2), u)
            return [(u, N.hadamard(g, d), "power rule, elementwise", "d(u .^ k) = k u .^ (k−1) .* du", "")]
        if isinstance(node, N.Elem):
            u = node.arg
            d = elementwise_derivative(node.fn, u)
            formula = primitives.by_name(N.ELEMENTWISE[node.fn]).derivatives[0]
            return [(u, N.hadamard(g, d), _rule_name(node.fn, u.shape),
                     f"{node.fn}'(u) = {formula}" + (", entry by entry" if u.shape != SCALAR else ""),
                     _KINK.get(node.fn, ""))]
        if isinstance(node, N.Hadamard):
            a, b = node.left, node.right
            return [(a, N.hadamard(g, b), "elementwise product rule", "d(a ⊙ b) = da ⊙ b + a ⊙ db", ""),
                    (b, N.hadamard(g, a), "elementwise product rule", "d(a ⊙ b) = da ⊙ b + a ⊙ db", "")]
        if isinstance(node, N.EDiv):
            a, b = node.left, node.right
            return [(a, N.ediv(g, b), "elementwise quotient rule", "d(a ./ b) = da ./ b − a ⊙ db ./ b²", ""),
                    (b, N.neg(N.ediv(N.hadamard(g, a), N.hadamard(b, b))), "elementwise quotient rule",
                     "d(a ./ b) = da ./ b − a ⊙ db ./ b²", "undefined where an entry of the divisor is 0")]
        if isinstance(node, N.Reduce):
            u = node.arg
            if node.fn == "tr":
                return [(u, N.mul(g, N.Eye(u.shape)), "trace rule", "∂ tr(X)/∂X = I", "")]
            if node.fn == "det":
                return [(u, N.mul(g, node, T(N.inverse(u))), "determinant rule (Jacobi)",
                         "∂ det X/∂X = det(X) X⁻ᵀ", "X must be invertible")]
            if node.fn == "sum":
                return [(u, N.mul(g, N.Ones(u.shape)), "sum rule", "∂ sum(x)/∂x = 1", "")]
            if node.fn == "norm":
                return [(u, N.mul(g, u, N.power(node, -1)), "norm rule", "∇‖u‖ = u/‖u‖",
                         "‖u‖ is not differentiable where u = 0: the gradient u/‖u‖ is undefined there")]
            if node.fn == "fro":
                return [(u, N.mul(g, u, N.power(node, -1)), "Frobenius norm rule",
                         "∇_X ‖X‖_F = X/‖X‖_F", "undefined at X = 0")]
            if node.fn == "logsumexp":
                return [(u, N.mul(g, N.softmax(u)), "log-sum-exp rule",
                         "∇ logsumexp(z) = softmax(z)", "")]
        if isinstance(node, N.Softmax):
            z = node.arg
            s = node
            return [(z, N.sub(N.hadamard(s, g), N.mul(s, N.mul(T(s), g))), "softmax rule",
                     "∂ softmax(z)/∂z = diag(s) − s sᵀ (symmetric), so ∂f/∂z = s ⊙ Ḡ − s (sᵀḠ)", "")]
        if isinstance(node, N.Diag):
            return [(node.arg, N.diag(g), "diag rule",
                     "diag(v) puts v on the diagonal, so ∂f/∂v is the diagonal of Ḡ", "")]
        raise CalcError(f"cannot differentiate {to_unicode(node)} yet")

    def local_product(self, node: N.MatMul, g: Node):
        T = N.transpose
        factors = list(node.factors)
        chain_idx = [i for i, f in enumerate(factors) if f.shape != SCALAR]
        out = []
        for i, f in enumerate(factors):
            if not N.depends(f, self.wrt):
                continue
            others = [h for j, h in enumerate(factors) if j != i]
            if f.shape == SCALAR:
                rest = N.mul(*others) if others else N.ONE
                r, c = node.shape
                if node.shape == SCALAR:
                    adj = N.mul(g, rest)
                elif c == 1:
                    adj = N.mul(T(rest), g)
                elif r == 1:
                    adj = N.mul(rest, T(g))
                else:
                    adj = N.reduce("tr", N.mul(T(rest), g))
                out.append((f, adj, "scalar factor", "∂(s M)/∂s = ⟨Ḡ, M⟩ (sum of Ḡ ⊙ M)", ""))
                continue
            k = chain_idx.index(i)
            left = [factors[j] for j in chain_idx[:k]]
            right = [factors[j] for j in chain_idx[k + 1:]]
            scal = [h for j, h in enumerate(factors) if h.shape == SCALAR and j != i]
            pieces = list(scal)
            if left:
                pieces.append(T(N.mul(*left)))
            pieces.append(g)
            if right:
                pieces.append(T(N.mul(*right)))
            adj = N.mul(*pieces)
            if adj.shape != f.shape and adj.shape == SCALAR:
                adj = N.mul(adj, N.Eye(f.shape)) if f.shape[0] == f.shape[1] else adj
            out.append((f, adj, "chain rule through a matrix product",
                        "for f(A B C): ∂f/∂B = Aᵀ Ḡ Cᵀ", ""))
        return out

    # ================================================================ forward mode
    def jacobian(self, f: Node, n) -> tuple[Node, list[Step]]:
        J, steps = self.fwd(f, n)
        return (self.s(J) if J is not None else N.zero((f.shape[0], n))), steps

    def fwd(self, node: Node, n) -> tuple[Node | None, list[Step]]:  # noqa: C901
        """(∂node/∂x or None for zero, steps)."""
        if not N.depends(node, self.wrt):
            return None, []
        if isinstance(node, N.Var):
            return N.Eye((n, n)), []
        if node.shape[1] != 1:
            raise CalcError(f"{to_unicode(node)} is {show_shape(node.shape)}: a Jacobian goes "
                            "through vector-valued parts only (rewrite the matrix-valued part "
                            "as a product with a vector)")
        steps: list[Step] = []

        def sub(child):
            J, s = self.fwd(child, n)
            steps.extend(s)
            return J

        def done(J, rule, identity, note=""):
            self.note(note)
            if J is None:
                return None, steps
            J = self.s(J)
            return J, [Step(rule, node, J, identity, note, tuple(steps))]

        if isinstance(node, N.Add):
            parts = [j for j in (sub(t) for t in node.terms) if j is not None]
            return done(N.add(*parts) if parts else None, "sum rule", "∂(u + v) = ∂u + ∂v")
        if isinstance(node, N.MatMul):
            terms = []
            chain = [f for f in node.factors if f.shape != SCALAR]
            scal = [f for f in node.factors if f.shape == SCALAR]
            for f in chain[:-1]:
                if N.depends(f, self.wrt):
                    raise CalcError(f"{to_unicode(node)}: the Jacobian is done here only when "
                                    f"{self.wrt} is in the last (vector) factor of a product")
            vec = N.mul(*chain) if chain else N.ONE
            for i, s in enumerate(scal):
                if N.depends(s, self.wrt):
                    gs, gsteps = self.gradient_of(s)
                    steps.extend(gsteps)
                    others = [h for j, h in enumerate(scal) if j != i]
                    terms.append(N.mul(*others, vec, N.transpose(gs)))
            if chain and N.depends(chain[-1], self.wrt):
                Jl = sub(chain[-1])
                terms.append(N.mul(*scal, *chain[:-1], Jl))
            return done(N.add(*terms), "chain rule through a matrix product",
                        "∂(A u)/∂x = A ∂u/∂x; ∂(s u)/∂x = u (∇s)ᵀ + s ∂u/∂x")
        if isinstance(node, N.Elem):
            J = sub(node.arg)
            d = elementwise_derivative(node.fn, node.arg)
            formula = primitives.by_name(N.ELEMENTWISE[node.fn]).derivatives[0]
            return done(N.mul(N.diag(d), J), _rule_name(node.fn, node.shape),
                        f"∂{node.fn}(u)/∂x = diag({node.fn}'(u)) ∂u/∂x, {node.fn}'(u) = {formula}",
                        _KINK.get(node.fn, ""))
        if isinstance(node, N.Softmax):
            J = sub(node.arg)
            s = node
            return done(N.mul(N.sub(N.diag(s), N.mul(s, N.transpose(s))), J), "softmax rule",
                        "∂ softmax(z)/∂z = diag(s) − s sᵀ")
        if isinstance(node, N.Hadamard):
            a, b = node.left, node.right
            ja, jb = sub(a), sub(b)
            terms = []
            if ja is not None:
                terms.append(N.mul(N.diag(b), ja))
            if jb is not None:
                terms.append(N.mul(N.diag(a), jb))
            return done(N.add(*terms), "elementwise product rule",
                        "∂(a ⊙ b)/∂x = diag(b) ∂a/∂x + diag(a) ∂b/∂x")
        if isinstance(node, N.EDiv):
            a, b = node.left, node.right
            ja, jb = sub(a), sub(b)
            terms = []
            if ja is not None:
                terms.append(N.mul(N.diag(N.ediv(N.Ones(b.shape), b)), ja))
            if jb is not None:
                terms.append(N.neg(N.mul(N.diag(N.ediv(a, N.hadamard(b, b))), jb)))
            return done(N.add(*terms), "elementwise quotient rule",
                        "∂(a ./ b)/∂x = diag(1 ./ b) ∂a/∂x − diag(a ./ b²) ∂b/∂x")
        if isinstance(node, N.Power):
            J = sub(node.arg)
            k = node.exponent
            return done(N.mul(N.diag(N.mul(N.const(k), N.power(node.arg, k - 1))), J),
                        "power rule, elementwise", "∂(u .^ k)/∂x = diag(k u .^ (k−1)) ∂u/∂x")
        if isinstance(node, N.Diag):
            raise CalcError("diag of a matrix inside a Jacobian is not supported")
        if isinstance(node, N.Transpose):
            raise CalcError(f"{to_unicode(node)}: write the column vector without a transpose "
                            "for a Jacobian")
        raise CalcError(f"cannot take the Jacobian of {to_unicode(node)}")

    def gradient_of(self, s: Node) -> tuple[Node, list[Step]]:
        contribs, steps = self.back(s, N.ONE)
        g = self.s(N.add(*contribs)) if contribs else None
        return g, steps


# ----------------------------------------------------------------- named identities

def _is_wrt(n: Node, wrt: str) -> bool:
    return isinstance(n, N.Var) and n.name == wrt


def identify(f: Node, wrt: str) -> tuple[str, str]:  # noqa: C901
    """The textbook identity f matches as a whole, if any: (rule, formula)."""
    T = N.Transpose
    if isinstance(f, N.MatMul):
        fs = [x for x in f.factors if not isinstance(x, N.Const)]
        if len(fs) == 2:
            a, b = fs
            if isinstance(a, T) and _is_wrt(b, wrt) and not N.depends(a, wrt):
                return "linear form", "∇ₓ aᵀx = a"
            if isinstance(a, T) and _is_wrt(a.arg, wrt) and not N.depends(b, wrt):
                return "linear form", "∇ₓ xᵀa = a"
        if len(fs) == 3 and isinstance(fs[0], T) and _is_wrt(fs[0].arg, wrt) \
                and _is_wrt(fs[2], wrt) and not N.depends(fs[1], wrt):
            return "quadratic form", "∇ₓ xᵀAx = (A + Aᵀ)x, which is 2Ax when A is symmetric"
    if isinstance(f, N.Power) and f.exponent == 2 and isinstance(f.arg, N.Reduce):
        u = f.arg.arg
        if f.arg.fn == "fro" and _is_wrt(u, wrt):
            return "squared Frobenius norm", "∇_X ‖X‖_F² = 2X"
        if f.arg.fn == "norm":
            if _is_wrt(u, wrt):
                return "squared norm", "∇‖x‖² = 2x"
            if isinstance(u, N.Add) and any(isinstance(t, N.MatMul) and len(t.factors) == 2
                                            and _is_wrt(t.factors[1], wrt) for t in u.terms):
                return "least squares", "∇_w ‖Xw − y‖² = 2Xᵀ(Xw − y)"
    if isinstance(f, N.Reduce):
        if f.fn == "norm" and _is_wrt(f.arg, wrt):
            return "norm rule", "∇‖x‖ = x/‖x‖ (undefined at x = 0)"
        if f.fn == "tr":
            a = f.arg
            if _is_wrt(a, wrt):
                return "trace rule", "∇_X tr(X) = I"
            if isinstance(a, N.MatMul) and len(a.factors) == 2:
                p, q = a.factors
                if _is_wrt(q, wrt) and not N.depends(p, wrt):
                    return "trace rule", "∇_X tr(AX) = Aᵀ"
                if _is_wrt(p, wrt) and not N.depends(q, wrt):
                    return "trace rule", "∇_X tr(XA) = Aᵀ"
                if isinstance(p, T) and _is_wrt(p.arg, wrt):
                    return "trace rule", "∇_X tr(XᵀA) = A"
        if f.fn == "logsumexp" and _is_wrt(f.arg, wrt):
            return "log-sum-exp rule", "∇ logsumexp(z) = softmax(z)"
        if f.fn == "det" and _is_wrt(f.arg, wrt):
            return "determinant rule (Jacobi)", "∇ det X = det(X) X⁻ᵀ"
    if isinstance(f, N.Elem) and f.fn == "log" and isinstance(f.arg, N.Reduce) \
            and f.arg.fn == "det" and _is_wrt(f.arg.arg, wrt):
        return "log-det rule", "∇ log det X = X⁻ᵀ"
    if _has_cross_entropy(f, wrt):
        return ("softmax–cross-entropy",
                "∇_z (−yᵀ log softmax(z)) = softmax(z) − y when y sums to 1")
    if isinstance(f, N.MatMul) and any(not N.is_scalar(x) for x in f.factors):
        return "chain rule through a matrix product", ""
    return "chain rule", ""


def _has_cross_entropy(f: Node, wrt: str) -> bool:
    if isinstance(f, N.Elem) and f.fn == "log" and isinstance(f.arg, N.Softmax) \
            and _is_wrt(f.arg.arg, wrt):
        return True
    if isinstance(f, N.Add) and any(isinstance(t, N.Reduce) and t.fn == "logsumexp"
                                    and _is_wrt(t.arg, wrt) for t in f.terms):
        return True
    return any(_has_cross_entropy(c, wrt) for c in N.children(f))


# ----------------------------------------------------------------- entry point

def derivative(f: Node, wrt: str, wrt_shape, symmetric=frozenset(), prob=frozenset()) -> Derivative:
    """The gradient (f scalar) or Jacobian (f a vector, V a vector) of f with respect to wrt."""
    engine = _Engine(wrt, frozenset(symmetric), frozenset(prob))
    rule, identity = identify(f, wrt)
    if f.shape == SCALAR:
        result, steps = engine.gradient(f)
        if not N.depends(f, wrt):
            result = N.zero(wrt_shape)
        kind = "gradient"
    elif f.shape[1] == 1:
        if wrt_shape[1] != 1:
            raise CalcError(f"f is a vector ({show_shape(f.shape)}) and {wrt} is "
                            f"{show_shape(wrt_shape)}: its derivative would be a 3-index array; "
                            "differentiate a scalar with respect to a matrix, or a vector with "
                            "respect to a vector")
        result, steps = engine.jacobian(f, wrt_shape[0])
        kind = "jacobian"
        rule, identity = _jacobian_identity(f, wrt)
    else:
        raise CalcError(f"f is a {show_shape(f.shape)} matrix: calctutor differentiates scalars "
                        "(a gradient) and vectors (a Jacobian)")
    notes = list(engine.notes)
    if kind == "gradient" and rule == "softmax–cross-entropy" and not prob:
        notes.append("when y sums to 1 (a one-hot label or probabilities) sum(y) = 1 and this "
                     "is softmax(z) − y; declare it with --shape y=n,prob")
    return Derivative(kind, result, tuple(steps), rule, identity, tuple(notes))


def _jacobian_identity(f: Node, wrt: str) -> tuple[str, str]:
    if isinstance(f, N.MatMul) and len(f.factors) == 2 and _is_wrt(f.factors[1], wrt) \
            and not N.depends(f.factors[0], wrt):
        return ("linear map", "∂(Ax)/∂x = A (m×n, rows are outputs); the gradient layout "
                "(denominator layout) writes its transpose ∇ₓ(Ax) = Aᵀ")
    if isinstance(f, N.Softmax) and _is_wrt(f.arg, wrt):
        return "softmax Jacobian", "∂ softmax(z)/∂z = diag(s) − s sᵀ, s = softmax(z)"
    if isinstance(f, N.Elem) and _is_wrt(f.arg, wrt):
        return "elementwise function", f"∂{f.fn}(x)/∂x = diag({f.fn}'(x))"
    return "Jacobian by the chain rule", ""
