"""Hashing, credentials and signatures."""

from __future__ import annotations

import pytest

from mandate.crypto import (
    credential_hash,
    encode_parts,
    format_credential,
    hash_hex,
    parse_credential,
    public_key_hex,
    sign_document,
    verify_document,
)
from mandate.errors import CredentialError


def test_length_prefix_separates_part_boundaries() -> None:
    assert hash_hex("d", "ab", "c") != hash_hex("d", "a", "bc")


def test_domain_separates_purposes() -> None:
    assert hash_hex("one", "x") != hash_hex("two", "x")
    assert encode_parts("d", b"x") == encode_parts("d", "x")


def test_credential_round_trips_through_sloppy_typing() -> None:
    credential = format_credential(bytes(range(13)))
    typed = credential.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    assert parse_credential(typed) == credential


@pytest.mark.parametrize("text", ["", "ABCDE", "ABCDE-ABCDE-ABCDE-ABCD!", "U" * 20, "A" * 21])
def test_malformed_credentials_are_refused(text: str) -> None:
    with pytest.raises(CredentialError, match="malformed"):
        parse_credential(text)


def test_credential_hash_depends_on_the_contest_key() -> None:
    credential = format_credential(bytes(13))
    assert credential_hash(b"a" * 32, credential) != credential_hash(b"b" * 32, credential)
    assert credential_hash(b"a" * 32, credential) == credential_hash(b"a" * 32, credential.lower())


def test_signature_verifies_and_detects_any_change() -> None:
    seed = bytes(range(32))
    document = {"winner": "A", "votes": {"A": "3", "B": "2"}}
    signature = sign_document(seed, document)
    key = public_key_hex(seed)
    assert verify_document(key, document, signature)
    assert not verify_document(key, {**document, "winner": "B"}, signature)
    assert not verify_document(public_key_hex(bytes(32)), document, signature)
    assert not verify_document(key, document, "00" * 64)
    assert not verify_document(key, document, "not hex")
