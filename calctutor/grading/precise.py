"""High-precision values at exact points: the numeric witness's court of appeal.

float64 is fast but blind below 1e-16 relative: with coefficients near 10^10 a wrong
``+ 1`` hides inside rounding noise, and a right answer computed with cancellation can
look wrong. Every float64 verdict that matters is re-checked here, at the same point
(converted exactly to a rational) with 50 significant digits.

The value is computed bottom-up with mpmath (one function per table row, keyed like the
float engine by the row's ``numpy`` key), in real arithmetic: a step that is undefined
or not real (``sqrt`` of a negative, ``ln`` of 0, a division by 0) makes the whole value
undefined, even where a later step would make it real again (sqrt(x + 1)/sqrt(x - 1) at
x = -2). SymPy's own evaluation is not used for this: it decides the sign of a nearly
cancelling sum at low precision (``sign(tan(x) + sec(x))`` next to -pi/2 comes out
wrong). A difference is believed only if it survives at twice the precision.
"""

from __future__ import annotations

import sympy

from calctutor.errors import ComputationTimeout
from calctutor.parsing.builder import symbol
from calctutor.timeouts import time_limit

DIGITS = 50
_TINY = sympy.Float("1e-40", DIGITS)


class _Undefined(Exception):
    """A step of the expression is undefined or not real at the point."""


class _Unsupported(Exception):
    """A node the real evaluator does not know: fall back to SymPy's evaluation."""


def _mp_functions():
    import mpmath

    def need(ok: bool):
        if not ok:
            raise _Undefined

    def log(u):
        need(u > 0)
        return mpmath.log(u)

    def sqrt(u):
        need(u >= 0)
        return mpmath.sqrt(u)

    def recip(v):
        need(v != 0)
        return 1 / v

    def unit(u):
        need(-1 <= u <= 1)
        return u

    def outside(u):
        need(abs(u) >= 1)
        return u

    def heaviside(u):
        return mpmath.mpf(1) if u > 0 else mpmath.mpf(0) if u < 0 else mpmath.mpf(1) / 2

    def sign(u):
        return mpmath.mpf(1) if u > 0 else mpmath.mpf(-1) if u < 0 else mpmath.mpf(0)

    def acosh(u):
        need(u >= 1)
        return mpmath.acosh(u)

    def atanh(u):
        need(-1 < u < 1)
        return mpmath.atanh(u)

    def acot(u):
        # SymPy's acot: the branch with acot(0) = pi/2 and values in (-pi/2, pi/2]
        return mpmath.pi / 2 if u == 0 else mpmath.atan(1 / u)

    return {
        "exp": mpmath.exp, "log": log, "sqrt": sqrt,
        "cbrt": lambda u: mpmath.sign(u) * mpmath.cbrt(abs(u)),  # the real cube root
        "log1p": lambda u: log(1 + u), "expm1": mpmath.expm1,
        "erf": mpmath.erf, "gelu": lambda u: u / 2 * (1 + mpmath.erf(u / mpmath.sqrt(2))),
        "log10": lambda u: log(u) / mpmath.log(10), "log2": lambda u: log(u) / mpmath.log(2),
        "sin": mpmath.sin, "cos": mpmath.cos, "tan": lambda u: mpmath.sin(u) * recip(mpmath.cos(u)),
        "sec": lambda u: recip(mpmath.cos(u)), "csc": lambda u: recip(mpmath.sin(u)),
        "cot": lambda u: mpmath.cos(u) * recip(mpmath.sin(u)),
        "arcsin": lambda u: mpmath.asin(unit(u)), "arccos": lambda u: mpmath.acos(unit(u)),
        "arctan": mpmath.atan, "arcsec": lambda u: mpmath.acos(1 / outside(u)),
        "arccsc": lambda u: mpmath.asin(1 / outside(u)), "arccot": acot,
        "sinh": mpmath.sinh, "cosh": mpmath.cosh, "tanh": mpmath.tanh,
        "sech": lambda u: 1 / mpmath.cosh(u), "csch": lambda u: recip(mpmath.sinh(u)),
        "coth": lambda u: mpmath.cosh(u) * recip(mpmath.sinh(u)),
        "arcsinh": mpmath.asinh, "arccosh": acosh, "arctanh": atanh,
        "absolute": abs, "sign": sign, "heaviside": heaviside,
        "sigmoid": lambda u: 1 / (1 + mpmath.exp(-u)),
        "relu": lambda u: u if u > 0 else mpmath.mpf(0),
        "softplus": lambda u: mpmath.log(1 + mpmath.exp(u)),
        "maximum": lambda *a: max(a), "minimum": lambda *a: min(a),
        "logsumexp": lambda *a: mpmath.log(mpmath.fsum(mpmath.exp(v) for v in a)),
        "leaky_relu": lambda u, a: u if u > 0 else a * u,
        "elu": lambda u, a: u if u > 0 else a * mpmath.expm1(u),
        "gelu_tanh": lambda u: u / 2 * (1 + mpmath.tanh(mpmath.sqrt(2 / mpmath.pi)
                                                        * (u + mpmath.mpf(44715) / 10**6 * u**3))),
        "silu": lambda u: u / (1 + mpmath.exp(-u)),
        "softsign": lambda u: u / (1 + abs(u)),
        "hard_tanh": lambda u: max(mpmath.mpf(-1), min(mpmath.mpf(1), u)),
        "mse": lambda p, y: (p - y) ** 2,
        "bce": lambda p, y: -(y * log(p) + (1 - y) * log(1 - p)),
        "bce_logits": lambda z, y: max(z, 0) + mpmath.log1p(mpmath.exp(-abs(z))) - y * z,
        "huber": lambda r, d: r * r / 2 if abs(r) <= d else d * (abs(r) - d / 2),
    }


_MP: dict | None = None


def _real_value(expr: sympy.Expr, env: dict, memo: dict):
    """expr as an mpmath number in real arithmetic at the current precision."""
    import mpmath

    global _MP
    if _MP is None:
        _MP = _mp_functions()
    if expr in memo:
        return memo[expr]
    if expr.is_Symbol:
        value = env[expr]
    elif expr.is_Rational:
        value = mpmath.mpf(expr.p) / expr.q
    elif expr.is_Float:
        value = mpmath.mpf(expr._mpf_) if hasattr(expr, "_mpf_") else mpmath.mpf(str(expr))
    elif expr is sympy.pi:
        value = +mpmath.pi
    elif expr is sympy.E:
        value = +mpmath.e
    elif expr.is_Add:
        value = mpmath.fsum(_real_value(a, env, memo) for a in expr.args)
    elif expr.is_Mul:
        value = mpmath.fprod(_real_value(a, env, memo) for a in expr.args)
    elif expr.is_Pow:
        value = _power(expr, env, memo)
    elif isinstance(expr, sympy.exp):
        value = mpmath.exp(_real_value(expr.args[0], env, memo))
    else:
        from calctutor.rules import row_for

        row = row_for(expr)
        fn = _MP.get(_key(row.numpy)) if row is not None else None
        if fn is None:
            raise _Unsupported
        args = expr.args[:1] if row.name == "step" else expr.args
        value = fn(*[_real_value(a, env, memo) for a in args])
    if isinstance(value, mpmath.mpc) or not mpmath.isfinite(value):
        raise _Undefined
    memo[expr] = value
    return value


def _key(numpy_key: str) -> str:
    """The function's own name in a table ``numpy`` key: "numpy:arcsin" → "arcsin",
    "calctutor.mathfuncs:gelu.numpy" → "gelu" (plain keys such as "sec" stay)."""
    return numpy_key.rsplit(":", 1)[-1].split(".")[0]


def _power(expr: sympy.Expr, env: dict, memo: dict):
    import mpmath

    base, exp = expr.args
    b = _real_value(base, env, memo)
    if exp.is_Integer:
        if b == 0 and exp < 0:
            raise _Undefined
        return b ** int(exp)
    if exp.is_Rational and exp.q == 2:
        if b < 0 or (b == 0 and exp < 0):
            raise _Undefined
        return mpmath.sqrt(b) ** int(exp.p)
    e = _real_value(exp, env, memo)
    if b > 0:
        return mpmath.power(b, e)
    if b == 0:
        if e > 0:
            return mpmath.mpf(0)
        raise _Undefined
    # a negative base: real only for a whole exponent (SymPy's principal branch otherwise)
    if e == int(e):
        return b ** int(e)
    raise _Undefined


def real_value(expr: sympy.Expr, point: dict[str, float], digits: int = DIGITS):
    """expr at the point in real arithmetic: a SymPy Float, None where undefined, or
    NotImplemented when the expression has a node this evaluator does not know."""
    import mpmath

    env = {symbol(name): mpmath.mpf(float(v)) for name, v in point.items()}
    with mpmath.workdps(digits + 10):
        try:
            value = _real_value(expr, env, {})
        except _Undefined:
            return None
        except (_Unsupported, KeyError):
            return NotImplemented
        except (ZeroDivisionError, ValueError, OverflowError, TypeError):
            return None
        return sympy.Float(value, digits)


#: working precisions of a confirmation, in digits
CONFIRM_DIGITS = (DIGITS, 2 * DIGITS, 4 * DIGITS, 8 * DIGITS, 16 * DIGITS)


def differ(expected: sympy.Expr, answer: sympy.Expr, point: dict[str, float]) -> bool:
    """A confirmed difference: the two differ, and each value has settled — it did not
    change when the precision was doubled. Terms of 10^120 that cancel exactly, as in
    (x + 1)^20 (x - 1)^20 - (x^2 - 1)^20 at x = -1060, leave rounding noise of 10^60 at 60
    digits; only a precision that holds every digit of the terms shows the 0, so the
    precision doubles (up to 800 digits) until both values stop moving, and a value that
    never settles confirms nothing."""
    previous = None
    for digits in CONFIRM_DIGITS:
        a, b = value_at(expected, point, digits=digits), value_at(answer, point, digits=digits)
        if a is None or b is None or agree(a, b, digits=digits):
            return False
        if previous is not None and agree(previous[0], a) and agree(previous[1], b):
            return True
        previous = (a, b)
    return False


def value_at(expr: sympy.Expr, point: dict[str, float], budget: float = 0.5,
             digits: int = DIGITS) -> sympy.Float | None:
    """expr at the point, to ``digits`` digits; None where it is undefined or not real."""
    found = real_value(expr, point, digits)
    if found is not NotImplemented:
        return found
    return _sympy_value_at(expr, point, budget, digits)


def _sympy_value_at(expr: sympy.Expr, point: dict[str, float], budget: float,
                    DIGITS: int = DIGITS) -> sympy.Float | None:  # noqa: N803
    """The fallback for nodes outside the table: SymPy's own evaluation."""
    subs = {symbol(name): sympy.Rational(float(v)) for name, v in point.items()}
    try:
        with time_limit(budget, "a high-precision evaluation"):
            value = expr.xreplace(subs)
            if value.has(sympy.zoo, sympy.nan) or value.has(sympy.oo) or value.has(sympy.S.NegativeInfinity):
                return None
            value = value.evalf(DIGITS)
    except ComputationTimeout:
        return None
    except (ZeroDivisionError, ValueError, TypeError, OverflowError, ArithmeticError):
        return None
    if value.has(sympy.zoo, sympy.nan, sympy.oo, sympy.S.NegativeInfinity):
        return None
    if not value.is_Number:
        real, imag = value.as_real_imag()
        if not (real.is_Number and imag.is_Number) or abs(imag) > _TINY * max(1, abs(real)):
            return None
        value = real
    return sympy.Float(value, DIGITS)


def agree(a: sympy.Float, b: sympy.Float, rel: float = 1e-40, digits: int = DIGITS) -> bool:
    """Equal to within rounding at ``digits`` digits: 40 of the 50 (the values are worked
    out with 10 guard digits, and a cancellation that eats more is caught by
    :func:`differ`, which raises the precision until the values settle)."""
    scale = max(sympy.Float(1, digits), abs(a), abs(b))
    return abs(a - b) <= sympy.Float(rel, digits) * scale
