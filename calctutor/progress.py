"""The learner's history: every attempt, Leitner boxes, mastery — in SQLite.

Storage is ``progress.sqlite3`` in the data directory (``CALCTUTOR_HOME`` or the
platform's user data directory, see :mod:`calctutor.paths`). Standard library only.

Durability and concurrency:

- WAL journal with ``synchronous=FULL``: a committed attempt survives the process being
  killed at any moment, and a half-written one is rolled back, never half-present.
- One transaction per attempt (the attempt row *and* its Leitner box move together),
  opened with ``BEGIN IMMEDIATE`` so two sessions writing at once queue on SQLite's lock
  (with a busy timeout) instead of failing or deadlocking.
- The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` upgrades an
  older database step by step inside a transaction, so a crash mid-migration leaves the
  old version intact.

Leitner boxes: each exercise sits in box 1..5. A correct answer at the first try without
hints moves it up a box; a correct answer after a slip or with hints leaves it; a wrong
answer, a skip or a revealed solution sends it back to box 1. A box-``b`` exercise is due
again ``2^(b-1)`` sessions later, so mistakes come back soon and known material rarely.
Mastery of an exercise is ``(box - 1) / 4``; of a lesson or a skill, the mean over its
exercises (unseen ones count 0).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from calctutor.errors import CalcError

DB_NAME = "progress.sqlite3"
MAX_BOX = 5
BUSY_TIMEOUT_SECONDS = 15.0

#: Schema migrations; entry ``i`` upgrades a database from version ``i`` to ``i + 1``.
MIGRATIONS: tuple[str, ...] = (
    # 0 -> 1: the first schema: attempts only.
    """
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        lesson TEXT NOT NULL,
        exercise TEXT NOT NULL,
        answer TEXT NOT NULL,
        correct INTEGER NOT NULL,
        mistake TEXT,
        created REAL NOT NULL
    );
    CREATE INDEX attempts_lesson ON attempts(lesson);
    """,
    # 1 -> 2: sessions, richer attempts (skill, verdict, hints, time), Leitner boxes.
    """
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        lesson TEXT NOT NULL,
        seed INTEGER,
        started REAL NOT NULL,
        finished REAL
    );
    ALTER TABLE attempts ADD COLUMN session INTEGER REFERENCES sessions(id);
    ALTER TABLE attempts ADD COLUMN skill TEXT NOT NULL DEFAULT '';
    ALTER TABLE attempts ADD COLUMN kind TEXT NOT NULL DEFAULT 'answer';
    ALTER TABLE attempts ADD COLUMN seed INTEGER;
    ALTER TABLE attempts ADD COLUMN problem TEXT NOT NULL DEFAULT '';
    ALTER TABLE attempts ADD COLUMN expected TEXT NOT NULL DEFAULT '';
    ALTER TABLE attempts ADD COLUMN verdict TEXT NOT NULL DEFAULT '';
    ALTER TABLE attempts ADD COLUMN hints INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE attempts ADD COLUMN seconds REAL;
    CREATE TABLE boxes (
        lesson TEXT NOT NULL,
        exercise TEXT NOT NULL,
        skill TEXT NOT NULL DEFAULT '',
        box INTEGER NOT NULL DEFAULT 1,
        due_session INTEGER NOT NULL DEFAULT 0,
        updated REAL NOT NULL,
        PRIMARY KEY (lesson, exercise)
    );
    INSERT INTO boxes (lesson, exercise, box, due_session, updated)
        SELECT lesson, exercise,
               CASE WHEN (SELECT correct FROM attempts AS b
                          WHERE b.lesson = a.lesson AND b.exercise = a.exercise
                          ORDER BY b.id DESC LIMIT 1) = 1 THEN 2 ELSE 1 END,
               0, MAX(created)
        FROM attempts AS a GROUP BY lesson, exercise;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

#: Attempt kinds. ``answer``, ``skip`` and ``solution`` end (or try) an exercise and count
#: as attempts; ``checkpoint`` is one graded link of a chain-rule or backprop exercise.
KINDS = ("answer", "skip", "solution", "checkpoint")


def _notice_on_stderr(message: str) -> None:
    import sys

    try:
        sys.stderr.write(f"note: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def default_path() -> Path:
    from calctutor.paths import ensure_data_dir

    try:
        return ensure_data_dir() / DB_NAME
    except OSError as exc:
        raise CalcError(f"cannot create the data directory: {exc}",
                        hint="set CALCTUTOR_HOME to a writable directory") from None


@dataclass(frozen=True)
class Attempt:
    lesson: str
    exercise: str
    answer: str
    correct: bool
    skill: str = ""
    kind: str = "answer"
    mistake: str | None = None
    verdict: str = ""
    problem: str = ""
    expected: str = ""
    hints: int = 0
    seconds: float | None = None
    seed: int | None = None
    session: int | None = None
    promote: bool = False  # correct at the first try without hints: move up a box


@dataclass(frozen=True)
class Stats:
    """Attempts, correct answers and mastery for one lesson or one skill."""

    name: str
    attempts: int
    correct: int
    mastery: float
    checkpoints: int = 0
    last: float | None = None


@dataclass(frozen=True)
class Due:
    lesson: str
    exercise: str
    box: int


class ProgressStore:
    """The progress database. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: Path | str | None = None, notify=None) -> None:
        #: why progress is not being saved (None while it is): a read-only or full disk
        self.unsaved_reason: str | None = None
        self._notify = notify or _notice_on_stderr
        try:
            self.path = Path(path) if path is not None else default_path()
        except CalcError as exc:
            self.path = Path(":memory:")
            self._open_fallback(exc.message)
            return
        try:
            self._open(self.path)
        except sqlite3.OperationalError as exc:  # read-only, full disk, locked, no folder
            self._open_fallback(str(exc))
        except sqlite3.DatabaseError as exc:  # not a database: damaged, or another file
            raise CalcError(f"the progress database {self.path} cannot be used: {exc}",
                            hint="calctutor has not changed the file; keep a copy of it, "
                                 "then set CALCTUTOR_HOME to another folder to practise "
                                 "meanwhile") from None

    def _open(self, path: Path | str, uri: bool = False) -> None:
        self.conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None,
                                    uri=uri)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self._migrate()

    def _open_fallback(self, reason: str) -> None:
        """Keep the lesson going without saving: the saved history read-only if it can be
        read, else an empty one in memory. Nothing already committed is touched."""
        try:
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True,
                                   timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            conn.execute("SELECT COUNT(*) FROM attempts").fetchone()
            self.conn = conn
        except sqlite3.DatabaseError:
            self._open(":memory:")
        self._cannot_save(reason)

    def _cannot_save(self, reason: str) -> None:
        if self.unsaved_reason is None:
            self.unsaved_reason = reason
            self._notify(f"progress cannot be saved ({reason}); the lesson goes on, and the "
                         f"history already saved in {self.path} is kept as it is")

    def _write(self, action, default):
        """Run a write; a read-only or full disk turns saving off (once, with a notice)."""
        if self.unsaved_reason is not None:
            return default
        try:
            return action()
        except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as exc:
            self._cannot_save(str(exc))
            return default

    # ── lifecycle ──────────────────────────────────────────────────────────────────
    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> ProgressStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (or ``ROLLBACK`` on any error)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
            self.conn.execute("COMMIT")  # a full disk may fail here: rolled back below
        except BaseException:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
            raise

    def version(self) -> int:
        return self.conn.execute("PRAGMA user_version").fetchone()[0]

    def _migrate(self) -> None:
        if self.version() == SCHEMA_VERSION:
            return
        with self.transaction() as conn:
            current = conn.execute("PRAGMA user_version").fetchone()[0]  # re-read under the lock
            if current > SCHEMA_VERSION:
                raise CalcError(f"the progress database {self.path} was written by a newer "
                                f"calctutor (schema {current}, this one knows {SCHEMA_VERSION})")
            for step in range(current, SCHEMA_VERSION):
                for statement in _statements(MIGRATIONS[step]):
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    # ── writing ────────────────────────────────────────────────────────────────────
    def start_session(self, lesson: str, seed: int | None) -> int:
        return self._write(lambda: self._start_session(lesson, seed), 0)

    def _start_session(self, lesson: str, seed: int | None) -> int:
        with self.transaction() as conn:
            cur = conn.execute("INSERT INTO sessions (lesson, seed, started) VALUES (?, ?, ?)",
                               (lesson, seed, time.time()))
            return int(cur.lastrowid)

    def finish_session(self, session: int) -> None:
        self._write(lambda: self._finish_session(session), None)

    def _finish_session(self, session: int) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE sessions SET finished = ? WHERE id = ?", (time.time(), session))

    def record(self, attempt: Attempt) -> int:
        """Store one attempt and move its Leitner box, in one transaction; returns its id."""
        if attempt.kind not in KINDS:
            raise ValueError(f"unknown attempt kind {attempt.kind!r}")
        return self._write(lambda: self._record(attempt), 0)

    def _record(self, attempt: Attempt) -> int:
        now = time.time()
        with self.transaction() as conn:
            cur = conn.execute(
                "INSERT INTO attempts (lesson, exercise, answer, correct, mistake, created, session,"
                " skill, kind, seed, problem, expected, verdict, hints, seconds)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (attempt.lesson, attempt.exercise, attempt.answer, int(attempt.correct),
                 attempt.mistake, now, attempt.session, attempt.skill, attempt.kind, attempt.seed,
                 attempt.problem, attempt.expected, attempt.verdict, attempt.hints,
                 attempt.seconds),
            )
            if attempt.kind != "checkpoint":
                self._move_box(conn, attempt, now)
            return int(cur.lastrowid)

    def _move_box(self, conn: sqlite3.Connection, attempt: Attempt, now: float) -> None:
        row = conn.execute("SELECT box FROM boxes WHERE lesson = ? AND exercise = ?",
                           (attempt.lesson, attempt.exercise)).fetchone()
        box = row[0] if row else 1
        if attempt.kind == "answer" and attempt.correct:
            box = min(MAX_BOX, box + 1) if attempt.promote else box
        else:
            box = 1
        sessions = conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
        due = sessions + 2 ** (box - 1) - (1 if box == 1 else 0)
        conn.execute(
            "INSERT INTO boxes (lesson, exercise, skill, box, due_session, updated)"
            " VALUES (?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (lesson, exercise) DO UPDATE SET"
            " box = excluded.box, due_session = excluded.due_session,"
            " updated = excluded.updated, skill = excluded.skill",
            (attempt.lesson, attempt.exercise, attempt.skill, box, due, now),
        )

    # ── reading ────────────────────────────────────────────────────────────────────
    def box(self, lesson: str, exercise: str) -> int:
        row = self.conn.execute("SELECT box FROM boxes WHERE lesson = ? AND exercise = ?",
                                (lesson, exercise)).fetchone()
        return row[0] if row else 0

    def boxes(self) -> dict[tuple[str, str], tuple[int, str]]:
        rows = self.conn.execute("SELECT lesson, exercise, box, skill FROM boxes")
        return {(lesson, ex): (box, skill) for lesson, ex, box, skill in rows}

    def due(self, *, limit: int = 3, exclude_lesson: str | None = None) -> list[Due]:
        """Exercises due for review now (lowest box first), for the start of a session."""
        sessions = self.conn.execute("SELECT COUNT(*) FROM sessions").fetchone()[0]
        rows = self.conn.execute(
            "SELECT lesson, exercise, box FROM boxes WHERE due_session <= ? AND box < ?"
            " AND lesson IS NOT ? ORDER BY box, updated LIMIT ?",
            (sessions, MAX_BOX, exclude_lesson, limit),
        )
        return [Due(*row) for row in rows]

    def count_attempts(self) -> int:
        return self.conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]

    def attempt_ids(self) -> set[int]:
        return {row[0] for row in self.conn.execute("SELECT id FROM attempts")}

    def attempts(self, lesson: str | None = None) -> list[dict]:
        query = "SELECT * FROM attempts" + (" WHERE lesson = ?" if lesson else "") + " ORDER BY id"
        cur = self.conn.execute(query, (lesson,) if lesson else ())
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur]

    def lesson_stats(self, catalog: dict[str, Iterable[str]] | None = None) -> list[Stats]:
        """Per lesson: attempts, correct answers and mastery.

        ``catalog`` maps each known lesson to its exercise ids, so that unseen exercises
        count 0 towards mastery and untouched lessons still appear (in catalog order).
        """
        return self._stats("lesson", catalog)

    def skill_stats(self, catalog: dict[str, Iterable[str]] | None = None) -> list[Stats]:
        """Per skill: the same numbers, over the exercises tagged with that skill.

        ``catalog`` maps skill -> ``"lesson/exercise"`` keys."""
        return self._stats("skill", catalog)

    def _stats(self, column: str, catalog: dict[str, Iterable[str]] | None) -> list[Stats]:
        counts = {
            name: (attempts, correct or 0, checkpoints or 0, last)
            for name, attempts, correct, checkpoints, last in self.conn.execute(
                f"SELECT {column}, SUM(kind != 'checkpoint'),"
                f" SUM(kind = 'answer' AND correct), SUM(kind = 'checkpoint'), MAX(created)"
                f" FROM attempts GROUP BY {column}")
        }
        boxes: dict[str, dict[str, int]] = {}
        for lesson, exercise, box, skill in self.conn.execute(
                "SELECT lesson, exercise, box, skill FROM boxes"):
            name = lesson if column == "lesson" else skill
            key = exercise if column == "lesson" else f"{lesson}/{exercise}"
            boxes.setdefault(name, {})[key] = box
        names = list(catalog) if catalog is not None else []
        names += sorted(n for n in set(counts) | set(boxes) if n not in names and n)
        out = []
        for name in names:
            attempts, correct, checkpoints, last = counts.get(name, (0, 0, 0, None))
            seen = boxes.get(name, {})
            keys = set(catalog.get(name, ())) if catalog is not None and name in catalog else set()
            keys |= set(seen)
            mastery = (sum((seen.get(k, 1) - 1) / (MAX_BOX - 1) for k in keys) / len(keys)
                       if keys else 0.0)
            out.append(Stats(name, int(attempts or 0), int(correct), round(mastery, 4),
                             int(checkpoints), last))
        return out


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (they contain no ';' inside strings)."""
    return [s.strip() for s in script.split(";") if s.strip()]
