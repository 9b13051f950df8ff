"""The ballot encoding a profile keeps for counting: made once, read-only, not part of its value."""

from __future__ import annotations

import numpy as np
import pytest
from tests.unit.counting.helpers import ballots

from mandate.ballots.model import Profile
from mandate.counting.irv import IrvOptions, Overvote, count_irv
from mandate.counting.ranked import encode_ballots


def fresh(*, blank: bool = True) -> Profile:
    rows = ("5,A,,", "4,B,,", "2,C,A=B,B", "1,D,C=D,B")
    return ballots(*rows, "3,,,") if blank else ballots(*rows)


def index_of(profile: Profile) -> dict[str, int]:
    return {c: i for i, c in enumerate(profile.candidate_ids)}


def test_a_profile_is_encoded_once_and_counts_alike_every_time() -> None:
    profile = fresh(blank=False)
    first = encode_ballots(profile, index_of(profile), None)
    again = encode_ballots(profile, index_of(profile), None)
    assert again.cells is first.cells
    for options in (IrvOptions(), IrvOptions(overvote=Overvote.SKIP), IrvOptions(max_rankings=1)):
        assert count_irv(profile, options) == count_irv(fresh(blank=False), options)
    with_blank = fresh()
    for options in (IrvOptions(max_rankings=1), IrvOptions()):
        assert count_irv(with_blank, options) == count_irv(fresh(), options)


def test_the_kept_encoding_cannot_be_changed() -> None:
    profile = fresh(blank=False)
    encoded = encode_ballots(profile, index_of(profile), None)
    with pytest.raises(ValueError, match="read-only"):
        encoded.cells[0, 0] = 3
    with pytest.raises(ValueError, match="read-only"):
        encoded.counts[0] = 99


def test_keeping_the_encoding_changes_neither_equality_nor_hash_nor_repr() -> None:
    counted, untouched = fresh(), fresh()
    before = (hash(counted), repr(counted))
    count_irv(counted)
    assert counted == untouched
    assert (hash(counted), repr(counted)) == before == (hash(untouched), repr(untouched))


def test_max_rankings_cuts_the_kept_encoding_without_changing_it() -> None:
    profile = fresh()
    index = index_of(profile)
    cut = encode_ballots(profile, index, 1)
    whole = encode_ballots(profile, index, None)
    assert cut.cells.shape[1] == 1
    assert whole.cells.shape[1] == 3
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
