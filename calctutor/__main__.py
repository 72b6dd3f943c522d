"""Allow ``python -m calctutor``."""

from calctutor.cli import main

main()
