"""t-of-n trustees: key generation with complaints, and threshold decryption (specification §7).

Pedersen's distributed key generation (joint Feldman VSS). Trustees are numbered 1 … n. Dealer
i picks ``fᵢ(z) = a_{i,0} + a_{i,1} z + … + a_{i,t−1} z^{t−1}``, publishes the commitments
``A_{i,k} = g^{a_{i,k}}`` with a proof of knowledge of a_{i,0}, and sends ``sᵢⱼ = fᵢ(j)`` to
trustee j, who checks ``g^{sᵢⱼ} = Πₖ A_{i,k}^{jᵏ}`` (:func:`complaints`). Then
``y = Π_{i∈QUAL} A_{i,0}``, ``xⱼ = Σᵢ sᵢⱼ``, ``Yⱼ = g^{xⱼ}``, and any t trustees decrypt:
``D = Π_{j∈S} Fⱼ^{λⱼ}`` with ``Fⱼ = α^{xⱼ}`` and ``λⱼ = Π_{m∈S, m≠j} m / (m − j)``.

The coefficients and every w are parameters (drawn by the shell with
:func:`mandate.crypto.group.random_scalar`); nothing here draws randomness or keeps a secret.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from mandate.crypto.elgamal import Ciphertext
from mandate.crypto.group import IDENTITY, G, Point, Scalar
from mandate.crypto.hashing import encode_parts
from mandate.crypto.proofs import (
    SchnorrProof,
    prove_decryption_share,
    prove_dlog,
    verify_decryption_share,
    verify_dlog,
)
from mandate.errors import ProofError, VerificationError

__all__ = [
    "DKG_CONTEXT_TAG",
    "Complaint",
    "DealerCommitments",
    "DecryptionShare",
    "combine_shares",
    "complaints",
    "deal",
    "decryption_share",
    "dkg_context",
    "election_public_key",
    "evaluate",
    "lagrange_coefficient",
    "secret_share",
    "share_is_valid",
    "verification_key",
    "verify_dealer",
]

DKG_CONTEXT_TAG = "mandate/v1/dkg/context"


def dkg_context(election: bytes, trustee: int) -> bytes:
    """The context of dealer i's proof: ``encode("mandate/v1/dkg/context", φ, i)``."""
    return encode_parts(DKG_CONTEXT_TAG, election, trustee)


@dataclass(frozen=True, slots=True, kw_only=True)
class DealerCommitments:
    """What dealer i publishes: ``A_{i,0}, …, A_{i,t−1}`` and a proof of knowledge of a_{i,0}."""

    trustee: int
    commitments: tuple[Point, ...]
    proof: SchnorrProof

    def to_json(self) -> dict[str, object]:
        return {
            "trustee": self.trustee,
            "commitments": [A.hex() for A in self.commitments],
            "proof": self.proof.to_json(),
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Complaint:
    """Trustee ``receiver``'s complaint that dealer ``dealer``'s share or commitments fail."""

    dealer: int
    receiver: int
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class DecryptionShare:
    """Trustee j's ``Fⱼ = α^{xⱼ}`` with its Chaum–Pedersen proof."""

    trustee: int
    factor: Point
    proof: SchnorrProof

    def to_json(self) -> dict[str, object]:
        return {"trustee": self.trustee, "factor": self.factor.hex(), "proof": self.proof.to_json()}


def evaluate(coefficients: Sequence[Scalar], z: int) -> Scalar:
    """``f(z) = Σₖ aₖ zᵏ (mod ℓ)`` by Horner's rule."""
    point = Scalar.reduce(z)
    result = Scalar(0)
    for a in reversed(coefficients):
        result = result * point + a
    return result


def deal(
    trustee: int,
    coefficients: Sequence[Scalar],
    *,
    trustees: int,
    election: bytes,
    w: Scalar,
) -> tuple[DealerCommitments, dict[int, Scalar]]:
    """Dealer i's public commitments, and the shares ``sᵢⱼ = fᵢ(j)`` for j = 1 … n.

    ``A_{i,k} = g^{a_{i,k}}``; the proof is of a_{i,0}, context ``dkg_context(φ, i)``. The
    shares are secret: each goes to its trustee only (sᵢᵢ stays with the dealer).
    """
    if not 1 <= trustee <= trustees:
        raise ValueError(f"trustees are numbered 1 … {trustees} (got {trustee})")
    if not 1 <= len(coefficients) <= trustees or coefficients[0].value == 0:
        raise ValueError(
            f"a dealer needs t coefficients, 1 ≤ t ≤ {trustees}, the first not 0 "
            f"(got {len(coefficients)})"
        )
    commitments = tuple(G**a for a in coefficients)
    proof = prove_dlog(coefficients[0], context=dkg_context(election, trustee), w=w)
    shares = {j: evaluate(coefficients, j) for j in range(1, trustees + 1)}
    return DealerCommitments(trustee=trustee, commitments=commitments, proof=proof), shares


def _expected_share_point(commitments: Sequence[Point], j: int) -> Point:
    """``Πₖ A_{i,k}^{(jᵏ mod ℓ)}``."""
    result = IDENTITY
    power = Scalar(1)
    step = Scalar.reduce(j)
    for A in commitments:
        result = result * (A**power)
        power = power * step
    return result


def share_is_valid(commitments: Sequence[Point], j: int, share: Scalar) -> bool:
    """Whether ``g^{sᵢⱼ} = Πₖ A_{i,k}^{jᵏ}`` (Feldman's check)."""
    return G**share == _expected_share_point(commitments, j)


def verify_dealer(dealer: DealerCommitments, *, threshold: int, election: bytes) -> None:
    """Check a dealer's published part: t commitments, A_{i,0} ≠ O, the proof of a_{i,0}."""
    if len(dealer.commitments) != threshold:
        raise VerificationError(
            f"trustee {dealer.trustee} published {len(dealer.commitments)} commitments; "
            f"the threshold {threshold} needs exactly {threshold}"
        )
    verify_dlog(dealer.commitments[0], dealer.proof, context=dkg_context(election, dealer.trustee))


def complaints(
    dealers: Sequence[DealerCommitments],
    *,
    receiver: int,
    shares: Mapping[int, Scalar],
    threshold: int,
    election: bytes,
) -> tuple[Complaint, ...]:
    """Trustee ``receiver``'s complaints: every dealer whose part or share to it fails.

    ``shares`` maps each dealer's number to the share the receiver got from it (a missing one
    is a complaint too). Returns the complaints in dealer order; none when all is well.
    """
    found: list[Complaint] = []
    for dealer in dealers:
        i = dealer.trustee
        if i == receiver:
            continue
        try:
            verify_dealer(dealer, threshold=threshold, election=election)
        except VerificationError as error:
            found.append(Complaint(dealer=i, receiver=receiver, reason=str(error)))
            continue
        share = shares.get(i)
        if share is None:
            found.append(Complaint(dealer=i, receiver=receiver, reason="no share was received"))
        elif not share_is_valid(dealer.commitments, receiver, share):
            found.append(
                Complaint(
                    dealer=i,
                    receiver=receiver,
                    reason=f"the share does not match trustee {i}'s commitments",
                )
            )
    return tuple(found)


def election_public_key(qualified: Sequence[DealerCommitments]) -> Point:
    """``y = Π_{i∈QUAL} A_{i,0}``."""
    y = IDENTITY
    for dealer in qualified:
        y = y * dealer.commitments[0]
    return y


def verification_key(qualified: Sequence[DealerCommitments], j: int) -> Point:
    """``Yⱼ = Π_{i∈QUAL} Πₖ A_{i,k}^{jᵏ}``, which equals ``g^{xⱼ}``."""
    Y = IDENTITY
    for dealer in qualified:
        Y = Y * _expected_share_point(dealer.commitments, j)
    return Y


def secret_share(shares: Mapping[int, Scalar]) -> Scalar:
    """``xⱼ = Σ_{i∈QUAL} sᵢⱼ``, given the shares trustee j received from the qualified dealers."""
    x = Scalar(0)
    for share in shares.values():
        x = x + share
    return x


def lagrange_coefficient(j: int, present: Sequence[int]) -> Scalar:
    """``λⱼ = Π_{m∈S, m≠j} m / (m − j) (mod ℓ)``.

    >>> (lagrange_coefficient(1, (1, 2)) + lagrange_coefficient(2, (1, 2))).value
    1
    """
    if j not in present or len(set(present)) != len(present):
        raise ValueError(f"trustee {j} must be once among the trustees present {list(present)}")
    numerator = Scalar(1)
    denominator = Scalar(1)
    for m in present:
        if m != j:
            numerator = numerator * Scalar.reduce(m)
            denominator = denominator * Scalar.reduce(m - j)
    return numerator * denominator.inverse()


def decryption_share(
    trustee: int, x: Scalar, ciphertext: Ciphertext, *, context: bytes, w: Scalar
) -> DecryptionShare:
    """Trustee j's ``Fⱼ = α^{xⱼ}`` and its Chaum–Pedersen proof (context φ)."""
    F, proof = prove_decryption_share(x, ciphertext, context=context, w=w)
    return DecryptionShare(trustee=trustee, factor=F, proof=proof)


def combine_shares(
    ciphertext: Ciphertext,
    shares: Sequence[DecryptionShare],
    *,
    verification_keys: Mapping[int, Point],
    threshold: int,
    context: bytes,
) -> Point:
    """``M = β / Π_{j∈S} Fⱼ^{λⱼ} = g^m``, after checking every share's proof.

    Raises:
        ProofError: a share's proof fails (names the trustee).
        VerificationError: fewer than ``threshold`` shares, a trustee twice, or an unknown one.
    """
    present = [share.trustee for share in shares]
    if len(set(present)) != len(present):
        raise VerificationError(f"a trustee's decryption share is counted twice ({present})")
    if len(present) < threshold:
        raise VerificationError(f"{len(present)} decryption shares; the threshold is {threshold}")
    D = IDENTITY
    for share in shares:
        Y = verification_keys.get(share.trustee)
        if Y is None:
            raise VerificationError(f"trustee {share.trustee} is not a trustee of this election")
        try:
            verify_decryption_share(Y, ciphertext, share.factor, share.proof, context=context)
        except ProofError as error:
            raise ProofError(f"trustee {share.trustee}'s decryption share", error.detail) from None
        D = D * (share.factor ** lagrange_coefficient(share.trustee, present))
    return ciphertext.beta / D
