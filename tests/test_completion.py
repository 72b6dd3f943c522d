"""Shell completion (Typer's): the bash script, the protocol it speaks to calctutor, and
that completing never loads the maths engines."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from conftest import calctutor_command

pytestmark = pytest.mark.e2e


def complete(words: str, cword: int | None = None, **env) -> list[str]:
    """What bash would offer for the line ``words`` (the completion script's protocol)."""
    cword = len(words.split()) - 1 if cword is None else cword
    out = subprocess.run(calctutor_command(), capture_output=True, text=True, timeout=60,
                         env={**os.environ, "_CALCTUTOR_COMPLETE": "complete_bash",
                              "COMP_WORDS": words, "COMP_CWORD": str(cword), **env})
    assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr
    return out.stdout.split()


def test_a_command_name_is_completed():
    assert complete("calctutor di") == ["diff"]
    offered = complete("calctutor ", 1)
    assert {"diff", "grad", "check", "lesson", "progress", "repl"} <= set(offered)


def test_a_command_option_is_completed():
    assert "--json" in complete("calctutor diff --j")
    assert {"--wrt", "--order"} <= set(complete("calctutor diff --"))
    assert "--json" in complete("calctutor progress --")


def test_completing_does_not_import_sympy_or_numpy():
    code = (
        "import os, sys\n"
        "os.environ.update(_CALCTUTOR_COMPLETE='complete_bash', COMP_WORDS='calctutor diff --',"
        " COMP_CWORD='2')\n"
        "sys.argv = ['calctutor']\n"
        "from calctutor.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('HEAVY', [m for m in ('sympy', 'numpy') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "--json" in out.stdout and "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_the_bash_script_completes_in_a_real_bash(tmp_path):
    bash = shutil.which("bash")
    assert bash, "bash is needed for this test"
    script = subprocess.run([*calctutor_command(), "--show-completion", "bash"],
                            capture_output=True, text=True, timeout=60, check=True).stdout
    assert "complete " in script and "_CALCTUTOR_COMPLETE=complete_bash" in script
    (tmp_path / "completion.sh").write_text(script)
    exe_dir = os.path.dirname(calctutor_command()[0])
    driver = (
        f"source {tmp_path / 'completion.sh'}\n"
        "COMP_WORDS=(calctutor di); COMP_CWORD=1; _calctutor_completion calctutor\n"
        "echo \"A:${COMPREPLY[*]}\"\n"
        "COMP_WORDS=(calctutor diff --j); COMP_CWORD=2; _calctutor_completion calctutor\n"
        "echo \"B:${COMPREPLY[*]}\"\n"
        "complete -p calctutor\n"
    )
    out = subprocess.run([bash, "--norc", "--noprofile", "-c", driver], capture_output=True,
                         text=True, timeout=120,
                         env={**os.environ, "PATH": exe_dir + os.pathsep + os.environ["PATH"]})
    lines = out.stdout.splitlines()
    assert "A:diff" in lines and "B:--json" in lines, out.stdout + out.stderr
    assert any("_calctutor_completion" in line for line in lines)


def test_install_completion_writes_the_script_and_sources_it_from_bashrc(tmp_path):
    out = subprocess.run([*calctutor_command(), "--install-completion", "bash"],
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "HOME": str(tmp_path), "SHELL": "/bin/bash"})
    assert out.returncode == 0, out.stderr
    script = tmp_path / ".bash_completions" / "calctutor.sh"
    assert "_CALCTUTOR_COMPLETE=complete_bash" in script.read_text()
    assert str(script) in (tmp_path / ".bashrc").read_text()


def test_help_lists_the_completion_options():
    out = subprocess.run([*calctutor_command(), "--help"], capture_output=True, text=True,
                         timeout=60, env={**os.environ, "COLUMNS": "120"})
    assert "--install-completion" in out.stdout and "--show-completion" in out.stdout
