"""``python -m mandate``: the same as the ``mandate`` command."""

from mandate.cli.app import main

main()
