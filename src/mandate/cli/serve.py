"""``mandate serve``: the web app for voters, officials and the public, with uvicorn."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Annotated

import typer

from mandate.cli.keys import passphrase
from mandate.cli.options import DatabaseUrl, DataDir, PassphraseFile, SecretFile
from mandate.config import (
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    KEY_FILE_ENV,
    KEY_PASSPHRASE_ENV,
    SECRET_FILE_ENV,
    Settings,
)
from mandate.errors import ConfigError
from mandate.service.keys import load_signer, read_server_secret

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
    secret_file: SecretFile = None,
    key_file: Annotated[
        Path | None,
        typer.Option(
            "--key-file",
            help="Hold the returning officer's key file for the whole run, so that the "
            "official pages sign without asking for it (default: each step that signs asks "
            "for the key file and its passphrase in its form).",
        ),
    ] = None,
    passphrase_file: PassphraseFile = None,
) -> None:
    """Serve the voter, official and public pages and the REST API (/api).

    Needs the server secret (--secret-file or MANDATE_SECRET_FILE): it refuses to start
    without one.
    """
    if importlib.util.find_spec("uvicorn") is None or importlib.util.find_spec("fastapi") is None:
        raise ConfigError("the web extra is not installed: pip install 'mandate[web]'")
    import uvicorn

    settings = Settings.build(data_dir, database_url, secret_file)
    if settings.secret_file is None:
        raise ConfigError(
            "no server secret: make one with `mandate keys secret PATH` (outside the data "
            "folder) and start with --secret-file PATH or MANDATE_SECRET_FILE"
        )
    read_server_secret(settings.secret_file)  # refuse a bad one now, not in each worker
    if key_file is not None:
        phrase = passphrase(passphrase_file)
        load_signer(key_file, phrase)  # a wrong passphrase stops here, before serving
        os.environ[KEY_FILE_ENV] = str(key_file.resolve())
        os.environ[KEY_PASSPHRASE_ENV] = phrase
    else:
        os.environ.pop(KEY_FILE_ENV, None)
    os.environ[SECRET_FILE_ENV] = str(settings.secret_file)
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
