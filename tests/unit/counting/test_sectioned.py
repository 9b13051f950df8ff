"""Results by section: Labour 2016, counted pooled and reported by class of elector."""

from __future__ import annotations

import json
from pathlib import Path

from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.ballots.sections import SectionedProfile
from mandate.counting.registry import CountSpec, Method
from mandate.counting.sectioned import count_sections
from mandate.ids import CandidateId


def test_labour_2016_pooled_result_and_each_class(shared_data: Path) -> None:
    """Each class's ballots are built from its published first preferences (only aggregates
    were published); the pooled count must give the published totals and winner, and each
    class's own count its published figures."""
    data = json.loads((shared_data / "party_contests.json").read_text(encoding="utf-8"))
    contest = next(c for c in data["labour"] if c["id"] == "labour-leader-2016")
    results = contest["rounds"][0]["results"]
    candidates = tuple(
        Candidate(id=CandidateId(r["candidate"]), name=r["candidate"]) for r in results
    )
    classes = contest["method"]["sections_reported"]
    sections = SectionedProfile.of(
        {
            name: Profile(
                candidates=candidates,
                ballots=tuple(
                    Ballot(
                        ranking=(frozenset({CandidateId(r["candidate"])}),),
                        count=r["by_section"][name],
                    )
                    for r in results
                ),
            )
            for name in classes
        }
    )
    outcome = count_sections(sections, CountSpec(method=Method.IRV))
    assert dict(outcome.pooled.rounds[0].tally) == {r["candidate"]: r["votes"] for r in results}
    assert outcome.pooled.valid == contest["totals"]["valid"]
    assert outcome.pooled.winner == "Jeremy Corbyn"
    for name in classes:
        section = outcome.section(name)
        assert section.valid == contest["section_valid_totals_derived"][name]
        assert dict(section.rounds[0].tally) == {
            r["candidate"]: r["by_section"][name] for r in results
        }
        assert section.winner == "Jeremy Corbyn"
