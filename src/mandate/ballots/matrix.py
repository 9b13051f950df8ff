"""Ranked ballots as NumPy arrays: one row a distinct ballot, one column a rank.

``cells[b, r]`` is the index of the candidate marked at rank ``r`` of ballot ``b`` (candidates
in the order of :attr:`RankMatrix.candidates`), :data:`EMPTY` for a skipped rank or a rank
past the ballot's end, or ``len(candidates) + g`` for a rank marking several candidates,
``groups[g]``. The readers build the matrix as they read and hand it over with the profile
(:meth:`mandate.ballots.model.Profile.of_matrix`), so that a count does not have to turn
every ranking into numbers first; a profile made without one is encoded when counted.

>>> A, B, C = (CandidateId(x) for x in "ABC")
>>> matrix = RankMatrix.encode(
...     (A, B, C),
...     [(frozenset({B}), frozenset(), frozenset({A})), (frozenset({A, C}),)],
...     [3, 2],
... )
>>> matrix.cells.tolist(), matrix.groups, matrix.counts.tolist()
([[1, -1, 0], [3, -1, -1]], (frozenset({0, 2}),), [3, 2])
>>> matrix.rankings() == [(frozenset({B}), frozenset(), frozenset({A})), (frozenset({A, C}),)]
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from typing import Final

import numpy as np
import numpy.typing as npt

from mandate.ballots.ranking import UNRECORDED_OVERVOTE, Rank, Ranking
from mandate.errors import InputError
from mandate.ids import CandidateId

__all__ = ["EMPTY", "MAX_BALLOTS", "RankMatrix", "check_total"]

IntArray = npt.NDArray[np.int64]

EMPTY: Final = -1
"""A skipped rank, or a rank past the ballot's end, in the matrix."""

MAX_BALLOTS: Final = 2**63 - 1
"""The most ballots a profile may hold in all (9,223,372,036,854,775,807): every count and
tally of a matrix is a 64-bit integer, and no sum of them may wrap."""


def check_total(total: int) -> str | None:
    """Why ``total`` ballots are too many to count, or ``None`` when they are not.

    >>> check_total(2**63) is None, check_total(2**63 - 1) is None
    (False, True)
    """
    if total <= MAX_BALLOTS:
        return None
    return (
        f"the ballots' counts add up to {total:,}, more than the {MAX_BALLOTS:,} ballots "
        "mandate can count"
    )


@dataclass(frozen=True, slots=True, eq=False)
class RankMatrix:
    """Distinct ranked ballots as read-only arrays, and the candidates their indices name.

    Made by :meth:`encode` (from rankings) or :meth:`of_cells` (from a matrix of single marks);
    both check what they are given, so a matrix always describes valid ballots.
    """

    candidates: tuple[CandidateId, ...]
    """The candidates, in the order their indices number them (the declared order)."""
    cells: IntArray
    lengths: IntArray
    """Each ballot's number of ranks, skipped ones included (trailing skips dropped)."""
    counts: IntArray
    """How many voters cast each distinct ballot."""
    first_marked: IntArray
    """Each ballot's first rank with a mark (the matrix's width if it has none)."""
    groups: tuple[frozenset[int], ...]
    """The candidates of each rank that marks several (``cells`` holds ``n + g``)."""
    unrecorded: frozenset[int]
    """Groups standing for an overvote whose marks were not recorded."""

    @property
    def rows(self) -> int:
        """Number of distinct ballots."""
        return int(self.counts.size)

    @classmethod
    def encode(
        cls,
        candidates: Sequence[CandidateId],
        rankings: Sequence[Ranking],
        counts: Sequence[int],
    ) -> RankMatrix:
        """The rankings as a matrix, candidates numbered in the order given.

        Raises:
            InputError: a ranking names someone not in ``candidates``, a count is below 1,
                or the counts add up to more than :data:`MAX_BALLOTS`.
        """
        too_many = check_total(sum(counts))
        if too_many is not None:
            raise InputError(too_many)
        index = {c: i for i, c in enumerate(candidates)}
        n_candidates = len(index)
        codes: dict[Rank, int] = {}
        groups: list[frozenset[int]] = []
        unrecorded: set[int] = set()
        ranks = list(chain.from_iterable(rankings))
        # Code each distinct rank once; equal ranks are usually one shared object (the readers
        # intern them), which makes the look-ups below identity checks.
        for rank in set(ranks):
            unknown = rank.difference(index, (UNRECORDED_OVERVOTE,))
            if unknown:
                raise InputError(
                    f"a ballot names {sorted(unknown)[0]!r}, who is not among the candidates"
                )
            if len(rank) == 1 and UNRECORDED_OVERVOTE not in rank:
                codes[rank] = index[next(iter(rank))]
            elif not rank:
                codes[rank] = EMPTY
            else:
                codes[rank] = n_candidates + len(groups)
                groups.append(frozenset(index[c] for c in rank if c != UNRECORDED_OVERVOTE))
                if UNRECORDED_OVERVOTE in rank:
                    unrecorded.add(len(groups) - 1)
        values = np.fromiter(map(codes.__getitem__, ranks), dtype=np.int64, count=len(ranks))
        lengths = np.fromiter(map(len, rankings), dtype=np.int64, count=len(rankings))
        weights = np.asarray(counts, dtype=np.int64)
        cells = np.full((len(rankings), max(int(lengths.max(initial=0)), 1)), EMPTY, np.int64)
        if values.size:
            row_of = np.repeat(np.arange(len(rankings)), lengths)
            starts = np.cumsum(lengths) - lengths
            col_of = np.arange(values.size) - np.repeat(starts, lengths)
            cells[row_of, col_of] = values
        return cls._made(tuple(candidates), cells, lengths, weights, groups, unrecorded)

    @classmethod
    def of_cells(
        cls, candidates: Sequence[CandidateId], cells: IntArray, counts: IntArray
    ) -> RankMatrix:
        """A matrix of single marks (candidate indices, :data:`EMPTY` for no mark), one row a
        distinct ballot; trailing empty ranks are not part of a ballot.

        Raises:
            InputError: a cell is neither a candidate's index nor ``EMPTY``, the shapes
                disagree, a count is below 1, or the counts add up to more than
                :data:`MAX_BALLOTS`.
        """
        too_many = check_total(sum(int(c) for c in np.asarray(counts, dtype=object).ravel()))
        if too_many is not None:
            raise InputError(too_many)
        cells = np.array(cells, dtype=np.int64, ndmin=2, copy=True)
        n_candidates = len(candidates)
        if cells.size and (cells.min() < EMPTY or cells.max() >= n_candidates):
            raise InputError(
                f"a ballot matrix cell must be a candidate's index (0 to {n_candidates - 1}) "
                f"or {EMPTY} for no mark"
            )
        marked = cells != EMPTY
        width = cells.shape[1]
        lengths = np.where(marked.any(axis=1), width - marked[:, ::-1].argmax(axis=1), 0)
        return cls._made(tuple(candidates), cells, lengths, np.array(counts, np.int64), [], set())

    @classmethod
    def _made(
        cls,
        candidates: tuple[CandidateId, ...],
        cells: IntArray,
        lengths: IntArray,
        counts: IntArray,
        groups: list[frozenset[int]],
        unrecorded: set[int],
    ) -> RankMatrix:
        if len(set(candidates)) != len(candidates):
            raise InputError("a ballot matrix's candidates must be unique")
        if counts.shape != (cells.shape[0],) or lengths.shape != counts.shape:
            raise InputError(f"a ballot matrix has {cells.shape[0]} rows but {counts.size} counts")
        if counts.size and counts.min() < 1:
            raise InputError(f"a ballot's count must be at least 1 (got {int(counts.min())})")
        width = cells.shape[1]
        is_marked = cells != EMPTY
        first_marked = np.where(is_marked.any(axis=1), is_marked.argmax(axis=1), width)
        for array in (cells, lengths, counts, first_marked):
            array.setflags(write=False)
        return cls(
            candidates=candidates,
            cells=cells,
            lengths=lengths,
            counts=counts,
            first_marked=first_marked,
            groups=tuple(groups),
            unrecorded=frozenset(unrecorded),
        )

    def rankings(self) -> list[Ranking]:
        """The ballots as rankings again (one a row, in order; the inverse of :meth:`encode`)."""
        n = len(self.candidates)
        ranks: list[Rank] = [frozenset({c}) for c in self.candidates]
        for g, members in enumerate(self.groups):
            extra = {UNRECORDED_OVERVOTE} if g in self.unrecorded else set()
            ranks.append(frozenset({self.candidates[i] for i in members} | extra))
        ranks.append(frozenset())  # EMPTY (-1) reads the last entry
        assert len(ranks) == n + len(self.groups) + 1
        return [
            tuple(map(ranks.__getitem__, row[:length]))
            for row, length in zip(self.cells.tolist(), self.lengths.tolist(), strict=True)
        ]
