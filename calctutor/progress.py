"""The learner's history: every attempt, a review schedule per skill, mastery — in SQLite.

Storage is ``progress.sqlite3`` in the data directory (``CALCTUTOR_HOME`` or the
platform's user data directory, see :mod:`calctutor.paths`).

Durability and concurrency:

- WAL journal with ``synchronous=FULL``: a committed attempt survives the process being
  killed at any moment, and a half-written one is rolled back, never half-present.
- One transaction per attempt (the attempt row *and* its skill's review card move
  together), opened with ``BEGIN IMMEDIATE`` so two sessions writing at once queue on
  SQLite's lock (with a busy timeout) instead of failing or deadlocking.
- The schema version lives in ``PRAGMA user_version``; :data:`MIGRATIONS` upgrades an
  older database step by step inside a transaction, so a crash mid-migration leaves the
  old version intact.

Review schedule: each *skill* (``chain-rule``, ``gradients``, ...) is one FSRS card
(the ``fsrs`` package, FSRS-6 with its default parameters, no fuzzing). The grade comes
from the checker, never from the learner: right at the first try without a hint is
*Good*; right after a hint or a wrong try is *Hard*; wrong, skipped or a revealed
solution is *Again*. Only the first graded answer to an exercise in a session is a
review (later tries at the same exercise are practice). A card is due when FSRS says its
recall probability has fallen to the target retention (90 %).

Mastery of an exercise is the recall probability of its skill now, if the learner's last
answer to it was right (else 0); of a lesson or a skill, the mean over its exercises
(unseen ones count 0). So mastery fades while a skill is not reviewed.
"""

from __future__ import annotations

import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from calctutor.errors import CalcError

DB_NAME = "progress.sqlite3"
BUSY_TIMEOUT_SECONDS = 15.0
#: A lesson session's length, for "due": a review falling due during it is offered at its start.
SESSION_SECONDS = 30 * 60.0

#: FSRS grades (the values of :class:`fsrs.Rating`).
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4


def rating_for(kind: str, correct: bool, clean: bool) -> int:
    """The automatic FSRS grade of one graded answer.

    ``clean`` is right at the first try with no hint. Wrong, skipped or solution shown
    is Again; right but not clean is Hard; clean is Good. (Easy is never given: a
    checker cannot tell an effortless answer from a careful one.)"""
    if kind != "answer" or not correct:
        return AGAIN
    return GOOD if clean else HARD


_SCHEDULER = None


def scheduler():
    """The one FSRS scheduler (imported on first use: ``--help`` stays fast)."""
    global _SCHEDULER
    if _SCHEDULER is None:
        from fsrs import Scheduler

        _SCHEDULER = Scheduler(desired_retention=0.9, enable_fuzzing=False)
    return _SCHEDULER


def _utc(epoch: float) -> datetime:
    return datetime.fromtimestamp(epoch, timezone.utc)


def new_card(skill: str, epoch: float):
    from fsrs import Card

    return Card(card_id=zlib.crc32(skill.encode()), due=_utc(epoch))


def review(card, rating: int, epoch: float):
    """``card`` after one review graded ``rating`` at ``epoch`` (never before its last)."""
    from fsrs import Rating

    when = _utc(epoch)
    if card.last_review is not None and when < card.last_review:
        when = card.last_review
    return scheduler().review_card(card, Rating(rating), review_datetime=when)[0]


def cards_from_history(rows: Iterable[tuple]) -> dict[str, object]:
    """Replay attempts ``(session, lesson, exercise, skill, kind, correct, hints, created)``
    in id order into one FSRS card per skill, by the same grading rule as
    :meth:`ProgressStore.record` (the first graded answer per exercise and session is
    the review; a wrong checkpoint before it makes a right answer Hard)."""
    cards: dict[str, object] = {}
    reviewed: set[tuple] = set()
    slipped: set[tuple] = set()
    for session, lesson, exercise, skill, kind, correct, hints, created in rows:
        key = (session, lesson, exercise)
        if kind == "checkpoint":
            if not correct:
                slipped.add(key)
            continue
        if session is not None and key in reviewed:
            continue
        reviewed.add(key)
        name = skill or lesson
        clean = bool(correct) and not hints and key not in slipped
        card = cards.get(name) or new_card(name, created)
        cards[name] = review(card, rating_for(kind, bool(correct), clean), created)
    return cards


_HISTORY = ("SELECT session, lesson, exercise, skill, kind, correct, hints, created"
            " FROM attempts ORDER BY id")


def _cards_from_boxes(conn: sqlite3.Connection) -> None:
    """2 -> 3: FSRS cards per skill, built from the stored attempt history."""
    conn.execute("CREATE TABLE cards (skill TEXT PRIMARY KEY, card TEXT NOT NULL,"
                 " due REAL NOT NULL, updated REAL NOT NULL)")
    for skill, card in cards_from_history(conn.execute(_HISTORY).fetchall()).items():
        conn.execute("INSERT INTO cards (skill, card, due, updated) VALUES (?, ?, ?, ?)",
                     (skill, card.to_json(), card.due.timestamp(),
                      card.last_review.timestamp()))
    conn.execute("DROP TABLE boxes")


#: Schema migrations; entry ``i`` upgrades a database from version ``i`` to ``i + 1``:
#: an SQL script, or a function of the connection (inside the migration's transaction).
MIGRATIONS: tuple[str | Callable[[sqlite3.Connection], None], ...] = (
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
    # 2 -> 3: Leitner boxes replaced by one FSRS card per skill.
    _cards_from_boxes,
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


def _remedy(reason: str) -> str:
    """What the learner can safely do about a database that cannot be written."""
    text = reason.lower()
    if "full" in text or "no space" in text or "quota" in text:
        return "free some disk space"
    if "readonly" in text or "read-only" in text or "permission" in text or "access" in text:
        return "make it and its folder writable"
    if "locked" in text or "busy" in text:
        return "close the other calctutor session using it"
    return "fix that, or set CALCTUTOR_HOME to a writable folder"


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
    promote: bool = False  # right at the first try without a hint: graded Good, not Hard


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
class SkillSchedule:
    """One skill's review card: when it is due and how likely it is recalled now."""

    skill: str
    due: datetime  # UTC
    retrievability: float  # FSRS recall probability now, 0..1
    stability: float | None  # days for recall to fall to 90 %
    state: str  # Learning, Review or Relearning
    last_review: datetime | None

    def is_due(self, now: datetime) -> bool:
        return self.due <= now


@dataclass(frozen=True)
class Due:
    """An exercise to practise because its skill is due for review."""

    lesson: str
    exercise: str
    skill: str
    due: datetime
    retrievability: float


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
            self._notify(f"progress cannot be saved ({reason}): the session goes on, but "
                         f"answers from now on are not kept. The history already saved in "
                         f"{self.path} is intact: keep that file as it is (it is not damaged), "
                         f"{_remedy(reason)}, and the next session saves again")

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
                migration = MIGRATIONS[step]
                if callable(migration):
                    migration(conn)
                    continue
                for statement in _statements(migration):
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
        """Store one attempt and review its skill's card, in one transaction; returns its id."""
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
                self._review(conn, attempt, int(cur.lastrowid), now)
            return int(cur.lastrowid)

    def _review(self, conn: sqlite3.Connection, attempt: Attempt, attempt_id: int,
                now: float) -> None:
        """Review the attempt's skill card, if this is the exercise's first graded answer
        in its session (a retry after a miss is practice, not a second review)."""
        if attempt.session is not None and conn.execute(
                "SELECT 1 FROM attempts WHERE session = ? AND lesson = ? AND exercise = ?"
                " AND kind != 'checkpoint' AND id < ? LIMIT 1",
                (attempt.session, attempt.lesson, attempt.exercise, attempt_id)).fetchone():
            return
        skill = attempt.skill or attempt.lesson
        row = conn.execute("SELECT card FROM cards WHERE skill = ?", (skill,)).fetchone()
        from fsrs import Card

        card = Card.from_json(row[0]) if row else new_card(skill, now)
        card = review(card, rating_for(attempt.kind, attempt.correct, attempt.promote), now)
        conn.execute(
            "INSERT INTO cards (skill, card, due, updated) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (skill) DO UPDATE SET card = excluded.card, due = excluded.due,"
            " updated = excluded.updated",
            (skill, card.to_json(), card.due.timestamp(), now),
        )

    # ── reading ────────────────────────────────────────────────────────────────────
    def cards(self) -> dict[str, object]:
        """The FSRS card of every reviewed skill. A database still on an older schema
        (opened read-only, so not migrated) gets them replayed from its history."""
        if self.version() < SCHEMA_VERSION:
            return cards_from_history(self.conn.execute(_HISTORY).fetchall())
        from fsrs import Card

        return {skill: Card.from_json(text)
                for skill, text in self.conn.execute("SELECT skill, card FROM cards")}

    def schedule(self, now: float | None = None) -> list[SkillSchedule]:
        """Every reviewed skill's card, the soonest due first."""
        when = _utc(time.time() if now is None else now)
        out = []
        for skill, card in self.cards().items():
            recall = scheduler().get_card_retrievability(card, current_datetime=when)
            out.append(SkillSchedule(skill, card.due, round(recall, 4), card.stability,
                                     card.state.name, card.last_review))
        return sorted(out, key=lambda s: (s.due, s.skill))

    def recall(self, skill: str, now: float | None = None, *,
               graduated: bool = False) -> float | None:
        """The recall probability of ``skill`` now (None before its first review; with
        ``graduated``, also while the card is in FSRS's learning or relearning steps,
        where a skill just missed would read as 100 % remembered)."""
        return next((s.retrievability for s in self.schedule(now) if s.skill == skill
                     and (not graduated or s.state == "Review")), None)

    def due(self, *, limit: int = 3, exclude_lesson: str | None = None,
            now: float | None = None, within: float = SESSION_SECONDS) -> list[Due]:
        """Exercises to practise, one per skill whose review falls due within ``within``
        seconds of ``now`` (by default the length of a lesson session, so a skill missed a
        minute ago, due again in FSRS's first relearning step, comes back in the next
        lesson), the least likely recalled first: of that skill's exercises seen before
        (outside ``exclude_lesson``), one last answered wrong, else the one practised
        longest ago."""
        when = _utc((time.time() if now is None else now) + within)
        out: list[Due] = []
        for s in sorted(self.schedule(now), key=lambda s: (s.retrievability, s.skill)):
            if len(out) >= limit or not s.is_due(when):
                continue
            row = self.conn.execute(
                "SELECT lesson, exercise FROM attempts AS a WHERE (skill = ? OR"
                " (skill = '' AND lesson = ?)) AND kind != 'checkpoint' AND lesson IS NOT ?"
                " GROUP BY lesson, exercise"
                " ORDER BY (SELECT b.kind = 'answer' AND b.correct FROM attempts AS b"
                "           WHERE b.lesson = a.lesson AND b.exercise = a.exercise"
                "           AND b.kind != 'checkpoint' ORDER BY b.id DESC LIMIT 1),"
                "          MAX(created) LIMIT 1",
                (s.skill, s.skill, exclude_lesson)).fetchone()
            if row is not None:
                out.append(Due(row[0], row[1], s.skill, s.due, s.retrievability))
        return out

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
        recall = {sc.skill: sc.retrievability for sc in self.schedule()}
        known: dict[str, dict[str, float]] = {}  # name -> exercise key -> mastery
        for lesson, exercise, skill, right in self.conn.execute(
                "SELECT lesson, exercise, skill, kind = 'answer' AND correct FROM attempts"
                " WHERE kind != 'checkpoint' ORDER BY id"):
            name = lesson if column == "lesson" else skill
            key = exercise if column == "lesson" else f"{lesson}/{exercise}"
            known.setdefault(name, {})[key] = recall.get(skill or lesson, 0.0) if right else 0.0
        names = list(catalog) if catalog is not None else []
        names += sorted(n for n in set(counts) | set(known) if n not in names and n)
        out = []
        for name in names:
            attempts, correct, checkpoints, last = counts.get(name, (0, 0, 0, None))
            seen = known.get(name, {})
            keys = set(catalog.get(name, ())) if catalog is not None and name in catalog else set()
            keys |= set(seen)
            mastery = sum(seen.get(k, 0.0) for k in keys) / len(keys) if keys else 0.0
            out.append(Stats(name, int(attempts or 0), int(correct), round(mastery, 4),
                             int(checkpoints), last))
        return out


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (they contain no ';' inside strings)."""
    return [s.strip() for s in script.split(";") if s.strip()]
