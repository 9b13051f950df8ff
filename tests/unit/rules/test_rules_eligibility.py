"""Who may vote under labour-2016: freeze date, supporters' window, arrears, one vote each."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import date

import pytest

from mandate.errors import RulebookError
from mandate.ids import MemberId
from mandate.rules import RollEntry, Rulebook, decide_eligibility, load_rulebook, parse_rulebook

ON = date(2016, 8, 8)


@pytest.fixture(scope="module")
def labour() -> Rulebook:
    return load_rulebook("labour-2016")


def entry(key: str, voter_class: str, joined: date, **extra: object) -> RollEntry:
    return RollEntry(
        person_key=key,
        member_id=MemberId(f"{voter_class}-{key}"),
        voter_class=voter_class,
        joined=joined,
        **extra,  # type: ignore[arg-type]
    )


def test_member_who_joined_on_the_freeze_date_may_vote(labour: Rulebook) -> None:
    report = decide_eligibility(labour, [entry("a", "member", date(2016, 1, 12))], on=ON)
    assert [e.member_id for e in report.eligible] == ["member-a"]
    assert "12 January 2016" in report.eligible[0].reason
    assert "NEC procedural guidelines" in report.eligible[0].clause


def test_member_who_joined_after_the_freeze_date_is_excluded_citing_the_ruling(
    labour: Rulebook,
) -> None:
    report = decide_eligibility(labour, [entry("a", "member", date(2016, 1, 13))], on=ON)
    assert report.eligible == ()
    (excluded,) = report.excluded
    assert excluded.reason == "Members: joined after the freeze date (12 January 2016)"
    assert "Evangelou v McNicol [2016] EWCA Civ 817" in excluded.clause


def test_first_instance_reading_lets_later_joiners_vote(labour: Rulebook) -> None:
    report = decide_eligibility(
        labour,
        [entry("a", "member", date(2016, 6, 1))],
        on=ON,
        params={"member_freeze_date": "none"},
    )
    assert len(report.eligible) == 1
    assert ("member_freeze_date", "none") in report.params


def test_member_in_arrears_is_excluded(labour: Rulebook) -> None:
    report = decide_eligibility(
        labour, [entry("a", "member", date(2010, 1, 1), in_arrears=True)], on=ON
    )
    assert report.excluded[0].reason == "Members: in arrears"


def test_registered_supporters_count_only_inside_their_window(labour: Rulebook) -> None:
    roll = [
        entry("early", "registered_supporter", date(2016, 7, 17)),
        entry("in", "registered_supporter", date(2016, 7, 19)),
        entry("late", "registered_supporter", date(2016, 7, 21)),
    ]
    report = decide_eligibility(labour, roll, on=ON)
    assert [e.person_key for e in report.eligible] == ["in"]
    reasons = {x.entry.person_key: x.reason for x in report.excluded}
    assert "before the window opened" in reasons["early"]
    assert "after the window closed" in reasons["late"]


def test_person_in_two_classes_votes_once_as_a_member(labour: Rulebook) -> None:
    roll = [
        entry("p", "registered_supporter", date(2016, 7, 19)),
        entry("p", "member", date(2015, 5, 1)),
        entry("p", "affiliated_supporter", date(2014, 5, 1)),
    ]
    report = decide_eligibility(labour, roll, on=ON)
    assert [(e.person_key, e.voter_class) for e in report.eligible] == [("p", "member")]
    assert len(report.excluded) == 2
    assert all("one vote per person" in x.reason for x in report.excluded)
    assert all(x.clause == labour.electorate.clause.ref for x in report.excluded)


def test_second_listing_in_the_same_class_is_a_duplicate(labour: Rulebook) -> None:
    roll = [entry("p", "member", date(2015, 5, 1)), entry("p", "member", date(2015, 6, 1))]
    report = decide_eligibility(labour, roll, on=ON)
    assert len(report.eligible) == 1
    assert "listed twice" in report.excluded[0].reason


def test_unknown_voter_class_is_excluded_not_fatal(labour: Rulebook) -> None:
    report = decide_eligibility(labour, [entry("p", "councillor", date(2015, 5, 1))], on=ON)
    assert "'councillor' is not a voter class" in report.excluded[0].reason


def test_unknown_param_is_refused(labour: Rulebook) -> None:
    with pytest.raises(RulebookError, match="no disputed clause 'freeze'"):
        decide_eligibility(labour, [], on=ON, params={"freeze": "none"})


CLUB = """
format_version = 1
id = "club"
title = "Club"
organisation = "Club"
[bodies.committee]
title = "Committee"
unit = "members of the committee"
clause = "Rule 1"
[voter_classes.member]
title = "Members"
minimum_age = 16
minimum_membership_months = 3
dues_paid = true
clause = "Rule 2"
[electorate]
precedence = ["member"]
clause = "Rule 3"
[ballots.chair]
title = "Chair"
method = "irv"
seats = 1
tiebreak = "lot"
clause = "Rule 4"
"""


def test_minimum_age_and_months_of_membership_are_reckoned_on_the_date() -> None:
    club = parse_rulebook(CLUB, source="club.toml")
    on = date(2024, 5, 1)
    roll = [
        entry("old", "member", date(2024, 2, 1), birth_date=date(2008, 5, 1)),
        entry("young", "member", date(2020, 1, 1), birth_date=date(2008, 5, 2)),
        entry("new", "member", date(2024, 2, 2), birth_date=date(1990, 1, 1)),
        entry("unknown", "member", date(2020, 1, 1)),
    ]
    report = decide_eligibility(club, roll, on=on)
    assert [e.person_key for e in report.eligible] == ["old"]
    reasons = {x.entry.person_key: x.reason for x in report.excluded}
    assert reasons["young"] == "Members: under 16 on 1 May 2024"
    assert "fewer than 3 months' membership" in reasons["new"]
    assert "no birth date" in reasons["unknown"]


def test_deciding_leaves_the_garbage_collector_alone(labour: Rulebook) -> None:
    """The pure core touches no process-wide state: the collector runs throughout the pass."""
    seen: list[bool] = []

    def roll() -> Iterator[RollEntry]:
        for i in range(3):
            seen.append(gc.isenabled())
            yield entry(f"p{i}", "member", date(2015, 1, 1))
        seen.append(gc.isenabled())

    assert gc.isenabled()
    report = decide_eligibility(labour, roll(), on=ON)
    assert len(report.eligible) == 3
    assert seen == [True, True, True, True]
    assert gc.isenabled()
