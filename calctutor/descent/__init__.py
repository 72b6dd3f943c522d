"""Optimisers that use the gradient: gradient descent, momentum and Newton's method.

Why an engine of its own: the syllabus ends the gradient and Taylor topics at the reason
they exist in machine learning — the gradient points uphill, gradient descent steps
against it, first-order Taylor is its model and second order is Newton's. This package
runs those iterations on our own compiled reverse mode (:mod:`calctutor.graph`) and says
in words what happened (:mod:`calctutor.descent.outcome`); commands and renderers only
present it.
"""

from calctutor.descent.methods import METHODS, Iterate, Objective, Run, iterate
from calctutor.descent.outcome import Outcome, classify

__all__ = ["METHODS", "Iterate", "Objective", "Outcome", "Run", "classify", "iterate"]
