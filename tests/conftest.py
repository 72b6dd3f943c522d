"""Shared test helpers: real symbols built independently of the parser, and the path to
the specs folder ``shared/`` that sits beside the repository (CI clones ``main`` next to it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy

SHARED = Path(__file__).resolve().parents[2] / "shared"


def R(name: str) -> sympy.Symbol:  # noqa: N802 - reads like a constructor in tables
    """A real symbol, as the parser makes for every variable."""
    return sympy.Symbol(name, real=True)


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared specs folder; its absence is a failure, never a skip."""
    if not SHARED.is_dir():
        pytest.fail(f"the shared specs folder is missing: expected it at {SHARED} "
                    "(clone the repository as <dir>/main with <dir>/shared beside it)")
    return SHARED
