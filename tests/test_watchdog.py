"""The hard limit: worker processes killed on time-out, memory capped, alarms that never
kill the process, and the one-shot CLI under a supervised child."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from calctutor import watchdog
from calctutor.errors import CalcError, ComputationTimeout, LimitError, ParseError
from calctutor.timeouts import time_limit

STATE = {"touched": False}


def _touch_and_return(value):
    STATE["touched"] = True
    return value * 2


def _c_level_forever():
    # One big-integer power: a single C call that SIGALRM cannot interrupt.
    return pow(7, 10**10)


def _eat_memory():
    return len(bytearray(8 * 1024**3))


def _parse_error():
    from calctutor.parsing import parse

    parse("sin(")


def test_call_returns_the_value_and_leaves_the_callers_state_alone():
    STATE["touched"] = False
    assert watchdog.call(_touch_and_return, 21, seconds=30) == 42
    assert STATE["touched"] is False  # the work ran in the worker, not here


def test_call_stops_c_level_work_the_alarm_cannot_interrupt():
    with pytest.raises(ComputationTimeout, match=r"stopped after 0\.5 s"):
        watchdog.call(_c_level_forever, seconds=0.5, what="the power")


def test_call_caps_the_workers_memory():
    with pytest.raises(LimitError, match="memory"):
        watchdog.call(_eat_memory, seconds=30)


def test_call_sends_a_parse_error_back_with_its_caret():
    with pytest.raises(CalcError) as caught:
        watchdog.call(_parse_error, seconds=30)
    rendered = caught.value.render()
    assert "sin(" in rendered and "^" in rendered


def test_parse_errors_survive_the_pipe_even_when_they_do_not_pickle():
    exc = ParseError("bad", "x +", 3)
    kind, back = __import__("pickle").loads(watchdog._pickled_error(exc))
    assert kind == "err" and isinstance(back, CalcError) and back.render() == exc.render()


@pytest.mark.parametrize("text", ["0", "-1", "abc", "nan", "1e9", "601"])
def test_bad_budgets_are_refused(text):
    with pytest.raises(CalcError):
        watchdog.parse_budget(text)


def test_budget_comes_from_the_option_then_the_setting(monkeypatch, tmp_path):
    from calctutor import settings

    monkeypatch.setenv("CALCTUTOR_HOME", str(tmp_path))
    monkeypatch.setattr(watchdog, "_budget_override", None)
    monkeypatch.setattr(settings, "_CACHE", None)
    monkeypatch.setenv(watchdog.TIMEOUT_VARIABLE, "2.5")
    assert watchdog.budget() == 2.5
    monkeypatch.setattr(settings, "_CACHE", None)
    monkeypatch.setenv(watchdog.TIMEOUT_VARIABLE, "nonsense")
    assert watchdog.budget() == watchdog.DEFAULT_BUDGET_SECONDS
    watchdog.set_budget("1.5")
    assert watchdog.budget() == 1.5


# ── the alarm (soft limit) ────────────────────────────────────────────────────────────
def test_nested_limits_raise_for_the_one_that_expired():
    import time

    with pytest.raises(ComputationTimeout, match="inner"):
        with time_limit(30, "outer"):
            with time_limit(0.05, "inner"):
                while True:
                    time.sleep(0.001)


def test_a_swallowed_timeout_fires_again_until_the_limit_ends():
    import time

    caught = 0
    with pytest.raises(ComputationTimeout):
        with time_limit(0.05, "work"):
            while True:
                try:
                    time.sleep(0.001)
                except ComputationTimeout:
                    caught += 1
                    if caught > 3:
                        raise


def test_a_late_alarm_after_the_limit_ended_does_not_kill_the_process():
    # The process printed its verdict, then a pending SIGALRM arrived: exit -14 before.
    script = textwrap.dedent("""
        import os, signal, time
        from calctutor.timeouts import time_limit
        with time_limit(5, "work"):
            pass
        os.kill(os.getpid(), signal.SIGALRM)
        time.sleep(0.1)
        print("still here")
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert "still here" in done.stdout


# ── the one-shot command under a supervised child ──────────────────────────────────────
def _cli(*args, env_extra=None, stdin=None):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "calctutor", *args], capture_output=True,
                          text=True, env=env, input=stdin, timeout=120)


SLOW_CHECK = ("x - 2*atan(2*sin(x)*cos(x)/(2*cos(x)^2 - cos(x) + 1))",
              "1 - 2*(2*cos(2*x))/(1+(2*sin(x)*cos(x)/(2*cos(x)^2 - cos(x) + 1))^2)")


def test_a_slow_command_is_stopped_with_a_clean_line(tmp_path):
    done = _cli("--timeout", "0.3", "check", *SLOW_CHECK,
                env_extra={"CALCTUTOR_HOME": str(tmp_path)})
    assert done.returncode == 2
    assert "stopped after 0.3 s" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_slow_command_is_stopped_with_json_when_asked(tmp_path):
    import json

    done = _cli("--timeout", "0.3", "check", *SLOW_CHECK, "--json",
                env_extra={"CALCTUTOR_HOME": str(tmp_path)})
    assert done.returncode == 2
    assert "stopped after 0.3 s" in json.loads(done.stdout)["error"]


def test_supervised_commands_keep_their_exit_codes_and_output(tmp_path):
    env = {"CALCTUTOR_HOME": str(tmp_path)}
    right = _cli("check", "x^2", "2x", "--json", env_extra=env)
    wrong = _cli("check", "x^2", "x", "--json", env_extra=env)
    bad = _cli("parse", "sin(", env_extra=env)
    piped = _cli("diff", "-", "--json", env_extra=env, stdin="x^3\n")
    assert (right.returncode, wrong.returncode, bad.returncode) == (0, 1, 2)
    assert '"correct": true' in right.stdout and '"correct": false' in wrong.stdout
    assert "^" in bad.stderr
    assert '"derivative": "3*x^2"' in piped.stdout


def test_the_slipped_atan_answer_ends_with_its_verdict_not_a_signal(tmp_path):
    done = _cli("--timeout", "120", "check", *SLOW_CHECK,
                env_extra={"CALCTUTOR_HOME": str(tmp_path)})
    assert done.returncode == 1, done.stderr
    assert "Not quite" in done.stdout


def test_no_worker_outlives_its_parent():
    script = textwrap.dedent("""
        import os, sys, time
        from calctutor import watchdog
        def report_and_wait():
            sys.stdout.write(str(os.getpid()) + "\\n"); sys.stdout.flush()
            time.sleep(60)
        watchdog.call(report_and_wait, seconds=60)
    """)
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    worker = int(parent.stdout.readline())
    parent.kill()
    parent.wait(timeout=30)
    import time

    for _ in range(200):
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            break
        # a zombie is not a running process: it has no state left but its exit code
        try:
            with open(f"/proc/{worker}/stat") as stat:
                if stat.read().split(")")[-1].split()[0] == "Z":
                    break
        except OSError:
            break
        time.sleep(0.05)
    else:
        os.kill(worker, signal.SIGKILL)
        pytest.fail("the worker was still running after its parent was killed")


def test_a_command_s_budget_counts_from_its_process_start(monkeypatch):
    """"stopped after N s" is N seconds after the learner pressed Enter: the time Python
    and the imports took before the fork is part of the budget."""
    import time

    from calctutor import watchdog

    age = watchdog._process_age()
    assert 0.0 <= age <= 5.0  # this test process: capped, never negative
    monkeypatch.setattr(watchdog, "_process_age", lambda: 1.25)
    before = time.monotonic()
    monkeypatch.setattr(watchdog, "_command_started", None)
    watchdog.mark_command_start()
    assert before - 1.25 <= watchdog._command_started <= time.monotonic() - 1.25
