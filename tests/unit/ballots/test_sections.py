"""Ballots by section: aligned candidates, pooled ballots, and what is refused."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from tests.unit.counting.helpers import ballots

from mandate.ballots.formats.sectioned_csv import read_sectioned_csv
from mandate.ballots.sections import SectionedProfile
from mandate.errors import BallotFormatError, InputError, NotFoundError, UnknownCandidateError


def test_of_aligns_candidates_in_order_of_first_declaration() -> None:
    first = ballots("2,B", candidates="B")
    second = ballots("1,A,B", candidates="AB")
    sections = SectionedProfile.of({"one": first, "two": second})
    assert [c.id for c in sections.candidates] == ["B", "A"]
    assert sections.profile("two").candidate_ids == ("B", "A")


def test_pooled_merges_identical_ballots_across_sections() -> None:
    sections = SectionedProfile.of(
        {"one": ballots("2,A,B", candidates="AB"), "two": ballots("3,A,B", candidates="AB")}
    )
    pooled = sections.pooled()
    assert [(b.count) for b in pooled.ballots] == [5]


def test_sections_must_share_candidates_and_have_distinct_names() -> None:
    one = ballots("1,A", candidates="AB")
    with pytest.raises(InputError, match="every section must declare"):
        SectionedProfile(
            sections=(("x", one), ("y", replace(one, candidates=one.candidates[::-1])))
        )
    with pytest.raises(InputError, match="repeated: x"):
        SectionedProfile(sections=(("x", one), ("x", one)))
    with pytest.raises(InputError, match="at least one section"):
        SectionedProfile(sections=())
    with pytest.raises(NotFoundError, match="no section 'z'"):
        SectionedProfile.of({"x": one}).profile("z")


def test_sectioned_csv_declares_candidates_across_the_whole_file(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("count,rank1,rank2,class\n2,Bob,,members\n1,Ann,Bob,affiliates\n")
    sections = read_sectioned_csv(path, column="class")
    assert sections.names == ("members", "affiliates")
    assert [c.name for c in sections.candidates] == ["Bob", "Ann"]
    assert sections.profile("affiliates").ballots[0].count == 1


def test_sectioned_csv_with_an_officers_list_refuses_other_names(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("section,rank1\nmembers,Ann\nmembers,Zed\n")
    with pytest.raises(UnknownCandidateError, match="line 3, ballot 2: unknown candidate 'Zed'"):
        read_sectioned_csv(path, candidates=["Ann", "Bob"])


def test_sectioned_csv_bad_count_names_line_and_ballot(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("section,count,rank1\nmembers,x,Ann\n")
    with pytest.raises(BallotFormatError, match="line 2, ballot 1: count must be"):
        read_sectioned_csv(path)
