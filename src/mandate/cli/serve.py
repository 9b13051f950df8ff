"""``mandate serve``: the web app for voters, officials and the public, with uvicorn."""

from __future__ import annotations

import copy
import importlib.util
import os
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer

from mandate.cli.keys import passphrase
from mandate.cli.options import DatabaseUrl, DataDir, PassphraseFile, SecretFile
from mandate.config import (
    DATA_DIR_ENV,
    DATABASE_URL_ENV,
    HEADER_TIMEOUT_ENV,
    KEY_FILE_ENV,
    KEY_PASSPHRASE_ENV,
    RATE_LIMIT_KEY_ENV,
    SECRET_FILE_ENV,
    TRUSTED_PROXIES_ENV,
    Settings,
)
from mandate.errors import ConfigError
from mandate.service.keys import load_signer, read_server_secret

__all__ = ["logging_config", "serve"]

KEEP_ALIVE_SECONDS = 5
"""An idle connection between requests is closed after this long."""
MAX_HEADER_BYTES = 16 * 1024
"""A request whose headers are larger is refused (h11's limit on an incomplete event)."""


def logging_config(base: dict[str, Any]) -> dict[str, Any]:
    """uvicorn's logging configuration (``base``) with the access log made private.

    The filter (named by import path: each worker imports it) drops voters' requests and
    the client's address (:mod:`mandate.web.access_log`).
    """
    config = copy.deepcopy(base)
    config["formatters"]["access"] = {
        "()": "uvicorn.logging.DefaultFormatter",
        "fmt": "%(levelprefix)s %(message)s",
    }
    config.setdefault("filters", {})["voter_requests_omitted"] = {
        "()": "mandate.web.access_log.VoterRequestsOmitted"
    }
    config["handlers"]["access"]["filters"] = ["voter_requests_omitted"]
    return config


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
    trusted_proxy: Annotated[
        list[str] | None,
        typer.Option(
            "--trusted-proxy",
            metavar="ADDRESS",
            help=(
                "Address or network of a reverse proxy in front of the server, whose "
                "X-Forwarded-For is believed (repeat for several)."
            ),
        ),
    ] = None,
    access_log: Annotated[
        bool,
        typer.Option(
            "--access-log",
            help=(
                "Log officials' and public requests (method, path, status; never the "
                "client's address). Voters' requests are never logged."
            ),
        ),
    ] = False,
    header_timeout: Annotated[
        float,
        typer.Option(
            "--header-timeout",
            help="Seconds a client has to send a request's headers before it is cut off.",
            min=0.1,
        ),
    ] = 10.0,
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
    from uvicorn.config import LOGGING_CONFIG

    settings = Settings.build(
        data_dir, database_url, secret_file, trusted_proxies=tuple(trusted_proxy or ())
    )
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
    os.environ[TRUSTED_PROXIES_ENV] = ",".join(settings.trusted_proxies)
    os.environ[HEADER_TIMEOUT_ENV] = str(header_timeout)
    # Drawn afresh for each server and never stored: the workers name counters alike.
    os.environ[RATE_LIMIT_KEY_ENV] = secrets.token_hex(32)
    uvicorn.run(
        "mandate.web.asgi:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers if workers > 1 else None,
        log_level="info",
        log_config=logging_config(LOGGING_CONFIG),
        access_log=access_log,
        proxy_headers=False,
        server_header=False,
        http="mandate.web.transport:HeaderTimeoutProtocol",
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
    )
