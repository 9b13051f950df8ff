"""Large weights are counted exactly or refused, never wrapped (issue 10, item 3).

STV tallies are scaled integers (``valid × 10**places`` at full weight): Meek (nine places)
wrapped int64 from about 9.2 × 10⁹ ballots and ERS97 (two places) from 9.2 × 10¹⁶, and elected
the wrong candidate with negative tallies. A ballot weight of 2**63 or more gave a traceback.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from mandate.ballots.formats import BallotFormat, read_ballots
from mandate.ballots.formats.blt import parse_blt
from mandate.ballots.matrix import MAX_BALLOTS
from mandate.ballots.model import Ballot, Candidate, Profile
from mandate.counting.irv import count_irv
from mandate.counting.model import InactiveReason
from mandate.counting.plurality import count_plurality
from mandate.counting.stv import StvRules, count_stv
from mandate.errors import BallotFormatError, InputError
from mandate.ids import CandidateId


def _blt(scale: int) -> list[str]:
    """The issue's reproducer: A 4, B 3, C 2 (C's next preference B), times ``scale``."""
    return [
        "3 1",
        f"{4 * scale} 1 0",
        f"{3 * scale} 2 0",
        f"{2 * scale} 3 2 0",
        "0",
        '"A"',
        '"B"',
        '"C"',
        '"t"',
    ]


@pytest.mark.parametrize("scale", [10**12, 10**17, 10**18])
@pytest.mark.parametrize("rules", list(StvRules))
def test_large_weights_are_counted_exactly(rules: StvRules, scale: int) -> None:
    """C is excluded and B overtakes A: 5 × scale against 4 × scale."""
    result = count_stv(parse_blt(_blt(scale), source="big.blt"), seats=1, rules=rules)
    assert result.elected == ("B",)
    first = dict(result.rounds[0].tally)
    assert first == {"A": 4 * scale, "B": 3 * scale, "C": 2 * scale}
    assert dict(result.rounds[-1].tally)["B"] == 5 * scale
    for stage in result.rounds:
        assert all(v >= 0 for _, v in stage.tally)
        held = sum((Decimal(v) for _, v in stage.tally), Decimal(0))
        exhausted = Decimal(stage.inactive_of(InactiveReason.EXHAUSTED))
        assert held + exhausted + Decimal(stage.rounding_loss) == 9 * scale


def test_meek_near_ten_to_the_ten_ballots_is_exact() -> None:
    """The issue: Meek's tallies went negative at a total weight near 10**10."""
    profile = parse_blt(_blt(3 * 10**9), source="big.blt")  # 2.7 × 10**10 in all
    result = count_stv(profile, seats=1, rules=StvRules.MEEK)
    assert result.elected == ("B",)
    assert result.quota == Decimal("13500000000.000000001")


@pytest.mark.parametrize("rules", list(StvRules))
def test_stv_counts_a_profile_past_int64_made_in_code(rules: StvRules) -> None:
    """Counts of 2**63 and more (a profile made in code, no reader's limit) are exact."""
    a, b = CandidateId("A"), CandidateId("B")
    profile = Profile(
        candidates=(Candidate(id=a, name="A"), Candidate(id=b, name="B")),
        ballots=(
            Ballot(ranking=(frozenset({a}),), count=2**64),
            Ballot(ranking=(frozenset({b}),), count=2**64 + 1),
        ),
    )
    result = count_stv(profile, seats=1, rules=rules)
    assert result.elected == ("B",)
    assert dict(result.rounds[0].tally) == {"A": 2**64, "B": 2**64 + 1}


def test_a_weight_of_two_to_the_63_is_a_located_error() -> None:
    """It was an OverflowError traceback from ballots/matrix.py."""
    lines = ["2 1", "1 1 0", f"{2**63} 2 0", "0", '"A"', '"B"']
    with pytest.raises(BallotFormatError, match=r"big\.blt, line 3: .*9,223,372,036,854,775,807"):
        parse_blt(lines, source="big.blt")


def test_weights_adding_up_past_the_limit_are_a_located_error(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(f"count,rank1\n{2**62},A\n{2**62},B\n", encoding="utf-8")
    with pytest.raises(BallotFormatError, match=r"line 3, ballot 2: .* add up to"):
        read_ballots(path, format=BallotFormat.CSV)


def test_irv_and_plurality_count_up_to_the_limit_exactly() -> None:
    lines = ["2 1", f"{MAX_BALLOTS // 2 + 1} 1 0", f"{MAX_BALLOTS // 2} 2 0", "0", '"A"', '"B"']
    profile = parse_blt(lines, source="max.blt")
    irv = count_irv(profile)
    assert dict(irv.rounds[0].tally) == {"A": MAX_BALLOTS // 2 + 1, "B": MAX_BALLOTS // 2}
    assert irv.valid == MAX_BALLOTS
    assert irv.elected == ("A",)
    assert count_plurality(profile).elected == ("A",)


def test_irv_refuses_a_profile_past_the_limit_naming_it() -> None:
    a, b = CandidateId("A"), CandidateId("B")
    profile = Profile(
        candidates=(Candidate(id=a, name="A"), Candidate(id=b, name="B")),
        ballots=(
            Ballot(ranking=(frozenset({a}),), count=2**62),
            Ballot(ranking=(frozenset({b}),), count=2**62),
        ),
    )
    with pytest.raises(InputError, match="more than the 9,223,372,036,854,775,807 ballots"):
        count_irv(profile)
