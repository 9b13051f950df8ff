"""Approval voting: each ballot approves every candidate it marks; most approvals win.

A ballot's marks at any rank are approvals (a ranked ballot counted by approval approves
everyone it ranks); a ballot with no marks is an undervote. The ``seats`` candidates with most
approvals are elected; a tie for the last seat is settled by the tie-break.

>>> from mandate.ballots.model import Ballot, Candidate, Profile
>>> from mandate.ids import CandidateId
>>> A, B, C = (CandidateId(x) for x in "ABC")
>>> profile = Profile(candidates=tuple(Candidate(id=x, name=x) for x in (A, B, C)),
...                   ballots=(Ballot(ranking=(frozenset({A, B}),), count=2),
...                            Ballot(ranking=(frozenset({C}),), count=3)))
>>> count_approval(profile, seats=2).elected
('C', 'A')
"""

from __future__ import annotations

from collections.abc import Sequence

from mandate.ballots.model import Profile
from mandate.counting.model import CountResult, InactiveReason, Round, Votes
from mandate.counting.plurality import top_candidates
from mandate.counting.tiebreak import TieBreak, TieBreaker
from mandate.errors import InputError
from mandate.ids import CandidateId

__all__ = ["count_approval"]


def count_approval(
    profile: Profile,
    *,
    seats: int = 1,
    tiebreak: TieBreak = TieBreak.CANDIDATE_ORDER,
    seed: str | None = None,
    lot: Sequence[str] | None = None,
) -> CountResult:
    """Count approvals and elect the ``seats`` candidates with most.

    Raises:
        InputError: fewer than one seat.
        CountingError: fewer candidates than seats.
        UnresolvedTieError: a tie for the last seat the tie-break cannot settle.
    """
    if seats < 1:
        raise InputError(f"seats must be at least 1 (got {seats})")
    ids = profile.candidate_ids
    tally: dict[CandidateId, Votes] = {c: 0 for c in ids if c not in profile.withdrawn}
    undervotes = 0
    valid = 0
    for ballot in profile.ballots:
        approved = ballot.candidates() & tally.keys()
        if not approved:
            undervotes += ballot.count if ballot.is_blank else 0
            continue
        valid += ballot.count
        for candidate in approved:
            tally[candidate] += ballot.count
    breaker = TieBreaker(
        tiebreak, order=ids, seed=seed, lot=[CandidateId(n) for n in lot] if lot else None
    )
    elected, records = top_candidates(tally, seats, breaker)
    return CountResult(
        method="approval",
        rules=None,
        seats=seats,
        candidates=tuple((c.id, c.name) for c in profile.candidates),
        elected=elected,
        quota=None,
        rounds=(
            Round(
                number=1,
                tally=tuple(tally.items()),
                inactive=tuple((reason, 0) for reason in InactiveReason),
                elected=elected,
                tiebreaks=records,
                note="most approvals elected",
            ),
        ),
        undervotes=undervotes,
        valid=valid,
        options=(("seats", str(seats)), ("tiebreak", breaker.describe())),
    )
