"""``mandate count`` in-process through Typer's CliRunner."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import app, exit_code_for
from mandate.errors import (
    BallotFormatError,
    CountingError,
    NoValidVoteError,
    UnknownCandidateError,
    UnresolvedTieError,
)

runner = CliRunner()

BALLOTS = "count,rank1,rank2\n5,Ann,\n4,Bob,\n2,Cy,Bob\n1,Di,Cy\n"


@pytest.fixture
def ballots_file(tmp_path: Path) -> Path:
    path = tmp_path / "ballots.csv"
    path.write_text(BALLOTS, encoding="utf-8")
    return path


def test_text_output_by_default(ballots_file: Path) -> None:
    result = runner.invoke(app, ["count", str(ballots_file)])
    assert result.exit_code == 0, result.output
    assert "IRV count, 1 seat" in result.output
    assert "Round 1    threshold 7" in result.output
    assert "Elected: Bob" in result.output


def test_json_output_follows_the_schema(ballots_file: Path) -> None:
    result = runner.invoke(app, ["count", str(ballots_file), "--json"])
    data = json.loads(result.output)
    assert data["elected"] == ["Bob"]
    assert [r["eliminated"] for r in data["rounds"]] == [[], ["Di"], ["Cy"]]


def test_chart_is_written(ballots_file: Path, tmp_path: Path) -> None:
    chart = tmp_path / "flows.svg"
    result = runner.invoke(app, ["count", str(ballots_file), "--chart", str(chart)])
    assert result.exit_code == 0, result.output
    assert chart.read_text(encoding="utf-8").startswith("<svg")


def test_irv_options_reach_the_count(ballots_file: Path) -> None:
    result = runner.invoke(
        app,
        [
            "count",
            str(ballots_file),
            "--json",
            "--overvote",
            "skip",
            "--max-skipped",
            "0",
            "--max-rankings",
            "1",
            "--duplicates",
            "exhaust",
            "--batch-elimination",
            "--continue-until-two",
            "--tiebreak",
            "random",
            "--seed",
            "s",
            "--exclude",
            "Di",
            "--exclude",
            "Cy",
            "--undeclared-write-in",
            "Bob",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["options"] == {
        "overvote": "skip",
        "max-skipped": "0",
        "max-rankings": "1",
        "duplicates": "exhaust",
        "batch-elimination": "yes",
        "continue-until-two": "yes",
        "tiebreak": "random",
        "seed": "s",
        "exclude": "Cy, Di",
        "undeclared-write-in": "Bob",
    }
    assert data["elected"] == ["Ann"]


def test_plurality_and_approval_methods(ballots_file: Path) -> None:
    plurality = runner.invoke(app, ["count", str(ballots_file), "--method", "plurality", "--json"])
    assert json.loads(plurality.output)["elected"] == ["Ann"]
    approval = runner.invoke(
        app, ["count", str(ballots_file), "--method", "approval", "--seats", "2", "--json"]
    )
    assert json.loads(approval.output)["elected"] == ["Bob", "Ann"]


def test_candidates_file_sets_the_order_and_refuses_others(
    ballots_file: Path, tmp_path: Path
) -> None:
    names = tmp_path / "candidates.txt"
    names.write_text("Di\nCy\nBob\nAnn\n", encoding="utf-8")
    result = runner.invoke(app, ["count", str(ballots_file), "--candidates", str(names), "--json"])
    assert [c["name"] for c in json.loads(result.output)["candidates"]] == [
        "Di",
        "Cy",
        "Bob",
        "Ann",
    ]
    names.write_text("Ann\nBob\nCy\n", encoding="utf-8")
    refused = runner.invoke(app, ["count", str(ballots_file), "--candidates", str(names)])
    assert isinstance(refused.exception, UnknownCandidateError)
    assert "line 5, ballot 4" in str(refused.exception)


def test_stv_counts_a_blt_file_with_its_seats(shared_data: Path) -> None:
    path = shared_data / "stv-reference" / "42.blt"
    result = runner.invoke(
        app, ["count", str(path), "--method", "stv", "--rules", "meek", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["method"], data["rules"]) == ("stv", "meek")
    assert len(data["elected"]) == data["seats"] > 1


def test_format_can_be_forced(tmp_path: Path) -> None:
    path = tmp_path / "ballots.txt"
    path.write_text(BALLOTS, encoding="utf-8")
    assert runner.invoke(app, ["count", str(path), "--format", "csv"]).exit_code == 0


def test_bad_limits_are_usage_errors(ballots_file: Path) -> None:
    result = runner.invoke(app, ["count", str(ballots_file), "--max-skipped", "lots"])
    assert result.exit_code == 2
    assert "unlimited" in result.output


def test_rules_only_apply_to_stv(ballots_file: Path) -> None:
    result = runner.invoke(app, ["count", str(ballots_file), "--rules", "meek"])
    assert result.exit_code == 2


def test_a_cut_off_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text("count,rank1,rank2\n5,Ann,Bob\n2,Bo", encoding="utf-8")
    result = runner.invoke(app, ["count", str(path)])
    assert isinstance(result.exception, BallotFormatError)
    assert "cut.csv, line 3" in str(result.exception)


def test_a_tie_for_the_lot_asks_the_officer_when_interactive(tmp_path: Path) -> None:
    path = tmp_path / "tie.csv"
    path.write_text("rank1\nAnn\nAnn\nBob\nCy\n", encoding="utf-8")
    result = runner.invoke(app, ["count", str(path), "--tiebreak", "lot"])
    # CliRunner's input is not a terminal: the tie is reported, not asked
    assert isinstance(result.exception, UnresolvedTieError)


def test_errors_exit_with_the_documented_code(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("count,rank1\nx,Ann\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mandate", "count", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3
    assert "bad.csv, line 2, ballot 1: count must be a whole number" in done.stderr


def test_large_files_are_read_behind_a_progress_bar(
    ballots_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mandate.cli.count as count_module

    monkeypatch.setattr(count_module, "LARGE_FILE", 0)
    result = runner.invoke(app, ["count", str(ballots_file), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["elected"] == ["Bob"]


def test_the_officer_enters_the_order_drawn_by_lot(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mandate.cli.count as count_module

    monkeypatch.setattr(count_module, "_interactive", lambda: True)
    path = tmp_path / "tie.csv"
    path.write_text("rank1\nAnn\nAnn\nBob\nCy\n", encoding="utf-8")
    result = runner.invoke(
        app, ["count", str(path), "--tiebreak", "lot", "--json"], input="Ann, Cy, Bob\n"
    )
    assert result.exit_code == 0, result.output
    assert "must be settled by lot" in result.output
    data = json.loads(result.output[result.output.index("{") :])
    (tie,) = data["rounds"][1]["tiebreaks"]
    assert (tie["tied"], tie["chosen"], tie["method"]) == (["Bob", "Cy"], "Bob", "lot")
    assert data["options"]["lot"] == "Ann, Cy, Bob"


def test_previous_round_asks_for_the_lot_when_no_round_decides(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import mandate.cli.count as count_module

    monkeypatch.setattr(count_module, "_interactive", lambda: True)
    path = tmp_path / "tie.csv"
    path.write_text("rank1\nAnn\nAnn\nBob\nCy\n", encoding="utf-8")
    result = runner.invoke(app, ["count", str(path), "--json"], input="Bob, Cy, Ann\n")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{") :])
    (tie,) = data["rounds"][1]["tiebreaks"]
    assert (tie["chosen"], tie["method"]) == ("Cy", "previous-round, then lot")


def test_count_refuses_a_file_with_no_valid_vote(tmp_path: Path) -> None:
    """Issue 10, item 4: it drew a lot among all candidates and elected one with 0 votes."""
    path = tmp_path / "empty.blt"
    path.write_text('3 1\n0\n"A"\n"B"\n"C"\n"t"\n', encoding="utf-8")
    result = runner.invoke(app, ["count", str(path), "--tiebreak", "random", "--seed", "s"])
    assert isinstance(result.exception, NoValidVoteError)
    assert exit_code_for(result.exception) == 8
    assert "no valid vote" in str(result.exception)
    assert "Elected" not in result.output


def test_count_refuses_more_seats_than_candidates(tmp_path: Path) -> None:
    """Issue 10, item 4: --seats 5 on 3 candidates elected the 3 and said nothing."""
    path = tmp_path / "three.blt"
    path.write_text('3 2\n4 1 2 0\n2 3 0\n0\n"A"\n"B"\n"C"\n"t"\n', encoding="utf-8")
    result = runner.invoke(
        app, ["count", str(path), "--method", "stv", "--rules", "ers97", "--seats", "5"]
    )
    assert isinstance(result.exception, CountingError)
    assert exit_code_for(result.exception) == 8
    assert "5 seats but only 3 candidates standing" in str(result.exception)
    assert "Elected" not in result.output


DROOP_BLT = """3 2
[nick a b c]
[withdrawn c]
[tie c b a]
5 a b 0
1 b=c 0
3 c a 0
0
"Ann"
"Bob"
"Cy"
"Club"
"Source: the club's returning officer"
Quota 3.00
"""


def test_count_reads_droop_options_and_a_note_and_says_so(tmp_path: Path) -> None:
    """Issue 10, item 5: Droop's options and text after the title were refused ("is the file
    cut off mid-line?"); now they are read and the report says what was read."""
    path = tmp_path / "club.blt"
    path.write_text(DROOP_BLT, encoding="utf-8")
    text = runner.invoke(app, ["count", str(path), "--method", "stv", "--rules", "scottish"])
    assert text.exit_code == 0, text.output
    assert text.output.startswith(f"Read from {path} besides the ballots:\n")
    assert "  line 3: withdrawn before the count: Cy\n" in text.output
    assert "  lines 13-14: text after the title, kept as a note\n" in text.output
    assert "Elected: Ann, Bob" in text.output
    done = runner.invoke(app, ["count", str(path), "--method", "stv", "--rules", "meek", "--json"])
    assert done.exit_code == 0, done.output
    data = json.loads(done.output)
    assert data["ballot_file"] == {
        "file": str(path),
        "remarks": [
            "line 2: [nick] nicknames used on the ballot lines: a = Ann, b = Bob, c = Cy",
            "line 3: withdrawn before the count: Cy",
            "line 4: [tie] order for ties the rules leave to lot (STV), the earliest of the "
            "tied chosen: Cy, Bob, Ann",
            "lines 13-14: text after the title, kept as a note",
        ],
        "withdrawn": ["Cy"],
        "tie_order": ["Cy", "Bob", "Ann"],
        "note": '"Source: the club\'s returning officer"\nQuota 3.00',
    }
    assert "Cy" not in data["elected"]
