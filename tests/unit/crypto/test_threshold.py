"""t-of-n key generation with complaints, and threshold decryption with trustees absent."""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import combinations

import pytest

from mandate.crypto.elgamal import decrypt, discrete_log, encrypt
from mandate.crypto.group import G, Point, Scalar, random_scalar
from mandate.crypto.threshold import (
    Complaint,
    DealerCommitments,
    DecryptionShare,
    combine_shares,
    complaints,
    deal,
    decryption_share,
    election_public_key,
    lagrange_coefficient,
    secret_share,
    share_is_valid,
    verification_key,
)
from mandate.errors import ProofError, VerificationError

ELECTION = bytes(range(32))


@dataclass(frozen=True)
class Ceremony:
    dealers: list[DealerCommitments]
    shares: dict[int, dict[int, Scalar]]  # shares[i][j]: from dealer i to trustee j
    x: Scalar  # the joint secret, which no one computes in a real election: the test's oracle


def ceremony(n: int, t: int) -> Ceremony:
    dealers = []
    shares = {}
    x = Scalar(0)
    for i in range(1, n + 1):
        coefficients = [random_scalar() for _ in range(t)]
        x = x + coefficients[0]
        dealer, dealt = deal(i, coefficients, trustees=n, election=ELECTION, w=random_scalar())
        dealers.append(dealer)
        shares[i] = dealt
    return Ceremony(dealers=dealers, shares=shares, x=x)


def received(c: Ceremony, j: int) -> dict[int, Scalar]:
    return {i: c.shares[i][j] for i in c.shares}


@pytest.mark.parametrize(("n", "t"), [(3, 2), (5, 3)])
def test_any_t_trustees_decrypt_as_the_joint_key_would(n: int, t: int) -> None:
    c = ceremony(n, t)
    for j in range(1, n + 1):
        assert (
            complaints(c.dealers, receiver=j, shares=received(c, j), threshold=t, election=ELECTION)
            == ()
        )
    y = election_public_key(c.dealers)
    assert y == G**c.x
    xs = {j: secret_share(received(c, j)) for j in range(1, n + 1)}
    keys = {j: verification_key(c.dealers, j) for j in range(1, n + 1)}
    assert all(G ** xs[j] == keys[j] for j in xs)
    ciphertext = encrypt(y, 6, random_scalar())
    assert decrypt(c.x, ciphertext, bound=10) == 6
    for size in range(t, n + 1):
        for present in combinations(range(1, n + 1), size):
            shares = [
                decryption_share(j, xs[j], ciphertext, context=ELECTION, w=random_scalar())
                for j in present
            ]
            M = combine_shares(
                ciphertext, shares, verification_keys=keys, threshold=t, context=ELECTION
            )
            assert discrete_log(M, bound=10) == 6, present


def test_a_bad_share_is_named_by_dealer_and_receiver() -> None:
    c = ceremony(3, 2)
    shares = received(c, 3)
    shares[2] = shares[2] + Scalar(1)
    found = complaints(c.dealers, receiver=3, shares=shares, threshold=2, election=ELECTION)
    assert [(f.dealer, f.receiver) for f in found] == [(2, 3)]
    assert "does not match trustee 2's commitments" in found[0].reason
    assert not share_is_valid(c.dealers[1].commitments, 3, shares[2])
    assert (
        complaints(c.dealers, receiver=1, shares=received(c, 1), threshold=2, election=ELECTION)
        == ()
    )


def test_a_missing_share_a_wrong_commitment_count_and_a_copied_proof_are_complaints() -> None:
    c = ceremony(3, 2)
    dealers = list(c.dealers)
    dealers[0] = replace(dealers[0], commitments=dealers[0].commitments[:1])
    dealers[1] = replace(dealers[1], proof=dealers[2].proof)
    shares = received(c, 3)
    del shares[2]
    found = complaints(dealers, receiver=3, shares=shares, threshold=2, election=ELECTION)
    assert found[0] == Complaint(
        dealer=1,
        receiver=3,
        reason="trustee 1 published 1 commitments; the threshold 2 needs exactly 2",
    )
    assert found[1].dealer == 2
    assert "proof of knowledge does not verify" in found[1].reason
    assert len(found) == 2


def test_a_dealer_proof_is_bound_to_its_trustee_number() -> None:
    """Dealer 1's commitments re-published as dealer 2's (a copied key) are refused."""
    c = ceremony(3, 2)
    copied = replace(c.dealers[0], trustee=2)
    found = complaints(
        [copied], receiver=3, shares={2: c.shares[1][3]}, threshold=2, election=ELECTION
    )
    assert [f.dealer for f in found] == [2]


def _decryption_setup() -> tuple[Ceremony, dict[int, Scalar], dict[int, Point]]:
    c = ceremony(3, 2)
    xs = {j: secret_share(received(c, j)) for j in range(1, 4)}
    keys = {j: verification_key(c.dealers, j) for j in range(1, 4)}
    return c, xs, keys


def test_combination_refuses_too_few_repeated_unknown_or_false_shares() -> None:
    c, xs, keys = _decryption_setup()
    ciphertext = encrypt(election_public_key(c.dealers), 1, random_scalar())

    def share(j: int, x: Scalar | None = None) -> DecryptionShare:
        return decryption_share(
            j, xs[j] if x is None else x, ciphertext, context=ELECTION, w=random_scalar()
        )

    def combine(shares: list[DecryptionShare]) -> Point:
        return combine_shares(
            ciphertext, shares, verification_keys=keys, threshold=2, context=ELECTION
        )

    with pytest.raises(VerificationError, match="1 decryption shares; the threshold is 2"):
        combine([share(1)])
    with pytest.raises(VerificationError, match="counted twice"):
        combine([share(1), share(1)])
    with pytest.raises(VerificationError, match="trustee 4 is not a trustee"):
        combine([share(1), replace(share(2), trustee=4)])
    with pytest.raises(ProofError, match="trustee 2's decryption share does not verify"):
        combine([share(1), share(2, xs[2] + Scalar(1))])
    with pytest.raises(ProofError, match="trustee 3's decryption share"):
        combine([share(1), replace(share(3), factor=share(3).factor * G)])


def test_lagrange_coefficients_interpolate_at_zero() -> None:
    present = (1, 3, 4)
    f = [Scalar(17), Scalar(5), Scalar(11)]

    def at(z: int) -> Scalar:
        return f[0] + f[1] * Scalar(z) + f[2] * Scalar(z * z)

    total = Scalar(0)
    for j in present:
        total = total + lagrange_coefficient(j, present) * at(j)
    assert total == f[0]
    with pytest.raises(ValueError, match="once among"):
        lagrange_coefficient(2, present)
