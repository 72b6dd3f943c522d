"""calctutor: a command-line calculus tutor for the calculus behind machine learning.

Kept import-free on purpose: ``calctutor --version`` and ``--help`` must start fast,
so nothing here may pull in SymPy or NumPy.
"""

__version__ = "0.1.0"
