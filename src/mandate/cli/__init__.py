"""mandate's command line (Typer): thin commands over the core and the service layer."""

from mandate.cli.help import show_flags_bare

show_flags_bare()
