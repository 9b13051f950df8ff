"""Instant-runoff voting (IRV, AV) with the options US and UK jurisdictions use.

The count follows the rules certified US tabulators apply (RCTab, BrightSpots/rcv,
``Tabulator.java``), option for option:

- each round, every active ballot counts for its highest-ranked continuing candidate;
- a ballot that becomes inactive stays inactive; its reason is kept: ``overvote`` (an overvote
  under the overvote rule), ``skipped`` (more consecutive skipped ranks than allowed, or more
  unused ranks left at the end than allowed), ``duplicate`` (a candidate ranked again, when
  repeated rankings exhaust), else ``exhausted`` (no continuing candidate left);
- a ballot with no marks at all is an undervote, reported apart and never counted as inactive;
- the threshold is floor(active votes / 2) + 1, recomputed every round; a candidate reaching it
  is elected, as is the last continuing candidate;
- otherwise the lowest candidate is eliminated (a tie settled by the tie-break), or with batch
  elimination the largest group of lowest candidates whose combined votes are fewer than the
  next candidate's; an undeclared write-in bucket is eliminated first; excluded candidates
  never continue;
- with ``continue_until_two`` the count goes on after the election until two candidates remain;
  an elected candidate is never eliminated.

Round 1 is the first-preference count; each later round records the candidates eliminated at
its start, the votes they transferred, and the tallies after the transfer.

The count runs over de-duplicated ballots held in NumPy arrays: a matrix of distinct rankings
by rank position (candidate indices), and a pointer per distinct ballot to the rank it counts
at. A round moves only the ballots of the candidates just eliminated.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from itertools import chain
from operator import attrgetter
from typing import Final

import numpy as np
import numpy.typing as npt

from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile
from mandate.counting.model import (
    CountResult,
    InactiveReason,
    Round,
    TieBreakRecord,
    Transfer,
    Votes,
)
from mandate.counting.tiebreak import TieBreak, TieBreaker
from mandate.errors import CountingError, InputError, InvalidBallotError, UnknownCandidateError
from mandate.ids import CandidateId

__all__ = ["Duplicates", "IrvOptions", "Overvote", "count_irv"]

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


@dataclass(frozen=True, slots=True, kw_only=True)
class IrvOptions:
    """The rules of one IRV count.

    Args:
        overvote: what an overvote does (default: exhaust).
        max_skipped: consecutive skipped ranks allowed before a ballot becomes inactive
            (``None``: unlimited).
        max_rankings: ranks read from each ballot (``None``: all).
        duplicates: what a repeated candidate does (default: skip).
        batch_elimination: eliminate every candidate who cannot catch up at once.
        continue_until_two: go on after the election until two candidates remain.
        tiebreak: how ties for elimination are settled.
        seed: the published seed for random draws.
        lot: the order drawn by lot (names, first drawn first), for ``lot``.
        exclude: candidates left out of the count (their marks are passed over).
        undeclared_write_in: the candidate standing for undeclared write-ins, eliminated first
            and never elected.
        tiebreak_forwards: with ``previous-round``, look from the first round forwards.
    """

    overvote: Overvote = Overvote.EXHAUST
    max_skipped: int | None = None
    max_rankings: int | None = None
    duplicates: Duplicates = Duplicates.SKIP
    batch_elimination: bool = False
    continue_until_two: bool = False
    tiebreak: TieBreak = TieBreak.PREVIOUS_ROUND
    seed: str | None = None
    lot: tuple[str, ...] | None = None
    exclude: frozenset[str] = frozenset()
    undeclared_write_in: str | None = None
    tiebreak_forwards: bool = False

    def __post_init__(self) -> None:
        if self.max_skipped is not None and self.max_skipped < 0:
            raise InputError(f"max_skipped must be 0 or more (got {self.max_skipped})")
        if self.max_rankings is not None and self.max_rankings < 1:
            raise InputError(f"max_rankings must be at least 1 (got {self.max_rankings})")

    def described(self) -> tuple[tuple[str, str], ...]:
        """The options as (name, value) text, for a report."""

        def limit(value: int | None) -> str:
            return "unlimited" if value is None else str(value)

        items = [
            ("overvote", self.overvote.value),
            ("max-skipped", limit(self.max_skipped)),
            ("max-rankings", limit(self.max_rankings)),
            ("duplicates", self.duplicates.value),
            ("batch-elimination", "yes" if self.batch_elimination else "no"),
            ("continue-until-two", "yes" if self.continue_until_two else "no"),
            ("tiebreak", self.tiebreak.value + (" (forwards)" if self.tiebreak_forwards else "")),
        ]
        if self.seed is not None:
            items.append(("seed", self.seed))
        if self.lot is not None:
            items.append(("lot", ", ".join(self.lot)))
        if self.exclude:
            items.append(("exclude", ", ".join(sorted(self.exclude))))
        if self.undeclared_write_in is not None:
            items.append(("undeclared-write-in", self.undeclared_write_in))
        return tuple(items)


EMPTY: Final = -1
"""A skipped rank in the ballot matrix."""

_RANKING = attrgetter("ranking")
_COUNT = attrgetter("count")
_REASONS: Final = (
    InactiveReason.EXHAUSTED,
    InactiveReason.OVERVOTE,
    InactiveReason.SKIPPED,
    InactiveReason.DUPLICATE,
)
_CODE = {reason: code for code, reason in enumerate(_REASONS, start=1)}

# What a multi-mark rank does in the current round (see _group_decisions).
_G_EXHAUST: Final = 0
_G_SKIP: Final = 1
_G_ASSIGN: Final = 2
_G_PASS: Final = 3


@dataclass(frozen=True, slots=True)
class _Ballots:
    """Distinct ballots as arrays: ``cells[b, r]`` is a candidate index, ``EMPTY``, or
    ``n_candidates + g`` for the multi-mark rank ``groups[g]``."""

    cells: IntArray
    lengths: IntArray
    counts: IntArray
    groups: tuple[frozenset[int], ...]
    unrecorded: frozenset[int]
    """Group indices standing for an overvote whose marks were not recorded."""
    undervotes: int


def _encode(
    profile: Profile, index: Mapping[CandidateId, int], max_rankings: int | None
) -> _Ballots:
    n_candidates = len(index)
    codes: dict[frozenset[CandidateId], int] = {}
    groups: list[frozenset[int]] = []
    unrecorded: set[int] = set()
    ballots = profile.ballots
    rankings = list(map(_RANKING, ballots))
    ranks = list(chain.from_iterable(rankings))
    # Code each distinct rank once; equal ranks are usually one shared object (the readers
    # intern them), which makes the lookups below identity checks.
    for rank in set(ranks):
        if rank in codes:
            continue
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
    lengths = np.fromiter(map(len, rankings), dtype=np.int64, count=len(ballots))
    counts = np.fromiter(map(_COUNT, ballots), dtype=np.int64, count=len(ballots))
    width = max(int(lengths.max(initial=0)), 1)
    cells = np.full((len(ballots), width), EMPTY, dtype=np.int64)
    if values.size:
        row_of = np.repeat(np.arange(len(ballots)), lengths)
        starts = np.cumsum(lengths) - lengths
        col_of = np.arange(values.size) - np.repeat(starts, lengths)
        cells[row_of, col_of] = values
    if max_rankings is not None and max_rankings < width:
        cells = cells[:, :max_rankings]
        lengths = np.minimum(lengths, max_rankings)
    marked = (cells != EMPTY).any(axis=1)
    undervotes = int(counts[~marked].sum())
    if not marked.all():
        cells, lengths, counts = cells[marked], lengths[marked], counts[marked]
    return _Ballots(
        cells=np.ascontiguousarray(cells),
        lengths=lengths,
        counts=counts,
        groups=tuple(groups),
        unrecorded=frozenset(unrecorded),
        undervotes=undervotes,
    )


class _State:
    """Where each distinct ballot stands; advanced in bulk with NumPy."""

    def __init__(self, ballots: _Ballots, n_candidates: int, options: IrvOptions) -> None:
        n = ballots.counts.size
        self.b = ballots
        self.n_candidates = n_candidates
        self.options = options
        self.pointer = np.full(n, -1, dtype=np.int64)
        self.last_seen = np.zeros(n, dtype=np.int64)
        self.current = np.full(n, -1, dtype=np.int64)
        self.status = np.zeros(n, dtype=np.int8)
        self.after_overvote = np.zeros(n, dtype=bool)
        self.seen: BoolArray | None = (
            np.zeros((n, n_candidates), dtype=bool)
            if options.duplicates is Duplicates.EXHAUST
            else None
        )
        # RCTab reads "max rankings" as the number of candidates when unlimited.
        self.rank_limit = options.max_rankings if options.max_rankings is not None else n_candidates

    def _group_decisions(self, continuing: BoolArray) -> tuple[IntArray, IntArray]:
        """For each multi-mark rank: exhaust, skip, assign (to whom) or pass, this round."""
        n = len(self.b.groups)
        decision = np.full(max(n, 1), _G_PASS, dtype=np.int64)
        target = np.full(max(n, 1), -1, dtype=np.int64)
        rule = self.options.overvote
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
        n_candidates = self.n_candidates
        width = cells.shape[1]
        max_skipped = self.options.max_skipped
        decision, target = self._group_decisions(continuing)
        continuing_ext = np.concatenate([continuing, np.zeros(1, dtype=bool)])
        while moving.size:
            pos = self.pointer[moving] + 1
            ended = pos >= lengths[moving]
            if ended.any():
                self._end(moving[ended])
            moving, pos = moving[~ended], pos[~ended]
            if not moving.size:
                break
            cell = cells[moving, np.minimum(pos, width - 1)]
            self.pointer[moving] = pos
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
        max_skipped = self.options.max_skipped
        if max_skipped is None:
            self._inactivate(ended, InactiveReason.EXHAUSTED)
            return
        unused = (self.rank_limit - self.last_seen[ended] > max_skipped) & ~self.after_overvote[
            ended
        ]
        self._inactivate(ended[unused], InactiveReason.SKIPPED)
        self._inactivate(ended[~unused], InactiveReason.EXHAUSTED)

    def _inactivate(self, rows: IntArray, reason: InactiveReason) -> None:
        self.status[rows] = _CODE[reason]
        self.current[rows] = -1


def _tally(state: _State, n_candidates: int) -> IntArray:
    tally = np.zeros(n_candidates, dtype=np.int64)
    active = state.current >= 0
    np.add.at(tally, state.current[active], state.b.counts[active])
    return tally


def _inactive(state: _State) -> dict[InactiveReason, int]:
    totals = np.zeros(len(_REASONS) + 1, dtype=np.int64)
    np.add.at(totals, state.status, state.b.counts)
    return {reason: int(totals[_CODE[reason]]) for reason in _REASONS}


def count_irv(profile: Profile, options: IrvOptions = IrvOptions()) -> CountResult:
    """Count a single-winner IRV contest.

    Args:
        profile: the ballots (identical ballots may be merged or not; the result is the same).
        options: the jurisdiction's rules.

    Returns:
        Every round with tallies, transfers and cumulative inactive ballots by reason.

    Raises:
        UnknownCandidateError: an option names someone not standing.
        InvalidBallotError: an unrecorded overvote under ``exhaust-if-multiple``, which cannot
            tell how many of its marks are continuing.
        UnresolvedTieError: a tie the tie-break cannot settle.
        CountingError: no candidate can take part in the count.

    >>> from mandate.ballots.model import Ballot, Candidate
    >>> A, B, C = (CandidateId(x) for x in "ABC")
    >>> profile = Profile(
    ...     candidates=tuple(Candidate(id=x, name=x) for x in (A, B, C)),
    ...     ballots=(Ballot(ranking=(frozenset({A}),), count=4),
    ...              Ballot(ranking=(frozenset({B}),), count=3),
    ...              Ballot(ranking=(frozenset({C}), frozenset({B})), count=2)))
    >>> result = count_irv(profile)
    >>> result.winner, [dict(r.tally) for r in result.rounds]
    ('B', [{'A': 4, 'B': 3, 'C': 2}, {'A': 4, 'B': 5}])
    """
    ids = profile.candidate_ids
    index = {c: i for i, c in enumerate(ids)}
    for name in (*options.exclude, *(options.lot or ())):
        if name not in index:
            raise UnknownCandidateError(name, known=ids, where="options")
    write_in = options.undeclared_write_in
    if write_in is not None and write_in not in index:
        raise UnknownCandidateError(write_in, known=ids, where="--undeclared-write-in")
    ballots = _encode(profile, index, options.max_rankings)
    if ballots.unrecorded and options.overvote is Overvote.EXHAUST_IF_MULTIPLE:
        raise InvalidBallotError(
            "a ballot holds an overvote whose marks were not recorded ('#overvote'); "
            "'exhaust-if-multiple' cannot tell how many of them are continuing"
        )
    n_candidates = len(ids)
    continuing = np.ones(n_candidates, dtype=bool)
    for c in (*options.exclude, *profile.withdrawn):
        continuing[index[CandidateId(c)]] = False
    if not continuing.any():
        raise CountingError("no candidate is left to count: all are excluded or withdrawn")
    breaker = TieBreaker(
        options.tiebreak,
        order=ids,
        seed=options.seed,
        lot=tuple(CandidateId(n) for n in options.lot) if options.lot else None,
        forwards=options.tiebreak_forwards,
    )
    counter = _Counter(profile, options, ballots, continuing, breaker, index)
    return counter.run()


class _Counter:
    """One IRV count from first preferences to the last round."""

    def __init__(
        self,
        profile: Profile,
        options: IrvOptions,
        ballots: _Ballots,
        continuing: BoolArray,
        breaker: TieBreaker,
        index: Mapping[CandidateId, int],
    ) -> None:
        self.profile = profile
        self.ids = profile.candidate_ids
        self.options = options
        self.ballots = ballots
        self.continuing = continuing
        self.breaker = breaker
        self.write_in = (
            index[CandidateId(options.undeclared_write_in)]
            if options.undeclared_write_in is not None
            else None
        )
        self.state = _State(ballots, len(self.ids), options)
        self.history: list[dict[CandidateId, Votes]] = []
        self.rounds: list[Round] = []
        self.elected: list[int] = []
        self.inactive: dict[InactiveReason, int] = {}

    def run(self) -> CountResult:
        state = self.state
        state.advance(np.flatnonzero(np.ones(state.status.size, dtype=bool)), self.continuing)
        tally = _tally(state, len(self.ids))
        self.inactive = _inactive(state)
        valid = int(tally.sum())
        threshold = self._record_round(tally, eliminated=(), transfers=(), tiebreaks=(), note="")
        while True:
            if not self._should_continue():
                break
            eliminated, tiebreaks, note = self._choose_eliminated(tally)
            for c in eliminated:
                self.continuing[c] = False
            moving = np.flatnonzero(np.isin(state.current, eliminated))
            source = state.current[moving].copy()
            state.advance(moving, self.continuing)
            transfers, incoming = self._transfers(moving, source, eliminated)
            n = len(self.ids)
            tally = tally.copy()
            tally[eliminated] = 0
            tally += incoming[:n]
            for reason in _REASONS:
                self.inactive[reason] += int(incoming[n - 1 + _CODE[reason]])
            threshold = self._record_round(
                tally,
                eliminated=tuple(self.ids[c] for c in eliminated),
                transfers=transfers,
                tiebreaks=tiebreaks,
                note=note,
            )
        return CountResult(
            method="irv",
            rules=None,
            seats=1,
            candidates=tuple((c.id, c.name) for c in self.profile.candidates),
            elected=tuple(self.ids[c] for c in self.elected),
            quota=threshold,
            rounds=tuple(self.rounds),
            undervotes=self.ballots.undervotes,
            valid=valid,
            options=self.options.described(),
        )

    def _alive(self) -> list[int]:
        return [int(c) for c in np.flatnonzero(self.continuing)]

    def _should_continue(self) -> bool:
        alive = self._alive()
        if not self.elected:
            return True
        return self.options.continue_until_two and len(alive) > 2

    def _record_round(
        self,
        tally: IntArray,
        *,
        eliminated: tuple[CandidateId, ...],
        transfers: tuple[Transfer, ...],
        tiebreaks: tuple[TieBreakRecord, ...],
        note: str,
    ) -> int:
        alive = self._alive()
        active = int(tally[alive].sum())
        threshold = active // 2 + 1
        newly: list[int] = []
        notes = [note] if note else []
        if not self.elected:
            eligible = [c for c in alive if c != self.write_in]
            reached = [c for c in eligible if tally[c] >= threshold]
            if reached:
                newly = reached
                notes.append(f"{self.ids[reached[0]]} reached the threshold of {threshold}")
            elif len(eligible) == 1 and len(alive) == 1:
                newly = eligible
                notes.append(f"{self.ids[eligible[0]]} is the last continuing candidate")
        self.elected += newly
        tallies: dict[CandidateId, Votes] = {self.ids[c]: int(tally[c]) for c in alive}
        self.history.append(tallies)
        self.rounds.append(
            Round(
                number=len(self.rounds) + 1,
                tally=tuple(tallies.items()),
                threshold=threshold,
                inactive=tuple(self.inactive.items()),
                elected=tuple(self.ids[c] for c in newly),
                eliminated=eliminated,
                transfers=transfers,
                tiebreaks=tiebreaks,
                note="; ".join(notes),
            )
        )
        return threshold

    def _choose_eliminated(
        self, tally: IntArray
    ) -> tuple[list[int], tuple[TieBreakRecord, ...], str]:
        alive = self._alive()
        round_number = len(self.rounds) + 1
        if self.write_in is not None and self.continuing[self.write_in] and round_number == 2:
            return [self.write_in], (), "undeclared write-ins eliminated first"
        if len(alive) <= 1:
            raise CountingError("no candidate left to eliminate")  # unreachable: elected first
        candidates = [c for c in alive if c not in self.elected]
        if self.options.batch_elimination:
            batch = self._batch(tally, alive, candidates)
            if len(batch) > 1:
                names = ", ".join(self.ids[c] for c in batch)
                return batch, (), f"batch elimination of {names}"
        lowest = min(int(tally[c]) for c in candidates)
        tied = [c for c in candidates if tally[c] == lowest]
        if len(tied) == 1:
            return tied, (), f"{self.ids[tied[0]]} has the fewest votes ({lowest})"
        record = self.breaker.choose(
            tuple(self.ids[c] for c in tied),
            purpose="eliminate",
            history=self.history[:-1],
            round_number=round_number,
        )
        chosen = self.ids.index(record.chosen)
        note = f"{record.chosen} eliminated by tie-break ({record.method}) at {lowest} votes"
        return [chosen], (record,), note

    def _batch(self, tally: IntArray, alive: list[int], candidates: list[int]) -> list[int]:
        """The largest group of lowest candidates whose votes together are below the next."""
        order = sorted(alive, key=lambda c: int(tally[c]))
        best: list[int] = []
        running = 0
        i = 0
        while i < len(order):
            votes = int(tally[order[i]])
            if running < votes and i > 0:
                group = [c for c in order[:i] if c in candidates]
                if len(alive) - len(group) >= 2:
                    best = group
            j = i
            while j < len(order) and int(tally[order[j]]) == votes:
                running += votes
                j += 1
            i = j
        return best

    def _transfers(
        self, moving: IntArray, source: IntArray, eliminated: Sequence[int]
    ) -> tuple[tuple[Transfer, ...], IntArray]:
        """The transfers of this round, and the votes arriving at each candidate and reason."""
        n = len(self.ids)
        state = self.state
        counts = self.ballots.counts[moving]
        target = np.where(
            state.current[moving] >= 0, state.current[moving], n - 1 + state.status[moving]
        )
        width = n + len(_REASONS)
        flows = np.zeros(n * width, dtype=np.int64)
        np.add.at(flows, source * width + target, counts)
        flows2 = flows.reshape(n, width)
        transfers: list[Transfer] = []
        for s in eliminated:
            for t in np.flatnonzero(flows2[s]):
                value = int(flows2[s, t])
                if t < n:
                    transfers.append(Transfer(source=self.ids[s], target=self.ids[t], value=value))
                else:
                    reason = _REASONS[int(t) - n]
                    transfers.append(
                        Transfer(
                            source=self.ids[s], target=None, value=value, inactive_reason=reason
                        )
                    )
        return tuple(transfers), flows2.sum(axis=0)
