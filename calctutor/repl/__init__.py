"""``calctutor repl``: a prompt_toolkit shell over the same commands as the Typer CLI.

Modules: :mod:`~calctutor.repl.session` (the loop), :mod:`~calctutor.repl.registry`
(special commands, registered with a decorator), :mod:`~calctutor.repl.handlers` (one small
function per command), :mod:`~calctutor.repl.state` (the learner's names, ``ans``, mode),
:mod:`~calctutor.repl.input_forms` (``d/dx …``, ``f'(x)``, ``y = …``),
:mod:`~calctutor.repl.completer`, :mod:`~calctutor.repl.lexer`, :mod:`~calctutor.repl.keys`,
:mod:`~calctutor.repl.toolbar`, :mod:`~calctutor.repl.transcript` (``:save``).
"""
