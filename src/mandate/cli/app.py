"""The ``mandate`` command: one Typer app; each command group lives in its own module.

A command's module is imported only when that command runs or its help is asked for (see
:mod:`mandate.cli.lazy`), so starting ``mandate`` does not import the database, the web app
or the counting code for a command that does not use them.

Errors are translated once, here: a :class:`~mandate.errors.MandateError` becomes a one-line
message on standard error and a documented exit code (see :data:`EXIT_CODES`).
"""

from __future__ import annotations

import sys

import typer

from mandate import __version__
from mandate.cli.lazy import LazyCommand, LazyGroup
from mandate.errors import (
    ConfigError,
    ContestError,
    CountingError,
    InputError,
    IntegrityError,
    MandateError,
    NotFoundError,
)

__all__ = ["COMMANDS", "EXIT_CODES", "app", "main"]

COMMANDS = (
    LazyCommand(
        name="verify",
        target="mandate.cli.contest:verify",
        summary="Recount a published contest and check its signed declaration; "
        "non-zero on any discrepancy.",
    ),
    LazyCommand(
        name="demo",
        target="mandate.cli.contest:demo",
        summary="Replay the 2016 Labour leadership ballot end to end through the contest service.",
    ),
    LazyCommand(
        name="version", target="mandate.cli.app:version", summary="Print mandate's version."
    ),
    LazyCommand(
        name="count",
        target="mandate.cli.count:count_command",
        summary="Count a ballot file (BLT, PrefLib, NIST CDF JSON or CSV) and print every round.",
    ),
    LazyCommand(
        name="serve",
        target="mandate.cli.serve:serve",
        summary="Serve the voter, official and public pages and the REST API (/api).",
    ),
    LazyCommand(
        name="rules",
        target="mandate.cli.rules:rules_app",
        summary="Check a rulebook, explain it, and compare readings of its disputed clauses.",
    ),
    LazyCommand(
        name="contest",
        target="mandate.cli.contest:contest_app",
        summary="Create, inspect, count and declare contests.",
    ),
    LazyCommand(
        name="nominations",
        target="mandate.cli.contest:nominations_app",
        summary="Open, record and close nominations.",
    ),
    LazyCommand(
        name="roll",
        target="mandate.cli.contest:roll_app",
        summary="Import the roll and read its report.",
    ),
    LazyCommand(
        name="credentials",
        target="mandate.cli.contest:credentials_app",
        summary="Issue and re-issue voting credentials.",
    ),
    LazyCommand(
        name="ballot",
        target="mandate.cli.contest:ballot_app",
        summary="Open and close the ballot; cast; look up a tracker.",
    ),
    LazyCommand(
        name="paper",
        target="mandate.cli.contest:paper_app",
        summary="Enter batches of paper ballots.",
    ),
    LazyCommand(
        name="audit", target="mandate.cli.contest:audit_app", summary="Check the audit log."
    ),
    LazyCommand(
        name="keys",
        target="mandate.cli.keys:keys_app",
        summary="Make the returning officer's key file and the server secret.",
    ),
    LazyCommand(
        name="officials",
        target="mandate.cli.officials:officials",
        summary="Accounts of the officials who use the web dashboard.",
    ),
)
"""Every command of ``mandate``, in the order ``mandate --help`` lists them."""


class _Mandate(LazyGroup):
    lazy_commands = COMMANDS


app = typer.Typer(
    name="mandate",
    cls=_Mandate,
    help="Open, verifiable elections for membership organisations, with the rulebook as code.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

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


def version() -> None:
    """Print mandate's version."""
    typer.echo(f"mandate {__version__}")


def main() -> None:
    """Entry point of the ``mandate`` console script."""
    try:
        app()
    except MandateError as error:
        from rich.console import Console

        Console(stderr=True).print(f"[bold red]error:[/] {error}", highlight=False, soft_wrap=True)
        sys.exit(exit_code_for(error))
