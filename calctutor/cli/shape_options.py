"""The Typer spelling of the matrix-calculus options (``--shape``, ``--symmetric``,
``--expand``, ``--seed``) shared by ``grad``, ``check`` and ``graph``; their declaration
is in :mod:`calctutor.interface` (``tests/test_interface.py`` compares the two).
Import-light: Typer only."""

from __future__ import annotations

from typing import Annotated

import typer

Shapes = Annotated[list[str] | None, typer.Option(
    "--shape", help="Declare a vector or matrix (repeatable): [cyan]x=3[/cyan], [cyan]A=3x3[/cyan], "
    "[cyan]x=n[/cyan], [cyan]A=nxn,sym[/cyan], [cyan]y=n,prob[/cyan]; switches to matrix calculus.")]
Symmetric = Annotated[list[str] | None, typer.Option(
    "--symmetric", help="With --shape: these square matrices are symmetric (A = Aᵀ).")]
Expand = Annotated[bool, typer.Option(
    "--expand", help="With --shape and concrete sizes: the result entry by entry, beside sympy.diff of each component.")]
Seed = Annotated[int, typer.Option("--seed", help="With --shape: the seed of the random draws.")]
