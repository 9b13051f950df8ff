"""The one entry point for counting: a :class:`CountSpec` names the method and its rules.

The service, the web app and ``mandate count`` all call :func:`count`, so a contest is counted
the same way whichever door it came through.

>>> from mandate.ballots.model import Ballot, Candidate, Profile
>>> from mandate.ids import CandidateId
>>> A, B = CandidateId("A"), CandidateId("B")
>>> profile = Profile(candidates=(Candidate(id=A, name="A"), Candidate(id=B, name="B")),
...                   ballots=(Ballot(ranking=(frozenset({B}),), count=2),))
>>> count(profile, CountSpec(method=Method.IRV)).elected
('B',)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from mandate.ballots.model import Profile
from mandate.counting.approval import count_approval
from mandate.counting.exhaustive import ExhaustiveOptions, count_exhaustive
from mandate.counting.irv import IrvOptions, count_irv
from mandate.counting.methods import Method, StvRules
from mandate.counting.model import CountResult
from mandate.counting.plurality import count_plurality
from mandate.counting.stv import count_stv
from mandate.errors import CountingError, InputError

__all__ = ["CountSpec", "ExhaustiveOptions", "Method", "StvRules", "count"]


@dataclass(frozen=True, slots=True, kw_only=True)
class CountSpec:
    """What to count and by which rules.

    Args:
        method: the counting method.
        seats: seats to fill (1 for IRV).
        stv_rules: for STV, the rules (ERS97, Scottish, Meek or WIGM).
        irv: IRV's options; their tie-break, seed and lot also settle ties for the other
            methods, and their ballot-reading options apply to the college and to a
            simulated exhaustive ballot.
        weights: for a college, each section's weight (name, weight).
        district_points: for a college counted by points per district, what every section
            (district) is worth, instead of ``weights``.
        full_points_minimum: with ``district_points``, marked ballots a district needs to be
            worth its full points (fewer: worth proportionally less).
        exhaustive: for an exhaustive ballot, the floor and when to stop.
    """

    method: Method
    seats: int = 1
    stv_rules: StvRules | None = None
    irv: IrvOptions = field(default_factory=IrvOptions)
    weights: tuple[tuple[str, Fraction], ...] = ()
    district_points: int | None = None
    full_points_minimum: int | None = None
    exhaustive: ExhaustiveOptions = field(default_factory=ExhaustiveOptions)

    def __post_init__(self) -> None:
        if self.seats < 1:
            raise InputError(f"seats must be at least 1 (got {self.seats})")
        if self.method is Method.IRV and self.seats != 1:
            raise InputError(f"IRV fills one seat (got {self.seats}); use STV for more")
        if self.stv_rules is not None and self.method is not Method.STV:
            raise InputError(f"STV rules apply to an STV count, not {self.method.value}")
        if self.method is Method.STV and self.stv_rules is None:
            names = ", ".join(r.value for r in StvRules)
            raise InputError(f"STV needs its rules: one of {names}")
        college = self.weights or self.district_points is not None
        if college and self.method is not Method.COLLEGE:
            raise InputError(f"section weights apply to a college count, not {self.method.value}")
        if self.weights and self.district_points is not None:
            raise InputError("a college has either weights or points per district, not both")
        if self.full_points_minimum is not None and self.district_points is None:
            raise InputError("a full-points minimum applies to points per district")


def count(profile: Profile, spec: CountSpec) -> CountResult:
    """Count a profile as the spec says.

    Raises:
        InputError: options that do not fit the profile (e.g. an unknown candidate).
        CountingError: a method this build cannot count, or a count that cannot go on.
        UnresolvedTieError: a tie the rules' tie-break cannot settle.
    """
    options = spec.irv
    if spec.method is Method.IRV:
        return count_irv(profile, options)
    if spec.method is Method.PLURALITY:
        return count_plurality(
            profile, seats=spec.seats, tiebreak=options.tiebreak, seed=options.seed, lot=options.lot
        )
    if spec.method is Method.APPROVAL:
        return count_approval(
            profile, seats=spec.seats, tiebreak=options.tiebreak, seed=options.seed, lot=options.lot
        )
    if spec.method is Method.STV:
        assert spec.stv_rules is not None  # checked when the spec was made
        return count_stv(
            profile, seats=spec.seats, rules=spec.stv_rules, seed=options.seed, lot=options.lot
        )
    if spec.method is Method.EXHAUSTIVE:
        return count_exhaustive(profile, spec.exhaustive, options)
    if spec.method is Method.COLLEGE:
        raise InputError(
            "a college count needs the ballots by section "
            "(mandate.counting.sectioned.count_sections; mandate count --section-column)"
        )
    raise CountingError(f"the {spec.method.value} count is not available in this version")
