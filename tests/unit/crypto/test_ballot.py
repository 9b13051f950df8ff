"""Encrypted ranked ballots: made, read, checked, tracked, audited; attacks refused."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.crypto_records import tampered
from tests.crypto_strategies import CRYPTO_SETTINGS

from mandate.crypto.ballot import (
    BallotSetup,
    EncryptedBallot,
    check_audit,
    check_ballot,
    credential_key,
    encrypt_ballot,
    positions_of_ranking,
    ranking_from_positions,
    signed_message,
)
from mandate.crypto.elgamal import decrypt, public_key
from mandate.crypto.group import Scalar, random_scalar
from mandate.crypto.proofs import sign
from mandate.errors import (
    CredentialError,
    EncodingError,
    InvalidBallotError,
    MandateError,
    ProofError,
    VerificationError,
)

ELECTION = bytes(range(32))
X = Scalar(987654321)
SETUP = BallotSetup(election=ELECTION, public_key=public_key(X), candidates=5, positions=4)


def cast(
    ranking: tuple[int, ...],
    *,
    credential: str = "7KQ2M-ABCDE-FGHJK-MNPQR",
    voter_class: str = "member",
    setup: BallotSetup = SETUP,
    randomness: list[Scalar] | None = None,
) -> EncryptedBallot:
    rs = randomness or [random_scalar() for _ in range(setup.positions)]
    return encrypt_ballot(
        setup,
        credential=credential_key(setup.election, credential),
        voter_class=voter_class,
        ranking=ranking,
        randomness=rs,
        proof_randomness=[random_scalar() for _ in range(setup.positions)],
        signature_randomness=random_scalar(),
    )


BALLOT = cast((3, 1))


def test_an_honest_ballot_is_accepted_and_reads_back_from_its_json() -> None:
    check_ballot(SETUP, BALLOT)
    again = EncryptedBallot.from_json(BALLOT.to_json())
    assert again == BALLOT
    check_ballot(SETUP, again)


def test_decrypting_the_positions_gives_the_ranking() -> None:
    values = [decrypt(X, ct, bound=SETUP.candidates) for ct in BALLOT.positions]
    assert values == [3, 1, 0, 0]
    assert ranking_from_positions(values, candidates=5) == (3, 1)


def test_the_tracker_is_a_hash_of_the_ballot_and_says_nothing_of_the_ranking() -> None:
    other = cast((3, 1))
    assert len(BALLOT.tracker()) == 64
    assert BALLOT.tracker() == EncryptedBallot.from_json(BALLOT.to_json()).tracker()
    assert BALLOT.tracker() != other.tracker()  # the same ranking, another tracker


def _json_variants() -> list[tuple[str, dict[str, Any]]]:
    return list(tampered(BALLOT.to_json(), "ballot"))


@pytest.mark.parametrize(("where", "changed"), _json_variants(), ids=lambda v: str(v)[:60])
def test_a_change_to_any_field_of_a_ballot_is_refused(where: str, changed: dict[str, Any]) -> None:
    with pytest.raises(MandateError):
        check_ballot(SETUP, EncryptedBallot.from_json(changed))


def test_a_ballot_copied_under_another_credential_is_refused() -> None:
    """The attacker re-signs a victim's ciphertexts and proof with their own credential."""
    thief = credential_key(ELECTION, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZ0")
    stolen = replace(BALLOT, credential=public_key(thief))
    stolen = replace(
        stolen, signature=sign(thief, signed_message(stolen), context=ELECTION, w=Scalar(5))
    )
    with pytest.raises(ProofError, match="ballot proof"):
        check_ballot(SETUP, stolen)


def test_a_ballot_replayed_in_another_election_is_refused() -> None:
    other = replace(SETUP, election=bytes(32))
    with pytest.raises(VerificationError, match="is for election"):
        check_ballot(other, BALLOT)


def test_a_ballot_moved_to_another_voter_class_is_refused() -> None:
    with pytest.raises(ProofError):
        check_ballot(SETUP, replace(BALLOT, voter_class="supporter"))


def test_a_ballot_with_a_position_dropped_or_swapped_is_refused() -> None:
    with pytest.raises(VerificationError, match="3 positions; this election has 4"):
        check_ballot(SETUP, replace(BALLOT, positions=BALLOT.positions[:3]))
    swapped = (BALLOT.positions[1], BALLOT.positions[0], *BALLOT.positions[2:])
    with pytest.raises(ProofError):
        check_ballot(SETUP, replace(BALLOT, positions=swapped))


@pytest.mark.parametrize(
    ("ranking", "message"),
    [
        ((1, 2, 3, 4, 5), "at most 4"),
        ((2, 2), "twice"),
        ((6,), "not in 1 … 5"),
        ((0,), "not in 1 … 5"),
    ],
)
def test_a_ranking_that_cannot_be_encoded_is_refused(
    ranking: tuple[int, ...], message: str
) -> None:
    with pytest.raises(InvalidBallotError, match=message):
        positions_of_ranking(ranking, candidates=5, positions=4)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ((3, 0, 1, 0), "follows an empty position"),
        ((3, 3, 0, 0), "ranked twice"),
        ((9, 0, 0, 0), "position 1 holds 9"),
        ((0, 0, 0, 0), "0 preferences; the rules allow 1 to 4"),
    ],
)
def test_an_invalid_decrypted_ballot_is_named_as_such(
    values: tuple[int, ...], message: str
) -> None:
    with pytest.raises(InvalidBallotError, match=message):
        ranking_from_positions(values, candidates=5)


def test_the_rulebook_limits_the_number_of_preferences() -> None:
    with pytest.raises(InvalidBallotError, match="3 preferences; the rules allow 1 to 2"):
        ranking_from_positions((1, 2, 3, 0), candidates=5, maximum=2)


def test_a_benaloh_audit_passes_for_an_honest_device_and_catches_a_cheating_one() -> None:
    rs = [random_scalar() for _ in range(4)]
    audited = cast((2, 5, 1), randomness=rs)
    check_audit(SETUP, audited, ranking=(2, 5, 1), randomness=rs)
    with pytest.raises(VerificationError, match="position 1 does not encrypt 5"):
        check_audit(SETUP, audited, ranking=(5, 2, 1), randomness=rs)


def test_credential_keys_depend_on_the_election_not_on_how_the_credential_was_typed() -> None:
    typed = "7kq2m abcde fghjk mnpqr"
    assert credential_key(ELECTION, typed) == credential_key(ELECTION, "7KQ2M-ABCDE-FGHJK-MNPQR")
    assert credential_key(ELECTION, typed) != credential_key(bytes(32), typed)
    with pytest.raises(CredentialError, match="malformed credential"):
        credential_key(ELECTION, "7KQ2M")


@given(st.permutations(range(1, 6)).flatmap(lambda p: st.integers(1, 4).map(lambda n: p[:n])))
@CRYPTO_SETTINGS
def test_every_strict_ranking_survives_encryption_and_decryption(ranking: list[int]) -> None:
    ballot = cast(tuple(ranking))
    check_ballot(SETUP, ballot)
    values = [decrypt(X, ct, bound=SETUP.candidates) for ct in ballot.positions]
    assert ranking_from_positions(values, candidates=5) == tuple(ranking)


def test_a_position_encrypted_with_randomness_zero_is_refused() -> None:
    """A broken device that used r = 0 would publish g^v in the clear: refused, named."""
    rs = [random_scalar() for _ in range(4)]
    rs[1] = Scalar(0)
    with pytest.raises(VerificationError, match="position 2 was encrypted with randomness 0"):
        check_ballot(SETUP, cast((2, 1), randomness=rs))


@pytest.mark.parametrize("version", [True, 1.0, "1", 2])
def test_a_version_other_than_the_integer_1_is_refused(version: object) -> None:
    with pytest.raises(EncodingError, match=r"ballot\.version"):
        EncryptedBallot.from_json({**BALLOT.to_json(), "version": version})
