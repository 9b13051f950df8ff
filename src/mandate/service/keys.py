"""The returning officer's key file and the server secret, on disk.

Two secrets, neither in the database (docs/contests.md, "Keys"):

- the **signing key** of a contest, an Ed25519 seed in a passphrase-protected key file
  (:mod:`mandate.crypto.keyfile`) that the returning officer holds; it is opened for the
  steps that sign (every transition, and the declaration) and never stored by mandate;
- the **server secret**, 32 random bytes in a file of its own outside the data folder
  (``--secret-file``), from which each contest's credential key is derived
  (:func:`mandate.crypto.contest_credential_key`): the running server needs it to check
  voting codes while the officer's key file is elsewhere.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from mandate.crypto import SeedSigner, key_file_header, open_key_file, public_key_hex, seal_key_file
from mandate.crypto.keyfile import KdfParams
from mandate.errors import ConfigError, SigningKeyError

__all__ = [
    "SECRET_BYTES",
    "create_key_file",
    "create_server_secret",
    "key_file_public_key",
    "load_signer",
    "new_key_file",
    "read_server_secret",
    "signer_from_bytes",
]

SECRET_BYTES = 32


def _write_private(path: Path, content: bytes, what: str) -> None:
    """Write a new file readable by its owner only (0600); never overwrite one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SigningKeyError(
            f"already exists; a {what} is never overwritten", path=str(path)
        ) from None
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(content)


def new_key_file(passphrase: str, *, params: KdfParams | None = None) -> tuple[bytes, str]:
    """A new Ed25519 signing key sealed under ``passphrase``: the key file's bytes and its
    public key (hex). Nothing is written or kept.

    Raises:
        SigningKeyError: a passphrase too short.
    """
    seed = secrets.token_bytes(32)
    public_key = public_key_hex(seed)
    content = seal_key_file(
        seed,
        passphrase,
        public_key=public_key,
        salt=secrets.token_bytes(16),
        nonce=secrets.token_bytes(12),
        params=params,
    )
    return content, public_key


def create_key_file(path: Path, passphrase: str, *, params: KdfParams | None = None) -> SeedSigner:
    """Make a new Ed25519 signing key and keep it, under ``passphrase``, in a new file.

    Raises:
        SigningKeyError: the file exists, or the passphrase is too short.
    """
    content, _ = new_key_file(passphrase, params=params)
    _write_private(path, content, "key file")
    return signer_from_bytes(content, passphrase, source=str(path))


def signer_from_bytes(data: bytes, passphrase: str, *, source: str) -> SeedSigner:
    """Open a key file's bytes (e.g. an upload) with its passphrase.

    Raises:
        SigningKeyError: see :func:`mandate.crypto.open_key_file`, or a public key in the clear
            that is not the sealed seed's.
    """
    seed = open_key_file(data, passphrase, source=source)
    signer = SeedSigner(seed)
    if signer.public_key != str(key_file_header(data, source=source)["public_key"]):
        raise SigningKeyError("its public key does not match the key inside it", path=source)
    return signer


def load_signer(path: Path, passphrase: str) -> SeedSigner:
    """Open the key file at ``path`` with its passphrase.

    Raises:
        SigningKeyError: missing, unreadable, wrong passphrase, or changed.
    """
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningKeyError(
            f"cannot read the key file ({error.strerror})", path=str(path)
        ) from None
    return signer_from_bytes(data, passphrase, source=str(path))


def key_file_public_key(path: Path) -> str:
    """The public key a key file says it holds (no passphrase needed; not proof of it)."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SigningKeyError(
            f"cannot read the key file ({error.strerror})", path=str(path)
        ) from None
    return str(key_file_header(data, source=str(path))["public_key"])


def create_server_secret(path: Path) -> None:
    """Write a new server secret (32 random bytes as hex) to a new file, mode 0600."""
    _write_private(path, (secrets.token_hex(SECRET_BYTES) + "\n").encode("ascii"), "server secret")


def read_server_secret(path: Path) -> bytes:
    """The server secret in ``path``.

    Raises:
        ConfigError: missing, unreadable, not 64 hex digits, or readable by others than its
            owner (it must be mode 0600 or stricter).
    """
    try:
        mode = path.stat().st_mode
        text = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"{path}: cannot read the server secret ({error}); make one with "
            "`mandate keys secret PATH`"
        ) from None
    if mode & 0o077:
        raise ConfigError(
            f"{path}: the server secret is readable by others (mode {mode & 0o777:o}); "
            f"chmod 600 {path}"
        )
    try:
        secret = bytes.fromhex(text)
    except ValueError:
        secret = b""
    if len(secret) != SECRET_BYTES:
        raise ConfigError(
            f"{path}: not a server secret (expected {SECRET_BYTES * 2} hex digits on one line)"
        )
    return secret
