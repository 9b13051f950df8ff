"""Results by electorate section, for any method: the pooled count and each section apart.

Labour reports its one-member-one-vote leadership elections by class of elector (members,
registered supporters, affiliated supporters): the result is the pooled count, and each
section's count is published beside it. :func:`count_sections` does both with the same
:class:`~mandate.counting.registry.CountSpec`. For a college (weighted sections) the main
result is the college count itself, and each section is counted apart by IRV with the same
options, so its first round is the section's part of the college's first round.

>>> from mandate.ballots.model import Ballot, Candidate, Profile
>>> from mandate.ids import CandidateId
>>> A, B = CandidateId("A"), CandidateId("B")
>>> def votes(a: int, b: int) -> Profile:
...     return Profile(candidates=(Candidate(id=A, name="A"), Candidate(id=B, name="B")),
...                    ballots=(Ballot(ranking=(frozenset({A}),), count=a),
...                             Ballot(ranking=(frozenset({B}),), count=b)))
>>> sections = SectionedProfile.of({"members": votes(8, 2), "supporters": votes(1, 4)})
>>> result = count_sections(sections, CountSpec(method=Method.IRV))
>>> result.pooled.winner, [(name, r.winner) for name, r in result.sections]
('A', [('members', 'A'), ('supporters', 'B')])
"""

from __future__ import annotations

from dataclasses import dataclass

from mandate.ballots.sections import SectionedProfile
from mandate.counting.college import count_college, count_points_per_district
from mandate.counting.model import CountResult
from mandate.counting.registry import CountSpec, Method, count
from mandate.errors import InputError

__all__ = ["SectionedResult", "count_sections"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionedResult:
    """A count with its sections.

    Args:
        pooled: the result that decides: every ballot counted together, or the college.
        sections: each section's own count, in the sections' order.
    """

    pooled: CountResult
    sections: tuple[tuple[str, CountResult], ...]

    def section(self, name: str) -> CountResult:
        """One section's result.

        Raises:
            KeyError: no section has that name.
        """
        return dict(self.sections)[name]


def count_sections(sections: SectionedProfile, spec: CountSpec) -> SectionedResult:
    """Count the pooled ballots (or the college) and every section apart.

    Raises:
        InputError: a college without weights or points per district; and as
            :func:`~mandate.counting.registry.count` and
            :func:`~mandate.counting.college.count_college` raise.
        CountingError, UnresolvedTieError: as those raise them.
    """
    if spec.method is Method.COLLEGE:
        if spec.district_points is not None:
            pooled = count_points_per_district(
                sections,
                points=spec.district_points,
                full_points_minimum=spec.full_points_minimum,
                options=spec.irv,
            )
        elif spec.weights:
            pooled = count_college(sections, dict(spec.weights), spec.irv)
        else:
            raise InputError("a college count needs each section's weight or points per district")
        each = CountSpec(method=Method.IRV, irv=spec.irv)
    else:
        pooled = count(sections.pooled(), spec)
        each = spec
    results = tuple((name, count(profile, each)) for name, profile in sections)
    return SectionedResult(pooled=pooled, sections=results)
