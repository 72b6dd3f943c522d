"""Audit: every concrete case named in the robustness issues, run against the installed CLI.

Each case runs the real ``calctutor`` executable (as a learner or a teacher's script would)
under ``timeout 30`` and is judged on: an answer or a clean refusal within the budget plus
0.5 s (the budget is the default 8 s unless the case sets ``--timeout``), the exit code the
contract asks for, and no Python traceback. Prints one table row per case:
case / exit / seconds / verdict (OK or FAIL, with what was wrong).

    python bench/audit_issues.py                    # the calctutor beside this Python
    python bench/audit_issues.py --exe /path/to/calctutor [-k batch]

Exit code: 0 when every case is OK, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

BUDGET = 8.0
SLACK = 0.5
HARD_TIMEOUT = 30
SLOW_ANSWER = ("x - 2*atan(2*sin(x)*cos(x)/(2*cos(x)^2 - cos(x) + 1))",
               "1 - 2*(2*cos(2*x))/(1+(2*sin(x)*cos(x)/(2*cos(x)^2 - cos(x) + 1))^2)")


@dataclass
class Run:
    code: int | None
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class Case:
    name: str
    argv: list[str] | None = None  # calctutor arguments; None: ``custom`` runs it
    stdin: bytes | str | None = None
    env: dict = field(default_factory=dict)
    codes: tuple[int, ...] = (0, 1, 2)  # exit codes that are right for this case
    expect: Callable[[Run, Path], str | None] | None = None  # a complaint, or None
    budget: float = BUDGET
    custom: Callable[[Path, list[str]], Run] | None = None
    setup: Callable[[Path], None] | None = None


def run(exe: list[str], argv: list[str], work: Path, stdin=None, env=None,
        timeout: float = HARD_TIMEOUT) -> Run:
    full_env = {**os.environ, "CALCTUTOR_HOME": str(work / "home"), "COLUMNS": "100",
                **(env or {})}
    data = stdin.encode("utf-8", "surrogatepass") if isinstance(stdin, str) else stdin
    start = time.monotonic()
    proc = subprocess.Popen([*exe, *argv], cwd=work, env=full_env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        out, err = proc.communicate(data, timeout=timeout)
        code = proc.returncode
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        code = None
    seconds = time.monotonic() - start
    return Run(code, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), seconds)


# ── what the cases expect ──────────────────────────────────────────────────────────────
def has(*needles: str):
    def check(r: Run, work: Path) -> str | None:
        missing = [n for n in needles if n not in r.text]
        return f"missing {missing}" if missing else None
    return check


def lacks(*needles: str):
    def check(r: Run, work: Path) -> str | None:
        found = [n for n in needles if n in r.text]
        return f"found {found}" if found else None
    return check


def both(*checks):
    def check(r: Run, work: Path) -> str | None:
        for c in checks:
            complaint = c(r, work)
            if complaint:
                return complaint
        return None
    return check


def json_lines(r: Run) -> list[dict]:
    return [json.loads(line) for line in r.out.splitlines() if line.strip()]


def batch_rows(count: int, *, errors: int | None = None, error_ids=(), graded_ids=()):
    """The batch printed ``count`` result lines (``errors`` of them errors)."""
    def check(r: Run, work: Path) -> str | None:
        try:
            rows = json_lines(r)
        except ValueError as exc:
            return f"stdout is not JSON Lines ({exc})"
        if len(rows) != count:
            return f"{len(rows)} result lines for {count} rows"
        bad = [row for row in rows if "error" in row]
        if errors is not None and len(bad) != errors:
            return f"{len(bad)} error rows, expected {errors}"
        for rid in error_ids:
            if not any(row.get("id") == rid and "error" in row for row in rows):
                return f"row {rid!r} is not an error row"
        for rid in graded_ids:
            if not any(row.get("id") == rid and "correct" in row for row in rows):
                return f"row {rid!r} was not graded"
        return None
    return check


def graded(rid, correct: bool):
    def check(r: Run, work: Path) -> str | None:
        for row in json_lines(r):
            if row.get("id") == rid:
                if "error" in row:
                    return f"row {rid!r}: error {row['error']!r}"
                return None if row.get("correct") is correct else \
                    f"row {rid!r} graded correct={row.get('correct')}"
        return f"no row {rid!r}"
    return check


def refused(rid, needle: str = ""):
    def check(r: Run, work: Path) -> str | None:
        for row in json_lines(r):
            if row.get("id") == rid:
                if "error" not in row:
                    return f"row {rid!r} graded (correct={row.get('correct')}), not refused"
                return None if needle in row["error"] else f"error {row['error']!r}"
        return f"no row {rid!r}"
    return check


def refused_line(line: int, needle: str = ""):
    """The record on input line ``line`` is an error row of its own (its id may be null:
    a record that cannot be decoded has no id to repeat), naming that line."""
    def check(r: Run, work: Path) -> str | None:
        for row in json_lines(r):
            if row.get("line") == line and "error" in row:
                return None if needle in row["error"] else f"error {row['error']!r}"
        return f"no error row for line {line}"
    return check


def json_doc(r: Run, work: Path) -> str | None:
    try:
        doc = json.loads(r.out)
    except ValueError:
        return f"stdout is not one JSON document: {r.out[:80]!r}"
    return None if "error" in doc else f"no error key: {doc}"


def no_raw_escape(r: Run, work: Path) -> str | None:
    return "raw ESC/BEL echoed" if "\x1b]" in r.text or "\x07" in r.text else None


def file_unchanged(name: str, content: bytes):
    def check(r: Run, work: Path) -> str | None:
        now = (work / name).read_bytes() if (work / name).exists() else None
        return None if now == content else f"{name} changed"
    return check


# ── helpers for inputs ─────────────────────────────────────────────────────────────────
def doubling_program(lines: int = 25) -> str:
    return "; ".join(["y1 = x^2"] + [f"y{k} = y{k - 1}*y{k - 1}" for k in range(2, lines + 1)]
                     + [f"y{lines}"])


BIG_SUM = "+".join(["sin(x)"] + [f"sin({k}x)" for k in range(2, 201)])
BIG_PRODUCT = "*".join(f"(x+{k})" for k in range(1, 41))
MAX_1000 = "max(" + ",".join(f"x+{k}" for k in range(1000)) + ")"


def jl(*rows) -> bytes:
    return b"".join((r if isinstance(r, bytes) else json.dumps(r).encode()) + b"\n"
                    for r in rows)


OK_ROW = {"id": "ok", "function": "x^3", "answer": "3x^2"}


def write(name: str, content: bytes):
    def setup(work: Path) -> None:
        (work / name).write_bytes(content)
    return setup


def lesson_unwritable(kind: str):
    """``calctutor lesson`` with the store's connect made read-only / full, in a child
    Python (the same installed package), after a first lesson saved two rows."""
    def custom(work: Path, exe: list[str]) -> Run:
        python = Path(exe[0]).with_name("python")
        home = work / "home"
        home.mkdir()
        import sqlite3
        conn = sqlite3.connect(home / "progress.sqlite3")  # small pages: a long answer
        conn.execute("PRAGMA page_size = 512")  # cannot fit in the free space left
        conn.execute("VACUUM")
        conn.close()
        first = run(exe, ["lesson", "chain-rule", "--seed", "5", "--plain"], work,
                    stdin="skip\nskip\nquit\n")
        if first.code != 0:
            return first
        db = work / "home" / "progress.sqlite3"
        patch = {
            "ro": "def connect(p, *a, uri=False, **k):\n"
                  "    return real(f'file:{p}?mode=ro' if str(p) == DB else p, *a,"
                  " uri=True if str(p) == DB else uri, **k)\n",
            "full": "def connect(p, *a, **k):\n"
                    "    c = real(p, *a, **k)\n"
                    "    if str(p) == DB:\n"
                    "        c.execute(f'PRAGMA max_page_count = "
                    "{c.execute(\"PRAGMA page_count\").fetchone()[0]}')\n"
                    "    return c\n",
        }[kind]
        script = ("import sqlite3, sys\nreal = sqlite3.connect\n"
                  f"DB = {str(db)!r}\n" + patch + "sqlite3.connect = connect\n"
                  "from calctutor.entry import main\nsys.argv = ['calctutor', 'lesson', "
                  "'chain-rule', '--seed', '5', '--plain']\nmain()\n")
        answers = ("x" + "+x-x" * 470 + "\n") * 2 + "skip\nskip\nskip\nquit\n"
        r = run([str(python), "-c", script], [], work, stdin=answers)
        conn = sqlite3.connect(db)
        kept = conn.execute("SELECT COUNT(*) FROM attempts WHERE id <= 2").fetchone()[0]
        conn.close()
        r.err += f"\n[audit: {kept} of 2 earlier rows kept]"
        return r
    return custom


def lesson_check(r: Run, work: Path) -> str | None:
    if "[audit: 2 of 2 earlier rows kept]" not in r.err:
        return "earlier rows lost"
    if "progress cannot be saved" not in r.err:
        return "no notice"
    if "everything you answered is saved" in r.out:
        return "the summary says 'everything you answered is saved'"
    return None


def repl_keys(keys: str, wait_for: str):
    """The REPL in a pseudo-terminal (pexpect): send ``keys``, then ``:parse x^3``."""
    def custom(work: Path, exe: list[str]) -> Run:
        import pexpect

        env = {**os.environ, "CALCTUTOR_HOME": str(work / "home"), "TERM": "xterm",
               "PROMPT_TOOLKIT_NO_CPR": "1"}
        start = time.monotonic()
        child = pexpect.spawn(exe[0], [*exe[1:], "repl"], env=env, encoding="utf-8",
                              timeout=HARD_TIMEOUT, dimensions=(40, 100))
        seen = ""
        try:
            child.expect("> ")
            child.send(keys + "\r")
            child.send(":parse x^3\r")
            child.expect(wait_for)
            child.expect("> ")
            seen = child.before
            child.send("\x04")
            child.expect(pexpect.EOF)
            child.close()
            code = child.exitstatus
        except (pexpect.TIMEOUT, pexpect.EOF):
            seen = str(child.before)
            child.close(force=True)
            code = None
        return Run(code, seen, "", time.monotonic() - start)
    return custom


def repl_lesson_reading(work: Path, exe: list[str]) -> Run:
    """``:lesson`` in the REPL, a page read for longer than the per-line budget (here
    ``CALCTUTOR_TIMEOUT=3`` and 5 s of reading), then quit: back at the REPL prompt,
    nothing stopped, and the next line is a command, not an answer."""
    import pexpect

    env = {**os.environ, "CALCTUTOR_HOME": str(work / "home"), "TERM": "xterm",
           "PROMPT_TOOLKIT_NO_CPR": "1", "CALCTUTOR_TIMEOUT": "3"}
    start = time.monotonic()
    child = pexpect.spawn(exe[0], [*exe[1:], "repl"], env=env, encoding="utf-8",
                          timeout=HARD_TIMEOUT, dimensions=(40, 100))
    seen = []
    try:
        child.expect("> ")
        child.send(":lesson chain-rule --seed 5\r")
        child.expect("The chain rule")
        time.sleep(5.0)  # reading the page
        child.send("quit\r")
        child.expect("Summary")
        seen.append(child.before)
        child.expect("> ")
        child.send(":parse x^3\r")
        child.expect("expression tree")
        seen.append(child.before)
        child.expect("> ")
        child.send("\x04")
        child.expect(pexpect.EOF)
        child.close()
        code = child.exitstatus
    except (pexpect.TIMEOUT, pexpect.EOF):
        seen.append(str(child.before))
        child.close(force=True)
        code = None
    return Run(code, "".join(seen), "", time.monotonic() - start - 5.0)


def lesson_ctrl_c(work: Path, exe: list[str]) -> Run:
    """Ctrl-C while a slow answer is graded in ``calctutor lesson``: that answer is
    cancelled, the lesson goes on (the right answer is then graded), exit 0."""
    import pexpect

    env = {**os.environ, "CALCTUTOR_HOME": str(work / "home"), "TERM": "xterm",
           "PROMPT_TOOLKIT_NO_CPR": "1"}
    slow = "(x+1)^200*(x-1)^200 - (x^2-1)^200 + 4cos(4x+4)"  # seconds of grading
    start = time.monotonic()
    child = pexpect.spawn(exe[0], [*exe[1:], "lesson", "chain-rule", "--seed", "5"], env=env,
                          encoding="utf-8", timeout=HARD_TIMEOUT, dimensions=(40, 100))
    seen = []
    try:
        child.expect("> ")
        child.send("exercises\r")
        child.expect("answer> ")
        child.send(slow + "\r")
        time.sleep(1.0)
        child.send("\x03")
        child.expect("answer> ")
        seen.append(child.before)
        child.send("4cos(4x+4)\r")
        child.expect("Correct")
        child.expect("> ")
        child.send("quit\r")
        child.expect("Summary")
        child.expect(pexpect.EOF)
        seen.append(child.before)
        child.close()
        code = child.exitstatus
    except (pexpect.TIMEOUT, pexpect.EOF):
        seen.append(str(child.before))
        child.close(force=True)
        code = child.exitstatus if child.exitstatus is not None else None
    return Run(code, "".join(seen), "", time.monotonic() - start)


def kill_batch(work: Path, exe: list[str]) -> Run:
    """kill -9 of a two-worker batch: no worker may outlive it (checked for 3 s)."""
    rows = [{"id": i, "function": SLOW_ANSWER[0], "answer": SLOW_ANSWER[1]} for i in range(40)]
    (work / "slow.jsonl").write_bytes(jl(*rows))
    env = {**os.environ, "CALCTUTOR_HOME": str(work / "home")}
    start = time.monotonic()
    proc = subprocess.Popen([*exe, "check", "--batch", "slow.jsonl", "--jobs", "2",
                             "--output", "out.jsonl"], cwd=work, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(3.0)
    children = _children(proc.pid)
    proc.kill()
    proc.wait()
    deadline = time.monotonic() + 3.0
    alive = children
    while alive and time.monotonic() < deadline:
        alive = [p for p in alive if Path(f"/proc/{p}").exists() and not _zombie(p)]
        time.sleep(0.1)
    for p in alive:
        os.kill(p, signal.SIGKILL)
    seconds = time.monotonic() - start
    note = f"{len(children)} workers seen, {len(alive)} alive 3 s after kill -9"
    return Run(0 if children and not alive else 99, note, "", seconds)


def _children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z")
    except (OSError, IndexError):
        return True


# ── the cases ──────────────────────────────────────────────────────────────────────────
def cases() -> list[Case]:
    slow_f, slow_a = SLOW_ANSWER
    slipped = "1 - 2*(2*cos(2*x))/(1+(2*sin(x)*cos(x)/(2*cos(x)^2 - cos(x) + 1))^3)"
    bom_row = b"\xef\xbb\xbf" + json.dumps(OK_ROW).encode() + b"\n"
    return [
        Case("baseline: start-up (check x 1)", ["check", "x", "1"], codes=(0,)),
        # ── issue 16: hangs ──
        Case("16 doubling program: parse", ["parse", doubling_program()], codes=(2,),
             expect=has("too big")),
        Case("16 doubling program: diff", ["diff", doubling_program()], codes=(2,),
             expect=has("too big")),
        # the graph is a DAG of the program (y2 = y1*y1 reuses y1): no expansion needed
        Case("16 doubling program: graph", ["graph", doubling_program()], codes=(0, 2)),
        Case("16 max( 1000 args )", ["diff", MAX_1000], codes=(2,)),
        Case("16 check big product vs mistaken", ["check", BIG_PRODUCT, "0"], codes=(1, 2)),
        Case("16 check --order 10 big expression", ["check", "--order", "10", BIG_SUM, "0"],
             codes=(2,), expect=has("too much work")),
        # ── issue 16: tracebacks ──
        Case("16 parse 10^400/3", ["parse", "10^400/3"], codes=(0, 2)),
        Case("16 parse 1/0", ["parse", "1/0"], codes=(2,)),
        Case("16 parse 2^10^400 (fuzz: OverflowError)", ["parse", "2^10^400"], codes=(2,),
             expect=has("too large")),
        Case("16 diff sin(1/0)", ["diff", "x + sin(0^(-1))"], codes=(2,)),
        Case("16 parse AccumulationBounds", ["limit", "sin(x)", "--at", "oo"], codes=(0, 2)),
        Case("16 max(asin(2), 1)", ["diff", "max(asin(2), x)"], codes=(0, 2)),
        Case("16 plot --range 1e308", ["plot", "x", "--range", "-1e308,1e308"], codes=(2,)),
        Case("16 taylor --eval unknown name", ["taylor", "x^2", "--eval", "y=1"], codes=(2,)),
        Case("16 CSV batch invalid UTF-8", ["check", "--batch", "bad.csv"],
             setup=write("bad.csv", b"id,function,answer\n1,x^2,2x\n2,x^3\xff,3x^2\n"
                                    b"3,x^4,4x^3\n"), codes=(0, 1),
             expect=both(batch_rows(3, errors=1, graded_ids=("1", "3")), refused_line(3))),
        Case("16 lesson read-only database", custom=lesson_unwritable("ro"), codes=(0,),
             expect=lesson_check, budget=20),
        Case("16 lesson full disk", custom=lesson_unwritable("full"), codes=(0,),
             expect=lesson_check, budget=20),
        # ── issue 16: stray alarm ──
        Case("16 stray alarm after verdict", ["check", slow_f, slipped], codes=(1, 2)),
        # ── issue 16: REPL ──
        Case("16 REPL control-character burst",
             custom=repl_keys("".join(chr(c) for c in range(32) if chr(c) not in "\r\n\x03\x04")
                              + "\x7f" * 5, "expression tree"), codes=(0,),
             expect=lacks("Traceback"), budget=20),
        # ── issue 21: batch rows ──
        Case("21 id NaN / Infinity", ["check", "--batch", "nan.jsonl"],
             setup=write("nan.jsonl", jl(b'{"id": NaN, "function": "x^2", "answer": "2x"}',
                                         b'{"id": Infinity, "function": "x^2", "answer": "2x"}',
                                         OK_ROW)),
             codes=(0, 1), expect=batch_rows(3, graded_ids=("ok",))),
        Case("21 deeply nested JSON line", ["check", "--batch", "deep.jsonl"],
             setup=write("deep.jsonl", jl(b'{"id": "deep", "x": ' + b"[" * 5000 + b"]" * 5000
                                          + b"}", OK_ROW)),
             codes=(0, 1), expect=batch_rows(2, errors=1, graded_ids=("ok",))),
        Case("21 invalid UTF-8 in JSONL", ["check", "--batch", "bad.jsonl"],
             setup=write("bad.jsonl", jl(b'{"id": "bad", "function": "x\xff", "answer": "1"}',
                                         OK_ROW)),
             codes=(0, 1), expect=both(batch_rows(2, errors=1, graded_ids=("ok",)),
                                       refused_line(1, "UTF-8"))),
        Case("21 CSV field over 128 KB", ["check", "--batch", "wide.csv"],
             setup=write("wide.csv", b"id,function,answer\nwide,x^2," + b"x" * 140_000
                         + b"\nok,x^3,3x^2\n"),
             codes=(0, 1), expect=batch_rows(2, errors=1, graded_ids=("ok",))),
        Case("21 lone surrogate id, stdout", ["check", "--batch", "sur.jsonl"],
             setup=write("sur.jsonl", jl(b'{"id": "\\ud800", "function": "x^2", "answer": "2x"}',
                                         OK_ROW)),
             codes=(0, 1), expect=batch_rows(2, graded_ids=("ok",))),
        Case("21 lone surrogate id, --output", ["check", "--batch", "sur.jsonl", "--output",
                                                "sur-out.jsonl"],
             setup=write("sur.jsonl", jl(b'{"id": "\\ud800", "function": "x^2", "answer": "2x"}',
                                         OK_ROW)),
             codes=(0, 1), expect=lambda r, w: None if len(
                 (w / "sur-out.jsonl").read_bytes().decode("utf-8").splitlines()) == 2
             else "output is not 2 UTF-8 lines"),
        # a raw \x0c inside a JSON string is not JSON (control characters must be escaped):
        # that record alone is an error; U+2028 and U+0085 are valid and graded
        Case("21 U+2028 / U+0085 / \\x0c in a JSONL line", ["check", "--batch", "sep.jsonl"],
             setup=write("sep.jsonl", jl(
                 {"id": "ls", "function": "x^2", "answer": "2x", "note": "a\u2028b"},
                 b'{"id": "nel", "function": "x^2", "answer": "2x", "note": "a\xc2\x85b"}',
                 b'{"id": "ff", "function": "x^2", "answer": "2x", "note": "a\x0cb"}')),
             codes=(0, 1), expect=both(batch_rows(3, errors=1, graded_ids=("ls", "nel")),
                                       refused_line(3))),
        Case("21 U+2028 / U+0085 / \\x0c in a CSV field", ["check", "--batch", "sep.csv"],
             setup=write("sep.csv", "id,function,answer,note\nls,x^2,2x,a\u2028b\n"
                         "nel,x^2,2x,a\u0085b\nff,x^2,2x,a\x0cb\n".encode()),
             codes=(0,), expect=batch_rows(3, errors=0)),
        Case("21 UTF-8 BOM", ["check", "--batch", "bom.jsonl"], setup=write("bom.jsonl", bom_row),
             codes=(0,), expect=batch_rows(1, errors=0)),
        Case("21 --batch on a directory", ["check", "--batch", "."], codes=(2,)),
        Case("21 order 0", ["check", "--batch", "o0.jsonl"],
             setup=write("o0.jsonl", jl({"id": "o0", "function": "x^2", "answer": "2x",
                                         "order": 0},
                                        {"id": "o0ok", "function": "x^2", "answer": "x^2",
                                         "order": 0})),
             codes=(0, 1), expect=both(graded("o0", False), graded("o0ok", True))),
        Case("21 variable ' ', 'x y', 123", ["check", "--batch", "var.jsonl"],
             setup=write("var.jsonl", jl(
                 {"id": "sp", "function": "x^2", "answer": "2x", "variable": " "},
                 {"id": "xy", "function": "x^2", "answer": "2x", "variable": "x y"},
                 {"id": "n", "function": "x^2", "answer": "2x", "variable": 123}, OK_ROW)),
             codes=(0, 1), expect=both(refused("sp"), refused("xy"), refused("n"),
                                       graded("ok", True))),
        Case("21 \"function\": true", ["check", "--batch", "t.jsonl"],
             setup=write("t.jsonl", jl({"id": "t", "function": True, "answer": "0"}, OK_ROW)),
             codes=(0, 1), expect=both(refused("t"), graded("ok", True))),
        Case("21 1e400", ["check", "--batch", "big.jsonl"],
             setup=write("big.jsonl", jl(b'{"id": "e", "function": 1e400, "answer": "0"}',
                                         {"id": "s", "function": "1e400 x", "answer": "1e400"},
                                         OK_ROW)),
             codes=(0, 1), expect=both(refused_line(1, "too large"), graded("ok", True))),
        Case("21 --output = input", ["check", "--batch", "same.jsonl", "--output", "same.jsonl"],
             setup=write("same.jsonl", jl(OK_ROW)), codes=(2,),
             expect=file_unchanged("same.jsonl", jl(OK_ROW))),
        Case("21 rerun over earlier output", ["check", "--batch", "in.jsonl", "--output",
                                              "prev.jsonl"],
             setup=lambda w: (write("in.jsonl", jl(OK_ROW))(w),
                              write("prev.jsonl", b'{"id": "earlier"}\n')(w)),
             codes=(2,), expect=file_unchanged("prev.jsonl", b'{"id": "earlier"}\n')),
        Case("21 --output into a missing folder", ["check", "--batch", "in.jsonl", "--output",
                                                   "nowhere/out.jsonl"],
             setup=write("in.jsonl", jl(OK_ROW)), codes=(2,)),
        Case("21 --output onto a directory", ["check", "--batch", "in.jsonl", "--output", "."],
             setup=write("in.jsonl", jl(OK_ROW)), codes=(2,)),
        Case("21 --output /dev/full", ["check", "--batch", "in.jsonl", "--output", "/dev/full",
                                       "--force"],
             setup=write("in.jsonl", jl(OK_ROW)), codes=(2,)),
        Case("21 kill -9 of a --jobs 2 batch", custom=kill_batch, codes=(0,), budget=20),
        Case("21 :lesson in the REPL read past the budget", custom=repl_lesson_reading,
             codes=(0,), expect=lacks("stopped after", "Traceback"), budget=20),
        Case("21 Ctrl-C during a slow lesson answer", custom=lesson_ctrl_c, codes=(0,),
             expect=lacks("Traceback"), budget=20),
        # ── issue 21: terminal and contract ──
        Case("21 ESC/BEL in a caret line", ["parse", "x\x1b]0;pwned\x07 +"], codes=(2,),
             expect=no_raw_escape),
        Case("21 ANSI sequence typed in the REPL",
             custom=repl_keys("\x1b[31mx^2\x1b[0m", "expression tree"), codes=(0,),
             expect=lacks("Traceback"), budget=20),
        Case("21 --json usage error: bad option value", ["diff", "x", "--order", "abc", "--json"],
             codes=(2,), expect=json_doc),
        Case("21 --json usage error: unknown option", ["diff", "x", "--bogus", "--json"],
             codes=(2,), expect=json_doc),
        Case("21 PYTHONIOENCODING=ascii check", ["check", "sin(x^2)", "2x cos(x^2)"],
             env={"PYTHONIOENCODING": "ascii"}, codes=(0,)),
        Case("21 PYTHONIOENCODING=ascii progress", ["progress"],
             env={"PYTHONIOENCODING": "ascii"}, codes=(0,)),
        Case("21 PYTHONIOENCODING=ascii plot", ["plot", "sin(x)"],
             env={"PYTHONIOENCODING": "ascii"}, codes=(0,)),
        Case("21 plot --save over an existing file", ["plot", "x", "--save", "p.svg"],
             setup=write("p.svg", b"keep me"), codes=(2,),
             expect=file_unchanged("p.svg", b"keep me")),
        # ── the derivative work limit (issue 16 item 2) ──
        Case("16 diff --order 9 of a big expression", ["diff", BIG_SUM, "--order", "9"],
             codes=(2,), expect=has("too much work")),
        Case("16 taylor --order 20 of a big expression",
             ["taylor", "+".join(f"sin({k}x)" for k in range(1, 71)), "--order", "20"],
             codes=(2,), expect=has("too much work")),
        # ── found by this audit ──
        Case("audit: equal answer, float cancellation", [
            "check", "sin(4x+4)", "(x+1)^20*(x-1)^20 - (x^2-1)^20 + 4cos(4x+4)"], codes=(0,)),
    ]


def judge(case: Case, r: Run, work: Path) -> str:
    problems = []
    if r.code is None:
        problems.append("killed at 30 s")
    elif r.code not in case.codes:
        problems.append(f"exit {r.code}, wanted {'/'.join(map(str, case.codes))}")
    if r.seconds > case.budget + SLACK:
        problems.append(f"over {case.budget + SLACK:g} s")
    if "Traceback" in r.text:
        problems.append("traceback")
    if case.expect is not None and r.code is not None:
        try:
            complaint = case.expect(r, work)
        except Exception as exc:  # the audit's own check failed: report, do not crash
            complaint = f"check failed: {type(exc).__name__}: {exc}"
        if complaint:
            problems.append(complaint)
    return "OK" if not problems else "FAIL: " + "; ".join(problems)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exe", default=str(Path(sys.executable).with_name("calctutor")))
    parser.add_argument("-k", default="", help="only cases whose name contains this")
    parser.add_argument("-v", action="store_true", help="print each failure's output")
    args = parser.parse_args()
    exe = [args.exe]
    failures = 0
    print(f"{'case':<46} {'exit':>5} {'seconds':>8}  verdict")
    for case in cases():
        if args.k not in case.name:
            continue
        work = Path(tempfile.mkdtemp(prefix="audit-"))
        try:
            if case.setup:
                case.setup(work)
            r = case.custom(work, exe) if case.custom else run(exe, case.argv, work,
                                                               case.stdin, case.env)
            verdict = judge(case, r, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        failures += verdict != "OK"
        code = "kill" if r.code is None else str(r.code)
        print(f"{case.name:<46} {code:>5} {r.seconds:8.2f}  {verdict}", flush=True)
        if args.v and verdict != "OK":
            print("    stdout:", r.out[-600:].replace("\n", "\n    "))
            print("    stderr:", r.err[-600:].replace("\n", "\n    "))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
