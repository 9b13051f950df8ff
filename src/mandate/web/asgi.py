"""An import-string app factory for uvicorn's ``--workers``: settings from the environment.

``mandate serve --workers N`` puts ``--data-dir``, ``--database-url`` and ``--secret-file``
into ``MANDATE_DATA_DIR``, ``MANDATE_DATABASE_URL`` and ``MANDATE_SECRET_FILE`` (and, when the
server holds the returning officer's key, ``--key-file`` and its passphrase into
``MANDATE_KEY_FILE`` and ``MANDATE_KEY_PASSPHRASE``); each worker process calls
:func:`app_from_environment` to build the same app.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import FastAPI

from mandate.config import KEY_FILE_ENV, KEY_PASSPHRASE_ENV, Settings
from mandate.errors import ConfigError
from mandate.service.keys import load_signer
from mandate.web.app import create_app

__all__ = ["app_from_environment"]


def app_from_environment() -> FastAPI:
    """Build the app with settings read (here, in the shell) from the environment."""
    key_file = os.environ.get(KEY_FILE_ENV)
    signer = None
    if key_file:
        passphrase = os.environ.get(KEY_PASSPHRASE_ENV)
        if not passphrase:
            raise ConfigError(f"{KEY_FILE_ENV} is set but {KEY_PASSPHRASE_ENV} is not")
        signer = load_signer(Path(key_file), passphrase)
    return create_app(Settings.build(), signer=signer)
