"""The weighted electoral college (Labour 2010) and points per district (CPC)."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from tests.support.labour_2010 import (
    AB,
    DA,
    DM,
    EB,
    EM,
    PUBLISHED_NAMES,
    built_section,
    labour_2010_contest,
)
from tests.unit.counting.helpers import ballots

from mandate.ballots.formats import read_ballots
from mandate.ballots.sections import SectionedProfile
from mandate.counting.college import (
    count_college,
    count_points_per_district,
    district_points,
    parse_weight,
)
from mandate.counting.irv import IrvOptions, count_irv
from mandate.counting.model import CountResult, InactiveReason
from mandate.counting.registry import CountSpec, Method
from mandate.counting.report import render_text, result_from_json, result_to_json
from mandate.counting.sectioned import count_sections
from mandate.counting.tiebreak import TieBreak
from mandate.errors import InputError, UnresolvedTieError
from mandate.ids import CandidateId

THIRD = Fraction(1, 3)
LABOUR_WEIGHTS = {"plp_eplp": THIRD, "members": THIRD, "affiliates": THIRD}


@pytest.fixture(scope="module")
def labour_2010(shared_data: Path) -> tuple[SectionedProfile, CountResult, dict[str, Any]]:
    contest = labour_2010_contest(shared_data)
    mps = read_ballots(shared_data / "preflib" / "uk-labour-2010-mps.soi")
    sections = SectionedProfile.of(
        {
            "plp_eplp": mps,
            "members": built_section(contest, "members", mps),
            "affiliates": built_section(contest, "affiliates", mps),
        }
    )
    return sections, count_college(sections, LABOUR_WEIGHTS), contest


def _pct(value: Fraction, places: int) -> Decimal:
    return round(Decimal(value.numerator) * 100 / Decimal(value.denominator), places)


def _close(value: Fraction, published: float) -> bool:
    """Within one unit of the published figure's last place (the sources round or cut)."""
    expected = Decimal(str(published))
    places = -int(expected.as_tuple().exponent)
    return abs(_pct(value, places) - expected) <= Decimal(1).scaleb(-places)


def test_labour_2010_mps_round_one_share_is_111_of_266(labour_2010: Any) -> None:
    """The MPs' section from the real ballots: D. Miliband 111 of 266, worth 13.91 points."""
    _, result, contest = labour_2010
    mps = next(s for s in result.rounds[0].sections if s.section == "plp_eplp")
    assert mps.valid == 266
    assert dict(mps.tally)[DM] == 111
    weighted = dict(mps.weighted)
    assert weighted[DM] == Fraction(111, 266) / 3
    published = contest["rounds"][0]["section_contribution_pct_of_college"]
    for name, candidate in PUBLISHED_NAMES.items():
        assert _pct(Fraction(weighted[candidate]), 2) == round(
            Decimal(str(published[name]["plp_eplp"])), 2
        )


def test_labour_2010_round_one_matches_every_published_contribution(labour_2010: Any) -> None:
    _, result, contest = labour_2010
    published = contest["rounds"][0]["section_contribution_pct_of_college"]
    for section in result.rounds[0].sections:
        weighted = dict(section.weighted)
        for name, candidate in PUBLISHED_NAMES.items():
            published_value = published[name][section.section]
            assert _close(Fraction(weighted[candidate]), published_value), (section, name)
    college = contest["rounds"][0]["college_pct"]
    tally = dict(result.rounds[0].tally)
    for name, candidate in PUBLISHED_NAMES.items():
        assert _pct(Fraction(tally[candidate]), 2) == Decimal(str(college[name]))


def test_labour_2010_eliminates_abbott_burnham_balls_and_elects_ed_miliband(
    labour_2010: Any,
) -> None:
    _, result, contest = labour_2010
    assert [r.eliminated for r in result.rounds] == [(), (DA,), (AB,), (EB,)]
    assert result.elected == (EM,)
    final = dict(result.rounds[-1].tally)
    published = contest["rounds"][3]["college_pct"]
    # the members' and affiliates' round-4 shares are published to one place, so the
    # rebuilt total can only be within a hundredth of a point
    assert _close(Fraction(final[EM]), published["Ed Miliband"])
    assert _close(Fraction(final[DM]), published["David Miliband"])
    assert final[DM] < Fraction(1, 2) < final[EM]
    mps = next(s for s in result.rounds[-1].sections if s.section == "plp_eplp")
    assert dict(mps.tally) == {DM: 140, EM: 122}
    assert result.rounds[-1].threshold == Fraction(1, 2)
    assert sum(final.values()) == 1


def test_labour_2010_mps_section_alone_is_its_irv_count(labour_2010: Any) -> None:
    sections, result, _ = labour_2010
    irv = count_irv(sections.profile("plp_eplp"))
    for college_round, irv_round in zip(result.rounds, irv.rounds, strict=False):
        mps = next(s for s in college_round.sections if s.section == "plp_eplp")
        assert dict(mps.tally) == dict(irv_round.tally)


def test_labour_2010_round_trips_through_json_with_sections(labour_2010: Any) -> None:
    _, result, _ = labour_2010
    data = result_to_json(result)
    section = data["rounds"][0]["sections"][0]
    assert section["section"] == "plp_eplp"
    assert section["weight"] == "1/3"
    assert section["tally"]["D.Milbnd"] == "111"
    assert section["valid"] == "266"
    assert result_to_json(result_from_json(data)) == data
    text = render_text(result)
    assert "Section plp_eplp (weight 1/3, valid 266)" in text


def test_college_transfers_stay_within_each_section() -> None:
    mps = ballots("3,A", "2,B", "1,C,B", candidates="ABC")
    members = ballots("4,A", "5,B", "3,C,A", "1,C,", candidates="ABC")
    result = count_college(
        SectionedProfile.of({"mps": mps, "members": members}),
        {"mps": Fraction(1), "members": Fraction(1)},
    )
    second = {s.section: s for s in result.rounds[1].sections}
    assert dict(second["mps"].tally) == {CandidateId("A"): 3, CandidateId("B"): 3}
    assert dict(second["members"].tally) == {CandidateId("A"): 7, CandidateId("B"): 5}
    assert dict(second["members"].inactive)[InactiveReason.EXHAUSTED] == 1
    moved = {(t.target, t.inactive_reason): t.value for t in second["members"].transfers}
    assert moved == {(CandidateId("A"), None): 3, (None, InactiveReason.EXHAUSTED): 1}
    # mps 1/2 + 1/2, members 7/12 + 5/12: A has 1/2 + 7/12 = 13/12 of 2
    assert dict(result.rounds[1].tally) == {
        CandidateId("A"): Fraction(13, 12),
        CandidateId("B"): Fraction(11, 12),
    }
    assert result.elected == (CandidateId("A"),)


def test_college_needs_more_than_half() -> None:
    """Exactly half is not enough: the last two tied at half each are settled by the
    tie-break, which elects one in that round (as RCTab reports it), with no extra round."""
    one = ballots("1,A", "1,B", candidates="AB")
    result = count_college(
        SectionedProfile.of({"x": one}),
        {"x": Fraction(1)},
        IrvOptions(tiebreak=TieBreak.CANDIDATE_ORDER),
    )
    assert len(result.rounds) == 1
    assert result.rounds[0].elected == (CandidateId("A"),)
    assert [t.purpose for t in result.rounds[0].tiebreaks] == ["elect"]
    assert result.elected == (CandidateId("A"),)


def test_college_tie_without_a_tiebreak_is_unresolved() -> None:
    one = ballots("1,A", "1,B", candidates="AB")
    with pytest.raises(UnresolvedTieError):
        count_college(SectionedProfile.of({"x": one}), {"x": Fraction(1)})


def test_college_weights_must_name_each_section_once() -> None:
    one = ballots("1,A", candidates="AB")
    sections = SectionedProfile.of({"x": one, "y": one})
    with pytest.raises(InputError, match="no weight given for section"):
        count_college(sections, {"x": Fraction(1)})
    with pytest.raises(InputError, match="'z', which is not a section"):
        count_college(sections, {"x": Fraction(1), "y": Fraction(1), "z": Fraction(1)})
    with pytest.raises(InputError, match="more than 0"):
        count_college(sections, {"x": Fraction(1), "y": Fraction(0)})


def test_parse_weight_reads_fractions_decimals_and_refuses_the_rest() -> None:
    assert parse_weight("1/3") == THIRD
    assert parse_weight(" 2.5 ") == Fraction(5, 2)
    with pytest.raises(InputError, match="expected a number"):
        parse_weight("a third")
    with pytest.raises(InputError, match="more than 0"):
        parse_weight("-1")


@pytest.mark.parametrize("text", ["1e100000000", "1" * 31, "1/0", "0x10", "1_000"])
def test_parse_weight_refuses_at_once_what_is_not_written_as_a_weight(text: str) -> None:
    """An exponent made ``Fraction`` build a hundred-million-digit number and never return."""
    with pytest.raises(InputError, match="weight"):
        parse_weight(text)


def test_points_per_district_shares_each_ridings_hundred_points() -> None:
    """Two ridings of 100 points: 60/40 and 20/80 give A 80 and B 120 points."""
    east = ballots("60,A", "40,B", candidates="AB")
    west = ballots("200,A", "800,B", candidates="AB")
    result = count_points_per_district(SectionedProfile.of({"east": east, "west": west}))
    assert dict(result.rounds[0].tally) == {CandidateId("A"): 80, CandidateId("B"): 120}
    assert result.elected == (CandidateId("B"),)
    assert result.rules == "points-per-district"


def test_points_per_district_is_not_one_member_one_vote() -> None:
    """A wins the pooled vote (260 to 240) but B wins on points."""
    east = ballots("250,A", "150,B", candidates="AB")
    west = ballots("10,A", "90,B", candidates="AB")
    pooled = count_irv(SectionedProfile.of({"e": east, "w": west}).pooled())
    assert pooled.winner == CandidateId("A")
    result = count_points_per_district(SectionedProfile.of({"e": east, "w": west}))
    assert dict(result.rounds[0].tally) == {
        CandidateId("A"): Fraction(250, 400) * 100 + 10,
        CandidateId("B"): Fraction(150, 400) * 100 + 90,
    }
    assert result.winner == CandidateId("B")


def test_small_riding_is_worth_a_point_a_ballot_under_the_2022_rule() -> None:
    big = ballots("70,A", "30,B", candidates="AB")
    small = ballots("5,A", "15,B", "3,,", candidates="AB")
    sections = SectionedProfile.of({"big": big, "small": small})
    assert district_points(sections, full_points_minimum=100) == {
        "big": Fraction(100),
        "small": Fraction(20),
    }
    result = count_points_per_district(sections, full_points_minimum=100)
    assert dict(result.rounds[0].tally) == {CandidateId("A"): 75, CandidateId("B"): 45}
    assert result.options[-1] == ("full-points-minimum", "100")


def test_points_per_district_eliminates_the_lowest_on_points() -> None:
    """No one passes 50 of 100 points; C is lowest on points and transfers to B."""
    riding = ballots("40,A", "35,B", "25,C,B", candidates="ABC")
    result = count_points_per_district(SectionedProfile.of({"only": riding}))
    assert result.rounds[0].elected == ()
    assert result.rounds[1].eliminated == (CandidateId("C"),)
    assert dict(result.rounds[1].tally) == {CandidateId("A"): 40, CandidateId("B"): 60}
    assert result.winner == CandidateId("B")


def test_count_sections_refuses_a_college_without_weights() -> None:
    sections = SectionedProfile.of({"x": ballots("1,A", candidates="AB")})
    with pytest.raises(InputError, match="needs each section's weight"):
        count_sections(sections, CountSpec(method=Method.COLLEGE))


def test_irv_only_options_are_refused_not_ignored() -> None:
    sections = SectionedProfile.of({"x": ballots("1,A", candidates="AB")})
    with pytest.raises(InputError, match="a college count has no batch elimination"):
        count_college(sections, {"x": Fraction(1)}, IrvOptions(batch_elimination=True))
