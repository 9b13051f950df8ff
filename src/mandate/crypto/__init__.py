"""mandate.crypto: hashing, keyed credential hashes, Ed25519 signatures and key fingerprints,
audit-chain hashes.

Pure: no randomness is drawn here (callers pass random bytes in), no clock, no I/O.
"""

from __future__ import annotations

from mandate.crypto.credentials import (
    contest_credential_key,
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
from mandate.crypto.keyfile import KdfParams, key_file_header, open_key_file, seal_key_file
from mandate.crypto.signing import (
    SeedSigner,
    Signer,
    public_key_hex,
    sign_document,
    verify_document,
)

__all__ = [
    "GENESIS_HASH",
    "BallotSetHasher",
    "KdfParams",
    "SeedSigner",
    "Signer",
    "audit_entry_hash",
    "ballot_set_digest",
    "canonical_json",
    "contest_credential_key",
    "credential_hash",
    "encode_parts",
    "format_credential",
    "format_tracker",
    "hash_hex",
    "key_file_header",
    "key_fingerprint",
    "keyed_credential_hash",
    "keyed_hash",
    "open_key_file",
    "parse_credential",
    "parse_tracker",
    "payload_text",
    "public_key_hex",
    "seal_key_file",
    "sign_document",
    "verify_document",
]
