"""Fiat–Shamir transcripts: every element of the statement changes the challenge."""

from __future__ import annotations

from mandate.crypto.group import G, H, Scalar, hash_sha512
from mandate.crypto.transcript import Transcript

BASE = Transcript(tag="mandate/v1/proof/dlog", context=b"election").add("X", G).add("A", H)


def test_the_challenge_is_deterministic() -> None:
    assert BASE.challenge() == BASE.challenge()


def test_each_part_changes_the_challenge() -> None:
    variants = [
        Transcript(tag="mandate/v1/proof/other", context=b"election").add("X", G).add("A", H),
        Transcript(tag="mandate/v1/proof/dlog", context=b"election2").add("X", G).add("A", H),
        Transcript(tag="mandate/v1/proof/dlog", context=b"election").add("Y", G).add("A", H),
        Transcript(tag="mandate/v1/proof/dlog", context=b"election").add("X", H).add("A", G),
        Transcript(tag="mandate/v1/proof/dlog", context=b"election").add("X", G),
        BASE.add("extra", Scalar(0)),
    ]
    challenges = {BASE.challenge(), *(v.challenge() for v in variants)}
    assert len(challenges) == len(variants) + 1


def test_a_list_carries_its_length_so_boundaries_cannot_move() -> None:
    t = Transcript(tag="t", context=b"")
    assert t.add_list("M", (1, 2)).add_list("N", (3,)).challenge() != (
        t.add_list("M", (1,)).add_list("N", (2, 3)).challenge()
    )


def test_the_digest_is_h_of_the_same_input_and_the_challenge_its_reduction() -> None:
    """σ of §12 is H (64 bytes) of the transcript; a challenge is the same H read mod ℓ."""
    digest = BASE.digest()
    assert digest == hash_sha512("mandate/v1/proof/dlog", b"election", "X", G, "A", H)
    assert BASE.challenge() == Scalar.reduce(int.from_bytes(digest, "little"))
