"""End-to-end: the installed calctutor runs the chain-rule lesson in a pseudo-terminal, as
a learner would see it (prompt_toolkit input, Rich output)."""

from __future__ import annotations

import json
import os
import subprocess

import pexpect
import pytest
from conftest import calctutor_command, spawn_lesson

from calctutor.lessons.loader import load_lesson
from calctutor.lessons.templates import draw
from calctutor.parsing import to_input

pytestmark = pytest.mark.e2e
SEED = 5


def command() -> list[str]:
    return calctutor_command()


def test_chain_rule_lesson_in_a_terminal(tmp_path):
    first = draw("chain-rule", load_lesson("chain-rule").exercise("sin-linear"), SEED)
    dropped = f"cos({to_input(first.function.args[0])})"
    child, log = spawn_lesson(tmp_path, SEED)
    try:
        child.expect_exact("The chain rule")
        child.expect_exact("> ")  # the pause after the first page
        child.sendline("exercises")
        child.expect_exact("Exercise 1/6")
        child.expect_exact("answer> ")
        child.sendline(dropped)  # the inner factor dropped
        child.expect_exact("missing chain factor")
        child.expect_exact("answer> ")
        child.sendline(first.expected_text)
        child.expect_exact("Correct")
        child.expect_exact("Exercise 2/6")
        child.expect_exact("df/du> ")
        child.sendline("hint")
        child.expect_exact("(hint 1/2)")
        child.expect_exact("df/du> ")
        child.sendline("exp(u)")
        child.expect_exact("✓")
        child.expect_exact("du/dx> ")
        child.sendline("quit")
        child.expect_exact("Summary")
        child.expect(pexpect.EOF)
    except (pexpect.TIMEOUT, pexpect.EOF):
        pytest.fail("the lesson did not behave as expected; terminal log:\n" + str(log))
    child.close()
    assert child.exitstatus == 0, str(log)

    out = subprocess.run(command() + ["progress", "--json"], capture_output=True, text=True,
                         env={**os.environ, "CALCTUTOR_HOME": str(tmp_path)}, check=True)
    lessons = {row["name"]: row for row in json.loads(out.stdout)["lessons"]}
    assert lessons["chain-rule"]["attempts"] == 2
    assert lessons["chain-rule"]["correct"] == 1
    assert lessons["chain-rule"]["checkpoints"] == 1
