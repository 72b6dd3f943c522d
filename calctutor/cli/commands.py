"""Imports every command module so that each registers itself on the app.

Order here is the order of ``calctutor --help``.
"""

from calctutor.cli import cmd_parse  # noqa: F401
from calctutor.cli import cmd_diff  # noqa: F401
from calctutor.cli import cmd_grad  # noqa: F401
from calctutor.cli import cmd_check  # noqa: F401
from calctutor.cli import cmd_taylor  # noqa: F401
from calctutor.cli import cmd_limit  # noqa: F401
from calctutor.cli import cmd_integrate  # noqa: F401
from calctutor.cli import cmd_plot  # noqa: F401
from calctutor.cli import cmd_graph  # noqa: F401
from calctutor.cli import cmd_descend  # noqa: F401
from calctutor.cli import cmd_stable  # noqa: F401
from calctutor.cli import cmd_repl  # noqa: F401
from calctutor.cli import cmd_lesson  # noqa: F401
from calctutor.cli import cmd_progress  # noqa: F401
from calctutor.cli import cmd_config  # noqa: F401
