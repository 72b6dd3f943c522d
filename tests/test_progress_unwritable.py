"""``calctutor lesson`` on a progress database that cannot be written: opened read-only
(a ``mode=ro`` URI, as on a read-only disk) or on a disk that fills up (SQLite's
``max_page_count``: the genuine "database or disk is full"). The lesson runs to its end
with exit 0, says once, in one line, that progress cannot be saved and what is safe to
do, prints no traceback, and every row committed before is still there afterwards.

We run as root, where chmod does not stop a write, so the errors are produced through
SQLite itself: the store's ``sqlite3.connect`` is wrapped for the database's path."""

from __future__ import annotations

import sqlite3

import pytest
from conftest import run_cli

from calctutor import progress

REAL_CONNECT = sqlite3.connect
SEED = "5"
#: A wrong answer to the first exercise (it is x), long enough to need new pages.
LONG_WRONG = "x" + "+x-x" * 470


def rows(path) -> tuple[list[tuple], list[tuple]]:
    conn = REAL_CONNECT(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        return (conn.execute("SELECT * FROM attempts ORDER BY id").fetchall(),
                conn.execute("SELECT * FROM sessions ORDER BY id").fetchall())
    finally:
        conn.close()


def lesson(home, answers: str):
    return run_cli("lesson", "chain-rule", "--seed", SEED, "--plain", stdin=answers,
                   env={"CALCTUTOR_HOME": str(home)})


def saved_history(home, page_size: int | None = None):
    """A data directory whose database holds one finished lesson (two skips)."""
    home.mkdir(parents=True, exist_ok=True)
    path = home / progress.DB_NAME
    if page_size:  # small pages: a long answer cannot fit in the free space left
        conn = REAL_CONNECT(path)
        conn.execute(f"PRAGMA page_size = {page_size}")
        conn.execute("VACUUM")
        conn.close()
    out = lesson(home, "skip\nskip\nquit\n")
    assert out.returncode == 0, out.stderr
    attempts, sessions = rows(path)
    assert len(attempts) == 2 and len(sessions) == 1
    return path, attempts, sessions


def _only(path, wrap):
    def connect(database, *args, **kwargs):
        name = str(database)
        if name == str(path) or name.startswith(f"file:{path}"):
            return wrap(database, *args, **kwargs)
        return REAL_CONNECT(database, *args, **kwargs)
    return connect


def read_only(database, *args, uri=False, **kwargs):
    name = str(database)
    if not name.startswith("file:"):
        name, uri = f"file:{name}?mode=ro", True
    return REAL_CONNECT(name, *args, uri=uri, **kwargs)


def disk_full(database, *args, **kwargs):
    conn = REAL_CONNECT(database, *args, **kwargs)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow any more
    return conn


def notes(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "progress cannot be saved" in line]


def assert_clean_run(out, reason: str, remedy: str) -> None:
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert "OperationalError" not in out.stdout + out.stderr
    (note,) = notes(out.stderr)  # said once, on one line
    assert note.startswith("note: progress cannot be saved")
    assert reason in note and remedy in note
    assert "keep that file as it is" in note and "aside" not in note  # never "move it aside"
    assert "Summary" in out.stdout  # the lesson ran to its end
    assert "everything you answered is saved" not in out.stdout  # it was not


def test_a_read_only_database_lets_the_lesson_run_and_keeps_the_history(tmp_path,
                                                                          monkeypatch):
    home = tmp_path / "home"
    path, attempts, sessions = saved_history(home)
    monkeypatch.setattr(progress.sqlite3, "connect", _only(path, read_only))
    out = lesson(home, "4x\n4cos(4x + 4)\nskip\nquit\n")
    monkeypatch.undo()
    assert_clean_run(out, "readonly database", "make it and its folder writable")
    assert "Correct" in out.stdout  # answers are still graded
    assert rows(path) == (attempts, sessions)  # nothing written, nothing lost


def test_a_full_disk_mid_lesson_keeps_every_committed_row(tmp_path, monkeypatch):
    home = tmp_path / "home"
    path, attempts, sessions = saved_history(home, page_size=512)
    monkeypatch.setattr(progress.sqlite3, "connect", _only(path, disk_full))
    out = lesson(home, f"{LONG_WRONG}\n4cos(4x + 4)\nskip\nskip\nquit\n")
    monkeypatch.undo()
    assert_clean_run(out, "database or disk is full", "free some disk space")
    after_attempts, after_sessions = rows(path)
    assert after_attempts[:len(attempts)] == attempts  # the earlier lesson, untouched
    assert after_sessions[:len(sessions)] == sessions
    assert LONG_WRONG not in {row[3] for row in after_attempts}  # the write that failed
    # once full, nothing more is attempted: no half-saved rows from later answers
    assert len(after_attempts) == len(attempts)


def test_after_the_disk_is_freed_the_next_lesson_saves_again(tmp_path, monkeypatch):
    home = tmp_path / "home"
    path, attempts, _ = saved_history(home, page_size=512)
    monkeypatch.setattr(progress.sqlite3, "connect", _only(path, disk_full))
    lesson(home, f"{LONG_WRONG}\nquit\n")
    monkeypatch.undo()
    out = lesson(home, "skip\nquit\n")
    assert out.returncode == 0 and not notes(out.stderr)
    after, _ = rows(path)
    assert after[:len(attempts)] == attempts and len(after) == len(attempts) + 1


def test_progress_reads_a_read_only_database(tmp_path, monkeypatch):
    home = tmp_path / "home"
    path, attempts, sessions = saved_history(home)
    monkeypatch.setattr(progress.sqlite3, "connect", _only(path, read_only))
    out = run_cli("progress", "--plain", env={"CALCTUTOR_HOME": str(home)})
    monkeypatch.undo()
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stdout + out.stderr
    assert "chain-rule" in out.stdout
    assert rows(path) == (attempts, sessions)


@pytest.mark.parametrize("reason, remedy", [
    ("database or disk is full", "free some disk space"),
    ("attempt to write a readonly database", "writable"),
    ("database is locked", "close the other calctutor session"),
    ("disk I/O error", "CALCTUTOR_HOME"),
])
def test_the_notice_says_what_is_safe_to_do(tmp_path, reason, remedy):
    said: list[str] = []
    store = progress.ProgressStore(tmp_path / progress.DB_NAME, notify=said.append)
    store._cannot_save(reason)
    store._cannot_save("a second failure is not announced again")
    store.close()
    (note,) = said
    assert reason in note and remedy in note and "\n" not in note


def test_a_summary_without_saved_progress_does_not_claim_it_was_saved():
    from rich.console import Console

    from calctutor.lessons.practice import LessonReport
    from calctutor.render import lesson as view

    def shown(stored: bool) -> str:
        console = Console(width=100, record=True)
        console.print(view.summary(LessonReport("chain-rule", "The chain rule", 5,
                                                quit=True, stored=stored)))
        return console.export_text()

    assert "everything you answered is saved" in shown(True)
    unsaved = shown(False)
    assert "Stopped early" in unsaved and "progress not recorded" in unsaved
    assert "is saved" not in unsaved
