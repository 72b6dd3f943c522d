"""Batch grading: JSON Lines (or CSV) in, one JSON line per input record out, in order.

Nothing one record does can stop the batch or cost another record its grade:

* **Records are read as bytes** and split at ``\\n`` only (U+2028, U+0085 and form feed
  inside a JSON string are not line ends); each record is decoded, parsed and validated
  on its own, so invalid UTF-8, a BOM, ``NaN``/``Infinity``, ``1e400``, deep nesting, lone
  surrogates, wrong field types or a huge CSV field become *that* record's error line,
  which names the line and the field.
* **Each row runs under the watchdog**: rows are graded by forked worker processes that
  keep their caches between rows; a row still running at the budget plus a grace is
  killed with its worker (which is replaced), and the row gets a "stopped after N s"
  error. Workers die with the parent (``PR_SET_PDEATHSIG``).
* **Work is done once**: identical rows (same function, answer, variable, order, task)
  are graded once in the parent; inside a worker, answers are keyed by their parsed
  form, so ``2x cos(x^2)`` and ``2*x*cos(x^2)`` share one grading; a worker takes rows of
  the problems it has already prepared first (expected derivative, compiled values, slip
  replays: :mod:`calctutor.grading.problem`), and a row sent to a worker that has not
  carries its problem's expected derivative as another worker printed it, so each
  problem is derived once across the workers.
"""

from __future__ import annotations

import csv
import io
import json
import os
import pickle
import select
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from calctutor.errors import CalcError
from calctutor.limits import MAX_INPUT_LENGTH, STOP_GRACE_SECONDS

ROW_TIME_LIMIT: float | None = None  # seconds per row; None: the watchdog's budget
MAX_JSON_RECORD_BYTES = 1 << 20  # one JSON Lines record
MAX_CSV_FIELD = 1 << 22  # the csv module's own cap, raised: our field check is per row
MAX_ORDER = 10
_FIELDS = ("id", "function", "answer", "variable", "order", "task")
TASKS = ("derivative", "equivalent")
BOM = b"\xef\xbb\xbf"


@dataclass
class BatchSummary:
    rows: int = 0
    correct: int = 0
    wrong: int = 0
    errors: int = 0
    mistakes: Counter = field(default_factory=Counter)


@dataclass(frozen=True)
class Record:
    """One input record: its line number and either a validated row or an error."""

    line: int
    row: dict[str, Any] | None
    error: str | None = None
    row_id: Any = None
    field: str | None = None
    #: what of a refused row could still be read (function, student, ...), so the
    #: teacher's report files the unreadable answer under its problem and learner
    context: dict[str, Any] = dataclasses.field(default_factory=dict)

    def error_document(self) -> dict[str, Any]:
        doc = {"id": self.row_id, "error": f"line {self.line}: {self.error}", "line": self.line}
        if self.field:
            doc["field"] = self.field
        doc.update(self.context)
        return doc


class RowError(Exception):
    def __init__(self, message: str, field_name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field_name


# ── reading ──────────────────────────────────────────────────────────────────────────────
def detect_format(path: Path | str, first: bytes, declared: str | None = None) -> str:
    if declared:
        if declared not in ("jsonl", "csv"):
            raise CalcError(f"--format must be jsonl or csv, not {declared!r}")
        return declared
    suffix = Path(str(path)).suffix.lower()
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    return "jsonl" if first.lstrip(BOM + b" \t\r\n").startswith(b"{") else "csv"


def open_input(path: Path | str) -> BinaryIO:
    """The input as a binary stream ('-' is stdin); a clean error for what cannot be read."""
    if str(path) == "-":
        return sys.stdin.buffer
    target = Path(path)
    if target.is_dir():
        raise CalcError(f"{target} is a folder, not a file of answers")
    try:
        return open(target, "rb")  # noqa: SIM115 - closed by the caller
    except FileNotFoundError:
        raise CalcError(f"file not found: {target}") from None
    except OSError as exc:
        raise CalcError(f"cannot read {target}: {exc.strerror or exc}") from None


def iter_records(path: Path | str, fmt: str | None = None) -> Iterator[Record]:
    """Every record of the input, in order, validated one by one."""
    stream = open_input(path)
    try:
        head = stream.peek(256)[:256] if hasattr(stream, "peek") else b""
        kind = detect_format(path, head, fmt)
        yield from (_csv_records(stream) if kind == "csv" else _jsonl_records(stream))
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _jsonl_records(stream: BinaryIO) -> Iterator[Record]:
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        if not raw.strip():
            continue
        if len(raw) > MAX_JSON_RECORD_BYTES:
            yield Record(number, None, f"the record is too long ({len(raw):,} bytes)")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            yield Record(number, None, f"not valid UTF-8 (byte {raw[exc.start]:#04x} at "
                                       f"position {exc.start})")
            continue
        try:
            value = json.loads(text, parse_constant=_refuse_constant, parse_float=_finite_float)
        except RowError as exc:
            yield Record(number, None, exc.message)
            continue
        except RecursionError:
            yield Record(number, None, "the JSON is nested too deeply")
            continue
        except ValueError as exc:
            yield Record(number, None, f"not valid JSON ({getattr(exc, 'msg', exc)})")
            continue
        if not isinstance(value, dict):
            yield Record(number, None, "expected a JSON object such as "
                                       '{"id": 1, "function": "x^2", "answer": "2x"}')
            continue
        yield _validated(number, value, from_csv=False)


def _refuse_constant(name: str):
    raise RowError(f"{name} is not a number this grader accepts")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise RowError(f"the number {text} is too large")
    return value


def _csv_records(stream: BinaryIO) -> Iterator[Record]:
    csv.field_size_limit(MAX_CSV_FIELD)
    lines = _decoded_lines(stream)
    reader = csv.reader(lines)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise CalcError(f"line 1: the CSV header cannot be read ({exc})") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    while True:
        start = reader.line_num + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield Record(start, None, f"the CSV record cannot be read ({exc})")
            continue
        if not any(c.strip() for c in cells):
            continue
        if any("\udc80" <= ch <= "\udcff" for c in cells for ch in c):
            yield Record(start, None, "not valid UTF-8")
            continue
        row = dict(zip(header, cells))
        yield _validated(start, row, from_csv=True)


def _decoded_lines(stream: BinaryIO) -> Iterator[str]:
    """Physical lines as text; undecodable bytes kept as surrogate escapes so the record
    holding them (and only it) is refused."""
    for number, raw in enumerate(stream, start=1):
        if number == 1 and raw.startswith(BOM):
            raw = raw[len(BOM):]
        yield raw.decode("utf-8", "surrogateescape")


def _validated(line: int, row: dict[str, Any], *, from_csv: bool) -> Record:
    row_id = row.get("id")
    if not _writable(row_id):
        return Record(line, None, "the id cannot be written as UTF-8 (a lone surrogate?)",
                      None, "id")
    try:
        clean = {
            "id": row_id,
            "function": _expression(row, "function"),
            "answer": _expression(row, "answer"),
            "variable": _variable(row.get("variable")),
            "order": _order(row.get("order"), from_csv),
            "task": _task(row.get("task")),
        }
        student = row.get("student")
        if student not in (None, ""):
            if not isinstance(student, (str, int)) or isinstance(student, bool) or not _writable(student):
                raise RowError("'student' must be a name or a number", "student")
            clean["student"] = student
    except RowError as exc:
        return Record(line, None, exc.message, row_id, exc.field,
                      _readable_context(row, from_csv))
    return Record(line, clean, None, row_id)


def _printed(text: str) -> str:
    """A function as graded rows show it (the printer's form), so a refused row is filed
    under the same problem; the text itself when it does not parse."""
    try:
        from calctutor.parsing import parse, to_input
        from calctutor.parsing.builder import carry_out

        return to_input(carry_out(parse(text)))
    except Exception:  # noqa: BLE001 - unreadable: the teacher sees what was typed
        return text


def _readable_context(row: dict[str, Any], from_csv: bool) -> dict[str, Any]:
    """The fields of a refused row that are valid on their own."""
    readers = {"function": lambda: _printed(_expression(row, "function")),
               "variable": lambda: _variable(row.get("variable")),
               "order": lambda: _order(row.get("order"), from_csv),
               "task": lambda: _task(row.get("task"))}
    context = {}
    for name, read in readers.items():
        try:
            context[name] = read()
        except RowError:
            if name == "function":
                return {}  # no problem to file it under
    student = row.get("student")
    if isinstance(student, (str, int)) and not isinstance(student, bool) \
            and student != "" and _writable(student):
        context["student"] = student
    return context


def _writable(value: Any) -> bool:
    try:
        json.dumps(value, ensure_ascii=False, allow_nan=False).encode("utf-8")
        return True
    except (ValueError, TypeError, UnicodeEncodeError, RecursionError):
        return False


def _expression(row: dict[str, Any], key: str) -> str:
    value = row.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowError(f"the row has no {key!r}", key)
    if not isinstance(value, str):
        raise RowError(f"{key!r} must be a string, not {type(value).__name__}", key)
    if len(value) > MAX_INPUT_LENGTH:
        raise RowError(f"{key!r} is too long ({len(value):,} characters; the limit is "
                       f"{MAX_INPUT_LENGTH:,})", key)
    if not _writable(value):
        raise RowError(f"{key!r} is not valid text (a lone surrogate?)", key)
    return value


def _variable(value: Any) -> str:
    if value is None or value == "":
        return "x"
    if not isinstance(value, str):
        raise RowError(f"'variable' must be a name such as x, not {value!r}", "variable")
    name = value.strip()
    if not (name.isidentifier() and name.isascii()):
        raise RowError(f"'variable' must be a name such as x or t, not {value!r}", "variable")
    return name


def _order(value: Any, from_csv: bool) -> int:
    if value is None or value == "":
        return 1
    if isinstance(value, str) and from_csv and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int):
        raise RowError(f"'order' must be a whole number from 0 to {MAX_ORDER}, not {value!r}",
                       "order")
    if not 0 <= value <= MAX_ORDER:
        raise RowError(f"'order' must be from 0 to {MAX_ORDER}, not {value}", "order")
    return value


def _task(value: Any) -> str:
    if value is None or value == "":
        return "derivative"
    if value not in TASKS:
        raise RowError(f"'task' must be derivative or equivalent, not {value!r}", "task")
    return value


def read_rows(path: Path | str, fmt: str | None = None) -> list[Record]:
    """Every record of a file (small inputs and tests; the CLI streams)."""
    return list(iter_records(path, fmt))


# ── grading one row (in a worker) ────────────────────────────────────────────────────────
_answer_cache: dict[tuple, dict[str, Any]] = {}
_CACHE_LIMIT = 20_000


def grade_row(row: dict[str, Any] | Record) -> dict[str, Any]:
    """Grade one validated row; never raises (errors become an ``error`` document)."""
    from calctutor import watchdog
    from calctutor.timeouts import time_limit

    if isinstance(row, Record):
        if row.row is None:
            return row.error_document()
        row = row.row
    row_id = row.get("id")
    problem = {k: row[k] for k in ("function", "variable", "order", "task", "student") if k in row}
    try:
        if not {"variable", "order", "task"} <= set(row):
            record = _validated(0, row, from_csv=False)
            if record.row is None:
                return {"id": row_id, "error": record.error, "field": record.field}
            row = record.row
        seconds = ROW_TIME_LIMIT or watchdog.budget()
        with time_limit(seconds, "grading this row"):
            doc = _graded(row)
        return {"id": row_id, **doc, **({"student": row["student"]} if "student" in row else {})}
    except CalcError as exc:
        return {"id": row_id, "error": exc.message, **problem}
    except RecursionError:
        return {"id": row_id, "error": "the expression is too deeply nested", **problem}
    except MemoryError:
        return {"id": row_id, "error": "grading this row needed too much memory", **problem}
    except Exception as exc:  # noqa: BLE001 - one bad row must never stop a class's batch
        return {"id": row_id, "error": f"could not grade this row ({type(exc).__name__})",
                **problem}


def _graded(row: dict[str, Any]) -> dict[str, Any]:
    """The verdict document of a row, shared by every row with the same parsed answer."""
    from calctutor.commands.check import run_check, verdict_document

    expected = row.pop(EXPECTED_KEY, None)
    if expected is not None:
        _seed_expected(row, expected)

    key = (row["function"], row["variable"], row["order"], row["task"], _answer_key(row))
    cached = _answer_cache.get(key)
    if cached is None:
        verdict = run_check(row["function"], row["answer"], wrt=row["variable"],
                            order=row["order"], task=row["task"])
        cached = verdict_document(verdict)
        if len(_answer_cache) >= _CACHE_LIMIT:
            _answer_cache.clear()
        _answer_cache[key] = cached
    doc = dict(cached)
    if "answer" in doc:
        doc["answer_as_typed"] = row["answer"]
    return doc


#: a row sent to a worker may carry its problem's expected derivative, as another worker
#: printed it, so the derivation and its simplification are not done again there
EXPECTED_KEY = "_expected"


def _seed_expected(row: dict[str, Any], text: str) -> None:
    """Give this worker's problem cache the expected derivative another worker found.
    Only a derivative task, and only when the text reads back to itself (the printer's
    promise), so the seeded value is the one this worker would have made."""
    if row["task"] != "derivative":
        return
    try:
        from calctutor.commands.check import read_problem
        from calctutor.grading import problem
        from calctutor.parsing import parse, to_input

        function, structured, variable = read_problem(row["function"], wrt=row["variable"],
                                                      order=row["order"])
        value = parse(text, names=[s.name for s in function.free_symbols])
        if to_input(value) != text:
            return
        problem.seed_expected(function, variable, row["order"], structured, value)
    except Exception:  # noqa: BLE001 - a seed is an optimisation; the worker derives it
        return


def _answer_key(row: dict[str, Any]) -> str:
    try:
        from sympy import srepr

        from calctutor.parsing import parse

        return "parsed:" + srepr(parse(row["answer"]))
    except Exception:  # noqa: BLE001 - unparsable: the text is its own key (and errors)
        return "text:" + row["answer"]


# ── workers ──────────────────────────────────────────────────────────────────────────────
class _Worker:
    """A forked grading process: rows in, documents out, over pipes (pickled frames)."""

    def __init__(self) -> None:
        from calctutor import watchdog

        to_child_r, to_child_w = os.pipe()
        from_child_r, from_child_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the worker
            os.close(to_child_w)
            os.close(from_child_r)
            code = 0
            try:
                watchdog._become_worker()
                signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides
                _serve(to_child_r, from_child_w)
            except BaseException:  # noqa: BLE001
                code = 3
            finally:
                os._exit(code)
        os.close(to_child_r)
        os.close(from_child_w)
        self.pid = pid
        self.send_fd = to_child_w
        self.recv_fd = from_child_r
        self.buffer = b""
        self.task: int | None = None
        self.started = 0.0
        self.problems: set[tuple] = set()  # problems whose caches this worker holds
        self.current: tuple | None = None  # the problem of the row it is grading

    def submit(self, index: int, row: dict[str, Any]) -> None:
        self.task = index
        self.started = time.monotonic()
        _write_frame(self.send_fd, pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))

    def read_done(self) -> dict[str, Any] | None:
        """A finished document if one arrived (call when recv_fd is readable)."""
        chunk = os.read(self.recv_fd, 1 << 16)
        if not chunk:
            raise EOFError
        self.buffer += chunk
        if len(self.buffer) < 8:
            return None
        size = int.from_bytes(self.buffer[:8], "big")
        if len(self.buffer) < 8 + size:
            return None
        payload, self.buffer = self.buffer[8:8 + size], self.buffer[8 + size:]
        self.task = None
        return pickle.loads(payload)

    def kill(self) -> None:
        for fd in (self.send_fd, self.recv_fd):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _write_frame(fd: int, payload: bytes) -> None:
    data = memoryview(len(payload).to_bytes(8, "big") + payload)
    while data:
        data = data[os.write(fd, data):]


def _read_exact(fd: int, size: int) -> bytes | None:
    parts, left = [], size
    while left:
        chunk = os.read(fd, left)
        if not chunk:
            return None
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def _serve(recv_fd: int, send_fd: int) -> None:
    while True:
        head = _read_exact(recv_fd, 8)
        if head is None:
            return
        payload = _read_exact(recv_fd, int.from_bytes(head, "big"))
        if payload is None:
            return
        doc = grade_row(pickle.loads(payload))
        _write_frame(send_fd, pickle.dumps(doc, protocol=pickle.HIGHEST_PROTOCOL))


def _row_key(row: dict[str, Any]) -> tuple:
    return (row["function"], row["answer"], row["variable"], row["order"], row["task"])


def grade_rows(rows: Iterable[Record | dict[str, Any]], jobs: int | None = None,
               progress: Callable[[int], None] | None = None) -> Iterator[dict[str, Any]]:
    """Graded documents in input order, streamed as the rows finish in order."""
    from calctutor import watchdog

    records = (r if isinstance(r, Record) else _validated(n, r, from_csv=False)
               for n, r in enumerate(rows, start=1))
    jobs = max(1, jobs or os.cpu_count() or 1)
    seconds = ROW_TIME_LIMIT or watchdog.budget()
    if not watchdog.can_fork():
        for record in records:
            if progress:
                progress(1)
            yield grade_row(record)
        return
    _warm()
    yield from _pool(records, jobs, seconds, progress)


def _warm() -> None:
    """Import the grader and grade one tiny row here, before the workers fork, so each
    starts warm (copy-on-write) instead of paying the imports and first-call set-up."""
    try:
        grade_row({"id": None, "function": "x^2", "answer": "2x", "variable": "x",
                   "order": 1, "task": "derivative"})
    except Exception:  # noqa: BLE001 - a warm-up never stops a batch
        pass


def _pool(records: Iterator[Record], jobs: int, seconds: float,
          progress: Callable[[int], None] | None) -> Iterator[dict[str, Any]]:
    from calctutor import watchdog

    workers: list[_Worker] = []
    done: dict[int, dict[str, Any]] = {}
    waiting: list[tuple[int, dict[str, Any]]] = []  # rows to send
    inflight: dict[tuple, int] = {}  # identical rows graded once: the first one's index
    key_of: dict[int, tuple] = {}
    results: dict[tuple, dict[str, Any]] = {}  # finished documents by row key
    followers: dict[int, list[tuple[int, Any]]] = {}
    ids: dict[int, Any] = {}
    lines: dict[int, int] = {}
    students: dict[int, Any] = {}
    rows_sent: dict[int, dict[str, Any]] = {}
    expected_of: dict[tuple, str] = {}  # each problem's expected derivative, as printed
    next_out = 0
    total = 0
    exhausted = False
    window = jobs * 32  # rows read ahead of the output: memory stays flat
    try:
        while True:
            while not exhausted and total - next_out < window:
                record = next(records, None)
                if record is None:
                    exhausted = True
                    break
                index = total
                total += 1
                if record.row is None:
                    done[index] = record.error_document()
                    if "student" in record.context:
                        students[index] = record.context["student"]
                    continue
                ids[index] = record.row_id
                lines[index] = record.line
                if "student" in record.row:
                    students[index] = record.row["student"]
                key = _row_key(record.row)
                if key in results:
                    done[index] = {**results[key], "id": record.row_id}
                    continue
                if key in inflight:
                    followers[inflight[key]].append((index, record.row_id))
                    continue
                inflight[key] = index
                key_of[index] = key
                followers[index] = []
                waiting.append((index, record.row))
            while next_out in done:  # stream in input order
                if progress:
                    progress(1)
                doc = dict(_with_line(done.pop(next_out), lines.pop(next_out, None)))
                doc.pop("student", None)
                if next_out in students:
                    doc["student"] = students.pop(next_out)
                yield doc
                next_out += 1
            if exhausted and next_out >= total:
                return
            idle = [w for w in workers if w.task is None]
            while waiting and (idle or len(workers) < jobs):
                worker = idle.pop() if idle else None
                if worker is None:
                    worker = _Worker()
                    workers.append(worker)
                position = _choose(waiting, worker, workers, expected_of)
                if position is None:  # another worker is preparing these rows' problem
                    break
                index, row = waiting.pop(position)
                rows_sent[index] = row
                problem_key = _problem_key(row)
                if problem_key not in worker.problems and problem_key in expected_of:
                    row = {**row, EXPECTED_KEY: expected_of[problem_key]}
                worker.problems.add(problem_key)
                worker.current = problem_key
                worker.submit(index, row)
            busy = [w for w in workers if w.task is not None]
            if not busy:
                continue
            now = time.monotonic()
            wait = max(0.0, min(w.started + seconds + STOP_GRACE_SECONDS for w in busy) - now)
            ready, _, _ = select.select([w.recv_fd for w in busy], [], [], wait)
            for worker in busy:
                index = worker.task
                finished = None
                if worker.recv_fd in ready:
                    try:
                        finished = worker.read_done()
                    except EOFError:
                        finished = {"id": ids.get(index),
                                    "error": "grading this row ended its worker "
                                             "(too much memory?)"}
                        workers.remove(worker)
                        worker.kill()
                elif time.monotonic() > worker.started + seconds + STOP_GRACE_SECONDS:
                    finished = {"id": ids.get(index),
                                "error": watchdog.stopped_message(seconds, "grading this row"),
                                **{k: v for k, v in rows_sent[index].items()
                                   if k in ("function", "variable", "order", "task")}}
                    workers.remove(worker)
                    worker.kill()
                if finished is None:
                    continue
                key = key_of.pop(index)
                inflight.pop(key, None)
                rows_sent.pop(index, None)
                if len(results) < 50_000:
                    results[key] = finished
                if "expected" in finished and "error" not in finished:
                    function, _, variable, order, task = key
                    expected_of.setdefault((function, variable, order, task),
                                           finished["expected"])
                done[index] = finished
                for other, other_id in followers.pop(index, []):
                    done[other] = {**finished, "id": other_id}
    finally:
        for worker in workers:
            worker.kill()


def _problem_key(row: dict[str, Any]) -> tuple:
    return (row["function"], row["variable"], row["order"], row["task"])


def _choose(waiting: list[tuple[int, dict[str, Any]]], worker: _Worker,
            workers: list[_Worker], known: dict[tuple, str] | None = None) -> int | None:
    """Which waiting row ``worker`` grades next, so each problem is prepared about once:
    a row of a problem it has prepared (its caches serve it:
    :mod:`calctutor.grading.problem`), else of a problem no other worker has, else of a
    problem whose expected derivative is ``known`` (it goes along as a seed), else the
    oldest. None — wait — when every waiting row's problem is being prepared right now
    by another, busy worker: its result will be the seed. Output order is kept by index."""
    known = known or {}
    others = [w for w in workers if w is not worker]
    owned = set().union(*(w.problems for w in others)) if others else set()
    preparing = {w.current for w in others if w.task is not None and w.current not in known}
    fresh = seedable = free = None
    for position, (_, row) in enumerate(waiting):
        problem = _problem_key(row)
        if problem in worker.problems:
            return position
        if fresh is None and problem not in owned:
            fresh = position
        if seedable is None and problem in known:
            seedable = position
        if free is None and problem not in preparing:
            free = position
    for choice in (fresh, seedable, free):
        if choice is not None:
            return choice
    return None


def _with_line(doc: dict[str, Any], line: int | None) -> dict[str, Any]:
    """An error document of a graded row names its input line, as reading errors do."""
    if line and "error" in doc and "line" not in doc:
        return {**doc, "error": f"line {line}: {doc['error']}", "line": line}
    return doc


def summarise(docs: Iterable[dict[str, Any]]) -> BatchSummary:
    summary = BatchSummary()
    for doc in docs:
        add_to_summary(summary, doc)
    return summary


def add_to_summary(summary: BatchSummary, doc: dict[str, Any]) -> None:
    summary.rows += 1
    if "error" in doc:
        summary.errors += 1
    elif doc.get("correct"):
        summary.correct += 1
    else:
        summary.wrong += 1
        summary.mistakes[doc.get("mistake") or "unknown"] += 1
