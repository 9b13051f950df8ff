"""A rulebook's points per district counts as ``mandate count --district-points`` does.

The rulebook path is the one a contest takes: the rulebook's ballot becomes the stored count
spec (``spec_to_json``), which is read back as the counting engine's spec
(``spec_from_json``). Counted on the same ballots, it must give what the command line gives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mandate.ballots.formats.sectioned_csv import read_sectioned_csv
from mandate.cli.app import app
from mandate.counting.report import result_to_json
from mandate.counting.sectioned import count_sections
from mandate.rules import load_rulebook
from mandate.service.contests import spec_to_json
from mandate.service.results import spec_from_json

runner = CliRunner()

RULEBOOK = (
    Path(__file__).resolve().parents[1] / "support" / "rulebooks" / "points-per-district.toml"
)

RIDINGS = {
    # 1,000 marked ballots: worth the full 100 points
    "east": "count,rank1,rank2\n520,Ann,Bob\n300,Bob,Ann\n180,Cy,Bob\n",
    # 60 marked ballots (and 5 blank): worth 60 points under a minimum of 100
    "west": "count,rank1,rank2\n10,Ann,Cy\n20,Bob,Ann\n30,Cy,Bob\n5,,\n",
    # 400 marked ballots: the full 100
    "north": "count,rank1,rank2\n90,Ann,Cy\n150,Bob,Cy\n160,Cy,Ann\n",
}


@pytest.fixture
def by_column(tmp_path: Path) -> Path:
    """Every riding's ballots in one CSV with a riding column."""
    rows = [f"{riding},{row}" for riding, text in RIDINGS.items() for row in text.splitlines()[1:]]
    path = tmp_path / "ridings.csv"
    path.write_text("riding,count,rank1,rank2\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def by_file(tmp_path: Path) -> list[str]:
    """Each riding's ballots in a file of its own: ``--section`` arguments."""
    args: list[str] = []
    for riding, text in RIDINGS.items():
        path = tmp_path / f"{riding}.csv"
        path.write_text(text, encoding="utf-8")
        args += ["--section", f"{riding}={path}"]
    return args


def _rulebook_count(ballots: Path) -> dict[str, Any]:
    """Count through the rulebook path, as a contest stores and reads its spec."""
    ballot = load_rulebook(RULEBOOK).ballot
    stored = json.loads(json.dumps(spec_to_json(ballot, seed="cpc-test")))
    spec = spec_from_json(stored)
    outcome = count_sections(read_sectioned_csv(ballots, column="riding"), spec)
    data = result_to_json(outcome.pooled)
    data["by_section"] = [
        {"section": name, "result": result_to_json(result)} for name, result in outcome.sections
    ]
    return data


CLI_OPTIONS = [
    "--method",
    "college",
    "--district-points",
    "100",
    "--full-points-minimum",
    "100",
    "--tiebreak",
    "previous-round",
    "--seed",
    "cpc-test",
    "--json",
]


def test_the_rulebook_counts_as_the_cli_with_a_section_column(by_column: Path) -> None:
    result = runner.invoke(
        app, ["count", str(by_column), "--section-column", "riding", *CLI_OPTIONS]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == _rulebook_count(by_column)


def test_the_rulebook_counts_as_the_cli_with_a_file_a_riding(
    by_column: Path, by_file: list[str]
) -> None:
    result = runner.invoke(app, ["count", *by_file, *CLI_OPTIONS])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == _rulebook_count(by_column)


def test_the_rulebook_count_gives_each_riding_its_points(by_column: Path) -> None:
    data = _rulebook_count(by_column)
    assert data["rules"] == "points-per-district"
    first = {s["section"]: s for s in data["rounds"][0]["sections"]}
    assert {name: s["weight"] for name, s in first.items()} == {
        "east": "100",
        "west": "60",
        "north": "100",
    }
    # Ann 52 + 10 + 22.5, Bob 30 + 20 + 37.5, Cy 18 + 30 + 40 of 260 points
    assert data["rounds"][0]["tally"] == {"Ann": "84.5", "Bob": "87.5", "Cy": "88"}
    assert data["rounds"][0]["threshold"] == "130"
    assert data["rounds"][0]["eliminated"] == []
    assert data["rounds"][1]["eliminated"] == ["Ann"]
    assert data["elected"] == ["Bob"]


def test_rules_explain_shows_the_points_per_district() -> None:
    result = runner.invoke(app, ["rules", "explain", str(RULEBOOK)])
    assert result.exit_code == 0, result.output
    assert "points per district: every district is worth 100 points" in result.output
    assert "fewer than 100 marked ballots is worth 100 × its marked ballots / 100" in result.output
