"""The ``mandate`` command: one Typer app; each command group lives in its own module.

Errors are translated once, here: a :class:`~mandate.errors.MandateError` becomes a one-line
message on standard error and a documented exit code (see :data:`EXIT_CODES`).
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from mandate import __version__
from mandate.cli import contest
from mandate.cli.count import count_command
from mandate.cli.officials import officials
from mandate.cli.rules import rules_app
from mandate.cli.serve import serve
from mandate.errors import (
    ConfigError,
    ContestError,
    CountingError,
    InputError,
    IntegrityError,
    MandateError,
    NotFoundError,
)

__all__ = ["EXIT_CODES", "app", "main"]

app = typer.Typer(
    name="mandate",
    help="Open, verifiable elections for membership organisations, with the rulebook as code.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

app.add_typer(rules_app, name="rules")
contest.register(app)

EXIT_CODES: dict[type[MandateError], int] = {
    InputError: 3,
    ContestError: 4,
    IntegrityError: 5,
    NotFoundError: 6,
    ConfigError: 7,
    CountingError: 8,
}
"""Exit code for each kind of error; 1 for any other MandateError, 2 for bad usage."""


def exit_code_for(error: MandateError) -> int:
    """The documented exit code for an error (the most specific class listed wins)."""
    for cls in type(error).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


@app.callback()
def _root() -> None:
    """Open, verifiable elections for membership organisations, with the rulebook as code."""


@app.command("version")
def version() -> None:
    """Print mandate's version."""
    typer.echo(f"mandate {__version__}")


app.command("count")(count_command)
app.command("serve")(serve)
app.add_typer(officials)


def main() -> None:
    """Entry point of the ``mandate`` console script."""
    try:
        app()
    except MandateError as error:
        Console(stderr=True).print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(exit_code_for(error))
