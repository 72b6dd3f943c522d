"""Naive and stable forms of an expression, each a rewrite with a name and a reason.

The naive form is the textbook definition a learner codes first (sigmoid as
1/(1 + e^-u), softplus as ln(1 + e^u), log-sum-exp as ln(sum of e^a)). The stable form
is what numerical libraries do instead:

- log-sum-exp with the max shift: m + ln(sum of e^(a - m)), m = max(a): every e^(...) <= 1;
- softplus as max(u, 0) + log1p(e^-|u|): the exponent is never positive;
- sigmoid by sign, e^min(u, 0) / (1 + e^-|u|): one formula for 1/(1 + e^-u) (u >= 0)
  and e^u/(1 + e^u) (u < 0), so e^(...) never overflows;
- ln(1 + w) as log1p(w) and e^w - 1 as expm1(w): no rounding of 1 + w, no cancellation;
- ln(sigmoid(u)) as -softplus(-u) and ln(1 - sigmoid(u)) as -softplus(u): the stable
  log-likelihood terms of binary cross-entropy.

Both forms are equal to the input as real functions (a test checks it with SymPy), and
print in calctutor's syntax, so they paste back.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from calctutor.mathfuncs import expm1, log1p, logsumexp, sigmoid, softplus


@dataclass(frozen=True)
class Rewrite:
    name: str  # short name of the rule ("log-sum-exp max shift")
    reason: str  # why the stable form is safe


_REWRITES = {
    "lse": Rewrite("log-sum-exp max shift",
                   "subtracting the largest argument first keeps every e^(...) at most 1, "
                   "so nothing overflows, and the sum is at least 1, so its log is safe"),
    "softplus": Rewrite("softplus as max(u, 0) + log1p(e^-|u|)",
                        "the exponent -|u| is never positive, so e^(...) cannot overflow, and "
                        "log1p keeps the digits of a tiny remainder"),
    "sigmoid": Rewrite("sigmoid by sign",
                       "e^min(u, 0) and e^-|u| never exceed 1, so neither side overflows for "
                       "large |u|"),
    "log1p": Rewrite("ln(1 + w) as log1p(w)",
                     "1 + w rounds away the digits of a tiny w; log1p never forms 1 + w"),
    "expm1": Rewrite("e^w - 1 as expm1(w)",
                     "e^w - 1 subtracts two nearly equal numbers for tiny w; expm1 does not"),
    "logsigmoid": Rewrite("ln(sigmoid(u)) as -softplus(-u)",
                          "the sigmoid underflows to 0 for very negative u and ln(0) = -inf; "
                          "the softplus form never takes the log of a rounded-off number"),
}


def _naive(node: sympy.Expr) -> sympy.Expr:
    if isinstance(node, sigmoid):
        return 1 / (1 + sympy.exp(-node.args[0]))
    if isinstance(node, softplus):
        return sympy.log(1 + sympy.exp(node.args[0]))
    if isinstance(node, logsumexp):
        return sympy.log(sympy.Add(*[sympy.exp(a) for a in node.args]))
    if isinstance(node, log1p):
        return sympy.log(1 + node.args[0])
    if isinstance(node, expm1):
        return sympy.exp(node.args[0]) - 1
    return node


def naive_form(expr: sympy.Expr) -> sympy.Expr:
    """The expression with its ML functions written out by their definitions."""
    return expr.replace(lambda n: isinstance(n, (sigmoid, softplus, logsumexp, log1p, expm1)),
                        _naive)


def _one_plus(arg: sympy.Expr) -> sympy.Expr | None:
    """w when ``arg`` is 1 + w (w not a number), else None."""
    if isinstance(arg, sympy.Add) and sympy.S.One in arg.args:
        rest = arg - 1
        if not rest.is_Number:
            return rest
    return None


def stable_form(expr: sympy.Expr) -> tuple[sympy.Expr, tuple[Rewrite, ...]]:
    """The stable form and the rewrites used (none: the expression is already stable, or
    no rewrite is known for it)."""
    used: list[str] = []

    def visit(node: sympy.Expr) -> sympy.Expr:
        if not node.args:
            return node
        if isinstance(node, sympy.log) and len(node.args) == 1:
            inner = node.args[0]
            if isinstance(inner, sigmoid):
                used.append("logsigmoid")
                return -softplus_stable(-visit(inner.args[0]))
            w = _one_plus(inner)
            if w is not None:
                # ln(1 - sigmoid(u)) = -softplus(u)
                if isinstance(-w, sigmoid):
                    used.append("logsigmoid")
                    return -softplus_stable(visit((-w).args[0]))
                if isinstance(w, sympy.exp):  # ln(1 + e^u) is softplus(u), spelled out
                    used.append("softplus")
                    return softplus_stable(visit(w.args[0]))
                used.append("log1p")
                return log1p(visit(w))
        if isinstance(node, sympy.Add) and sympy.S.NegativeOne in node.args:
            rest = [a for a in node.args if a is not sympy.S.NegativeOne]
            exps = [a for a in rest if isinstance(a, sympy.exp)]
            if exps:
                used.append("expm1")
                first = exps[0]
                others = [visit(a) for a in rest if a is not first]
                return sympy.Add(expm1(visit(first.args[0])), *others)
        if isinstance(node, logsumexp):
            used.append("lse")
            args = [visit(a) for a in node.args]
            m = sympy.Max(*args)
            return m + sympy.log(sympy.Add(*[sympy.exp(a - m) for a in args]))
        if isinstance(node, softplus):
            used.append("softplus")
            return softplus_stable(visit(node.args[0]))
        if isinstance(node, sigmoid):
            used.append("sigmoid")
            u = visit(node.args[0])
            return sympy.exp(sympy.Min(u, 0)) / (1 + sympy.exp(-sympy.Abs(u)))
        return node.func(*[visit(a) for a in node.args])

    def softplus_stable(u: sympy.Expr) -> sympy.Expr:
        return sympy.Max(u, 0) + log1p(sympy.exp(-sympy.Abs(u)))

    result = visit(expr)
    seen: list[str] = []
    for key in used:
        if key not in seen:
            seen.append(key)
    return result, tuple(_REWRITES[k] for k in seen)
