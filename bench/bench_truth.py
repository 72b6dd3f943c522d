"""One-shot ``calctutor diff`` against ``python -c "import sympy"`` (aim ≤ 1.5×), and warm
``taylor`` requests against ``sympy.series`` for the same expansion (aim: under 1 s).

All measured in the same run on the same machine; the ratios are what matter.
"""

from __future__ import annotations

import shutil
import sys

from timing import median, time_call, time_command

TAYLOR_CASES = [("tan x", lambda s, x: s.tan(x), 20),
                ("sigmoid(x)", lambda s, x: 1 / (1 + s.exp(-x)), 12),
                ("sin x", lambda s, x: s.sin(x), 10),
                ("e^x sin x", lambda s, x: s.exp(x) * s.sin(x), 8)]


def run(quick: bool) -> list[dict]:
    repeat = 3 if quick else 10
    exe = shutil.which("calctutor")
    diff_cmd = ([exe] if exe else [sys.executable, "-m", "calctutor"]) + ["diff", "sin(x^2)"]
    ours = median(time_command(diff_cmd, repeat))
    sympy_import = median(time_command([sys.executable, "-c", "import sympy"], repeat))
    rows = [{"case": "one-shot diff sin(x^2) vs import sympy", "ours": ours * 1000,
             "baseline": sympy_import * 1000, "unit": "ms", "aim": "≤ 1.5×"}]

    import sympy

    from calctutor.commands.taylor import run_taylor

    x = sympy.Symbol("x")
    for text, build, order in TAYLOR_CASES:
        f = build(sympy, x)
        warm = median(time_call(lambda: run_taylor(text, order=order), max(1, repeat // 2)))
        series = median(time_call(lambda: sympy.series(f, x, 0, order + 1),
                                  max(1, repeat // 2)))
        rows.append({"case": f"taylor {text!r} --order {order} vs sympy.series",
                     "ours": warm * 1000, "baseline": series * 1000, "unit": "ms",
                     "aim": "ours < 1000 ms"})
    return rows
