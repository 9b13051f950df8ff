"""Proofs and signatures: an honest proof verifies; any one changed field is refused."""

from __future__ import annotations

import pytest
from tests.crypto_records import CHECKS, Record, make_records, tampered

from mandate.crypto.elgamal import Ciphertext, encrypt
from mandate.crypto.group import IDENTITY, G, Scalar, random_scalar
from mandate.crypto.proofs import (
    SchnorrProof,
    prove_ballot,
    prove_dlog,
    prove_membership,
    sign,
    verify_ballot,
    verify_dlog,
    verify_membership,
    verify_signature,
)
from mandate.errors import EncodingError, MandateError, ProofError

RECORDS = make_records(random_scalar)


@pytest.mark.parametrize("kind", sorted(CHECKS))
def test_an_honest_proof_verifies(kind: str) -> None:
    CHECKS[kind](RECORDS[kind])


def _variants() -> list[tuple[str, str, Record]]:
    return [
        (kind, where, changed)
        for kind in sorted(CHECKS)
        for where, changed in tampered(RECORDS[kind], kind)
    ]


@pytest.mark.parametrize(("kind", "where", "changed"), _variants(), ids=lambda v: str(v))
def test_a_change_to_any_one_field_is_refused(kind: str, where: str, changed: Record) -> None:
    """One bit flipped in the statement, the context (another election) or the proof."""
    with pytest.raises((MandateError, ValueError)):
        CHECKS[kind](changed)


def test_a_proof_for_another_election_fails_as_a_proof() -> None:
    x = Scalar(99)
    proof = prove_dlog(x, context=b"election A", w=Scalar(5))
    with pytest.raises(ProofError, match="proof of knowledge does not verify"):
        verify_dlog(G**x, proof, context=b"election B")


def test_a_signature_does_not_verify_another_message_or_key() -> None:
    x = Scalar(1234)
    signature = sign(x, b"ballot 1", context=b"e", w=Scalar(77))
    verify_signature(G**x, b"ballot 1", signature, context=b"e")
    with pytest.raises(ProofError, match="signature"):
        verify_signature(G**x, b"ballot 2", signature, context=b"e")
    with pytest.raises(ProofError, match="signature"):
        verify_signature(G ** Scalar(1235), b"ballot 1", signature, context=b"e")


def test_the_identity_as_a_public_key_is_refused() -> None:
    forged = SchnorrProof(c=Scalar(0), s=Scalar(0))
    with pytest.raises(ProofError, match="identity"):
        verify_dlog(IDENTITY, forged, context=b"e")


def test_a_membership_proof_for_a_value_outside_the_list_cannot_be_made() -> None:
    """The prover claims index 1 (value 1) for an encryption of 5: the proof fails."""
    y = G ** Scalar(31)
    r = Scalar(8)
    ciphertext = encrypt(y, 5, r)
    proof = prove_membership(
        y,
        ciphertext,
        [0, 1, 2],
        index=1,
        r=r,
        context=b"e",
        w=Scalar(3),
        fakes=[(Scalar(4), Scalar(5)), (Scalar(6), Scalar(7))],
    )
    with pytest.raises(ProofError, match=r"not shown to encrypt one of \[0, 1, 2\]"):
        verify_membership(y, ciphertext, [0, 1, 2], proof, context=b"e")


def test_a_membership_proof_is_bound_to_its_list_of_values() -> None:
    y = G ** Scalar(31)
    r = Scalar(8)
    ciphertext = encrypt(y, 1, r)
    fakes = [(Scalar(4), Scalar(5))]
    proof = prove_membership(
        y, ciphertext, [0, 1], index=1, r=r, context=b"e", w=Scalar(3), fakes=fakes
    )
    verify_membership(y, ciphertext, [0, 1], proof, context=b"e")
    with pytest.raises(ProofError):
        verify_membership(y, ciphertext, [1, 0], proof, context=b"e")


def test_a_ballot_proof_cannot_be_moved_to_another_credential_or_have_a_position_swapped() -> None:
    y = G ** Scalar(31)
    rs = [Scalar(3), Scalar(4)]
    positions = [encrypt(y, 2, rs[0]), encrypt(y, 1, rs[1])]
    proof = prove_ballot(y, positions, rs, context=b"credential A", ws=[Scalar(5), Scalar(6)])
    verify_ballot(y, positions, proof, context=b"credential A")
    with pytest.raises(ProofError, match="ballot proof"):
        verify_ballot(y, positions, proof, context=b"credential B")
    with pytest.raises(ProofError, match="ballot proof"):
        verify_ballot(y, positions[::-1], proof, context=b"credential A")
    with pytest.raises(ProofError, match="2 responses for 1 positions"):
        verify_ballot(y, positions[:1], proof, context=b"credential A")


def test_a_copied_ciphertext_cannot_be_proved_without_its_randomness() -> None:
    """Mauling: adding g to β (shifting the vote) keeps α, yet the proof no longer verifies."""
    y = G ** Scalar(31)
    r = Scalar(3)
    position = encrypt(y, 2, r)
    proof = prove_ballot(y, [position], [r], context=b"c", ws=[Scalar(5)])
    shifted = Ciphertext(alpha=position.alpha, beta=position.beta * G)
    with pytest.raises(ProofError):
        verify_ballot(y, [shifted], proof, context=b"c")


def test_malformed_proof_json_is_refused_naming_the_field() -> None:
    with pytest.raises(EncodingError, match=r"^proof\.s"):
        SchnorrProof.from_json({"c": "00" * 32, "s": "ff" * 32})
    with pytest.raises(EncodingError, match="exactly"):
        SchnorrProof.from_json({"c": "00" * 32})
