"""An electoral college counted over a contest's voter classes.

Labour elected its leader by an electoral college until 2014: three sections each worth a
third — the Commons PLP and the EPLP (MPs and MEPs), individual members, and members of
affiliated organisations — where "each candidate's share of the valid vote in each section is
divided by 3 and summed" (2010: party_contests.json ``labour-leader-2010``, after
https://www.theguardian.com/politics/2010/sep/25/labour-leadership-result-ed-miliband); the
2013 rule book still had the college in thirds and required the section results to be
"recorded and published" (http://matthew-morris.com/wiki/index.php/Nominations, as cited in
the project's domain reference).

A contest stores every ballot with its voter class, so when the rulebook's ballot is a
college whose ``[sections]`` are exactly the contest's voter classes, the ballots grouped by
class are the college's sections (:func:`count_by_class`). :func:`check_college_rulebook`
refuses, when the contest is created, a college a contest cannot count that way: a section
that is not a voter class (a body, say), a voter class without a weight, or points per
district (a district is not a voter class, and a stored ballot has no district).

The published records say each ballot's class: ``BallotStyleId`` on each CVR of ``cvr.json``
and a ``voter_class`` column in ``cvr.csv`` (:data:`CLASS_COLUMN`), so that
``mandate verify`` recounts the college (:func:`read_published_sections`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from mandate.ballots.formats.cdf import read_cdf_sections
from mandate.ballots.formats.sectioned_csv import read_sectioned_csv
from mandate.ballots.model import Profile
from mandate.ballots.sections import SectionedProfile
from mandate.counting.college import count_college
from mandate.counting.model import CountResult
from mandate.counting.registry import CountSpec, Method
from mandate.counting.sectioned import count_each_section
from mandate.errors import BallotFormatError, ContestError, RulebookError, VerificationError
from mandate.rules import BallotMethod, Rulebook

__all__ = [
    "CLASS_COLUMN",
    "check_college_rulebook",
    "check_first_round_by_class",
    "count_by_class",
    "read_published_sections",
]

CLASS_COLUMN = "voter_class"
"""The column of the published ``cvr.csv`` that names each ballot's voter class (a college)."""


def check_college_rulebook(rulebook: Rulebook) -> None:
    """Refuse a rulebook whose principal ballot is a college a contest cannot count.

    A contest counts a college over its voter classes: every section the rulebook weights
    must be one of its voter classes, and every voter class must have a weight (or its
    electors' ballots would count for nothing). Points per district are refused: a contest
    stores each ballot's voter class, not its district. Any other ballot passes.

    Raises:
        RulebookError: naming the rulebook file, the ballot's key and its clause, and every
            problem at once.
    """
    ballot = rulebook.ballot
    if ballot.method is not BallotMethod.COLLEGE:
        return
    cited = ballot.clause.ref
    if ballot.district_points is not None:
        raise RulebookError(
            f"a contest cannot be counted by points per district ({cited}): it stores each "
            "ballot with its voter class, not its district; count the ballots by district "
            "with `mandate count --section-column` or `--section NAME=FILE` instead",
            path=rulebook.path,
            where=f"key ballots.{ballot.id}.district_points",
        )
    classes = tuple(c.id for c in rulebook.voter_classes)
    bodies = {b.id for b in rulebook.bodies}
    weighted = {name for name, _ in ballot.sections}
    problems = [
        f"section {name!r} is {'a body' if name in bodies else 'not a voter class'}, "
        "and a contest knows each ballot's voter class only"
        for name, _ in ballot.sections
        if name not in classes
    ]
    problems += [
        f"voter class {name!r} has no weight, so its electors' ballots would count for nothing"
        for name in classes
        if name not in weighted
    ]
    if problems:
        raise RulebookError(
            f"a contest counts a college over its voter classes ({cited}): "
            + "; ".join(problems)
            + f" (voter classes: {', '.join(classes)}; sections: {', '.join(sorted(weighted))})",
            path=rulebook.path,
            where=f"key ballots.{ballot.id}.sections",
        )


def count_by_class(
    sections: SectionedProfile, spec: CountSpec
) -> tuple[CountResult, tuple[tuple[str, CountResult], ...]]:
    """Count the college over the classes, and each class that has ballots apart.

    A class without ballots is a section all the same, which adds nothing to the weighted
    total (as :func:`~mandate.counting.college.count_college` counts a section with no valid
    vote). Each class is counted apart by IRV with the college's options, as
    :func:`~mandate.counting.sectioned.count_sections` does
    (:func:`~mandate.counting.sectioned.count_each_section`: a report, which no tie stops),
    so its first round is the class's part of the college's first round.

    Raises:
        ContestError: a college by points per district (refused when the contest is created;
            a contest created before then).
        InputError, CountingError, UnresolvedTieError: as ``count_college`` raises them.
    """
    if spec.district_points is not None or not spec.weights:
        raise ContestError(
            "a contest counts a college over its voter classes by their weights; this count "
            "specification has points per district or no weights"
        )
    total = count_college(sections, dict(spec.weights), spec.irv)
    each = CountSpec(method=Method.IRV, irv=spec.irv)
    return total, count_each_section(sections, each)


def read_published_sections(
    folder: Path, classes: Sequence[str], candidates: Sequence[str]
) -> SectionedProfile:
    """The published ballots by voter class: ``cvr.json``'s, checked against ``cvr.csv``'s.

    Args:
        folder: the published folder.
        classes: the contest's voter classes, in the declaration's order; the sections come
            in this order, a class with no ballot as an empty section.
        candidates: the declared candidates.

    Raises:
        VerificationError: a CVR or row without a class, a class the declaration does not
            have, or ``cvr.csv`` holding other ballots than ``cvr.json`` in any class.
    """
    cvr_json, cvr_csv = folder / "cvr.json", folder / "cvr.csv"
    try:
        found = read_cdf_sections(cvr_json, candidates=candidates)
        rows = read_sectioned_csv(cvr_csv, column=CLASS_COLUMN, candidates=candidates)
    except BallotFormatError as error:
        raise VerificationError(f"{error} (a college's records say each ballot's class)") from None
    for path, read in ((cvr_json, found), (cvr_csv, rows)):
        unknown = [name for name in read.names if name not in classes]
        if unknown:
            raise VerificationError(
                f"{path}: ballots of {', '.join(map(repr, unknown))}, which is not a voter "
                f"class of the declaration ({', '.join(classes)})"
            )
    for name in classes:
        if _ballots(found, name) != _ballots(rows, name):
            raise VerificationError(
                f"{cvr_csv}: its ballots of class {name!r} differ from cvr.json's"
            )
    empty = Profile(candidates=found.candidates, ballots=())
    return SectionedProfile(
        sections=tuple(
            (name, found.profile(name) if name in found.names else empty) for name in classes
        )
    )


def _ballots(sections: SectionedProfile, name: str) -> Counter[Any]:
    if name not in sections.names:
        return Counter()
    return Counter({b.ranking: b.count for b in sections.profile(name).deduplicated()})


def check_first_round_by_class(
    path: Path, by_class: Sequence[Mapping[str, Any]], published: Mapping[str, Any]
) -> None:
    """Each class's declared first preferences must be its section's in the college's first
    round (a class without ballots declares none, and its section has no valid vote).

    Raises:
        VerificationError: the first class that differs.
    """
    rounds = published.get("rounds") or [{}]
    sections = {str(s.get("section")): s for s in rounds[0].get("sections") or ()}
    for item in by_class:
        name = str(item.get("id"))
        declared = {str(k): str(v) for k, v in dict(item.get("first_round") or {}).items()}
        section = sections.get(name)
        if section is None:
            raise VerificationError(f"{path}: class {name!r} is not a section of the college")
        tally = {str(k): str(v) for k, v in dict(section.get("tally") or {}).items()}
        if (declared != tally) if declared else str(section.get("valid")) != "0":
            raise VerificationError(
                f"{path}: class {name!r} declares first preferences {declared}, the college's "
                f"first round gives it {section.get('tally')}"
            )
