"""The one table of primitives: every derivative rule calctutor knows is written here.

Each row describes one elementary function or operator: its name in our input syntax,
how to build it in SymPy, how to evaluate it in NumPy, its local derivative(s), the name
of the rule a teacher would cite, a one-line explanation, a domain note, and the classic
slips learners make with it. The step engine, the autodiff engine, the graph, the
grader's mistake diagnosis and the lessons all read this table; nothing else writes a
derivative rule.

Why formulas are strings: the table must be importable without SymPy (start-up time is a
feature, and the REPL completer needs the names at once). The formulas are written in
calctutor's own input syntax and turned into SymPy expressions on demand by
:mod:`calctutor.rules`, through our own parser; they are trusted, fixed text.

Formula variables:
- unary rows: ``u`` is the argument;
- binary rows: ``u`` and ``v`` are the two arguments, one formula per argument;
- variadic rows (``arity == -1``): one formula for "the argument being differentiated"
  ``u``; ``s`` stands for the whole call and ``w`` for each *other* argument (a formula
  that mentions ``w`` is multiplied over every other argument).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Condition",
    "Kink",
    "Mistake",
    "Primitive",
    "PRIMITIVES",
    "OPERATORS",
    "FUNCTION_NAMES",
    "by_name",
    "operator",
    "lookup",
    "Rule",
    "RULES",
    "rule",
]


@dataclass(frozen=True, slots=True)
class Mistake:
    """A classic wrong local derivative, used to diagnose a learner's slip."""

    label: str  # one of the mistake labels in shared/CLI.md
    formula: str  # the wrong local derivative, same variables as the row's formulas
    description: str  # what the learner did, in a few words


@dataclass(frozen=True, slots=True)
class Condition:
    """One machine-readable domain condition: ``expr <relation> 0``.

    ``expr`` is a formula in the row's variables (``u``; ``v`` for an operator's second
    operand); ``relation`` is ``">"``, ``">="`` or ``"!="``. ``text`` says it in words
    for a sentence such as "ln needs its argument > 0".
    """

    expr: str
    relation: str  # ">", ">=" or "!="
    text: str


@dataclass(frozen=True, slots=True)
class Kink:
    """Where a row's derivative does not exist although the function is defined.

    Unary rows: the kink is where ``where`` (a formula in ``u``) is 0; ``below`` and
    ``above`` are the function's smooth formulas on the sides where ``where`` < 0 and
    > 0 (abs: ``-u`` and ``u``), so one-sided values and derivatives come from them.
    ``jump`` marks a function that is not even continuous there (sign, step).
    Variadic rows (max, min) set ``ties``: the kink is where two or more arguments tie
    for the result; on each side the winning argument's own formula applies.

    ``convention`` is the local derivative an autodiff framework uses on the kink, in
    the row's variables (``k``: the number of arguments tied with the result), and
    ``convention_text`` names it for the learner. It is used only where a value is
    needed anyway (a backward pass) or asked for, and always called a convention.
    """

    where: str
    text: str  # what sits there, in words: "a corner", "a jump from 0 to 1"
    below: str = ""
    above: str = ""
    jump: bool = False
    ties: bool = False
    convention: str = "0"
    convention_text: str = ""


@dataclass(frozen=True, slots=True)
class Primitive:
    """One row of the table: an elementary function or an operator."""

    name: str  # canonical name in our input syntax
    sympy: str  # "sympy:<attr>" or "calctutor:<attr>" (resolved lazily)
    numpy: str  # the NumPy function: "numpy:sin", "calctutor.numeric:sigmoid", "math:erf"
    derivatives: tuple[str, ...]  # local derivative per argument (see module docstring)
    rule: str  # the rule's name, as a teacher would cite it
    explanation: str  # one line: why the rule holds or what to remember
    domain: str = "all real numbers"
    arity: int = 1  # -1: any number of arguments (at least ``min_args``)
    min_args: int = 1  # the fewest arguments a variadic row accepts
    aliases: tuple[str, ...] = ()
    inverse: str | None = None  # name of the inverse function, for sin^-1(x)
    mistakes: tuple[Mistake, ...] = ()
    sugar: bool = False  # parse-only spelling: SymPy rewrites it into other rows
    kind: str = "function"  # "function" or "operator"
    #: where the function is defined (every condition must hold); empty: all reals
    conditions: tuple[Condition, ...] = ()
    #: extra conditions for the derivative to exist (sqrt: u > 0)
    derivative_conditions: tuple[Condition, ...] = ()
    #: points where the function is defined but its derivative does not exist
    kinks: tuple[Kink, ...] = ()
    #: values of trailing arguments that may be left out, in our syntax
    #: (leaky_relu(x) is leaky_relu(x, 0.01))
    defaults: tuple[str, ...] = ()


def _m(label: str, formula: str, description: str) -> Mistake:
    return Mistake(label, formula, description)


# Domain conditions shared by several rows (``expr <relation> 0``, in the row's variables).
_POSITIVE = (Condition("u", ">", "its argument > 0"),)
_NONNEGATIVE = (Condition("u", ">=", "its argument >= 0"),)
_NONZERO = (Condition("u", "!=", "its argument to be nonzero"),)
_COS_NONZERO = (Condition("cos(u)", "!=", "cos of its argument to be nonzero"),)
_SIN_NONZERO = (Condition("sin(u)", "!=", "sin of its argument to be nonzero"),)
_UNIT_CLOSED = (Condition("1 - u^2", ">=", "its argument between -1 and 1"),)
_UNIT_OPEN = (Condition("1 - u^2", ">", "its argument strictly between -1 and 1"),)
_OUTSIDE_CLOSED = (Condition("u^2 - 1", ">=", "|its argument| >= 1"),)
_OUTSIDE_OPEN = (Condition("u^2 - 1", ">", "|its argument| > 1"),)


# ── Operators ───────────────────────────────────────────────────────────────────────
# u, v are the operands. Sums and products with more operands apply the rule pairwise.
OPERATORS: tuple[Primitive, ...] = (
    Primitive("add", "sympy:Add", "calctutor.numeric:add", ("1", "1"), "sum rule",
              "The derivative of a sum is the sum of the derivatives.", arity=2,
              kind="operator", mistakes=(_m("sign", "-1", "flipped the sign of a term"),)),
    Primitive("sub", "sympy:Add", "numpy:subtract", ("1", "-1"), "difference rule",
              "The derivative of a difference is the difference of the derivatives.",
              arity=2, kind="operator",
              mistakes=(_m("sign", "1", "added the derivative of a subtracted term"),)),
    Primitive("neg", "sympy:Mul", "numpy:negative", ("-1",), "constant multiple rule",
              "Negation is multiplication by the constant -1.", kind="operator"),
    Primitive("mul", "sympy:Mul", "calctutor.numeric:multiply", ("v", "u"), "product rule",
              "(f g)' = f' g + f g': each factor takes its turn being differentiated.",
              arity=2, kind="operator",
              mistakes=(_m("product_rule", "0", "dropped one of the two product-rule terms"),)),
    Primitive("div", "sympy:Mul", "numpy:divide", ("1/v", "-u/v^2"), "quotient rule",
              "(f/g)' = (f' g - f g') / g^2: low d-high minus high d-low, over low squared.",
              domain="denominator not zero", arity=2, kind="operator",
              conditions=(Condition("v", "!=", "its denominator to be nonzero"),),
              mistakes=(_m("quotient_rule", "u/v^2", "reversed the numerator (f g' - f' g)"),
                        _m("quotient_rule", "-u/v", "forgot to square the denominator"))),
    Primitive("pow", "sympy:Pow", "numpy:power", ("v*u^(v-1)", "u^v*ln(u)"), "power rule",
              "d/du u^n = n u^(n-1): bring the exponent down, lower it by one.",
              # Powers are checked by calctutor.pointvalue itself (the rule depends on
              # the exponent: 0 to a negative power, even roots of negatives, u > 0 for
              # a variable exponent).
              domain="u > 0 when the exponent is not a constant", arity=2, kind="operator",
              mistakes=(_m("power_rule", "v*u^v", "kept the exponent instead of lowering it"),
                        _m("power_rule", "u^(v-1)", "forgot to bring the exponent down"),
                        _m("exp_rule", "v*u^(v-1)", "used the power rule on a variable exponent"),
                        _m("exp_rule", "u^v", "forgot the factor ln(a) of a^x"))),
)



@dataclass(frozen=True, slots=True)
class Rule:
    """A structural rule of differentiation (not tied to one function)."""

    key: str
    name: str  # as shown to learners and in JSON ("chain rule")
    explanation: str
    formula: str = ""  # the rule in words-and-symbols, for hints


#: Structural rules. Function rows above carry their own rule names ("sine rule").
RULES: dict[str, Rule] = {r.key: r for r in (
    Rule("constant", "constant rule", "A constant does not change, so its derivative is 0.",
         "d/dx c = 0"),
    Rule("identity", "identity rule", "x changes exactly as fast as x: the slope of y = x is 1.",
         "d/dx x = 1"),
    Rule("other_variable", "constant rule",
         "Another variable is held fixed in a partial derivative, so it acts as a constant.",
         "d/dx y = 0"),
    Rule("constant_multiple", "constant multiple rule",
         "A constant factor stays put: (c f)' = c f'.", "(c f)' = c f'"),
    Rule("sum", "sum rule", "Differentiate a sum term by term.", "(f + g)' = f' + g'"),
    Rule("product", "product rule",
         "Each factor takes its turn being differentiated while the others stay.",
         "(f g)' = f' g + f g'"),
    Rule("quotient", "quotient rule",
         "Low d-high minus high d-low, over the square of what's below.",
         "(f/g)' = (f' g - f g') / g^2"),
    Rule("power", "power rule", "Bring the exponent down and lower it by one.",
         "d/dx x^n = n x^(n-1)"),
    Rule("exponential", "exponential rule",
         "a^x grows in proportion to itself, with the factor ln a.",
         "d/dx a^x = a^x ln(a)"),
    Rule("chain", "chain rule",
         "Outer derivative, evaluated at the inside, times the inner derivative.",
         "dz/dx = dz/du * du/dx"),
    Rule("log_diff", "logarithmic differentiation",
         "For f^g, differentiate ln(y) = g ln(f), then multiply back by y.",
         "(f^g)' = f^g (g' ln f + g f'/f)"),
    Rule("simplify", "simplify", "Tidy the result without changing its value.", ""),
    Rule("rewrite", "rewrite", "Write the expression in an equivalent form that a rule fits.", ""),
    Rule("sympy", "by SymPy",
         "No teaching rule covers this form; SymPy computed the derivative directly.", ""),
    Rule("higher_order", "higher-order derivative",
         "Differentiate the derivative again.", "f'' = (f')'"),
)}


def rule(key: str) -> Rule:
    """A structural rule by key (``"chain"``, ``"product"``, ...)."""
    return RULES[key]


# ── Exponentials and logarithms ─────────────────────────────────────────────────────
_EXP_LOG: tuple[Primitive, ...] = (
    Primitive("exp", "sympy:exp", "numpy:exp", ("exp(u)",), "exponential rule",
              "e^u is its own derivative: its slope equals its height.",
              mistakes=(_m("exp_rule", "u*exp(u-1)", "treated e^u with the power rule"),)),
    Primitive("ln", "sympy:log", "numpy:log", ("1/u",), "natural log rule",
              "d/du ln u = 1/u: the log's slope falls off as its input grows.",
              domain="u > 0", aliases=("log",), conditions=_POSITIVE,
              mistakes=(_m("log_rule", "1/u^2", "gave 1/u^2 for the log's derivative"),)),
    Primitive("log10", "calctutor:log10", "numpy:log10", ("1/(u*ln(10))",), "logarithm base b rule",
              "log_b u = ln u / ln b, so its derivative is 1/(u ln b).", domain="u > 0",
              sugar=True, conditions=_POSITIVE,
              mistakes=(_m("log_rule", "1/u", "forgot the factor 1/ln(b)"),)),
    Primitive("log2", "calctutor:log2", "numpy:log2", ("1/(u*ln(2))",), "logarithm base b rule",
              "log_b u = ln u / ln b, so its derivative is 1/(u ln b).", domain="u > 0",
              sugar=True, conditions=_POSITIVE,
              mistakes=(_m("log_rule", "1/u", "forgot the factor 1/ln(b)"),)),
    Primitive("log1p", "calctutor:log1p", "numpy:log1p", ("1/(1+u)",), "log1p rule",
              "log1p(u) = ln(1 + u), so its derivative is 1/(1 + u); computed without "
              "rounding 1 + u, it keeps every digit when u is tiny.", domain="u > -1",
              mistakes=(_m("missing_chain_factor", "1/u", "differentiated it as ln(u)"),)),
    Primitive("expm1", "calctutor:expm1", "numpy:expm1", ("exp(u)",), "expm1 rule",
              "expm1(u) = e^u - 1, so its derivative is e^u; computed without subtracting "
              "1 at the end, it keeps every digit when u is tiny."),
    Primitive("sqrt", "sympy:sqrt", "numpy:sqrt", ("1/(2*sqrt(u))",), "square root rule",
              "sqrt(u) = u^(1/2), so by the power rule its derivative is 1/(2 sqrt(u)).",
              domain="u >= 0 (derivative needs u > 0)", sugar=True,
              conditions=_NONNEGATIVE, derivative_conditions=_POSITIVE,
              mistakes=(_m("power_rule", "sqrt(u)/2", "did not lower the exponent 1/2"),)),
    Primitive("cbrt", "calctutor:cbrt", "numpy:cbrt", ("1/(3*cbrt(u)^2)",), "cube root rule",
              "cbrt(u) is the real cube root (cbrt(-8) = -2); its derivative is 1/(3 cbrt(u)^2).",
              domain="all real numbers (derivative undefined at u = 0)",
              derivative_conditions=_NONZERO),
)

# ── Trigonometric ───────────────────────────────────────────────────────────────────
_TRIG: tuple[Primitive, ...] = (
    Primitive("sin", "sympy:sin", "numpy:sin", ("cos(u)",), "sine rule",
              "The slope of sin is cos: sin climbs fastest where it crosses zero.",
              inverse="asin",
              mistakes=(_m("wrong_outer_derivative", "-cos(u)", "gave -cos for the derivative of sin"),)),
    Primitive("cos", "sympy:cos", "numpy:cos", ("-sin(u)",), "cosine rule",
              "The slope of cos is -sin: cos starts falling as u leaves 0.",
              inverse="acos",
              mistakes=(_m("wrong_outer_derivative", "sin(u)", "gave sin (lost the minus sign) for cos"),)),
    Primitive("tan", "sympy:tan", "numpy:tan", ("sec(u)^2",), "tangent rule",
              "d/du tan u = sec^2 u = 1 + tan^2 u.", domain="cos(u) != 0", inverse="atan",
              conditions=_COS_NONZERO,
              mistakes=(_m("wrong_outer_derivative", "sec(u)", "gave sec without the square for tan"),)),
    Primitive("sec", "sympy:sec", "calctutor.numeric:sec", ("sec(u)*tan(u)",), "secant rule",
              "d/du sec u = sec u tan u.", domain="cos(u) != 0", inverse="asec",
              conditions=_COS_NONZERO),
    Primitive("csc", "sympy:csc", "calctutor.numeric:csc", ("-csc(u)*cot(u)",), "cosecant rule",
              "d/du csc u = -csc u cot u.", domain="sin(u) != 0", inverse="acsc",
              conditions=_SIN_NONZERO),
    Primitive("cot", "sympy:cot", "calctutor.numeric:cot", ("-csc(u)^2",), "cotangent rule",
              "d/du cot u = -csc^2 u.", domain="sin(u) != 0", inverse="acot",
              conditions=_SIN_NONZERO),
)

# ── Inverse trigonometric ───────────────────────────────────────────────────────────
_INVERSE_TRIG: tuple[Primitive, ...] = (
    Primitive("asin", "sympy:asin", "numpy:arcsin", ("1/sqrt(1-u^2)",), "arcsine rule",
              "d/du asin u = 1/sqrt(1 - u^2).", domain="-1 <= u <= 1 (derivative: |u| < 1)",
              aliases=("arcsin",), inverse="sin", conditions=_UNIT_CLOSED,
              derivative_conditions=_UNIT_OPEN),
    Primitive("acos", "sympy:acos", "numpy:arccos", ("-1/sqrt(1-u^2)",), "arccosine rule",
              "d/du acos u = -1/sqrt(1 - u^2).", domain="-1 <= u <= 1 (derivative: |u| < 1)",
              aliases=("arccos",), inverse="cos", conditions=_UNIT_CLOSED,
              derivative_conditions=_UNIT_OPEN),
    Primitive("atan", "sympy:atan", "numpy:arctan", ("1/(1+u^2)",), "arctangent rule",
              "d/du atan u = 1/(1 + u^2).", aliases=("arctan",), inverse="tan"),
    Primitive("asec", "sympy:asec", "calctutor.numeric:arcsec", ("1/(abs(u)*sqrt(u^2-1))",), "arcsecant rule",
              "d/du asec u = 1/(|u| sqrt(u^2 - 1)).", domain="|u| >= 1",
              aliases=("arcsec",), inverse="sec", conditions=_OUTSIDE_CLOSED,
              derivative_conditions=_OUTSIDE_OPEN),
    Primitive("acsc", "sympy:acsc", "calctutor.numeric:arccsc", ("-1/(abs(u)*sqrt(u^2-1))",), "arccosecant rule",
              "d/du acsc u = -1/(|u| sqrt(u^2 - 1)).", domain="|u| >= 1",
              aliases=("arccsc",), inverse="csc", conditions=_OUTSIDE_CLOSED,
              derivative_conditions=_OUTSIDE_OPEN),
    Primitive("acot", "sympy:acot", "calctutor.numeric:arccot", ("-1/(1+u^2)",), "arccotangent rule",
              "d/du acot u = -1/(1 + u^2).", aliases=("arccot",), inverse="cot",
              # SymPy's real acot takes values in (-pi/2, pi/2]: it jumps at u = 0.
              domain="derivative undefined at u = 0 (acot jumps there; acot(0) = pi/2)",
              kinks=(Kink("u", "a jump from -pi/2 to pi/2",
                          below="-pi/2 - atan(u)", above="pi/2 - atan(u)", jump=True,
                          convention="-1",
                          convention_text="the convention acot'(0) = -1 (the formula "
                                          "-1/(1 + u^2) at u = 0)"),)),
)

# ── Hyperbolic ──────────────────────────────────────────────────────────────────────
_HYPERBOLIC: tuple[Primitive, ...] = (
    Primitive("sinh", "sympy:sinh", "numpy:sinh", ("cosh(u)",), "hyperbolic sine rule",
              "d/du sinh u = cosh u (no minus signs, unlike sin).", inverse="asinh"),
    Primitive("cosh", "sympy:cosh", "numpy:cosh", ("sinh(u)",), "hyperbolic cosine rule",
              "d/du cosh u = sinh u (no minus sign, unlike cos).", inverse="acosh"),
    Primitive("tanh", "sympy:tanh", "numpy:tanh", ("1-tanh(u)^2",), "tanh rule",
              "d/du tanh u = 1 - tanh^2 u: at most 1, and near 0 once tanh saturates.",
              inverse="atanh",
              mistakes=(_m("wrong_outer_derivative", "1+tanh(u)^2", "gave 1 + tanh^2 for tanh"),)),
    Primitive("sech", "sympy:sech", "calctutor.numeric:sech", ("-sech(u)*tanh(u)",), "hyperbolic secant rule",
              "d/du sech u = -sech u tanh u."),
    Primitive("csch", "sympy:csch", "calctutor.numeric:csch", ("-csch(u)*coth(u)",), "hyperbolic cosecant rule",
              "d/du csch u = -csch u coth u.", domain="u != 0", conditions=_NONZERO),
    Primitive("coth", "sympy:coth", "calctutor.numeric:coth", ("1-coth(u)^2",), "hyperbolic cotangent rule",
              "d/du coth u = 1 - coth^2 u.", domain="u != 0", conditions=_NONZERO),
    Primitive("asinh", "sympy:asinh", "numpy:arcsinh", ("1/sqrt(u^2+1)",), "inverse hyperbolic sine rule",
              "d/du asinh u = 1/sqrt(u^2 + 1).", aliases=("arcsinh", "arsinh"), inverse="sinh"),
    Primitive("acosh", "sympy:acosh", "numpy:arccosh", ("1/sqrt(u^2-1)",), "inverse hyperbolic cosine rule",
              "d/du acosh u = 1/sqrt(u^2 - 1).", domain="u >= 1 (derivative: u > 1)",
              aliases=("arccosh", "arcosh"), inverse="cosh",
              conditions=(Condition("u - 1", ">=", "its argument >= 1"),),
              derivative_conditions=(Condition("u - 1", ">", "its argument > 1"),)),
    Primitive("atanh", "sympy:atanh", "numpy:arctanh", ("1/(1-u^2)",), "inverse hyperbolic tangent rule",
              "d/du atanh u = 1/(1 - u^2).", domain="-1 < u < 1",
              aliases=("arctanh", "artanh"), inverse="tanh", conditions=_UNIT_OPEN),
)

# ── Pieces, kinks and machine-learning functions ───────────────────────────────────
_ML: tuple[Primitive, ...] = (
    Primitive("abs", "sympy:Abs", "numpy:absolute", ("sign(u)",), "absolute value rule",
              "d/du |u| = sign(u) = u/|u|, for u != 0; the corner at 0 has no slope.",
              domain="derivative undefined at u = 0",
              kinks=(Kink("u", "a corner", below="-u", above="u",
                          convention="0",
                          convention_text="the convention abs'(0) = 0, as PyTorch uses"),)),
    Primitive("sign", "sympy:sign", "numpy:sign", ("0",), "sign rule",
              "sign is flat on each side of 0, so its derivative is 0 for u != 0.",
              domain="derivative undefined at u = 0",
              kinks=(Kink("u", "a jump from -1 to 1", below="-1",
                          above="1", jump=True, convention="0",
                          convention_text="the convention sign'(0) = 0, as PyTorch uses"),)),
    Primitive("step", "sympy:Heaviside", "calctutor.numeric:heaviside", ("0",), "step rule",
              "The unit step is flat on each side of 0: derivative 0 for u != 0.",
              domain="derivative undefined at u = 0", aliases=("heaviside", "Heaviside"),
              kinks=(Kink("u", "a jump from 0 to 1", below="0",
                          above="1", jump=True, convention="0",
                          convention_text="the convention step'(0) = 0"),)),
    Primitive("sigmoid", "calctutor:sigmoid", "calctutor.numeric:sigmoid", ("sigmoid(u)*(1-sigmoid(u))",),
              "sigmoid rule",
              "s' = s (1 - s): at most 1/4 (at u = 0), tiny for large |u| - vanishing gradients.",
              aliases=("σ", "logistic"),
              mistakes=(_m("wrong_outer_derivative", "sigmoid(u)", "gave s instead of s(1 - s)"),)),
    Primitive("relu", "calctutor:relu", "calctutor.numeric:relu", ("step(u)",), "ReLU rule",
              "relu(u) = max(0, u): slope 1 for u > 0, 0 for u < 0, undefined at the kink u = 0.",
              domain="derivative undefined at u = 0 (by convention 0 or 1)",
              kinks=(Kink("u", "a corner", below="0", above="u",
                          convention="0",
                          convention_text="the convention relu'(0) = 0, as PyTorch uses"),)),
    Primitive("softplus", "calctutor:softplus", "calctutor.numeric:softplus", ("sigmoid(u)",), "softplus rule",
              "softplus(u) = ln(1 + e^u), a smooth ReLU; its derivative is the sigmoid."),
    Primitive("max", "sympy:Max", "calctutor.numeric:maximum", ("step(u - w)",), "max rule",
              "max passes the slope of whichever argument is largest; undefined at a tie.",
              domain="derivative undefined where two arguments tie", arity=-1, min_args=2,
              kinks=(Kink("u - s", "two arguments tie for the largest", ties=True,
                          convention="1/k",
                          convention_text="the convention of sharing the slope equally "
                                          "among the k tied arguments, as PyTorch does"),)),
    Primitive("min", "sympy:Min", "calctutor.numeric:minimum", ("step(w - u)",), "min rule",
              "min passes the slope of whichever argument is smallest; undefined at a tie.",
              domain="derivative undefined where two arguments tie", arity=-1, min_args=2,
              kinks=(Kink("u - s", "two arguments tie for the smallest", ties=True,
                          convention="1/k",
                          convention_text="the convention of sharing the slope equally "
                                          "among the k tied arguments, as PyTorch does"),)),
    Primitive("logsumexp", "calctutor:logsumexp", "calctutor.numeric:logsumexp", ("exp(u - s)",), "log-sum-exp rule",
              "d/du_i log(sum e^u_j) = e^u_i / sum e^u_j: the softmax.", arity=-1),
)

# ── The Gaussian: error function and GELU ─────────────────────────────────────────
_GAUSSIAN: tuple[Primitive, ...] = (
    Primitive("erf", "sympy:erf", "math:erf", ("2*exp(-u^2)/sqrt(pi)",), "error function rule",
              "erf u = (2/sqrt(pi)) times the area under e^(-t^2) from 0 to u, so its slope "
              "is the bell curve (2/sqrt(pi)) e^(-u^2)."),
    Primitive("gelu", "calctutor:gelu", "calctutor.mathfuncs:gelu.numpy",
              ("(1 + erf(u/sqrt(2)))/2 + u*exp(-u^2/2)/sqrt(2*pi)",), "GELU rule",
              "gelu(u) = u Phi(u) (Phi: the normal CDF), so by the product rule its slope is "
              "Phi(u) + u phi(u): smooth, and slightly negative for u below about -0.75."),
)

# ── Activations and losses of deep learning ────────────────────────────────────────
# u is the input (the prediction, the probability, the logit, the residual); v is the
# second argument: leaky_relu's slope, elu's alpha, huber's delta, or a loss's target y.
_RELU_KINK = Kink("u", "a corner", below="v*u", above="u", convention="v",
                  convention_text="the convention leaky_relu'(0) = a, the slope below 0, "
                                  "as PyTorch and TensorFlow use")
_SQRT_2_PI = "sqrt(2/pi)*(u + 0.044715*u^3)"
_DEEP: tuple[Primitive, ...] = (
    Primitive("leaky_relu", "calctutor:leaky_relu", "calctutor.numeric:leaky_relu",
              ("step(u) + v*step(-u)", "min(u, 0)"), "leaky ReLU rule",
              "leaky_relu(u, a) is u for u > 0 and a u below: slope 1 or a, so the gradient "
              "never dies completely; undefined at the corner u = 0 (unless a = 1).",
              arity=2, defaults=("1/100",), kinks=(_RELU_KINK,),
              domain="derivative undefined at u = 0",
              mistakes=(_m("wrong_outer_derivative", "step(u)",
                           "forgot the slope a below 0 (that is plain ReLU's derivative)"),)),
    Primitive("elu", "calctutor:elu", "calctutor.numeric:elu",
              ("step(u) + v*exp(min(u, 0))*step(-u)", "expm1(min(u, 0))"), "ELU rule",
              "elu(u, alpha) is u for u > 0 and alpha (e^u - 1) below: slope 1 above, "
              "alpha e^u below, so with alpha = 1 the two sides meet smoothly at 0.",
              arity=2, defaults=("1",),
              kinks=(Kink("u", "a corner (smooth when alpha = 1)", below="v*(exp(u) - 1)",
                          above="u", convention="v",
                          convention_text="the convention elu'(0) = alpha, as PyTorch uses"),),
              domain="derivative undefined at u = 0 unless alpha = 1",
              mistakes=(_m("wrong_outer_derivative", "step(u) + v*step(-u)",
                           "used alpha for the slope below 0, forgetting the factor e^u"),)),
    Primitive("gelu_tanh", "calctutor:gelu_tanh", "calctutor.numeric:gelu_tanh",
              (f"(1 + tanh({_SQRT_2_PI}))/2 + u*(1 - tanh({_SQRT_2_PI})^2)*sqrt(2/pi)"
               "*(1 + 0.134145*u^2)/2",), "GELU (tanh approximation) rule",
              "gelu_tanh(u) = u/2 (1 + tanh(sqrt(2/pi)(u + 0.044715 u^3))), GELU's tanh "
              "approximation: product rule, then the chain rule through tanh."),
    Primitive("silu", "calctutor:silu", "calctutor.numeric:silu",
              ("sigmoid(u)*(1 + u*(1 - sigmoid(u)))",), "SiLU rule",
              "silu(u) = u sigmoid(u) (swish): by the product rule its slope is "
              "s + u s (1 - s), slightly negative for u below about -1.28.",
              aliases=("swish",),
              mistakes=(_m("product_rule", "sigmoid(u)*(1 - sigmoid(u))",
                           "kept only the sigmoid's derivative, dropping the product rule"),)),
    Primitive("softsign", "calctutor:softsign", "calctutor.numeric:softsign",
              ("1/(1 + abs(u))^2",), "softsign rule",
              "softsign(u) = u/(1 + |u|) saturates like tanh but slowly: its slope "
              "1/(1 + |u|)^2 falls off like 1/u^2, not exponentially.",
              mistakes=(_m("quotient_rule", "1/(1 + abs(u))",
                           "forgot to square the denominator"),)),
    Primitive("hard_tanh", "calctutor:hard_tanh", "calctutor.numeric:hard_tanh",
              ("step(1 - u^2)",), "hard tanh rule",
              "hard_tanh(u) clips u to [-1, 1]: slope 1 inside, 0 outside, undefined at the "
              "corners u = -1 and u = 1.",
              kinks=(Kink("u^2 - 1", "a corner", below="u", above="sign(u)", convention="0",
                          convention_text="the convention hard_tanh'(+-1) = 0, as PyTorch uses"),),
              domain="derivative undefined at u = -1 and u = 1"),
    Primitive("mse", "calctutor:mse", "calctutor.numeric:mse", ("2*(u - v)", "-2*(u - v)"),
              "squared error rule",
              "mse(p, y) = (p - y)^2: the chain rule gives 2(p - y), the error itself, twice.",
              arity=2,
              mistakes=(_m("power_rule", "u - v", "forgot to bring the exponent 2 down"),)),
    Primitive("bce", "calctutor:bce", "calctutor.numeric:bce",
              ("(u - v)/(u*(1 - u))", "ln(1 - u) - ln(u)"), "binary cross-entropy rule",
              "bce(p, y) = -(y ln p + (1 - y) ln(1 - p)), so dbce/dp = -y/p + (1 - y)/(1 - p) "
              "= (p - y)/(p (1 - p)); through p = sigmoid(z) this becomes p - y.",
              arity=2, domain="0 < u < 1",
              conditions=(Condition("u", ">", "a probability above 0"),
                          Condition("1 - u", ">", "a probability below 1")),
              mistakes=(_m("log_rule", "-v/u", "differentiated only the y ln p term"),)),
    Primitive("bce_logits", "calctutor:bce_logits", "calctutor.numeric:bce_logits",
              ("sigmoid(u) - v", "-u"), "cross-entropy with logits rule",
              "bce_logits(z, y) = softplus(z) - y z = bce(sigmoid(z), y): its slope is "
              "sigmoid(z) - y, prediction minus target - the neuron's backprop signal.",
              arity=2,
              mistakes=(_m("wrong_outer_derivative", "sigmoid(u)",
                           "dropped the -y of the linear term"),)),
    Primitive("huber", "calctutor:huber", "calctutor.numeric:huber",
              ("max(-v, min(v, u))", "max(abs(u) - v, 0)"), "Huber loss rule",
              "huber(r, delta) is r^2/2 near 0 and linear beyond |r| = delta: its slope is r "
              "clipped to [-delta, delta], so one outlier cannot dominate the gradient.",
              arity=2, defaults=("1",),
              mistakes=(_m("power_rule", "u", "kept the quadratic slope r beyond delta"),)),
)

PRIMITIVES: tuple[Primitive, ...] = (_EXP_LOG + _TRIG + _INVERSE_TRIG + _HYPERBOLIC + _ML
                                     + _GAUSSIAN + _DEEP)

_BY_NAME: dict[str, Primitive] = {}
for _row in PRIMITIVES:
    _BY_NAME[_row.name] = _row
    for _alias in _row.aliases:
        _BY_NAME[_alias] = _row
_OPERATORS_BY_NAME: dict[str, Primitive] = {row.name: row for row in OPERATORS}

#: Every spelling of a function the parser accepts (names and aliases), plus ``log``
#: with a base argument, which the parser treats specially.
FUNCTION_NAMES: frozenset[str] = frozenset(_BY_NAME)


def by_name(name: str) -> Primitive:
    """The function row for a name or alias; KeyError if there is none."""
    return _BY_NAME[name]


def lookup(name: str) -> Primitive | None:
    """The function row for a name or alias, or None."""
    return _BY_NAME.get(name)


def operator(name: str) -> Primitive:
    """The operator row (add, sub, neg, mul, div, pow)."""
    return _OPERATORS_BY_NAME[name]
