"""``mandate serve``: the web app for voters, officials and the public, with uvicorn."""

from __future__ import annotations

import importlib.util
import os
from typing import Annotated

import typer

from mandate.cli.options import DatabaseUrl, DataDir
from mandate.config import DATA_DIR_ENV, DATABASE_URL_ENV, Settings
from mandate.errors import ConfigError

__all__ = ["serve"]


def serve(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.", min=0)] = 8000,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            help="Worker processes; more than one needs PostgreSQL (or one SQLite file).",
            min=1,
        ),
    ] = 1,
) -> None:
    """Serve the voter, official and public pages and the REST API (/api)."""
    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("fastapi") is None:
        raise ConfigError("the web extra is not installed: pip install 'mandate[web]'")
    import uvicorn

    settings = Settings.build(data_dir, database_url)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    # The app is named by import string (the CLI and the web app are separate layers), and
    # each worker process builds it from the environment set here, in the shell.
    os.environ[DATA_DIR_ENV] = str(settings.data_dir)
    if settings.database_url:
        os.environ[DATABASE_URL_ENV] = settings.database_url
    else:
        os.environ.pop(DATABASE_URL_ENV, None)
    uvicorn.run(
        "mandate.web.asgi:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        log_level="info",
        proxy_headers=False,
        server_header=False,
    )
