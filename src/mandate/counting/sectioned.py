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

from dataclasses import dataclass, replace

from mandate.ballots.sections import SectionedProfile
from mandate.counting.college import count_college, count_points_per_district
from mandate.counting.model import CountResult
from mandate.counting.registry import CountSpec, Method, count
from mandate.counting.tiebreak import TieBreak
from mandate.errors import InputError, NoValidVoteError, UnresolvedTieError

__all__ = ["REPORT_SEED", "SectionedResult", "count_each_section", "count_sections"]

REPORT_SEED = "by-section report: "
"""How the seed of a section's report-only draw begins; the section's name follows."""


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
    return SectionedResult(pooled=pooled, sections=count_each_section(sections, each))


def count_each_section(
    sections: SectionedProfile, spec: CountSpec
) -> tuple[tuple[str, CountResult], ...]:
    """Each section counted apart, as a report beside the count that decides.

    A section's count decides nothing, so nothing in it may stop the count (issue 10, item 7):

    - a section without ballots, or with no valid vote, is left out (it has nothing to report;
      its electors' ballots, if any, are blank or spoilt);
    - a tie the rules' tie-break settles (the lot drawn, if the officer drew one for the
      count, included) is settled the same way as in the count that decides;
    - a tie it cannot settle (a lot is needed and none was drawn, or the lot does not name the
      tied candidates) is settled, for the section's report only, by a random draw seeded
      with :data:`REPORT_SEED` and the section's name, a published value anyone can repeat;
      the draw is recorded in the section's rounds like any tie-break, with its seed.

    Raises:
        InputError, CountingError: as :func:`~mandate.counting.registry.count` raises them
            for reasons that are not the section's own (the seats, an unknown candidate).
    """
    results: list[tuple[str, CountResult]] = []
    for name, profile in sections:
        if not profile.ballots:
            continue
        try:
            result = count(profile, spec)
        except NoValidVoteError:
            continue
        except UnresolvedTieError:
            result = count(profile, _report_spec(spec, name))
        results.append((name, result))
    return tuple(results)


def _report_spec(spec: CountSpec, name: str) -> CountSpec:
    """The spec with a seeded draw for the ties its tie-break leaves to a lot."""
    options = spec.irv
    tiebreak = TieBreak.RANDOM if options.tiebreak is TieBreak.LOT else options.tiebreak
    return replace(
        spec, irv=replace(options, tiebreak=tiebreak, seed=f"{REPORT_SEED}{name}", lot=None)
    )
