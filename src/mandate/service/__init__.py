"""mandate.service: the contest use cases the command line and the web app call.

Open one with :func:`open_service` (settings → migrated store → :class:`ContestService`).
"""

from __future__ import annotations

from mandate.config import Settings
from mandate.service.contests import ContestService, Receipt, RollReport

__all__ = ["ContestService", "Receipt", "RollReport", "open_service"]


def open_service(settings: Settings) -> ContestService:
    """The contest service on the database the settings name (migrated to the newest schema)."""
    # SQLAlchemy and Alembic are imported here, not with the package: `mandate verify`
    # reads published files and needs no database.
    from mandate.storage.sql import open_store

    return ContestService(open_store(settings.effective_database_url))
