"""The long fuzz run: the test suite's grammar-aware strategies with many more examples,
plus the installed CLI in subprocesses (exit codes 0/1/2 only, never a traceback).

Usage:  python bench/fuzz_long.py [--examples N] [--cli N] [--seed S]

Not part of ``bench/run.py`` (it measures nothing); run it before a release or after a
parser change. Every failure is printed with the input that caused it; exit 1 if any.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from fuzz_grammar import expressions, noisy_expressions, programs  # noqa: E402


def in_process(examples: int, seed: int) -> list[str]:
    import test_fuzz

    failures: list[str] = []
    config = settings(max_examples=examples, deadline=None, database=None,
                      suppress_health_check=list(HealthCheck))

    def collect(name, strategy, check):
        @config
        @given(strategy)
        def run(text):
            try:
                check(text)
            except AssertionError as exc:
                failures.append(f"{name}: {text!r}: {exc}")
            except Exception as exc:  # noqa: BLE001 - an escaping exception: report it
                failures.append(f"{name}: {text!r}: {type(exc).__name__}: {exc}")

        run()

    random.seed(seed)
    collect("parse", noisy_expressions(), test_fuzz.test_the_parser_only_refuses_cleanly.hypothesis.inner_test)
    collect("program", programs(), test_fuzz.test_programs_only_refuse_cleanly.hypothesis.inner_test)
    collect("round trip", expressions(),
            test_fuzz.test_the_printer_round_trips_what_the_parser_reads.hypothesis.inner_test)
    for command in ("parse", "diff", "check", "taylor", "limit", "graph"):
        collect(command, expressions(8), lambda text, c=command: test_fuzz.call_command(c, text))
    return failures


def cli(count: int, seed: int) -> list[str]:
    """Random inputs through the real executable: exit 0, 1 or 2, no traceback."""
    rng = random.Random(seed)
    sample = noisy_expressions().example if count else None
    failures: list[str] = []
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, CALCTUTOR_HOME=home, CALCTUTOR_TIMEOUT="4")
        for _ in range(count):
            text = sample().replace("\x00", "\x01")  # argv cannot hold NUL
            command = rng.choice([["parse"], ["diff"], ["check", "--", "x^2"], ["graph"],
                                  ["taylor"], ["diff", "--json"]])
            argv = [sys.executable, "-m", "calctutor", *command[:1], *command[1:], "--", text]
            if command[0] == "check":
                argv = [sys.executable, "-m", "calctutor", "check", "--", text, "2x"]
            done = subprocess.run(argv, capture_output=True, env=env, timeout=60)
            if done.returncode not in (0, 1, 2) or b"Traceback" in done.stderr:
                failures.append(f"cli {command[0]} {text!r}: exit {done.returncode}: "
                                f"{done.stderr.decode('utf-8', 'replace')[-300:]}")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=2000)
    parser.add_argument("--cli", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    failures = in_process(args.examples, args.seed) + cli(args.cli, args.seed)
    for failure in failures:
        print(failure)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
