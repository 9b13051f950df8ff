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
  is elected, as is the last continuing candidate; when the last two continuing candidates
  tie, the tie-break elects one of them in that round (RCTab's ``identifyWinners``), with no
  further round;
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

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mandate.ballots.model import Profile
from mandate.counting.model import (
    CountResult,
    InactiveReason,
    Round,
    TieBreakRecord,
    Transfer,
    Votes,
)
from mandate.counting.ranked import (
    REASON_CODES,
    REASONS,
    BallotPointers,
    Duplicates,
    Overvote,
    RankedBallots,
    encode_ballots,
    inactive_of,
    tally_of,
)
from mandate.counting.refusals import check_valid
from mandate.counting.tiebreak import TieBreak, TieBreaker
from mandate.errors import CountingError, InputError, InvalidBallotError, UnknownCandidateError
from mandate.ids import CandidateId

__all__ = [
    "Duplicates",
    "IrvOptions",
    "Overvote",
    "continuing_mask",
    "count_irv",
    "transfers_of",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


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

    def check_names(self, ids: Sequence[CandidateId]) -> None:
        """Refuse an excluded candidate or a name in the lot who is not standing.

        Raises:
            UnknownCandidateError: a name not among ``ids``.
        """
        for name in (*self.exclude, *(self.lot or ())):
            if name not in ids:
                raise UnknownCandidateError(name, known=tuple(ids), where="options")

    def tie_breaker(self, order: Sequence[CandidateId]) -> TieBreaker:
        """The tie-breaker these options name, over the candidates in declared ``order``."""
        return TieBreaker(
            self.tiebreak,
            order=order,
            seed=self.seed,
            lot=tuple(CandidateId(n) for n in self.lot) if self.lot else None,
            forwards=self.tiebreak_forwards,
        )

    def refuse_unrecorded(self, ballots: RankedBallots, where: str = "") -> None:
        """Refuse an overvote whose marks were not recorded under ``exhaust-if-multiple``.

        Raises:
            InvalidBallotError: such a ballot, under that rule (``where`` prefixes the message).
        """
        if ballots.unrecorded and self.overvote is Overvote.EXHAUST_IF_MULTIPLE:
            raise InvalidBallotError(
                f"{where}a ballot holds an overvote whose marks were not recorded "
                "('#overvote'); 'exhaust-if-multiple' cannot tell how many of them are continuing"
            )

    def pointers(self, ballots: RankedBallots, n_candidates: int) -> BallotPointers:
        """Pointers over ``ballots`` that read them by these options."""
        return BallotPointers(
            ballots,
            n_candidates,
            overvote=self.overvote,
            max_skipped=self.max_skipped,
            duplicates=self.duplicates,
            max_rankings=self.max_rankings,
        )


def continuing_mask(index: Mapping[CandidateId, int], out: Iterable[str]) -> BoolArray:
    """Which candidates (by index) take part: all but those ``out`` (excluded, withdrawn).

    Raises:
        CountingError: nobody is left.
    """
    continuing = np.ones(len(index), dtype=bool)
    for name in out:
        continuing[index[CandidateId(name)]] = False
    if not continuing.any():
        raise CountingError("no candidate is left to count: all are excluded or withdrawn")
    return continuing


def transfers_of(
    source: CandidateId, arriving: IntArray, ids: Sequence[CandidateId]
) -> list[Transfer]:
    """The transfers of one candidate's ballots, from the votes arriving at each place.

    ``arriving`` has a slot for each candidate (by index), then one for each reason in
    :data:`~mandate.counting.ranked.REASONS`.
    """
    n = len(ids)
    transfers: list[Transfer] = []
    for t in np.flatnonzero(arriving):
        value = int(arriving[t])
        if t < n:
            transfers.append(Transfer(source=source, target=ids[int(t)], value=value))
        else:
            reason = REASONS[int(t) - n]
            transfers.append(
                Transfer(source=source, target=None, value=value, inactive_reason=reason)
            )
    return transfers


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
    options.check_names(ids)
    write_in = options.undeclared_write_in
    if write_in is not None and write_in not in index:
        raise UnknownCandidateError(write_in, known=ids, where="--undeclared-write-in")
    ballots = encode_ballots(profile, index, options.max_rankings)
    options.refuse_unrecorded(ballots)
    continuing = continuing_mask(index, (*options.exclude, *profile.withdrawn))
    breaker = options.tie_breaker(ids)
    counter = _Counter(profile, options, ballots, continuing, breaker, index)
    return counter.run()


class _Counter:
    """One IRV count from first preferences to the last round."""

    def __init__(
        self,
        profile: Profile,
        options: IrvOptions,
        ballots: RankedBallots,
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
        self.state = options.pointers(ballots, len(self.ids))
        self.history: list[dict[CandidateId, Votes]] = []
        self.rounds: list[Round] = []
        self.elected: list[int] = []
        self.inactive: dict[InactiveReason, int] = {}

    def run(self) -> CountResult:
        state = self.state
        state.advance(np.flatnonzero(np.ones(state.status.size, dtype=bool)), self.continuing)
        tally = tally_of(state, len(self.ids))
        self.inactive = inactive_of(state)
        valid = int(tally.sum())
        check_valid(valid, self.profile.total)
        threshold = self._record_round(tally, eliminated=(), transfers=(), tiebreaks=(), note="")
        while True:
            if not self._should_continue():
                break
            eliminated, tiebreaks, note = self._choose_eliminated(tally)
            for c in eliminated:
                self.continuing[c] = False
            # current is -1 for an inactive ballot: the last slot, never eliminated.
            leaving = np.zeros(len(self.ids) + 1, dtype=bool)
            leaving[eliminated] = True
            moving = np.flatnonzero(leaving[state.current])
            source = state.current[moving].copy()
            state.advance(moving, self.continuing)
            transfers, incoming = self._transfers(moving, source, eliminated)
            n = len(self.ids)
            tally = tally.copy()
            tally[eliminated] = 0
            tally += incoming[:n]
            for reason in REASONS:
                self.inactive[reason] += int(incoming[n - 1 + REASON_CODES[reason]])
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
            elif len(eligible) == 2 and len(alive) == 2:
                # The last two tie (neither can reach the threshold otherwise): the tie-break
                # elects the winner in this round, as RCTab's identifyWinners does.
                record = self.breaker.choose(
                    tuple(self.ids[c] for c in eligible),
                    purpose="elect",
                    history=self.history,
                    round_number=len(self.rounds) + 1,
                )
                newly = [self.ids.index(record.chosen)]
                tiebreaks = (*tiebreaks, record)
                notes.append(
                    f"{record.chosen} elected by tie-break ({record.method}) between the last "
                    f"two at {int(tally[eligible[0]])} votes each"
                )
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
                    best = sorted(group)
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
        width = n + len(REASONS)
        flows = np.zeros(n * width, dtype=np.int64)
        np.add.at(flows, source * width + target, counts)
        flows2 = flows.reshape(n, width)
        transfers = [t for s in eliminated for t in transfers_of(self.ids[s], flows2[s], self.ids)]
        return tuple(transfers), flows2.sum(axis=0)
