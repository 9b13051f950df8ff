"""Ties in a stored contest's count (issue 10, item 7): a class's own count never stops the
count, and the order drawn by lot is checked, used and published."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

import mandate.rules.shipped
from mandate.errors import InputError, UnknownCandidateError, UnresolvedTieError
from mandate.service import ContestService
from mandate.service.lifecycle import IssuesError
from mandate.service.results import count_contest, declare_contest
from mandate.service.verify import verify_published
from tests.integration.contests.conftest import CANDIDATES, DECIDED_ON, OpenContest, write_roll

CORBYN, SMITH = CANDIDATES


def _vote(service: ContestService, ready: OpenContest, votes: dict[str, str]) -> None:
    for member_id, name in votes.items():
        service.cast(ready.credentials[member_id], [name], contest_id=ready.contest_id)
    service.close_ballot(ready.contest_id)


def test_a_tie_in_one_class_does_not_stop_the_count(
    service: ContestService, ready: OpenContest
) -> None:
    """Members tie 1–1; supporters give Corbyn the total (2–1). It stopped the count with
    'supply the decision by lot' for a tie that decides nothing."""
    assert ready.classes["M0"] == ready.classes["M1"] == "member"
    assert ready.classes["R2"] == "registered_supporter"
    _vote(service, ready, {"M0": CORBYN, "M1": SMITH, "R2": CORBYN})
    counted = count_contest(service, ready.contest_id)
    assert counted.total.elected == (CORBYN,)
    members = dict(counted.by_class)["member"]
    draws = [t for r in members.rounds for t in r.tiebreaks]
    assert [t.tied for t in draws] == [(CORBYN, SMITH)]
    assert "by-section report: member" in draws[0].method


def test_a_record_with_a_tie_in_one_class_verifies(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    """The recount in ``verify`` settles a class's tie as the count did, and agrees."""
    _vote(service, ready, {"M0": CORBYN, "M1": SMITH, "R2": CORBYN})
    count_contest(service, ready.contest_id)
    folder = declare_contest(service, ready.contest_id, tmp_path / "published")
    report = verify_published(folder, public_key=service.public_key(ready.contest_id))
    assert report.elected == (CORBYN,)


def test_a_tie_in_the_total_needs_the_lot_which_is_published(
    service: ContestService, ready: OpenContest
) -> None:
    _vote(service, ready, {"M0": CORBYN, "M1": SMITH})
    with pytest.raises(UnresolvedTieError, match="supply the decision by lot"):
        count_contest(service, ready.contest_id)
    with pytest.raises(InputError, match=f"names {SMITH} more than once"):
        count_contest(service, ready.contest_id, lot=[SMITH, SMITH])
    with pytest.raises(InputError, match=f"leaves out {CORBYN}"):
        count_contest(service, ready.contest_id, lot=[SMITH])
    with pytest.raises(UnknownCandidateError):
        count_contest(service, ready.contest_id, lot=[SMITH, "Tony Blair"])
    assert service.contest(ready.contest_id).state == "ballot_closed"  # nothing counted
    counted = count_contest(service, ready.contest_id, lot=[SMITH, CORBYN])
    assert counted.total.elected == (SMITH,)
    assert dict(counted.total.options)["lot"] == f"{SMITH}, {CORBYN}"
    assert json.loads(service.contest(ready.contest_id).count_spec)["lot"] == [SMITH, CORBYN]


def test_a_stored_contest_with_more_seats_than_candidates_is_not_counted(
    service: ContestService, tmp_path: Path
) -> None:
    """Issue 10, item 4: five committee seats and three candidates: the count elected three
    and said nothing. Now the count is refused, listing the issue, and nothing changes."""
    shipped = Path(mandate.rules.shipped.__file__).parent / "society.toml"
    text = shipped.read_text(encoding="utf-8")
    rulebook = tmp_path / "committee.toml"
    rulebook.write_text(
        text.replace('principal_ballot = "chair"', 'principal_ballot = "committee"'),
        encoding="utf-8",
    )
    contest = "committee-2026"
    service.create_contest(contest_id=contest, rulebook_ref=str(rulebook))
    service.open_nominations(contest)
    for name in ("Ann", "Bob", "Cy"):
        service.nominate(contest, name, nominations=2)
    service.close_nominations(contest, threshold=2, basis="a proposer and a seconder")
    roll = write_roll(
        tmp_path / "roll.csv", [(f"H{n}", "honorary_member", "2015-01-01", "no") for n in range(3)]
    )
    service.import_roll(contest, [roll], on=DECIDED_ON)
    out = tmp_path / "credentials.csv"
    service.issue_credentials(contest, out)
    service.open_ballot(contest)
    with out.open(encoding="utf-8", newline="") as handle:
        codes = [row["credential"] for row in csv.DictReader(handle)]
    service.cast(codes[0], ["Ann", "Bob"], contest_id=contest)
    service.close_ballot(contest)
    with pytest.raises(IssuesError, match="5 seats but only 3 candidates standing"):
        count_contest(service, contest)
    assert service.contest(contest).state == "ballot_closed"


def test_a_stored_contest_with_no_ballots_is_not_counted(
    service: ContestService, ready: OpenContest
) -> None:
    """No valid vote in a stored contest is no ballot at all (a stored ballot always ranks a
    candidate standing): refused with the issue, nothing drawn by lot, nothing changed."""
    service.close_ballot(ready.contest_id)
    with pytest.raises(IssuesError, match="no ballots were cast"):
        count_contest(service, ready.contest_id)
    assert service.contest(ready.contest_id).state == "ballot_closed"
