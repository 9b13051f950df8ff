"""Properties of credentials, hashing, ballot validation and the audit chain."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from mandate.crypto import (
    GENESIS_HASH,
    audit_entry_hash,
    ballot_set_digest,
    encode_parts,
    format_credential,
    parse_credential,
)
from mandate.errors import InvalidBallotError, UnknownCandidateError
from mandate.service.ballots import parse_stored_ranking, stored_ranking, validate_choices
from tests.strategies import NAMES

parts = st.lists(st.one_of(st.text(max_size=8), st.binary(max_size=8)), max_size=5)


@given(st.binary(min_size=13, max_size=13))
def test_every_credential_parses_back_to_itself(raw: bytes) -> None:
    credential = format_credential(raw)
    assert parse_credential(credential) == credential
    assert parse_credential(credential.lower().replace("-", " ")) == credential


@given(parts, parts)
def test_length_prefixed_encoding_is_injective(a: list[str | bytes], b: list[str | bytes]) -> None:
    def normal(xs: list[str | bytes]) -> list[bytes]:
        return [x.encode() if isinstance(x, str) else x for x in xs]

    if normal(a) != normal(b):
        assert encode_parts("d", *a) != encode_parts("d", *b)


@given(st.lists(st.sampled_from(NAMES), max_size=8))
def test_validation_accepts_exactly_rankings_without_repeats(choices: list[str]) -> None:
    standing = list(NAMES[:4])
    valid = len(choices) > 0 and len(set(choices)) == len(choices) and set(choices) <= set(standing)
    try:
        ranking = validate_choices(choices, standing=standing, method="irv")
    except (InvalidBallotError, UnknownCandidateError):
        assert not valid
    else:
        assert valid
        assert [next(iter(rank)) for rank in ranking] == choices
        assert parse_stored_ranking(stored_ranking(ranking)) == ranking


@given(
    st.lists(st.tuples(st.text(max_size=5), st.text(max_size=5)), min_size=1, max_size=6), st.data()
)
def test_changing_any_ballot_field_changes_the_ballot_set_digest(
    ballots: list[tuple[str, str]], data: st.DataObject
) -> None:
    index = data.draw(st.integers(min_value=0, max_value=len(ballots) - 1))
    changed = list(ballots)
    changed[index] = (changed[index][0] + "x", changed[index][1])
    assert ballot_set_digest(ballots) != ballot_set_digest(changed)
    assert ballot_set_digest(ballots) != ballot_set_digest(ballots[:-1])


@given(st.lists(st.text(max_size=6), min_size=2, max_size=6), st.data())
def test_editing_any_audit_entry_breaks_the_chain_after_it(
    payloads: list[str], data: st.DataObject
) -> None:
    def chain(texts: list[str]) -> list[str]:
        hashes, prev = [], GENESIS_HASH
        for seq, payload in enumerate(texts, start=1):
            prev = audit_entry_hash(
                prev_hash=prev,
                seq=seq,
                contest_id="c",
                recorded_at="t",
                actor="a",
                action="x",
                payload=payload,
            )
            hashes.append(prev)
        return hashes

    index = data.draw(st.integers(min_value=0, max_value=len(payloads) - 1))
    edited = list(payloads)
    edited[index] += "!"
    original, after = chain(payloads), chain(edited)
    assert original[:index] == after[:index]
    assert all(o != a for o, a in zip(original[index:], after[index:], strict=True))
