"""Grammar-aware strategies for fuzzing: strings shaped like what learners type (numbers
from tiny to 10^400, names, implicit products, functions with good and bad arguments,
powers, absolute values, derivative operators, programs), with a little noise mixed in.

Shared by the bounded fuzz tests (``tests/test_fuzz*.py``) and the long run
(``bench/fuzz_long.py``).
"""

from __future__ import annotations

from hypothesis import strategies as st

NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.sampled_from(["0", "1", "2", "0.5", "1e-300", "1e300", "10^400", "9^9^9", "2^-1074",
                     "0^0", "1/0", "0/0", "3.14159", "1e400", ".5", "7."]),
)
NAMES = st.sampled_from(["x", "y", "t", "pi", "e", "theta", "w", "b", "xy", "oo", "i"])
FUNCTIONS = st.sampled_from(["sin", "cos", "tan", "asin", "acos", "atan", "exp", "ln", "log",
                             "sqrt", "abs", "sigmoid", "relu", "tanh", "sec", "cosh",
                             "floor", "sign", "max", "min", "log2", "softplus"])
BINARY = st.sampled_from(["+", "-", "*", "/", "^", " ", "**"])
NOISE = st.sampled_from(["", "", "", "", " ", "(", ")", ",", "|", "'", "\x1b", "=", ";",
                         "d/dx ", "√", "²", "·", "−", "\u2028", "\x00"])


def _call(name: str, args: list[str]) -> str:
    return f"{name}({', '.join(args)})"


def expressions(max_leaves: int = 12) -> st.SearchStrategy[str]:
    atom = st.one_of(NUMBERS, NAMES)

    def extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.one_of(
            st.tuples(inner, BINARY, inner).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
            inner.map(lambda s: f"({s})"),
            inner.map(lambda s: f"-{s}"),
            inner.map(lambda s: f"|{s}|"),
            st.tuples(FUNCTIONS, st.lists(inner, min_size=1, max_size=3)).map(
                lambda t: _call(t[0], t[1])),
            st.tuples(FUNCTIONS, inner).map(lambda t: f"{t[0]} {t[1]}"),
        )

    return st.recursive(atom, extend, max_leaves=max_leaves)


def noisy_expressions() -> st.SearchStrategy[str]:
    """An expression with one piece of noise spliced in somewhere."""
    return st.tuples(expressions(), NOISE, st.integers(min_value=0, max_value=200)).map(
        lambda t: t[0][: t[2] % (len(t[0]) + 1)] + t[1] + t[0][t[2] % (len(t[0]) + 1):])


def programs() -> st.SearchStrategy[str]:
    line = st.tuples(st.sampled_from(["y", "z", "u", "v"]), expressions(6))
    return st.lists(line, min_size=1, max_size=4).map(
        lambda lines: "; ".join(f"{n} = {e}" for n, e in lines))
