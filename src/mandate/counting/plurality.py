"""Plurality (first past the post), for one seat or several.

Each ballot counts for the candidate marked at its first marked rank; a ballot marking two or
more candidates there is an overvote and counts for nobody; a ballot with no marks is an
undervote. The ``seats`` candidates with most votes are elected, in order of votes; a tie for
the last seat is settled by the tie-break (``candidate-order`` unless the rules say otherwise).

>>> from mandate.ballots.model import Ballot, Candidate, Profile
>>> from mandate.ids import CandidateId
>>> A, B = CandidateId("A"), CandidateId("B")
>>> profile = Profile(candidates=(Candidate(id=A, name="A"), Candidate(id=B, name="B")),
...                   ballots=(Ballot(ranking=(frozenset({A}),), count=3),
...                            Ballot(ranking=(frozenset({B}),), count=2)))
>>> count_plurality(profile).elected
('A',)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mandate.ballots.model import UNRECORDED_OVERVOTE, Profile
from mandate.counting.model import CountResult, InactiveReason, Round, TieBreakRecord, Votes
from mandate.counting.refusals import check_seats, check_valid
from mandate.counting.tiebreak import TieBreak, TieBreaker
from mandate.errors import CountingError, InputError
from mandate.ids import CandidateId

__all__ = ["count_plurality", "elect_most", "standing_tally", "top_candidates"]


def top_candidates(
    tally: Mapping[CandidateId, Votes],
    seats: int,
    breaker: TieBreaker,
) -> tuple[tuple[CandidateId, ...], tuple[TieBreakRecord, ...]]:
    """The ``seats`` candidates with most votes, in order, breaking ties where they matter.

    Raises:
        CountingError: fewer candidates than seats.
        UnresolvedTieError: a tie the tie-break cannot settle.
    """
    if len(tally) < seats:
        raise CountingError(f"{seats} seats but only {len(tally)} candidates")
    remaining = dict(tally)
    elected: list[CandidateId] = []
    records: list[TieBreakRecord] = []
    while len(elected) < seats:
        best = max(remaining.values())
        tied = [c for c, v in remaining.items() if v == best]
        if len(tied) > 1 and len(elected) + len(tied) > seats:
            record = breaker.choose(tied, purpose="elect", history=(), round_number=1)
            records.append(record)
            chosen = record.chosen
        else:
            chosen = tied[0]
        elected.append(chosen)
        del remaining[chosen]
    return tuple(elected), tuple(records)


def standing_tally(profile: Profile, seats: int) -> dict[CandidateId, Votes]:
    """A zero tally for every candidate still standing, in declared order.

    Raises:
        InputError: fewer than one seat.
    """
    if seats < 1:
        raise InputError(f"seats must be at least 1 (got {seats})")
    return {c: 0 for c in profile.candidate_ids if c not in profile.withdrawn}


def elect_most(
    profile: Profile,
    tally: Mapping[CandidateId, Votes],
    *,
    method: str,
    seats: int,
    tiebreak: TieBreak,
    seed: str | None,
    lot: Sequence[str] | None,
    undervotes: int,
    valid: Votes,
    note: str,
    overvotes: int = 0,
) -> CountResult:
    """The one-round result that elects the ``seats`` candidates with most votes in ``tally``.

    Raises:
        CountingError: fewer candidates than seats.
        UnresolvedTieError: a tie for the last seat the tie-break cannot settle.
    """
    check_seats(seats, len(tally))
    check_valid(valid, profile.total)
    breaker = TieBreaker(
        tiebreak,
        order=profile.candidate_ids,
        seed=seed,
        lot=[CandidateId(n) for n in lot] if lot else None,
    )
    elected, records = top_candidates(tally, seats, breaker)
    inactive = tuple(
        (reason, overvotes if reason is InactiveReason.OVERVOTE else 0) for reason in InactiveReason
    )
    return CountResult(
        method=method,
        rules=None,
        seats=seats,
        candidates=tuple((c.id, c.name) for c in profile.candidates),
        elected=elected,
        quota=None,
        rounds=(
            Round(
                number=1,
                tally=tuple(tally.items()),
                inactive=inactive,
                elected=elected,
                tiebreaks=records,
                note=note,
            ),
        ),
        undervotes=undervotes,
        valid=valid,
        options=(
            ("seats", str(seats)),
            ("tiebreak", breaker.describe()),
            *((("lot", ", ".join(lot)),) if lot else ()),
        ),
    )


def count_plurality(
    profile: Profile,
    *,
    seats: int = 1,
    tiebreak: TieBreak = TieBreak.CANDIDATE_ORDER,
    seed: str | None = None,
    lot: Sequence[str] | None = None,
) -> CountResult:
    """Count first preferences and elect the ``seats`` candidates with most votes.

    Raises:
        InputError: fewer than one seat.
        CountingError: fewer candidates than seats.
        UnresolvedTieError: a tie for the last seat the tie-break cannot settle.
    """
    tally = standing_tally(profile, seats)
    overvotes = 0
    undervotes = 0
    for ballot in profile.ballots:
        first = next((rank for rank in ballot.ranking if rank), None)
        if first is None:
            undervotes += ballot.count
        elif len(first) > 1 or UNRECORDED_OVERVOTE in first:
            overvotes += ballot.count
        else:
            (candidate,) = first
            if candidate in tally:  # a vote for a withdrawn candidate is lost
                tally[candidate] += ballot.count
    return elect_most(
        profile,
        tally,
        method="plurality",
        seats=seats,
        tiebreak=tiebreak,
        seed=seed,
        lot=lot,
        undervotes=undervotes,
        valid=sum(tally.values()),
        note=f"the {seats} with most votes elected" if seats > 1 else "most votes elected",
        overvotes=overvotes,
    )
