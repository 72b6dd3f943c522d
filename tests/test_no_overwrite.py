"""Files the learner names are never overwritten without --force (or ``:save F --force``
in the REPL), and are written whole: a failed write leaves the old file as it was."""

from __future__ import annotations

import pytest
from conftest import run_cli

from calctutor.errors import CalcError
from calctutor.files import check_target, write_whole
from calctutor.repl.handlers import handle_line
from calctutor.repl.registry import REGISTRY
from calctutor.repl.state import Context, ReplState
from calctutor.repl.transcript import Transcript, plain_text

OLD = "a teacher's notes\n"


@pytest.mark.parametrize("args", [
    ("plot", "x^2"),
    ("taylor", "sin(x)", "--at", "0", "--order", "3", "--plot"),
    ("limit", "sin(x)/x", "--at", "0", "--plot"),
])
def test_save_refuses_an_existing_file_before_any_work(tmp_path, args):
    target = tmp_path / "picture.txt"
    target.write_text(OLD)
    out = run_cli(*args, "--save", str(target), "--plain")
    assert out.returncode == 2
    assert "already exists" in out.stderr and "--force" in out.stderr
    assert target.read_text() == OLD
    forced = run_cli(*args, "--save", str(target), "--plain", "--force")
    assert forced.returncode == 0, forced.stderr
    assert target.read_text() != OLD and target.read_text().strip()


def test_save_onto_a_folder_is_a_clean_error(tmp_path):
    out = run_cli("plot", "x^2", "--save", str(tmp_path), "--plain")
    assert out.returncode == 2 and "Traceback" not in out.stderr


@pytest.fixture
def ctx():
    return Context(state=ReplState(), registry=REGISTRY, transcript=Transcript())


def _said(replies) -> str:
    return "\n".join(plain_text(r) for r in replies)


def test_repl_save_asks_for_force_to_replace_a_file(ctx, tmp_path):
    target = tmp_path / "session.md"
    target.write_text(OLD)
    handle_line(ctx, ":parse x^2")
    refused = _said(handle_line(ctx, f":save {target}"))
    assert "already exists" in refused and "--force" in refused
    assert target.read_text() == OLD
    assert "saved" in _said(handle_line(ctx, f":save {target} --force"))
    assert "calctutor session" in target.read_text()


def test_a_failed_write_leaves_the_old_file_and_no_temporary_one(tmp_path):
    target = tmp_path / "report.md"
    target.write_text(OLD)

    def half_then_fail(temp):
        temp.write_text("half")
        raise OSError(28, "No space left on device")

    with pytest.raises(CalcError, match="No space left"):
        write_whole(check_target(target, force=True), half_then_fail)
    assert target.read_text() == OLD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md"]


def test_the_target_is_checked_for_its_folder_and_kind(tmp_path):
    with pytest.raises(CalcError, match="does not exist"):
        check_target(tmp_path / "missing" / "f.md", force=False)
    with pytest.raises(CalcError, match="is a folder"):
        check_target(tmp_path, force=True)
    assert check_target(tmp_path / "new.md", force=False) == tmp_path / "new.md"
