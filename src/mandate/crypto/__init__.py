"""mandate.crypto: hashing, keyed credential hashes, Ed25519 signatures and key fingerprints,
audit-chain hashes.

Pure: no randomness is drawn here (callers pass random bytes in), no clock, no I/O.
"""

from __future__ import annotations

from mandate.crypto.credentials import (
    credential_hash,
    format_credential,
    format_tracker,
    keyed_credential_hash,
    parse_credential,
    parse_tracker,
)
from mandate.crypto.fingerprint import key_fingerprint
from mandate.crypto.hashing import (
    GENESIS_HASH,
    BallotSetHasher,
    audit_entry_hash,
    ballot_set_digest,
    canonical_json,
    encode_parts,
    hash_hex,
    keyed_hash,
    payload_text,
)
from mandate.crypto.signing import public_key_hex, sign_document, verify_document

__all__ = [
    "GENESIS_HASH",
    "BallotSetHasher",
    "audit_entry_hash",
    "ballot_set_digest",
    "canonical_json",
    "credential_hash",
    "encode_parts",
    "format_credential",
    "format_tracker",
    "hash_hex",
    "key_fingerprint",
    "keyed_credential_hash",
    "keyed_hash",
    "parse_credential",
    "parse_tracker",
    "payload_text",
    "public_key_hex",
    "sign_document",
    "verify_document",
]
