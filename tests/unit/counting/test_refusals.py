"""Counts that can decide nothing are refused (issue 10, item 4): more seats than candidates
standing, and no valid vote (which drew a lot among candidates with 0 votes)."""

from __future__ import annotations

import pytest
from tests.unit.counting.helpers import ballots

from mandate.ballots.formats.blt import parse_blt
from mandate.counting.exhaustive import count_exhaustive
from mandate.counting.irv import IrvOptions, count_irv
from mandate.counting.registry import CountSpec, Method, StvRules, count
from mandate.counting.tiebreak import TieBreak
from mandate.errors import CountingError, NoValidVoteError

THREE = ["3 2", "4 1 2 0", "2 3 0", "0", '"A"', '"B"', '"C"', '"t"']
NO_VALID = ["3 1", "0", '"A"', '"B"', '"C"', '"t"']
SEEDED = IrvOptions(tiebreak=TieBreak.RANDOM, seed="s")


@pytest.mark.parametrize("rules", list(StvRules))
def test_stv_refuses_more_seats_than_candidates(rules: StvRules) -> None:
    profile = parse_blt(THREE, source="x.blt")
    with pytest.raises(CountingError, match="5 seats but only 3 candidates standing"):
        count(profile, CountSpec(method=Method.STV, seats=5, stv_rules=rules, irv=SEEDED))


@pytest.mark.parametrize("rules", list(StvRules))
def test_stv_counts_withdrawn_candidates_out_of_those_standing(rules: StvRules) -> None:
    lines = ["3 2", "-3", "4 1 2 0", "2 3 0", "0", '"A"', '"B"', '"C"', '"t"']
    profile = parse_blt(lines, source="x.blt")
    spec = CountSpec(method=Method.STV, seats=2, stv_rules=rules)
    assert sorted(count(profile, spec).elected) == ["A", "B"]
    with pytest.raises(CountingError, match="3 seats but only 2 candidates standing"):
        count(profile, CountSpec(method=Method.STV, seats=3, stv_rules=rules))


@pytest.mark.parametrize("method", [Method.PLURALITY, Method.APPROVAL])
def test_plurality_and_approval_refuse_more_seats_than_candidates(method: Method) -> None:
    profile = parse_blt(THREE, source="x.blt")
    with pytest.raises(CountingError, match="4 seats but only 3 candidates standing"):
        count(profile, CountSpec(method=method, seats=4))


@pytest.mark.parametrize(
    "spec",
    [
        CountSpec(method=Method.IRV, irv=SEEDED),
        CountSpec(method=Method.PLURALITY, irv=SEEDED),
        CountSpec(method=Method.APPROVAL, irv=SEEDED),
        CountSpec(method=Method.EXHAUSTIVE, irv=SEEDED),
        *(CountSpec(method=Method.STV, stv_rules=rules, irv=SEEDED) for rules in list(StvRules)),
    ],
    ids=lambda s: s.method.value + (f"-{s.stv_rules.value}" if s.stv_rules else ""),
)
def test_no_valid_vote_is_refused_not_drawn_by_lot(spec: CountSpec) -> None:
    """A file with no ballot (or only blank ones) elected someone with 0 votes by lot."""
    for profile in (
        parse_blt(NO_VALID, source="x.blt"),
        ballots("3,,", candidates="ABC"),  # three blank ballots
    ):
        with pytest.raises(NoValidVoteError, match="no valid vote"):
            count(profile, spec)


def test_ballots_marking_only_excluded_candidates_are_no_valid_vote() -> None:
    profile = ballots("2,C,", candidates="ABC")
    with pytest.raises(NoValidVoteError, match="none of the 2 ballots"):
        count_irv(profile, IrvOptions(exclude=frozenset({"C"})))


def test_an_exhaustive_ballot_with_no_valid_vote_is_refused() -> None:
    with pytest.raises(NoValidVoteError):
        count_exhaustive(ballots("4,,", candidates="AB"))


def test_as_many_seats_as_candidates_elects_them_all() -> None:
    profile = parse_blt(THREE, source="x.blt")
    result = count(profile, CountSpec(method=Method.STV, seats=3, stv_rules=StvRules.ERS97))
    assert sorted(result.elected) == ["A", "B", "C"]
