"""Passphrase-protected key files: they open with their passphrase, and with nothing else."""

from __future__ import annotations

import json

import pytest

from mandate.crypto import (
    KdfParams,
    SeedSigner,
    key_fingerprint,
    open_key_file,
    public_key_hex,
    seal_key_file,
)
from mandate.crypto.signing import verify_document
from mandate.errors import SigningKeyError

FAST = KdfParams(iterations=1, memory_kib=8 * 1024, lanes=1)
SEED = bytes(range(32))
PASSPHRASE = "correct horse battery staple"


def _sealed(**changes: object) -> bytes:
    return seal_key_file(
        SEED,
        PASSPHRASE,
        public_key=public_key_hex(SEED),
        salt=bytes(16),
        nonce=bytes(12),
        params=FAST,
        **changes,  # type: ignore[arg-type]
    )


def test_a_key_file_opens_with_its_passphrase() -> None:
    assert open_key_file(_sealed(), PASSPHRASE, source="k") == SEED


def test_the_seed_is_not_in_the_file_in_the_clear() -> None:
    data = _sealed()
    assert SEED.hex() not in data.decode()
    assert SEED not in data


def test_a_wrong_passphrase_is_refused() -> None:
    with pytest.raises(SigningKeyError, match="k: wrong passphrase"):
        open_key_file(_sealed(), PASSPHRASE + "!", source="k")


def test_a_changed_public_key_in_the_clear_is_refused() -> None:
    fields = json.loads(_sealed())
    fields["public_key"] = public_key_hex(bytes(32))
    with pytest.raises(SigningKeyError, match="changed since it was written"):
        open_key_file(json.dumps(fields).encode(), PASSPHRASE, source="k")


def test_weakened_parameters_are_refused() -> None:
    fields = json.loads(_sealed())
    fields["kdf"]["iterations"] = 2
    with pytest.raises(SigningKeyError, match="changed since it was written"):
        open_key_file(json.dumps(fields).encode(), PASSPHRASE, source="k")


def test_a_short_passphrase_is_refused() -> None:
    with pytest.raises(SigningKeyError, match="at least 12 characters"):
        seal_key_file(SEED, "short", public_key="", salt=bytes(16), nonce=bytes(12))


def test_something_else_is_not_a_key_file() -> None:
    with pytest.raises(SigningKeyError, match="k: not a mandate key file"):
        open_key_file(b'{"format": "x"}', PASSPHRASE, source="k")


def test_another_kind_of_key_is_refused() -> None:
    with pytest.raises(SigningKeyError, match="not a 'ed25519-signing' key"):
        open_key_file(_sealed(kind="trustee-share"), PASSPHRASE, source="k")


def test_a_seed_signer_signs_what_its_public_key_verifies() -> None:
    signer = SeedSigner(SEED)
    assert verify_document(signer.public_key, {"a": 1}, signer.sign({"a": 1}))
    assert len(key_fingerprint(signer.public_key).split("-")) == 8
