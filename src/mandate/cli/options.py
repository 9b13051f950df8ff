"""Options several command groups share: where the data folder and the database are, the
returning officer's key file and its passphrase, and the server secret."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["DataDir", "DatabaseUrl", "KeyFile", "PassphraseFile", "SecretFile"]

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir", help="Data folder (default: $MANDATE_DATA_DIR or ~/.local/share/mandate)."
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="SQLAlchemy URL (default: SQLite in the data folder)."),
]
KeyFile = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        envvar="MANDATE_KEY_FILE",
        help="The returning officer's key file, which signs this step (or $MANDATE_KEY_FILE).",
    ),
]
PassphraseFile = Annotated[
    Path | None,
    typer.Option(
        "--passphrase-file",
        help="Read the key file's passphrase from this file's first line (else "
        "$MANDATE_KEY_PASSPHRASE, else a prompt).",
    ),
]
SecretFile = Annotated[
    Path | None,
    typer.Option(
        "--secret-file",
        help="The server secret (`mandate keys secret`), outside the data folder "
        "(default: $MANDATE_SECRET_FILE).",
    ),
]
