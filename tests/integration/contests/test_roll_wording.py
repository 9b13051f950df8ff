"""The roll commands name classes as the rulebook does, and count in words (issue 10,
item 17)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import app
from tests.integration.contests.test_cli_contest import officer_environment

ROLL = """member_id,voter_class,joined
M1,member,2015-01-01
M2,member,2016-08-01
S1,registered_supporter,2016-07-19
"""


def test_roll_import_and_report_name_the_classes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer_environment(monkeypatch, tmp_path)  # the key and secret a script gives
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    roll = tmp_path / "roll.csv"
    roll.write_text(ROLL, encoding="utf-8")
    created = runner.invoke(app, ["contest", "create", "c", "--rulebook", "labour-2016", *data])
    assert created.exit_code == 0, created.output
    imported = runner.invoke(app, ["roll", "import", "c", str(roll), "--on", "2016-08-08", *data])
    assert imported.exit_code == 0, imported.output
    assert "Roll: 2 electors of 3 entries" in imported.output
    assert "Registered supporters" in imported.output
    assert "registered_supporter" not in imported.output
    reported = runner.invoke(app, ["roll", "report", "c", *data])
    assert reported.exit_code == 0, reported.output
    rows = list(csv.DictReader(io.StringIO(reported.output)))
    assert [(r["member_id"], r["voter_class"], r["voter_class_title"]) for r in rows] == [
        ("M2", "member", "Members")
    ]
    assert list(rows[0])[:4] == ["member_id", "voter_class", "reason", "clause"]


def test_contest_show_names_classes_and_says_what_turnout_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    officer_environment(monkeypatch, tmp_path)  # the key and secret a script gives
    runner = CliRunner()
    data = ["--data-dir", str(tmp_path / "data")]
    roll = tmp_path / "roll.csv"
    roll.write_text(ROLL, encoding="utf-8")
    for args in (
        ["contest", "create", "c", "--rulebook", "labour-2016"],
        ["roll", "import", "c", str(roll), "--on", "2016-08-08"],
    ):
        done = runner.invoke(app, [*args, *data])
        assert done.exit_code == 0, done.output
    shown = runner.invoke(app, ["contest", "show", "c", *data], terminal_width=200)
    assert shown.exit_code == 0, shown.output
    assert "Turnout (online)" not in shown.output
    assert "postal envelope" in shown.output
    assert "Registered supporters" in shown.output
    assert "All classes" in shown.output
