"""ERS97: the Electoral Reform Society's STV rules (1997), as UK organisations use them.

Section numbers are those of the rules ("How to conduct an election by the Single
Transferable Vote", ERS, 3rd edition, 1997). Values are kept to two decimal places.

- Quota (5.1.6): total valid vote ÷ (places + 1) to two places; if not exact, the remainder
  is ignored and 0.01 added. While nobody is elected, the quota is recalculated leaving out
  the non-transferable vote after each batch of an exclusion (5.4.8).
- Election (5.1.7, 5.3.13, 5.4.9): in descending order of votes, a continuing candidate is
  deemed elected whose vote equals or exceeds the quota, or the total active vote ÷ (places
  not yet filled + 1), the total active vote being the continuing candidates' votes plus any
  votes awaiting transfer: surpluses not yet transferred and, between the batches of an
  exclusion, the excluded candidates' papers not yet passed on (6.20, 5.6.1); equal votes
  for the last places go by the earliest point at which they differed, and if never, none is
  elected at that point (5.6.2).
- Surpluses (5.2.2–5.3): the largest surplus is transferred (ties: the greater vote at the
  earliest point where they differed, then lot) unless deferred, because all surpluses
  together do not exceed the gap between the two lowest candidates or between a group of
  lowest candidates that could be excluded together and the candidate above them. Only the
  last received batch of papers is examined (all papers at the first stage); the
  transferable ones pass on at ``surplus ÷ number of transferable papers``, truncated to two
  places, or at their present value if that is less.
- Exclusion (5.2.5, 5.4): as many of the lowest candidates together as leave enough to fill
  the places and whose votes, with any deferred surpluses, do not exceed the next
  candidate's; otherwise the lowest one (ties: the fewer votes at the earliest point where
  they differed, then lot). Their papers pass on in batches by value, highest first, all
  their papers of one value forming one batch whichever of them held it (5.4.1, 6.1); after
  each batch candidates reaching the quota are deemed elected and receive no more papers.
- Completion (5.5): when the places are filled the count stops; when only as many continuing
  candidates remain as places, they are deemed elected.

The non-transferable difference of 6.11 is reported in two parts: value that went with papers
showing no further preference is ``exhausted``; the remainder ignored when truncating a
transfer value is ``rounding_loss``.
"""

from __future__ import annotations

import numpy as np

from mandate.ballots.model import Profile
from mandate.counting.model import CountResult, InactiveReason, TieBreakRecord, Transfer
from mandate.counting.stv.arithmetic import FixedPoint, IntArray
from mandate.counting.stv.ballots import prepare
from mandate.counting.stv.stages import Moved, StageCount, State, decimal_text
from mandate.counting.stv.tiebreak import Purpose, TieBreaker
from mandate.ids import CandidateId

__all__ = ["count_ers97"]

PLACES = 2


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


class _Ers97:
    """One ERS97 count."""

    def __init__(
        self,
        profile: Profile,
        *,
        seats: int,
        seed: str | None,
        lot: tuple[CandidateId, ...] | None = None,
    ) -> None:
        self.fixed = FixedPoint(places=PLACES)
        table = prepare(profile)
        self.count = StageCount(table, seats=seats, fixed=self.fixed)
        self.total = self.fixed.from_int(table.valid)
        self.count.quota = _ceil_div(self.total, seats + 1)
        self.ties = TieBreaker(
            candidates=table.candidates,
            seed=seed,
            look_back=True,
            forward=True,
            lot=lot,
            order=profile.tie_order,
        )
        self.arrived: IntArray = np.zeros(table.prefs.shape[0], dtype=np.int64)
        self.batch = 0
        self.pending: list[int] = []  # elected, surplus not yet transferred
        self.points: list[list[int]] = [list(self.count.votes)]  # after each batch
        self.tiebreaks: list[TieBreakRecord] = []

    # -- helpers ---------------------------------------------------------------------------

    def surplus(self, candidate: int) -> int:
        """The amount by which a candidate's vote exceeds the quota (6.18), or 0."""
        return max(self.count.votes[candidate] - self.count.quota, 0)

    def total_active(self) -> int:
        """The votes of continuing candidates plus any votes awaiting transfer (6.20): surpluses
        not yet transferred, and the papers of excluded candidates not yet passed on (between
        the batches of an exclusion). This equals 5.6.1's total valid vote less the quotas (or
        votes if less) of those deemed elected and the non-transferable vote."""
        c = self.count
        awaiting = sum(c.votes[i] for i in range(c.n) if c.state[i] is State.EXCLUDED)
        return (
            sum(c.votes[i] for i in c.hopeful())
            + sum(self.surplus(i) for i in self.pending)
            + awaiting
        )

    def deem_elected(self) -> list[int]:
        """Deem elected, in descending order of votes, those who reach the quota or the
        total active vote ÷ (places left + 1) (5.1.7, 5.3.13, 5.4.9, 5.6.2)."""
        c = self.count
        chosen: list[int] = []
        while c.seats_left > 0:
            threshold = min(c.quota, _ceil_div(self.total_active(), c.seats_left + 1))
            threshold = max(threshold, 1)
            reached = [i for i in c.hopeful() if c.votes[i] >= threshold]
            if not reached:
                break
            top = max(c.votes[i] for i in reached)
            tied = [i for i in reached if c.votes[i] == top]
            if len(tied) > c.seats_left:
                leaders = self._leaders(tied)
                if len(leaders) > c.seats_left:
                    break  # equal at every point: none of them is elected now (5.6.2)
                self.tiebreaks.append(
                    TieBreakRecord(
                        purpose=Purpose.ELECT.value,
                        tied=tuple(c.name(i) for i in sorted(tied)),
                        chosen=c.name(leaders[0]),
                        method="previous-stage",
                    )
                )
                tied = leaders
            first = tied[0]
            c.elect(first)
            chosen.append(first)
            if c.votes[first] > c.quota:
                self.pending.append(first)
        return chosen

    def _leaders(self, tied: list[int]) -> list[int]:
        """Those of the tied candidates who come first in descending order of votes at the
        first stage or the earliest point after a batch where they differed (5.6.2): the
        greatest vote histories compared point by point. No lot: candidates equal at every
        point and too many for the places left are not deemed elected at this point."""
        history = {i: [p[i] for p in self.points] for i in tied}
        best = max(history.values())
        return [i for i in tied if history[i] == best]

    def move(
        self, rows: IntArray, weights: IntArray | None = None, *, new_batch: bool = True
    ) -> Moved:
        """Move rows, remembering the batch they last arrived in: a new batch, or with
        ``new_batch=False`` the same batch as the rows moved just before (a batch is all the
        papers of one value in a transfer, 6.1, whichever excluded candidate held them)."""
        if new_batch:
            self.batch += 1
        self.arrived[rows] = self.batch
        return self.count.move(rows, weights)

    # -- stages ----------------------------------------------------------------------------

    def deferred(self) -> bool:
        """Surpluses are deferred when their total cannot change the next exclusion (5.2.2)."""
        c = self.count
        total_surplus = sum(self.surplus(i) for i in self.pending)
        votes = sorted(c.votes[i] for i in c.hopeful())
        if len(votes) < 2:
            return False
        if total_surplus <= votes[1] - votes[0]:
            return True
        return self._group_size(votes, total_surplus) >= 2

    def _group_size(self, votes: list[int], deferred: int) -> int:
        """Most of the lowest candidates that can be excluded together (5.2.5), or 0."""
        c = self.count
        best = 0
        running = 0
        for k in range(1, len(votes)):
            running += votes[k - 1]
            if len(votes) - k < c.seats_left:
                break
            if k >= 2 and votes[k - 1] < votes[k] and running + deferred <= votes[k]:
                best = k
        return best

    def transfer_surplus(self) -> None:
        """One stage: transfer the largest surplus from the last batch received (5.3)."""
        c = self.count
        fixed = self.fixed
        stage = len(c.rounds) + 1
        top = max(self.surplus(i) for i in self.pending)
        tied = [i for i in self.pending if self.surplus(i) == top]
        source, record = self.ties.break_tie(
            tied, purpose=Purpose.SURPLUS, history=self.points, stage=stage
        )
        if record is not None:
            self.tiebreaks.append(record)
        self.pending.remove(source)
        surplus = self.surplus(source)
        held = c.rows_at(source)
        last = held[self.arrived[held] == self.arrived[held].max()] if held.size else held
        _, nxt = c.next_preference(last)
        transferable = last[nxt >= 0]
        papers = int(c.table.counts[transferable].sum())
        value = int(c.weight[transferable][0]) if papers else 0
        if papers and value * papers > surplus:
            tv = surplus // papers
            loss = surplus - tv * papers
        else:
            tv = value
            loss = 0
        moved = self.move(transferable, np.full(transferable.size, tv, dtype=np.int64))
        c.votes[source] = c.quota
        c.loss += loss
        nontransferable = surplus - moved.total - loss
        c.exhausted += nontransferable
        self.points.append(list(c.votes))
        elected = self.deem_elected()
        transfers = list(c.transfers(source, moved))
        if nontransferable:
            transfers.append(
                Transfer(
                    source=c.name(source),
                    target=None,
                    value=fixed.to_decimal(nontransferable),
                    inactive_reason=InactiveReason.EXHAUSTED,
                )
            )
        c.record(
            note=(
                f"surplus of {c.name(source)} ({decimal_text(fixed.to_decimal(surplus))}) "
                f"transferred from its last batch of {int(c.table.counts[last].sum())} papers: "
                f"{papers} transferable at {decimal_text(fixed.to_decimal(tv))}"
            ),
            elected=elected,
            transfers=tuple(transfers),
            tiebreaks=self._take_tiebreaks(),
        )

    def exclude(self) -> None:
        """One stage: exclude the lowest candidate(s), moving papers in batches (5.4)."""
        c = self.count
        stage = len(c.rounds) + 1
        deferred = sum(self.surplus(i) for i in self.pending)
        hopeful = sorted(c.hopeful(), key=lambda i: (c.votes[i], i))
        size = self._group_size([c.votes[i] for i in hopeful], deferred)
        if size >= 2:
            excluded = hopeful[:size]
        else:
            low = c.votes[hopeful[0]]
            tied = [i for i in hopeful if c.votes[i] == low]
            loser, record = self.ties.break_tie(
                tied, purpose=Purpose.ELIMINATE, history=self.points, stage=stage
            )
            if record is not None:
                self.tiebreaks.append(record)
            excluded = [loser]
        excluded.sort()
        for i in excluded:
            c.state[i] = State.EXCLUDED
        held = np.flatnonzero(np.isin(c.cur, excluded))
        values = sorted({int(v) for v in c.weight[held]}, reverse=True)
        flows: dict[tuple[int, int], int] = {}
        exhausted: dict[int, int] = {}
        elected: list[int] = []
        for value in values:
            if c.seats_left <= 0:
                break  # places filled: no further transfers (5.5.2)
            # All the excluded candidates' papers of this value are one batch (5.4.1, 6.1),
            # moved source by source only to report where each one's papers went.
            first = True
            for source in excluded:
                rows = held[(c.cur[held] == source) & (c.weight[held] == value)]
                if rows.size == 0:
                    continue
                moved = self.move(rows, new_batch=first)
                first = False
                c.votes[source] -= moved.total
                for target, v in moved.to_candidate.items():
                    flows[(source, target)] = flows.get((source, target), 0) + v
                exhausted[source] = exhausted.get(source, 0) + moved.exhausted
            if not c.elected and c.exhausted:
                c.quota = _ceil_div(self.total - c.exhausted, c.seats + 1)  # 5.4.8
            self.points.append(list(c.votes))
            elected += self.deem_elected()
        ids = c.table.candidates
        to_dec = self.fixed.to_decimal
        transfers = [
            Transfer(source=ids[s], target=ids[t], value=to_dec(v))
            for (s, t), v in sorted(flows.items())
        ] + [
            Transfer(
                source=ids[s],
                target=None,
                value=to_dec(v),
                inactive_reason=InactiveReason.EXHAUSTED,
            )
            for s, v in sorted(exhausted.items())
            if v
        ]
        names = ", ".join(c.name(i) for i in excluded)
        c.record(
            note=f"{names} excluded; papers transferred in {len(values)} "
            f"batch{'' if len(values) == 1 else 'es'} by value",
            elected=elected,
            eliminated=excluded,
            transfers=tuple(transfers),
            tiebreaks=self._take_tiebreaks(),
        )

    def _take_tiebreaks(self) -> list[TieBreakRecord]:
        """The tie-breaks recorded since the last stage, for that stage's record."""
        taken, self.tiebreaks = self.tiebreaks, []
        return taken

    def run(self, profile: Profile, seed: str | None) -> CountResult:
        """Count every stage to the end (4.1–4.3, 5.5)."""
        c = self.count
        elected = self.deem_elected()
        c.record(note="first preferences", elected=elected, tiebreaks=self._take_tiebreaks())
        while not c.complete():
            if self.pending and not self.deferred():
                self.transfer_surplus()
            else:
                self.exclude()
        c.elect_remaining("remaining candidates deemed elected: as many as places left (5.5.1)")
        return c.result(profile, rules="ers97", seed=seed)


def count_ers97(
    profile: Profile,
    *,
    seats: int,
    seed: str | None,
    lot: tuple[CandidateId, ...] | None = None,
) -> CountResult:
    """Count a profile under the ERS97 rules (see the module docstring); ``lot``, the order
    the returning officer drew, settles a tie by lot (5.6.2) before ``seed``."""
    return _Ers97(profile, seats=seats, seed=seed, lot=lot).run(profile, seed)
