"""Batch grading loses nothing: each bad record is its own error line, the output file is
never overwritten, torn or confused with the input, a killed batch resumes, and no
worker outlives the batch."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from calctutor.commands.batch import grade_rows, read_rows

GOOD = b'{"id": "g", "function": "x^2", "answer": "2x"}\n'


def _cli(*args, stdin=None, home=None):
    env = dict(os.environ)
    if home is not None:
        env["CALCTUTOR_HOME"] = str(home)
    return subprocess.run([sys.executable, "-m", "calctutor", *args], capture_output=True,
                          input=stdin, env=env, timeout=300)


def _docs(text: bytes | str) -> list[dict]:
    if isinstance(text, bytes):
        text = text.decode("utf-8")
    return [json.loads(line) for line in text.split("\n") if line]


BAD_RECORDS = [
    (b'{"id": NaN, "function": "x^2", "answer": "2x"}\n', None, "NaN"),
    (b'{"id": Infinity, "function": "x^2", "answer": "2x"}\n', None, "Infinity"),
    (b'{"id": 1, "function": "x^2", "answer": "2x", "extra": ' + b"[" * 5000 + b"]" * 5000
     + b"}\n", None, "nested"),
    (b'{"id": 2, "function": "x^2", "answer": "\xff2x"}\n', None, "UTF-8"),
    (b'{"id": "\\ud800", "function": "x^2", "answer": "2x"}\n', "id", "surrogate"),
    (b'{"id": 3, "function": true, "answer": "2x"}\n', "function", "string"),
    (b'{"id": 4, "function": "x^2", "answer": "2x", "variable": "x y"}\n', "variable", "name"),
    (b'{"id": 5, "function": "x^2", "answer": "2x", "variable": 123}\n', "variable", "name"),
    (b'{"id": 6, "function": "x^2", "answer": "2x", "variable": " "}\n', "variable", "name"),
    (b'{"id": 7, "function": "x^2", "answer": "2x", "order": -1}\n', "order", "order"),
    (b'{"id": 8, "function": "x^2", "answer": "2x", "order": 1.5}\n', "order", "whole"),
    (b'{"id": 9, "function": "x^2", "answer": "2x", "order": 1e400}\n', None, "too large"),
    (b'[1, 2]\n', None, "object"),
]


@pytest.mark.parametrize("record,field,words", BAD_RECORDS)
def test_a_bad_record_is_its_own_error_line_and_the_batch_goes_on(tmp_path, record, field, words):
    path = tmp_path / "answers.jsonl"
    path.write_bytes(GOOD + record + GOOD)
    records = read_rows(path)
    assert len(records) == 3
    bad = records[1]
    assert bad.row is None and words in bad.error
    assert bad.field == field and bad.line == 2
    assert records[0].row is not None and records[2].row is not None


@pytest.mark.parametrize("separator", ["\u2028", "\u0085", "\x0c"])
def test_only_newline_ends_a_json_lines_record(tmp_path, separator):
    record = json.dumps({"id": "s", "function": "x^2", "answer": "2x" + separator},
                        ensure_ascii=False).encode("utf-8") + b"\n"
    path = tmp_path / "answers.jsonl"
    path.write_bytes(record + GOOD)
    records = read_rows(path)
    assert [r.line for r in records] == [1, 2]
    assert records[0].row["id"] == "s"


def test_a_bom_does_not_spoil_the_first_row(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD + GOOD)
    assert all(r.row is not None for r in read_rows(path))
    csv_path = tmp_path / "answers.csv"
    csv_path.write_bytes(b"\xef\xbb\xbfid,function,answer\n1,x^2,2x\n")
    assert read_rows(csv_path)[0].row["id"] == "1"


def test_csv_bad_bytes_and_huge_fields_are_row_errors(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_bytes(b"id,function,answer\n1,x^2,2x\n2,x^2,\xff\n3,x^2," + b"x" * 200_000
                     + b"\n4,x^2,2x\n")
    records = read_rows(path)
    assert [r.row is not None for r in records] == [True, False, False, True]
    assert "UTF-8" in records[1].error and "too long" in records[2].error


def test_order_zero_is_order_zero():
    docs = list(grade_rows([{"id": 1, "function": "x^2", "answer": "2x", "order": 0},
                            {"id": 2, "function": "x^2", "answer": "x^2", "order": 0}], jobs=1))
    assert docs[0]["correct"] is False and docs[1]["correct"] is True


def test_identical_and_equal_answers_keep_their_own_ids_and_order():
    rows = [{"id": i, "function": "sin(x^2)", "answer": a}
            for i, a in enumerate(["2x cos(x^2)", "2*x*cos(x^2)", "cos(x^2)", "2x cos(x^2)"] * 3)]
    docs = list(grade_rows(rows, jobs=2))
    assert [d["id"] for d in docs] == list(range(12))
    assert [d["correct"] for d in docs] == [True, True, False, True] * 3


def test_a_directory_as_input_is_a_clean_error(tmp_path):
    done = _cli("check", "--batch", str(tmp_path), home=tmp_path)
    assert done.returncode == 2 and b"folder" in done.stderr and b"Traceback" not in done.stderr


def test_stdin_input_with_format_detection(tmp_path):
    done = _cli("check", "--batch", "-", stdin=b"id,function,answer\n1,x^3,3x^2\n", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert _docs(done.stdout)[0]["correct"] is True


def test_the_output_may_not_be_the_input_and_is_not_overwritten(tmp_path):
    path = tmp_path / "answers.jsonl"
    path.write_bytes(GOOD)
    same = _cli("check", "--batch", str(path), "--output", str(path), home=tmp_path)
    assert same.returncode == 2 and b"input file" in same.stderr
    assert path.read_bytes() == GOOD
    out = tmp_path / "results.jsonl"
    out.write_text("earlier results\n")
    again = _cli("check", "--batch", str(path), "--output", str(out), home=tmp_path)
    assert again.returncode == 2 and b"--force" in again.stderr
    assert out.read_text() == "earlier results\n"
    forced = _cli("check", "--batch", str(path), "--output", str(out), "--force", home=tmp_path)
    assert forced.returncode == 0 and _docs(out.read_bytes())[0]["correct"] is True


@pytest.mark.parametrize("target", ["missing/results.jsonl", ".", "/dev/full"])
def test_unwritable_outputs_are_one_clean_line(tmp_path, target):
    path = tmp_path / "answers.jsonl"
    path.write_bytes(GOOD)
    where = target if target.startswith("/") else str(tmp_path / target)
    done = _cli("check", "--batch", str(path), "--output", where, home=tmp_path)
    assert done.returncode == 2
    assert b"Traceback" not in done.stderr and b"error:" in done.stderr


def test_resume_cuts_a_torn_line_and_ends_with_one_line_per_record(tmp_path):
    rows = [json.dumps({"id": i, "function": "x^2", "answer": "2x"}) for i in range(6)]
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(rows) + "\n")
    out = tmp_path / "results.jsonl"
    out.write_text(json.dumps({"id": 0, "correct": True}) + "\n" + '{"id": 1, "corr')
    done = _cli("check", "--batch", str(path), "--output", str(out), "--resume", home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert [d["id"] for d in _docs(out.read_bytes())] == list(range(6))


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[-1].split()[0] != "Z"
    except OSError:
        return False


def _children_of(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    if int(stat.read().rsplit(")", 1)[-1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    return found


def test_kill_9_of_a_two_worker_batch_leaves_no_worker_and_resumes_exactly(tmp_path):
    functions = ["sin(x^2)", "x^3 exp(x)", "ln(x^2 + 1)", "tan(x) x"]
    rows = [json.dumps({"id": i, "function": functions[i % 4], "answer": f"{i}*x"})
            for i in range(40)]
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(rows) + "\n")
    out = tmp_path / "results.jsonl"
    argv = [sys.executable, "-m", "calctutor", "check", "--batch", str(path), "--jobs", "2",
            "--output", str(out), "--resume"]
    env = dict(os.environ, CALCTUTOR_HOME=str(tmp_path))
    batch = subprocess.Popen(argv, env=env, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    for _ in range(1200):
        workers = _children_of(batch.pid)
        if len(workers) >= 2 and out.exists() and out.stat().st_size > 0:
            break
        time.sleep(0.05)
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait(timeout=60)
    assert workers, "the batch never started its workers"
    for _ in range(200):
        if not any(_alive(w) for w in workers):
            break
        time.sleep(0.05)
    assert not any(_alive(w) for w in workers), "a worker outlived the killed batch"
    rerun = subprocess.run(argv, env=env, capture_output=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr
    assert [d["id"] for d in _docs(out.read_bytes())] == list(range(40))


def _class_file(tmp_path):
    rows = []
    answers = {"sin(x^2)": ["2x cos(x^2)", "cos(x^2)"], "ln(x^2+1)": ["2x/(x^2+1)", "1/(x^2+1)"]}
    for s in range(4):
        for fn, options in answers.items():
            rows.append({"id": f"{s}{fn}", "student": f"s{s}", "function": fn,
                         "answer": options[s % 2]})
    rows.append({"id": "bad", "student": "s0", "function": "sin(x^2)", "answer": "2x +* 1"})
    path = tmp_path / "class.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    return path


@pytest.mark.parametrize("suffix", [".md", ".html", ".csv"])
def test_the_teachers_report_per_problem_and_learner(tmp_path, suffix):
    path = _class_file(tmp_path)
    report = tmp_path / f"report{suffix}"
    out = tmp_path / "out.jsonl"
    done = _cli("check", "--batch", str(path), "--output", str(out), "--report", str(report),
                home=tmp_path)
    assert done.returncode == 0, done.stderr
    text = report.read_text()
    assert "missing_chain_factor" in text and "cos(x^2)" in text and "1/(x^2+1)" in text
    assert "s3" in text  # the learners
    if suffix == ".md":
        assert "50% correct, 1 could not be read" in text
    if suffix == ".html":
        assert "<svg" in text and "Mistakes per problem" in text
    docs = _docs(out.read_bytes())
    assert [d.get("student") for d in docs][:2] == ["s0", "s0"]


def test_a_report_over_several_shards_without_regrading(tmp_path):
    path = _class_file(tmp_path)
    lines = path.read_text().splitlines(keepends=True)
    shards = []
    for n, piece in enumerate((lines[:4], lines[4:])):
        shard = tmp_path / f"shard{n}.jsonl"
        shard.write_text("".join(piece))
        out = tmp_path / f"shard{n}.out.jsonl"
        assert _cli("check", "--batch", str(shard), "--output", str(out),
                    home=tmp_path).returncode == 0
        shards.append(out)
    report = tmp_path / "all.md"
    done = _cli("check", "--results", f"{shards[0]},{shards[1]}", "--report", str(report),
                home=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "9 answers, 2 problems, 4 learners" in report.read_text()


def test_a_resumed_batch_summarises_every_row_not_only_the_new_ones(tmp_path):
    from conftest import run_cli

    rows = [json.dumps({"id": i, "student": f"s{i % 2}", "function": "x^2",
                        "answer": "2x" if i % 3 else "x"}) for i in range(6)]
    path = tmp_path / "answers.jsonl"
    path.write_text("\n".join(rows) + "\n")
    whole = tmp_path / "whole.jsonl"
    first = run_cli("check", "--batch", str(path), "--output", str(whole), "--plain",
                    env={"CALCTUTOR_HOME": str(tmp_path)})
    assert first.returncode == 0, first.stderr
    part = tmp_path / "part.jsonl"
    part.write_text("".join(whole.read_text().splitlines(keepends=True)[:3]))
    resumed = run_cli("check", "--batch", str(path), "--output", str(part), "--resume",
                      "--plain", env={"CALCTUTOR_HOME": str(tmp_path)})
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed: 3 rows" in resumed.stderr
    summary = lambda text: text[text.index("batch summary"):]  # noqa: E731
    assert summary(resumed.stderr) == summary(first.stderr)  # 6 rows, 4 right, 2 slips
    assert "power_rule (2)" in resumed.stderr
