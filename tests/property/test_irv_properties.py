"""Properties of the IRV count that hold for any ballots."""

from __future__ import annotations

import dataclasses
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.ballots.model import UNRECORDED_OVERVOTE, Ballot, Profile
from mandate.counting.irv import Duplicates, IrvOptions, Overvote, count_irv
from mandate.counting.model import CountResult
from mandate.counting.report import result_to_json
from mandate.counting.tiebreak import TieBreak
from tests.strategies import profiles

options_strategy = st.builds(
    IrvOptions,
    overvote=st.sampled_from(list(Overvote)),
    max_skipped=st.none() | st.integers(min_value=0, max_value=2),
    max_rankings=st.none() | st.integers(min_value=1, max_value=4),
    duplicates=st.sampled_from(list(Duplicates)),
    batch_elimination=st.booleans(),
    continue_until_two=st.booleans(),
    tiebreak=st.sampled_from([TieBreak.CANDIDATE_ORDER, TieBreak.RANDOM]),
    seed=st.just("property seed"),
)


def judgeable(profile: Profile, options: IrvOptions) -> Profile:
    """The profile, without unrecorded overvotes when the rules cannot judge them."""
    if options.overvote is not Overvote.EXHAUST_IF_MULTIPLE:
        return profile
    kept = tuple(
        b for b in profile.ballots if not any(UNRECORDED_OVERVOTE in rank for rank in b.ranking)
    )
    return dataclasses.replace(profile, ballots=kept)


def outcome(profile: Profile, options: IrvOptions) -> dict[str, Any]:
    return result_to_json(count_irv(profile, options))


@settings(max_examples=150, deadline=None)
@given(profiles(), options_strategy, st.randoms(use_true_random=False))
def test_ballot_order_does_not_change_the_result(
    profile: Profile, options: IrvOptions, shuffler: Any
) -> None:
    profile = judgeable(profile, options)
    ballots = list(profile.ballots)
    shuffler.shuffle(ballots)
    shuffled = dataclasses.replace(profile, ballots=tuple(ballots))
    assert outcome(shuffled, options) == outcome(profile, options)


@settings(max_examples=150, deadline=None)
@given(profiles(), options_strategy)
def test_deduplicated_and_raw_ballots_give_the_same_result(
    profile: Profile, options: IrvOptions
) -> None:
    profile = judgeable(profile, options)
    raw = dataclasses.replace(
        profile,
        ballots=tuple(Ballot(ranking=b.ranking) for b in profile.ballots for _ in range(b.count)),
    )
    assert outcome(raw, options) == outcome(profile.deduplicated(), options)


def conserved(result: CountResult, total: int) -> None:
    for round_ in result.rounds:
        counted = sum(int(v) for _, v in round_.tally)
        inactive = sum(int(v) for _, v in round_.inactive)
        assert counted + inactive + result.undervotes == total, f"round {round_.number}"


@settings(max_examples=200, deadline=None)
@given(profiles(), options_strategy)
def test_votes_are_conserved_across_rounds(profile: Profile, options: IrvOptions) -> None:
    profile = judgeable(profile, options)
    result = count_irv(profile, options)
    conserved(result, profile.total)
    inactive = [sum(int(v) for _, v in r.inactive) for r in result.rounds]
    assert inactive == sorted(inactive), "a ballot once inactive stays inactive"


@settings(max_examples=150, deadline=None)
@given(profiles(messy=False), st.data())
def test_a_majority_of_first_preferences_wins_in_round_one(
    profile: Profile, data: st.DataObject
) -> None:
    leader = data.draw(st.sampled_from(profile.candidate_ids))
    firsts = sum(b.count for b in profile.ballots if b.ranking[0] == frozenset({leader}))
    # add ballots for the leader until they hold a strict majority of first preferences
    extra = max(0, (profile.total - firsts) - firsts + 1)
    if extra:
        profile = dataclasses.replace(
            profile, ballots=(*profile.ballots, Ballot(ranking=(frozenset({leader}),), count=extra))
        )
    result = count_irv(profile, IrvOptions(tiebreak=TieBreak.CANDIDATE_ORDER))
    assert result.elected == (leader,)
    assert result.rounds[0].elected == (leader,)
