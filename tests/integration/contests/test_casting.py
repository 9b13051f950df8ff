"""Casting: receipts, one ballot per credential, and every bad input refused with nothing stored."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mandate.crypto import format_credential
from mandate.errors import (
    AlreadyVotedError,
    CredentialError,
    InputError,
    InvalidBallotError,
    UnknownCandidateError,
)
from mandate.service import ContestService
from tests.integration.contests.conftest import CANDIDATES, OpenContest


def stored(service: ContestService, ready: OpenContest) -> int:
    return len(list(service.store.ballots(ready.contest_id)))


def voted(service: ContestService, ready: OpenContest) -> int:
    return sum(t.voted for t in service.turnout(ready.contest_id))


def test_a_cast_ballot_gets_a_receipt_whose_tracker_is_found(
    service: ContestService, ready: OpenContest
) -> None:
    member_id, credential = next(iter(ready.credentials.items()))
    receipt = service.cast(credential, [CANDIDATES[1], CANDIDATES[0]])
    assert receipt.contest_id == ready.contest_id
    assert service.find_tracker(ready.contest_id, receipt.tracker)
    assert service.find_tracker(ready.contest_id, receipt.tracker.lower())
    # forgiven as voting codes are: dashes left out or spaces put in (issue 10, item 17)
    assert service.find_tracker(ready.contest_id, receipt.tracker.replace("-", ""))
    assert service.find_tracker(ready.contest_id, " " + receipt.tracker.replace("-", " "))
    (ballot,) = service.store.ballots(ready.contest_id)
    assert ballot.voter_class == ready.classes[member_id]
    assert ballot.ranking == '[["Owen Smith"],["Jeremy Corbyn"]]'
    assert ballot.tracker == receipt.tracker
    # The tracker is random and may spell anything (even "M0"): the rest must not name the voter.
    assert member_id not in repr(replace(ballot, tracker="-"))


def test_a_credential_says_whether_it_has_voted(
    service: ContestService, ready: OpenContest
) -> None:
    credential = next(iter(ready.credentials.values()))
    assert service.credential_status(credential) == (ready.contest_id, False)
    service.cast(credential, [CANDIDATES[0]])
    assert service.credential_status(credential.lower()) == (ready.contest_id, True)


def test_a_second_cast_with_the_same_credential_is_refused(
    service: ContestService, ready: OpenContest
) -> None:
    credential = next(iter(ready.credentials.values()))
    service.cast(credential, [CANDIDATES[0]])
    with pytest.raises(AlreadyVotedError, match="already been used"):
        service.cast(credential, [CANDIDATES[1]], contest_id=ready.contest_id)
    assert stored(service, ready) == 1


@pytest.mark.parametrize("credential", ["", "hello", "ABCDE-ABCDE-ABCDE-ABCDU", "x" * 10_000])
def test_malformed_credentials_are_refused(
    service: ContestService, ready: OpenContest, credential: str
) -> None:
    with pytest.raises(CredentialError, match="malformed"):
        service.cast(credential, [CANDIDATES[0]], contest_id=ready.contest_id)
    assert stored(service, ready) == 0


def test_a_forged_credential_is_refused(service: ContestService, ready: OpenContest) -> None:
    forged = format_credential(bytes(13))
    with pytest.raises(CredentialError, match="not recognised"):
        service.cast(forged, [CANDIDATES[0]])
    with pytest.raises(CredentialError, match="not recognised"):
        service.cast(forged, [CANDIDATES[0]], contest_id=ready.contest_id)
    assert stored(service, ready) == 0


def test_a_reissued_credential_replaces_the_old_one(
    service: ContestService, ready: OpenContest
) -> None:
    member_id, old = next(iter(ready.credentials.items()))
    new = service.reissue_credential(ready.contest_id, member_id)
    with pytest.raises(CredentialError, match="not recognised"):
        service.cast(old, [CANDIDATES[0]], contest_id=ready.contest_id)
    service.cast(new, [CANDIDATES[0]])
    with pytest.raises(AlreadyVotedError):
        service.cast(new, [CANDIDATES[0]], contest_id=ready.contest_id)
    assert stored(service, ready) == 1


@pytest.mark.parametrize(
    ("choices", "error", "message"),
    [
        (["Angela Eagle"], UnknownCandidateError, "unknown candidate 'Angela Eagle'"),
        ([CANDIDATES[0], CANDIDATES[0]], InvalidBallotError, "more than once"),
        ([], InvalidBallotError, "no candidate chosen"),
        ([*CANDIDATES, CANDIDATES[0]], InvalidBallotError, "only 2 candidates"),
        (["x" * 100_000], InvalidBallotError, "not a candidate's name"),
        ("Jeremy Corbyn", InvalidBallotError, "not text"),
    ],
)
def test_bad_ballots_are_refused_and_the_voter_can_still_vote(
    service: ContestService,
    ready: OpenContest,
    choices: list[str],
    error: type[Exception],
    message: str,
) -> None:
    credential = next(iter(ready.credentials.values()))
    with pytest.raises(error, match=message):
        service.cast(credential, choices)
    assert stored(service, ready) == 0
    assert voted(service, ready) == 0
    service.cast(credential, [CANDIDATES[0]])
    assert voted(service, ready) == 1


def test_cast_many_stores_the_good_and_reports_the_bad(
    service: ContestService, ready: OpenContest
) -> None:
    creds = list(ready.credentials.values())
    outcomes = service.cast_many(
        ready.contest_id,
        [
            (creds[0], [CANDIDATES[0]]),
            (creds[1], ["Nobody"]),
            (creds[0], [CANDIDATES[1]]),
            ("bad", [CANDIDATES[1]]),
            (creds[2], [CANDIDATES[1], CANDIDATES[0]]),
        ],
    )
    assert [isinstance(o, str) for o in outcomes] == [False, True, True, True, False]
    assert "unknown candidate" in str(outcomes[1])
    assert "already been used" in str(outcomes[2])
    assert stored(service, ready) == 2


def test_paper_batches_are_counted_and_reported_apart(
    service: ContestService, ready: OpenContest
) -> None:
    from mandate.service.results import count_contest

    creds = list(ready.credentials.values())
    service.cast(creds[0], [CANDIDATES[0]])
    batch = service.enter_paper_batch(
        ready.contest_id,
        label="box 1",
        voter_class="member",
        ballots=[[CANDIDATES[1]], [CANDIDATES[1], CANDIDATES[0]]],
        spoilt=3,
    )
    assert (batch.ballots, batch.spoilt) == (2, 3)
    with pytest.raises(UnknownCandidateError, match="box 2: ballot 2") as refused:
        service.enter_paper_batch(
            ready.contest_id,
            label="box 2",
            voter_class="member",
            ballots=[[CANDIDATES[0]], ["Nobody"]],
        )
    assert refused.value.ballot == 2
    service.close_ballot(ready.contest_id)
    counted = count_contest(service, ready.contest_id)
    member = next(t for t in counted.tallies if t.voter_class == "member")
    assert (member.online, member.paper, member.spoilt) == (1, 2, 3)
    assert counted.total.winner == CANDIDATES[1]


def test_a_refused_paper_ballot_keeps_its_number_in_the_batch(
    service: ContestService, ready: OpenContest
) -> None:
    # The web form points at the typed line by this number (ballot n is line n).
    with pytest.raises(InvalidBallotError, match=r"^box 5: ballot 3: .* more than once") as paper:
        service.enter_paper_batch(
            ready.contest_id,
            label="box 5",
            voter_class="member",
            ballots=[[CANDIDATES[0]], [CANDIDATES[1]], [CANDIDATES[0], CANDIDATES[0]]],
        )
    assert paper.value.ballot == 3
    assert not service.paper_batches(ready.contest_id)
    with pytest.raises(InvalidBallotError) as online:
        service.cast(next(iter(ready.credentials.values())), [CANDIDATES[0], CANDIDATES[0]])
    assert online.value.ballot is None


def test_a_batch_of_only_spoilt_papers_is_entered_but_an_empty_one_is_refused(
    service: ContestService, ready: OpenContest
) -> None:
    spoilt = service.enter_paper_batch(
        ready.contest_id, label="box 3", voter_class="member", ballots=[], spoilt=2
    )
    assert (spoilt.ballots, spoilt.spoilt) == (0, 2)
    with pytest.raises(InputError, match="'box 4' has no ballots and no spoilt papers"):
        service.enter_paper_batch(
            ready.contest_id, label="box 4", voter_class="member", ballots=[], spoilt=0
        )
    assert [b.label for b in service.paper_batches(ready.contest_id)] == ["box 3"]


def test_a_returned_envelope_stops_its_credential_voting_online(
    service: ContestService, ready: OpenContest
) -> None:
    creds = list(ready.credentials.values())
    service.cast(creds[1], [CANDIDATES[0]])
    outcomes = service.record_envelopes(ready.contest_id, [creds[0], creds[1], "nonsense"])
    assert outcomes[0] is None
    assert "envelope 2: this credential has already been used" in str(outcomes[1])
    assert "envelope 3: malformed credential" in str(outcomes[2])
    with pytest.raises(AlreadyVotedError):
        service.cast(creds[0], [CANDIDATES[0]])
    assert stored(service, ready) == 1
    assert voted(service, ready) == 2
