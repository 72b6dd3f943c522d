"""The FSRS review schedule: one card per skill, graded by the checker, and the migration
of a database written by the Leitner-box version (tests/data/progress/)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from calctutor import progress
from calctutor.progress import (AGAIN, GOOD, HARD, SCHEMA_VERSION, Attempt, ProgressStore,
                                cards_from_history, rating_for)

FIXTURE = Path(__file__).parent / "data" / "progress" / "schema2-leitner.sqlite3"
DAY = 86400.0
START = 1_790_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """The store's clock, moved by the test (only calctutor.progress sees it)."""
    now = [START]
    monkeypatch.setattr(progress, "time", SimpleNamespace(time=lambda: now[0]))
    return now


def answer(exercise="sin-linear", *, correct=True, clean=None, kind="answer", skill="chain-rule",
           lesson="chain-rule", session=None, hints=0):
    return Attempt(lesson=lesson, exercise=exercise, answer="a", correct=correct, skill=skill,
                   kind=kind, hints=hints, session=session,
                   promote=(correct and hints == 0) if clean is None else clean)


@pytest.mark.parametrize("kind, correct, clean, grade", [
    ("answer", True, True, GOOD),      # right at the first try, no hint
    ("answer", True, False, HARD),     # right after a hint or a wrong try
    ("answer", False, False, AGAIN),   # wrong
    ("skip", False, False, AGAIN),
    ("solution", False, False, AGAIN),
])
def test_automatic_grades(kind, correct, clean, grade):
    assert rating_for(kind, correct, clean) == grade


def _card(path, skill="chain-rule"):
    with ProgressStore(path) as store:
        return store.cards()[skill]


def test_each_clean_review_at_its_due_time_waits_longer(tmp_path, clock):
    path = tmp_path / "p.sqlite3"
    gaps = []
    with ProgressStore(path) as store:
        for _ in range(6):
            store.record(answer())
            card = store.cards()["chain-rule"]
            gaps.append(card.due.timestamp() - clock[0])
            clock[0] = card.due.timestamp()  # come back exactly when it is due
    assert gaps[0] < 3600  # learning steps first (minutes)
    assert all(later > earlier for earlier, later in zip(gaps, gaps[1:])), gaps
    assert gaps[-1] > 7 * DAY


def test_hard_waits_less_than_good_and_again_brings_it_back_in_minutes(tmp_path, clock):
    due = {}
    for name, kw in {"good": {}, "hard": {"hints": 1}, "again": {"correct": False}}.items():
        clock[0] = START
        path = tmp_path / f"{name}.sqlite3"
        with ProgressStore(path) as store:
            for _ in range(3):  # graduate to the review state with clean answers
                store.record(answer())
                clock[0] = store.cards()["chain-rule"].due.timestamp()
            reviewed_at = clock[0]
            store.record(answer(**kw))
            due[name] = store.cards()["chain-rule"].due.timestamp() - reviewed_at
    assert due["again"] <= 600 < due["hard"] < due["good"], due


def test_recall_falls_with_time_and_a_due_skill_is_offered(tmp_path, clock):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record(answer())
        store.record(answer("three-layers", correct=False))
        fresh = store.recall("chain-rule")
        later = store.recall("chain-rule", now=START + 30 * DAY)
        (schedule,) = store.schedule(now=START + 30 * DAY)
        due = store.due(now=START + 30 * DAY)
        lesson_now = store.lesson_stats({"chain-rule": ["sin-linear", "three-layers"]})[0]
        clock[0] = START + 30 * DAY
        lesson_later = store.lesson_stats({"chain-rule": ["sin-linear", "three-layers"]})[0]
    assert 0.9 < fresh <= 1 and later < fresh
    assert schedule.skill == "chain-rule" and schedule.retrievability == later
    assert [d.exercise for d in due] == ["three-layers"]  # the one last answered wrong
    assert lesson_later.mastery < lesson_now.mastery  # mastery fades without review


def test_recall_shown_in_a_lesson_waits_for_the_learning_steps(tmp_path, clock):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record(answer(correct=False))  # just missed: FSRS's recall is still ~1
        assert store.recall("chain-rule") > 0.99
        assert store.recall("chain-rule", graduated=True) is None
        for _ in range(3):
            clock[0] = store.cards()["chain-rule"].due.timestamp()
            store.record(answer())
        assert store.cards()["chain-rule"].state.name == "Review"
        assert store.recall("chain-rule", graduated=True) == store.recall("chain-rule")


def test_a_retry_in_the_same_session_is_not_a_second_review(tmp_path, clock):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        session = store.start_session("chain-rule", 1)
        store.record(answer(correct=False, session=session))
        after_miss = store.cards()["chain-rule"]
        clock[0] += 30
        store.record(answer(correct=True, clean=False, session=session))
        store.record(answer(kind="checkpoint", correct=False, session=session))
        assert store.cards()["chain-rule"].to_dict() == after_miss.to_dict()
        clock[0] += 30
        store.record(answer("three-layers", session=session))  # another exercise: a review
        assert store.cards()["chain-rule"].last_review > after_miss.last_review


def test_skills_are_scheduled_separately(tmp_path, clock):
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        store.record(answer())
        store.record(answer("product", correct=False, skill="product-rule", lesson="rules"))
        cards = store.cards()
    assert set(cards) == {"chain-rule", "product-rule"}
    assert cards["product-rule"].due < cards["chain-rule"].due


def test_the_live_schedule_equals_a_replay_of_the_history(tmp_path, clock):
    path = tmp_path / "p.sqlite3"
    with ProgressStore(path) as store:
        session = store.start_session("chain-rule", 1)
        for i, kw in enumerate([{}, {"correct": False}, {"hints": 2}, {}, {"kind": "skip",
                                                                        "correct": False}]):
            clock[0] += 3 * DAY
            store.record(answer(f"ex{i}", session=session, **kw))
            store.record(answer(f"ex{i}", session=session))  # retries: not reviews
        live = {k: c.to_dict() for k, c in store.cards().items()}
        rows = store.conn.execute(progress._HISTORY).fetchall()
    assert {k: c.to_dict() for k, c in cards_from_history(rows).items()} == live


# ── migration of a database made by the Leitner-box version ──────────────────────────────
def _migrated_copy(tmp_path) -> Path:
    path = tmp_path / "progress.sqlite3"
    shutil.copy(FIXTURE, path)
    return path


def test_the_fixture_is_a_schema_2_database_with_boxes():
    conn = sqlite3.connect(f"file:{FIXTURE}?mode=ro", uri=True)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 2
    assert conn.execute("SELECT COUNT(*) FROM boxes").fetchone()[0] == 6
    conn.close()


def test_a_leitner_database_migrates_to_fsrs_cards_from_its_history(tmp_path):
    path = _migrated_copy(tmp_path)
    before = sqlite3.connect(path).execute("SELECT * FROM attempts ORDER BY id").fetchall()
    with ProgressStore(path) as store:
        assert store.version() == SCHEMA_VERSION == 3
        after = store.conn.execute("SELECT * FROM attempts ORDER BY id").fetchall()
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        cards = store.cards()
        schedule = {s.skill: s for s in store.schedule(now=1_780_000_000.0 + 7 * DAY)}
    assert after == before  # every attempt kept, unchanged
    assert "boxes" not in tables and "cards" in tables
    assert set(cards) == {"chain-rule", "basic-rules", "product-rule", "activations"}
    # rules/product: wrong first (Again), then the solution in the same session (no review)
    # rules/polynomial: right first try (Good) -> product-rule is due long before basic-rules
    assert cards["product-rule"].due < cards["basic-rules"].due
    assert cards["product-rule"].stability < cards["basic-rules"].stability
    # chain-rule: last reviewed by the last graded chain-rule answer (session 3)
    (last,) = sqlite3.connect(path).execute(
        "SELECT MAX(created) FROM attempts WHERE skill = 'chain-rule' AND session = 3"
        " AND kind != 'checkpoint'").fetchone()
    assert cards["chain-rule"].last_review.timestamp() == pytest.approx(last)
    assert all(0 <= s.retrievability <= 1 for s in schedule.values())
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_migration_is_replayed_the_same_way_as_live_reviews(tmp_path):
    path = _migrated_copy(tmp_path)
    rows = sqlite3.connect(path).execute(progress._HISTORY).fetchall()
    with ProgressStore(path) as store:
        stored = {k: c.to_dict() for k, c in store.cards().items()}
    assert {k: c.to_dict() for k, c in cards_from_history(rows).items()} == stored


def test_a_migrated_database_keeps_recording(tmp_path):
    path = _migrated_copy(tmp_path)
    with ProgressStore(path) as store:
        before = store.cards()["product-rule"]
        store.record(answer("product", skill="product-rule", lesson="rules"))
        after = store.cards()["product-rule"]
        assert store.count_attempts() == 12
    assert after.last_review > before.last_review and after.due > before.due


def test_progress_json_on_a_migrated_database(tmp_path):
    _migrated_copy(tmp_path)
    env = {**os.environ, "CALCTUTOR_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "calctutor", "progress", "--json"],
                         capture_output=True, text=True, env=env, check=True)
    doc = json.loads(out.stdout)
    for row in doc["lessons"]:  # the CLI.md contract
        assert {"name", "attempts", "correct", "mastery"} <= set(row)
    lessons = {row["name"]: row for row in doc["lessons"]}
    assert lessons["chain-rule"]["attempts"] == 6 and lessons["chain-rule"]["correct"] == 4
    due = {d["skill"]: d for d in doc["due"]}
    assert set(due) == {"chain-rule", "basic-rules", "product-rule", "activations"}
    from datetime import datetime

    for d in doc["due"]:
        moment = datetime.fromisoformat(d["due"])
        assert moment.utcoffset() == timedelta(0)
        assert d["due_now"] is True  # the fixture is from May 2026: everything is overdue
        assert doc["retrievability"][d["skill"]] == d["retrievability"]
        assert 0 <= d["retrievability"] <= 1
    assert [d["due"] for d in doc["due"]] == sorted(d["due"] for d in doc["due"])
    assert {p["exercise"] for p in doc["practise"]} >= {"product", "three-layers"}
    skills = {s["name"]: s for s in doc["skills"]}
    assert skills["chain-rule"]["retrievability"] == doc["retrievability"]["chain-rule"]


def test_progress_text_says_what_is_due_and_the_recall(tmp_path):
    _migrated_copy(tmp_path)
    env = {**os.environ, "CALCTUTOR_HOME": str(tmp_path)}
    out = subprocess.run([sys.executable, "-m", "calctutor", "progress", "--plain"],
                         capture_output=True, text=True, env=env, check=True).stdout
    assert "review schedule" in out
    line = next(line for line in out.splitlines() if line.strip().startswith("product-rule")
                and "recall" in line)
    assert "due now" in line and "%" in line
    assert "practise now: rules/product" in out


def test_when_says_now_or_how_long_and_the_date():
    from datetime import datetime, timezone

    from calctutor.render.progress import when

    now = datetime(2026, 12, 1, 12, 0, tzinfo=timezone.utc)
    assert when(now - timedelta(hours=1), now) == "now"
    assert when(now + timedelta(days=3), now) == "in 3 days (2026-12-04 12:00 UTC)"
    assert when(now + timedelta(minutes=10), now) == "in 10 minutes (2026-12-01 12:10 UTC)"
    assert when(now + timedelta(hours=1), now) == "in 1 hour (2026-12-01 13:00 UTC)"
