"""Random points for the numeric witness, spread across the whole real line.

Why the spread matters: drawing only x > 0 would accept 1 as the derivative of relu,
and drawing only small |x| would miss a wrong sign in a term that dominates far out.
Each variable takes values of both signs at several scales. Points are exact binary
fractions, so the same point can be evaluated in float64 and in high precision.
"""

from __future__ import annotations

import numpy as np

#: (low, high, share) magnitude bands; signs are drawn separately.
_BANDS = ((0.05, 0.5, 0.2), (0.5, 2.5, 0.5), (2.5, 6.0, 0.2), (6.0, 15.0, 0.1))


def draw(variables: list[str], count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """``count`` random points: {variable: array of float64 values}, both signs, many scales."""
    points: dict[str, np.ndarray] = {}
    shares = np.array([b[2] for b in _BANDS])
    for name in variables:
        band = rng.choice(len(_BANDS), size=count, p=shares / shares.sum())
        low = np.array([_BANDS[i][0] for i in band])
        high = np.array([_BANDS[i][1] for i in band])
        magnitude = low + (high - low) * rng.random(count)
        sign = np.where(rng.random(count) < 0.5, -1.0, 1.0)
        # round to a multiple of 2^-20: exact in binary, and away from 0, ±1, ±1/2 exactly
        values = np.round(sign * magnitude * 2.0**20) / 2.0**20
        points[name] = values
    return points


def draw_positive(variables: list[str], count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Points with every variable positive: a second try when the domain is x > 0."""
    points = draw(variables, count, rng)
    return {k: np.abs(v) for k, v in points.items()}


def draw_integer_exponents(variables: list[str], exponent_vars: set[str], count: int,
                           rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Ordinary points, but variables that sit in exponents take whole-number values.

    (-1)^n is real only for whole n: without this draw, (-1)^n cos(x)^n has no real
    points at all and the witness could not say anything.
    """
    points = draw(variables, count, rng)
    for name in exponent_vars & set(variables):
        points[name] = rng.integers(-6, 7, size=count).astype(float)
    return points


#: Exact values for branch-sensitive identities: negative bases with whole or half
#: exponents are where (a^b)^c = a^(bc) and sqrt(ab) = sqrt(a) sqrt(b) break.
SPECIAL_VALUES = (-3.0, -2.0, -0.5, 0.5, 2.0, 3.0)


def special_points(variables: list[str], count: int, rng: np.random.Generator) -> list[dict[str, float]]:
    """A few points with every variable at a small special value."""
    return [{name: float(rng.choice(SPECIAL_VALUES)) for name in variables} for _ in range(count)]
