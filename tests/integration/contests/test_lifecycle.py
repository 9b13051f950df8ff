"""The contest lifecycle: every step in order, refusals citing the rule, issues listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.errors import (
    BallotClosedError,
    ContestError,
    IllegalTransitionError,
    RollImportError,
)
from mandate.service import ContestService
from mandate.service.audit import verify_audit
from mandate.service.lifecycle import ContestState, IssuesError
from mandate.service.results import count_contest, declare_contest
from tests.integration.contests.conftest import (
    CANDIDATES,
    DECIDED_ON,
    OpenContest,
    create_nominated,
    small_roll,
    write_roll,
)


def test_a_contest_goes_through_every_state_in_order(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    cid = ready.contest_id
    assert service.state(cid) is ContestState.BALLOT_OPEN
    for member_id, credential in list(ready.credentials.items())[:5]:
        service.cast(credential, [CANDIDATES[int(member_id[1:]) % 2]])
    service.close_ballot(cid)
    assert service.state(cid) is ContestState.BALLOT_CLOSED
    count_contest(service, cid)
    assert service.state(cid) is ContestState.COUNTED
    declare_contest(service, cid, tmp_path / "published")
    assert service.state(cid) is ContestState.DECLARED
    actions = [e.action for e in service.store.audit_entries()]
    for step in (
        "contest created",
        "open nominations",
        "close nominations",
        "roll imported",
        "credentials issued",
        "open the ballot",
        "close the ballot",
        "ballot sealed",
        "count",
        "declare",
    ):
        assert step in actions
    assert verify_audit(service.store).entries == len(actions)


def test_opening_the_ballot_from_draft_is_refused_citing_the_rule(
    service: ContestService,
) -> None:
    service.create_contest(contest_id="c", rulebook_ref="labour-2016")
    with pytest.raises(IllegalTransitionError, match="after nominations have closed") as info:
        service.open_ballot("c")
    assert info.value.state == "draft"
    assert info.value.allowed == ("open nominations",)
    assert service.state("c") is ContestState.DRAFT


@pytest.mark.parametrize(
    ("action", "rule"),
    [
        ("close_ballot", "only an open ballot can be closed"),
        ("open_nominations", "still in draft"),
    ],
)
def test_out_of_order_steps_are_refused(service: ContestService, action: str, rule: str) -> None:
    create_nominated(service, "c")
    with pytest.raises(IllegalTransitionError, match=rule):
        getattr(service, action)("c")
    assert service.state("c") is ContestState.NOMINATIONS_CLOSED


def test_count_and_declare_before_their_time_are_refused(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    with pytest.raises(IllegalTransitionError, match="after the ballot has closed"):
        count_contest(service, ready.contest_id)
    with pytest.raises(IllegalTransitionError, match="only after the count"):
        declare_contest(service, ready.contest_id, tmp_path)
    assert service.state(ready.contest_id) is ContestState.BALLOT_OPEN


def test_opening_the_ballot_lists_every_issue_at_once(service: ContestService) -> None:
    service.create_contest(contest_id="c", rulebook_ref="labour-2016")
    service.open_nominations("c")
    service.nominate("c", "Only One", automatic="incumbent")
    service.close_nominations("c", threshold=51, basis="20% of 251")
    with pytest.raises(IssuesError) as info:
        service.open_ballot("c")
    problems = [i.problem for i in info.value.issues]
    assert len(problems) == 2
    assert "at least two" in problems[0]
    assert "roll is empty" in problems[1]


def test_nominations_below_the_threshold_are_void(service: ContestService) -> None:
    service.create_contest(contest_id="c", rulebook_ref="labour-2016")
    service.open_nominations("c")
    service.nominate("c", "A", automatic="incumbent")
    service.nominate("c", "B", nominations=51)
    service.nominate("c", "C", nominations=50)
    decided = {c.name: c for c in service.close_nominations("c", threshold=51, basis="20%")}
    assert decided["B"].status == "standing"
    assert decided["C"].status == "void"
    assert "50 nominations < 51" in decided["C"].basis
    with pytest.raises(IllegalTransitionError, match="while they are open"):
        service.nominate("c", "D", nominations=100)


def test_the_roll_is_frozen_once_the_ballot_opens(
    service: ContestService, ready: OpenContest, tmp_path: Path
) -> None:
    with pytest.raises(IllegalTransitionError, match="frozen"):
        service.import_roll(ready.contest_id, [small_roll(tmp_path, 3)], on=DECIDED_ON)


def test_credentials_are_exported_only_once(service: ContestService, tmp_path: Path) -> None:
    cid = create_nominated(service, "c")
    service.import_roll(cid, [small_roll(tmp_path, 3)], on=DECIDED_ON)
    service.issue_credentials(cid, tmp_path / "one.csv")
    with pytest.raises(ContestError, match="already exported"):
        service.issue_credentials(cid, tmp_path / "two.csv")
    assert not (tmp_path / "two.csv").exists()
    assert (tmp_path / "one.csv").stat().st_mode & 0o077 == 0


def test_casting_after_close_is_refused_and_stores_nothing(
    service: ContestService, ready: OpenContest
) -> None:
    service.close_ballot(ready.contest_id)
    credential = next(iter(ready.credentials.values()))
    with pytest.raises(BallotClosedError):
        service.cast(credential, [CANDIDATES[0]], contest_id=ready.contest_id)
    assert list(service.store.ballots(ready.contest_id)) == []


def test_roll_import_applies_freeze_date_arrears_and_duplicates(
    service: ContestService, tmp_path: Path
) -> None:
    cid = create_nominated(service, "c")
    roll = write_roll(
        tmp_path / "roll.csv",
        [
            ("M1", "member", "2015-06-01", "no"),
            ("M2", "member", "2016-03-01", "no"),  # joined after the freeze date
            ("M3", "member", "2015-06-01", "yes"),  # in arrears
            ("R1", "registered_supporter", "2016-07-19", "no"),
            ("R2", "registered_supporter", "2016-07-25", "no"),  # outside the window
        ],
    )
    twice = tmp_path / "supporters.csv"
    twice.write_text(
        "member_id,voter_class,email,joined\nA1,affiliated_supporter,M1@x.org,2015-01-01\n",
        encoding="utf-8",
    )
    report = service.import_roll(cid, [roll, twice], on=DECIDED_ON)
    assert report.read == 6
    assert dict(report.eligible_by_class) == {
        "member": 1,
        "registered_supporter": 1,
        "affiliated_supporter": 0,
    }
    assert sorted(x.member_id for x in report.excluded) == ["A1", "M2", "M3", "R2"]
    assert all(x.reason and x.clause for x in report.excluded)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("member_id,voter_class\nM1,member\n", "line 1: missing column"),
        (
            "member_id,voter_class,joined\nM1,member,2015-01-01\nM2,wizard,2015-01-01\n",
            "line 3: unknown voter class 'wizard'",
        ),
        ("member_id,voter_class,joined\nM1,member,01/02/2015\n", "line 2: column 'joined'"),
        (
            "member_id,voter_class,joined\nM1,member,2015-01-01\nM1,member,2015-01-01\n",
            "line 3: member_id 'M1' appears twice",
        ),
        (
            "member_id,voter_class,joined,in_arrears\nM1,member,2015-01-01,maybe\n",
            "line 2: column 'in_arrears'",
        ),
    ],
)
def test_a_bad_roll_file_names_the_line_and_imports_nothing(
    service: ContestService, tmp_path: Path, body: str, message: str
) -> None:
    cid = create_nominated(service, "c")
    service.import_roll(cid, [small_roll(tmp_path, 3)], on=DECIDED_ON)
    bad = tmp_path / "bad.csv"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(RollImportError, match=message):
        service.import_roll(cid, [bad], on=DECIDED_ON)
    assert sum(t.electors for t in service.turnout(cid)) == 3


def test_a_member_id_in_two_roll_files_is_refused_naming_both(
    service: ContestService, tmp_path: Path
) -> None:
    cid = create_nominated(service, "c")
    first = write_roll(tmp_path / "members.csv", [("X1", "member", "2015-01-01", "no")])
    second = tmp_path / "supporters.csv"
    second.write_text(
        "member_id,voter_class,joined\nS1,registered_supporter,2016-07-19\n"
        "X1,registered_supporter,2016-07-19\n",
        encoding="utf-8",
    )
    with pytest.raises(RollImportError, match=r"supporters\.csv, line 3: .*members\.csv line 2"):
        service.import_roll(cid, [first, second], on=DECIDED_ON)
    assert service.turnout(cid) == ()
