"""A read-only or full disk never ends a lesson or loses saved history."""

from __future__ import annotations

import sqlite3

import pytest

from calctutor.progress import Attempt, ProgressStore


def _attempt(n: int) -> Attempt:
    return Attempt(lesson="chain-rule", exercise=f"e{n}", answer="2x", correct=True)


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "progress.sqlite3"
    with ProgressStore(path) as store:
        store.record(_attempt(1))
        store.record(_attempt(2))
    return path


def test_a_write_that_fails_turns_saving_off_once_and_keeps_what_was_saved(saved, monkeypatch):
    notes = []
    store = ProgressStore(saved, notify=notes.append)

    def full_disk(attempt):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_record", full_disk)
    assert store.record(_attempt(3)) == 0
    assert store.record(_attempt(4)) == 0
    assert store.start_session("chain-rule", 1) >= 0
    assert len(notes) == 1 and "disk is full" in notes[0]
    assert "move" not in notes[0] and "aside" not in notes[0]
    store.close()
    with ProgressStore(saved) as again:
        assert again.count_attempts() == 2


def test_a_database_that_cannot_be_opened_for_writing_falls_back(tmp_path):
    notes = []
    store = ProgressStore(tmp_path / "missing-folder" / "progress.sqlite3", notify=notes.append)
    store.record(_attempt(1))
    assert store.unsaved_reason and len(notes) == 1
    assert store.count_attempts() == 0


def test_a_damaged_file_is_not_advised_away(tmp_path):
    from calctutor.errors import CalcError

    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(CalcError) as caught:
        ProgressStore(path)
    assert "has not changed" in caught.value.hint
    assert path.read_bytes() == b"this is not sqlite" * 100
