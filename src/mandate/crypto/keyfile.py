"""Passphrase-protected key files: a secret sealed with Argon2id and ChaCha20-Poly1305.

A key file is one JSON object (``mandate-key/1``, specified in docs/contests.md)::

    {"format": "mandate-key/1", "kind": "ed25519-signing", "public_key": "<hex>",
     "kdf": {"name": "argon2id", "salt": "<hex>", "iterations": 3, "memory_kib": 65536,
             "lanes": 4},
     "cipher": "chacha20-poly1305", "nonce": "<hex>", "ciphertext": "<hex>"}

``k = Argon2id(passphrase, salt, t=iterations, m=memory_kib, p=lanes, 32 bytes)`` and
``ciphertext = ChaCha20-Poly1305(k, nonce, secret, aad)`` where ``aad`` is the canonical JSON of
every field but ``ciphertext``: a wrong passphrase, or any change to any field (the public key
shown, the parameters), makes the file refuse to open. Both primitives come from
``cryptography`` (pinned in pyproject.toml). The ``kind`` names what the secret is, so that
other secrets (a trustee's share, later) can be kept the same way.

Pure: the salt and nonce are passed in; reading and writing the file is the shell's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from mandate.crypto.hashing import canonical_json
from mandate.errors import SigningKeyError

__all__ = [
    "KEY_FILE_FORMAT",
    "MIN_PASSPHRASE",
    "SIGNING_KIND",
    "KdfParams",
    "key_file_header",
    "open_key_file",
    "seal_key_file",
]

KEY_FILE_FORMAT = "mandate-key/1"
SIGNING_KIND = "ed25519-signing"
MIN_PASSPHRASE = 12
"""Fewest characters a new key file's passphrase may have."""

CIPHER = "chacha20-poly1305"


@dataclass(frozen=True, slots=True, kw_only=True)
class KdfParams:
    """Argon2id's cost: passes, memory (KiB) and lanes (RFC 9106's second recommended set,
    64 MiB and 3 passes, by default)."""

    iterations: int = 3
    memory_kib: int = 64 * 1024
    lanes: int = 4

    def __post_init__(self) -> None:
        if self.iterations < 1 or self.lanes < 1 or self.memory_kib < 8 * self.lanes:
            raise ValueError(f"Argon2id parameters out of range: {self}")


def _derive(passphrase: str, salt: bytes, params: KdfParams) -> bytes:
    return Argon2id(
        salt=salt,
        length=32,
        iterations=params.iterations,
        lanes=params.lanes,
        memory_cost=params.memory_kib,
    ).derive(passphrase.encode("utf-8"))


def _header(
    kind: str, public_key: str, salt: bytes, params: KdfParams, nonce: bytes
) -> dict[str, Any]:
    return {
        "format": KEY_FILE_FORMAT,
        "kind": kind,
        "public_key": public_key,
        "kdf": {
            "name": "argon2id",
            "salt": salt.hex(),
            "iterations": params.iterations,
            "memory_kib": params.memory_kib,
            "lanes": params.lanes,
        },
        "cipher": CIPHER,
        "nonce": nonce.hex(),
    }


def seal_key_file(
    secret: bytes,
    passphrase: str,
    *,
    public_key: str,
    salt: bytes,
    nonce: bytes,
    kind: str = SIGNING_KIND,
    params: KdfParams | None = None,
) -> bytes:
    """The bytes of a key file holding ``secret`` under ``passphrase``.

    Args:
        secret: what to protect (an Ed25519 seed for ``ed25519-signing``).
        public_key: shown in the clear (hex), and bound to the secret by the AEAD.
        salt: 16 random bytes; nonce: 12 random bytes (the caller draws both with ``secrets``).

    Raises:
        SigningKeyError: a passphrase shorter than :data:`MIN_PASSPHRASE` characters.
    """
    if len(passphrase) < MIN_PASSPHRASE:
        raise SigningKeyError(
            f"a key file's passphrase needs at least {MIN_PASSPHRASE} characters "
            f"(got {len(passphrase)})"
        )
    if len(salt) < 16 or len(nonce) != 12:
        raise ValueError("a key file needs a 16-byte salt and a 12-byte nonce")
    params = params or KdfParams()
    header = _header(kind, public_key, salt, params, nonce)
    key = _derive(passphrase, salt, params)
    sealed = ChaCha20Poly1305(key).encrypt(nonce, secret, canonical_json(header))
    return (json.dumps({**header, "ciphertext": sealed.hex()}, indent=2) + "\n").encode("utf-8")


def key_file_header(data: bytes, *, source: str) -> dict[str, Any]:
    """The clear fields of a key file (format, kind, public key, parameters), checked.

    Raises:
        SigningKeyError: not a mandate key file (``source`` names it).
    """
    try:
        fields = json.loads(data.decode("utf-8"))
        if not isinstance(fields, dict) or fields.get("format") != KEY_FILE_FORMAT:
            raise ValueError("format")
        kdf = fields["kdf"]
        if kdf["name"] != "argon2id" or fields["cipher"] != CIPHER:
            raise ValueError("algorithm")
        bytes.fromhex(kdf["salt"])
        bytes.fromhex(fields["nonce"])
        bytes.fromhex(fields["ciphertext"])
        str(fields["public_key"])
        str(fields["kind"])
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise SigningKeyError(
            f"not a mandate key file (expected JSON with format {KEY_FILE_FORMAT!r})",
            path=source,
        ) from None
    return fields


def open_key_file(data: bytes, passphrase: str, *, source: str, kind: str = SIGNING_KIND) -> bytes:
    """The secret a key file holds.

    Raises:
        SigningKeyError: not a key file, another kind of key, a wrong passphrase, or a file
            changed since it was written (the last two cannot be told apart, by design).
    """
    fields = key_file_header(data, source=source)
    if fields["kind"] != kind:
        raise SigningKeyError(f"holds a {fields['kind']!r} key, not a {kind!r} key", path=source)
    kdf = fields["kdf"]
    try:
        params = KdfParams(
            iterations=int(kdf["iterations"]),
            memory_kib=int(kdf["memory_kib"]),
            lanes=int(kdf["lanes"]),
        )
    except (ValueError, KeyError, TypeError):
        raise SigningKeyError("its Argon2id parameters are not valid", path=source) from None
    if params.memory_kib > 4 * 1024 * 1024 or params.iterations > 64 or params.lanes > 64:
        raise SigningKeyError(
            f"its Argon2id parameters ask for too much work ({params})", path=source
        )
    salt = bytes.fromhex(kdf["salt"])
    nonce = bytes.fromhex(fields["nonce"])
    header = _header(fields["kind"], str(fields["public_key"]), salt, params, nonce)
    key = _derive(passphrase, salt, params)
    try:
        return ChaCha20Poly1305(key).decrypt(
            nonce, bytes.fromhex(fields["ciphertext"]), canonical_json(header)
        )
    except InvalidTag:
        raise SigningKeyError(
            "wrong passphrase, or the key file was changed since it was written", path=source
        ) from None
