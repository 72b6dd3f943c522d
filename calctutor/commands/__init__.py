"""One function per user action, each returning a plain result object.

The Typer CLI, the REPL and the lessons all call these; none of them computes calculus
itself, and nothing here prints or imports Rich.
"""
