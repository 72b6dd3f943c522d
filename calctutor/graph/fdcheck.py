"""Gradient checking: finite differences against the exact (autodiff) derivative.

For h = 1e-1 … 1e-13 the forward difference (f(x+h) - f(x))/h has truncation error
about h·|f''|/2, the central difference (f(x+h) - f(x-h))/(2h) about h²·|f'''|/6; both
also suffer cancellation error about ε·|f|/h (ε ≈ 2.2e-16) from subtracting nearly equal
numbers. So the error first falls with h, then rises: the V of the syllabus (§12). All
the shifted points are evaluated in one vectorised forward pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from calctutor.graph.autodiff import forward_pass
from calctutor.graph.build import Graph

#: h = 10^-1 … 10^-13
DEFAULT_STEPS = tuple(10.0 ** -k for k in range(1, 14))


@dataclass(frozen=True)
class FDRow:
    h: float
    forward: float
    forward_error: float
    central: float
    central_error: float


@dataclass(frozen=True)
class FDTable:
    variable: str
    exact: float
    rows: tuple[FDRow, ...]

    @property
    def best_forward(self) -> FDRow:
        return min(self.rows, key=lambda r: _key(r.forward_error))

    @property
    def best_central(self) -> FDRow:
        return min(self.rows, key=lambda r: _key(r.central_error))


def _key(x: float) -> float:
    return x if np.isfinite(x) else np.inf


def fd_check(graph: Graph, point: Mapping[str, float], variable: str, exact: float,
             steps: tuple[float, ...] = DEFAULT_STEPS) -> FDTable:
    """The finite-difference table for ∂out/∂variable at ``point``."""
    hs = np.asarray(steps, dtype=float)
    x0 = float(point[variable])
    shifted = np.concatenate(([x0], x0 + hs, x0 - hs))
    pts = {name: float(v) for name, v in point.items()}
    pts[variable] = shifted
    values = forward_pass(graph, pts).value
    f0, plus, minus = values[0], values[1:1 + len(hs)], values[1 + len(hs):]
    with np.errstate(all="ignore"):
        forward = (plus - f0) / hs
        central = (plus - minus) / (2 * hs)
    rows = tuple(
        FDRow(float(h), float(fw), float(abs(fw - exact)), float(ce), float(abs(ce - exact)))
        for h, fw, ce in zip(hs, forward, central)
    )
    return FDTable(variable, float(exact), rows)
