"""A public key's fingerprint: a short text a voter or a journalist can compare by eye.

The fingerprint of an Ed25519 public key ``K`` (32 bytes) is the first 16 bytes (128 bits) of
``SHA-256("mandate/key-fingerprint/v1" ‖ K)`` (length prefixed, see
:func:`mandate.crypto.hashing.encode_parts`), written as 32 upper-case hex digits in eight
groups of four: long enough that no one can make a key of their own with the announced
fingerprint. The full key (64 hex digits) is what ``mandate verify --public-key`` takes; the
fingerprint is for reading aloud and comparing with what was announced.
"""

from __future__ import annotations

import hashlib

from mandate.crypto.hashing import encode_parts

__all__ = ["key_fingerprint"]

FINGERPRINT_DOMAIN = "mandate/key-fingerprint/v1"


def key_fingerprint(public_key: str) -> str:
    """The fingerprint of a public key given in hex.

    >>> key_fingerprint("00" * 32)
    'AF35-CEA0-2100-ABE8-DEA0-3834-455B-D6F1'

    Raises:
        ValueError: not the hex of 32 bytes.
    """
    raw = bytes.fromhex(public_key.strip())
    if len(raw) != 32:
        raise ValueError(f"an Ed25519 public key is 32 bytes (got {len(raw)})")
    digest = hashlib.sha256(encode_parts(FINGERPRINT_DOMAIN, raw)).hexdigest()[:32].upper()
    return "-".join(digest[i : i + 4] for i in range(0, 32, 4))
