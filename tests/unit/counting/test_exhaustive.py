"""The exhaustive ballot: Conservative MPs, summer 2022, and simulated rounds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.unit.counting.helpers import ballots

from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.counting.exhaustive import ExhaustiveOptions, count_exhaustive
from mandate.counting.irv import IrvOptions
from mandate.counting.model import InactiveReason
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.tiebreak import TieBreak
from mandate.errors import CountingError, InputError, InvalidBallotError
from mandate.ids import CandidateId

CONSERVATIVE_MPS = ExhaustiveOptions(first_round_floor=30, stop_at=2, majority=False)


def _contest(shared_data: Path) -> dict[str, Any]:
    data = json.loads((shared_data / "party_contests.json").read_text(encoding="utf-8"))
    return next(c for c in data["comparators"] if c["id"] == "conservative-leader-2022-summer")


def _ballots_of(published: dict[str, Any], candidates: tuple[Candidate, ...]) -> Profile:
    """One round's ballots built from its published tally: each MP's paper names one
    candidate; a spoilt paper is written as one marking two candidates (an overvote)."""
    made = [
        Ballot(ranking=(frozenset({CandidateId(name)}),), count=votes)
        for name, votes in published["votes"].items()
    ]
    if published.get("spoilt"):
        pair = frozenset(CandidateId(n) for n in list(published["votes"])[:2])
        made.append(Ballot(ranking=(pair,), count=published["spoilt"]))
    return Profile(candidates=candidates, ballots=tuple(made))


@pytest.fixture(scope="module")
def conservative_2022(shared_data: Path) -> tuple[Any, dict[str, Any]]:
    contest = _contest(shared_data)
    candidates = tuple(
        Candidate(id=CandidateId(n), name=n) for n in contest["mp_ballots"][0]["votes"]
    )
    rounds = [_ballots_of(r, candidates) for r in contest["mp_ballots"]]
    return count_exhaustive(rounds, CONSERVATIVE_MPS), contest


def test_conservative_2022_every_ballots_tally_and_eliminations(
    conservative_2022: Any,
) -> None:
    result, contest = conservative_2022
    assert len(result.rounds) == 5
    for counted, published in zip(result.rounds, contest["mp_ballots"], strict=True):
        assert dict(counted.tally) == published["votes"]
        assert list(counted.eliminated) == published["eliminated"]


def test_conservative_2022_floor_removes_zahawi_and_hunt_after_the_first_ballot(
    conservative_2022: Any,
) -> None:
    result, _ = conservative_2022
    first = result.rounds[0]
    assert first.eliminated == ("Nadhim Zahawi", "Jeremy Hunt")
    assert "below the first-round floor of 30" in first.note


def test_conservative_2022_sends_sunak_and_truss_to_the_members(conservative_2022: Any) -> None:
    result, _ = conservative_2022
    last = result.rounds[-1]
    assert dict(last.tally) == {"Rishi Sunak": 137, "Penny Mordaunt": 105, "Liz Truss": 113}
    assert last.eliminated == ("Penny Mordaunt",)
    assert result.elected == ("Rishi Sunak", "Liz Truss")
    assert result.seats == 2
    assert last.inactive_of(InactiveReason.OVERVOTE) == 2  # the two spoilt papers


def test_separate_rounds_refuse_a_vote_for_an_eliminated_candidate() -> None:
    first = ballots("5,A", "4,B", "3,C", candidates="ABC")
    second = ballots("5,A", "4,B", "3,C", candidates="ABC")
    with pytest.raises(InvalidBallotError, match="round 2, ballot 3: a vote for C"):
        count_exhaustive([first, second])


def test_separate_rounds_that_end_early_say_another_ballot_is_needed() -> None:
    first = ballots("5,A", "4,B", "3,C", "2,D", candidates="ABCD")
    result = count_exhaustive([first])
    # one profile: the rounds are simulated, and plurality ballots exhaust when their
    # candidate goes
    assert result.rounds[-1].elected
    partial = count_exhaustive([first, ballots("5,A", "4,B", "4,C", candidates="ABCD")])
    assert partial.elected == ()
    assert "another ballot is needed" in partial.rounds[-1].note


def test_too_many_rounds_is_an_error() -> None:
    first = ballots("5,A", "4,B", "3,C", "2,D", candidates="ABCD")
    second = ballots("6,A", "5,B", "3,C", candidates="ABCD")
    third = ballots("6,A", "5,B", candidates="ABCD")
    with pytest.raises(InputError, match="complete after round 2"):
        count_exhaustive([first, second, third], ExhaustiveOptions(stop_at=2, majority=False))


def test_simulated_rounds_follow_each_voters_top_continuing_choice() -> None:
    profile = ballots("4,A,B", "3,B,C", "2,C,B", "1,D,C", candidates="ABCD")
    result = count_exhaustive(profile)
    assert [dict(r.tally) for r in result.rounds] == [
        {"A": 4, "B": 3, "C": 2, "D": 1},
        {"A": 4, "B": 3, "C": 3},
        {"A": 4, "B": 5},
    ]
    assert [r.eliminated for r in result.rounds] == [("D",), ("C",), ()]
    # B and C tie on the second ballot; the first ballot (C 2, B 3) settles it
    assert result.rounds[1].tiebreaks[0].method == "previous-round (round 1)"
    assert result.rounds[2].inactive_of(InactiveReason.EXHAUSTED) == 1
    assert result.elected == ("B",)


def test_majority_on_a_ballot_ends_the_count() -> None:
    profile = ballots("6,A", "3,B", "2,C", candidates="ABC")
    result = count_exhaustive(profile)
    assert len(result.rounds) == 1
    assert result.elected == ("A",)
    assert result.rounds[0].threshold == 6


def test_without_majority_the_count_goes_on_until_stop_at() -> None:
    profile = ballots("6,A", "3,B", "2,C", candidates="ABC")
    result = count_exhaustive(profile, ExhaustiveOptions(stop_at=2, majority=False))
    assert result.elected == ("A", "B")
    assert result.rounds[0].eliminated == ("C",)


def test_a_floor_nobody_is_below_eliminates_the_lowest() -> None:
    profile = ballots("6,A", "5,B", "4,C", candidates="ABC")
    result = count_exhaustive(profile, ExhaustiveOptions(first_round_floor=3, majority=False))
    assert result.rounds[0].eliminated == ("C",)


def test_a_floor_that_would_leave_too_few_is_an_error() -> None:
    profile = ballots("6,A", "5,B", "4,C", candidates="ABC")
    with pytest.raises(CountingError, match="below the floor of 10"):
        count_exhaustive(profile, ExhaustiveOptions(first_round_floor=10, stop_at=2))


def test_registry_counts_an_exhaustive_ballot() -> None:
    profile = ballots("4,A,B", "3,B,A", "2,C,B", candidates="ABC")
    spec = CountSpec(method=Method.EXHAUSTIVE, irv=IrvOptions(tiebreak=TieBreak.CANDIDATE_ORDER))
    result = count(profile, spec)
    assert result.method == "exhaustive"
    assert result.elected == ("B",)


def test_one_separate_ballot_is_counted_alone_not_simulated() -> None:
    first = ballots("5,A", "4,B", "3,C", "2,D", candidates="ABCD")
    result = count_exhaustive(first, separate=True)
    assert len(result.rounds) == 1
    assert result.rounds[0].eliminated == ("D",)
    assert result.elected == ()
    assert "another ballot is needed" in result.rounds[0].note


def test_several_profiles_cannot_be_simulated_from() -> None:
    first = ballots("5,A", "4,B", candidates="AB")
    with pytest.raises(InputError, match="simulated from one ranked profile"):
        count_exhaustive([first, first], separate=False)


def test_irv_only_options_are_refused() -> None:
    with pytest.raises(InputError, match="an exhaustive ballot has no continue until two"):
        count_exhaustive(ballots("1,A", candidates="AB"), irv=IrvOptions(continue_until_two=True))


def test_a_round_after_a_majority_is_an_error() -> None:
    first = ballots("6,A", "4,B", "1,C", candidates="ABC")
    with pytest.raises(InputError, match="complete after round 1"):
        count_exhaustive([first, ballots("6,A", "5,B", candidates="ABC")])
