"""``mandate rules check|explain|whatif`` in-process, in text and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import app
from mandate.errors import EventsError, NotFoundError

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EVENTS_2016 = str(EXAMPLES / "labour-2016" / "events.toml")

runner = CliRunner()


@pytest.mark.parametrize("name", ["labour-2016", "labour-2021", "conservative-1922", "society"])
def test_check_accepts_every_shipped_rulebook(name: str) -> None:
    result = runner.invoke(app, ["rules", "check", name, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["valid"] is True
    assert data["rulebook"] == name


def test_check_of_a_bad_rulebook_exits_3_naming_file_line_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('format_version = 1\nid = "x"\nwibble = 3\n', encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(bad), "--json"])
    assert result.exit_code == 3
    error = json.loads(result.output)["error"]
    assert error["path"] == str(bad)
    assert error["line"] == 3
    assert error["message"].startswith("unknown key 'wibble' (expected one of: format_version")
    text = runner.invoke(app, ["rules", "check", str(bad)])
    assert text.exit_code == 3
    assert f"{bad}, line 3, key wibble: unknown key 'wibble'" in text.output


def test_check_of_a_path_reads_the_file(tmp_path: Path) -> None:
    source = Path(__file__).resolve().parents[2] / "src/mandate/rules/shipped/society.toml"
    copy = tmp_path / "club.toml"
    copy.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["rules", "check", str(copy)])
    assert result.exit_code == 0
    assert result.output.startswith("society: valid (format_version 1)")


def test_explain_with_events_shows_the_arithmetic() -> None:
    result = runner.invoke(app, ["rules", "explain", "labour-2016", "--events", EVENTS_2016])
    assert result.exit_code == 0, result.output
    assert "20% of 251 MPs and MEPs at the close of nominations (20 July 2016) = 50.2" in (
        result.output
    )
    assert "40 of the 229 MPs (17.5%) backed Jeremy Corbyn" in result.output


def test_explain_on_a_date_applies_the_voter_tests_then() -> None:
    result = runner.invoke(app, ["rules", "explain", "labour-2021", "--on", "2024-05-01", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["evaluation"] is None
    sections = {s["title"]: s for s in data["sections"]}
    voters = sections["Who may vote on 1 May 2024"]["items"]
    assert voters[0]["arithmetic"][0] == (
        "6 months' membership on 1 May 2024: joined on or before 1 November 2023"
    )


def test_explain_with_a_param_reading() -> None:
    result = runner.invoke(
        app,
        [
            "rules",
            "explain",
            "labour-2016",
            "--events",
            EVENTS_2016,
            "--param",
            "denominator_date=motion_date",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "= 49.8, rounded up (ceil) = 50" in result.output


def test_whatif_text_shows_both_thresholds_side_by_side() -> None:
    result = runner.invoke(app, ["rules", "whatif", "labour-2016", "--events", EVENTS_2016])
    assert result.exit_code == 0, result.output
    assert "defaults                      →  51" in result.output
    assert "denominator_date=motion_date  →  50" in result.output
    assert "nominations: 40 MPs < 51, short by 11" in result.output


def test_whatif_json_lists_readings_and_differences() -> None:
    result = runner.invoke(
        app, ["rules", "whatif", "labour-2016", "--events", EVENTS_2016, "--cross", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mode"] == "cross"
    assert len(data["readings"]) == 24
    keys = {d["key"] for d in data["differences"]}
    assert keys == {"threshold:challenge_nomination", "standing:Jeremy Corbyn", "ballot"}


def test_whatif_with_missing_events_file_is_an_events_error(tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["rules", "whatif", "labour-2016", "--events", str(tmp_path / "none.toml")]
    )
    assert isinstance(result.exception, EventsError)


def test_unknown_rulebook_is_not_found() -> None:
    result = runner.invoke(app, ["rules", "explain", "labour-1906"])
    assert isinstance(result.exception, NotFoundError)


def test_explain_json_with_events_carries_the_typed_answers() -> None:
    result = runner.invoke(
        app, ["rules", "explain", "labour-2016", "--events", EVENTS_2016, "--json"]
    )
    assert result.exit_code == 0, result.output
    answers = {a["key"]: a for a in json.loads(result.output)["evaluation"]["answers"]}
    motion = answers["motion:plp_no_confidence:2016-06-28"]
    assert (motion["carried"], motion["valid"], motion["backing_leader"]) == (True, 212, 40)
    assert motion["effect"] == "none"
    threshold = answers["threshold:challenge_nomination"]
    assert (threshold["threshold"], threshold["exact"], threshold["body_size"]) == (
        51,
        "251/5",
        251,
    )
    assert answers["ballot"]["candidates"] == ["Jeremy Corbyn", "Owen Smith"]
