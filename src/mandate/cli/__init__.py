"""mandate's command line (Typer): thin commands over the core and the service layer."""
