"""The result of a count, round by round, as values.

Every method returns a :class:`CountResult`: the elected in order, the quota or threshold, and
one :class:`Round` a stage with the tallies of continuing candidates, the transfers made, the
inactive ballots by reason, who was elected or eliminated and why, and any tie-break used.
Vote values are exact: ``int``, ``Fraction`` or ``Decimal`` (fixed places, as the rules say);
:func:`format_votes` writes them as decimal strings for JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from mandate.ids import CandidateId

__all__ = [
    "CountResult",
    "InactiveReason",
    "Round",
    "SectionTally",
    "TieBreakRecord",
    "Transfer",
    "Votes",
    "format_votes",
]

Votes = int | Fraction | Decimal
"""An exact number of votes."""

FRACTION_PLACES = 9
"""Places shown for a Fraction that has no finite decimal form (rounded down, never up)."""


def format_votes(value: Votes) -> str:
    """Write a vote value as a decimal string, exactly where it can be.

    >>> format_votes(3), format_votes(Fraction(1, 4)), format_votes(Decimal("2.50000"))
    ('3', '0.25', '2.50000')
    """
    if isinstance(value, bool):  # bool is an int; never a vote count
        raise TypeError("a vote value cannot be a bool")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    if value.denominator == 1:
        return str(value.numerator)
    denominator = value.denominator
    for prime in (2, 5):
        while denominator % prime == 0:
            denominator //= prime
    if denominator == 1:  # a finite decimal: write it exactly
        return format(Decimal(value.numerator) / Decimal(value.denominator), "f")
    scaled = value.numerator * 10**FRACTION_PLACES // value.denominator
    return format(Decimal(scaled).scaleb(-FRACTION_PLACES), "f")


class InactiveReason(Enum):
    """Why a ballot stopped counting for any candidate."""

    EXHAUSTED = "exhausted"
    OVERVOTE = "overvote"
    SKIPPED = "skipped"
    DUPLICATE = "duplicate"


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer:
    """Votes moved in a round: from a candidate (or ``None`` when none) to a candidate, or to
    inactive with a reason."""

    source: CandidateId | None
    target: CandidateId | None
    value: Votes
    inactive_reason: InactiveReason | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class TieBreakRecord:
    """A tie that had to be broken, how, and who was chosen."""

    purpose: str
    """What the tie was for: ``eliminate``, ``elect`` or ``surplus``."""
    tied: tuple[CandidateId, ...]
    chosen: CandidateId
    method: str
    """The tie-break rule that decided, e.g. ``previous-round`` or ``random (seed 'x')``."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionTally:
    """One section's part of a weighted round (an electoral college or points per district).

    Args:
        section: the section's name (e.g. ``members``, or a riding).
        weight: what the whole section is worth in the weighted total.
        valid: the section's ballots counting for a continuing candidate this round.
        tally: each continuing candidate's votes in the section, in declared order.
        weighted: each continuing candidate's part of the weighted total:
            ``weight × votes / valid`` (nothing when ``valid`` is 0).
        inactive: the section's cumulative inactive ballots by reason.
        transfers: the section's ballots moved this round (votes, not weighted).
    """

    section: str
    weight: Votes
    valid: Votes
    tally: tuple[tuple[CandidateId, Votes], ...]
    weighted: tuple[tuple[CandidateId, Votes], ...]
    inactive: tuple[tuple[InactiveReason, Votes], ...] = ()
    transfers: tuple[Transfer, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Round:
    """One round (stage) of a count.

    Args:
        number: 1 for the first-preference count.
        tally: votes of each continuing candidate at the end of the round's transfers, in
            declared order (a candidate elected this round still appears).
        threshold: votes needed to be elected in this round, where the method has one.
        inactive: cumulative inactive ballots (or vote value) by reason.
        elected: candidates elected in this round, in order.
        eliminated: candidates excluded in this round.
        transfers: votes moved in this round.
        tiebreaks: ties broken in this round.
        note: what happened, in words (e.g. "surplus of A transferred").
        rounding_loss: cumulative votes lost to the rules' rounding, where there is any.
        sections: for a weighted count, each section's votes and weighted shares; the
            round's ``tally`` is then the weighted total.
    """

    number: int
    tally: tuple[tuple[CandidateId, Votes], ...]
    threshold: Votes | None = None
    inactive: tuple[tuple[InactiveReason, Votes], ...] = ()
    elected: tuple[CandidateId, ...] = ()
    eliminated: tuple[CandidateId, ...] = ()
    transfers: tuple[Transfer, ...] = ()
    tiebreaks: tuple[TieBreakRecord, ...] = ()
    note: str = ""
    rounding_loss: Votes = 0
    sections: tuple[SectionTally, ...] = ()

    def votes_of(self, candidate: CandidateId) -> Votes:
        """Votes of a candidate in this round (0 if not continuing)."""
        for c, v in self.tally:
            if c == candidate:
                return v
        return 0

    def inactive_of(self, reason: InactiveReason) -> Votes:
        """Cumulative inactive value for one reason."""
        for r, v in self.inactive:
            if r is reason:
                return v
        return 0


@dataclass(frozen=True, slots=True, kw_only=True)
class CountResult:
    """The outcome of a count with every round.

    Args:
        method: ``irv``, ``stv``, ``plurality``, ``approval``, ``college``, ``exhaustive``.
        rules: the variant (``ers97``, ``scottish``, ``meek``, ``wigm``) where there is one.
        seats: seats filled.
        candidates: every candidate in declared order (id, name).
        elected: in order of election.
        quota: the STV quota, or the final majority threshold for IRV; ``None`` if none.
        rounds: every round, first to last.
        undervotes: blank ballots, reported apart and never counted as inactive.
        valid: ballots (or weight) that counted in the first round.
        options: the options that shaped the count, as text, for the report.
    """

    method: str
    rules: str | None
    seats: int
    candidates: tuple[tuple[CandidateId, str], ...]
    elected: tuple[CandidateId, ...]
    quota: Votes | None
    rounds: tuple[Round, ...]
    undervotes: int = 0
    valid: Votes = 0
    options: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def name_of(self, candidate: CandidateId) -> str:
        """Ballot-paper name of a candidate."""
        for c, name in self.candidates:
            if c == candidate:
                return name
        return str(candidate)

    @property
    def winner(self) -> CandidateId | None:
        """The first elected, or ``None`` if nobody was."""
        return self.elected[0] if self.elected else None
