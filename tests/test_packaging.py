"""The installed package is what the tests exercise, and it carries everything it needs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import calctutor


def test_ci_tests_the_installed_wheel_not_the_source_tree():
    if os.environ.get("CI"):
        assert "site-packages" in Path(calctutor.__file__).as_posix(), calctutor.__file__


def test_version_does_not_import_sympy_or_numpy():
    code = (
        "import sys\n"
        "sys.argv = ['calctutor', '--version']\n"
        "from calctutor.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sympy', 'numpy') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "calctutor " + calctutor.__version__ in out.stdout
    assert "HEAVY []" in out.stdout


def test_help_does_not_import_sympy_or_numpy():
    code = (
        "import sys\n"
        "sys.argv = ['calctutor', '--help']\n"
        "from calctutor.cli import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('sympy', 'numpy') if m in sys.modules]\n"
        "print('HEAVY', heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "parse" in out.stdout
    assert "HEAVY []" in out.stdout


def test_python_dash_m_works():
    out = subprocess.run([sys.executable, "-m", "calctutor", "--version"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == f"calctutor {calctutor.__version__}"


def test_entry_point_answers_version_and_starts_repl_without_typer():
    code = (
        "import sys\n"
        "sys.argv = ['calctutor', '--version']\n"
        "from calctutor.entry import main\n"
        "main()\n"
        "print('LOADED', [m for m in ('typer', 'sympy', 'numpy', 'rich') if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert f"calctutor {calctutor.__version__}" in out.stdout
    assert "LOADED []" in out.stdout
