"""Real elections with published results, reproduced by ``mandate count`` (see
../shared/data/README.md for each source).

- RCTab's five NIST CDF test sets (BrightSpots/rcv test data): every round's tallies,
  threshold, inactive ballots by reason, and who was eliminated and elected, counted with the
  ``mandate count`` options equivalent to each ``*_config.json``.
- Burlington, Vermont, mayor 2009 (PrefLib 00005-00000002): round 1 and the winner exactly.
- UK Labour leadership 2010, the MPs' and MEPs' section (PrefLib 00030-00000001).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mandate.ballots.formats import read_ballots
from mandate.cli.app import app
from mandate.counting.irv import IrvOptions, Overvote, count_irv

RCTAB_SETS = [
    "test_set_0_skipped_first_choice",
    "test_set_1_exhaust_at_overvote",
    "test_set_2_overvote_skip_to_next",
    "test_set_3_skipped_choice_exhaust",
    "test_set_4_skipped_choice_next",
]

OVERVOTE_RULES = {
    "exhaustImmediately": "exhaust",
    "alwaysSkipToNextRank": "skip",
    "exhaustIfMultipleContinuing": "exhaust-if-multiple",
}
TIEBREAK_MODES = {
    "random": "random",
    "useCandidateOrder": "candidate-order",
    "previousRoundCountsThenRandom": "previous-round",
}
INACTIVE_KEYS = {
    "exhaustedChoices": "exhausted",
    "overvotes": "overvote",
    "skippedRankings": "skipped",
    "repeatedRankings": "duplicate",
}


def flags_for(config: dict[str, Any]) -> list[str]:
    """The ``mandate count`` options equivalent to an RCTab contest configuration."""
    rules = config["rules"]
    assert rules["winnerElectionMode"] == "singleWinnerMajority"
    args = [
        "--overvote",
        OVERVOTE_RULES[rules["overvoteRule"]],
        "--max-skipped",
        rules["maxSkippedRanksAllowed"] or "unlimited",
        "--max-rankings",
        rules["maxRankingsAllowed"] or "unlimited",
        "--duplicates",
        "exhaust" if rules["exhaustOnDuplicateCandidate"] else "skip",
        "--tiebreak",
        TIEBREAK_MODES[rules["tiebreakMode"]],
    ]
    if rules.get("randomSeed"):
        args += ["--seed", rules["randomSeed"]]
    if rules["batchElimination"]:
        args.append("--batch-elimination")
    if rules["continueUntilTwoCandidatesRemain"]:
        args.append("--continue-until-two")
    for candidate in config["candidates"]:
        if candidate.get("excluded"):
            args += ["--exclude", candidate["name"]]
    return args


@pytest.mark.parametrize("name", RCTAB_SETS)
def test_rctab_test_set_every_round(shared_data: Path, name: str) -> None:
    folder = shared_data / "rctab" / name
    config = json.loads((folder / f"{name}_config.json").read_text(encoding="utf-8"))
    expected = json.loads(
        (folder / f"{name}_expected_detailed_report.json").read_text(encoding="utf-8")
    )
    outcome = CliRunner().invoke(
        app, ["count", str(folder / f"{name}_cvr.json"), "--json", *flags_for(config)]
    )
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(outcome.output)
    rounds = expected["results"]
    assert len(result["rounds"]) == len(rounds)
    for ours, theirs in zip(result["rounds"], rounds, strict=True):
        assert ours["tally"] == theirs["tally"], f"round {theirs['round']}"
        assert ours["threshold"] == theirs["threshold"]
        assert ours["inactive"] == {
            INACTIVE_KEYS[k]: v for k, v in theirs["inactiveBallots"].items()
        }
    # RCTab lists after each round who is eliminated (or elected) from it; we record an
    # elimination in the round whose tallies it produced
    for i, theirs in enumerate(rounds):
        for action in theirs["tallyResults"]:
            if "eliminated" in action:
                assert action["eliminated"] in result["rounds"][i + 1]["eliminated"]
            if "elected" in action:
                assert action["elected"] in result["rounds"][i]["elected"]
    assert result["threshold"] == expected["summary"]["finalThreshold"]
    assert result["undervotes"] == expected["summary"]["undervotes"]


def test_burlington_2009_round_one_and_winner(shared_data: Path) -> None:
    """Official: round 1 Wright 2,951, Kiss 2,585, Montroll 2,063, Smith 1,306; Kiss elected.

    Rule applied to the few ballots PrefLib kept with equal rankings (written ``{5,6}``):
    ``exhaust-if-multiple`` — an equal ranking counts for the one continuing candidate in it,
    and makes the ballot inactive while two or more of them continue. With it the final round
    is Kiss 4,313, Wright 4,061, as declared.
    """
    profile = read_ballots(shared_data / "preflib" / "burlington-2009-mayor.toi")
    result = count_irv(profile, IrvOptions(overvote=Overvote.EXHAUST_IF_MULTIPLE))
    first = dict(result.rounds[0].tally)
    assert (first["Kurt Wright"], first["Bob Kiss"]) == (2951, 2585)
    assert (first["Andy Montroll"], first["Dan Smith"]) == (2063, 1306)
    assert result.elected == ("Bob Kiss",)
    assert dict(result.rounds[-1].tally) == {"Bob Kiss": 4313, "Kurt Wright": 4061}


def test_uk_labour_2010_mps_section(shared_data: Path) -> None:
    """Round 1 D. Miliband 111, E. Miliband 84; final round 140–122 (Labour's published
    preference flow for MPs and MEPs)."""
    outcome = CliRunner().invoke(
        app, ["count", str(shared_data / "preflib" / "uk-labour-2010-mps.soi"), "--json"]
    )
    assert outcome.exit_code == 0, outcome.output
    result = json.loads(outcome.output)
    first, final = result["rounds"][0]["tally"], result["rounds"][-1]["tally"]
    assert (first["D.Milbnd"], first["E.Milbnd"]) == ("111", "84")
    assert final == {"D.Milbnd": "140", "E.Milbnd": "122"}
    assert result["elected"] == ["D.Milbnd"]
