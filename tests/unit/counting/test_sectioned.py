"""Results by section: Labour 2016, counted pooled and reported by class of elector."""

from __future__ import annotations

import json
from pathlib import Path

from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.ballots.sections import SectionedProfile
from mandate.counting.irv import IrvOptions
from mandate.counting.registry import CountSpec, Method
from mandate.counting.sectioned import count_sections
from mandate.counting.tiebreak import TieBreak
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


def _votes(**counts: int) -> Profile:
    return Profile(
        candidates=tuple(Candidate(id=CandidateId(c), name=c) for c in "ABC"),
        ballots=tuple(
            Ballot(ranking=(frozenset({CandidateId(c)}),) if c != "blank" else (), count=n)
            for c, n in counts.items()
        ),
    )


def test_a_tie_inside_one_section_does_not_stop_the_count() -> None:
    """Issue 10, item 7: A and B tie in 'supporters' (lot needed, none drawn); the pooled
    count has no tie and decides; the section is reported with a seeded draw."""
    sections = SectionedProfile.of(
        {"members": _votes(A=5, B=1, C=1), "supporters": _votes(A=2, B=2, C=3)}
    )
    spec = CountSpec(method=Method.IRV, irv=IrvOptions(tiebreak=TieBreak.LOT))
    result = count_sections(sections, spec)
    assert result.pooled.elected == ("A",)
    supporters = result.section("supporters")
    draws = [t for r in supporters.rounds for t in r.tiebreaks]
    assert [t.tied for t in draws] == [("A", "B")]
    assert draws[0].method == "random (seed 'by-section report: supporters')"
    # the same draw again: a published seed anyone can repeat
    assert count_sections(sections, spec).section("supporters") == supporters


def test_a_section_tie_uses_the_lot_drawn_for_the_count() -> None:
    sections = SectionedProfile.of(
        {"members": _votes(A=5, B=1, C=1), "supporters": _votes(A=2, B=2, C=3)}
    )
    lot = IrvOptions(tiebreak=TieBreak.LOT, lot=("B", "A", "C"))
    supporters = count_sections(sections, CountSpec(method=Method.IRV, irv=lot)).section(
        "supporters"
    )
    draws = [t for r in supporters.rounds for t in r.tiebreaks]
    assert [(t.chosen, t.method) for t in draws] == [("A", "lot")]  # A drawn after B: out


def test_a_section_with_no_valid_vote_is_left_out() -> None:
    sections = SectionedProfile.of({"members": _votes(A=5, B=1), "supporters": _votes(blank=3)})
    result = count_sections(sections, CountSpec(method=Method.IRV))
    assert result.pooled.elected == ("A",)
    assert [name for name, _ in result.sections] == ["members"]
