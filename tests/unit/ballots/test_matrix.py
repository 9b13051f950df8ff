"""Ballots as a matrix: made by the readers, the same ballots as the profile's, read-only."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.strategies import NAMES, rankings
from tests.support.matrix import assert_read_with_its_matrix, same_arrays

from mandate.ballots.formats import read_ballots
from mandate.ballots.matrix import EMPTY, RankMatrix
from mandate.ballots.model import Ballot, Candidate, Profile, Ranking
from mandate.errors import InputError
from mandate.ids import CandidateId

A, B, C = NAMES[:3]
CANDIDATES = tuple(Candidate(id=c, name=c) for c in (A, B, C))


def one(*names: CandidateId) -> frozenset[CandidateId]:
    return frozenset(names)


@given(st.lists(rankings(NAMES[:4]), max_size=12), st.data())
def test_rankings_come_back_from_their_matrix(ranked: list[Ranking], data: st.DataObject) -> None:
    counts = [data.draw(st.integers(min_value=1, max_value=9)) for _ in ranked]
    matrix = RankMatrix.encode(NAMES[:4], ranked, counts)
    assert matrix.rankings() == ranked
    assert matrix.counts.tolist() == counts
    assert matrix.rows == len(ranked)


def test_cells_hold_indices_skips_and_groups() -> None:
    matrix = RankMatrix.encode(
        (A, B, C), [(one(B), one(), one(A, C)), (one(),), (one(C),)], [2, 1, 4]
    )
    assert matrix.cells.tolist() == [[1, EMPTY, 3], [EMPTY, EMPTY, EMPTY], [2, EMPTY, EMPTY]]
    assert matrix.groups == (frozenset({0, 2}),)
    assert matrix.lengths.tolist() == [3, 1, 1]
    assert matrix.first_marked.tolist() == [0, 3, 0]


def test_the_arrays_cannot_be_changed() -> None:
    matrix = RankMatrix.encode((A, B), [(one(A),)], [1])
    for array in (matrix.cells, matrix.lengths, matrix.counts, matrix.first_marked):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 5


def test_a_matrix_of_single_marks_drops_trailing_skips() -> None:
    cells = np.array([[1, EMPTY, 0], [2, EMPTY, EMPTY], [EMPTY, EMPTY, EMPTY]])
    matrix = RankMatrix.of_cells((A, B, C), cells, np.array([3, 2, 1]))
    assert matrix.lengths.tolist() == [3, 1, 0]
    assert matrix.rankings() == [(one(B), one(), one(A)), (one(C),), ()]
    assert same_arrays(matrix, RankMatrix.encode((A, B, C), matrix.rankings(), [3, 2, 1]))


@pytest.mark.parametrize(
    ("cells", "counts", "message"),
    [
        ([[3]], [1], "a candidate's index"),
        ([[-2]], [1], "a candidate's index"),
        ([[0], [1]], [1], "2 rows but 1 counts"),
        ([[0]], [0], "at least 1"),
    ],
)
def test_a_wrong_matrix_is_refused(cells: list[list[int]], counts: list[int], message: str) -> None:
    with pytest.raises(InputError, match=message):
        RankMatrix.of_cells((A, B, C), np.array(cells), np.array(counts))


def test_a_ranking_naming_someone_else_is_refused() -> None:
    with pytest.raises(InputError, match="'Zed', who is not among the candidates"):
        RankMatrix.encode((A, B), [(one(CandidateId("Zed")),)], [1])


def test_a_profile_of_a_matrix_is_the_profile_of_its_ballots() -> None:
    ranked = [(one(A), one(B)), (one(C),)]
    matrix = RankMatrix.encode((A, B, C), ranked, [4, 1])
    profile = Profile.of_matrix(matrix, candidates=CANDIDATES, seats=1)
    made = Profile(
        candidates=CANDIDATES,
        ballots=(Ballot(ranking=ranked[0], count=4), Ballot(ranking=ranked[1], count=1)),
        seats=1,
    )
    assert profile == made
    assert (hash(profile), repr(profile)) == (hash(made), repr(made))
    assert profile.matrix() is matrix
    assert made.matrix() is not made.matrix()  # encoded when asked, not kept
    assert same_arrays(made.matrix(), matrix)
    assert profile.deduplicated() is profile


def test_a_matrix_for_other_candidates_or_ballots_is_refused() -> None:
    matrix = RankMatrix.encode((A, B, C), [(one(A),)], [2])
    with pytest.raises(InputError, match="number the profile's candidates"):
        Profile.of_matrix(matrix, candidates=tuple(reversed(CANDIDATES)))
    with pytest.raises(InputError, match="row for row"):
        Profile.of_matrix(
            matrix, candidates=CANDIDATES, ballots=(Ballot(ranking=(one(A),), count=3),)
        )


@pytest.mark.parametrize(
    "relative",
    [
        "preflib/burlington-2009-mayor.toi",
        "preflib/uk-labour-2010-mps.soi",
        "glasgow-2007/Anderston-City-2007.blt",
        "rctab/test_set_1_exhaust_at_overvote/test_set_1_exhaust_at_overvote_cvr.json",
    ],
)
def test_every_reader_hands_over_the_matrix_of_what_it_read(
    shared_data: Path, relative: str
) -> None:
    assert_read_with_its_matrix(read_ballots(shared_data / relative))


def test_the_csv_reader_hands_over_the_matrix_of_what_it_read(tmp_path: Path) -> None:
    path = tmp_path / "ballots.csv"
    path.write_text("count,rank1,rank2,rank3\n3,A,,B\n2,B=C,A,\n1,,,\n4,C,#overvote,A\n")
    assert_read_with_its_matrix(read_ballots(path))
