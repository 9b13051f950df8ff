"""Golden STV counts: hand-made cases under every rule, compared stage by stage.

Each folder in ``tests/golden/counting/stv-*`` holds ``ballots.blt``, ``case.toml`` (seats,
rules, seed and the hand count that the ERS97 figures were checked against) and one
``expected-<rules>.json`` a rule. Set ``MANDATE_REGEN_GOLDEN=1`` to rewrite the expected
files after a deliberate change, then review the diff.
"""

from __future__ import annotations

import json
import os
import tomllib
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from mandate.ballots.formats.blt import read_blt
from mandate.counting.model import CountResult, InactiveReason, format_votes
from mandate.counting.stv import StvRules, count_stv

GOLDEN = Path(__file__).resolve().parents[2] / "golden" / "counting"
CASES = sorted(p for p in GOLDEN.glob("stv-*") if p.is_dir())


def _case(folder: Path) -> dict[str, Any]:
    return tomllib.loads((folder / "case.toml").read_text(encoding="utf-8"))


def _report(result: CountResult) -> dict[str, Any]:
    """A plain, stable round-by-round rendering of a result for golden files."""
    return {
        "elected": list(result.elected),
        "quota": format_votes(result.quota) if result.quota is not None else None,
        "rounds": [
            {
                "number": r.number,
                "note": r.note,
                "threshold": format_votes(r.threshold) if r.threshold is not None else None,
                "tally": {str(c): format_votes(v) for c, v in r.tally},
                "exhausted": format_votes(r.inactive_of(InactiveReason.EXHAUSTED)),
                "rounding_loss": format_votes(r.rounding_loss),
                "elected": list(r.elected),
                "eliminated": list(r.eliminated),
                "transfers": [[t.source, t.target, format_votes(t.value)] for t in r.transfers],
            }
            for r in result.rounds
        ],
    }


PARAMS = [(folder, rules) for folder in CASES for rules in _case(folder)["rules"]]


@pytest.mark.parametrize(("folder", "rules"), PARAMS, ids=[f"{f.name}-{r}" for f, r in PARAMS])
def test_golden_case_matches_round_by_round(folder: Path, rules: str) -> None:
    case = _case(folder)
    result = count_stv(
        read_blt(folder / "ballots.blt"),
        seats=case["seats"],
        rules=StvRules(rules),
        seed=case["seed"],
    )
    expected_path = folder / f"expected-{rules}.json"
    report = _report(result)
    if os.environ.get("MANDATE_REGEN_GOLDEN") == "1":
        expected_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    assert report == json.loads(expected_path.read_text(encoding="utf-8"))


def _ers97(name: str) -> CountResult:
    folder = GOLDEN / name
    case = _case(folder)
    return count_stv(
        read_blt(folder / "ballots.blt"), seats=case["seats"], rules=StvRules.ERS97, seed="x"
    )


def _tally(result: CountResult, stage: int) -> dict[str, str]:
    return {str(c): format_votes(v) for c, v in result.rounds[stage - 1].tally}


def test_ers97_deferral_matches_the_hand_count() -> None:
    result = _ers97("stv-ers97-deferral")
    assert result.quota == Decimal("33.34")
    assert [r.elected for r in result.rounds] == [("A",), (), ("C",)]
    assert result.rounds[1].eliminated == ("D",)
    assert "surplus of A" in result.rounds[2].note
    assert _tally(result, 3) == {"A": "33.34", "B": "32.80", "C": "33.60"}
    assert result.rounds[2].rounding_loss == Decimal("0.26")


def test_ers97_last_batch_matches_the_hand_count() -> None:
    result = _ers97("stv-last-batch")
    assert result.elected == ("A", "B", "C")
    assert [r.threshold for r in result.rounds] == [
        Decimal("25.00"),
        Decimal("23.75"),
        Decimal("23.75"),
        Decimal("23.75"),
    ]
    assert _tally(result, 3)["B"] == "32.00"
    assert result.rounds[2].inactive_of(InactiveReason.EXHAUSTED) == Decimal("5.25")
    assert _tally(result, 4) == {"A": "23.75", "B": "23.75", "C": "29.20", "D": "18.00"}
    assert result.rounds[3].rounding_loss == Decimal("0.05")


def test_inclusive_rules_pass_on_the_first_batch_too() -> None:
    folder = GOLDEN / "stv-last-batch"
    result = count_stv(read_blt(folder / "ballots.blt"), seats=3, rules=StvRules.SCOTTISH)
    gained = {t.target for r in result.rounds if "surplus" in r.note for t in r.transfers}
    assert "D" in gained


def test_ers97_group_exclusion_matches_the_hand_count() -> None:
    result = _ers97("stv-group-exclusion")
    assert result.rounds[1].eliminated == ("C", "D", "E")
    assert _tally(result, 2) == {"A": "48.00", "B": "52.00"}
    assert result.elected == ("B",)
    assert len(result.rounds) == 2


def test_ers97_model_election_opening_matches_the_published_figures() -> None:
    result = _ers97("stv-ers97-model-opening")
    assert result.quota == Decimal("107.58")
    first, second = result.rounds[0], result.rounds[1]
    assert first.elected == ("Smith",)
    assert second.note.startswith("surplus of Smith (26.42)")
    assert "123 transferable at 0.21" in second.note
    assert second.rounding_loss == Decimal("0.59")  # the non-transferable difference
    assert second.votes_of("Smith") == Decimal("107.58")
    assert sum((t.value for t in second.transfers if t.target is not None), Decimal(0)) == Decimal(
        "25.83"
    )
