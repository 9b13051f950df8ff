"""`mandate count` on BLT files with every STV rule, end to end through the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import app
from mandate.errors import BallotFormatError

runner = CliRunner()


def test_count_glasgow_ward_by_scottish_rules_as_json(shared_data: Path) -> None:
    ward = shared_data / "glasgow-2007" / "Pollokshields-2007.blt"
    result = runner.invoke(
        app, ["count", str(ward), "--method", "stv", "--rules", "scottish", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["elected"] == ["Irfan Rabbani", "Khalil Malik", "David Meikle"]
    assert data["quota"] == "2392.00000"
    assert data["rounds"][0]["tally"]["Irfan Rabbani"].endswith(".00000")


@pytest.mark.parametrize("rules", ["ers97", "scottish", "meek", "wigm"])
def test_count_reference_election_with_each_rule(shared_data: Path, rules: str) -> None:
    path = shared_data / "stv-reference" / "513.blt"
    result = runner.invoke(app, ["count", str(path), "--method", "stv", "--rules", rules])
    assert result.exit_code == 0, result.output
    assert "Elected: Castor, Helen" in result.output


def test_count_a_cut_off_blt_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.blt"
    path.write_text("3 1\n2 1 2 0\n1 2 3", encoding="utf-8")
    result = runner.invoke(app, ["count", str(path), "--method", "stv", "--rules", "ers97"])
    assert isinstance(result.exception, BallotFormatError)
    assert result.exception.path == str(path)
    assert result.exception.line == 3
    assert "cut off" in str(result.exception)
