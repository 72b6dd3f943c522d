"""Run every benchmark in bench/ and print one table.

Usage:  python bench/run.py [--quick] [--only NAME] [--json FILE]

Each ``bench/bench_*.py`` module exposes ``run(quick: bool) -> list[dict]``; a row has
``benchmark``, ``case``, ``ours`` (a number), ``baseline`` (a number or None), ``unit``,
and optionally ``aim`` and ``note``. The ratio column is ours / baseline, measured in the
same run on the same machine — never an absolute number from elsewhere.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def _fmt(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if value == 0:
        return "0"
    if abs(value) >= 1000 or abs(value) < 0.01:
        return f"{value:.3g}"
    return f"{value:.3f}".rstrip("0").rstrip(".")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions (smoke run)")
    parser.add_argument("--only", action="append", default=[], help="run only bench_NAME")
    parser.add_argument("--json", type=Path, help="also write all rows to this file")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(HERE))
    rows: list[dict] = []
    failed: list[str] = []
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if args.only and name not in args.only:
            continue
        started = time.perf_counter()
        print(f"running {path.name} ...", file=sys.stderr, flush=True)
        try:
            module = _load(path)
            found = list(module.run(args.quick))
        except Exception as exc:  # noqa: BLE001 - one broken benchmark must not hide the rest
            failed.append(name)
            print(f"  FAILED: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)
            rows.append({"benchmark": name, "case": "FAILED", "ours": None, "baseline": None,
                         "unit": "", "note": f"{type(exc).__name__}: {exc}"[:200]})
            continue
        for row in found:
            row.setdefault("benchmark", name)
            rows.append(row)
        print(f"  done in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)

    from rich.console import Console
    from rich.table import Table

    table = Table(title="calctutor benchmarks (ratio = ours / baseline, same run)")
    for column in ("benchmark", "case", "ours", "baseline", "unit", "ratio", "aim", "note"):
        table.add_column(column, justify="right" if column in ("ours", "baseline", "ratio") else "left")
    for row in rows:
        ours, base = row.get("ours"), row.get("baseline")
        ratio = row.get("ratio")
        if ratio is None and isinstance(ours, (int, float)) and isinstance(base, (int, float)) and base:
            ratio = ours / base
            row["ratio"] = ratio
        table.add_row(
            row["benchmark"], str(row.get("case", "")), _fmt(ours), _fmt(base),
            row.get("unit", ""), _fmt(ratio) + ("×" if ratio is not None else ""),
            row.get("aim", ""), row.get("note", ""),
        )
    Console(width=160).print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, default=str))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
