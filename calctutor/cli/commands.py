"""Imports every command module so that each registers itself on the app.

Order here is the order of ``calctutor --help``.
"""

from calctutor.cli import cmd_parse  # noqa: F401
from calctutor.cli import cmd_plot  # noqa: F401
from calctutor.cli import cmd_taylor  # noqa: F401
from calctutor.cli import cmd_limit  # noqa: F401
from calctutor.cli import cmd_integrate  # noqa: F401
