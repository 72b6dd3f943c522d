"""Numerical stability, shown: the same function as it is usually first coded (naive) and
as numerical libraries compute it (stable), both in float64, against the exact value.

Why it matters for machine learning: exp overflows past about 709, so a softmax or a
log-sum-exp coded from its definition returns inf or NaN on ordinary logits, and
ln(1 + tiny) loses every digit. :mod:`.forms` holds the rewrites (each a named rule),
:mod:`.floats` evaluates a tree in float64 and notes where overflow, underflow,
cancellation or NaN first appear.
"""

from calctutor.stability.floats import Event, FloatEvaluation, evaluate_float
from calctutor.stability.forms import Rewrite, naive_form, stable_form

__all__ = ["Event", "FloatEvaluation", "Rewrite", "evaluate_float", "naive_form", "stable_form"]
