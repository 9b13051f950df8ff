"""read_ballots: auto-detection by name and by content, and what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.ballots.formats import BallotFormat, detect_format, read_ballots
from mandate.errors import BallotFormatError, UnknownCandidateError


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.csv", "rank1\nAnn\n", BallotFormat.CSV),
        ("a.toi", "# DATA TYPE: toi\n", BallotFormat.PREFLIB),
        ("a.json", "{}", BallotFormat.CDF),
        ("a.blt", "2 1\n", BallotFormat.BLT),
        ("ballots", "count,rank1\n1,Ann\n", BallotFormat.CSV),
        ("ballots", "# ALTERNATIVE NAME 1: Ann\n1: 1\n", BallotFormat.PREFLIB),
        ("ballots", '\n  {"CVR": []}', BallotFormat.CDF),
        ("ballots", "3 1\n1 1 0\n0\n", BallotFormat.BLT),
    ],
)
def test_format_is_told_by_name_then_content(
    tmp_path: Path, name: str, text: str, expected: BallotFormat
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert detect_format(path) is expected


def test_an_unrecognisable_file_asks_for_the_format(tmp_path: Path) -> None:
    path = tmp_path / "ballots"
    path.write_text("hello\n", encoding="utf-8")
    with pytest.raises(BallotFormatError, match="cannot tell the ballot format"):
        read_ballots(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(BallotFormatError, match="no such file"):
        read_ballots(tmp_path / "nope.csv")


def test_the_format_given_overrides_the_name(tmp_path: Path) -> None:
    path = tmp_path / "ballots.txt"
    path.write_text("rank1,rank2\nAnn,Bob\n", encoding="utf-8")
    assert read_ballots(path, format=BallotFormat.CSV).total == 1


def test_real_files_are_read_with_their_declared_candidates(shared_data: Path) -> None:
    burlington = read_ballots(shared_data / "preflib" / "burlington-2009-mayor.toi")
    assert burlington.total == 8980
    assert [c.name for c in burlington.candidates][:2] == ["Bob Kiss", "Andy Montroll"]
    mps = read_ballots(shared_data / "preflib" / "uk-labour-2010-mps.soi")
    assert mps.total == 266


def test_blt_files_are_read_and_checked_against_given_candidates(tmp_path: Path) -> None:
    path = tmp_path / "w.blt"
    path.write_text('3 1\n2 1 2 0\n1 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n"Ward"\n', encoding="utf-8")
    profile = read_ballots(path, candidates=["Cy", "Bob", "Ann"])
    assert [c.name for c in profile.candidates] == ["Cy", "Bob", "Ann"]
    assert profile.seats == 1
    with pytest.raises(UnknownCandidateError, match="ballot 2: unknown candidate 'Cy'"):
        read_ballots(path, candidates=["Ann", "Bob"])
