"""``mandate officials``: accounts for returning officers, scrutineers and observers."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from mandate.cli.options import DatabaseUrl, DataDir
from mandate.config import Settings
from mandate.service.access import Role, open_access

__all__ = ["officials"]

officials = typer.Typer(
    name="officials",
    help="Accounts of the officials who use the web dashboard.",
    no_args_is_help=True,
)


@officials.command("add")
def add(
    username: Annotated[str, typer.Argument(help="Lower-case letters, digits, '.', '_', '-'.")],
    role: Annotated[Role, typer.Option("--role", help="What the official may do.")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an official's account (the password is asked for, or read from stdin)."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    settings = Settings.build(data_dir, database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    access = open_access(settings)
    official = access.add(username, password, role)
    typer.echo(f"added {official.username} ({official.role.value})")


@officials.command("list")
def list_officials(data_dir: DataDir = None, database_url: DatabaseUrl = None) -> None:
    """List the officials and their roles."""
    access = open_access(Settings.build(data_dir, database_url))
    for official in access.officials():
        typer.echo(f"{official.username}\t{official.role.value}")
