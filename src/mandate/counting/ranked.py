"""Ranked ballots as NumPy arrays, and a pointer per distinct ballot that the count advances.

:func:`encode_ballots` takes a profile's distinct rankings as a matrix (distinct ballots ×
rank positions) of candidate indices, :data:`EMPTY` for a skipped rank, and codes for ranks
marking several candidates (:class:`~mandate.ballots.matrix.RankMatrix`, which the readers
build as they read), and applies the count's ``max_rankings``. :class:`BallotPointers` holds,
for each distinct ballot, the rank it counts at, the candidate it counts for, or why it became
inactive; :meth:`~BallotPointers.advance` moves a set of ballots on to their next continuing
candidate in bulk, applying the overvote, skipped-rank and repeated-candidate rules as RCTab's
``Tabulator.java`` does rank by rank. A ballot is only ever moved forward: the ranks it passed
had no continuing candidate then and cannot have one later, so resuming from the pointer gives
the same result as reading the ballot again from the top.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from operator import attrgetter
from typing import Final

import numpy as np
import numpy.typing as npt

from mandate.ballots.matrix import EMPTY, RankMatrix
from mandate.ballots.model import Profile
from mandate.counting.model import InactiveReason
from mandate.ids import CandidateId

__all__ = [
    "EMPTY",
    "REASONS",
    "REASON_CODES",
    "BallotPointers",
    "Duplicates",
    "Overvote",
    "RankedBallots",
    "encode_ballots",
    "inactive_of",
    "tally_of",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


class Overvote(Enum):
    """What an overvoted (or equally ranked) rank does to a ballot."""

    EXHAUST = "exhaust"
    """The ballot becomes inactive (overvote) when the count reaches that rank."""
    SKIP = "skip"
    """The rank is passed over and the next rank counts."""
    EXHAUST_IF_MULTIPLE = "exhaust-if-multiple"
    """Inactive only if two or more of the candidates marked there are continuing; one
    continuing candidate gets the vote; none passes to the next rank."""


class Duplicates(Enum):
    """What a candidate ranked a second time does to a ballot."""

    SKIP = "skip"
    """The repeated mark is passed over like any mark for a candidate no longer continuing."""
    EXHAUST = "exhaust"
    """The ballot becomes inactive (duplicate) when the count reaches the repeated mark."""


_RANKING = attrgetter("ranking")
_COUNT = attrgetter("count")
REASONS: Final = (
    InactiveReason.EXHAUSTED,
    InactiveReason.OVERVOTE,
    InactiveReason.SKIPPED,
    InactiveReason.DUPLICATE,
)
REASON_CODES = {reason: code for code, reason in enumerate(REASONS, start=1)}

# What a multi-mark rank does in the current round (see _group_decisions).
_G_EXHAUST: Final = 0
_G_SKIP: Final = 1
_G_ASSIGN: Final = 2
_G_PASS: Final = 3


@dataclass(frozen=True, slots=True)
class RankedBallots:
    """Distinct ballots as arrays: ``cells[b, r]`` is a candidate index, ``EMPTY``, or
    ``n_candidates + g`` for the multi-mark rank ``groups[g]``."""

    cells: IntArray
    lengths: IntArray
    counts: IntArray
    groups: tuple[frozenset[int], ...]
    unrecorded: frozenset[int]
    """Group indices standing for an overvote whose marks were not recorded."""
    undervotes: int


def encode_ballots(
    profile: Profile, index: Mapping[CandidateId, int], max_rankings: int | None
) -> RankedBallots:
    """The profile's ballots as arrays, with ranks past ``max_rankings`` dropped and ballots
    left with no mark counted apart as undervotes.

    With ``index`` in declared order (as every count uses it) the arrays are the profile's
    own :meth:`~mandate.ballots.model.Profile.matrix`, which a profile read from a file
    already holds; another order is encoded afresh.

    Args:
        profile: the ballots.
        index: each candidate's column index.
        max_rankings: ranks read from each ballot (``None``: all).
    """
    declared = len(index) == len(profile.candidates) and all(
        index.get(c.id) == i for i, c in enumerate(profile.candidates)
    )
    if declared:
        full = profile.matrix()
    else:
        full = RankMatrix.encode(
            sorted(index, key=index.__getitem__),
            list(map(_RANKING, profile.ballots)),
            list(map(_COUNT, profile.ballots)),
        )
    cells, lengths, counts, first = full.cells, full.lengths, full.counts, full.first_marked
    width = cells.shape[1]
    if max_rankings is not None and max_rankings < width:
        cells = np.ascontiguousarray(cells[:, :max_rankings])
        lengths = np.minimum(lengths, max_rankings)
        width = max_rankings
    marked = first < width
    undervotes = 0
    if not marked.all():
        undervotes = int(counts[~marked].sum())
        cells, lengths, counts = cells[marked], lengths[marked], counts[marked]
    return RankedBallots(
        cells=cells,
        lengths=lengths,
        counts=counts,
        groups=full.groups,
        unrecorded=full.unrecorded,
        undervotes=undervotes,
    )


class BallotPointers:
    """Where each distinct ballot stands; advanced in bulk with NumPy."""

    def __init__(
        self,
        ballots: RankedBallots,
        n_candidates: int,
        *,
        overvote: Overvote,
        max_skipped: int | None,
        duplicates: Duplicates,
        max_rankings: int | None,
    ) -> None:
        n = ballots.counts.size
        self.b = ballots
        self.n_candidates = n_candidates
        self.overvote = overvote
        self.max_skipped = max_skipped
        self.pointer = np.full(n, -1, dtype=np.int64)
        self.last_seen = np.zeros(n, dtype=np.int64)
        self.current = np.full(n, -1, dtype=np.int64)
        self.status = np.zeros(n, dtype=np.int8)
        self.after_overvote = np.zeros(n, dtype=bool)
        self.seen: BoolArray | None = (
            np.zeros((n, n_candidates), dtype=bool) if duplicates is Duplicates.EXHAUST else None
        )
        # RCTab reads "max rankings" as the number of candidates when unlimited.
        self.rank_limit = max_rankings if max_rankings is not None else n_candidates

    def _group_decisions(self, continuing: BoolArray) -> tuple[IntArray, IntArray]:
        """For each multi-mark rank: exhaust, skip, assign (to whom) or pass, this round."""
        n = len(self.b.groups)
        decision = np.full(max(n, 1), _G_PASS, dtype=np.int64)
        target = np.full(max(n, 1), -1, dtype=np.int64)
        rule = self.overvote
        for g, members in enumerate(self.b.groups):
            if rule is Overvote.EXHAUST:
                decision[g] = _G_EXHAUST
            elif rule is Overvote.SKIP:
                decision[g] = _G_SKIP
            else:
                alive = [c for c in members if continuing[c]]
                if len(alive) > 1:
                    decision[g] = _G_EXHAUST
                elif len(alive) == 1:
                    decision[g] = _G_ASSIGN
                    target[g] = alive[0]
        return decision, target

    def advance(self, moving: IntArray, continuing: BoolArray) -> None:
        """Move each ballot in ``moving`` to its next continuing candidate, or make it inactive."""
        cells, lengths = self.b.cells, self.b.lengths
        flat = cells.reshape(-1)
        n_candidates = self.n_candidates
        width = cells.shape[1]
        max_skipped = self.max_skipped
        simple = not self.b.groups and max_skipped is None and self.seen is None
        decision, target = self._group_decisions(continuing)
        continuing_ext = np.concatenate([continuing, np.zeros(1, dtype=bool)])
        # A skipped rank (EMPTY, -1) reads the last slot: not continuing.
        while moving.size:
            pos = self.pointer[moving] + 1
            ended = pos >= lengths[moving]
            if ended.any():
                self._end(moving[ended])
                going = ~ended
                moving, pos = moving[going], pos[going]
                if not moving.size:
                    break
            cell = flat[moving * width + pos]
            self.pointer[moving] = pos
            if simple:
                # No multi-mark ranks, skip limit or repeat rule: a ballot stops at its first
                # continuing candidate and every other one reads on.
                found = continuing_ext[cell]
                self.current[moving[found]] = cell[found]
                moving = moving[~found]
                continue
            marked = cell != EMPTY
            passing = moving[~marked]
            moving, pos, cell = moving[marked], pos[marked], cell[marked]
            if not moving.size:
                moving = passing
                continue
            rank = pos + 1
            if max_skipped is not None:
                too_far = rank - self.last_seen[moving] > max_skipped + 1
                if too_far.any():
                    self._inactivate(moving[too_far], InactiveReason.SKIPPED)
                    keep = ~too_far
                    moving, rank, cell = moving[keep], rank[keep], cell[keep]
            self.last_seen[moving] = rank
            is_group = cell >= n_candidates
            if self.seen is not None:
                repeated = self._repeated(moving, cell, is_group)
                if repeated.any():
                    self._inactivate(moving[repeated], InactiveReason.DUPLICATE)
                    keep = ~repeated
                    moving, cell, is_group = moving[keep], cell[keep], is_group[keep]
            group = np.where(is_group, cell - n_candidates, 0)
            g_decision = np.where(is_group, decision[group], _G_PASS)
            exhaust = is_group & (g_decision == _G_EXHAUST)
            if exhaust.any():
                self._inactivate(moving[exhaust], InactiveReason.OVERVOTE)
            self.after_overvote[moving] = is_group & (g_decision == _G_SKIP)
            chosen = np.where(
                is_group,
                np.where(g_decision == _G_ASSIGN, target[group], -1),
                np.where(continuing_ext[np.where(is_group, n_candidates, cell)], cell, -1),
            )
            assigned = chosen >= 0
            if assigned.any():
                self.current[moving[assigned]] = chosen[assigned]
            moving = np.concatenate([passing, moving[~assigned & ~exhaust]])

    def _repeated(self, moving: IntArray, cell: IntArray, is_group: BoolArray) -> BoolArray:
        assert self.seen is not None
        seen = self.seen
        repeated = np.zeros(moving.size, dtype=bool)
        single = ~is_group
        repeated[single] = seen[moving[single], cell[single]]
        seen[moving[single], cell[single]] = True
        for i in np.flatnonzero(is_group):
            members = list(self.b.groups[int(cell[i]) - self.n_candidates])
            row = int(moving[i])
            repeated[i] = bool(seen[row, members].any())
            seen[row, members] = True
        return repeated

    def _end(self, ended: IntArray) -> None:
        """Ballots with no ranks left: exhausted, or skipped if they left too many unused."""
        max_skipped = self.max_skipped
        if max_skipped is None:
            self._inactivate(ended, InactiveReason.EXHAUSTED)
            return
        unused = (self.rank_limit - self.last_seen[ended] > max_skipped) & ~self.after_overvote[
            ended
        ]
        self._inactivate(ended[unused], InactiveReason.SKIPPED)
        self._inactivate(ended[~unused], InactiveReason.EXHAUSTED)

    def _inactivate(self, rows: IntArray, reason: InactiveReason) -> None:
        self.status[rows] = REASON_CODES[reason]
        self.current[rows] = -1


def tally_of(state: BallotPointers, n_candidates: int) -> IntArray:
    """Votes of each candidate (by index) from the ballots counting for them."""
    tally = np.zeros(n_candidates, dtype=np.int64)
    active = state.current >= 0
    np.add.at(tally, state.current[active], state.b.counts[active])
    return tally


def inactive_of(state: BallotPointers) -> dict[InactiveReason, int]:
    """Inactive ballots by reason."""
    totals = np.zeros(len(REASONS) + 1, dtype=np.int64)
    np.add.at(totals, state.status, state.b.counts)
    return {reason: int(totals[REASON_CODES[reason]]) for reason in REASONS}
