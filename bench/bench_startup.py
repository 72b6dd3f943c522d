"""Start-up: ``calctutor --version`` against ``python -c "import typer"`` (aim ≤ 1.3×).

Both are whole processes on the same interpreter, timed in the same run; the ratio is
what matters (the absolute numbers depend on the machine).
"""

from __future__ import annotations

import shutil
import sys

from timing import median, time_command


def run(quick: bool) -> list[dict]:
    repeat = 5 if quick else 20
    exe = shutil.which("calctutor")
    ours_cmd = [exe, "--version"] if exe else [sys.executable, "-m", "calctutor", "--version"]
    ours = median(time_command(ours_cmd, repeat))
    typer = median(time_command([sys.executable, "-c", "import typer"], repeat))
    help_ = median(time_command(ours_cmd[:-1] + ["--help"], repeat))
    sympy = median(time_command([sys.executable, "-c", "import sympy"], repeat))
    return [
        {"case": "calctutor --version vs import typer", "ours": ours * 1000, "baseline": typer * 1000,
         "unit": "ms", "aim": "≤ 1.3×"},
        {"case": "calctutor --help vs import typer", "ours": help_ * 1000, "baseline": typer * 1000,
         "unit": "ms", "note": "Rich help rendering"},
        {"case": "calctutor --version vs import sympy", "ours": ours * 1000, "baseline": sympy * 1000,
         "unit": "ms", "note": "what we save by not importing SymPy"},
    ]
