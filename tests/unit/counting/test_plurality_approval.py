"""Plurality and approval counts."""

from __future__ import annotations

import pytest
from tests.unit.counting.helpers import ballots

from mandate.counting.approval import count_approval
from mandate.counting.model import InactiveReason
from mandate.counting.plurality import count_plurality
from mandate.counting.tiebreak import TieBreak
from mandate.errors import CountingError, UnresolvedTieError


def test_plurality_counts_the_first_mark_and_sets_overvotes_apart() -> None:
    profile = ballots("3,A,B", "2,,B", "2,A=B,", "1,,", candidates="AB")
    result = count_plurality(profile)
    assert dict(result.rounds[0].tally) == {"A": 3, "B": 2}
    assert result.rounds[0].inactive_of(InactiveReason.OVERVOTE) == 2
    assert result.undervotes == 1
    assert result.elected == ("A",)


def test_plurality_elects_several_in_order_of_votes() -> None:
    profile = ballots("3,B", "5,C", "1,A", candidates="ABC")
    assert count_plurality(profile, seats=2).elected == ("C", "B")


def test_plurality_breaks_a_tie_for_the_last_seat_only() -> None:
    profile = ballots("3,A", "3,B", "3,C", candidates="ABC")
    result = count_plurality(profile, seats=2, tiebreak=TieBreak.CANDIDATE_ORDER)
    assert result.elected == ("A", "B")
    assert [r.tied for r in result.rounds[0].tiebreaks] == [("A", "B", "C"), ("B", "C")]
    with pytest.raises(UnresolvedTieError):
        count_plurality(profile, tiebreak=TieBreak.LOT)


def test_plurality_refuses_more_seats_than_candidates() -> None:
    with pytest.raises(CountingError, match="3 seats but only 2 candidates"):
        count_plurality(ballots("1,A", candidates="AB"), seats=3)


def test_approval_counts_every_mark_once() -> None:
    profile = ballots("2,A=B,", "3,C,A", "1,,", "1,A,A", candidates="ABC")
    result = count_approval(profile, seats=2)
    assert dict(result.rounds[0].tally) == {"A": 6, "B": 2, "C": 3}
    assert result.elected == ("A", "C")
    assert result.undervotes == 1
    assert result.valid == 6
