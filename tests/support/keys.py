"""A returning officer's key and a server secret for tests: real keys, freshly drawn."""

from __future__ import annotations

import secrets
from pathlib import Path

from mandate.config import Settings
from mandate.crypto import SeedSigner
from mandate.crypto.keyfile import KdfParams
from mandate.service import ContestService
from mandate.storage.ports import ContestStore

__all__ = [
    "FAST_KDF",
    "PASSPHRASE",
    "keyed_service",
    "keyed_settings",
    "new_signer",
    "officer_files",
    "write_secret",
]

PASSPHRASE = "correct horse battery staple"
FAST_KDF = KdfParams(iterations=1, memory_kib=8 * 1024, lanes=1)
"""Cheaper Argon2id for key files made in tests (the cost is a parameter of the file)."""


def new_signer() -> SeedSigner:
    """A fresh Ed25519 key, as a returning officer's key file would hold."""
    return SeedSigner(secrets.token_bytes(32))


def write_secret(path: Path) -> Path:
    """A server secret file (mode 0600) at ``path``."""
    from mandate.service.keys import create_server_secret

    create_server_secret(path)
    return path


def keyed_service(
    store: ContestStore, published: Path | None = None, *, signer: SeedSigner | None = None
) -> ContestService:
    """The contest service with a fresh officer's key and server secret."""
    return ContestService(
        store,
        server_secret=secrets.token_bytes(32),
        signer=signer or new_signer(),
        published_dir=published,
    )


def officer_files(folder: Path) -> tuple[Path, Path]:
    """A server secret and a returning officer's key file (passphrase :data:`PASSPHRASE`) in
    ``folder``, made the first time."""
    from mandate.service.keys import create_key_file

    secret, key = folder / "server.secret", folder / "officer.key"
    if not secret.exists():
        write_secret(secret)
    if not key.exists():
        create_key_file(key, PASSPHRASE, params=FAST_KDF)
    return secret, key


def server_secret(data_dir: Path) -> Path:
    """The server secret that :func:`keyed_settings` and ``running_server`` give ``data_dir``."""
    secret, _ = officer_files(data_dir.parent / f"{data_dir.name}-officer")
    return secret


def keyed_settings(data_dir: Path, **others: object) -> Settings:
    """Settings for ``data_dir`` with a server secret made beside it."""
    secret, _ = officer_files(data_dir.parent / f"{data_dir.name}-officer")
    return Settings(data_dir=data_dir, secret_file=secret, **others)  # type: ignore[arg-type]
