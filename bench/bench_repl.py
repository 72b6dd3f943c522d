"""REPL start-up: time to the first prompt of ``calctutor repl`` against ``isympy``
(aim ≤ 0.7×), and the time from start until the first derivative is answered (aim ≤ 1 s).

Both programs are driven in a pseudo-terminal with pexpect, in the same run, on the same
interpreter. "First prompt" is the moment ``> `` (ours) or ``>>> `` (isympy, a plain
Python console) appears; "first derivative" types ``x^2 sin x`` as soon as our prompt
shows and waits for the answer's ``paste back`` line.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


ISYMPY_PROMPT = ["(SymPyConsole)", ">>> "]


def _env(home: str) -> dict:
    env = dict(os.environ, CALCTUTOR_HOME=home, TERM="xterm", PROMPT_TOOLKIT_NO_CPR="1")
    env.pop("NO_COLOR", None)
    return env


def _ours() -> list[str]:
    exe = shutil.which("calctutor") or shutil.which("calctutor", path=str(Path(sys.executable).parent))
    return [exe, "repl"] if exe else [sys.executable, "-m", "calctutor", "repl"]


def _isympy() -> list[str] | None:
    exe = shutil.which("isympy", path=str(Path(sys.executable).parent)) or shutil.which("isympy")
    return [exe, "--console", "python"] if exe else None  # the plain console, as ours is


def _first_prompt(argv: list[str], prompt: list[str], env: dict, derivative: bool = False):
    import pexpect

    start = time.perf_counter()
    child = pexpect.spawn(argv[0], argv[1:], env=env, encoding="utf-8", timeout=60,
                          dimensions=(40, 120))
    for marker in prompt:  # isympy's banner quotes ">>> " lines before its real prompt
        child.expect_exact(marker)
    first = time.perf_counter() - start
    answered = None
    if derivative:
        child.send("x^2 sin x\r")
        child.expect_exact("paste back")
        answered = time.perf_counter() - start
        child.expect_exact(prompt[-1])  # keys typed while it prints would be lost
    child.sendcontrol("d")
    child.expect(pexpect.EOF)
    child.close()
    return first, answered


def _compile_bytecode() -> None:
    """An installed wheel has its bytecode; a source checkout run with
    PYTHONDONTWRITEBYTECODE would recompile every module at each start. Compile once so
    both programs start from bytecode (isympy's SymPy already has it)."""
    import compileall

    import calctutor

    compileall.compile_dir(str(Path(calctutor.__file__).parent), quiet=1)


def run(quick: bool) -> list[dict]:
    repeat = 3 if quick else 10
    _compile_bytecode()
    home = tempfile.mkdtemp(prefix="calctutor-bench-")
    env = _env(home)
    ours_cmd, isympy_cmd = _ours(), _isympy()
    ours, base, answer = [], [], []
    _first_prompt(ours_cmd, ["> "], env)  # warm the OS file cache for both
    if isympy_cmd:
        _first_prompt(isympy_cmd, ISYMPY_PROMPT, env)
    for _ in range(repeat):  # interleaved, so machine noise hits both alike
        ours.append(_first_prompt(ours_cmd, ["> "], env)[0])
        if isympy_cmd:
            base.append(_first_prompt(isympy_cmd, ISYMPY_PROMPT, env)[0])
        answer.append(_first_prompt(ours_cmd, ["> "], env, derivative=True)[1])
    shutil.rmtree(home, ignore_errors=True)
    med = statistics.median
    return [
        {"case": "calctutor repl: first prompt vs isympy", "ours": med(ours) * 1000,
         "baseline": med(base) * 1000 if base else None, "unit": "ms", "aim": "≤ 0.7×",
         "note": "" if base else "isympy not found next to the interpreter"},
        {"case": "calctutor repl: first derivative answered (x^2 sin x)", "ours": med(answer) * 1000,
         "baseline": 1000.0, "unit": "ms", "aim": "≤ 1 s from start-up",
         "note": "baseline is the 1 s aim, not a program"},
    ]


if __name__ == "__main__":
    for row in run(quick="--quick" in sys.argv):
        print(row)
