"""Ed25519 signatures over canonical JSON documents.

The signed message is ``"mandate/signed-document/v1" ‖ canonical_json(document)`` (length
prefixed, see :func:`mandate.crypto.hashing.encode_parts`); keys and signatures are written as
lowercase hex.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from mandate.crypto.hashing import canonical_json, encode_parts
from mandate.errors import VerificationError

__all__ = [
    "SIGNATURE_ALGORITHM",
    "SeedSigner",
    "Signer",
    "public_key_hex",
    "sign_document",
    "signature_value",
    "verify_document",
]

SIGNING_DOMAIN = "mandate/signed-document/v1"
SIGNATURE_ALGORITHM = "Ed25519"
"""The one algorithm a signed document's ``signature`` block may name."""


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


def signature_value(block: object, *, where: str) -> str:
    """The hex signature in a ``{"algorithm": "Ed25519", "value": …}`` block.

    A verifier checks only signatures made the way it knows: a block naming any other
    algorithm (or none) is refused rather than checked as if it were Ed25519.

    >>> signature_value({"algorithm": "Ed25519", "value": "ab"}, where="declaration.json")
    'ab'

    Raises:
        VerificationError: not such a block, or another algorithm (``where`` names the file).
    """
    if not isinstance(block, Mapping) or not isinstance(block.get("value"), str):
        raise VerificationError(f"{where}: the signature is not an algorithm and a value")
    if block.get("algorithm") != SIGNATURE_ALGORITHM:
        raise VerificationError(
            f"{where}: signature algorithm {block.get('algorithm')!r} is not supported "
            f"(expected {SIGNATURE_ALGORITHM!r})"
        )
    return str(block["value"])


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
