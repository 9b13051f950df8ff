"""Ballots by electorate section: members, registered supporters, affiliates, or districts.

A :class:`SectionedProfile` holds one :class:`~mandate.ballots.model.Profile` a section, all
with the same candidates in the same order. An electoral college weights each section's
result; any method can also report each section apart next to the pooled count.

>>> from mandate.ballots.model import Ballot, Candidate
>>> from mandate.ids import CandidateId
>>> A, B = CandidateId("A"), CandidateId("B")
>>> def votes(a: int, b: int) -> Profile:
...     return Profile(candidates=(Candidate(id=A, name="A"), Candidate(id=B, name="B")),
...                    ballots=(Ballot(ranking=(frozenset({A}),), count=a),
...                             Ballot(ranking=(frozenset({B}),), count=b)))
>>> sections = SectionedProfile.of({"members": votes(3, 1), "affiliates": votes(1, 4)})
>>> sections.names, sections.pooled().total
(('members', 'affiliates'), 9)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from itertools import chain

from mandate.ballots.model import Candidate, Profile, deduplicate
from mandate.errors import InputError, NotFoundError
from mandate.ids import CandidateId

__all__ = ["SectionedProfile"]


@dataclass(frozen=True, slots=True, kw_only=True)
class SectionedProfile:
    """The ballots of one contest, section by section, with shared candidates.

    Args:
        sections: (name, profile) pairs in the order the sections are reported; every
            profile declares the same candidates in the same order (use :meth:`of` to align
            profiles read apart).
    """

    sections: tuple[tuple[str, Profile], ...]

    def __post_init__(self) -> None:
        if not self.sections:
            raise InputError("a sectioned profile needs at least one section")
        names = [name for name, _ in self.sections]
        for name in names:
            if not name.strip():
                raise InputError("a section needs a name (got a blank one)")
        if len(set(names)) != len(names):
            repeated = sorted({n for n in names if names.count(n) > 1})
            raise InputError(f"sections must be named once each (repeated: {', '.join(repeated)})")
        first = self.sections[0][1].candidate_ids
        for name, profile in self.sections[1:]:
            if profile.candidate_ids != first:
                raise InputError(
                    f"section {name!r} declares candidates {', '.join(profile.candidate_ids)}; "
                    f"every section must declare {', '.join(first)} in that order"
                )

    @classmethod
    def of(cls, sections: Mapping[str, Profile]) -> SectionedProfile:
        """Sections from profiles read apart: candidates are aligned to the order of first
        declaration across the sections (in the mapping's order)."""
        order: dict[CandidateId, Candidate] = {}
        for profile in sections.values():
            for candidate in profile.candidates:
                order.setdefault(candidate.id, candidate)
        candidates = tuple(order.values())
        return cls(
            sections=tuple(
                (name, replace(profile, candidates=candidates))
                for name, profile in sections.items()
            )
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Section names in order."""
        return tuple(name for name, _ in self.sections)

    @property
    def candidates(self) -> tuple[Candidate, ...]:
        """The candidates every section declares."""
        return self.sections[0][1].candidates

    def profile(self, name: str) -> Profile:
        """One section's ballots.

        Raises:
            NotFoundError: no section has that name.
        """
        found = dict(self.sections).get(name)
        if found is not None:
            return found
        raise NotFoundError(f"no section {name!r} (sections: {', '.join(self.names)})")

    def pooled(self) -> Profile:
        """Every section's ballots together, identical ones merged (one member, one vote)."""
        first = self.sections[0][1]
        return Profile(
            candidates=first.candidates,
            ballots=deduplicate(chain.from_iterable(p.ballots for _, p in self.sections)),
            seats=first.seats,
            withdrawn=frozenset().union(*(p.withdrawn for _, p in self.sections)),
            title=first.title,
        )

    def __iter__(self) -> Iterator[tuple[str, Profile]]:
        return iter(self.sections)

    def __len__(self) -> int:
        return len(self.sections)
