"""``mandate count --section NAME=FILE``: a college or results by section from one file a
section, each file in its own format."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from mandate.ballots.formats import read_ballots
from mandate.ballots.formats.blt import write_blt
from mandate.ballots.formats.csv import write_csv
from mandate.ballots.sections import SectionedProfile
from mandate.cli.app import app
from mandate.counting.college import count_college
from mandate.counting.report import result_to_json
from mandate.errors import BallotFormatError, InputError, UnknownCandidateError
from tests.support.labour_2010 import built_section, labour_2010_contest

runner = CliRunner()

THIRDS = "plp_eplp=1/3,members=1/3,affiliates=1/3"


def _said(output: str) -> str:
    """A usage error's words without the box drawn around them."""
    return " ".join(output.replace("│", " ").split())


def _count(*args: str) -> dict[str, Any]:
    result = runner.invoke(app, ["count", *args, "--json"])
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


@pytest.fixture(scope="module")
def labour_2010_files(
    shared_data: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[list[str], SectionedProfile]:
    """The MPs' real PrefLib file, the members' ballots as CSV and the affiliates' as BLT
    (rebuilt from the published figures), as ``--section`` arguments; and the same sections
    built in memory."""
    folder = tmp_path_factory.mktemp("labour-2010")
    contest = labour_2010_contest(shared_data)
    mps_file = shared_data / "preflib" / "uk-labour-2010-mps.soi"
    mps = read_ballots(mps_file)
    members = built_section(contest, "members", mps)
    affiliates = built_section(contest, "affiliates", mps)
    (folder / "members.csv").write_text(write_csv(members), encoding="utf-8")
    (folder / "affiliates.blt").write_text(write_blt(affiliates), encoding="utf-8")
    args = [
        "--section",
        f"plp_eplp={mps_file}",
        "--section",
        f"members={folder / 'members.csv'}",
        "--section",
        f"affiliates={folder / 'affiliates.blt'}",
    ]
    sections = SectionedProfile.of({"plp_eplp": mps, "members": members, "affiliates": affiliates})
    return args, sections


def test_labour_2010_college_from_preflib_csv_and_blt(
    labour_2010_files: tuple[list[str], SectionedProfile],
) -> None:
    args, sections = labour_2010_files
    data = _count(*args, "--method", "college", "--weights", THIRDS)
    assert data["elected"] == ["E.Milbnd"]
    mps = data["rounds"][0]["sections"][0]
    assert (mps["section"], mps["valid"], mps["tally"]["D.Milbnd"]) == ("plp_eplp", "266", "111")
    third = Fraction(1, 3)
    expected = count_college(sections, {"plp_eplp": third, "members": third, "affiliates": third})
    by_section = data.pop("by_section")
    assert data == result_to_json(expected)
    assert [s["section"] for s in by_section] == ["plp_eplp", "members", "affiliates"]
    assert by_section[0]["result"]["rounds"][-1]["tally"] == {"D.Milbnd": "140", "E.Milbnd": "122"}


RIDINGS = {
    "east": ("blt", '3 1\n520 1 2 0\n300 2 1 0\n180 3 2 0\n0\n"Ann"\n"Bob"\n"Cy"\n'),
    "west": (
        "soi",
        "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n# ALTERNATIVE NAME 1: Ann\n"
        "# ALTERNATIVE NAME 2: Bob\n# ALTERNATIVE NAME 3: Cy\n10: 1,3\n20: 2,1\n30: 3,2\n",
    ),
    "north": ("csv", "count,rank1,rank2\n90,Ann,Cy\n150,Bob,Cy\n160,Cy,Ann\n"),
}
"""Three ridings' ballots, each in its own format."""

ONE_CSV = (
    "riding,count,rank1,rank2\n"
    "east,520,Ann,Bob\neast,300,Bob,Ann\neast,180,Cy,Bob\n"
    "west,10,Ann,Cy\nwest,20,Bob,Ann\nwest,30,Cy,Bob\n"
    "north,90,Ann,Cy\nnorth,150,Bob,Cy\nnorth,160,Cy,Ann\n"
)
"""The same ballots in one CSV file with a riding column."""


@pytest.fixture
def ridings(tmp_path: Path) -> list[str]:
    args: list[str] = []
    for riding, (suffix, text) in RIDINGS.items():
        path = tmp_path / f"{riding}.{suffix}"
        path.write_text(text, encoding="utf-8")
        args += ["--section", f"{riding}={path}"]
    return args


def test_points_per_district_from_blt_preflib_and_csv_is_the_section_column_count(
    ridings: list[str], tmp_path: Path
) -> None:
    one = tmp_path / "ridings.csv"
    one.write_text(ONE_CSV, encoding="utf-8")
    points = ["--method", "college", "--district-points", "100", "--full-points-minimum", "100"]
    from_files = _count(*ridings, *points)
    assert from_files["rounds"][0]["tally"] == {"Ann": "84.5", "Bob": "87.5", "Cy": "88"}
    assert from_files["elected"] == ["Bob"]
    assert from_files == _count(str(one), "--section-column", "riding", *points)


def test_any_method_reports_the_pool_and_each_section_file(ridings: list[str]) -> None:
    data = _count(*ridings)
    assert data["method"] == "irv"
    assert data["rounds"][0]["tally"] == {"Ann": "620", "Bob": "470", "Cy": "370"}
    sections = {s["section"]: s["result"] for s in data["by_section"]}
    assert list(sections) == ["east", "west", "north"]
    assert sections["west"]["rounds"][0]["tally"] == {"Ann": "10", "Bob": "20", "Cy": "30"}


def test_the_candidates_list_applies_to_every_file(ridings: list[str], tmp_path: Path) -> None:
    names = tmp_path / "candidates.txt"
    names.write_text("Cy\nBob\nAnn\n", encoding="utf-8")
    data = _count(*ridings, "--candidates", str(names))
    assert list(data["rounds"][0]["tally"]) == ["Cy", "Bob", "Ann"]
    names.write_text("Ann\nBob\n", encoding="utf-8")
    result = runner.invoke(app, ["count", *ridings, "--candidates", str(names)])
    assert isinstance(result.exception, UnknownCandidateError)
    assert "east.blt" in str(result.exception)


def test_files_that_disagree_on_the_candidates_are_named(tmp_path: Path) -> None:
    mps = tmp_path / "mps.blt"
    mps.write_text(RIDINGS["east"][1], encoding="utf-8")
    members = tmp_path / "members.soi"
    members.write_text(RIDINGS["west"][1].replace(": Bob", ": Robert"), encoding="utf-8")
    result = runner.invoke(
        app, ["count", "--section", f"mps={mps}", "--section", f"members={members}"]
    )
    assert isinstance(result.exception, InputError)
    assert f"{members} (section 'members') declares other candidates" in str(result.exception)


def test_a_section_named_twice_is_refused(ridings: list[str], tmp_path: Path) -> None:
    again = tmp_path / "again.csv"
    again.write_text("count,rank1\n1,Ann\n", encoding="utf-8")
    result = runner.invoke(app, ["count", *ridings, "--section", f"east={again}"])
    assert isinstance(result.exception, InputError)
    assert "section 'east' is given twice" in str(result.exception)


def test_a_missing_file_is_refused(ridings: list[str], tmp_path: Path) -> None:
    result = runner.invoke(app, ["count", *ridings, "--section", f"south={tmp_path / 'no.csv'}"])
    assert isinstance(result.exception, BallotFormatError)
    assert "no.csv: no such file (the ballots of section 'south')" in str(result.exception)


@pytest.mark.parametrize(
    ("extra", "complaint"),
    [
        (["--section-column", "riding"], "--section-column both give"),
        (["FILE"], "either as FILE"),
        (["--format", "csv"], "format its name or first lines show"),
        (["--method", "exhaustive", "--round", "FILE"], "later rounds"),
    ],
)
def test_section_files_with_another_source_of_ballots_are_a_usage_error(
    ridings: list[str], tmp_path: Path, extra: list[str], complaint: str
) -> None:
    other = tmp_path / "other.csv"
    other.write_text("count,rank1\n1,Ann\n", encoding="utf-8")
    args = [str(other) if item == "FILE" else item for item in extra]
    result = runner.invoke(app, ["count", *ridings, *args])
    assert result.exit_code == 2, result.output
    assert complaint in _said(result.output)


@pytest.mark.parametrize("value", ["east", "=a.csv", "east="])
def test_a_section_not_written_name_equals_file_is_a_usage_error(value: str) -> None:
    result = runner.invoke(app, ["count", "--section", value])
    assert result.exit_code == 2
    assert "expected NAME=FILE" in _said(result.output)


def test_neither_a_file_nor_sections_is_a_usage_error() -> None:
    result = runner.invoke(app, ["count", "--method", "irv"])
    assert result.exit_code == 2
    assert "give a ballot FILE" in _said(result.output)
