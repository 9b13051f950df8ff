"""Shared machinery of STV counts that move ballots in stages.

:class:`StageCount` holds the state of a count over a :class:`BallotTable` — where each
distinct ranking now sits, its weight as a scaled integer, every candidate's votes, the
exhausted value and the value lost to rounding — and turns each stage into a
:class:`~mandate.counting.model.Round`. Moving ballots touches only the rows that move, and
sums their values per receiving candidate with one NumPy pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

import numpy as np

from mandate.ballots.model import Profile
from mandate.counting.model import (
    CountResult,
    InactiveReason,
    Round,
    TieBreakRecord,
    Transfer,
)
from mandate.counting.refusals import check_seats, check_valid
from mandate.counting.stv.arithmetic import (
    FixedPoint,
    IntArray,
    exact_counts,
    fits_int64,
    int_bincount,
)
from mandate.counting.stv.ballots import BallotTable
from mandate.ids import CandidateId

__all__ = ["Moved", "StageCount", "State"]


class State(Enum):
    """Where a candidate stands in the count."""

    HOPEFUL = "hopeful"
    ELECTED = "elected"
    EXCLUDED = "excluded"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, slots=True, kw_only=True)
class Moved:
    """What one movement of ballots did: value to each candidate and to exhausted."""

    to_candidate: dict[int, int]
    exhausted: int

    @property
    def total(self) -> int:
        """All the value that moved."""
        return sum(self.to_candidate.values()) + self.exhausted


class StageCount:
    """The mutable state of one count; the rule modules drive it stage by stage."""

    def __init__(self, table: BallotTable, *, seats: int, fixed: FixedPoint) -> None:
        check_seats(seats, len(table.eligible))
        check_valid(table.valid, table.valid + table.undervotes)
        # Every value of the count is at most the valid vote at full weight (a ballot's weight
        # never exceeds 1): when that does not fit int64, count with Python integers (see
        # mandate.counting.stv.arithmetic). A weight times a weight (Meek's keep factors) is
        # at most 10**18 with nine places, which fits.
        self.exact = not fits_int64(table.valid * fixed.one)
        if self.exact and table.counts.dtype != object:
            table = replace(table, counts=exact_counts(table.counts))
        self.table = table
        self.seats = seats
        self.fixed = fixed
        n = len(table.candidates)
        self.n = n
        self.state = [State.WITHDRAWN] * n
        for i in table.eligible:
            self.state[i] = State.HOPEFUL
        self.pos = np.zeros(table.prefs.shape[0], dtype=np.int64)
        self.cur = table.prefs[:, 0].copy()
        self.weight = np.full(table.prefs.shape[0], fixed.one, dtype=np.int64)
        self.votes = int_bincount(self.cur, self.weight * table.counts, n)
        self.exhausted = 0
        self.loss = 0
        self.elected: list[int] = []
        self.history: list[list[int]] = []
        self.rounds: list[Round] = []
        self.quota = 0

    # -- questions -------------------------------------------------------------------------

    def hopeful(self) -> list[int]:
        """Continuing candidates not yet elected, in declared order."""
        return [i for i in range(self.n) if self.state[i] is State.HOPEFUL]

    @property
    def seats_left(self) -> int:
        """Seats not yet filled."""
        return self.seats - len(self.elected)

    def complete(self) -> bool:
        """All seats are filled, or no more hopefuls stand than seats remain."""
        return self.seats_left <= 0 or len(self.hopeful()) <= self.seats_left

    def rows_at(self, candidate: int) -> IntArray:
        """Indices of the rankings that now sit with a candidate."""
        return np.flatnonzero(self.cur == candidate)

    def next_preference(self, rows: IntArray) -> tuple[IntArray, IntArray]:
        """Where each row would pass next: its position and the hopeful candidate there
        (-1 where no hopeful preference is left). Nothing is changed."""
        prefs = self.table.prefs
        stop = np.zeros(self.n + 1, dtype=bool)  # index -1 (no preference left) stops
        stop[self.n] = True
        for i in range(self.n):
            stop[i] = self.state[i] is State.HOPEFUL
        pos = self.pos[rows] + 1
        cand = prefs[rows, pos]
        moving = ~stop[cand]
        while moving.any():
            pos = np.where(moving, pos + 1, pos)
            cand = prefs[rows, pos]
            moving = ~stop[cand]
        return pos, cand

    # -- actions ---------------------------------------------------------------------------

    def elect(self, candidate: int) -> None:
        """Declare a candidate elected."""
        self.state[candidate] = State.ELECTED
        self.elected.append(candidate)

    def move(self, rows: IntArray, weights: IntArray | None = None) -> Moved:
        """Pass ballots on to their next hopeful preference, optionally at new weights.

        Args:
            rows: the rankings to move (they sit with a candidate no longer hopeful).
            weights: new weights (scaled) for those rows, or ``None`` to keep theirs.

        Returns:
            The value each hopeful candidate received and the value exhausted.
        """
        if weights is not None:
            self.weight[rows] = weights
        pos, cand = self.next_preference(rows)
        self.pos[rows] = pos
        self.cur[rows] = cand
        values = self.weight[rows] * self.table.counts[rows]
        sums = int_bincount(cand + 1, values, self.n + 1)
        received = {i: sums[i + 1] for i in range(self.n) if sums[i + 1]}
        for i, value in received.items():
            self.votes[i] += value
        self.exhausted += sums[0]
        return Moved(to_candidate=received, exhausted=sums[0])

    # -- records ---------------------------------------------------------------------------

    def transfers(self, source: int, moved: Moved) -> tuple[Transfer, ...]:
        """The transfers of one movement, as records."""
        ids = self.table.candidates
        records = [
            Transfer(source=ids[source], target=ids[t], value=self.fixed.to_decimal(v))
            for t, v in sorted(moved.to_candidate.items())
        ]
        if moved.exhausted:
            records.append(
                Transfer(
                    source=ids[source],
                    target=None,
                    value=self.fixed.to_decimal(moved.exhausted),
                    inactive_reason=InactiveReason.EXHAUSTED,
                )
            )
        return tuple(records)

    def record(
        self,
        *,
        note: str,
        elected: Sequence[int],
        eliminated: Sequence[int] = (),
        transfers: tuple[Transfer, ...] = (),
        tiebreaks: Sequence[TieBreakRecord] = (),
    ) -> None:
        """Close a stage: keep its votes for tie-breaks and add its :class:`Round`."""
        ids = self.table.candidates
        to_dec = self.fixed.to_decimal
        self.history.append(list(self.votes))
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                tally=tuple(
                    (ids[i], to_dec(self.votes[i]))
                    for i in range(self.n)
                    if self.state[i] in (State.HOPEFUL, State.ELECTED)
                    or (self.state[i] is State.EXCLUDED and self.votes[i])
                ),
                threshold=to_dec(self.quota),
                inactive=((InactiveReason.EXHAUSTED, to_dec(self.exhausted)),),
                elected=tuple(ids[i] for i in elected),
                eliminated=tuple(ids[i] for i in eliminated),
                transfers=transfers,
                tiebreaks=tuple(tiebreaks),
                note=note,
                rounding_loss=to_dec(self.loss),
            )
        )

    def elect_remaining(self, note: str) -> None:
        """Elect every hopeful when there are no more of them than places left.

        The election is added to the last stage's record with ``note``; with no stage yet,
        it is recorded as a stage of first preferences.
        """
        remaining = self.hopeful()
        if not 0 < len(remaining) <= self.seats_left:
            return
        for i in remaining:
            self.elect(i)
        if self.rounds:
            self.amend_last(elected=remaining, note=note)
        else:
            self.record(note="first preferences; all candidates elected", elected=remaining)

    def amend_last(self, *, elected: Sequence[int], note: str) -> None:
        """Add candidates elected without a further transfer to the last stage's record."""
        last = self.rounds[-1]
        ids = self.table.candidates
        self.rounds[-1] = Round(
            number=last.number,
            tally=last.tally,
            threshold=last.threshold,
            inactive=last.inactive,
            elected=last.elected + tuple(ids[i] for i in elected),
            eliminated=last.eliminated,
            transfers=last.transfers,
            tiebreaks=last.tiebreaks,
            note=f"{last.note}; {note}" if last.note else note,
            rounding_loss=last.rounding_loss,
        )

    def result(self, profile: Profile, *, rules: str, seed: str | None) -> CountResult:
        """The count's result with every stage."""
        options = [("rules", rules), ("places", str(self.fixed.places))]
        if seed is not None:
            options.append(("seed", seed))
        return CountResult(
            method="stv",
            rules=rules,
            seats=self.seats,
            candidates=tuple((c.id, c.name) for c in profile.candidates),
            elected=tuple(self.table.candidates[i] for i in self.elected),
            quota=self.fixed.to_decimal(self.quota),
            rounds=tuple(self.rounds),
            undervotes=self.table.undervotes,
            valid=self.table.valid,
            options=tuple(options),
        )

    def name(self, candidate: int) -> CandidateId:
        """The id of a candidate index."""
        return self.table.candidates[candidate]


def decimal_text(value: Decimal) -> str:
    """A vote value as text for notes."""
    return format(value, "f")
