"""The progress database: attempts, mastery, migrations, crash safety and two writers at
once (the FSRS review schedule itself is tested in test_fsrs.py)."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli

from calctutor.errors import CalcError
from calctutor.progress import MIGRATIONS, SCHEMA_VERSION, Attempt, ProgressStore


def attempt(exercise="sin-linear", correct=True, promote=None, kind="answer", lesson="chain-rule",
            **kw):
    return Attempt(lesson=lesson, exercise=exercise, answer="4cos(4x)", correct=correct,
                   skill="chain-rule", kind=kind,
                   promote=correct if promote is None else promote, **kw)


def test_attempts_are_stored_with_every_field(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        session = store.start_session("chain-rule", 7)
        store.record(attempt(correct=False, mistake="missing_chain_factor", hints=2,
                             seconds=3.5, seed=7, session=session, verdict="dropped 4",
                             problem="d/dx sin(4x)", expected="4*cos(4*x)"))
        rows = store.attempts()
    assert len(rows) == 1
    row = rows[0]
    assert row["lesson"] == "chain-rule" and row["exercise"] == "sin-linear"
    assert row["correct"] == 0 and row["mistake"] == "missing_chain_factor"
    assert row["hints"] == 2 and row["seconds"] == 3.5 and row["session"] == session
    assert row["verdict"] == "dropped 4" and row["expected"] == "4*cos(4*x)"
    assert row["created"] > 0


def test_mastery_is_recall_of_exercises_last_answered_right_and_unseen_count_zero(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record(attempt("a", correct=True))
        store.record(attempt("b", correct=False))
        store.record(attempt("b", kind="checkpoint", correct=True))
        stats = store.lesson_stats({"chain-rule": ["a", "b", "c", "d"], "rules": ["x"]})
        recall = store.recall("chain-rule")
    by_name = {s.name: s for s in stats}
    assert [s.name for s in stats] == ["chain-rule", "rules"]
    assert by_name["chain-rule"].attempts == 2 and by_name["chain-rule"].correct == 1
    assert by_name["chain-rule"].checkpoints == 1
    assert 0 < recall <= 1
    assert by_name["chain-rule"].mastery == pytest.approx(recall / 4, abs=1e-4)  # a only
    assert by_name["rules"].attempts == 0 and by_name["rules"].mastery == 0


def test_missed_exercises_come_back_in_the_next_session(tmp_path):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.start_session("chain-rule", 1)
        store.record(attempt("missed", correct=False))
        store.record(attempt("known", correct=True))
        assert store.due(limit=5, within=0) == []  # just reviewed: not due this minute
        soon = store.due(limit=5)  # but due within a lesson's length: offered at its start
        assert [d.exercise for d in soon] == ["missed"]
        tomorrow = time.time() + 86400
        due = store.due(limit=5, now=tomorrow)
        assert [(d.exercise, d.skill) for d in due] == [("missed", "chain-rule")]
        assert store.due(limit=5, exclude_lesson="chain-rule", now=tomorrow) == []


def test_an_old_schema_is_migrated_and_keeps_its_attempts(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.executescript(MIGRATIONS[0])
    conn.execute("INSERT INTO attempts (lesson, exercise, answer, correct, mistake, created)"
                 " VALUES ('rules', 'product', 'x', 0, 'product_rule', 1.0)")
    conn.execute("INSERT INTO attempts (lesson, exercise, answer, correct, mistake, created)"
                 " VALUES ('rules', 'quotient', 'y', 1, NULL, 2.0)")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with ProgressStore(path) as store:
        assert store.version() == SCHEMA_VERSION
        rows = store.attempts()
        assert [(r["exercise"], r["correct"], r["kind"], r["hints"]) for r in rows] == [
            ("product", 0, "answer", 0), ("quotient", 1, "answer", 0)]
        assert set(store.cards()) == {"rules"}  # schema-1 attempts have no skill: the lesson
        store.record(attempt(lesson="rules", exercise="product"))
        assert store.count_attempts() == 3
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_a_database_from_a_newer_version_is_refused_cleanly(tmp_path):
    path = tmp_path / "new.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.close()
    with pytest.raises(CalcError, match="newer calctutor"):
        ProgressStore(path)


def test_a_file_that_is_not_a_database_gives_a_clean_error(tmp_path):
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CalcError, match="cannot be used"):
        ProgressStore(path)


WRITER = """
import sys, time
from calctutor.progress import Attempt, ProgressStore
store = ProgressStore(sys.argv[1])
tag = sys.argv[2]
i = 0
while True:
    i += 1
    key = f"{tag}-{i}"
    store.record(Attempt(lesson="chain-rule", exercise=f"ex{i % 7}", answer=key,
                         correct=i % 3 == 0, skill="chain-rule", verdict="v" * 200))
    print(key, flush=True)  # only after the commit returned
    time.sleep(0.002)  # a learner types between answers: let another session get the lock
"""


def _spawn_writer(path: Path, tag: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", WRITER, str(path), tag],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _committed(proc: subprocess.Popen) -> list[str]:
    out, err = proc.communicate(timeout=60)
    assert "Traceback" not in err, err
    return [line for line in out.splitlines() if line]


def test_killing_a_writer_at_random_moments_loses_nothing_committed(tmp_path):
    path = tmp_path / "p.sqlite3"
    ProgressStore(path).close()
    rng = random.Random(2024)
    reported: list[str] = []
    for round_no in range(6):
        proc = _spawn_writer(path, f"r{round_no}")
        reported.append(proc.stdout.readline().strip())  # it is writing: the first commit
        time.sleep(rng.uniform(0.05, 0.4))
        os.kill(proc.pid, signal.SIGKILL)
        lines = _committed(proc)
        reported += lines
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT answer FROM attempts")}
    missing = [key for key in reported if key not in stored]
    assert not missing, f"{len(missing)} reported-committed attempts are gone: {missing[:5]}"
    assert len(reported) > 6
    # the card moved in the same transaction as the last attempt it reviews
    (updated,) = conn.execute("SELECT updated FROM cards WHERE skill = 'chain-rule'").fetchone()
    assert conn.execute("SELECT COUNT(*) FROM attempts WHERE created = ?",
                        (updated,)).fetchone()[0] == 1
    conn.close()
    with ProgressStore(path) as store:  # and it still opens and writes
        store.record(attempt())


def test_two_sessions_writing_at_once_do_not_corrupt_or_lose_attempts(tmp_path):
    path = tmp_path / "p.sqlite3"
    ProgressStore(path).close()
    procs = [_spawn_writer(path, tag) for tag in ("a", "b")]
    firsts = [proc.stdout.readline().strip() for proc in procs]  # both are writing
    time.sleep(1.0)
    for proc in procs:
        proc.terminate()
    reported = firsts + [line for proc in procs for line in _committed(proc)]
    assert any(r.startswith("a-") for r in reported) and any(r.startswith("b-") for r in reported)
    assert len(reported) > 20
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    stored = {row[0] for row in conn.execute("SELECT answer FROM attempts")}
    assert set(reported) <= stored
    conn.close()


def test_progress_json_follows_the_cli_contract(tmp_path):
    env = {"CALCTUTOR_HOME": str(tmp_path)}
    with ProgressStore(tmp_path / "progress.sqlite3") as store:
        store.record(attempt(correct=True))
        store.record(attempt(correct=False))
    out = run_cli("progress", "--json", env=env)
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    lessons = {row["name"]: row for row in doc["lessons"]}
    assert set(lessons) >= {"chain-rule", "rules", "backprop"}
    for row in doc["lessons"]:
        assert isinstance(row["name"], str) and isinstance(row["attempts"], int)
        assert isinstance(row["correct"], int) and isinstance(row["mastery"], (int, float))
    assert lessons["chain-rule"]["attempts"] == 2 and lessons["chain-rule"]["correct"] == 1
    plain = run_cli("progress", "--plain", env=env)
    assert "chain-rule" in plain.stdout and "mastery" in plain.stdout
