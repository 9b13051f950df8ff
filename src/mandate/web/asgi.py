"""An import-string app factory for uvicorn's ``--workers``: settings from the environment.

``mandate serve`` puts ``--data-dir``, ``--database-url`` and ``--trusted-proxy`` into
``MANDATE_DATA_DIR``, ``MANDATE_DATABASE_URL`` and ``MANDATE_TRUSTED_PROXIES``; each worker
process calls :func:`app_from_environment` to build the same app.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

from mandate.config import RATE_LIMIT_KEY_ENV, Settings
from mandate.web.app import create_app

__all__ = ["app_from_environment"]


def app_from_environment() -> FastAPI:
    """Build the app with settings read (here, in the shell) from the environment.

    The rate-limit key ``MANDATE_RATE_LIMIT_KEY`` (hex), drawn afresh by each
    ``mandate serve``, makes the workers name their counters alike.
    """
    key = os.environ.get(RATE_LIMIT_KEY_ENV)
    return create_app(Settings.build(), rate_limit_key=bytes.fromhex(key) if key else None)
