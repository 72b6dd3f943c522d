"""Small timing helpers shared by the benchmarks (no dependencies beyond the stdlib)."""

from __future__ import annotations

import statistics
import subprocess
import time
from collections.abc import Callable, Sequence


def time_call(fn: Callable[[], object], repeat: int, warmup: int = 1) -> list[float]:
    """Seconds per call, ``repeat`` times, after ``warmup`` untimed calls."""
    for _ in range(warmup):
        fn()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def time_command(argv: Sequence[str], repeat: int, warmup: int = 1, env=None) -> list[float]:
    """Wall-clock seconds of a whole process, ``repeat`` times."""
    def once():
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, env=env)
    return time_call(once, repeat, warmup)


def median(samples: Sequence[float]) -> float:
    return statistics.median(samples)


def p99(samples: Sequence[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]


def paired(ours: Callable[[], object], baseline: Callable[[], object], repeat: int,
           warmup: bool = True) -> tuple[float, float]:
    """Median seconds of each, the calls interleaved so that load on a shared machine
    hits both alike (a drift in the machine's speed cancels in the ratio)."""
    if warmup:
        ours(), baseline()
    a, b = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        ours()
        t1 = time.perf_counter()
        baseline()
        t2 = time.perf_counter()
        a.append(t1 - t0)
        b.append(t2 - t1)
    return median(a), median(b)
