"""Allow ``python -m calctutor``."""

from calctutor.entry import main

main()
