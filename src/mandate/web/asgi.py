"""An import-string app factory for uvicorn's ``--workers``: settings from the environment.

``mandate serve`` puts ``--data-dir``, ``--database-url``, ``--secret-file`` and
``--trusted-proxy`` into ``MANDATE_DATA_DIR``, ``MANDATE_DATABASE_URL``,
``MANDATE_SECRET_FILE`` and ``MANDATE_TRUSTED_PROXIES`` (and, when the server holds the
returning officer's key, ``--key-file`` and its passphrase into ``MANDATE_KEY_FILE`` and
``MANDATE_KEY_PASSPHRASE``); each worker process calls :func:`app_from_environment` to build
the same app.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from mandate.config import KEY_FILE_ENV, KEY_PASSPHRASE_ENV, RATE_LIMIT_KEY_ENV, Settings
from mandate.errors import ConfigError
from mandate.service.keys import load_signer
from mandate.web.app import create_app

__all__ = ["app_from_environment"]


def app_from_environment() -> FastAPI:
    """Build the app with settings read (here, in the shell) from the environment.

    The rate-limit key ``MANDATE_RATE_LIMIT_KEY`` (hex), drawn afresh by each
    ``mandate serve``, makes the workers name their counters alike.
    """
    key_file = os.environ.get(KEY_FILE_ENV)
    signer = None
    if key_file:
        passphrase = os.environ.get(KEY_PASSPHRASE_ENV)
        if not passphrase:
            raise ConfigError(f"{KEY_FILE_ENV} is set but {KEY_PASSPHRASE_ENV} is not")
        signer = load_signer(Path(key_file), passphrase)
    key = os.environ.get(RATE_LIMIT_KEY_ENV)
    return create_app(
        Settings.build(),
        signer=signer,
        rate_limit_key=bytes.fromhex(key) if key else None,
    )
