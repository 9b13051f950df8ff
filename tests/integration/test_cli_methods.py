"""``mandate count`` with sections, the electoral college and the exhaustive ballot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mandate.cli.app import app
from mandate.errors import BallotFormatError, InputError, InvalidBallotError

runner = CliRunner()

BY_SECTION = (
    "count,section,rank1,rank2\n"
    "6,mps,A,\n3,mps,B,\n1,mps,C,B\n"
    "40,members,A,\n45,members,B,\n15,members,C,A\n"
)


@pytest.fixture
def sectioned(tmp_path: Path) -> Path:
    path = tmp_path / "college.csv"
    path.write_text(BY_SECTION, encoding="utf-8")
    return path


def test_college_with_weights_prints_each_sections_share(sectioned: Path) -> None:
    result = runner.invoke(
        app,
        [
            "count",
            str(sectioned),
            "--method",
            "college",
            "--section-column",
            "section",
            "--weights",
            "mps=1/2,members=1/2",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "COLLEGE count" in result.output
    assert "Section mps (weight 0.5, valid 10):" in result.output
    assert "Elected: A" in result.output


def test_college_json_has_sections_in_each_round_and_each_sections_own_count(
    sectioned: Path,
) -> None:
    result = runner.invoke(
        app,
        [
            "count",
            str(sectioned),
            "--method",
            "college",
            "--section-column",
            "section",
            "--weights",
            "mps=1/3,members=2/3",
            "--json",
        ],
    )
    data = json.loads(result.output)
    assert data["method"] == "college"
    assert data["threshold"] is not None
    first = data["rounds"][0]["sections"]
    assert [s["section"] for s in first] == ["mps", "members"]
    assert first[1]["weight"] == "2/3"
    assert first[0]["tally"] == {"A": "6", "B": "3", "C": "1"}
    assert [s["section"] for s in data["by_section"]] == ["mps", "members"]
    assert data["by_section"][1]["result"]["rounds"][0]["tally"]["B"] == "45"


def test_any_method_reports_the_pooled_count_and_each_section(sectioned: Path) -> None:
    result = runner.invoke(app, ["count", str(sectioned), "--section-column", "section", "--json"])
    data = json.loads(result.output)
    assert data["method"] == "irv"
    assert data["rounds"][0]["tally"] == {"A": "46", "B": "48", "C": "16"}
    sections = {s["section"]: s["result"] for s in data["by_section"]}
    assert sections["mps"]["rounds"][0]["tally"] == {"A": "6", "B": "3", "C": "1"}
    assert sections["members"]["elected"] == ["A"]


def test_points_per_district(tmp_path: Path) -> None:
    path = tmp_path / "ridings.csv"
    path.write_text(
        "riding,count,rank1\neast,250,A\neast,150,B\nwest,10,A\nwest,90,B\n", encoding="utf-8"
    )
    result = runner.invoke(
        app,
        [
            "count",
            str(path),
            "--method",
            "college",
            "--section-column",
            "riding",
            "--district-points",
            "100",
            "--json",
        ],
    )
    data = json.loads(result.output)
    assert data["rules"] == "points-per-district"
    assert data["rounds"][0]["tally"] == {"A": "72.5", "B": "127.5"}
    assert data["elected"] == ["B"]


def test_college_without_sections_is_a_usage_error(sectioned: Path) -> None:
    result = runner.invoke(app, ["count", str(sectioned), "--method", "college"])
    assert result.exit_code == 2
    assert "--section-column" in result.output


def test_bad_weights_are_refused(sectioned: Path) -> None:
    args = ["count", str(sectioned), "--method", "college", "--section-column", "section"]
    result = runner.invoke(app, [*args, "--weights", "mps=half,members=1/2"])
    assert isinstance(result.exception, InputError)
    assert "weight of 'mps'" in str(result.exception)
    result = runner.invoke(app, [*args, "--weights", "mps=1/2"])
    assert isinstance(result.exception, InputError)
    assert "no weight given for section(s) members" in str(result.exception)


def test_a_row_without_a_section_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("section,count,rank1\nmps,1,A\n,2,B\n", encoding="utf-8")
    result = runner.invoke(app, ["count", str(path), "--section-column", "section"])
    assert isinstance(result.exception, BallotFormatError)
    assert "line 3, ballot 2: no section" in str(result.exception)


def test_a_missing_section_column_is_named(sectioned: Path) -> None:
    result = runner.invoke(app, ["count", str(sectioned), "--section-column", "class"])
    assert isinstance(result.exception, BallotFormatError)
    assert "no 'class' column" in str(result.exception)


def test_a_sectioned_file_cut_off_mid_row_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "b.csv"
    path.write_text("section,count,rank1,rank2\nmps,1,A,B\nmps,2", encoding="utf-8")
    result = runner.invoke(app, ["count", str(path), "--section-column", "section"])
    assert isinstance(result.exception, BallotFormatError)
    assert "was it cut off?" in str(result.exception)


def _write_round(folder: Path, number: int, votes: dict[str, int]) -> Path:
    path = folder / f"round{number}.csv"
    rows = "".join(f"{n},{name}\n" for name, n in votes.items())
    path.write_text("count,rank1\n" + rows, encoding="utf-8")
    return path


def test_exhaustive_ballot_from_one_file_a_round(tmp_path: Path) -> None:
    first = _write_round(tmp_path, 1, {"A": 40, "B": 35, "C": 20, "D": 5})
    second = _write_round(tmp_path, 2, {"A": 44, "B": 36, "C": 20})
    result = runner.invoke(
        app,
        [
            "count",
            str(first),
            "--method",
            "exhaustive",
            "--round",
            str(second),
            "--stop-at",
            "2",
            "--no-majority",
            "--first-round-floor",
            "10",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["eliminated"] for r in data["rounds"]] == [["D"], ["C"]]
    assert data["elected"] == ["A", "B"]
    assert data["options"]["rounds"] == "separate ballots"


def test_exhaustive_round_voting_for_an_eliminated_candidate_is_refused(tmp_path: Path) -> None:
    first = _write_round(tmp_path, 1, {"A": 40, "B": 35, "C": 20})
    second = _write_round(tmp_path, 2, {"A": 44, "C": 36})
    result = runner.invoke(
        app, ["count", str(first), "--method", "exhaustive", "--round", str(second)]
    )
    assert isinstance(result.exception, InvalidBallotError)


def test_exhaustive_simulated_from_ranked_ballots(tmp_path: Path) -> None:
    path = tmp_path / "ranked.csv"
    path.write_text("count,rank1,rank2\n4,A,B\n3,B,C\n2,C,B\n1,D,C\n", encoding="utf-8")
    result = runner.invoke(app, ["count", str(path), "--method", "exhaustive", "--json"])
    data = json.loads(result.output)
    assert data["elected"] == ["B"]
    assert data["options"]["rounds"] == "simulated from ranked ballots"


def test_round_needs_the_exhaustive_method(tmp_path: Path) -> None:
    first = _write_round(tmp_path, 1, {"A": 4})
    result = runner.invoke(app, ["count", str(first), "--round", str(first)])
    assert result.exit_code == 2


def test_separate_rounds_with_only_the_first_ballot_counted(tmp_path: Path) -> None:
    first = _write_round(tmp_path, 1, {"A": 40, "B": 35, "C": 20, "D": 5})
    result = runner.invoke(
        app, ["count", str(first), "--method", "exhaustive", "--separate-rounds", "--json"]
    )
    data = json.loads(result.output)
    assert len(data["rounds"]) == 1
    assert data["rounds"][0]["eliminated"] == ["D"]
    assert data["elected"] == []


def test_separate_rounds_are_refused_with_ballots_by_section(tmp_path: Path) -> None:
    path = tmp_path / "sectioned.csv"
    path.write_text("section,rank1\nmps,A\nmembers,B\n", encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "count",
            str(path),
            "--method",
            "exhaustive",
            "--separate-rounds",
            "--section-column",
            "section",
        ],
    )
    assert result.exit_code == 2
    assert "not by section" in result.output


def _as_cdf_report(sectioned: Path, tmp_path: Path) -> Path:
    """The same ballots as a NIST CDF report whose CVRs name their section (BallotStyleId),
    as a college contest publishes them."""
    from mandate.ballots.formats.cdf import iter_cdf
    from mandate.ballots.formats.sectioned_csv import read_sectioned_csv
    from mandate.ballots.model import Ballot, Profile

    sections = read_sectioned_csv(sectioned, column="section")
    ballots, styles = [], []
    for name, profile in sections:
        for ballot in profile.ballots:
            ballots += [Ballot(ranking=ballot.ranking)] * ballot.count
            styles += [name] * ballot.count
    one_a_voter = Profile(candidates=sections.candidates, ballots=tuple(ballots))
    path = tmp_path / "cvr.json"
    path.write_text(
        "".join(iter_cdf(one_a_voter, contest_name="Leader", ballot_styles=styles)),
        encoding="utf-8",
    )
    return path


def test_a_cdf_report_counts_by_section_from_its_ballot_styles(
    sectioned: Path, tmp_path: Path
) -> None:
    report = _as_cdf_report(sectioned, tmp_path)
    college = ["--method", "college", "--weights", "mps=1/2,members=1/2", "--json"]
    from_csv = runner.invoke(
        app, ["count", str(sectioned), "--section-column", "section", *college]
    )
    from_cdf = runner.invoke(
        app, ["count", str(report), "--section-column", "BallotStyleId", *college]
    )
    assert from_cdf.exit_code == 0, from_cdf.output
    assert json.loads(from_cdf.output) == json.loads(from_csv.output)


def test_a_cdf_report_takes_no_other_section_column(sectioned: Path, tmp_path: Path) -> None:
    report = _as_cdf_report(sectioned, tmp_path)
    result = runner.invoke(app, ["count", str(report), "--section-column", "section"])
    assert result.exit_code == 2
    assert "--section-column BallotStyleId" in result.output
