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
from mandate.counting.model import CountResult
from mandate.counting.plurality import elect_most, standing_tally
from mandate.counting.tiebreak import TieBreak

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
    tally = standing_tally(profile, seats)
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
    return elect_most(
        profile,
        tally,
        method="approval",
        seats=seats,
        tiebreak=tiebreak,
        seed=seed,
        lot=lot,
        undervotes=undervotes,
        valid=valid,
        note="most approvals elected",
    )
