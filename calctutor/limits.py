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
MAX_PROGRAM_SIZE = 5_000  # tree nodes of a program's output once its names are written out
MAX_FUNCTION_ARGUMENTS = 32  # arguments of one call, as in max(a, b, ...)
MAX_DERIVATIVE_WORK = 5_000  # derivative order times the expression's tree nodes (parsing/work.py)
MAX_PLOT_MAGNITUDE = 1e12  # |LO|, |HI| of a plot's --range
MAX_MONTE_CARLO_SAMPLES = 10_000_000  # --monte-carlo N
DEFAULT_TIMEOUT_SECONDS = 10.0  # wall-clock limit for one symbolic computation

# ── the watchdog (calctutor/watchdog.py) ────────────────────────────────────────────────
DEFAULT_BUDGET_SECONDS = 8.0  # hard wall-clock limit of one command / REPL line / batch row
MAX_BUDGET_SECONDS = 600.0  # --timeout is at most this (as the timeout setting)
WORKER_MEMORY_HEADROOM_MB = 1536  # address space a worker may add to what it had at fork
STOP_GRACE_SECONDS = 0.3  # a batch worker is killed this long after its own alarm was due
