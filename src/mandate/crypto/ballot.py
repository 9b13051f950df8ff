"""Encrypted ranked ballots: made, read, checked, tracked and audited (specification §8, §9, §13).

A ballot holds P positions; position p encrypts the number (1 … k) of the candidate ranked
p-th, or 0 after the last preference. It carries the ballot proof of §6.5 (knowledge of every
position's randomness, bound to the election, the credential and the voter class) and a
Schnorr signature with the credential's key over its canonical JSON. Whether the positions
form a valid ranking is checked after the mix and decryption, in public
(:func:`ranking_from_positions`), as §9.5 explains.

All randomness (each position's r, each w) is passed in; nothing here draws any.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mandate.crypto.credentials import parse_credential
from mandate.crypto.elgamal import Ciphertext, encrypt
from mandate.crypto.group import G, Point, Scalar, hash_to_scalar
from mandate.crypto.hashing import canonical_json, encode_parts, hash_hex
from mandate.crypto.proofs import BallotProof, SchnorrProof, prove_ballot, sign, verify_ballot
from mandate.crypto.proofs import verify_signature as _verify_signature
from mandate.errors import EncodingError, InvalidBallotError, ProofError, VerificationError

__all__ = [
    "BALLOT_CONTEXT_TAG",
    "BALLOT_VERSION",
    "CREDENTIAL_TAG",
    "SIGNED_BALLOT_TAG",
    "TRACKER_TAG",
    "BallotSetup",
    "EncryptedBallot",
    "ballot_context",
    "check_audit",
    "check_ballot",
    "credential_key",
    "encrypt_ballot",
    "positions_of_ranking",
    "ranking_from_positions",
    "signed_message",
]

BALLOT_VERSION = 1
CREDENTIAL_TAG = "mandate/v1/credential"
BALLOT_CONTEXT_TAG = "mandate/v1/ballot/context"
SIGNED_BALLOT_TAG = "mandate/v1/ballot/signed"
TRACKER_TAG = "mandate/v1/tracker"


@dataclass(frozen=True, slots=True, kw_only=True)
class BallotSetup:
    """What a ballot is made and checked against: the election fingerprint φ (32 bytes), the
    election public key y, the number of candidates k and of positions P (1 ≤ P ≤ k)."""

    election: bytes
    public_key: Point
    candidates: int
    positions: int

    def __post_init__(self) -> None:
        if len(self.election) != 32:
            raise ValueError("the election fingerprint φ is 32 bytes")
        if not 1 <= self.positions <= self.candidates:
            raise ValueError(
                f"a ballot has 1 to {self.candidates} positions (got {self.positions})"
            )
        if self.public_key.is_identity:
            raise ValueError("the election public key must not be the identity element")


def credential_key(election: bytes, credential: str) -> Scalar:
    """``x_cred = Hs("mandate/v1/credential", φ, credential)``; the public one is g^x_cred.

    The credential enters in its written form (``parse_credential``: upper case, look-alikes
    mended, four groups of five joined by hyphens), so that it may be typed sloppily.

    Raises:
        CredentialError: a malformed credential.

    >>> credential_key(bytes(32), "7kq2m abcde fghjk mnpqr") == credential_key(
    ...     bytes(32), "7KQ2M-ABCDE-FGHJK-MNPQR")
    True
    """
    x = hash_to_scalar(CREDENTIAL_TAG, election, parse_credential(credential))
    if x.value == 0:  # probability 2⁻²⁵²; refused rather than assumed away
        raise ValueError("this credential gives the signing key 0; issue another")
    return x


def ballot_context(election: bytes, credential: Point, voter_class: str) -> bytes:
    """``encode("mandate/v1/ballot/context", φ, S, class)``: what the ballot proof is bound to."""
    return encode_parts(BALLOT_CONTEXT_TAG, election, credential.data, voter_class)


def positions_of_ranking(
    ranking: Sequence[int], *, candidates: int, positions: int
) -> tuple[int, ...]:
    """The position values of a strict ranking of candidate numbers: ``(3, 1)`` → ``(3, 1, 0, 0)``.

    >>> positions_of_ranking((3, 1), candidates=4, positions=4)
    (3, 1, 0, 0)
    """
    if len(ranking) > positions:
        raise InvalidBallotError(f"a ranking of {len(ranking)} candidates; at most {positions}")
    if len(set(ranking)) != len(ranking):
        raise InvalidBallotError(f"the ranking {list(ranking)} names a candidate twice")
    for number in ranking:
        if not 1 <= number <= candidates:
            raise InvalidBallotError(f"candidate number {number} is not in 1 … {candidates}")
    return (*ranking, *([0] * (positions - len(ranking))))


def ranking_from_positions(
    values: Sequence[int], *, candidates: int, minimum: int = 1, maximum: int | None = None
) -> tuple[int, ...]:
    """The ranking a decrypted ballot holds, if it is valid (§13).

    Valid: every value in 0 … k, the non-zero values first and distinct, and their number
    between ``minimum`` and ``maximum`` (the rulebook's limits; default P).

    Raises:
        InvalidBallotError: the ballot is invalid, and why.

    >>> ranking_from_positions((3, 1, 0, 0), candidates=4)
    (3, 1)
    """
    top = len(values) if maximum is None else maximum
    for p, v in enumerate(values, start=1):
        if not 0 <= v <= candidates:
            raise InvalidBallotError(f"position {p} holds {v}, not a candidate number or 0")
    ranked = tuple(v for v in values if v != 0)
    if tuple(values[: len(ranked)]) != ranked:
        raise InvalidBallotError(f"a preference follows an empty position in {list(values)}")
    if len(set(ranked)) != len(ranked):
        raise InvalidBallotError(f"a candidate is ranked twice in {list(values)}")
    if not minimum <= len(ranked) <= top:
        raise InvalidBallotError(f"{len(ranked)} preferences; the rules allow {minimum} to {top}")
    return ranked


@dataclass(frozen=True, slots=True, kw_only=True)
class EncryptedBallot:
    """A cast ballot (§9.3); its JSON is the published form, its tracker the hash of that."""

    election: bytes
    credential: Point
    voter_class: str
    positions: tuple[Ciphertext, ...]
    proof: BallotProof
    signature: SchnorrProof

    def body_json(self) -> dict[str, object]:
        """The ballot without its signature: what the credential signs."""
        return {
            "version": BALLOT_VERSION,
            "election": self.election.hex(),
            "credential": self.credential.hex(),
            "class": self.voter_class,
            "positions": [ct.to_json() for ct in self.positions],
            "proof": self.proof.to_json(),
        }

    def to_json(self) -> dict[str, object]:
        return {**self.body_json(), "signature": self.signature.to_json()}

    def tracker(self) -> str:
        """``Hid("mandate/v1/tracker", canonical_json(ballot))``, 64 hex digits."""
        return hash_hex(TRACKER_TAG, canonical_json(self.to_json()))

    @classmethod
    def from_json(cls, value: object) -> EncryptedBallot:
        """Read a ballot; every field is checked and a bad one named (nothing is kept)."""
        keys = {"version", "election", "credential", "class", "positions", "proof", "signature"}
        if not isinstance(value, Mapping) or set(value) != keys:
            raise EncodingError("ballot", f"an object with exactly {sorted(keys)}")
        version = value["version"]
        if type(version) is not int or version != BALLOT_VERSION:  # not true, not 1.0
            raise EncodingError(
                "ballot.version", f"the integer {BALLOT_VERSION} (got {version!r:.20})"
            )
        election = value["election"]
        if not isinstance(election, str):
            raise EncodingError("ballot.election", "64 lowercase hexadecimal digits")
        try:
            election_bytes = bytes.fromhex(election)
        except ValueError:
            election_bytes = b""
        if len(election_bytes) != 32 or election_bytes.hex() != election:
            raise EncodingError("ballot.election", "64 lowercase hexadecimal digits")
        credential = value["credential"]
        try:
            credential_point = Point.from_hex(credential)
        except EncodingError as error:
            raise EncodingError("ballot.credential", error.expected) from None
        voter_class = value["class"]
        if not isinstance(voter_class, str) or not voter_class:
            raise EncodingError("ballot.class", "the name of a voter class")
        positions = value["positions"]
        if not isinstance(positions, list) or not positions:
            raise EncodingError("ballot.positions", "a list of ciphertexts")
        return cls(
            election=election_bytes,
            credential=credential_point,
            voter_class=voter_class,
            positions=tuple(
                Ciphertext.from_json(ct, where=f"ballot.positions[{n}]")
                for n, ct in enumerate(positions)
            ),
            proof=BallotProof.from_json(value["proof"], where="ballot.proof"),
            signature=SchnorrProof.from_json(value["signature"], where="ballot.signature"),
        )


def signed_message(ballot: EncryptedBallot) -> bytes:
    """``encode("mandate/v1/ballot/signed", canonical_json(ballot without signature))``."""
    return encode_parts(SIGNED_BALLOT_TAG, canonical_json(ballot.body_json()))


def encrypt_ballot(
    setup: BallotSetup,
    *,
    credential: Scalar,
    voter_class: str,
    ranking: Sequence[int],
    randomness: Sequence[Scalar],
    proof_randomness: Sequence[Scalar],
    signature_randomness: Scalar,
) -> EncryptedBallot:
    """The voter's device: encrypt each position, prove, sign (§9.3).

    ``randomness`` and ``proof_randomness`` hold P fresh random scalars each (the rₚ and wₚ);
    keep ``randomness`` only for a Benaloh audit (:func:`check_audit`), never for a cast ballot.
    """
    values = positions_of_ranking(ranking, candidates=setup.candidates, positions=setup.positions)
    if not len(randomness) == len(proof_randomness) == setup.positions:
        raise ValueError(f"need {setup.positions} random scalars for r and for w")
    S = G**credential
    y = setup.public_key
    positions = tuple(encrypt(y, v, r) for v, r in zip(values, randomness, strict=True))
    proof = prove_ballot(
        y,
        positions,
        randomness,
        context=ballot_context(setup.election, S, voter_class),
        ws=proof_randomness,
    )
    unsigned = EncryptedBallot(
        election=setup.election,
        credential=S,
        voter_class=voter_class,
        positions=positions,
        proof=proof,
        signature=SchnorrProof(c=Scalar(0), s=Scalar(0)),
    )
    signature = sign(
        credential, signed_message(unsigned), context=setup.election, w=signature_randomness
    )
    return EncryptedBallot(
        election=setup.election,
        credential=S,
        voter_class=voter_class,
        positions=positions,
        proof=proof,
        signature=signature,
    )


def check_ballot(setup: BallotSetup, ballot: EncryptedBallot) -> None:
    """What the server and the verifier check of a ballot (§9.3), the credential list aside.

    Raises:
        VerificationError: another election, the wrong number of positions, or a position
            encrypted with randomness 0 (α = O, which would show its plaintext).
        ProofError: the ballot proof or the signature fails (names which).
    """
    if ballot.election != setup.election:
        raise VerificationError(
            f"the ballot is for election {ballot.election.hex()}, not {setup.election.hex()}"
        )
    if len(ballot.positions) != setup.positions:
        raise VerificationError(
            f"the ballot has {len(ballot.positions)} positions; this election has {setup.positions}"
        )
    if ballot.credential.is_identity:
        raise ProofError("signature", "the credential is the identity element")
    for p, ct in enumerate(ballot.positions, start=1):
        if ct.alpha.is_identity:
            raise VerificationError(
                f"ballot position {p} was encrypted with randomness 0, which shows its "
                "plaintext: the voter's device is broken; the ballot is refused"
            )
    verify_ballot(
        setup.public_key,
        ballot.positions,
        ballot.proof,
        context=ballot_context(setup.election, ballot.credential, ballot.voter_class),
    )
    _verify_signature(
        ballot.credential, signed_message(ballot), ballot.signature, context=setup.election
    )


def check_audit(
    setup: BallotSetup,
    ballot: EncryptedBallot,
    *,
    ranking: Sequence[int],
    randomness: Sequence[Scalar],
) -> None:
    """The Benaloh challenge (§9.7): the revealed ranking and randomness make this ballot.

    Raises:
        VerificationError: a position is not the encryption of what the device claims.
    """
    values = positions_of_ranking(ranking, candidates=setup.candidates, positions=setup.positions)
    if len(randomness) != len(ballot.positions) or len(values) != len(ballot.positions):
        raise VerificationError("the audit reveals a different number of positions")
    for p, (ct, v, r) in enumerate(zip(ballot.positions, values, randomness, strict=True), 1):
        if encrypt(setup.public_key, v, r) != ct:
            raise VerificationError(
                f"position {p} does not encrypt {v} with the revealed randomness: "
                "this device did not encrypt the ranking it showed"
            )
