"""Settings, built once by the shell (``cli`` or ``web``) and passed down.

Nothing below ``web`` and ``cli`` reads the environment: they build a :class:`Settings` here
and hand it on.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

from mandate.errors import ConfigError

__all__ = [
    "DATABASE_URL_ENV",
    "DATA_DIR_ENV",
    "HEADER_TIMEOUT_ENV",
    "KEY_FILE_ENV",
    "KEY_PASSPHRASE_ENV",
    "RATE_LIMIT_KEY_ENV",
    "SECRET_FILE_ENV",
    "TRUSTED_PROXIES_ENV",
    "Settings",
    "default_data_dir",
]

DATA_DIR_ENV = "MANDATE_DATA_DIR"
DATABASE_URL_ENV = "MANDATE_DATABASE_URL"
TRUSTED_PROXIES_ENV = "MANDATE_TRUSTED_PROXIES"
"""Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For is honoured."""
HEADER_TIMEOUT_ENV = "MANDATE_HEADER_TIMEOUT"
"""Seconds a client has to send a request's headers (set by ``mandate serve``)."""
RATE_LIMIT_KEY_ENV = "MANDATE_RATE_LIMIT_KEY"
"""The random key naming rate-limit buckets, shared by one server's workers (never stored)."""
SECRET_FILE_ENV = "MANDATE_SECRET_FILE"
"""The server secret file (credential keys are derived from it); no default."""
KEY_FILE_ENV = "MANDATE_KEY_FILE"
"""The returning officer's key file, for commands that sign (scripts; else ``--key-file``)."""
KEY_PASSPHRASE_ENV = "MANDATE_KEY_PASSPHRASE"
"""The key file's passphrase, for scripts (else ``--passphrase-file`` or a prompt)."""


def default_data_dir() -> Path:
    """The app's data folder: ``$MANDATE_DATA_DIR``, else ``$XDG_DATA_HOME/mandate``.

    Falls back to ``~/.local/share/mandate`` as the XDG base directory specification says.
    """
    explicit = os.environ.get(DATA_DIR_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_DATA_HOME")
    base = Path(xdg) if xdg else Path.home() / ".local" / "share"
    return base / "mandate"


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    """Where mandate keeps its data and which database it uses.

    Args:
        data_dir: the data folder; the SQLite file, keys and published results live here.
        database_url: a SQLAlchemy URL; ``None`` means SQLite at ``data_dir/mandate.sqlite3``.
        trusted_proxies: addresses or networks (``10.0.0.2``, ``10.0.0.0/24``) of the reverse
            proxies in front of the server; only a request coming from one of them has its
            ``X-Forwarded-For`` believed. Empty: the peer's address is the client's.
        secret_file: the server secret (``mandate keys secret``), kept outside the data
            folder; the credential keys are derived from it. ``None``: not configured, and
            anything that needs a credential key refuses (there is no default secret).
    """

    data_dir: Path
    database_url: str | None = None
    trusted_proxies: tuple[str, ...] = ()
    secret_file: Path | None = None

    def __post_init__(self) -> None:
        if self.database_url is not None and not self.database_url.startswith(
            ("sqlite", "postgresql")
        ):
            raise ConfigError(
                f"database URL must start with 'sqlite' or 'postgresql' (got {self.database_url!r})"
            )
        for proxy in self.trusted_proxies:
            try:
                ipaddress.ip_network(proxy, strict=False)
            except ValueError:
                raise ConfigError(
                    f"a trusted proxy must be an IP address or network such as 10.0.0.2 or "
                    f"10.0.0.0/24 (got {proxy!r})"
                ) from None

    @classmethod
    def build(
        cls,
        data_dir: Path | None = None,
        database_url: str | None = None,
        secret_file: Path | None = None,
        trusted_proxies: tuple[str, ...] | None = None,
    ) -> Settings:
        """Build settings from command-line values, falling back to the environment."""
        secret = secret_file or (
            Path(os.environ[SECRET_FILE_ENV]) if os.environ.get(SECRET_FILE_ENV) else None
        )
        if trusted_proxies is None:
            listed = os.environ.get(TRUSTED_PROXIES_ENV, "")
            trusted_proxies = tuple(p.strip() for p in listed.split(",") if p.strip())
        return cls(
            data_dir=(data_dir or default_data_dir()).expanduser().resolve(),
            database_url=database_url or os.environ.get(DATABASE_URL_ENV) or None,
            trusted_proxies=trusted_proxies,
            secret_file=secret.expanduser().resolve() if secret else None,
        )

    @property
    def effective_database_url(self) -> str:
        """The database URL to connect to (SQLite in the data folder unless told otherwise)."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'mandate.sqlite3'}"

    @property
    def published_dir(self) -> Path:
        """Where declared contests publish their records: ``DATA_DIR/published/<contest>/``."""
        return self.data_dir / "published"
