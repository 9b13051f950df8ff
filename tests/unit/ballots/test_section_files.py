"""Ballots by section from one file a section, in different formats, and what is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from mandate.ballots.formats import read_ballots
from mandate.ballots.formats.section_files import read_section_files
from mandate.errors import BallotFormatError, InputError, UnknownCandidateError

PREFLIB = (
    "# DATA TYPE: soi\n# NUMBER ALTERNATIVES: 3\n"
    "# ALTERNATIVE NAME 1: Ann\n# ALTERNATIVE NAME 2: Bob\n# ALTERNATIVE NAME 3: Cy\n"
    "3: 1,2\n2: 3\n"
)
BLT = '3 1\n4 2 1 0\n1 3 0\n0\n"Ann"\n"Bob"\n"Cy"\n'


def _file(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_preflib_and_a_csv_file_make_one_college(tmp_path: Path, shared_data: Path) -> None:
    mps = shared_data / "preflib" / "uk-labour-2010-mps.soi"
    members = _file(tmp_path, "members.csv", "count,rank1,rank2\n40,E.Milbnd,\n45,D.Milbnd,\n")
    sections = read_section_files([("plp_eplp", mps), ("members", members)])
    assert sections.names == ("plp_eplp", "members")
    assert [c.name for c in sections.candidates] == [
        "D.Abbott",
        "E.Balls",
        "A.Burnhm",
        "D.Milbnd",
        "E.Milbnd",
    ]
    assert sections.profile("plp_eplp").total == 266
    assert sections.profile("members").total == 85
    assert sections.profile("plp_eplp").ballots == read_ballots(mps).ballots


def test_three_formats_read_as_their_names_say(tmp_path: Path) -> None:
    sections = read_section_files(
        [
            ("a", _file(tmp_path, "a.soi", PREFLIB)),
            ("b", _file(tmp_path, "b.blt", BLT)),
            ("c", _file(tmp_path, "c.csv", "count,rank1\n7,Cy\n")),
        ]
    )
    assert [p.total for _, p in sections] == [5, 5, 7]
    assert sections.profile("b").seats == 1
    assert sections.pooled().seats == 1


def test_without_a_list_candidates_are_the_union_in_order_of_first_appearance(
    tmp_path: Path,
) -> None:
    sections = read_section_files(
        [
            ("x", _file(tmp_path, "x.csv", "count,rank1,rank2\n2,Bob,Ann\n")),
            ("y", _file(tmp_path, "y.csv", "count,rank1\n1,Cy\n1,Ann\n")),
        ]
    )
    assert [c.name for c in sections.candidates] == ["Bob", "Ann", "Cy"]
    assert sections.profile("x").candidate_ids == sections.profile("y").candidate_ids


def test_the_officers_list_applies_to_every_file(tmp_path: Path) -> None:
    files = [
        ("a", _file(tmp_path, "a.soi", PREFLIB)),
        ("b", _file(tmp_path, "b.csv", "count,rank1\n2,Bob\n1,Dee\n")),
    ]
    sections = read_section_files(files, candidates=["Cy", "Bob", "Ann", "Dee"])
    assert [c.name for c in sections.candidates] == ["Cy", "Bob", "Ann", "Dee"]
    assert sections.profile("a").candidate_ids == ("Cy", "Bob", "Ann", "Dee")
    with pytest.raises(UnknownCandidateError, match=r"b\.csv, line 3, ballot 2: unknown candidate"):
        read_section_files(files, candidates=["Ann", "Bob", "Cy"])


def test_declaring_files_that_declare_other_candidates_are_refused(tmp_path: Path) -> None:
    blt = _file(tmp_path, "b.blt", BLT.replace('"Bob"', '"Robert"'))
    with pytest.raises(InputError) as caught:
        read_section_files([("a", _file(tmp_path, "a.soi", PREFLIB)), ("b", blt)])
    message = str(caught.value)
    assert f"{blt} (section 'b') declares other candidates than" in message
    assert f"only in {blt}: Robert" in message
    assert "a.soi: Bob" in message


def test_a_csv_naming_someone_the_declaring_files_do_not_is_refused(tmp_path: Path) -> None:
    csv = _file(tmp_path, "m.csv", "count,rank1\n3,Ann\n2,Dee\n")
    with pytest.raises(UnknownCandidateError) as caught:
        read_section_files([("members", csv), ("mps", _file(tmp_path, "a.soi", PREFLIB))])
    assert caught.value.name == "Dee"
    assert f"{csv} (section 'members'), not among the candidates" in str(caught.value)
    assert "a.soi declares" in str(caught.value)


def test_files_declaring_different_seats_are_refused(tmp_path: Path) -> None:
    one = _file(tmp_path, "one.blt", BLT)
    two = _file(tmp_path, "two.blt", BLT.replace("3 1\n", "3 2\n", 1))
    with pytest.raises(InputError, match=r"two\.blt \(section 'y'\) declares 2 seats"):
        read_section_files([("x", one), ("y", two)])


def test_a_candidate_withdrawn_in_one_file_is_withdrawn_in_every_section(
    tmp_path: Path,
) -> None:
    withdrawn = _file(tmp_path, "w.blt", BLT.replace("3 1\n", "3 1\n-3\n", 1))
    sections = read_section_files(
        [("csv", _file(tmp_path, "c.csv", "count,rank1\n1,Cy\n")), ("blt", withdrawn)]
    )
    assert sections.profile("csv").withdrawn == {"Cy"}
    assert sections.profile("blt").withdrawn == {"Cy"}


def test_a_section_named_twice_is_refused_before_reading(tmp_path: Path) -> None:
    a = _file(tmp_path, "a.csv", "count,rank1\n1,Ann\n")
    with pytest.raises(InputError, match=r"section 'x' is given twice \(.*a\.csv and .*b\.csv\)"):
        read_section_files([("x", a), ("x", tmp_path / "b.csv")])


def test_a_missing_file_is_named_before_any_file_is_read(tmp_path: Path) -> None:
    broken = _file(tmp_path, "broken.csv", "count,rank1\nx,Ann\n")
    missing = tmp_path / "nowhere.soi"
    with pytest.raises(BallotFormatError) as caught:
        read_section_files([("a", broken), ("b", missing)])
    assert str(caught.value) == f"{missing}: no such file (the ballots of section 'b')"


def test_no_sections_or_a_blank_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no sections given"):
        read_section_files([])
    with pytest.raises(InputError, match="its section needs a name"):
        read_section_files([(" ", _file(tmp_path, "a.csv", "count,rank1\n1,Ann\n"))])
