"""Checks that a profile read from a file carries the rank matrix of its own ballots."""

from __future__ import annotations

import numpy as np

from mandate.ballots.matrix import RankMatrix
from mandate.ballots.model import Profile


def same_arrays(a: RankMatrix, b: RankMatrix) -> bool:
    """Two matrices number the same candidates and hold the same ballots, row for row."""
    return (
        a.candidates == b.candidates
        and np.array_equal(a.cells, b.cells)
        and np.array_equal(a.lengths, b.lengths)
        and np.array_equal(a.counts, b.counts)
        and np.array_equal(a.first_marked, b.first_marked)
        and a.groups == b.groups
        and a.unrecorded == b.unrecorded
    )


def assert_read_with_its_matrix(profile: Profile) -> None:
    """The reader handed over a matrix (the same object on every call), and it is exactly
    the encoding of the profile's ballots."""
    kept = profile.matrix()
    assert kept is profile.matrix(), "the reader handed over no matrix"
    again = RankMatrix.encode(
        profile.candidate_ids, [b.ranking for b in profile.ballots], [b.count for b in profile]
    )
    assert same_arrays(kept, again)
