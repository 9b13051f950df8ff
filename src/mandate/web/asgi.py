"""An import-string app factory for uvicorn's ``--workers``: settings from the environment.

``mandate serve --workers N`` puts ``--data-dir`` and ``--database-url`` into
``MANDATE_DATA_DIR`` and ``MANDATE_DATABASE_URL``; each worker process calls
:func:`app_from_environment` to build the same app.
"""

from __future__ import annotations

from fastapi import FastAPI

from mandate.config import Settings
from mandate.web.app import create_app

__all__ = ["app_from_environment"]


def app_from_environment() -> FastAPI:
    """Build the app with settings read (here, in the shell) from the environment."""
    return create_app(Settings.build())
