"""Options several command groups share: where the data folder and the database are."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

__all__ = ["DataDir", "DatabaseUrl"]

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
