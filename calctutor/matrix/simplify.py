"""Bring a matrix expression to a teacher's form.

Transposes pushed down to the leaves ((AB)ᵀ = BᵀAᵀ, a scalar is its own transpose, Aᵀ = A
for a declared symmetric A, (X⁻¹)ᵀ written X⁻ᵀ), products flattened with one numeric
coefficient in front, identities and ones dropped where they do nothing, equal scalar
factors merged (det(X)⁻¹ det(X) = 1), like terms collected, and a factor common to every
term taken out (Ax + Aᵀx = (A + Aᵀ)x). Every rewrite is an identity of matrix algebra; the
tests check each one numerically.
"""

from __future__ import annotations

from fractions import Fraction

from calctutor.matrix import nodes as N
from calctutor.matrix.nodes import SCALAR, Node


def simplify(node: Node, symmetric: frozenset[str] = frozenset(),
             prob: frozenset[str] = frozenset()) -> Node:
    """The teacher's form; ``symmetric`` names satisfy Aᵀ = A, ``prob`` names sum to 1."""
    s = _Simplifier(frozenset(symmetric), frozenset(prob))
    out = s.run(node)
    again = s.run(out)
    return again


class _Simplifier:
    def __init__(self, symmetric: frozenset[str], prob: frozenset[str]) -> None:
        self.symmetric = symmetric
        self.prob = prob

    def run(self, node: Node) -> Node:  # noqa: C901
        if isinstance(node, N.Zero) and node.shape == SCALAR:
            return N.zero(SCALAR)
        if isinstance(node, (N.Var, N.Const, N.Eye, N.Ones, N.Zero)):
            return node
        if isinstance(node, N.Add):  # flatten first, so that factoring sees every term
            return self.sum([self.run(t) for t in _terms(node)], node.shape)
        kids = [self.run(c) for c in N.children(node)]
        if isinstance(node, N.Transpose):
            return self.transpose(kids[0])
        if isinstance(node, N.MatMul):
            return self.product(kids)
        if isinstance(node, N.Add):
            return self.sum(kids, node.shape)
        if isinstance(node, N.Inverse):
            a = kids[0]
            if isinstance(a, N.Inverse):
                return a.arg
            if isinstance(a, N.Eye):
                return a
            if isinstance(a, N.Transpose):
                return self.transpose(N.inverse(a.arg))
            return N.inverse(a)
        if isinstance(node, N.Power):
            return self.power(kids[0], node.exponent)
        if isinstance(node, N.Hadamard):
            return self.hadamard(*kids)
        if isinstance(node, N.EDiv):
            a, b = kids
            if isinstance(a, N.Zero):
                return a
            if isinstance(b, N.Ones):
                return a
            c, rest = _split_coef(a)
            if c != 1 and rest.shape == a.shape:  # (c a) ./ b = c (a ./ b)
                return self.product([N.const(c), N.ediv(rest, b)])
            return N.ediv(a, b)
        if isinstance(node, N.Reduce):
            a = kids[0]
            if isinstance(a, N.Zero) and node.fn in ("tr", "sum", "norm", "fro"):
                return N.zero(SCALAR)
            if node.fn == "tr" and a.shape == SCALAR:
                return a
            if node.fn == "sum" and isinstance(a, N.Var) and a.name in self.prob:
                return N.ONE
            if node.fn in ("tr", "sum") and isinstance(a, N.MatMul) \
                    and isinstance(a.factors[0], N.Const):
                c, rest = _split_coef(a)
                return self.product([N.const(c), N.reduce(node.fn, rest)])
            return N.reduce(node.fn, a)
        if isinstance(node, N.Diag) and isinstance(kids[0], N.Ones):
            return N.Eye(node.shape)
        return N.rebuild(node, kids)

    # ------------------------------------------------------------ transpose
    def transpose(self, a: Node) -> Node:  # noqa: C901
        if a.shape == SCALAR:
            return a
        if isinstance(a, N.Transpose):
            return a.arg
        if isinstance(a, N.Var) and a.name in self.symmetric:
            return a
        if isinstance(a, (N.Eye,)):
            return a
        if isinstance(a, N.Zero):
            return N.zero((a.shape[1], a.shape[0]))
        if isinstance(a, N.Diag) and a.shape[0] == a.shape[1]:
            return a
        if isinstance(a, N.MatMul):
            scalars = [f for f in a.factors if f.shape == SCALAR]
            chain = [f for f in a.factors if f.shape != SCALAR]
            return self.product(scalars + [self.transpose(f) for f in reversed(chain)])
        if isinstance(a, N.Add):
            return self.sum([self.transpose(t) for t in a.terms], (a.shape[1], a.shape[0]))
        if isinstance(a, N.Inverse):
            if isinstance(a.arg, N.Var) and a.arg.name in self.symmetric:
                return a
        return N.transpose(a)

    # ------------------------------------------------------------ products
    def product(self, factors: list[Node]) -> Node:  # noqa: C901
        node = N.mul(*factors)
        if not isinstance(node, N.MatMul):
            return node
        items = list(node.factors)
        shape = node.shape
        if any(isinstance(f, N.Zero) or (isinstance(f, N.Const) and f.value == 0) for f in items):
            return N.zero(shape)
        coef = Fraction(1)
        scal: list[Node] = []
        chain: list[Node] = []
        for f in items:
            if isinstance(f, N.Const):
                coef *= f.value
            elif f.shape == SCALAR:
                scal.append(self.scalar_form(f))
            else:
                chain.append(f)
        # pull numeric coefficients out of scalar groups
        flat_scal: list[Node] = []
        for f in scal:
            if isinstance(f, N.MatMul) and isinstance(f.factors[0], N.Const):
                coef *= f.factors[0].value
                rest = f.factors[1:]
                f = N.mul(*rest) if len(rest) > 1 else rest[0]
            flat_scal.append(f)
        # drop identities inside a longer chain
        if len(chain) > 1:
            chain = [f for f in chain if not isinstance(f, N.Eye)] or chain[:1]
        # merge equal scalar bases: s^a s^b = s^(a+b)
        powers: dict[Node, Fraction] = {}
        order: list[Node] = []
        for f in flat_scal:
            base, k = (f.arg, f.exponent) if isinstance(f, N.Power) else (f, Fraction(1))
            if base not in powers:
                order.append(base)
                powers[base] = Fraction(0)
            powers[base] += k
        merged = []
        for base in order:
            k = powers[base]
            if k == 0:
                continue
            merged.append(base if k == 1 else N.power(base, k))
        if coef == 0:
            return N.zero(shape)
        out = ([N.const(coef)] if coef != 1 else []) + merged + chain
        if not out:
            return N.ONE
        result = N.mul(*out)
        if result.shape != shape and result.shape == SCALAR and shape != SCALAR:
            return N.mul(result, N.Eye(shape)) if shape[0] == shape[1] else node
        return result

    def scalar_form(self, f: Node) -> Node:
        """A 1×1 chain written with the transpose that reads best (aᵀx rather than xᵀa)."""
        if not isinstance(f, N.MatMul) or any(g.shape == SCALAR for g in f.factors):
            return f
        alt = self._reverse(f)
        from calctutor.matrix.printer import to_text

        a, b = to_text(f), to_text(alt)
        return alt if (len(b), b) < (len(a), a) else f

    def _reverse(self, f: N.MatMul) -> Node:
        chain = [self.transpose(g) for g in reversed(f.factors)]
        return N.mul(*chain)

    # ------------------------------------------------------------ sums
    def sum(self, terms: list[Node], shape) -> Node:  # noqa: C901
        flat: list[Node] = []
        for t in terms:
            if isinstance(t, N.Add):
                flat.extend(t.terms)
            elif isinstance(t, N.Zero) or (isinstance(t, N.Const) and t.value == 0):
                continue
            else:
                flat.append(t)
        coefs: dict[Node, Fraction] = {}
        order: list[Node] = []
        for t in flat:
            c, rest = _split_coef(t)
            if rest not in coefs:
                coefs[rest] = Fraction(0)
                order.append(rest)
            coefs[rest] += c
        out = []
        for rest in order:
            c = coefs[rest]
            if c == 0:
                continue
            out.append(self.product([N.const(c), rest]) if c != 1 else rest)
        if not out:
            return N.zero(shape)
        if len(out) == 1:
            return out[0]
        factored = self.factor_common(out)
        if factored is not None:
            return factored
        # terms with a minus sign after the others: softmax(z) - y, not -y + softmax(z)
        out.sort(key=lambda t: _split_coef(t)[0] < 0)
        return N.add(*out)

    def factor_common(self, terms: list[Node]) -> Node | None:
        """Ax + Bx = (A + B)x and Xᵀa + Xᵀb = Xᵀ(a + b), when every term shares it."""
        chains = []
        for t in terms:
            factors = list(t.factors) if isinstance(t, N.MatMul) else [t]
            chain = [f for f in factors if f.shape != SCALAR]
            scal = [f for f in factors if f.shape == SCALAR]
            if not chain:
                return None
            chains.append((scal, chain))
        for side in (-1, 0):
            common = chains[0][1][side]
            if not all(ch[side] == common for _, ch in chains):
                continue
            if all(len(ch) == 1 and not sc for sc, ch in chains) or isinstance(common, N.Eye):
                return None
            only_scalars = all(len(ch) == 1 for _, ch in chains)  # s x + t x = (s + t) x
            rests = []
            for scal, ch in chains:
                rest = ch[:-1] if side == -1 else ch[1:]
                if not rest:
                    n = common.shape[0] if side == -1 else common.shape[1]
                    if n == 1 or only_scalars:
                        rest_node = N.mul(*scal) if scal else N.ONE
                    else:
                        rest_node = N.mul(*scal, N.Eye((n, n))) if scal else N.Eye((n, n))
                else:
                    rest_node = N.mul(*scal, *rest)
                rests.append(rest_node)
            if any(r.shape == SCALAR for r in rests) and not all(r.shape == SCALAR for r in rests):
                continue
            inner = self.sum(rests, rests[0].shape)
            if isinstance(inner, N.Zero) or (isinstance(inner, N.Const) and inner.value == 0):
                return N.zero(terms[0].shape)
            if side == -1:
                return self.product([inner, common])
            return self.product([common, inner])
        return None

    # ------------------------------------------------------------ the rest
    def power(self, a: Node, k: Fraction) -> Node:
        if k == 1:
            return a
        if isinstance(a, N.Const):
            if k.denominator == 1 and (a.value != 0 or k > 0):
                return N.const(a.value ** int(k))
        if k == 0:
            return N.ONE if a.shape == SCALAR else N.power(a, k)
        if isinstance(a, N.Power) and a.shape == SCALAR and k.denominator == 1:
            return self.power(a.arg, a.exponent * k)
        if isinstance(a, N.MatMul) and a.shape == SCALAR and k.denominator == 1 \
                and isinstance(a.factors[0], N.Const) and len(a.factors) == 2:
            return self.product([N.const(a.factors[0].value ** int(k)),
                                 self.power(a.factors[1], k)])
        return N.power(a, k)

    def hadamard(self, a: Node, b: Node) -> Node:
        if isinstance(a, N.Zero) or isinstance(b, N.Zero):
            return N.zero(a.shape)
        if isinstance(a, N.Ones):
            return b
        if isinstance(b, N.Ones):
            return a
        if isinstance(b, N.EDiv) and isinstance(b.left, N.Ones):  # a ⊙ (1 ./ b) = a ./ b
            return N.ediv(a, b.right)
        if isinstance(a, N.EDiv) and isinstance(a.left, N.Ones):
            return N.ediv(b, a.right)
        ca, ra = _split_coef(a)
        cb, rb = _split_coef(b)
        if ca * cb != 1:
            return self.product([N.const(ca * cb), self.hadamard(ra, rb)])
        if isinstance(b, N.Hadamard):  # a ⊙ (b ⊙ c) = (a ⊙ b) ⊙ c, printed without brackets
            return self.hadamard(self.hadamard(a, b.left), b.right)
        return N.hadamard(a, b)


def _split_coef(t: Node) -> tuple[Fraction, Node]:
    if isinstance(t, N.Const):
        return t.value, N.ONE
    if isinstance(t, N.MatMul) and isinstance(t.factors[0], N.Const):
        rest = t.factors[1:]
        return t.factors[0].value, (N.mul(*rest) if len(rest) > 1 else rest[0])
    return Fraction(1), t


def _terms(node: Node) -> list[Node]:
    if isinstance(node, N.Add):
        return [t for term in node.terms for t in _terms(term)]
    return [node]
