"""SymPy functions that SymPy lacks but machine learning uses: sigmoid, relu, softplus,
logsumexp, gelu and the real cube root cbrt — plus the spellings log10 and log2, which
SymPy rewrites into other forms.

The derivative of each (``fdiff``) is read from the primitives table through
:func:`calctutor.rules.local_derivative`, so ``sympy.diff`` and our own engines agree by
construction. Each function also knows how to rewrite itself in exponentials so that
SymPy's simplification (and the grader) can compare it with other forms.
"""

from __future__ import annotations

import sympy
from sympy import Function, S


def _table_derivative(fn: Function, argindex: int) -> sympy.Expr:
    from calctutor.rules import local_derivative

    return local_derivative(type(fn).__name__, list(fn.args), argindex - 1)


class sigmoid(Function):  # noqa: N801 - the name is the user-facing function name
    """The logistic function 1/(1 + e^-x)."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Half
        if x is S.Infinity:
            return S.One
        if x is S.NegativeInfinity:
            return S.Zero
        if x.is_Float:
            return 1 / (1 + sympy.exp(-x))
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sympy.exp(-x))

    _eval_rewrite_as_tractable = _eval_rewrite_as_exp

    def _eval_rewrite_as_tanh(self, x, **kwargs):
        return sympy.tanh(x / 2) / 2 + S.Half

    def _eval_evalf(self, prec):
        return _adaptive_evalf(self._eval_rewrite_as_exp(self.args[0]), prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_positive(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _latex(self, printer):
        return r"\sigma\left(%s\right)" % printer._print(self.args[0])


class relu(Function):  # noqa: N801
    """The rectifier max(0, x)."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_extended_nonnegative:
            return x
        if x.is_extended_nonpositive:
            return S.Zero
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_Max(self, x, **kwargs):
        return sympy.Max(0, x)

    def _eval_rewrite_as_Piecewise(self, x, **kwargs):
        return sympy.Piecewise((x, x > 0), (0, True))

    def _eval_rewrite_as_Abs(self, x, **kwargs):
        return (x + sympy.Abs(x)) / 2

    def _eval_evalf(self, prec):
        return _adaptive_evalf(sympy.Max(0, self.args[0]), prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_nonnegative(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _latex(self, printer):
        return r"\operatorname{relu}\left(%s\right)" % printer._print(self.args[0])


class softplus(Function):  # noqa: N801
    """ln(1 + e^x), the smooth ReLU."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sympy.log(2)
        if x.is_Float:
            return sympy.log(1 + sympy.exp(x))
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_log(self, x, **kwargs):
        return sympy.log(1 + sympy.exp(x))

    _eval_rewrite_as_exp = _eval_rewrite_as_log
    _eval_rewrite_as_tractable = _eval_rewrite_as_log

    def _eval_evalf(self, prec):
        import mpmath

        def stable(a):  # max(a, 0) + log1p(e^-|a|): no overflow, no lost digits
            return max(a, 0) + mpmath.log1p(mpmath.exp(-abs(a)))

        return _mpmath_evalf(stable, self.args[0], prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_positive(self):
        if self.args[0].is_extended_real:
            return True
        return None

    def _latex(self, printer):
        return r"\operatorname{softplus}\left(%s\right)" % printer._print(self.args[0])


class logsumexp(Function):  # noqa: N801
    """ln(e^a + e^b + ...), the smooth maximum whose gradient is the softmax."""

    @classmethod
    def eval(cls, *args):
        if len(args) == 0:
            raise TypeError("logsumexp needs at least one argument")
        if len(args) == 1:
            return args[0]
        if all(a.is_Float for a in args):
            return sympy.log(sum(sympy.exp(a) for a in args))
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_log(self, *args, **kwargs):
        return sympy.log(sum(sympy.exp(a) for a in args))

    _eval_rewrite_as_exp = _eval_rewrite_as_log
    _eval_rewrite_as_tractable = _eval_rewrite_as_log

    def _eval_evalf(self, prec):
        args = self.args
        shift = sympy.Max(*args)
        stable = shift + sympy.log(sum(sympy.exp(a - shift) for a in args))
        return _adaptive_evalf(stable, prec)

    def _eval_is_extended_real(self):
        if all(a.is_extended_real for a in self.args):
            return True
        return None

    def _latex(self, printer):
        return r"\operatorname{logsumexp}\left(%s\right)" % ", ".join(
            printer._print(a) for a in self.args
        )


def _mpmath_evalf(fn, arg: sympy.Expr, prec: int):
    """fn (an mpmath function of one mpf) at ``arg`` to ``prec`` bits, or None when the
    argument is not a real number; mpmath's log1p/expm1 keep the digits SymPy's
    evalf of ln(1 + tiny) loses."""
    import mpmath
    from mpmath.libmp import prec_to_dps

    value = arg.evalf(prec_to_dps(prec) + 5)
    if not value.is_Float:
        return None
    with mpmath.workprec(prec + 20):
        result = fn(value._to_mpmath(prec + 20))
    if isinstance(result, mpmath.mpc):  # outside the real domain (log1p(-2))
        return None
    return sympy.Float._new(result._mpf_, prec)


def _adaptive_evalf(expr: sympy.Expr, prec: int) -> sympy.Expr:
    """``expr`` to ``prec`` bits through SymPy's adaptive evalf, which raises the working
    precision where 1 + x or e^x - 1 would otherwise cancel (the whole point of these
    two functions)."""
    from mpmath.libmp import prec_to_dps

    return expr.evalf(prec_to_dps(prec))


class log1p(Function):  # noqa: N801
    """ln(1 + x), written so that a computer keeps its digits when x is tiny."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Zero
        if x.is_Float:
            return sympy.log(1 + x)
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_log(self, x, **kwargs):
        return sympy.log(1 + x)

    _eval_rewrite_as_tractable = _eval_rewrite_as_log

    def _eval_evalf(self, prec):
        import mpmath

        return _mpmath_evalf(mpmath.log1p, self.args[0], prec)

    def _eval_is_extended_real(self):
        x = self.args[0]
        if x.is_extended_real and (x + 1).is_extended_positive:
            return True
        return None

    def _latex(self, printer, exp=None):
        body = r"\operatorname{log1p}\left(%s\right)" % printer._print(self.args[0])
        return body if exp is None else r"%s^{%s}" % (body, exp)


class expm1(Function):  # noqa: N801
    """e^x - 1, written so that a computer keeps its digits when x is tiny."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Zero
        if x.is_Float:
            return sympy.exp(x) - 1
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return sympy.exp(x) - 1

    _eval_rewrite_as_tractable = _eval_rewrite_as_exp

    def _eval_evalf(self, prec):
        import mpmath

        return _mpmath_evalf(mpmath.expm1, self.args[0], prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _latex(self, printer, exp=None):
        body = r"\operatorname{expm1}\left(%s\right)" % printer._print(self.args[0])
        return body if exp is None else r"%s^{%s}" % (body, exp)


def log10(x: sympy.Expr) -> sympy.Expr:
    """log base 10, kept as SymPy does: ln(x)/ln(10)."""
    return sympy.log(x, 10)


def log2(x: sympy.Expr) -> sympy.Expr:
    """log base 2, kept as SymPy does: ln(x)/ln(2)."""
    return sympy.log(x, 2)


def _tidy_root(root: sympy.Expr, x: sympy.Expr) -> sympy.Expr:
    """A number's cube root with its powers of one base combined: (8 sqrt(2))^(1/3) is
    2*2^(1/6), not SymPy's 2^(1/3)*2^(5/6), which would print as a different tree."""
    return sympy.powsimp(root) if x.is_number else root


class cbrt(Function):  # noqa: N801
    """The real cube root: cbrt(-8) = -2, where SymPy's (-8)^(1/3) is the complex
    principal root 1 + sqrt(3) i. A learner means the real one.

    A non-negative argument becomes SymPy's ``x^(1/3)`` (the two agree there); a negative
    number or provably negative argument becomes ``-(-x)^(1/3)``; anything else stays
    ``cbrt(x)``.
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_extended_nonnegative:
            return _tidy_root(sympy.Pow(x, sympy.Rational(1, 3)), x)
        if x.is_extended_negative:
            return -_tidy_root(sympy.Pow(-x, sympy.Rational(1, 3)), x)
        if x.is_Mul and x.args[0].is_Number and x.args[0].is_negative:
            return -cls(-x)  # cbrt(-2x) = -cbrt(2x): the cube root is odd
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_Abs(self, x, **kwargs):
        return sympy.sign(x) * sympy.Abs(x) ** sympy.Rational(1, 3)

    _eval_rewrite_as_sign = _eval_rewrite_as_Abs

    def _eval_rewrite_as_Piecewise(self, x, **kwargs):
        third = sympy.Rational(1, 3)
        return sympy.Piecewise((x**third, x >= 0), (-((-x) ** third), True))

    def _eval_evalf(self, prec):
        return self._eval_rewrite_as_Abs(self.args[0])._eval_evalf(prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _eval_is_positive(self):
        return self.args[0].is_extended_positive

    def _eval_is_negative(self):
        return self.args[0].is_extended_negative

    def _eval_is_zero(self):
        return self.args[0].is_zero

    def _latex(self, printer, exp=None):
        body = r"\sqrt[3]{%s}" % printer._print(self.args[0])
        return body if exp is None else r"\left(%s\right)^{%s}" % (body, exp)


class gelu(Function):  # noqa: N801 - the name is the user-facing function name
    """The Gaussian error linear unit: gelu(x) = x Phi(x) = x/2 (1 + erf(x/sqrt(2)))."""

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return S.Zero
        if x is S.Infinity:
            return S.Infinity
        if x is S.NegativeInfinity:
            return S.Zero
        if x.is_Float:
            return _gelu_erf(x)
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite_as_erf(self, x, **kwargs):
        return _gelu_erf(x)

    # erf has no closed form in exponentials: the erf form is as far as a rewrite goes
    _eval_rewrite_as_exp = _eval_rewrite_as_erf
    _eval_rewrite_as_tractable = _eval_rewrite_as_erf

    def _eval_evalf(self, prec):
        return _gelu_erf(self.args[0])._eval_evalf(prec)

    def _eval_is_extended_real(self):
        return self.args[0].is_extended_real

    def _latex(self, printer):
        return r"\operatorname{gelu}\left(%s\right)" % printer._print(self.args[0])

    @staticmethod
    def numpy(x):
        """The NumPy value (the table row's ``numpy`` reference points here)."""
        import math

        import numpy as np

        x = np.asarray(x, dtype=float)
        erf = np.vectorize(math.erf, otypes=[float])
        return 0.5 * x * (1.0 + erf(x / math.sqrt(2.0)))


def _gelu_erf(x):
    return x / 2 * (1 + sympy.erf(x / sympy.sqrt(2)))


# ── activations and losses of deep learning, one small class each ───────────────────
class _Defined(Function):
    """A function SymPy lacks, given by a closed form (``definition``).

    The derivative comes from the table row (``fdiff``), so SymPy and calctutor's engines
    agree by construction; rewriting (``rewrite(Piecewise)``, ``rewrite(exp)``, ...)
    gives the definition, which is how the grader and the tests compare forms; numbers
    are computed from the definition to full precision.
    """

    #: LaTeX name; None: \\operatorname{<class name>}
    latex_name: str | None = None
    #: at plain numbers, give the definition's value (leaky_relu(-2, 1/100) = -1/50)
    exact_at_numbers = True

    @classmethod
    def definition(cls, *args):  # pragma: no cover - every subclass defines it
        raise NotImplementedError

    @classmethod
    def eval(cls, *args):
        if any(a.is_Float for a in args) and all(a.is_number for a in args):
            return cls.definition(*args)
        if cls.exact_at_numbers and all(a.is_number and a.is_extended_real for a in args):
            return cls.definition(*args)
        return None

    def fdiff(self, argindex=1):
        return _table_derivative(self, argindex)

    def _eval_rewrite(self, rule, args, **hints):
        return type(self).definition(*args)

    def _eval_evalf(self, prec):
        return _adaptive_evalf(type(self).definition(*self.args), prec)

    def _eval_is_extended_real(self):
        if all(a.is_extended_real for a in self.args):
            return True
        return None

    def _latex(self, printer, exp=None):
        name = self.latex_name or r"\operatorname{%s}" % type(self).__name__.replace("_", r"\_")
        body = r"%s\left(%s\right)" % (name, ", ".join(printer._print(a) for a in self.args))
        return body if exp is None else r"%s^{%s}" % (body, exp)


def _pw(below, above, u):
    """below for u <= 0, above for u > 0."""
    return sympy.Piecewise((above, u > 0), (below, True))


class leaky_relu(_Defined):  # noqa: N801
    """x for x > 0, a x below (a: the slope parameter, 0.01 when left out)."""

    nargs = 2

    @classmethod
    def definition(cls, x, a):
        return _pw(a * x, x, x)


class elu(_Defined):  # noqa: N801
    """x for x > 0, alpha (e^x - 1) below (alpha = 1 when left out)."""

    nargs = 2

    @classmethod
    def definition(cls, x, alpha):
        return _pw(alpha * (sympy.exp(x) - 1), x, x)


#: The tanh approximation of GELU: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
GELU_TANH_CUBIC = sympy.Rational(44715, 1000000)


class gelu_tanh(_Defined):  # noqa: N801
    """GELU's tanh approximation (the one GPT-2 and BERT shipped)."""

    nargs = 1
    exact_at_numbers = False  # tanh(sqrt(2/pi)*...) helps nobody; decimals do

    @classmethod
    def definition(cls, x):
        inner = sympy.sqrt(2 / sympy.pi) * (x + GELU_TANH_CUBIC * x ** 3)
        return x / 2 * (1 + sympy.tanh(inner))


class silu(_Defined):  # noqa: N801
    """x sigmoid(x), also called swish."""

    nargs = 1

    @classmethod
    def definition(cls, x):
        return x / (1 + sympy.exp(-x))


class softsign(_Defined):  # noqa: N801
    """x / (1 + |x|)."""

    nargs = 1

    @classmethod
    def definition(cls, x):
        return x / (1 + sympy.Abs(x))


class hard_tanh(_Defined):  # noqa: N801
    """tanh's piecewise-linear stand-in: -1 below -1, x between, 1 above 1."""

    nargs = 1

    @classmethod
    def definition(cls, x):
        return sympy.Max(-1, sympy.Min(1, x))


class mse(_Defined):  # noqa: N801
    """Squared error of one prediction: (prediction - target)^2."""

    nargs = 2

    @classmethod
    def definition(cls, yhat, y):
        return (yhat - y) ** 2


class bce(_Defined):  # noqa: N801
    """Binary cross-entropy of a probability p for a label y: -(y ln p + (1 - y) ln(1 - p))."""

    nargs = 2

    @classmethod
    def definition(cls, p, y):
        return -(y * sympy.log(p) + (1 - y) * sympy.log(1 - p))


class bce_logits(_Defined):  # noqa: N801
    """Binary cross-entropy from a logit z: softplus(z) - y z (= bce(sigmoid(z), y))."""

    nargs = 2

    @classmethod
    def definition(cls, z, y):
        return sympy.log(1 + sympy.exp(z)) - y * z

    def _eval_evalf(self, prec):
        z, y = self.args
        return _adaptive_evalf(softplus(z) - y * z, prec)


class huber(_Defined):  # noqa: N801
    """Huber loss of a residual r: r^2/2 for |r| <= delta, delta (|r| - delta/2) beyond."""

    nargs = 2

    @classmethod
    def definition(cls, r, delta):
        return sympy.Piecewise((r ** 2 / 2, sympy.Abs(r) <= delta),
                               (delta * (sympy.Abs(r) - delta / 2), True))
