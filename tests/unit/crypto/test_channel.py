"""The trustees' private channel for key-generation shares, and complaints settled in public."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mandate.crypto.channel import (
    AtFault,
    ChannelKeyReveal,
    SealedShare,
    open_share,
    reveal_channel_key,
    seal_share,
    settle_complaint,
)
from mandate.crypto.group import G, Point, Scalar, random_scalar
from mandate.crypto.threshold import deal
from mandate.errors import ProofError, VerificationError

ELECTION = bytes(range(32))
E_SECRET = Scalar(4242)  # trustee 3's channel secret e₃
E_KEY = G**E_SECRET


def _dealt() -> tuple[tuple[Point, ...], dict[int, Scalar]]:
    dealer, shares = deal(
        1, [random_scalar(), random_scalar()], trustees=3, election=ELECTION, w=random_scalar()
    )
    return dealer.commitments, shares


def seal(share: Scalar) -> SealedShare:
    return seal_share(
        share, election=ELECTION, dealer=1, receiver=3, receiver_key=E_KEY, rho=random_scalar()
    )


def reveal(sealed: SealedShare) -> ChannelKeyReveal:
    return reveal_channel_key(
        sealed, election=ELECTION, receiver_secret=E_SECRET, w=random_scalar()
    )


def test_the_receiver_opens_its_share() -> None:
    share = Scalar(123456)
    assert open_share(seal(share), election=ELECTION, receiver_secret=E_SECRET) == share


def test_another_key_or_a_changed_box_does_not_open() -> None:
    sealed = seal(Scalar(1))
    with pytest.raises(VerificationError, match="from trustee 1 to trustee 3 does not open"):
        open_share(sealed, election=ELECTION, receiver_secret=Scalar(4243))
    changed = replace(sealed, box=bytes([sealed.box[0] ^ 1]) + sealed.box[1:])
    with pytest.raises(VerificationError, match="does not open"):
        open_share(changed, election=ELECTION, receiver_secret=E_SECRET)
    moved = replace(sealed, dealer=2)  # the same box presented as another dealer's
    with pytest.raises(VerificationError, match="does not open"):
        open_share(moved, election=ELECTION, receiver_secret=E_SECRET)


def test_a_complaint_against_a_wrong_share_finds_the_dealer_at_fault() -> None:
    commitments, shares = _dealt()
    sealed = seal(shares[3] + Scalar(1))
    assert (
        settle_complaint(
            sealed,
            reveal(sealed),
            election=ELECTION,
            receiver_key=E_KEY,
            dealer_commitments=commitments,
        )
        is AtFault.DEALER
    )


def test_a_complaint_against_a_box_that_does_not_open_finds_the_dealer_at_fault() -> None:
    commitments, shares = _dealt()
    wrong_key = seal_share(
        shares[3],
        election=ELECTION,
        dealer=1,
        receiver=3,
        receiver_key=G ** Scalar(7),
        rho=Scalar(9),
    )
    assert (
        settle_complaint(
            wrong_key,
            reveal(wrong_key),
            election=ELECTION,
            receiver_key=E_KEY,
            dealer_commitments=commitments,
        )
        is AtFault.DEALER
    )


def test_a_false_complaint_finds_the_receiver_at_fault() -> None:
    commitments, shares = _dealt()
    sealed = seal(shares[3])
    assert (
        settle_complaint(
            sealed,
            reveal(sealed),
            election=ELECTION,
            receiver_key=E_KEY,
            dealer_commitments=commitments,
        )
        is AtFault.RECEIVER
    )


def test_a_forged_channel_key_is_refused() -> None:
    """A receiver who reveals another K to frame the dealer cannot prove it."""
    commitments, shares = _dealt()
    sealed = seal(shares[3])
    honest = reveal(sealed)
    forged = replace(honest, K=honest.K * G)
    with pytest.raises(ProofError, match="trustee 3's channel key for the share from trustee 1"):
        settle_complaint(
            sealed, forged, election=ELECTION, receiver_key=E_KEY, dealer_commitments=commitments
        )
