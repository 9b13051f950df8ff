"""mandate.service: the contest use cases the command line and the web app call.

Open one with :func:`open_service` (settings → migrated store → :class:`ContestService`).
"""

from __future__ import annotations

from mandate.config import Settings
from mandate.crypto import Signer
from mandate.errors import ConfigError
from mandate.service.contests import ContestService, Receipt, RollReport
from mandate.service.keys import read_server_secret

__all__ = ["ContestService", "Receipt", "RollReport", "open_service"]


def open_service(
    settings: Settings, *, signer: Signer | None = None, require_secret: bool = False
) -> ContestService:
    """The contest service on the database the settings name (migrated to the newest schema).

    Args:
        signer: the returning officer's key, if the caller opened it (``--key-file``).
        require_secret: refuse to start without the server secret (``mandate serve``); else
            it is read if configured, and only what needs it refuses without it.

    Raises:
        ConfigError: a server secret that is required and not configured, or not readable.
    """
    # SQLAlchemy and Alembic are imported here, not with the package: `mandate verify`
    # reads published files and needs no database.
    from mandate.storage.sql import open_store

    if settings.secret_file is None and require_secret:
        raise ConfigError(
            "no server secret: make one with `mandate keys secret PATH` (outside the data "
            "folder) and give it with --secret-file or MANDATE_SECRET_FILE"
        )
    secret = read_server_secret(settings.secret_file) if settings.secret_file else None
    return ContestService(
        open_store(settings.effective_database_url),
        server_secret=secret,
        signer=signer,
        published_dir=settings.published_dir,
    )
