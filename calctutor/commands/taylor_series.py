"""Exact Taylor coefficients by truncated power-series arithmetic (Taylor-mode
differentiation), for ``calctutor taylor``.

Repeated symbolic differentiation swells: the 20th derivative of tan x, written out by
SymPy, takes seconds to build, although its value at 0 is one integer. Here every node
of the expression carries its own series c_0, c_1, …, c_n at the point (exact SymPy
numbers) and the series of a node is computed from its arguments' with the classical
recurrences (products by convolution; exp, ln, powers, sin/cos, sinh/cosh by the
recurrences that follow from f′ = g·u′). A function without a recurrence of its own
uses its derivative from SymPy: F_k = (1/k) Σ j·u_j·G_{k−j}, where G is the series of
f′(u). Our own functions (sigmoid, softplus, logsumexp) are written in exponentials
first.

Where any node is not smooth at the point (ln at 0, a root of 0, |u| or relu at a kink,
a division by 0) :class:`NotSmooth` is raised: the caller then takes the derivatives one
by one, which says which derivative does not exist.
"""

from __future__ import annotations

import sympy
from sympy import S

__all__ = ["NotSmooth", "taylor_coefficients"]


class NotSmooth(Exception):
    """The expression is not smooth at the point (or a node has no real value there)."""


def taylor_coefficients(expr: sympy.Expr, x: sympy.Symbol, a: sympy.Expr,
                        n: int) -> list[sympy.Expr]:
    """[c_0, …, c_n] with expr = Σ c_k (x − a)^k + O((x − a)^(n+1)), exactly."""
    return _Series(x, a, n).of(expr)


def _num(value: sympy.Expr) -> sympy.Expr:
    """Keep exact numbers small: sums of products of radicals expanded once."""
    if value.is_Rational or value.is_Atom:
        return value
    return sympy.expand(value)


def _sign(value: sympy.Expr) -> int:
    """−1, 0 or 1 for an exact real number (NotSmooth when it is not real)."""
    if value.is_zero:
        return 0
    if value.is_positive:
        return 1
    if value.is_negative:
        return -1
    approx = sympy.N(value, 30)
    if not approx.is_real:
        raise NotSmooth(f"{value} is not real")
    if abs(approx) < 1e-25:
        raise NotSmooth(f"cannot tell the sign of {value}")
    return 1 if approx > 0 else -1


class _Series:
    def __init__(self, x: sympy.Symbol, a: sympy.Expr, n: int) -> None:
        self.x, self.a, self.n = x, a, n
        self.memo: dict[sympy.Expr, list[sympy.Expr]] = {}

    # ── arithmetic on series ──────────────────────────────────────────────────────
    def const(self, c: sympy.Expr) -> list[sympy.Expr]:
        return [c] + [S.Zero] * self.n

    def add(self, p, q):
        return [_num(u + v) for u, v in zip(p, q)]

    def mul(self, p, q):
        out = []
        for k in range(self.n + 1):
            total = S.Zero
            for i in range(k + 1):
                if p[i] != 0 and q[k - i] != 0:
                    total += p[i] * q[k - i]
            out.append(_num(total))
        return out

    def div(self, p, q):
        if _sign(q[0]) == 0:
            raise NotSmooth("division by zero")
        out: list[sympy.Expr] = []
        for k in range(self.n + 1):
            total = p[k]
            for j in range(1, k + 1):
                if q[j] != 0 and out[k - j] != 0:
                    total -= q[j] * out[k - j]
            out.append(_num(total / q[0]))
        return out

    def _scaled_sum(self, u, g, k):
        """(1/k) Σ_{j=1..k} j u_j g_{k−j}: the k-th coefficient of ∫ g·u′."""
        total = S.Zero
        for j in range(1, k + 1):
            if u[j] != 0 and g[k - j] != 0:
                total += j * u[j] * g[k - j]
        return total / k

    def exp(self, u):
        out = [sympy.exp(u[0])]
        for k in range(1, self.n + 1):
            out.append(_num(self._scaled_sum(u, out, k)))
        return out

    def log(self, u):
        if _sign(u[0]) <= 0:
            raise NotSmooth("ln of a number that is not positive")
        out = [sympy.log(u[0])]
        for k in range(1, self.n + 1):
            total = u[k]
            for j in range(1, k):
                if out[j] != 0 and u[k - j] != 0:
                    total -= sympy.Rational(j, k) * out[j] * u[k - j]
            out.append(_num(total / u[0]))
        return out

    def power(self, u, p: sympy.Expr):
        if p.is_Integer and p >= 0:
            result, base, e = self.const(S.One), u, int(p)
            while e:
                if e & 1:
                    result = self.mul(result, base)
                e >>= 1
                if e:
                    base = self.mul(base, base)
            return result
        sign = _sign(u[0])
        if sign == 0 or (sign < 0 and not p.is_Integer):
            raise NotSmooth("a power that is not smooth here")
        out = [u[0] ** p]
        for k in range(1, self.n + 1):
            total = S.Zero
            for j in range(1, k + 1):
                if u[j] != 0 and out[k - j] != 0:
                    total += (p * j - (k - j)) * u[j] * out[k - j]
            out.append(_num(total / (k * u[0])))
        return out

    def sincos(self, u, hyperbolic: bool = False):
        if hyperbolic:
            s, c = [sympy.sinh(u[0])], [sympy.cosh(u[0])]
        else:
            s, c = [sympy.sin(u[0])], [sympy.cos(u[0])]
        for k in range(1, self.n + 1):
            s.append(_num(self._scaled_sum(u, c, k)))
            ck = self._scaled_sum(u, s[:-1] + [S.Zero], k)
            c.append(_num(ck if hyperbolic else -ck))
        return s, c

    def sigmoid(self, u):
        """σ′ = σ(1 − σ): the coefficients stay polynomials in σ(u_0), which is how a
        teacher writes them (rewriting σ in exponentials swells them)."""
        from calctutor.mathfuncs import sigmoid

        s = [sigmoid(u[0])]
        for k in range(1, self.n + 1):
            g = [s[m] - sum((s[i] * s[m - i] for i in range(m + 1)), S.Zero)
                 for m in range(k)]
            s.append(_num(self._scaled_sum(u, g, k)))
        return s

    def integral(self, value: sympy.Expr, u, g):
        """The series of F(u) from F(u_0) and the series g of F′(u)."""
        out = [value]
        for k in range(1, self.n + 1):
            out.append(_num(self._scaled_sum(u, g, k)))
        return out

    # ── expressions ───────────────────────────────────────────────────────────────
    def of(self, e: sympy.Expr) -> list[sympy.Expr]:
        got = self.memo.get(e)
        if got is None:
            got = self.memo[e] = self._node(e)
        return got

    def _node(self, e: sympy.Expr) -> list[sympy.Expr]:
        x = self.x
        if e == x:
            return ([self.a, S.One] + [S.Zero] * (self.n - 1))[: self.n + 1]
        if not e.has(x):
            if _is_real_number(e):
                return self.const(e)
            raise NotSmooth(f"{e} has no real value")
        if e.is_Add:
            out = self.of(e.args[0])
            for arg in e.args[1:]:
                out = self.add(out, self.of(arg))
            return out
        if e.is_Mul:  # factors above the line multiplied, those below divided by
            below = [a for a in e.args if a.is_Pow and a.exp.is_Rational and a.exp.is_negative]
            above = [a for a in e.args if a not in below]
            out = self.of(above[0]) if above else self.const(S.One)
            for arg in above[1:]:
                out = self.mul(out, self.of(arg))
            for arg in below:
                out = self.div(out, self.of(arg.base ** -arg.exp))
            return out
        if e.is_Pow:
            base, p = e.args
            if not p.has(x):
                if p.is_Rational and p.is_negative:
                    return self.div(self.const(S.One), self.power(self.of(base), -p))
                return self.power(self.of(base), p)
            return self.exp(self.mul(self.of(p), self.log(self.of(base))))
        return self._function(e)

    def _function(self, e: sympy.Expr) -> list[sympy.Expr]:
        from calctutor import mathfuncs
        from calctutor.mathfuncs import relu, sigmoid, softplus

        args = e.args
        if isinstance(e, sympy.exp):
            return self.exp(self.of(args[0]))
        if isinstance(e, sympy.log) and len(args) == 1:
            return self.log(self.of(args[0]))
        if isinstance(e, (sympy.sin, sympy.cos)):
            s, c = self.sincos(self.of(args[0]))
            return s if isinstance(e, sympy.sin) else c
        if isinstance(e, (sympy.sinh, sympy.cosh)):
            s, c = self.sincos(self.of(args[0]), hyperbolic=True)
            return s if isinstance(e, sympy.sinh) else c
        if isinstance(e, (sympy.tan, sympy.cot, sympy.sec, sympy.csc)):
            s, c = self.sincos(self.of(args[0]))
            one = self.const(S.One)
            top, bottom = {sympy.tan: (s, c), sympy.cot: (c, s), sympy.sec: (one, c),
                           sympy.csc: (one, s)}[type(e)]
            return self.div(top, bottom)
        if isinstance(e, (sympy.tanh, sympy.coth, sympy.sech, sympy.csch)):
            s, c = self.sincos(self.of(args[0]), hyperbolic=True)
            one = self.const(S.One)
            top, bottom = {sympy.tanh: (s, c), sympy.coth: (c, s), sympy.sech: (one, c),
                           sympy.csch: (one, s)}[type(e)]
            return self.div(top, bottom)
        if isinstance(e, (sympy.Abs, relu, sympy.sign, sympy.Heaviside)):
            u = self.of(args[0])
            side = _sign(u[0])
            if side == 0:
                raise NotSmooth("a kink at the point")
            if isinstance(e, sympy.Abs):
                return u if side > 0 else [-c for c in u]
            if isinstance(e, relu):
                return u if side > 0 else self.const(S.Zero)
            return self.const(S.One if side > 0 else (S.Zero if isinstance(e, sympy.Heaviside)
                                                      else S.NegativeOne))
        if isinstance(e, (sympy.Max, sympy.Min)):
            series = [self.of(a) for a in args]
            values = [s[0] for s in series]
            pick = max if isinstance(e, sympy.Max) else min
            best = pick(range(len(values)), key=lambda i: sympy.N(values[i], 30))
            if any(i != best and _sign(values[i] - values[best]) == 0
                   for i in range(len(values))):
                raise NotSmooth("a tie between the arguments")
            return series[best]
        if isinstance(e, sigmoid):
            return self.sigmoid(self.of(args[0]))
        if isinstance(e, softplus):  # softplus′ = σ
            u = self.of(args[0])
            return self.integral(softplus(u[0]), u, self.sigmoid(u))
        if type(e).__name__ == "cbrt":  # the real cube root: odd, so −(−u)^(1/3) below 0
            u = self.of(args[0])
            if _sign(u[0]) > 0:
                return self.power(u, sympy.Rational(1, 3))
            if _sign(u[0]) < 0:
                return [-c for c in self.power([-c for c in u], sympy.Rational(1, 3))]
            raise NotSmooth("the cube root at 0")
        if type(e).__module__ == mathfuncs.__name__ and isinstance(e, sympy.Function):
            written = e.rewrite(sympy.exp)  # logsumexp, log1p, expm1 in exp and ln
            if written != e:
                return self.of(written)
        if isinstance(e, sympy.Function) and len(args) == 1:
            value = e.func(self.of(args[0])[0])
            if not _is_real_number(value):
                raise NotSmooth(f"{e} has no real value at the point")
            t = sympy.Dummy("t", real=True)
            slope = e.func(t).diff(t)
            if slope.has(e.func) or slope.has(sympy.Derivative, sympy.Subs):
                raise NotSmooth(f"no series rule for {e.func}")
            return self.integral(value, self.of(args[0]), self.of(slope.subs(t, args[0])))
        raise NotSmooth(f"no series rule for {type(e).__name__}")


def _is_real_number(value: sympy.Expr) -> bool:
    if value.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        return False
    if value.is_extended_real:
        return True
    approx = sympy.N(value, 20)
    return bool(approx.is_real) or (approx.is_number and abs(sympy.im(approx)) < 1e-18)
