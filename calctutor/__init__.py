"""calctutor: a command-line calculus tutor for the calculus behind machine learning.

Kept import-free on purpose: ``calctutor --version`` and ``--help`` must start fast,
so nothing here may pull in SymPy or NumPy.
"""

__version__ = "0.1.0"


def load_ipython_extension(ipython) -> None:  # ``%load_ext calctutor``
    """Register calctutor's line magics (%diff, %grad, %check, ...) in IPython/Jupyter."""
    from calctutor.jupyter import load_ipython_extension as load

    load(ipython)
