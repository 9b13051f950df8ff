"""Meek STV: the Proportional Representation Foundation's reference rule (New Zealand's Meek).

As Droop's ``meek-prf`` with fixed-point arithmetic to nine places and omega 10⁻⁶:

- Each candidate has a keep factor: 1 while hopeful, 0 once defeated (or withdrawn), and
  below 1 once elected. Every ballot starts with weight 1; each candidate it ranks, in order,
  keeps ``weight × keep factor`` (rounded up to nine places) and passes the rest on (B.2.a).
  What passes beyond the last preference is exhausted.
- The quota is the votes of all candidates ÷ (seats + 1), truncated, plus 10⁻⁹ (B.2.b); it
  falls as ballots exhaust.
- A round iterates: distribute, update the quota, elect every hopeful with at least the
  quota (which ends the round); otherwise stop when the total surplus is below omega or no
  longer falls, else set each elected candidate's keep factor to ``kf × quota ÷ votes``
  (each step rounded up) and distribute again (B.2.c–f).
- A round that elects nobody defeats the hopeful with the fewest votes; candidates within
  the total surplus of the lowest are tied, and ties go to the earliest in a predetermined
  random order (B.3, T).

Rounds here are Droop's rounds; a round's tally is the distribution its iteration settled
on, and its transfers show each candidate's net gain since the previous round (Meek moves
votes from many candidates at once, so there is no single source).
"""

from __future__ import annotations

import numpy as np

from mandate.ballots.model import Profile
from mandate.counting.model import CountResult, TieBreakRecord, Transfer
from mandate.counting.stv.arithmetic import FixedPoint, IntArray, int_bincount
from mandate.counting.stv.ballots import prepare
from mandate.counting.stv.stages import StageCount, State, decimal_text
from mandate.counting.stv.tiebreak import Purpose, TieBreaker
from mandate.ids import CandidateId

__all__ = ["count_meek"]

PLACES = 9
OMEGA_PLACES = 6


def _distribute(count: StageCount, columns: IntArray, keep: list[int]) -> tuple[list[int], int]:
    """Votes of every candidate and the exhausted value under the keep factors.

    Works column by column over the rankings still carrying weight: a ballot leaves the
    loop when a candidate keeps all of it (any hopeful does) or its preferences run out.
    ``columns`` is the preference matrix transposed, each rank contiguous.
    """
    fixed = count.fixed
    counts = count.table.counts
    kf = np.array(keep, dtype=np.int64)
    rows: IntArray = np.arange(columns.shape[1], dtype=np.int64)
    weight: IntArray = np.full(rows.size, fixed.one, dtype=np.int64)
    votes = [0] * count.n
    exhausted = 0
    for column in columns:
        cand = column[rows]
        ended = cand < 0
        if ended.any():
            exhausted += int((weight[ended] * counts[rows[ended]]).sum())
            rows, weight, cand = rows[~ended], weight[~ended], cand[~ended]
        if rows.size == 0:
            break
        kept: IntArray = -((-weight * kf[cand]) // fixed.one)  # rounded up (B.2.a)
        for i, v in enumerate(int_bincount(cand, kept * counts[rows], count.n)):
            votes[i] += v
        weight = weight - kept
        carrying = weight > 0
        rows, weight = rows[carrying], weight[carrying]
    return votes, exhausted


def count_meek(
    profile: Profile,
    *,
    seats: int,
    seed: str | None,
    lot: tuple[CandidateId, ...] | None = None,
) -> CountResult:
    """Count a profile under the PRF Meek reference rule (see the module docstring);
    ``lot``, the order the officer drew, settles ties by lot before ``seed``."""
    fixed = FixedPoint(places=PLACES)
    omega = fixed.one // 10**OMEGA_PLACES
    table = prepare(profile)
    count = StageCount(table, seats=seats, fixed=fixed)
    count.quota = fixed.from_int(table.valid) // (seats + 1) + 1
    ties = TieBreaker(
        candidates=table.candidates, seed=seed, look_back=False, lot=lot, order=profile.tie_order
    )
    keep = [fixed.one if s is State.HOPEFUL else 0 for s in count.state]
    columns: IntArray = np.ascontiguousarray(table.prefs.T)
    previous = list(count.votes)

    while len(count.hopeful()) > count.seats_left > 0:
        stage = len(count.rounds) + 1
        elected: list[int] = []
        last_surplus = fixed.from_int(table.valid)
        while True:
            count.votes, count.exhausted = _distribute(count, columns, keep)
            continuing = [i for i in range(count.n) if count.state[i] is not State.EXCLUDED]
            total = sum(count.votes[i] for i in continuing)
            count.quota = total // (seats + 1) + 1
            reached = [i for i in count.hopeful() if count.votes[i] >= count.quota]
            for i in sorted(reached, key=lambda i: -count.votes[i])[: count.seats_left]:
                count.elect(i)
                elected.append(i)
            surplus = max(
                0,
                sum(
                    count.votes[i] - count.quota
                    for i in range(count.n)
                    if count.state[i] is State.ELECTED
                ),
            )
            if elected or surplus < omega or surplus >= last_surplus:
                break
            last_surplus = surplus
            for i in range(count.n):
                if count.state[i] is State.ELECTED:
                    keep[i] = fixed.div_up(fixed.mul_up(keep[i], count.quota), count.votes[i])
        count.loss = fixed.from_int(table.valid) - sum(count.votes) - count.exhausted
        gains = tuple(
            Transfer(source=None, target=count.name(i), value=fixed.to_decimal(after - before))
            for i, (before, after) in enumerate(zip(previous, count.votes, strict=True))
            if after > before
        )
        previous = list(count.votes)
        if elected:
            names = ", ".join(count.name(i) for i in elected)
            count.record(note=f"{names} reached the quota", elected=elected, transfers=gains)
            continue
        low = min(count.votes[i] for i in count.hopeful())
        tied = [i for i in count.hopeful() if count.votes[i] <= low + surplus]
        loser, record = ties.break_tie(
            tied, purpose=Purpose.ELIMINATE, history=count.history, stage=stage
        )
        tiebreaks: list[TieBreakRecord] = [] if record is None else [record]
        reason = "surplus below omega" if surplus < omega else "surplus no longer falling"
        count.record(
            note=(
                f"{count.name(loser)} defeated (fewest votes; {reason}: "
                f"{decimal_text(fixed.to_decimal(surplus))})"
            ),
            elected=[],
            eliminated=[loser],
            transfers=gains,
            tiebreaks=tiebreaks,
        )
        count.state[loser] = State.EXCLUDED
        keep[loser] = 0
        count.votes[loser] = 0
    count.elect_remaining("remaining candidates elected")
    return count.result(profile, rules="meek", seed=seed)
