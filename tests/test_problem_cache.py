"""Per-problem work is done once and shared by every answer, without changing a verdict."""

from __future__ import annotations

import pytest

from calctutor.commands.batch import _choose, _problem_key
from calctutor.commands.check import run_check, verdict_document
from calctutor.grading import expected, mutations, problem


@pytest.fixture(autouse=True)
def fresh_problems():
    problem.clear()
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
    def __init__(self, problems=()):
        self.problems = {_problem_key(_row(f)) for f in problems}


def _row(function):
    return {"function": function, "variable": "x", "order": 1, "task": "derivative",
            "answer": "0"}


def test_a_worker_takes_the_rows_of_the_problems_it_prepared_first():
    waiting = [(i, _row(f)) for i, f in enumerate(["a", "b", "c", "b"])]
    mine, other = _FakeWorker(["b"]), _FakeWorker(["a"])
    assert _choose(waiting, mine, [mine, other]) == 1  # its own problem, though not oldest
    fresh = _FakeWorker()
    assert _choose(waiting, fresh, [fresh, mine, other]) == 2  # a problem nobody prepared
    busy = [(0, _row("a")), (1, _row("b"))]
    assert _choose(busy, fresh, [fresh, mine, other]) == 0  # else the oldest row
