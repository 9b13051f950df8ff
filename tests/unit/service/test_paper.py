"""Typed paper-ballot choices matched to candidates, and the pure paper checks."""

from __future__ import annotations

import datetime as dt

import pytest

from mandate.errors import AmbiguousCandidateError, PaperBatchError, UnknownCandidateError
from mandate.service.paper import check_paper_batch, check_returns, match_candidate
from mandate.storage.ports import PaperBatchRecord, PaperLedger

STANDING = ("José Martínez", "Owen Smith", "Angela Smith", "Jeremy Corbyn")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("1", "José Martínez"),
        (" 4 ", "Jeremy Corbyn"),
        ("José Martínez", "José Martínez"),
        ("jose martinez", "José Martínez"),
        ("JOSÉ   MARTINEZ", "José Martínez"),
        ("martinez", "José Martínez"),
        ("owen smith", "Owen Smith"),
        ("corbyn", "Jeremy Corbyn"),
        ("angela", "Angela Smith"),
    ],
)
def test_a_choice_is_a_number_or_a_name_with_accents_and_case_forgiven(
    typed: str, meant: str
) -> None:
    assert match_candidate(typed, STANDING) == meant


def test_a_choice_several_candidates_match_names_them_all() -> None:
    with pytest.raises(AmbiguousCandidateError) as refused:
        match_candidate("SMITH", STANDING, where="box 1: ballot 3", ballot=3)
    assert str(refused.value) == (
        "box 1: ballot 3: 'SMITH' could be any of Owen Smith, Angela Smith: type more of the "
        "name, or the candidate's number"
    )
    assert refused.value.ballot == 3
    assert refused.value.matches == ("Owen Smith", "Angela Smith")


@pytest.mark.parametrize("typed", ["0", "5", "Tony Blair", "smit", "١"])
def test_a_choice_no_candidate_matches_is_unknown(typed: str) -> None:
    with pytest.raises(UnknownCandidateError) as refused:
        match_candidate(typed, STANDING, where="box 1: ballot 2", ballot=2)
    assert refused.value.ballot == 2
    assert str(refused.value).startswith(f"box 1: ballot 2: unknown candidate {typed!r} ")


def test_an_unknown_number_lists_the_numbers() -> None:
    with pytest.raises(UnknownCandidateError, match=r"\(standing: 1 José Martínez, 2 Owen"):
        match_candidate("9", STANDING)


def _ledger(**figures: int) -> PaperLedger:
    batch = PaperBatchRecord(
        id="b",
        label="Box 1",
        voter_class="member",
        entered_by="teller",
        ballots=figures.pop("ballots", 0),
        spoilt=figures.pop("spoilt", 0),
        entered_on=dt.date(2016, 9, 1),
    )
    return PaperLedger(voter_class="member", batches=(batch,), **figures)


def test_a_batch_is_checked_against_envelopes_not_yet_matched() -> None:
    ledger = _ledger(electors=10, voted=6, online=2, ballots=1, spoilt=1)  # 4 envelopes, 2 used
    check_paper_batch(ledger, label="Box 2", class_title="Members", ballots=1, spoilt=1)
    with pytest.raises(PaperBatchError, match="so 2 left"):
        check_paper_batch(ledger, label="Box 2", class_title="Members", ballots=3, spoilt=0)
    with pytest.raises(PaperBatchError, match="already entered on 2016-09-01 by teller"):
        check_paper_batch(ledger, label="box  1", class_title="Members", ballots=0, spoilt=1)


def test_returns_beyond_the_electorate_block_the_declaration() -> None:
    fine = _ledger(electors=3, voted=3, online=1, ballots=2)
    assert check_returns([fine], {"member": "Members"}) == ()
    over = _ledger(electors=3, voted=3, online=1, ballots=2, spoilt=1)
    (issue,) = check_returns([over], {"member": "Members"})
    assert issue.problem.startswith("Members: 4 ballots returned (1 online, 3 on paper")
