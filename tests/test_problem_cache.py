"""Per-problem work is done once and shared by every answer, without changing a verdict."""

from __future__ import annotations

import os

import pytest

from calctutor.commands.batch import _choose, _problem_key
from calctutor.commands.check import run_check, verdict_document
from calctutor.grading import expected, mutations, problem


@pytest.fixture(autouse=True)
def fresh_problems():
    from calctutor.commands import batch

    problem.clear()
    batch._answer_cache.clear()  # rows graded by other tests in this process
    yield
    problem.clear()


def _counting(monkeypatch, module, name):
    calls = []
    original = getattr(module, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, counted)
    return calls


ANSWERS = ["2x cos(x^2)", "2*x*cos(x^2)", "cos(x^2)", "2x sin(x^2)", "-2x cos(x^2)", "x cos(x^2)"]


def test_the_expected_derivative_and_slip_plan_are_prepared_once_per_problem(monkeypatch):
    derived = _counting(monkeypatch, expected, "expected_derivative")
    planned = _counting(monkeypatch, mutations, "planned_slips")
    for answer in ANSWERS:
        run_check("sin(x^2)", answer)
    assert len(derived) == 1
    assert len(planned) == 1
    run_check("sin(x^2)", "2x", order=2)  # another order is another problem
    assert len(derived) == 2


def test_a_slip_is_replayed_once_for_every_answer_that_needs_it(monkeypatch):
    replays = _counting(monkeypatch, mutations, "replay")
    run_check("sin(x^2)", "17x^5")  # explained by no slip: every slip is replayed
    first = len(replays)
    assert first > 0
    run_check("sin(x^2)", "3x^7 + 1")
    assert len(replays) == first


@pytest.mark.parametrize("function", ["sin(x^2)", "x^2 e^(3x)", "ln(x^2 + 1)", "(2x^3 + 3)^2"])
def test_shared_work_gives_the_same_verdicts_as_fresh_work(function):
    answers = ["2x cos(x^2)", "cos(x^2)", "2x e^(3x)", "2x/(x^2 + 1)", "1/(x^2 + 1)",
               "2(2x^3 + 3)", "12 x^2 (2x^3 + 3)"]
    warm = [_decided(run_check(function, a)) for a in answers]
    cold = []
    for answer in answers:
        problem.clear()
        cold.append(_decided(run_check(function, answer)))
    assert warm == cold


def _decided(verdict) -> dict:
    """What a verdict says, without the witnesses' reports (their time budgets may end a
    normalisation earlier on a loaded machine)."""
    doc = verdict_document(verdict)
    return {k: doc.get(k) for k in ("correct", "expected", "mistake", "mistakes", "message",
                                    "counterexample", "diagnosis", "form", "notes")}


def test_the_caches_stay_bounded():
    for n in range(problem.MAX_PROBLEMS + 20):
        problem.expected_derivative(*_parsed(f"x^{n + 2}"), "x", 1)
    assert len(problem._expected.items) == problem.MAX_PROBLEMS


def _parsed(text):
    from calctutor.parsing import parse

    return (parse(text),)


class _FakeWorker:
    def __init__(self, problems=(), busy_with=None):
        self.problems = {_problem_key(_row(f)) for f in problems}
        self.task = None if busy_with is None else 0
        self.current = None if busy_with is None else _problem_key(_row(busy_with))


def _row(function):
    return {"function": function, "variable": "x", "order": 1, "task": "derivative",
            "answer": "0"}


def test_a_worker_takes_the_rows_of_the_problems_it_prepared_first():
    waiting = [(i, _row(f)) for i, f in enumerate(["a", "b", "c", "b"])]
    mine, other = _FakeWorker(["b"]), _FakeWorker(["a"])
    assert _choose(waiting, mine, [mine, other]) == 1  # its own problem, though not oldest
    fresh = _FakeWorker()
    assert _choose(waiting, fresh, [fresh, mine, other]) == 2  # a problem nobody prepared
    prepared = [(0, _row("a")), (1, _row("b"))]
    assert _choose(prepared, fresh, [fresh, mine, other]) == 0  # else the oldest row


def test_a_worker_waits_for_the_problem_another_is_preparing_then_takes_its_seed():
    waiting = [(0, _row("a")), (1, _row("a"))]
    preparing, idle = _FakeWorker(["a"], busy_with="a"), _FakeWorker()
    assert _choose(waiting, idle, [idle, preparing]) is None  # wait: its result is the seed
    known = {_problem_key(_row("a")): "2*x"}
    assert _choose(waiting, idle, [idle, preparing], known) == 0  # seeded now
    finished = _FakeWorker(["a"])  # not busy: nothing to wait for
    assert _choose(waiting, idle, [idle, finished]) == 0


def test_a_worker_seeded_with_the_expected_derivative_does_not_derive_it(monkeypatch):
    from calctutor.commands.batch import EXPECTED_KEY, grade_row

    derived = _counting(monkeypatch, expected, "expected_derivative")
    first = grade_row({"id": 1, "function": "x^2 sin(x)", "answer": "2x sin(x)"})
    assert len(derived) == 1
    problem.clear()
    seeded = grade_row({"id": 2, "function": "x^2 sin(x)", "answer": "2x sin(x)",
                        EXPECTED_KEY: first["expected"]})
    assert len(derived) == 1  # taken from the seed
    assert {k: seeded[k] for k in ("correct", "expected", "mistake")} == \
        {k: first[k] for k in ("correct", "expected", "mistake")}


def test_a_seed_that_does_not_read_back_is_ignored(monkeypatch):
    from calctutor.commands.batch import EXPECTED_KEY, grade_row

    derived = _counting(monkeypatch, expected, "expected_derivative")
    doc = grade_row({"id": 1, "function": "x^3", "answer": "3x^2", EXPECTED_KEY: "3 x ^ 2"})
    assert len(derived) == 1 and doc["correct"]  # the odd text was not trusted


def test_workers_share_each_problem_s_expected_derivative(monkeypatch, tmp_path):
    """One problem, many distinct answers, two workers: the derivation is done once."""
    from calctutor.commands.batch import grade_rows

    log = tmp_path / "derived.log"
    original = expected.expected_derivative

    def logged(*args, **kwargs):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return original(*args, **kwargs)

    monkeypatch.setattr(expected, "expected_derivative", logged)
    rows = [{"id": n, "function": "x^2 sin(x)", "answer": f"{n}x sin(x)"} for n in range(12)]
    docs = list(grade_rows(rows, jobs=2))
    assert [d["id"] for d in docs] == list(range(12))
    assert all("error" not in d for d in docs)
    # the warm-up row (x^2) is derived in the parent; the problem once, in one worker
    workers = [line for line in log.read_text().split() if int(line) != os.getpid()]
    assert len(workers) == 1
