"""Ed25519 signatures over canonical JSON documents.

The signed message is ``"mandate/signed-document/v1" ‖ canonical_json(document)`` (length
prefixed, see :func:`mandate.crypto.hashing.encode_parts`); keys and signatures are written as
lowercase hex.
"""

from __future__ import annotations

from collections.abc import Mapping

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from mandate.crypto.hashing import canonical_json, encode_parts

__all__ = ["public_key_hex", "sign_document", "verify_document"]

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
