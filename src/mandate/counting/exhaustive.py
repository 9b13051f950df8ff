"""The exhaustive ballot: a new vote each round, the lowest eliminated, as MPs choose.

Conservative MPs choose the two candidates put to the members this way (summer 2022: 20 MPs
to nominate, 30 votes in the first ballot to survive it, then the lowest eliminated on each
ballot until two remained; see docs/counting.md). Each round is a separate ballot:

- a round's tally counts each ballot for the one continuing candidate it marks; a ballot
  marking several is an overvote (spoilt), a blank one an undervote;
- after the first ballot, everyone below the first-round floor is eliminated (or the lowest,
  when nobody is below it); after each later ballot, the lowest is eliminated (a tie settled
  by the tie-break, looking at earlier ballots first);
- the count stops when ``stop_at`` candidates remain — they go forward, in order of votes on
  the last ballot — or, with ``majority``, when a candidate has more than half of the valid
  votes on a ballot.

The input is one profile a round (a real exhaustive ballot is a new vote each round), or a
single ranked profile from which each round is simulated as each voter's top continuing
choice (the same pointers over NumPy arrays that IRV uses, :mod:`mandate.counting.ranked`).
A round's :class:`~mandate.counting.model.Round` records that ballot's tally and who was
eliminated *after* it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt

from mandate.ballots.model import Candidate, Profile
from mandate.counting.college import refuse_irv_only_options
from mandate.counting.irv import IrvOptions, continuing_mask
from mandate.counting.model import CountResult, InactiveReason, Round, TieBreakRecord, Votes
from mandate.counting.ranked import (
    BallotPointers,
    Overvote,
    encode_ballots,
    inactive_of,
    tally_of,
)
from mandate.counting.refusals import check_valid
from mandate.counting.tiebreak import TieBreaker
from mandate.errors import CountingError, InputError, InvalidBallotError, UnknownCandidateError
from mandate.ids import CandidateId

__all__ = ["ExhaustiveOptions", "count_exhaustive"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_DEFAULT_IRV = IrvOptions()


@dataclass(frozen=True, slots=True, kw_only=True)
class ExhaustiveOptions:
    """The rules of an exhaustive ballot.

    Args:
        first_round_floor: votes a candidate needs on the first ballot to stay in (the
            Conservatives' 30 in 2022); ``None``: only the lowest is eliminated.
        stop_at: stop when this many candidates remain (2 for the Conservative MPs' stage).
        majority: stop when a candidate has more than half of a ballot's valid votes.
    """

    first_round_floor: int | None = None
    stop_at: int = 1
    majority: bool = True

    def __post_init__(self) -> None:
        if self.first_round_floor is not None and self.first_round_floor < 0:
            raise InputError(
                f"the first-round floor must be 0 or more (got {self.first_round_floor})"
            )
        if self.stop_at < 1:
            raise InputError(f"stop_at must be at least 1 (got {self.stop_at})")

    def described(self) -> tuple[tuple[str, str], ...]:
        """The options as (name, value) text, for a report."""
        items = [("stop-at", str(self.stop_at)), ("majority", "yes" if self.majority else "no")]
        if self.first_round_floor is not None:
            items.insert(0, ("first-round-floor", str(self.first_round_floor)))
        return tuple(items)


def count_exhaustive(
    ballots: Profile | Sequence[Profile],
    options: ExhaustiveOptions = ExhaustiveOptions(),
    irv: IrvOptions = _DEFAULT_IRV,
    *,
    separate: bool | None = None,
) -> CountResult:
    """Count an exhaustive ballot.

    Args:
        ballots: one profile a round (each a separate vote), or one ranked profile from which
            every round is simulated.
        separate: whether the profiles are separate ballots; by default, two or more are and
            a single one is simulated from. ``True`` with one profile counts just that ballot
            (the first of a contest still going on).
        options: floor, when to stop.
        irv: how ranked ballots are read when rounds are simulated (overvotes, skipped and
            repeated ranks), excluded candidates and the tie-break.

    Returns:
        A round per ballot; ``elected`` holds the candidates that remain when the count stops
        (in order of votes on the last ballot), or the one with a majority. With separate
        rounds that end before the count is decided, ``elected`` is empty: another ballot is
        needed (the last round's note says so).

    Raises:
        InvalidBallotError: a ballot in a separate round votes for an eliminated candidate.
        InputError: an IRV-only option (batch elimination, continue until two, an
            undeclared write-in).
        InputError: rounds whose candidates differ from the first round's, or more rounds
            than the count needed.
        UnresolvedTieError: a tie the tie-break cannot settle.

    >>> from mandate.ballots.model import Ballot, Candidate
    >>> A, B, C = (CandidateId(x) for x in "ABC")
    >>> def ballot(*votes: tuple[CandidateId, int]) -> Profile:
    ...     return Profile(candidates=tuple(Candidate(id=x, name=x) for x in (A, B, C)),
    ...                    ballots=tuple(Ballot(ranking=(frozenset({c}),), count=n)
    ...                                  for c, n in votes))
    >>> result = count_exhaustive([ballot((A, 5), (B, 4), (C, 3)), ballot((A, 5), (B, 7))])
    >>> [dict(r.tally) for r in result.rounds], result.winner
    ([{'A': 5, 'B': 4, 'C': 3}, {'A': 5, 'B': 7}], 'B')
    """
    refuse_irv_only_options(irv, "an exhaustive ballot")
    rounds_given = (ballots,) if isinstance(ballots, Profile) else tuple(ballots)
    if not rounds_given:
        raise InputError("an exhaustive ballot needs the ballots of at least one round")
    first = rounds_given[0]
    ids = first.candidate_ids
    index = {c: i for i, c in enumerate(ids)}
    for number, profile in enumerate(rounds_given[1:], start=2):
        unknown = [c for c in profile.candidate_ids if c not in index]
        if unknown:
            raise UnknownCandidateError(unknown[0], known=ids, where=f"round {number}")
    irv.check_names(ids)
    continuing = continuing_mask(index, (*irv.exclude, *first.withdrawn))
    if int(continuing.sum()) <= options.stop_at and not options.majority:
        raise CountingError(
            f"{int(continuing.sum())} candidates stand; there is nobody to eliminate before "
            f"{options.stop_at} remain"
        )
    simulated = not separate if separate is not None else len(rounds_given) == 1
    if simulated and len(rounds_given) > 1:
        raise InputError("rounds are simulated from one ranked profile, not several")
    breaker = irv.tie_breaker(ids)
    reading = irv if simulated else IrvOptions(overvote=Overvote.EXHAUST)
    state: BallotPointers | None = None
    rounds: list[Round] = []
    history: list[dict[CandidateId, Votes]] = []
    elected: tuple[CandidateId, ...] = ()
    undervotes = 0
    valid_first = 0
    number = 0
    while True:
        number += 1
        if simulated:
            if state is None:
                encoded = encode_ballots(first, index, reading.max_rankings)
                undervotes = encoded.undervotes
                state = reading.pointers(encoded, len(ids))
                state.advance(np.arange(encoded.counts.size, dtype=np.int64), continuing)
            tally, inactive = tally_of(state, len(ids)), inactive_of(state)
        else:
            if number > len(rounds_given):
                rounds[-1] = _with_note(rounds[-1], "another ballot is needed")
                break
            profile = _aligned(rounds_given[number - 1], ids)
            _check_continuing(profile, continuing, index, number)
            encoded = encode_ballots(profile, index, None)
            if number == 1:
                undervotes = encoded.undervotes
            fresh = reading.pointers(encoded, len(ids))
            fresh.advance(np.arange(encoded.counts.size, dtype=np.int64), continuing)
            tally, inactive = tally_of(fresh, len(ids)), inactive_of(fresh)
        alive = [int(c) for c in np.flatnonzero(continuing)]
        votes: dict[CandidateId, Votes] = {ids[c]: int(tally[c]) for c in alive}
        valid = int(tally[alive].sum())
        if number == 1:
            check_valid(valid, first.total)
            valid_first = valid
        history.append(votes)
        ordered = sorted(alive, key=lambda c: -int(tally[c]))
        leader = ordered[0]
        if options.majority and 2 * int(tally[leader]) > valid:
            elected = (ids[leader],)
            note = f"{ids[leader]} has more than half of {valid} valid votes"
            rounds.append(_round(number, votes, inactive, valid, elected=elected, note=note))
            break
        if len(alive) <= options.stop_at:
            elected = tuple(ids[c] for c in ordered)
            rounds.append(
                _round(number, votes, inactive, valid, elected=elected, note="count complete")
            )
            break
        out, tiebreaks, note = _eliminate(
            alive, tally, number, options, breaker, history, ids, stop_at=options.stop_at
        )
        for c in out:
            continuing[c] = False
        rounds.append(
            _round(
                number,
                votes,
                inactive,
                valid,
                eliminated=tuple(ids[c] for c in out),
                tiebreaks=tiebreaks,
                note=note,
            )
        )
        if int(continuing.sum()) <= options.stop_at:
            remaining = [c for c in ordered if continuing[c]]
            elected = tuple(ids[c] for c in remaining)
            rounds[-1] = _with_note(rounds[-1], f"{len(remaining)} remain: the count is complete")
            break
        if simulated:
            assert state is not None
            state.advance(np.flatnonzero(np.isin(state.current, out)), continuing)
    if not simulated and len(rounds) < len(rounds_given):
        raise InputError(
            f"{len(rounds_given)} rounds of ballots given, but the count was complete "
            f"after round {len(rounds)}"
        )
    how = "simulated from ranked ballots" if simulated else "separate ballots"
    return CountResult(
        method="exhaustive",
        rules=None,
        seats=len(elected) if elected else options.stop_at,
        candidates=tuple((c.id, c.name) for c in first.candidates),
        elected=elected,
        quota=None,
        rounds=tuple(rounds),
        undervotes=undervotes,
        valid=valid_first,
        options=(*options.described(), ("rounds", how)),
    )


def _aligned(profile: Profile, ids: tuple[CandidateId, ...]) -> Profile:
    """A later round's profile with the first round's candidates (it may list fewer)."""
    if profile.candidate_ids == ids:
        return profile
    names = {c.id: c for c in profile.candidates}
    return replace(profile, candidates=tuple(names.get(c) or Candidate(id=c, name=c) for c in ids))


def _check_continuing(
    profile: Profile, continuing: BoolArray, index: Mapping[CandidateId, int], number: int
) -> None:
    for position, ballot in enumerate(profile.ballots, start=1):
        for candidate in ballot.candidates():
            if not continuing[index[candidate]]:
                raise InvalidBallotError(
                    f"round {number}, ballot {position}: a vote for {candidate}, who is no "
                    "longer standing"
                )


def _eliminate(
    alive: list[int],
    tally: IntArray,
    number: int,
    options: ExhaustiveOptions,
    breaker: TieBreaker,
    history: list[dict[CandidateId, Votes]],
    ids: tuple[CandidateId, ...],
    *,
    stop_at: int,
) -> tuple[list[int], tuple[TieBreakRecord, ...], str]:
    """Who goes after this ballot: those below the first-round floor, else the lowest."""
    floor = options.first_round_floor
    if number == 1 and floor is not None:
        below = [c for c in alive if int(tally[c]) < floor]
        if below and len(alive) - len(below) >= max(stop_at, 1):
            names = ", ".join(ids[c] for c in below)
            return below, (), f"below the first-round floor of {floor}: {names}"
        if below:
            raise CountingError(
                f"round 1: {len(below)} of {len(alive)} candidates are below the floor of "
                f"{floor}, leaving fewer than {stop_at}"
            )
    lowest = min(int(tally[c]) for c in alive)
    tied = [c for c in alive if int(tally[c]) == lowest]
    if len(tied) == 1:
        return tied, (), f"{ids[tied[0]]} has the fewest votes ({lowest})"
    record = breaker.choose(
        tuple(ids[c] for c in tied),
        purpose="eliminate",
        history=history[:-1],
        round_number=number,
    )
    note = f"{record.chosen} eliminated by tie-break ({record.method}) at {lowest} votes"
    return [ids.index(record.chosen)], (record,), note


def _round(
    number: int,
    votes: dict[CandidateId, Votes],
    inactive: dict[InactiveReason, int],
    valid: int,
    *,
    elected: tuple[CandidateId, ...] = (),
    eliminated: tuple[CandidateId, ...] = (),
    tiebreaks: tuple[TieBreakRecord, ...] = (),
    note: str = "",
) -> Round:
    return Round(
        number=number,
        tally=tuple(votes.items()),
        threshold=valid // 2 + 1,
        inactive=tuple(inactive.items()),
        elected=elected,
        eliminated=eliminated,
        tiebreaks=tiebreaks,
        note=note,
    )


def _with_note(round_: Round, text: str) -> Round:
    return replace(round_, note="; ".join(n for n in (round_.note, text) if n))
