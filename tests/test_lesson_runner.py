"""The lesson runner driven in-process (answers from a stream), and through a pipe."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from conftest import run_cli
from rich.console import Console

from calctutor.lessons.loader import load_lesson
from calctutor.lessons.practice import chain_links
from calctutor.termio import StreamIO
from calctutor.tutor.session import graph_links, run_lesson
from calctutor.lessons.templates import draw
from calctutor.parsing import to_input
from calctutor.progress import ProgressStore


def session(slug, seed, lines, tmp_path):
    out = io.StringIO()
    console = Console(file=out, width=100, no_color=True, highlight=False, emoji=False)
    stream = io.StringIO("".join(line + "\n" for line in lines))
    with ProgressStore(tmp_path / "p.sqlite3") as store:
        report = run_lesson(slug, seed, StreamIO(stream, console), store=store)
        attempts = store.attempts()
    return report, out.getvalue(), attempts


def problem(slug, exercise_id, seed):
    return draw(slug, load_lesson(slug).exercise(exercise_id), seed)


def test_right_wrong_hint_skip_and_quit_are_graded_and_recorded(tmp_path):
    first = problem("chain-rule", "sin-linear", 5)
    inner = first.function.args[0]
    dropped = f"cos({to_input(inner)})"
    lines = [dropped, first.expected_text, "hint", "hint", "skip", "quit"]
    report, text, attempts = session("chain-rule", 5, lines, tmp_path)
    assert "missing chain factor" in text
    assert "dropped the inner derivative" in text
    assert "Correct" in text
    assert "(hint 1/" in text and "(hint 2/" in text
    assert report.quit
    assert [o.status for o in report.outcomes[:2]] == ["correct", "skipped"]
    assert report.outcomes[0].tries == 2 and report.outcomes[0].mistakes == ["missing_chain_factor"]
    assert report.outcomes[1].hints == 2
    kinds = [(a["exercise"], a["kind"], a["correct"], a["mistake"]) for a in attempts]
    assert kinds == [("sin-linear", "answer", 0, "missing_chain_factor"),
                     ("sin-linear", "answer", 1, None),
                     ("outer-inner-steps", "skip", 0, None)]
    assert attempts[2]["hints"] == 2
    assert "Summary" in text and "1 of 3 exercises answered right" in text


def test_chain_checkpoints_grade_each_layer_against_the_step_tree(tmp_path):
    three = problem("chain-rule", "three-layers", 2)
    assert to_input(three.structure).startswith("sin((")
    links = chain_links(three)
    assert [link.what for link in links] == ["df/du", "du/dv", "dv/dx"]
    a = three.values["a"]
    assert links[0].grade("cos(u)").correct
    assert links[0].grade(f"cos({a ** 2}x^2)").correct  # the same, written in x
    assert not links[0].grade("-cos(u)").correct
    assert links[1].grade("2v").correct
    assert not links[1].grade("v^2").correct
    assert links[2].grade(str(a)).correct

    second = problem("chain-rule", "outer-inner-steps", 2)
    second_links = chain_links(second)
    inner = second.function.args[0]
    lines = ["skip",  # exercise 1
             "exp(u)", to_input(inner.diff(second.wrt)), second.expected_text,  # exercise 2
             "cos(u)", "v^2", "hint", "2v", str(a), three.expected_text,  # exercise 3
             "quit"]
    assert len(second_links) == 2
    report, text, attempts = session("chain-rule", 2, lines, tmp_path)
    assert [o.status for o in report.outcomes[:3]] == ["skipped", "correct", "correct"]
    assert "du/dv:" in text and "✗ du/dv" in text  # the slip is caught at its own step
    checkpoints = [a for a in attempts if a["kind"] == "checkpoint"]
    assert [c["correct"] for c in checkpoints] == [1, 1, 1, 0, 1, 1]
    assert report.outcomes[2].checkpoints == 4 and report.outcomes[2].hints == 1


def test_graph_checkpoints_ask_each_edge_then_the_adjoint(tmp_path):
    neuron = problem("backprop", "neuron-edges", 4)
    w, x = neuron.point.values()
    links, result = graph_links(neuron)
    assert [link.what for link in links] == ["dL/dg", "dg/dw"]
    assert links[0].grade(str(2 * w * x)).correct
    assert links[0].grade("2g").correct  # a formula in the node names, at the forward values
    assert not links[0].grade(str(w * x)).correct
    assert links[1].grade(str(x)).correct
    lines = [str(2 * w * x), str(x), str(2 * w * x * x), "quit"]
    report, text, attempts = session("backprop", 4, lines, tmp_path)
    assert "forward pass" in text
    assert report.outcomes[0].status == "correct" and report.outcomes[0].first_try
    assert neuron.expected == 2 * w * x * x


def test_the_textbook_neuron_gives_24():
    lesson = load_lesson("backprop")
    for seed in range(200):
        p = draw("backprop", lesson.exercise("neuron-edges"), seed)
        if [int(v) for v in p.point.values()] == [3, 2]:
            assert p.expected == 24
            return
    pytest.fail("no seed drew w = 3, x = 2")


def test_solution_shows_the_live_derivation_and_ends_the_exercise(tmp_path):
    report, text, attempts = session("chain-rule", 9, ["solution", "quit"], tmp_path)
    assert "calctutor diff" in text and "chain rule" in text
    assert report.outcomes[0].status == "solution"
    assert attempts[0]["kind"] == "solution"


def test_a_typo_is_shown_with_a_caret_and_not_counted(tmp_path):
    first = problem("chain-rule", "sin-linear", 1)
    report, text, attempts = session("chain-rule", 1, ["cos(3x", first.expected_text, "quit"],
                                     tmp_path)
    assert "I could not read that" in text and "^" in text
    assert report.outcomes[0].tries == 1 and report.outcomes[0].first_try
    assert len(attempts) == 1


def test_missed_exercises_come_back_as_a_review_in_another_lesson(tmp_path):
    session("rules", 1, ["skip", "quit"], tmp_path)
    report, text, attempts = session("taylor", 1, ["quit"], tmp_path)
    assert report.outcomes[0].review and report.outcomes[0].lesson == "rules"
    assert "review: Differentiation rules" in text


def test_end_of_input_ends_the_lesson_cleanly(tmp_path):
    report, text, attempts = session("activations", 3, [], tmp_path)
    assert report.quit and "Summary" in text


def test_piped_answers_run_a_whole_lesson_from_the_command_line(tmp_path):
    p = problem("slopes-and-limits", "quadratic-slope", 12)
    env = {**os.environ, "CALCTUTOR_HOME": str(tmp_path), "NO_COLOR": "1", "COLUMNS": "100"}
    answers = f"{p.expected_text}\nskip\nsolution\nquit\n"
    out = subprocess.run([sys.executable, "-m", "calctutor", "lesson", "slopes-and-limits",
                          "--seed", "12"], input=answers, capture_output=True, text=True,
                         env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    assert f"answer> {p.expected_text}" in out.stdout
    assert "Correct" in out.stdout and "Summary" in out.stdout
    with ProgressStore(tmp_path / "progress.sqlite3") as store:
        kinds = [a["kind"] for a in store.attempts()]
    assert kinds == ["answer", "skip", "solution"]


def test_an_unknown_lesson_is_a_clean_error_with_a_suggestion(tmp_path):
    out = run_cli("lesson", "chain-rul", env={"CALCTUTOR_HOME": str(tmp_path)}, stdin="")
    assert out.returncode == 2
    assert "no lesson called 'chain-rul'" in out.stderr and "chain-rule" in out.stderr
    assert "Traceback" not in out.stderr


def test_command_words_are_commands_never_graded_answers(tmp_path):
    # "clear" means nothing in a lesson (a note, not a wrong answer); "idk" is a hint and
    # "next" moves on, like skip. None of them is read as a product of letters.
    lines = ["clear", "idk", "next", "quit"]
    report, text, attempts = session("chain-rule", 5, lines, tmp_path)
    assert "'clear' does nothing here" in text
    first = report.outcomes[0]
    assert first.tries == 0 and first.mistakes == [] and first.hints == 1
    assert first.status == "skipped"
    assert [(a["kind"], a["answer"]) for a in attempts] == [("skip", "(skip)")]
