"""Ballots as values: candidates, rankings, and de-duplicated profiles of ballots.

A ranking is ``tuple[frozenset[CandidateId], ...]``: one set a rank, in order. An empty set is
a skipped rank; a set of two or more is an overvote (or an equal ranking, as the rules read
it); :data:`UNRECORDED_OVERVOTE` stands for an overvote whose marks the export did not record.
Identical ballots are held once with a count, so counting works over distinct rankings.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from operator import attrgetter

import numpy as np

from mandate.ballots.matrix import RankMatrix
from mandate.ballots.ranking import UNRECORDED_OVERVOTE, Ranking
from mandate.errors import InputError, UnknownCandidateError
from mandate.ids import CandidateId

__all__ = [
    "UNRECORDED_OVERVOTE",
    "Ballot",
    "Candidate",
    "Profile",
    "Ranking",
    "deduplicate",
]

_RANKING = attrgetter("ranking")
_COUNT = attrgetter("count")


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A candidate as the ballot paper shows them.

    Args:
        id: unique within the contest; in files read by mandate it is the candidate's name.
        name: the name printed on the ballot paper and in results.
        write_in: a write-in (or an undeclared write-in bucket) rather than a nominee.
    """

    id: CandidateId
    name: str
    write_in: bool = False

    def __post_init__(self) -> None:
        if not self.id or not self.name.strip():
            raise InputError(f"a candidate needs an id and a name (got {self.id!r}, {self.name!r})")


@dataclass(frozen=True, slots=True, kw_only=True)
class Ballot:
    """One ranking, cast ``count`` times (identical ballots are held once).

    >>> Ballot(ranking=(frozenset({CandidateId("A")}),), count=3).count
    3
    """

    ranking: Ranking
    count: int = 1

    def __post_init__(self) -> None:
        if self.count < 1:
            raise InputError(f"a ballot's count must be at least 1 (got {self.count})")

    @property
    def is_blank(self) -> bool:
        """True for a ballot with no marks at all (an undervote)."""
        return all(not rank for rank in self.ranking)

    def candidates(self) -> frozenset[CandidateId]:
        """Every candidate marked anywhere on the ballot."""
        return frozenset().union(*self.ranking) - {UNRECORDED_OVERVOTE}


def deduplicate(ballots: Iterable[Ballot]) -> tuple[Ballot, ...]:
    """Merge identical rankings, adding their counts; first appearance keeps its place.

    >>> a = (frozenset({CandidateId("A")}),)
    >>> [b.count for b in deduplicate([Ballot(ranking=a), Ballot(ranking=a, count=2)])]
    [3]
    """
    ballots = ballots if isinstance(ballots, (list, tuple)) else list(ballots)
    if all(map((1).__eq__, map(_COUNT, ballots))):
        counts: Counter[Ranking] = Counter(map(_RANKING, ballots))  # counted in C
    else:
        counts = Counter()
        for ranking, count in zip(map(_RANKING, ballots), map(_COUNT, ballots), strict=True):
            counts[ranking] += count
    return tuple(map(_merged, counts.keys(), counts.values()))


def _merged(ranking: Ranking, count: int) -> Ballot:
    """A ballot made from ballots already checked: skips re-checking, which a million merged
    rankings would otherwise pay for."""
    ballot = object.__new__(Ballot)
    object.__setattr__(ballot, "ranking", ranking)
    object.__setattr__(ballot, "count", count)
    return ballot


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """The ballots of one contest with its candidates, as a counting method receives them.

    Args:
        candidates: in declared (ballot-paper) order; ``candidate-order`` tie-breaks use it.
        ballots: the ballots; :meth:`deduplicated` merges identical ones.
        seats: seats to fill when the file says (BLT does); ``None`` otherwise.
        withdrawn: candidates withdrawn before the count (BLT's negative ids, ``[withdrawn]``).
        title: the contest's title when the file gives one.
        tie_order: an order of the candidates for ties the rules leave to lot, given by the
            file (BLT's ``[tie]``): of the tied, the one earliest in it is chosen, as Droop
            does; empty when the file gives none.
        note: text the file carries beside its ballots (BLT: after the title), kept as read.
        remarks: what the reader took from the file besides its ballots, in words, one line
            each (BLT options, a note), for the report of a count.
    """

    candidates: tuple[Candidate, ...]
    ballots: tuple[Ballot, ...]
    seats: int | None = None
    withdrawn: frozenset[CandidateId] = field(default_factory=frozenset)
    title: str | None = None
    tie_order: tuple[CandidateId, ...] = ()
    note: str | None = None
    remarks: tuple[str, ...] = ()
    _matrix: RankMatrix | None = field(
        default=None, init=False, repr=False, compare=False, hash=False
    )
    """The same ballots as arrays, when the reader built them (:meth:`of_matrix`)."""

    def __post_init__(self) -> None:
        ids = [c.id for c in self.candidates]
        if len(set(ids)) != len(ids):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            raise InputError(f"candidates must be unique (repeated: {', '.join(dupes)})")
        if self.seats is not None and self.seats < 1:
            raise InputError(f"seats must be at least 1 (got {self.seats})")
        known = set(ids) | {UNRECORDED_OVERVOTE}
        # Each distinct rank is checked once (readers share equal ranks between ballots);
        # only when one names someone unknown are the ballots searched for where.
        ranks = set(chain.from_iterable(map(_RANKING, self.ballots)))
        if not frozenset().union(*ranks) <= known:
            for number, ballot in enumerate(self.ballots, start=1):
                for rank in ballot.ranking:
                    for candidate in rank:
                        if candidate not in known:
                            raise UnknownCandidateError(
                                candidate, known=tuple(ids), where=f"ballot {number}"
                            )
        unknown_withdrawn = self.withdrawn - set(ids)
        if unknown_withdrawn:
            raise UnknownCandidateError(
                sorted(unknown_withdrawn)[0], known=tuple(ids), where="withdrawn candidates"
            )
        if len(set(self.tie_order)) != len(self.tie_order):
            raise InputError("the tie order names a candidate twice")
        unknown_tied = set(self.tie_order) - set(ids)
        if unknown_tied:
            raise UnknownCandidateError(
                sorted(unknown_tied)[0], known=tuple(ids), where="the tie order"
            )

    @property
    def candidate_ids(self) -> tuple[CandidateId, ...]:
        """Candidate ids in declared order."""
        return tuple(c.id for c in self.candidates)

    def name_of(self, candidate: CandidateId) -> str:
        """The ballot-paper name of a candidate."""
        for c in self.candidates:
            if c.id == candidate:
                return c.name
        raise UnknownCandidateError(candidate, known=self.candidate_ids)

    @property
    def total(self) -> int:
        """Number of ballots, counting each identical ballot separately."""
        return sum(b.count for b in self.ballots)

    @classmethod
    def of_matrix(
        cls,
        matrix: RankMatrix,
        *,
        candidates: tuple[Candidate, ...],
        ballots: tuple[Ballot, ...] | None = None,
        seats: int | None = None,
        withdrawn: frozenset[CandidateId] = frozenset(),
        title: str | None = None,
        tie_order: tuple[CandidateId, ...] = (),
        note: str | None = None,
        remarks: tuple[str, ...] = (),
    ) -> Profile:
        """A profile whose ballots were read as a :class:`RankMatrix`, which it keeps for
        counting (:meth:`matrix`).

        Args:
            matrix: the distinct ballots as arrays, candidates numbered in declared order.
            candidates: as for the constructor; their ids must be the matrix's candidates.
            ballots: the same ballots as objects, row for row, when the reader has them
                (it made both from the same rows); made from the matrix when not given.

        Raises:
            InputError: the matrix numbers other candidates, or has other rows or counts
                than ``ballots``.
        """
        if matrix.candidates != tuple(c.id for c in candidates):
            raise InputError("a ballot matrix must number the profile's candidates in order")
        if ballots is None:
            ballots = tuple(map(_merged, matrix.rankings(), matrix.counts.tolist()))
        elif len(ballots) != matrix.rows or not np.array_equal(
            matrix.counts, np.fromiter(map(_COUNT, ballots), np.int64, len(ballots))
        ):
            raise InputError("a ballot matrix must hold the profile's ballots, row for row")
        profile = cls(
            candidates=candidates,
            ballots=ballots,
            seats=seats,
            withdrawn=withdrawn,
            title=title,
            tie_order=tie_order,
            note=note,
            remarks=remarks,
        )
        object.__setattr__(profile, "_matrix", matrix)
        return profile

    def matrix(self) -> RankMatrix:
        """The ballots as arrays, candidates numbered in declared order: those the reader
        built (:meth:`of_matrix`), or else encoded now (not kept: the profile is a value)."""
        if self._matrix is not None:
            return self._matrix
        return RankMatrix.encode(
            self.candidate_ids,
            list(map(_RANKING, self.ballots)),
            list(map(_COUNT, self.ballots)),
        )

    def deduplicated(self) -> Profile:
        """The same profile with identical rankings merged (itself when none are identical)."""
        ballots = deduplicate(self.ballots)
        if len(ballots) == len(self.ballots):
            return self
        return Profile(
            candidates=self.candidates,
            ballots=ballots,
            seats=self.seats,
            withdrawn=self.withdrawn,
            title=self.title,
            tie_order=self.tie_order,
            note=self.note,
            remarks=self.remarks,
        )

    def __iter__(self) -> Iterator[Ballot]:
        return iter(self.ballots)
