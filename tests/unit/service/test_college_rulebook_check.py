"""Which colleges a contest can count over its voter classes, and the refusals' words."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.errors import RulebookError
from mandate.rules import load_rulebook, parse_rulebook
from mandate.service.college import check_college_rulebook

RULEBOOKS = Path(__file__).resolve().parents[2] / "support" / "rulebooks"
THIRDS = (RULEBOOKS / "college-thirds.toml").read_text(encoding="utf-8")
SECTIONS = 'sections = { plp_eplp = "1/3", member = "1/3", affiliated = "1/3" }'
CLAUSE = "(Leadership election rules: electoral college in thirds (as reported))"


def _with_sections(sections: str) -> str:
    assert SECTIONS in THIRDS
    return THIRDS.replace(SECTIONS, sections)


def test_a_college_over_exactly_the_voter_classes_is_accepted() -> None:
    check_college_rulebook(load_rulebook(RULEBOOKS / "college-thirds.toml"))


@pytest.mark.parametrize("name", ["labour-2016", "society", "conservative-1922"])
def test_a_shipped_rulebook_without_a_college_is_accepted(name: str) -> None:
    check_college_rulebook(load_rulebook(name))


def test_a_section_that_is_a_body_is_refused_naming_file_key_and_clause() -> None:
    text = _with_sections('sections = { plp = "1/3", member = "1/3", affiliated = "1/3" }')
    with pytest.raises(RulebookError) as info:
        check_college_rulebook(parse_rulebook(text, source="rules.toml"))
    assert info.value.path == "rules.toml"
    assert info.value.where == "key ballots.leader.sections"
    assert str(info.value) == (
        "rules.toml, key ballots.leader.sections: a contest counts a college over its voter "
        f"classes {CLAUSE}: section 'plp' is a body, and a contest knows each ballot's voter "
        "class only; voter class 'plp_eplp' has no weight, so its electors' ballots would "
        "count for nothing (voter classes: plp_eplp, member, affiliated; sections: "
        "affiliated, member, plp)"
    )


def test_a_voter_class_without_a_weight_is_refused() -> None:
    text = _with_sections('sections = { plp_eplp = "1/2", member = "1/2" }')
    with pytest.raises(RulebookError, match="voter class 'affiliated' has no weight"):
        check_college_rulebook(parse_rulebook(text, source="rules.toml"))


def test_points_per_district_are_refused_naming_the_clause() -> None:
    path = RULEBOOKS / "points-per-district.toml"
    with pytest.raises(RulebookError) as info:
        check_college_rulebook(load_rulebook(path))
    assert info.value.path == str(path)
    assert info.value.where == "key ballots.leader.district_points"
    assert "(Leadership election rules: points per riding (as reported))" in str(info.value)
    assert "not its district" in str(info.value)
