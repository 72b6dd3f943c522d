"""Limits on untrusted input: every expression a user types is checked against these.

Why: a tutor that grades a class's answers must survive hostile or careless input —
``9^9^9^9`` would otherwise try to build a number with 369 million digits.
"""

MAX_INPUT_LENGTH = 2000  # characters in one expression or program
MAX_NESTING_DEPTH = 60  # parentheses, bars, function calls and powers, nested
MAX_NUMBER_DIGITS = 100  # digits in one number literal
MAX_RESULT_DIGITS = 1200  # digits of an exact number a power may produce (it must print back)
MAX_SYMBOLIC_EXPONENT = 10_000  # |n| in x^n, beyond which expansion would explode
MAX_STATEMENTS = 64  # equations in one multi-equation program
DEFAULT_TIMEOUT_SECONDS = 10.0  # wall-clock limit for one symbolic computation
