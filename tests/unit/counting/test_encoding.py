"""The ballot arrays a count reads: the profile's own matrix, cut to the count's options."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from tests.unit.counting.helpers import ballots

from mandate.ballots.model import Ballot, Profile
from mandate.counting.irv import IrvOptions, Overvote, count_irv
from mandate.counting.ranked import encode_ballots


def fresh(*, blank: bool = True) -> Profile:
    rows = ("5,A,,", "4,B,,", "2,C,A=B,B", "1,D,C=D,B")
    return ballots(*rows, "3,,,") if blank else ballots(*rows)


def made_in_code(profile: Profile) -> Profile:
    """The same ballots given as objects, with no matrix from a reader."""
    return Profile(
        candidates=profile.candidates,
        ballots=tuple(Ballot(ranking=b.ranking, count=b.count) for b in profile.ballots),
    )


def index_of(profile: Profile) -> dict[str, int]:
    return {c: i for i, c in enumerate(profile.candidate_ids)}


def test_a_read_profile_is_counted_from_the_arrays_its_reader_built() -> None:
    profile = fresh(blank=False)
    first = encode_ballots(profile, index_of(profile), None)
    again = encode_ballots(profile, index_of(profile), None)
    assert again.cells is first.cells is profile.matrix().cells


def test_read_and_made_in_code_profiles_count_alike_with_every_option() -> None:
    for profile in (fresh(), fresh(blank=False)):
        other = made_in_code(profile)
        assert other == profile
        for options in (
            IrvOptions(),
            IrvOptions(overvote=Overvote.SKIP),
            IrvOptions(overvote=Overvote.EXHAUST_IF_MULTIPLE, max_rankings=2),
            IrvOptions(max_rankings=1),
        ):
            assert count_irv(profile, options) == count_irv(other, options)


def test_max_rankings_cuts_the_arrays_without_changing_the_profiles() -> None:
    profile = fresh()
    index = index_of(profile)
    cut = encode_ballots(profile, index, 1)
    whole = encode_ballots(profile, index, None)
    assert cut.cells.shape[1] == 1
    assert whole.cells.shape[1] == 3
    assert profile.matrix().cells.shape[1] == 3
    assert cut.undervotes == whole.undervotes == 3
    assert int(cut.counts.sum()) == int(whole.counts.sum()) == 12


def test_an_index_in_another_order_is_encoded_apart() -> None:
    profile = fresh()
    reversed_index = {c: i for i, c in enumerate(reversed(profile.candidate_ids))}
    declared = encode_ballots(profile, index_of(profile), None)
    other = encode_ballots(profile, reversed_index, None)
    assert np.array_equal(
        np.where(declared.cells >= 0, 3 - declared.cells, -1)[:, :1], other.cells[:, :1]
    )


def test_candidates_put_in_another_order_are_counted_in_that_order() -> None:
    profile = fresh(blank=False)
    reordered = replace(profile, candidates=tuple(reversed(profile.candidates)))
    assert reordered.matrix().candidates == reordered.candidate_ids
    ours, theirs = count_irv(reordered), count_irv(profile)
    assert ours.elected == theirs.elected
    assert [dict(r.tally) for r in ours.rounds] == [dict(r.tally) for r in theirs.rounds]
    assert ours.rounds[0].tally[0][0] == "D"  # the declared order is kept
