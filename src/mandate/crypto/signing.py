"""Ed25519 signatures over canonical JSON documents.

The signed message is ``"mandate/signed-document/v1" ‖ canonical_json(document)`` (length
prefixed, see :func:`mandate.crypto.hashing.encode_parts`); keys and signatures are written as
lowercase hex.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from mandate.crypto.hashing import canonical_json, encode_parts

__all__ = [
    "SeedSigner",
    "Signer",
    "key_fingerprint",
    "public_key_hex",
    "sign_document",
    "verify_document",
]

SIGNING_DOMAIN = "mandate/signed-document/v1"


def _message(document: Mapping[str, object]) -> bytes:
    return encode_parts(SIGNING_DOMAIN, canonical_json(dict(document)))


def public_key_hex(seed: bytes) -> str:
    """The Ed25519 public key (hex) of a 32-byte private seed."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    return key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def sign_document(seed: bytes, document: Mapping[str, object]) -> str:
    """Sign a JSON-ready document with the Ed25519 key of ``seed``; the signature in hex.

    >>> sig = sign_document(bytes(32), {"a": 1})
    >>> verify_document(public_key_hex(bytes(32)), {"a": 1}, sig)
    True
    """
    return Ed25519PrivateKey.from_private_bytes(seed).sign(_message(document)).hex()


def verify_document(public_key: str, document: Mapping[str, object], signature: str) -> bool:
    """True if ``signature`` (hex) is the key's Ed25519 signature of ``document``."""
    try:
        key = Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key))
        key.verify(bytes.fromhex(signature), _message(document))
    except (ValueError, InvalidSignature):
        return False
    return True


def key_fingerprint(public_key: str) -> str:
    """A public key's fingerprint to read aloud or print: the first 16 bytes of the SHA-256 of
    the raw key, in eight groups of four hex digits.

    >>> key_fingerprint(public_key_hex(bytes(32)))
    '139e 3940 e64b 5491 7220 88d9 a0d7 4162'
    """
    digest = hashlib.sha256(bytes.fromhex(public_key)).hexdigest()[:32]
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


class Signer(Protocol):
    """Whatever holds a contest's signing key and signs with it: the port.

    :class:`SeedSigner` holds an Ed25519 seed opened from the returning officer's key file; a
    hardware security module would implement the same two members, never handing out the key.
    """

    @property
    def public_key(self) -> str:
        """The Ed25519 public key (hex)."""
        ...

    def sign(self, document: Mapping[str, object]) -> str:
        """The Ed25519 signature (hex) of the document (see :func:`sign_document`)."""
        ...


class SeedSigner:
    """A :class:`Signer` over a 32-byte Ed25519 seed held in memory."""

    __slots__ = ("_public_key", "_seed")

    def __init__(self, seed: bytes) -> None:
        if len(seed) != 32:
            raise ValueError(f"an Ed25519 seed is 32 bytes (got {len(seed)})")
        self._seed = seed
        self._public_key = public_key_hex(seed)

    @property
    def public_key(self) -> str:
        """The Ed25519 public key (hex)."""
        return self._public_key

    def sign(self, document: Mapping[str, object]) -> str:
        """The Ed25519 signature (hex) of the document."""
        return sign_document(self._seed, document)

    def __repr__(self) -> str:
        return f"SeedSigner(public_key={self._public_key[:16]}…)"
