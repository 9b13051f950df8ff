"""Properties of the electoral college and of counts by section."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mandate.ballots.model import Profile
from mandate.ballots.sections import SectionedProfile
from mandate.counting.college import count_college
from mandate.counting.exhaustive import count_exhaustive
from mandate.counting.irv import IrvOptions, count_irv
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.sectioned import count_sections
from mandate.counting.tiebreak import TieBreak
from mandate.errors import NoValidVoteError
from tests.strategies import profiles

BY_ORDER = IrvOptions(tiebreak=TieBreak.CANDIDATE_ORDER)
weights_ = st.fractions(min_value=Fraction(1, 100), max_value=100)


@st.composite
def sectioned(draw: st.DrawFn, *, messy: bool = True) -> SectionedProfile:
    """A profile's ballots split into one to three sections (none left empty)."""
    profile = draw(profiles(messy=messy))
    where = [draw(st.integers(min_value=0, max_value=2)) for _ in profile.ballots]
    parts: dict[str, Profile] = {}
    for number in sorted(set(where)):
        chosen = tuple(b for b, w in zip(profile.ballots, where, strict=True) if w == number)
        parts[f"s{number}"] = Profile(candidates=profile.candidates, ballots=chosen)
    return SectionedProfile.of(parts)


@settings(max_examples=60, deadline=None)
@given(sections=sectioned(messy=False), data=st.data())
def test_scaling_every_weight_changes_no_decision(
    sections: SectionedProfile, data: st.DataObject
) -> None:
    weights = {name: data.draw(weights_) for name in sections.names}
    factor = data.draw(weights_)
    plain = count_college(sections, weights, BY_ORDER)
    scaled = count_college(sections, {n: w * factor for n, w in weights.items()}, BY_ORDER)
    assert scaled.elected == plain.elected
    assert [r.eliminated for r in scaled.rounds] == [r.eliminated for r in plain.rounds]
    for a, b in zip(plain.rounds, scaled.rounds, strict=True):
        assert {c: v * factor for c, v in a.tally} == dict(b.tally)


@settings(max_examples=60, deadline=None)
@given(profile=profiles(messy=False), weight=weights_)
def test_a_college_of_one_section_is_irv_on_it(profile: Profile, weight: Fraction) -> None:
    college = count_college(SectionedProfile.of({"all": profile}), {"all": weight}, BY_ORDER)
    irv = count_irv(profile, BY_ORDER)
    assert college.elected == irv.elected
    assert [r.eliminated for r in college.rounds] == [r.eliminated for r in irv.rounds]
    for college_round, irv_round in zip(college.rounds, irv.rounds, strict=True):
        assert dict(college_round.sections[0].tally) == dict(irv_round.tally)


@settings(max_examples=60, deadline=None)
@given(sections=sectioned(), method=st.sampled_from([Method.IRV, Method.PLURALITY]))
def test_sections_first_rounds_add_up_to_the_pooled_first_round(
    sections: SectionedProfile, method: Method
) -> None:
    spec = CountSpec(method=method, irv=BY_ORDER)
    outcome = count_sections(sections, spec)
    pooled = dict(outcome.pooled.rounds[0].tally)
    added = dict.fromkeys(pooled, 0)
    for _, result in outcome.sections:
        for candidate, votes in result.rounds[0].tally:
            added[candidate] += votes
    assert added == pooled
    # a section with no valid vote has nothing to report and is left out
    counted = dict(outcome.sections)
    left_out = [p for name, p in sections if name not in counted]
    for profile in left_out:
        with pytest.raises(NoValidVoteError):
            count(profile, spec)
    if not left_out:
        assert sum(r.undervotes for r in counted.values()) == outcome.pooled.undervotes


@settings(max_examples=60, deadline=None)
@given(profile=profiles())
def test_an_exhaustive_ballot_simulated_from_ranked_ballots_is_irv(profile: Profile) -> None:
    """Each voter's top continuing choice, the lowest out each round: IRV, round by round.

    The exhaustive ballot records an elimination in the round it follows, IRV in the next;
    and when an elimination leaves one candidate, no further ballot is held, where IRV
    records one more round for the last candidate.
    """
    exhaustive = count_exhaustive(profile, irv=BY_ORDER)
    irv = count_irv(profile, BY_ORDER)
    assert exhaustive.elected == irv.elected
    shown = len(exhaustive.rounds)
    assert len(irv.rounds) in (shown, shown + 1)
    tallies = [dict(r.tally) for r in irv.rounds[:shown]]
    assert [dict(r.tally) for r in exhaustive.rounds] == tallies
    eliminated = [r.eliminated for r in exhaustive.rounds]
    assert eliminated[: len(irv.rounds) - 1] == [r.eliminated for r in irv.rounds[1:]]
