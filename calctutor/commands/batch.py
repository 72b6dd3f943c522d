"""Batch grading: JSON Lines (or CSV) in, one JSON line per row out, in input order.

Rows are graded in worker processes (``--jobs``, default all cores), each row under its
own time limit; a row that cannot be parsed or graded yields ``{"id", "error"}`` and the
batch goes on. Workers are forked after the heavy imports, so they start warm.
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from calctutor.errors import CalcError

ROW_TIME_LIMIT = 5.0  # seconds per row, enforced inside the worker
_FIELDS = ("id", "function", "answer", "variable", "order", "task")


@dataclass
class BatchSummary:
    rows: int = 0
    correct: int = 0
    wrong: int = 0
    errors: int = 0
    mistakes: Counter = field(default_factory=Counter)


def read_rows(path: Path) -> list[dict[str, Any]]:
    """Rows from a .jsonl/.json-lines or .csv file (or '-' for stdin, JSON Lines)."""
    if str(path) == "-":
        import sys

        text = sys.stdin.read()
        suffix = ".jsonl"
    else:
        if not path.exists():
            raise CalcError(f"file not found: {path}")
        text = path.read_text(encoding="utf-8")
        suffix = path.suffix.lower()
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text))
        return [dict(row) for row in reader]
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append({"id": None, "_error": f"line {number}: not valid JSON ({exc.msg})"})
            continue
        if not isinstance(row, dict):
            rows.append({"id": None, "_error": f"line {number}: expected a JSON object"})
            continue
        rows.append(row)
    return rows


def grade_row(row: dict[str, Any]) -> dict[str, Any]:
    """Grade one input row; never raises (errors become an ``error`` document)."""
    from calctutor.commands.check import run_check, verdict_document
    from calctutor.timeouts import time_limit

    row_id = row.get("id")
    if "_error" in row:
        return {"id": row_id, "error": row["_error"]}
    try:
        function = _text(row, "function")
        answer = _text(row, "answer")
        variable = str(row.get("variable") or "x")
        order = int(row.get("order") or 1) if str(row.get("order") or "1").strip().lstrip("-").isdigit() else None
        if order is None:
            raise CalcError(f"order must be a whole number, got {row.get('order')!r}")
        task = str(row.get("task") or "derivative")
        with time_limit(ROW_TIME_LIMIT, "grading this row"):
            verdict = run_check(function, answer, wrt=variable, order=order, task=task)
        return {"id": row_id, **verdict_document(verdict)}
    except CalcError as exc:
        return {"id": row_id, "error": exc.message}
    except RecursionError:
        return {"id": row_id, "error": "the expression is too deeply nested"}
    except Exception as exc:  # noqa: BLE001 - one bad row must never stop a class's batch
        return {"id": row_id, "error": f"could not grade this row ({type(exc).__name__})"}


def _text(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise CalcError(f"the row has no {key!r}")
    if not isinstance(value, (str, int, float)):
        raise CalcError(f"{key!r} must be a string")
    return str(value)


def grade_rows(rows: list[dict[str, Any]], jobs: int | None = None,
               progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Graded documents in input order; ``progress`` is called once per finished row."""
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(rows) <= 2:
        for row in rows:
            doc = grade_row(row)
            if progress:
                progress(1)
            yield doc
        return
    import multiprocessing

    context = multiprocessing.get_context("fork") if hasattr(os, "fork") else None
    chunk = max(1, min(16, len(rows) // (jobs * 4) or 1))
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        for doc in pool.map(grade_row, rows, chunksize=chunk):
            if progress:
                progress(1)
            yield doc


def summarise(docs: list[dict[str, Any]]) -> BatchSummary:
    summary = BatchSummary()
    for doc in docs:
        summary.rows += 1
        if "error" in doc:
            summary.errors += 1
        elif doc.get("correct"):
            summary.correct += 1
        else:
            summary.wrong += 1
            summary.mistakes[doc.get("mistake") or "unknown"] += 1
    return summary
