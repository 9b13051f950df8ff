"""STV counts reproduce Droop's reference counts stage by stage.

Sources (see ../shared/data/README.md): the ten Glasgow City Council 2007 wards (ballots
released by the council; counted under SSI 2007/42 by Droop, whose results match the
declared results) and the classic test elections 42.blt and 513.blt under Droop's
``scotland-fixed-p5-d5``, ``wigm-prf-fixed-p4-d4`` and ``meek-prf-o6-fixed-p9-d9`` rules.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from tests.unit.counting.droop_reference import DroopCount, load_droop

from mandate.ballots.formats.blt import read_blt
from mandate.counting.model import CountResult, InactiveReason, format_votes
from mandate.counting.stv import StvRules, count_stv

WARDS = [
    "Anderston-City",
    "Calton",
    "Craigton",
    "East-Centre",
    "Govan",
    "Hillhead",
    "Langside",
    "Maryhill-Kelvin",
    "Pollokshields",
    "Springburn",
]

REFERENCE = [
    (case, rules, droop)
    for case in ("42", "513")
    for rules, droop in (
        (StvRules.SCOTTISH, "scotland-fixed-p5-d5"),
        (StvRules.WIGM, "wigm-prf-fixed-p4-d4"),
        (StvRules.MEEK, "meek-prf-o6-fixed-p9-d9"),
    )
]


def _assert_matches(result: CountResult, expected: DroopCount, *, meek: bool) -> None:
    assert list(result.elected) == expected.elected
    assert result.quota is not None
    assert format_votes(result.quota) == expected.quota
    assert len(result.rounds) == len(expected.stages)
    for stage, want in zip(result.rounds, expected.stages, strict=True):
        got = {str(c): format_votes(v) for c, v in stage.tally}
        assert got == want.votes, f"stage {stage.number}"
        if not meek:
            assert want.exhausted is not None
            assert format_votes(stage.inactive_of(InactiveReason.EXHAUSTED)) == want.exhausted
            assert sum((Decimal(v) for _, v in stage.tally), Decimal(0)) == Decimal(want.total)
            assert stage.threshold is not None
            assert format_votes(stage.threshold) == want.quota


@pytest.mark.parametrize("ward", WARDS)
def test_glasgow_2007_ward_matches_every_stage_under_scottish_rules(
    shared_data: Path, ward: str
) -> None:
    folder = shared_data / "glasgow-2007"
    profile = read_blt(folder / f"{ward}-2007.blt")
    assert profile.seats is not None
    result = count_stv(profile, seats=profile.seats, rules=StvRules.SCOTTISH)
    _assert_matches(result, load_droop(folder / f"{ward}-2007.droop-scottish.json"), meek=False)


@pytest.mark.parametrize(("case", "rules", "droop"), REFERENCE)
def test_reference_election_matches_every_stage(
    shared_data: Path, case: str, rules: StvRules, droop: str
) -> None:
    folder = shared_data / "stv-reference"
    profile = read_blt(folder / f"{case}.blt")
    result = count_stv(profile, seats=2, rules=rules)
    expected = load_droop(folder / f"{case}.droop-{droop}.json")
    _assert_matches(result, expected, meek=rules is StvRules.MEEK)


def test_glasgow_calton_rounding_loss_is_what_truncation_dropped(shared_data: Path) -> None:
    """Droop's residual after Redmond's surplus: 5199 - 5040.36089 - 158.62549."""
    profile = read_blt(shared_data / "glasgow-2007" / "Calton-2007.blt")
    result = count_stv(profile, seats=3, rules=StvRules.SCOTTISH)
    assert result.rounds[1].rounding_loss == Decimal("0.01362")
